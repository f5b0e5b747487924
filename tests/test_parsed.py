"""The build cache's parsed records: a build after a change parses only the changed files, and gives what parsing
every file gives; a damaged or foreign cache file is not used."""

import hashlib
import logging
import os
import shutil
from pathlib import Path

import pytest

from generator.records import load as load_module
from generator.records.load import Loaded, load
from generator.records.parsed import FILE_NAME, ParsedCache
from generator.records.problems import Problem
from generator.records.texts import parse_text

FIXTURES = Path(__file__).parent / "fixtures"
SETS = [FIXTURES / "valid", FIXTURES / "escaping", *sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())]


def _seen(loaded: Loaded) -> tuple[object, ...]:
    records = [(r.kind, r.id, r.path, r.data, r.lines, r.columns) for r in loaded.records]
    return records, loaded.texts, loaded.problems, loaded.unreadable, loaded.warnings


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file was parsed again")

    monkeypatch.setattr(load_module, "parse_yaml", refuse)


@pytest.mark.parametrize("content", SETS, ids=lambda p: p.name)
def test_the_cache_gives_what_parsing_gives(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = load(content)
    first = ParsedCache(tmp_path)
    assert _seen(load(content, parsed=first)) == _seen(fresh)
    first.save()
    _no_parsing(monkeypatch)
    again = ParsedCache(tmp_path)
    assert _seen(load(content, parsed=again)) == _seen(fresh)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parse_yaml is called for from now on."""
    parsed: list[str] = []
    real = load_module.parse_yaml

    def counting(text: str, rel: str, problems: list[Problem]) -> object:
        parsed.append(rel)
        return real(text, rel, problems)

    monkeypatch.setattr(load_module, "parse_yaml", counting)
    return parsed


def _copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content, symlinks=True)
    return content


def test_only_a_changed_file_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content, cache = _copy(tmp_path), tmp_path / "cache"
    first = ParsedCache(cache)
    load(content, parsed=first)
    first.save()
    changed = sorted((content / "papers").glob("*.yml"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nunbekannt: 1\n", encoding="utf-8")
    parsed = _counting(monkeypatch)
    again = load(content, parsed=ParsedCache(cache))
    assert parsed == [f"papers/{changed.name}"]
    assert _seen(again) == _seen(load(content))


def test_a_removed_file_leaves_the_cache(tmp_path: Path) -> None:
    content, cache = _copy(tmp_path), tmp_path / "cache"
    first = ParsedCache(cache)
    load(content, parsed=first)
    first.save()
    gone = sorted((content / "papers").glob("*.yml"))[0]
    gone.unlink()
    second = ParsedCache(cache)
    load(content, parsed=second)
    second.save()
    gone.write_text("title: [\n", encoding="utf-8")  # back, with other bytes: parsed, not taken from the cache
    assert [p.code for p in load(content, parsed=ParsedCache(cache)).problems] == ["yaml-syntax"]


def test_a_damaged_cache_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    content, cache = _copy(tmp_path), tmp_path / "cache"
    first = ParsedCache(cache)
    fresh = load(content, parsed=first)
    first.save()
    blob = (cache / FILE_NAME).read_bytes()
    assert b"Zielvereinbarung" in blob
    (cache / FILE_NAME).write_bytes(blob.replace(b"Zielvereinbarung", b"Zielvereinbarunx", 1))  # still marshal
    with caplog.at_level(logging.WARNING, logger="generator.records.stored"):
        again = load(content, parsed=ParsedCache(cache))
    assert "is damaged" in caplog.text
    assert _seen(again) == _seen(fresh)


def test_a_cache_from_another_version_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content, cache = _copy(tmp_path), tmp_path / "cache"
    first = ParsedCache(cache)
    load(content, parsed=first)
    first.save()
    blob = (cache / FILE_NAME).read_bytes()
    (cache / FILE_NAME).write_bytes(blob.replace(b"parsed-records ", b"parsed-records 0", 1))
    parsed = _counting(monkeypatch)
    load(content, parsed=ParsedCache(cache))
    assert len(parsed) == len(list(content.glob("*/*.yml")))


def test_nothing_is_written_when_nothing_changed(tmp_path: Path) -> None:
    content, cache = _copy(tmp_path), tmp_path / "cache"
    first = ParsedCache(cache)
    load(content, parsed=first)
    first.save()
    os.utime(cache / FILE_NAME, ns=(10**18, 10**18))  # a time no write of now gives
    second = ParsedCache(cache)
    load(content, parsed=second)
    second.save()
    assert (cache / FILE_NAME).stat().st_mtime_ns == 10**18
    (content / "papers" / "neu.yml").write_text("title: [\n", encoding="utf-8")
    third = ParsedCache(cache)
    load(content, parsed=third)
    third.save()
    assert (cache / FILE_NAME).stat().st_mtime_ns != 10**18


def test_document_texts_go_through_the_cache_as_they_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content, cache = _copy(tmp_path), tmp_path / "cache"
    texts = content / "texts"
    (texts / "windows.pdf.txt").write_bytes(b"\xef\xbb\xbf# Seite 1\r\nerste Zeile\r\nzweite\rdritte\r\n")
    (texts / "kaputt.pdf.txt").write_bytes(b"Text \xff\n")
    (texts / "steuerzeichen.pdf.txt").write_bytes(b"Text \x07 mit Klingel\n")
    (texts / "von-hand.pdf.txt").write_text("Ein Absatz.\n\nNoch einer.\n", encoding="utf-8")
    fresh = load(content)
    assert {"windows.pdf", "von-hand.pdf"} <= fresh.texts.keys()
    as_text = (texts / "windows.pdf.txt").read_text(encoding="utf-8")  # how texts were read before the cache
    assert fresh.texts["windows.pdf"] == parse_text("windows.pdf", as_text)
    assert fresh.texts["windows.pdf"].pages == ("erste Zeile\nzweite\ndritte",)
    assert {p.path for p in fresh.problems} >= {"texts/kaputt.pdf.txt", "texts/steuerzeichen.pdf.txt"}
    first = ParsedCache(cache)
    assert _seen(load(content, parsed=first)) == _seen(fresh)
    first.save()
    monkeypatch.setattr(load_module, "parse_text", lambda *a: pytest.fail("a text was parsed again"))
    assert _seen(load(content, parsed=ParsedCache(cache))) == _seen(fresh)


def test_entries_of_another_shape_are_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The checksum proves no shape: an entry that is no parse result (or names an unknown problem code) makes the
    file damaged, and every file is parsed."""
    from generator.records.parsed import _header
    from generator.records.stored import write_stored

    content, cache = _copy(tmp_path), tmp_path / "cache"
    fresh = load(content)
    paper = sorted((content / "papers").glob("*.yml"))[0]
    digest = hashlib.sha256(paper.read_bytes()).digest()
    rel = f"papers/{paper.name}"
    for wrong in [
        (digest, (("record", "papers", "p"), ())),
        (digest, (None, (("x", 1, "gibt-es-nicht", "m", True, 1),))),
        7,
    ]:
        write_stored(cache / FILE_NAME, _header(), {rel: wrong})
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            assert _seen(load(content, parsed=ParsedCache(cache))) == _seen(fresh)
        assert "is damaged" in caplog.text
