"""The bad-input corpus: every kind of mistake an editor (or a hostile file) can make.

Each case changes a copy of the valid fixture set and runs ``python -m generator build`` as an editor would. It
must end with exit code 1, name the file (and line) with a stable code, print no traceback, leave the previous
site byte for byte as it was, and leave the content folder untouched.
"""

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import cli
from generator.records.load import MAX_FILE_BYTES

from .conftest import CONFIG, FIXTURES

ALIAS_BOMB = b'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' + b"".join(
    f"{n}: &{n} [{','.join(['*' + p] * 10)}]\n".encode() for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def symlink_to_outside(content: Path) -> None:
    outside = content.parent / "geheim.yml"
    outside.write_text("name: Geheim\nkind: Behörde\n", encoding="utf-8")
    (content / "organizations" / "geheim.yml").symlink_to(outside)


def symlinked_folder(content: Path) -> None:
    outside = content.parent / "anderswo"
    outside.mkdir()
    (outside / "x.yml").write_text("name: X\nkind: Y\n", encoding="utf-8")
    (content / "papers" / "mehr").symlink_to(outside, target_is_directory=True)


Change = dict[str, bytes] | Callable[[Path], None]
PAPER = b"reference: 9/9/2020\ntitle: T\npaper_type: Vorlage\n"
# A merge key at the top, then aliases nested a few levels: PyYAML expands merges itself, around the alias budget
# (1.5 KB took 81 s and 1 GB before merge keys were refused).
MERGE_BOMB = b"<<: {}\na: &a {x: 1, y: 2, z: 3}\n" + b"".join(
    f"{n}: &{n} {{<<: [{', '.join(['*' + p] * 10)}]}}\n".encode() for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def indicator(value: bytes) -> dict[str, bytes]:
    return {
        "agreements/x.yml": b"title: X\nkind: Zielvereinbarung\nsummary: S\n"
        b"goals:\n  - title: Z\n    indicators:\n      - name: N\n        unit: Personen\n        target:\n"
        b"          value: " + value + b"\n"
    }


# name: (files to add or replace, code, path, line)
CASES: dict[str, tuple[Change, str, str, int]] = {
    "YAML syntax": ({"organizations/x.yml": b"name: X\nkind: Y\n  bad: z\n"}, "yaml-syntax", "organizations/x.yml", 3),
    "tab for indentation": ({"organizations/x.yml": b"name: X\n\tkind: Y\n"}, "yaml-syntax", "organizations/x.yml", 2),
    "duplicate key": (
        {"organizations/x.yml": b"name: X\nkind: Y\nname: Z\n"},
        "duplicate-key",
        "organizations/x.yml",
        3,
    ),
    "wrong type": ({"organizations/x.yml": b"name: [a, b]\nkind: Y\n"}, "wrong-type", "organizations/x.yml", 1),
    "unknown field": (
        {"organizations/x.yml": b"name: X\nkind: Y\nwebseite: https://x.example\n"},
        "unknown-field",
        "organizations/x.yml",
        3,
    ),
    "missing field": ({"organizations/x.yml": b"kind: Y\n"}, "missing-field", "organizations/x.yml", 1),
    "unknown reference": (
        {"papers/x.yml": PAPER + b"organization: gibt-es-nicht\n"},
        "unknown-reference",
        "papers/x.yml",
        4,
    ),
    "duplicate id across files": (
        {"organizations/kreis.yaml": b"name: X\nkind: Y\n"},
        "duplicate-id",
        "organizations/kreis.yml",
        1,
    ),
    "duplicate paper reference across files": (
        {"papers/x.yml": b"reference: 10/1/2020\ntitle: T\npaper_type: Beschlussvorlage\n"},
        "duplicate-reference",
        "papers/x.yml",
        1,
    ),
    "impossible date": ({"papers/x.yml": PAPER + b"date: 2013-02-30\n"}, "invalid-date", "papers/x.yml", 4),
    "malformed date": ({"papers/x.yml": PAPER + b"date: 5.7.2013\n"}, "invalid-date", "papers/x.yml", 4),
    "empty file": ({"organizations/x.yml": b""}, "empty-file", "organizations/x.yml", 1),
    "Latin-1 file": (
        {"organizations/x.yml": "name: Köln\nkind: Y\n".encode("latin-1")},
        "not-utf8",
        "organizations/x.yml",
        1,
    ),
    "binary file": (
        {"organizations/x.yml": bytes(range(256)) * 4},
        "not-utf8",
        "organizations/x.yml",
        2,
    ),  # after byte 10, a line break
    "huge file": (
        {"organizations/x.yml": b"name: X\nkind: Y\n#" + b"x" * MAX_FILE_BYTES},
        "too-complex",
        "organizations/x.yml",
        1,
    ),
    "YAML alias bomb": ({"organizations/x.yml": ALIAS_BOMB}, "too-complex", "organizations/x.yml", 1),
    "id with dots": ({"organizations/a..b.yml": b"name: X\nkind: Y\n"}, "invalid-id", "organizations/a..b.yml", 1),
    "id in uppercase": (
        {"organizations/Kreis-Neu.yml": b"name: X\nkind: Y\n"},
        "invalid-id",
        "organizations/Kreis-Neu.yml",
        1,
    ),
    "names differing only in case": (
        {"organizations/KREIS.yml": b"name: X\nkind: Y\n"},
        "invalid-id",
        "organizations/KREIS.yml",
        1,
    ),
    "attachment name in uppercase": ({"files/Plan.PDF": b"%PDF-1.4\n"}, "invalid-id", "files/Plan.PDF", 1),
    "reference climbing out": (
        {"papers/x.yml": PAPER + b"organization: ../../etc/passwd\n"},
        "unknown-reference",
        "papers/x.yml",
        4,
    ),
    "former id with a slash": (
        {"papers/x.yml": PAPER + b"former_ids: [vorlagen/alt]\n"},
        "invalid-value",
        "papers/x.yml",
        4,
    ),
    "attachment climbing out": (
        {"papers/x.yml": PAPER + b"attachments:\n  - title: A\n    file: ../../etc/passwd\n"},
        "invalid-value",
        "papers/x.yml",
        6,
    ),
    "symlink to a file outside content": (symlink_to_outside, "symlink", "organizations/geheim.yml", 1),
    "symlink to a folder": (symlinked_folder, "symlink", "papers/mehr", 1),
    "file in an unknown folder": ({"personen/max.yml": b"name: Max\n"}, "unknown-folder", "personen/max.yml", 1),
    "record without .yml": ({"organizations/x.txt": b"name: X\nkind: Y\n"}, "invalid-id", "organizations/x.txt", 1),
    # The hostile-input corpus (issue 12): what passed check and crashed build, or slipped through.
    "YAML merge-key bomb": ({"organizations/x.yml": MERGE_BOMB}, "yaml-feature", "organizations/x.yml", 1),
    "a type tag": (
        {"organizations/x.yml": b"name: !!binary aGVsbG8=\nkind: Y\n"},
        "yaml-feature",
        "organizations/x.yml",
        1,
    ),
    "indicator value .nan": (indicator(b".nan"), "invalid-value", "agreements/x.yml", 10),
    "indicator value -.inf": (indicator(b"-.inf"), "invalid-value", "agreements/x.yml", 10),
    "indicator value 1e309": (indicator(b"1e309"), "invalid-value", "agreements/x.yml", 10),
    "an integer of 5,000 digits": (
        {
            "papers/x.yml": PAPER
            + b"attachments: [{title: A, online: false, source: {paper: x, page: "
            + b"9" * 5000
            + b"}}]\n"
        },
        "invalid-value",
        "papers/x.yml",
        4,
    ),
    "a hexadecimal integer of 4,000 digits": (
        {"papers/x.yml": PAPER + b"summary: 0x" + b"f" * 4000 + b"\n"},
        "invalid-value",
        "papers/x.yml",
        4,
    ),
    "id of 250 characters": (
        {f"organizations/{'a' * 250}.yml": b"name: X\nkind: Y\n"},
        "invalid-id",
        f"organizations/{'a' * 250}.yml",
        1,
    ),
    "former id of 250 characters": (
        {"papers/x.yml": PAPER + b"former_ids: [" + b"a" * 250 + b"]\n"},
        "invalid-value",
        "papers/x.yml",
        4,
    ),
    "the id index": ({"organizations/index.yml": b"name: X\nkind: Y\n"}, "invalid-id", "organizations/index.yml", 1),
    "the id jahre": ({"papers/jahre.yml": PAPER}, "invalid-id", "papers/jahre.yml", 1),
    "former id index": ({"papers/x.yml": PAPER + b"former_ids: [index]\n"}, "invalid-value", "papers/x.yml", 4),
    "NUL in a title": (
        {"papers/x.yml": b'reference: 9/9/2020\ntitle: "T\\0"\npaper_type: V\n'},
        "invalid-character",
        "papers/x.yml",
        2,
    ),
    "U+FFFE in a title": (
        {"papers/x.yml": b'reference: 9/9/2020\ntitle: "T\\uFFFE"\npaper_type: V\n'},
        "invalid-character",
        "papers/x.yml",
        2,
    ),
    "a raw control character": ({"papers/x.yml": PAPER + b"summary: a\x1bb\n"}, "invalid-character", "papers/x.yml", 4),
    "a bidi override in a title": (
        {"papers/x.yml": "reference: 9/9/2020\ntitle: Vorlage \u202e3102/9\npaper_type: V\n".encode()},
        "invalid-character",
        "papers/x.yml",
        2,
    ),
    "an SVG attachment with a script": (
        {
            "files/anlage.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b"<script>alert(2)</script></svg>"
        },
        "attachment-type",
        "files/anlage.svg",
        1,
    ),
    "an HTML page as attachment": (
        {"files/index.html": b"<script>alert(1)</script>"},
        "attachment-type",
        "files/index.html",
        1,
    ),
    "JavaScript as attachment": ({"files/x.js": b"alert(1)"}, "attachment-type", "files/x.js", 1),
    "HTML named .pdf": (
        {"files/brief.pdf": b"<html><script>alert(1)</script>"},
        "attachment-type",
        "files/brief.pdf",
        1,
    ),
    "HTML named .txt": (
        {"files/liesmich.txt": b"<!doctype html><script>alert(1)</script>"},
        "attachment-type",
        "files/liesmich.txt",
        1,
    ),
    "a ZIP named .docx": ({"files/brief.docx": b"PK\x03\x04 kein Word"}, "attachment-type", "files/brief.docx", 1),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[rel] = path.read_bytes()
    return found


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_reported_and_changes_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change, code, path, line = CASES[case]
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    if callable(change):
        change(content)
    else:
        for rel, data in change.items():
            (content / rel).parent.mkdir(parents=True, exist_ok=True)
            (content / rel).write_bytes(data)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("die bisherige Website\n", encoding="utf-8")
    before_site, before_content = snapshot(site), snapshot(content)

    status = cli.main(
        [
            "build",
            "--content",
            str(content),
            "--site",
            str(site),
            "--docs",
            str(tmp_path / "docs"),
            "--config",
            str(CONFIG),
        ]
    )

    out, err = capsys.readouterr()
    assert status == 1, out + err
    assert f"{content.as_posix()}/{path}:{line}:" in out and f": {code} " in out, out
    assert "Traceback" not in out + err
    assert snapshot(site) == before_site
    assert snapshot(content) == before_content
    assert not (tmp_path / "docs").exists()  # nothing is rendered from content with problems


def test_a_utf8_bom_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    (content / "organizations" / "koeln.yml").write_bytes("\ufeffname: Köln\nkind: Stadt\n".encode())
    assert cli.main(["check", "--content", str(content)]) == 0, capsys.readouterr().out


PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_markup_and_script_in_every_text_field_stay_text(tmp_path: Path) -> None:
    from generator.pipeline import Paths, build

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    p = f"'{PAYLOAD}'"
    (content / "organizations" / "boese.yml").write_text(f"name: {p}\nshort_name: {p}\nkind: {p}\n", encoding="utf-8")
    (content / "target_groups" / "boese.yml").write_text(f"name: {p}\ndescription: {p}\n", encoding="utf-8")
    (content / "papers" / "boese.yml").write_text(
        f"reference: {p}\ntitle: {p}\npaper_type: {p}\nsummary: {p}\norganization: boese\n"
        f"attachments: [{{title: {p}, online: false}}]\n"
        f"consultations: [{{session: boese, agenda_item: {p}, role: {p}}}]\n",
        encoding="utf-8",
    )
    (content / "sessions" / "boese.yml").write_text(
        f"name: {p}\norganization: boese\ndate: 2020-05-05\nlocation: {p}\n"
        f"agenda_items: [{{number: {p}, title: {p}, paper: boese, result: {p}, resolution: {p}}}]\n",
        encoding="utf-8",
    )
    (content / "agreements" / "boese.yml").write_text(
        f"title: {p}\nkind: {p}\nlegal_basis: {p}\nsummary: {p}\n"
        f"parties: [{{organization: boese, role: {p}, signature: {{status: refused, reason: {p}}}}}]\n"
        f"target_groups: [{{name: {p}, group: boese}}]\n"
        f"goals: [{{title: {p}, description: {p}, indicators: [{{name: {p}, unit: {p}, target: {{value: 1}}}}]}}]\n"
        f"events: [{{text: {p}}}]\nnotes: [{{text: {p}}}]\ndocuments: [{{title: {p}, online: false}}]\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    build(Paths(content=content, site=site, docs=tmp_path / "docs", config=CONFIG))
    pages = [site / "vereinbarungen" / "boese" / "index.html", site / "vorlagen" / "boese" / "index.html"]
    pages += [site / "sitzungen" / "boese" / "index.html", site / "organisationen" / "boese" / "index.html"]
    for page in [*pages, *site.rglob("*.html")]:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, page
    agreement = pages[0].read_text(encoding="utf-8")
    assert agreement.count("&lt;script&gt;alert") >= 10  # shown as text, field after field
    record = (site / "vereinbarungen" / "boese.json").read_text(encoding="utf-8")
    assert PAYLOAD.replace('"', '\\"') in record  # the data itself is kept as it was typed


def test_a_good_build_changes_nothing_in_content(tmp_path: Path) -> None:
    from generator.pipeline import Paths, build

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    before = snapshot(content)
    build(Paths(content=content, site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    assert snapshot(content) == before
