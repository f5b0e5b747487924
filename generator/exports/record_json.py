"""Each record's data as JSON, beside its page (``/vorlagen/x.json``) and at its former addresses."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from pydantic import TypeAdapter

from generator.records.kinds import MODELS
from generator.records.models import Agreement, Record
from generator.site.addresses import absolute_url, former_json_path, json_path
from generator.site.link import Site

_JSON = TypeAdapter(Any)


def indented_json(value: object) -> str:
    """``value`` (records, lists, dicts of plain values) as JSON indented by one space, UTF-8 characters as they
    are: the text Python's ``json.dumps(…, ensure_ascii=False, indent=1)`` writes, but for small floats, the same
    numbers written otherwise (``1e-7`` and ``0.00005`` for ``1e-07`` and ``5e-05``); made by pydantic's encoder,
    several times faster (an indented ``json.dumps`` encodes in Python, not in C: at 10,000 records 1.3 s against
    0.3 s)."""
    return _JSON.dump_json(value, indent=1).decode("utf-8") + "\n"


def record_json(site: Site, kind: str, record: Record, *, base_url: str) -> str:
    """The record as JSON: its fields as in the YAML file (unknown values ``null``), its page's address and kind."""
    url = absolute_url(base_url, site.ref(kind, record.id).page)
    data: dict[str, Any] = {"kind": kind, "url": url, "record": record}  # pydantic dumps it as model_dump(mode="json")
    if isinstance(record, Agreement):
        data["outcome"] = record.outcome.value
    return indented_json(data)


def record_files(site: Site, *, only: Collection[tuple[str, str]] | None, base_url: str) -> Iterator[tuple[str, str]]:
    """Each record's JSON file (or those in ``only``), as ``(path below the docs folder, text)``.

    A renamed record's data stays at its former addresses too (a JSON file cannot redirect): the same text, whose
    ``url`` names the current page.
    """
    for kind in MODELS:
        for record in site.records.of_kind(kind).values():
            if only is None or (kind, record.id) in only:
                path, text = record_json_path(site, kind, record.id), record_json(site, kind, record, base_url=base_url)
                yield path, text
                for former in record.former_ids:
                    yield former_json_path(kind, former), text


def record_json_path(site: Site, kind: str, record_id: str) -> str:
    """``vorlagen/x.json``: beside the page's Markdown source, so MkDocs publishes it at ``/vorlagen/x.json``."""
    return json_path(site.ref(kind, record_id).page)
