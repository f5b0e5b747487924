"""The text of a document, page by page, as kept in ``content/texts/<file name>.txt`` beside the record files.

The extractor (:mod:`generator.editing.texts`) writes one UTF-8 file per PDF in ``content/files/``; an editor may
correct it in git. A line ``=== Seite 2 ===`` starts each page (``=== Seite 2 (gedruckt: 14) ===`` where the
document prints another page number). The header records a checksum of the text as extracted: where the text no
longer matches it, an editor corrected it, the page says so, and the next extraction leaves it as it is.

Quotes are found in a page's text after normalising what a PDF's layout changes and nothing else: whitespace and
line breaks, a word hyphenated at a line's end, and the style of quotation marks.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass

TEXTS_FOLDER = "texts"  # content/texts/<file name>.txt: the text of content/files/<file name>
PAGE_LINE = re.compile(r"^=== Seite (\d+)(?: \(gedruckt: ([^)\n]+)\))? ===$", re.M)
SUM_LINE = re.compile(r"^# Prüfsumme des extrahierten Textes: ([0-9a-f]{16})$", re.M)


@dataclass(frozen=True, slots=True)
class DocumentText:
    name: str  # the attachment's file name: vereinbarung-2020.pdf
    pages: tuple[str, ...]
    labels: tuple[str | None, ...]  # the page number the document prints, where it differs
    corrected: bool  # an editor changed the text after extraction

    @property
    def empty(self) -> bool:
        """No text on any page: a scanned document without recognised text."""
        return not any(page.strip() for page in self.pages)


def checksum(pages: list[str] | tuple[str, ...]) -> str:
    return hashlib.sha256("\f".join(pages).encode("utf-8")).hexdigest()[:16]


def text_file(name: str, pages: list[str], labels: list[str | None], *, tool: str, day: str) -> str:
    """The file the extractor writes for the attachment ``name``."""
    lines = [
        f"# Text von files/{name}, {len(pages)} {'Seite' if len(pages) == 1 else 'Seiten'}, extrahiert mit {tool} "
        f"am {day}.",
        f"# Prüfsumme des extrahierten Textes: {checksum(pages)}",
        "# Korrekturen von Hand sind erlaubt: sie bleiben beim nächsten Extrahieren erhalten.",
    ]
    for number, (page, label) in enumerate(zip(pages, labels, strict=True), start=1):
        lines.append(f"=== Seite {number} (gedruckt: {label}) ===" if label else f"=== Seite {number} ===")
        lines.append(page.rstrip("\n"))
    return "\n".join(lines) + "\n"


def parse_text(name: str, text: str) -> DocumentText:
    """A text file as written by :func:`text_file` (and perhaps corrected since)."""
    marks = list(PAGE_LINE.finditer(text))
    pages, labels = [], []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        pages.append(text[mark.end() + 1 : end].rstrip("\n"))
        labels.append(mark.group(2))
    recorded = SUM_LINE.search(text[: marks[0].start()] if marks else text)
    corrected = recorded is None or recorded.group(1) != checksum(pages)
    return DocumentText(name, tuple(pages), tuple(labels), corrected)


_QUOTES = str.maketrans(
    {"„": '"', "“": '"', "”": '"', "«": '"', "»": '"', "‚": "'", "‘": "'", "’": "'", "‹": "'", "›": "'"}
)
_HYPHENATED = re.compile(r"(\w)-\s*\n\s*(?=[a-zäöüß])")


def join_hyphenated(text: str) -> str:
    """A word hyphenated at a line's end, joined again (``Ausbildungs-\nbrücke`` → ``Ausbildungsbrücke``); a
    capital after the hyphen is a compound and stays (``Rhein-\nKreis``)."""
    return _HYPHENATED.sub(r"\1", text.replace("\r\n", "\n"))


def normalize(text: str) -> str:
    """What a PDF's layout changes, undone: a word hyphenated at a line's end joined, quotation marks of any style
    as ``"``/``'``, every run of whitespace (line breaks included) as one space."""
    return " ".join(join_hyphenated(text).translate(_QUOTES).split())


def find_quote(quote: str, document: DocumentText, page: int | None) -> tuple[bool, str]:
    """Whether ``quote`` stands on ``page`` (or on any page), and else the closest passage found there."""
    wanted = normalize(quote)
    pages = [document.pages[page - 1]] if page is not None and 0 < page <= len(document.pages) else document.pages
    texts = [normalize(p) for p in pages]
    if any(wanted in t for t in texts):
        return True, wanted
    return False, closest(wanted, texts)


def closest(wanted: str, texts: list[str]) -> str:
    """The passage of ``texts`` most like ``wanted``, as long as it (for the message ``quote-not-found``)."""
    best, score = "", 0.0
    size = max(1, len(wanted))
    for text in texts:
        words = text.split(" ")
        count = max(1, len(wanted.split(" ")))
        for start in range(0, max(1, len(words) - count + 1)):
            window = " ".join(words[start : start + count])
            ratio = difflib.SequenceMatcher(None, wanted, window, autojunk=False).quick_ratio()
            if ratio > score:
                candidate = difflib.SequenceMatcher(None, wanted, window, autojunk=False).ratio()
                if candidate > score:
                    best, score = window, candidate
    return best[: size + 40]
