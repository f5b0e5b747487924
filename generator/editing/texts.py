"""``texts``: the text of every PDF attachment in ``content/files/``, page by page, into ``content/texts/``.

Each PDF is read in a child process with limits on time, memory and pages (PDFium via pypdfium2): an encrypted,
damaged or hostile file, a decompression bomb, a file of thousands of pages gives a warning naming the file, never a
crash or a hang. A text an editor corrected (its checksum no longer matches) is left as it is.

pypdfium2 was chosen over pypdf and pdfminer.six: on the same 40-page test document it read 900 pages a second
(pypdf 220, pdfminer.six 36) with the same text, and PDFium, the engine of Chromium, is the most forgiving of
damaged files; its native code is why it runs in a child process.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.records.load import FILES_FOLDER
from generator.records.texts import TEXTS_FOLDER, parse_text, text_file

SECONDS = 60  # per file, wall clock
MEMORY = 1024 * 1024 * 1024  # bytes of address space for the child
MAX_PAGES = 2000  # pages read per file; the rest is said, not read


@dataclass(slots=True)
class Extraction:
    counts: Counter[str] = field(default_factory=Counter)  # written / unchanged / corrected / pages / empty
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (files/<name> or address, message)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        c = self.counts
        rate = f", {c['pages'] / self.seconds:.0f} Seiten je Sekunde" if self.seconds and c["pages"] else ""
        lines = [
            f"{c['written']} Texte geschrieben, {c['unchanged']} unverändert, {c['corrected']} von Hand korrigiert "
            f"(belassen), {c['pages']} Seiten{rate}, {c['empty']} ohne erkannten Text."
        ]
        lines += [f"Warnung: {origin}: {message}" for origin, message in self.warnings]
        return lines


def extract_texts(
    content: Path, *, pdfs: list[tuple[str, Path, str]] | None = None, today: dt.date | None = None
) -> Extraction:
    """Extract every PDF in ``content/files/`` (or ``pdfs``: name, file and where it is from, as ``import files``
    loaded them) whose text is missing or stale; corrections stay."""
    result = Extraction()
    started = dt.datetime.now()
    day = (today or dt.date.today()).isoformat()
    if pdfs is None:
        pdfs = [(pdf.name, pdf, f"files/{pdf.name}") for pdf in sorted((content / FILES_FOLDER).glob("*.pdf"))]
    for name, pdf, origin in pdfs:
        target = content / TEXTS_FOLDER / f"{name}.txt"
        try:
            existing = target.read_text(encoding="utf-8") if target.exists() else None
        except (OSError, UnicodeDecodeError) as exc:
            result.warnings.append((origin, f"texts/{target.name} ist nicht lesbar ({type(exc).__name__}): belassen"))
            continue
        if existing is not None and parse_text(name, existing).corrected:
            result.counts["corrected"] += 1
            continue
        read = read_pdf(pdf)
        if "error" in read:
            result.warnings.append((origin, str(read["error"])))
            continue
        pages, labels = list(read["pages"]), list(read["labels"])
        if read.get("more"):
            result.warnings.append((origin, f"mehr als {MAX_PAGES} Seiten: nur die ersten {MAX_PAGES} gelesen"))
        result.counts["pages"] += len(pages)
        if not any(page.strip() for page in pages):
            result.counts["empty"] += 1
            result.warnings.append((origin, "kein Text erkannt (gescannte Seiten?): die Seite sagt es so"))
        tool = f"pypdfium2 {read.get('version', '')}".strip()
        text = text_file(name, pages, labels, tool=tool, day=day, origin=origin)
        if existing is not None and _same_text(existing, text):
            result.counts["unchanged"] += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        result.counts["written"] += 1
    result.seconds = (dt.datetime.now() - started).total_seconds()
    return result


def _same_text(old: str, new: str) -> bool:
    """The same pages, whatever day the header names."""
    return old.split("\n", 1)[1:] == new.split("\n", 1)[1:] and old.split(" am ")[0] == new.split(" am ")[0]


def read_pdf(path: Path) -> dict[str, Any]:
    """The pages and page labels of ``path``, read in a child process with limits; ``{"error": …}`` else."""
    try:
        child = subprocess.run(
            [sys.executable, "-m", "generator.editing.pdf_child", str(path), str(MAX_PAGES)],
            capture_output=True,
            text=True,
            timeout=SECONDS,
            preexec_fn=_limits,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"nach {SECONDS} s abgebrochen: der Text ist nicht verfügbar"}
    if child.returncode != 0:
        return {"error": "nicht lesbar (beschädigt, zu groß oder kein PDF): der Text ist nicht verfügbar"}
    try:
        data: dict[str, Any] = json.loads(child.stdout)
    except ValueError:
        return {"error": "nicht lesbar: der Text ist nicht verfügbar"}
    return data


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS))
