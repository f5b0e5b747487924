"""Mirrored originals: the PDFs ``import files --mirror`` keeps outside ``content/``, published on the site beside
the council system's address, each only when it is still the file the record's checksum names and passes the
attachments' checks (no active content)."""

from __future__ import annotations

from pathlib import Path

from generator.records.attachments import refusal, sha256_of
from generator.records.kinds import MODELS
from generator.records.load import Attachment
from generator.records.models import Document, parts
from generator.records.problems import Problem
from generator.records.validate import Records


def mirrored(records: Records, folder: Path) -> tuple[dict[str, Attachment], list[Problem]]:
    """The files of ``folder`` to publish, by text name, and a warning for each one left out."""
    wanted: dict[str, str] = {}
    for kind in MODELS:
        for record in records.of_kind(kind).values():
            for _, document in parts(record, Document):
                name = document.text_name
                if document.url and document.sha256 and name:
                    wanted.setdefault(name, document.sha256)
    found: dict[str, Attachment] = {}
    problems: list[Problem] = []
    for name, checksum in sorted(wanted.items()):
        path = folder / name
        if not path.is_file():
            continue  # not loaded (yet): the page links to the council system
        shown = path.as_posix()
        if sha256_of(path) != checksum:
            message = "ist nicht die Datei, deren Prüfsumme der Datensatz nennt: nicht gespiegelt (import files)"
            problems.append(Problem(shown, 1, "mirror-skipped", message, in_content=False))
            continue
        why = refusal(path)
        if why:
            problems.append(Problem(shown, 1, "mirror-skipped", f"{why}: nicht gespiegelt", in_content=False))
            continue
        found[name] = Attachment(path, path.stat().st_size)
    return found, problems
