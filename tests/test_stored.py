"""The files of plain data a build or import keeps (records/stored.py): a foreign, damaged or wrongly shaped one is
not used; what cannot be stored, or a folder in the way, is a warning, never a traceback."""

import logging
from pathlib import Path

import pytest

from generator.records.stored import PACKAGE, code_files, header, is_tuple, read_stored, write_stored

HEAD = header("test", parts=["format 1"], files=[])


def pairs(value: object) -> bool:
    return is_tuple(value, bytes, str)


def test_what_is_written_is_read(tmp_path: Path) -> None:
    table = {"a": (b"\x00" * 32, "eins"), "b": (b"", "zwei")}
    write_stored(tmp_path / "t.marshal", HEAD, table)
    assert read_stored(tmp_path / "t.marshal", HEAD, entry=pairs) == table
    assert read_stored(tmp_path / "t.marshal", header("test", parts=["format 2"], files=[]), entry=pairs) == {}


def test_damaged_or_wrongly_shaped_is_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "t.marshal"
    write_stored(path, HEAD, {"a": (b"x", "eins")})
    path.write_bytes(path.read_bytes().replace(b"eins", b"zwei"))
    with caplog.at_level(logging.WARNING):
        assert read_stored(path, HEAD, entry=pairs) == {}
    assert "checksum does not match" in caplog.text
    caplog.clear()
    write_stored(path, HEAD, {"a": 7})  # a valid checksum is no proof of the shape
    with caplog.at_level(logging.WARNING):
        assert read_stored(path, HEAD, entry=pairs) == {}
    assert "not a table of the expected entries" in caplog.text


def test_what_marshal_cannot_store_and_a_folder_in_the_way_are_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import datetime as dt

    path = tmp_path / "t.marshal"
    with caplog.at_level(logging.WARNING):
        write_stored(path, HEAD, {"a": dt.date(2020, 1, 1)})
    assert "not written" in caplog.text and not path.exists() and not list(tmp_path.iterdir())
    path.mkdir()
    (path / "x").write_text("x", encoding="utf-8")
    write_stored(path, HEAD, {"a": (b"x", "eins")})
    assert read_stored(path, HEAD, entry=pairs) == {"a": (b"x", "eins")}


def test_the_header_changes_with_the_code_it_names(tmp_path: Path) -> None:
    module = tmp_path / "modul.py"
    module.write_text("x = 1\n", encoding="utf-8")
    before = header("test", parts=["format 1"], files=[module])
    module.write_text("x = 2\n", encoding="utf-8")
    assert header("test", parts=["format 1"], files=[module]) != before
    assert header("test", parts=["format 2"], files=[module]) != header("test", parts=["format 1"], files=[module])


def test_code_files_are_every_module_and_template() -> None:
    every = {p for p in PACKAGE.rglob("*") if p.suffix in {".py", ".j2"} and p.is_file()}
    assert set(code_files(".")) == every
    assert PACKAGE / "records" / "dates.py" in every and PACKAGE / "pages" / "templates" / "papers.md.j2" in every
