"""Which files may be published as attachments: by extension and by content; office files without macros."""

import zipfile
from pathlib import Path

import pytest

from generator.records.attachments import ALLOWED, refusal

ODT = "application/vnd.oasis.opendocument.text"
CONTENT_TYPES = '<Types><Override PartName="/word/document.xml" ContentType="{kind}"/></Types>'
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def office(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def odt(path: Path, **extra: str) -> Path:
    return office(path, {"mimetype": ODT, "content.xml": "<office:document-content/>", **extra})


def docx(path: Path, kind: str = WORD, **extra: str) -> Path:
    return office(
        path, {"[Content_Types].xml": CONTENT_TYPES.format(kind=kind), "word/document.xml": "<w:document/>", **extra}
    )


def test_clean_office_files_and_images_are_accepted(tmp_path: Path) -> None:
    assert refusal(odt(tmp_path / "brief.odt")) is None
    assert refusal(docx(tmp_path / "brief.docx")) is None
    (tmp_path / "bild.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    (tmp_path / "bild.webp").write_bytes(b"RIFF\0\0\0\0WEBPVP8 ")
    (tmp_path / "liste.csv").write_bytes("Name;Wert\nKöln;1\n".encode())
    for name in ("bild.png", "bild.webp", "liste.csv"):
        assert refusal(tmp_path / name) is None, name


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("basic.odt", {"Basic/script-lc.xml": "<x/>", "Basic/Standard/Module1.xml": "<x/>"}),  # LibreOffice Basic
        ("python.odt", {"Scripts/python/boese.py": "import os"}),
    ],
)
def test_opendocument_with_macros_is_refused(tmp_path: Path, name: str, parts: dict[str, str]) -> None:
    assert "Makros" in str(refusal(odt(tmp_path / name, **parts)))


def test_word_with_a_vba_project_under_any_name_is_refused(tmp_path: Path) -> None:
    renamed = docx(tmp_path / "a.docx", kind="application/vnd.ms-office.vbaProject", **{"word/daten.bin": "x"})
    assert "Makros" in str(refusal(renamed))
    assert "Makros" in str(refusal(docx(tmp_path / "b.docx", **{"word/vbaProject.bin": "x"})))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("brief.pdf", b"<html><script>alert(1)</script>"),
        ("bild.png", b"GIF89a"),
        ("liesmich.txt", b"  \n <!doctype html><p>x"),
        ("liste.csv", b"a,b\n<svg onload=alert(1)>"),
        ("text.txt", "Köln".encode("latin-1")),
        ("brief.odt", b"PK\x03\x04 kaputt"),
        ("anlage.svg", b"<svg/>"),
        ("seite.html", b"<p>x</p>"),
        ("skript.js", b"alert(1)"),
        ("daten.xml", b"<?xml version='1.0'?><x/>"),
    ],
)
def test_what_the_name_or_the_content_does_not_allow_is_refused(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    assert refusal(tmp_path / name) is not None


def test_the_allow_list_is_the_documented_one() -> None:
    from .conftest import ROOT

    security = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert f"`{', '.join(ALLOWED)}`" in security
