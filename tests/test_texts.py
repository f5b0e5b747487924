"""Document texts: extracted page by page from generated PDFs (fpdf2; none is downloaded), kept in content/texts/,
corrections kept, quotes proven by check, a page per document, and hostile PDFs that give warnings, not crashes."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import pytest
import yaml
from fpdf import FPDF

from generator.editing.texts import extract_texts
from generator.pages.render import render
from generator.pipeline import Paths, check
from generator.records.problems import ContentError
from generator.records.texts import DocumentText, find_quote, normalize, parse_text, text_file

from .conftest import FIXTURES, page_link

PAGES = [
    "Bericht über die Zielvereinbarung 2020 bis 2021.",
    "Das Ministerium hat die Vereinbarung mit Schreiben vom 5. Juli 2020 ohne Unterschrift zurückgesandt; "
    "Grund sei eine juristische Kontroverse.",
    "Anlage: Kennzahlen.",
]


def pdf(path: Path, pages: list[str], *, password: str | None = None) -> Path:
    document = FPDF()
    document.set_font("helvetica", size=12)
    if password:
        document.set_encryption(owner_password=password, user_password=password)
    for text in pages:
        document.add_page()
        document.multi_cell(0, 8, text)
    document.output(str(path))
    return path


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """The valid fixture set with a three-page PDF as the main file of paper vorlage-2 and a quote from page 2."""
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", folder)
    pdf(folder / "files" / "bericht-2020.pdf", PAGES)
    paper = folder / "papers" / "vorlage-2.yml"
    data = yaml.safe_load(paper.read_text(encoding="utf-8"))
    data["main_file"] = {"title": "Bericht 2020", "file": "bericht-2020.pdf"}
    paper.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    quote_in_a_note(folder, "ohne Unterschrift zurückgesandt")
    return folder


def quote_in_a_note(content: Path, quote: str) -> None:
    """A note of agreement ziele-2021-offen whose source quotes page 2 of paper vorlage-2."""
    agreement = content / "agreements" / "ziele-2021-offen.yml"
    data = yaml.safe_load(agreement.read_text(encoding="utf-8"))
    data["notes"] = [
        {
            "text": "Das Ministerium hat nicht unterschrieben.",
            "source": {"paper": "vorlage-2", "page": 2, "quote": quote},
        }
    ]
    agreement.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_texts_are_extracted_page_by_page_and_quotes_are_proven(content: Path) -> None:
    result = extract_texts(content)
    assert result.counts["written"] == 1 and result.counts["pages"] == 3, result.lines()
    text = (content / "texts" / "bericht-2020.pdf.txt").read_text(encoding="utf-8")
    assert "=== Seite 2 ===\nDas Ministerium hat die Vereinbarung" in text
    site = check(Paths(content=content))
    assert site.records.quotes == {"proven": 2}  # this one, and the fixture set's own
    again = extract_texts(content)
    assert again.counts["unchanged"] == 1 and again.counts["written"] == 0


def test_a_changed_quote_fails_check_with_the_closest_passage(content: Path) -> None:
    extract_texts(content)
    agreement = content / "agreements" / "ziele-2021-offen.yml"
    agreement.write_text(
        agreement.read_text(encoding="utf-8").replace(
            "ohne Unterschrift zurückgesandt", "unterschrieben zurückgesandt"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as info:
        check(Paths(content=content))
    [problem] = info.value.problems
    assert problem.code == "quote-not-found" and problem.path == "agreements/ziele-2021-offen.yml"
    assert "auf Seite 2 von bericht-2020.pdf" in problem.message and "Unterschrift zurückgesandt" in problem.message


def test_an_editors_correction_survives_the_next_extraction_and_is_shown(content: Path) -> None:
    extract_texts(content)
    target = content / "texts" / "bericht-2020.pdf.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("Kennzahlen.", "Kennzahlen (korrigiert)."), "utf-8")
    result = extract_texts(content)
    assert result.counts["corrected"] == 1 and "Kennzahlen (korrigiert)." in target.read_text(encoding="utf-8")
    pages = {p.path: p.text for p in render(check(Paths(content=content)))}
    page = pages["dokumente/bericht-2020-pdf.md"]
    assert "Von Hand korrigiert" in page and "## Seite 3 { #seite-3 }" in page


def test_a_document_page_has_its_text_and_sources_link_to_the_page(content: Path) -> None:
    extract_texts(content)
    pages = {p.path: p.text for p in render(check(Paths(content=content)))}
    document = pages["dokumente/bericht-2020-pdf.md"]
    assert '# <span class="art">Dokument' in document and "## Seite 2 { #seite-2 }" in document
    assert "juristische Kontroverse" in document and "(PDF, " in document and "3 Seiten" in document
    agreement = pages["vereinbarungen/ziele-2021-offen.md"]
    assert 'href="../dokumente/bericht-2020-pdf.md&#35;seite-2" data-seite' in agreement
    assert '<q class="zitat" lang="de">ohne Unterschrift zurückgesandt</q>' in agreement
    assert page_link("Text lesen", "../dokumente/bericht-2020-pdf.md") in pages["vorlagen/vorlage-2.md"]


def test_a_quote_without_a_text_is_marked_as_not_checked(content: Path) -> None:
    site = check(Paths(content=content))  # no extraction: no text
    assert site.records.quotes == {"proven": 1, "unchecked": 1}
    pages = {p.path: p.text for p in render(site)}
    assert "(Zitat nicht geprüft)" in pages["vereinbarungen/ziele-2021-offen.md"]


def test_normalising_undoes_layout_only() -> None:
    assert normalize("Ziel-\nvereinbarung „gemeinsam“\n  mit\tdem MAIS") == 'Zielvereinbarung "gemeinsam" mit dem MAIS'
    assert normalize("Rhein-\nKreis") == "Rhein- Kreis"  # a capital after the hyphen: a compound, kept
    document = DocumentText("x.pdf", ("eins zwei", "drei vier"), (None, None), corrected=False)
    assert find_quote("drei vier", document, 2)[0] and not find_quote("drei vier", document, 1)[0]
    assert not find_quote("Drei vier", document, 2)[0]  # case is not normalised


def test_the_text_file_round_trips_with_printed_page_numbers() -> None:
    written = text_file("x.pdf", ["a", "b"], [None, "14"], tool="pypdfium2", day="2026-12-01")
    read = parse_text("x.pdf", written)
    assert read.pages == ("a", "b") and read.labels == (None, "14") and not read.corrected
    assert "=== Seite 2 (gedruckt: 14) ===" in written


@pytest.mark.slow
def test_hostile_pdfs_give_warnings_not_crashes(tmp_path: Path) -> None:
    files = tmp_path / "content" / "files"
    files.mkdir(parents=True)
    pdf(files / "verschluesselt.pdf", ["geheim"], password="x")
    good = pdf(tmp_path / "gut.pdf", PAGES).read_bytes()
    (files / "abgeschnitten.pdf").write_bytes(good[: len(good) // 3])
    (files / "kein-pdf.pdf").write_bytes(b"%PDF-1.7\n<html><script>alert(1)</script></html>\n")
    (files / "leer.pdf").write_bytes(b"")
    pdf(files / "gescannt.pdf", ["", ""])
    result = extract_texts(tmp_path / "content")
    warned = {name.removeprefix("files/") for name, _ in result.warnings}
    assert {"verschluesselt.pdf", "kein-pdf.pdf", "leer.pdf", "gescannt.pdf"} <= warned, result.lines()
    assert any("verschlüsselt" in message for name, message in result.warnings if name == "files/verschluesselt.pdf")
    scanned = parse_text("gescannt.pdf", (tmp_path / "content" / "texts" / "gescannt.pdf.txt").read_text("utf-8"))
    assert scanned.empty and len(scanned.pages) == 2


def bomb(path: Path, megabytes: int) -> Path:
    """A one-page PDF whose content stream inflates to ``megabytes`` MB: a decompression bomb."""
    packer = zlib.compressobj(9)
    chunk = b"BT /F1 12 Tf 10 10 Td (xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) Tj ET\n" * 16384
    data = b"".join(packer.compress(chunk) for _ in range(megabytes * 1024 * 1024 // len(chunk))) + packer.flush()
    return raw_pdf(path, [b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"])


def raw_pdf(path: Path, extra: list[bytes], catalog: bytes = b"") -> Path:
    """A PDF written by hand: one page whose content is the first of ``extra`` (object 4)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        *extra[:1],
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra[1:],
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(
        b"%010d 00000 n \n" % o for o in offsets
    )
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    path.write_bytes(bytes(out))
    return path


@pytest.mark.slow
def test_a_decompression_bomb_and_a_huge_document_are_stopped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.editing.texts as texts

    monkeypatch.setattr(texts, "MEMORY", 300 * 1024 * 1024)  # the child's limit, lowered so that the bomb stays small
    monkeypatch.setattr(texts, "MAX_PAGES", 3)
    files = tmp_path / "content" / "files"
    files.mkdir(parents=True)
    bomb(files / "bombe.pdf", 500)
    pdf(files / "lang.pdf", [f"Seite {n}" for n in range(1, 6)])
    result = extract_texts(tmp_path / "content")
    warnings = dict(result.warnings)
    assert "nicht lesbar" in warnings["files/bombe.pdf"] and "mehr als 3 Seiten" in warnings["files/lang.pdf"]
    long = parse_text("lang.pdf", (tmp_path / "content" / "texts" / "lang.pdf.txt").read_text("utf-8"))
    assert len(long.pages) == 3


def test_a_pdf_with_a_script_or_an_embedded_file_is_not_published(tmp_path: Path) -> None:
    from generator.records.attachments import refusal

    content = b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 10 10 Td (Hallo) Tj ET\nendstream"
    script = raw_pdf(tmp_path / "skript.pdf", [content], b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ")
    embedded = raw_pdf(tmp_path / "anhang.pdf", [content], b"/Names << /EmbeddedFiles << /Names [] >> >> ")
    plain = raw_pdf(tmp_path / "schlicht.pdf", [content])
    assert "Skripte" in (refusal(script) or "") and "eingebettete" in (refusal(embedded) or "")
    assert refusal(plain) is None and refusal(pdf(tmp_path / "gut.pdf", PAGES)) is None


def test_a_word_hyphenated_at_a_line_end_extracts_to_text_check_accepts(content: Path) -> None:
    pdf(content / "files" / "bericht-2020.pdf", ["Eins.", "Die Ausbildungs-\nbrücke wird fortgeführt."])
    extract_texts(content)
    text = (content / "texts" / "bericht-2020.pdf.txt").read_text(encoding="utf-8")
    assert "\ufffe" not in text
    agreement = content / "agreements" / "ziele-2021-offen.yml"
    quoted = agreement.read_text("utf-8").replace("ohne Unterschrift zurückgesandt", "Die Ausbildungsbrücke wird")
    agreement.write_text(quoted, "utf-8")
    assert check(Paths(content=content)).records.quotes["proven"] == 2


def test_the_text_format_survives_odd_pages_and_hand_made_files() -> None:
    tricky = ["eins\n=== Seite 3 ===\nnoch eins", "zwei"]
    read = parse_text("x.pdf", text_file("x.pdf", tricky, ["Anlage (A) ", None], tool="t", day="d"))
    assert read.pages == tuple(tricky) and read.labels == ("Anlage (A)", None) and not read.corrected
    assert parse_text("x.pdf", "\ufeff" + text_file("x.pdf", ["a", "b"], [None, None], tool="t", day="d")).pages == (
        "a",
        "b",
    )
    hand_made = parse_text("x.pdf", "Ein Text ohne Seitenzeilen.\n")
    assert hand_made.pages == ("Ein Text ohne Seitenzeilen.",) and hand_made.corrected


def test_quotes_are_found_only_where_they_stand() -> None:
    document = DocumentText(
        "x.pdf", ("Bahn-\nund Busverkehr. Ausbildungs\u00adbrücke. Pﬂicht", "zwei"), (None, None), corrected=False
    )
    assert find_quote("Bahn- und Busverkehr.", document, 1)[0]
    assert find_quote("Ausbildungsbrücke. Pflicht", document, 1)[0]  # a soft hyphen, a ligature
    assert not find_quote("zwei", document, 3)[0]  # a page beyond the text proves nothing
    long = DocumentText(
        "y.pdf", (" ".join(f"Wort{n}" for n in range(5000)) + " der gesuchte Satz steht hier",), (None,), False
    )
    found, closest = find_quote("der gesuchte Satz stand hier", long, 1)
    assert not found and closest.startswith("der gesuchte Satz steht hier")


def test_a_pdf_hiding_a_script_name_is_refused(tmp_path: Path) -> None:
    from generator.records.attachments import refusal

    content = b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 10 10 Td (Hallo) Tj ET\nendstream"
    spelled = raw_pdf(tmp_path / "versteckt.pdf", [content], b"/OpenAction << /S /J#61vaScript /J#53 (x) >> ")
    assert refusal(spelled) is not None
    padded = tmp_path / "gross.pdf"
    padding = b"%" + b"x" * ((1 << 20) - 5 - len(b"%PDF-1.7\n") - 2) + b"\n"
    padded.write_bytes(b"%PDF-1.7\n" + padding + b"/JavaScript (x)\n")
    assert refusal(padded) is not None  # the name straddles two chunks of the check


def test_a_quote_must_be_whole_words() -> None:
    text = DocumentText(
        "a.pdf", ("Die Verträge wurden nichts geändert; Grund sei eine juristische Kontroverse.",), (None,), False
    )
    assert find_quote("juristische Kontroverse.", text, 1)[0]
    assert find_quote("Grund sei", text, 1)[0]
    assert not find_quote("Vertrag", text, 1)[0]  # a part of "Verträge" is no quote
    assert not find_quote("wurden nicht", text, 1)[0]  # nor the start of "nichts"
    assert not find_quote("ristische Kontroverse", text, None)[0]


def test_a_text_no_document_names_is_a_warning_and_not_published(content: Path) -> None:
    extract_texts(content)
    (content / "texts" / "verwaist.pdf.txt").write_text("=== Seite 1 ===\nText ohne Dokument.\n", encoding="utf-8")
    site = check(Paths(content=content))
    assert [(w.code, w.path) for w in site.records.warnings if w.path.startswith("texts/")] == [
        ("unused-file", "texts/verwaist.pdf.txt")
    ]
    assert "verwaist.pdf" not in site.records.texts
    assert "dokumente/verwaist-pdf.md" not in {p.path for p in render(site)}
