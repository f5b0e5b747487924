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
import unicodedata
from collections import Counter
from dataclasses import dataclass

TEXTS_FOLDER = "texts"  # content/texts/<file name>.txt: the text of content/files/<file name>
PAGE_LINE = re.compile(r"^=== Seite (\d+)(?: \(gedruckt: ([^\n]+?)\))? ===$", re.M)
MAX_TEXT_BYTES = 20_000_000  # a text file larger than this is refused (a record file may have 1 MB)
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


def text_file(
    name: str, pages: list[str], labels: list[str | None], *, tool: str, day: str, origin: str | None = None
) -> str:
    """The file the extractor writes for the attachment ``name`` (from ``origin``: ``files/<name>`` or the address
    it was loaded from). A line of the text that reads like a page line is written with a leading backslash (and
    read back without it), so that it cannot start a page."""
    pages = [page.rstrip("\n") for page in pages]
    origin = " ".join((origin or f"files/{name}").split())
    lines = [
        f"# Text von {origin}, {len(pages)} {'Seite' if len(pages) == 1 else 'Seiten'}, extrahiert mit {tool} "
        f"am {day}.",
        f"# Prüfsumme des extrahierten Textes: {checksum(pages)}",
        "# Korrekturen von Hand sind erlaubt: sie bleiben beim nächsten Extrahieren erhalten.",
    ]
    for number, (page, label) in enumerate(zip(pages, labels, strict=True), start=1):
        label = " ".join(label.split()) if label else None
        lines.append(f"=== Seite {number} (gedruckt: {label}) ===" if label else f"=== Seite {number} ===")
        lines.append(_ESCAPABLE.sub(lambda m: "\\" + m.group(0), page))
    return "\n".join(lines) + "\n"


_ESCAPABLE = re.compile(r"^\\*=== Seite ", re.M)  # a page line (or one escaped already) inside the text
_ESCAPED = re.compile(r"^\\(\\*=== Seite )", re.M)


def parse_text(name: str, text: str) -> DocumentText:
    """A text file as written by :func:`text_file` (and perhaps corrected since). A file without page lines (written
    by hand) is one page, and counts as corrected."""
    text = text.removeprefix("\ufeff")
    marks = list(PAGE_LINE.finditer(text))
    if not marks:
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip("\n")
        return DocumentText(name, (body,) if body.strip() else (), (None,) if body.strip() else (), corrected=True)
    pages, labels = [], []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        pages.append(_ESCAPED.sub(r"\1", text[mark.end() + 1 : end].rstrip("\n")))
        labels.append(mark.group(2))
    recorded = SUM_LINE.search(text[: marks[0].start()])
    corrected = recorded is None or recorded.group(1) != checksum(pages)
    return DocumentText(name, tuple(pages), tuple(labels), corrected)


_QUOTES = str.maketrans(
    {"„": '"', "“": '"', "”": '"', "«": '"', "»": '"', "‚": "'", "‘": "'", "’": "'", "‹": "'", "›": "'"}
)
# The hyphen first, the letter before it looked back at: the regex engine then skips to each hyphen instead of
# trying every letter of a document's text (four times faster over a large site's texts).
_HYPHENATED = re.compile(r"[-\u2010](?<=\w[-\u2010])\s*\n\s*(?=[a-zäöüß])")
# A word ellipsis at a line's end ("Bahn-" / "und Busverkehr") is no hyphenation.
_ELLIPSIS = re.compile(r"[-\u2010](?<=\w[-\u2010])\s*\n\s*(?=(?:und|oder|bis|sowie|als auch)\b)")
_INVISIBLE = str.maketrans({"\u00ad": None, "\u200b": None, "\u2060": None})


def join_hyphenated(text: str) -> str:
    """A word hyphenated at a line's end, joined again (``Ausbildungs-\nbrücke`` → ``Ausbildungsbrücke``); a
    capital after the hyphen is a compound and stays (``Rhein-\nKreis``)."""
    text = _ELLIPSIS.sub("- ", text.replace("\r\n", "\n"))
    return _HYPHENATED.sub("", text)


def normalize(text: str) -> str:
    """What a PDF's layout changes, undone: a word hyphenated at a line's end joined, quotation marks of any style
    as ``"``/``'``, every run of whitespace (line breaks included) as one space."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return " ".join(join_hyphenated(text).translate(_QUOTES).split())


def find_quote(quote: str, document: DocumentText, page: int | None) -> tuple[bool, str]:
    """Whether ``quote`` stands on ``page`` (or on any page), and else the closest passage found there."""
    wanted = normalize(quote)
    if page is not None and not 0 < page <= len(document.pages):
        return False, f"(das Dokument hat {len(document.pages)} Seiten)"
    pages = [document.pages[page - 1]] if page is not None else document.pages
    texts = [normalize(p) for p in pages]
    # Whole words only: "Vertrag" does not stand in "Verträge", nor "nicht" in "nichts".
    pattern = re.compile(
        ("(?<!\\w)" if wanted[:1].isalnum() else "") + re.escape(wanted) + ("(?!\\w)" if wanted[-1:].isalnum() else "")
    )
    if any(pattern.search(t) for t in texts):
        return True, wanted
    return False, closest(wanted, texts)


def closest(wanted: str, texts: list[str]) -> str:
    """The passage of ``texts`` most like ``wanted``, as long as it (for the message ``quote-not-found``). Windows
    are ranked by the words they share with the quote (one pass), and only the best few compared letter by letter,
    so that a long document costs little."""
    target = wanted.split(" ")
    size = max(1, len(target))
    wanted_words = Counter(target)
    candidates: list[tuple[int, str]] = []
    for text in texts:
        words = text.split(" ")[:MAX_WORDS]
        window: Counter[str] = Counter(words[:size])
        for start in range(0, max(1, len(words) - size + 1)):
            if start:
                window[words[start - 1]] -= 1
                if start + size - 1 < len(words):
                    window[words[start + size - 1]] += 1
            shared = sum(min(count, window[word]) for word, count in wanted_words.items())
            candidates.append((shared, " ".join(words[start : start + size])))
    candidates.sort(key=lambda item: -item[0])
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(wanted)
    best, score = "", -1.0
    for _, passage in candidates[:20]:
        matcher.set_seq1(passage)
        if (ratio := matcher.ratio()) > score:
            best, score = passage, ratio
    return best[: len(wanted) + 40]


MAX_WORDS = 200_000  # words of one page that the closest passage is looked for in
