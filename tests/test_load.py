import os
from pathlib import Path

import pytest

from generator.records.load import MAX_FILE_BYTES, file_stamps, load, parse_yaml
from generator.records.problems import Problem


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_lines_and_columns_are_recorded_for_keys_and_list_items() -> None:
    problems: list[Problem] = []
    text = "title: T\nparties:\n  - organization: a\n    signature:\n      status: signed\n"
    parsed = parse_yaml(text, "x.yml", problems)
    assert parsed is not None and not problems
    _, lines, columns = parsed
    assert lines[("title",)] == 1
    assert lines[("parties", 0)] == 3
    assert lines[("parties", 0, "signature", "status")] == 5
    assert (columns[("title",)], columns[("parties", 0, "organization")], columns[("parties", 0, "signature")]) == (
        1,
        5,
        5,
    )
    assert columns[("parties", 0, "signature", "status")] == 7


def test_dates_stay_text_for_the_models() -> None:
    parsed = parse_yaml("date: 2013-07-05\nyear: 2013\n", "x.yml", [])
    assert parsed is not None
    assert parsed[0] == {"date": "2013-07-05", "year": 2013}


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    write(tmp_path / "organizations" / "kreis.yml", b"\xef\xbb\xbfname: K\xc3\xb6ln\nkind: Kreis\n")
    loaded = load(tmp_path)
    assert not loaded.problems
    assert loaded.records[0].data["name"] == "Köln"


def test_hidden_files_are_ignored(tmp_path: Path) -> None:
    write(tmp_path / "organizations" / ".kreis.yml.swp", b"\x00\x01")
    write(tmp_path / ".git" / "config", "x")
    assert load(tmp_path).problems == [] and load(tmp_path).records == []


def test_multiple_documents_are_a_syntax_error(tmp_path: Path) -> None:
    write(tmp_path / "organizations" / "kreis.yml", "name: A\n---\nname: B\n")
    assert [(p.code, p.line) for p in load(tmp_path).problems] == [("yaml-syntax", 2)]


def test_a_list_at_top_level_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "organizations" / "kreis.yml", "- name: A\n")
    assert [p.code for p in load(tmp_path).problems] == ["wrong-type"]


def test_tab_indentation_gets_a_hint(tmp_path: Path) -> None:
    write(tmp_path / "organizations" / "kreis.yml", "name: A\n\tkind: B\n")
    (problem,) = load(tmp_path).problems
    assert (problem.code, problem.line) == ("yaml-syntax", 2)
    assert "Tabulatoren" in problem.message


def test_non_yaml_file_in_a_record_folder(tmp_path: Path) -> None:
    write(tmp_path / "papers" / "notiz.txt", "x")
    (problem,) = load(tmp_path).problems
    assert (problem.code, problem.path) == ("invalid-id", "papers/notiz.txt")


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "organizations" / "kreis.yml", "name: &a [*a]\nkind: x\n")
    assert [p.code for p in load(tmp_path).problems] == ["too-complex"]


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    write(tmp_path / "organizations" / "kreis.yml", "name: K\nkind: K\n# " + "x" * 1_100_000 + "\n")
    assert [p.code for p in load(tmp_path).problems] == ["too-complex"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: " + "[" * 300_000 + "]" * 300_000 + "\n", "yaml-syntax"),  # nesting deeper than the parser goes
        ("".join(" " * i + "a:\n" for i in range(2000))[:MAX_FILE_BYTES], "yaml-syntax"),
        ("a: &a x\nb: [" + ",".join(["*a"] * 150_000) + "]\n", "too-complex"),
        ("a:\n" + "- x\n" * 240_000, "too-complex"),
        ("a: &a " + "Wort " * 10_000 + "\nb: [" + ",".join(["*a"] * 50) + "]\n", "too-complex"),  # 2.5 MB of text
        ("<<: {}\n" + "a: &a {x: 1}\n" + "".join(f"b{n}: {{<<: [*a, *a]}}\n" for n in range(1000)), "yaml-feature"),
    ],
)
def test_a_pathological_file_of_up_to_1_mb_is_refused_not_expanded(text: str, code: str) -> None:
    """Each of these is read in well under two seconds here (measured once; no timing is asserted)."""
    problems: list[Problem] = []
    assert parse_yaml(text, "x.yml", problems) is None
    assert [p.code for p in problems] == [code]


def test_a_duplicate_key_is_reported_and_the_first_value_kept_for_checking(tmp_path: Path) -> None:
    write(tmp_path / "organizations" / "kreis.yml", "name: A\nkind: K\nparent:\n  x: 1\nname: {b: [1, 2]}\n")
    loaded = load(tmp_path)
    (problem,) = loaded.problems
    assert (problem.code, problem.line, problem.column) == ("duplicate-key", 5, 1)
    assert "(zuerst in Zeile 1)" in problem.message
    (record,) = loaded.records  # the rest of the file is validated in the same run
    assert record.data == {"name": "A", "kind": "K", "parent": {"x": 1}}
    assert record.line(("name",)) == 1 and record.line(("name", "b")) == 1  # the second value left no lines


def test_a_refused_character_in_a_duplicate_value_is_still_found() -> None:
    problems: list[Problem] = []
    assert parse_yaml('name: A\nname: "B\\0"\n', "x.yml", problems) is None
    assert sorted(p.code for p in problems) == ["duplicate-key", "invalid-character"]


def test_the_preview_cache_checks_an_attachment_again_only_when_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import generator.records.load as loader
    from generator.records.attachments import refusal
    from generator.records.load import LoadCache

    pdf = write(tmp_path / "files" / "brief.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    write(tmp_path / "files" / "bild.png", b"not a png")
    opened: list[str] = []

    def counted(path: Path) -> str | None:
        opened.append(path.name)
        return refusal(path)

    monkeypatch.setattr(loader, "refusal", counted)
    cache: LoadCache = {}

    def run() -> tuple[list[str], list[tuple[str, str]], list[str]]:
        opened.clear()
        loaded = load(tmp_path, cache=cache, stamps=file_stamps(tmp_path))
        return sorted(opened), [(p.path, p.code) for p in loaded.problems], sorted(loaded.files)

    refused = ("files/bild.png", "attachment-type")
    assert run() == (["bild.png", "brief.pdf"], [refused], ["brief.pdf"])
    assert run() == ([], [refused], ["brief.pdf"])  # nothing changed: nothing opened, the same result
    pdf.write_bytes(b"<script>alert(1)</script> now some other bytes")
    os.utime(pdf, ns=(1, 1))
    assert run() == (["brief.pdf"], [refused, ("files/brief.pdf", "attachment-type")], [])


def test_a_loop_of_links_is_a_link_that_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "a.yml").symlink_to(tmp_path / "papers" / "b.yml")
    (tmp_path / "papers" / "b.yml").symlink_to(tmp_path / "papers" / "a.yml")
    found = file_stamps(tmp_path)
    assert found == {"papers/a.yml": (-1, -1, -1), "papers/b.yml": (-1, -1, -1)}


def test_a_file_removed_while_the_folder_is_read_is_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.yml", "b.yml"):
        (tmp_path / "papers").mkdir(exist_ok=True)
        (tmp_path / "papers" / name).write_text("title: x\n", encoding="utf-8")
    real = os.stat

    def vanishing(path: str, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).endswith("b.yml"):
            raise FileNotFoundError(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", vanishing)
    assert list(file_stamps(tmp_path)) == ["papers/a.yml"]
