"""Which files may be published as attachments: passive documents and images only, checked by name *and* content.

An attachment is served from the site's own address (``/dateien/<name>``). A file a browser would run there, an
HTML page, an SVG image with a script, JavaScript, XML with a stylesheet, would run with the site's origin, so
only these types are taken, and only when the first bytes say the same as the extension (an HTML file named
``.pdf`` is refused). Office files are ZIP containers: they must hold the parts of their type and no macros.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

# extension -> what it is (German, for the error message and the docs)
ALLOWED: dict[str, str] = {
    "pdf": "PDF-Dokument",
    "odt": "OpenDocument-Text",
    "ods": "OpenDocument-Tabelle",
    "odp": "OpenDocument-Präsentation",
    "docx": "Word-Dokument",
    "xlsx": "Excel-Tabelle",
    "pptx": "PowerPoint-Präsentation",
    "csv": "CSV-Tabelle",
    "txt": "Text",
    "png": "PNG-Bild",
    "jpg": "JPEG-Bild",
    "jpeg": "JPEG-Bild",
    "gif": "GIF-Bild",
    "webp": "WebP-Bild",
}

_MAGIC = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}
_OPENDOCUMENT = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
_OOXML = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
# What makes a text file something a browser may read as markup, whatever it is called.
_MARKUP = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<|<\s*(?:script|html|svg|iframe|object|embed)\b", re.I)
_HEAD = 4096


def sha256_of(path: Path) -> str:
    """The file's SHA-256 checksum (hex), read in blocks."""
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


def allowed_list() -> str:
    """``pdf, odt, ods, …`` for messages."""
    return ", ".join(ALLOWED)


def refusal(path: Path) -> str | None:
    """Why ``path`` may not be published as an attachment, or ``None`` when it may."""
    extension = path.suffix.lower().removeprefix(".")
    if extension not in ALLOWED:
        return (
            f"Dateien vom Typ „.{extension}“ werden nicht veröffentlicht (sie könnten im Browser Programmcode "
            f"ausführen oder sind nicht vorgesehen); erlaubt sind: {allowed_list()}"
        )
    with path.open("rb") as file:
        head = file.read(_HEAD)
    what = ALLOWED[extension]
    if extension in _MAGIC:
        ok = head.startswith(_MAGIC[extension])
    elif extension == "webp":
        ok = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    elif extension in _OPENDOCUMENT or extension in _OOXML:
        return _office_refusal(path, extension, what)
    else:  # csv, txt
        ok = b"\0" not in head and not _MARKUP.search(head) and _is_utf8_start(head)
    if not ok:
        return f"Der Inhalt ist kein {what}, wie die Endung „.{extension}“ sagt: die richtige Datei ablegen"
    if extension == "pdf":
        return _pdf_refusal(path)
    return None


# What makes a PDF active in a reader: scripts, actions that start programs, files carried inside it.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b")


_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")


def _pdf_refusal(path: Path) -> str | None:
    """A PDF that names scripts, launch actions or embedded files in its uncompressed objects is refused (these
    names inside compressed object streams are not seen: the check is a first line, not a PDF parser)."""
    tail = b""
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            # A name may straddle two chunks, and may spell letters as #xx ("/J#61vaScript").
            window = _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), tail + chunk)
            tail = chunk[-64:]
            if _PDF_ACTIVE.search(window):
                return (
                    "Das PDF enthält Skripte, Startbefehle oder eingebettete Dateien (JavaScript, Launch, "
                    "EmbeddedFile): ein PDF ohne diese ablegen, z. B. als PDF/A neu speichern"
                )
    return None


def _is_utf8_start(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return len(head) == _HEAD and exc.start >= len(head) - 3  # a character cut off at the end of the sample
    return True


def _office_refusal(path: Path, extension: str, what: str) -> str | None:
    wrong = f"Der Inhalt ist kein {what}, wie die Endung „.{extension}“ sagt: die richtige Datei ablegen"
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if extension in _OPENDOCUMENT:
                if "mimetype" not in names or archive.read("mimetype").strip() != _OPENDOCUMENT[extension].encode():
                    return wrong
            elif "[Content_Types].xml" not in names or not any(n.startswith(_OOXML[extension]) for n in names):
                return wrong
            types = archive.read("[Content_Types].xml").lower() if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return wrong
    if _has_macros(names, types):
        return "Die Datei enthält Makros (Programmcode): ohne Makros speichern, z. B. als PDF"
    return None


# Where office files keep program code: LibreOffice's Basic/ and Scripts/ folders, VBA projects under any name
# (they are declared in [Content_Types].xml), Basic modules.
_MACRO_FOLDERS = ("basic/", "scripts/")
_MACRO_TYPES = (b"vbaproject", b"macroenabled", b"vnd.ms-office.activex")


def _has_macros(names: list[str], content_types: bytes) -> bool:
    """Whether an office archive with these part ``names`` and ``[Content_Types].xml`` (lower case) holds code."""
    lowered = [name.lower() for name in names]
    if any(
        n.startswith(_MACRO_FOLDERS) or f"/{_MACRO_FOLDERS[0]}" in n or n.endswith((".bas", "vbaproject.bin"))
        for n in lowered
    ):
        return True
    return any(kind in content_types for kind in _MACRO_TYPES)
