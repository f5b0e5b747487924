"""The importer's view of content/ (importing/store.py): with the import's cache folder, a record file whose bytes are
as at the last import is not parsed again, and the store is the one parsing every file gives."""

import logging
from pathlib import Path

import pytest

from generator.importing import store as store_module
from generator.importing.store import READ_CACHE, Store, StoreError


def write(content: Path, rel: str, text: str) -> Path:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    write(folder, "papers/vorlage-1.yml", "title: Eins\ndate: 2013-07-05\noparl:\n  id: https://ris.example/paper/1\n")
    write(folder, "papers/vorlage-2.yml", "title: Zwei\nkeywords: []\n")  # no OParl id: an editor's record
    write(folder, "organizations/kreis.yml", "name: Kreis\noparl:\n  id: https://ris.example/org/1\n")
    return folder


def seen(store: Store) -> tuple[object, ...]:
    return store.ids, {k: (e.kind, e.id, e.path, e.data) for k, e in store.records.items()}


def parsing(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files parsed from now on."""
    parsed: list[Path] = []
    real = store_module.read_record

    def counting(path: Path, raw: bytes | None = None) -> object:
        parsed.append(path)
        return real(path, raw)

    monkeypatch.setattr(store_module, "read_record", counting)
    return parsed


def test_an_unchanged_file_is_not_parsed_again(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    fresh = Store.read(content)
    assert fresh.records["https://ris.example/paper/1"].data["date"] == "2013-07-05"  # as the importer writes it
    assert seen(Store.read(content, cache=cache)) == seen(fresh)
    assert (cache / READ_CACHE).is_file()
    parsed = parsing(monkeypatch)
    assert seen(Store.read(content, cache=cache)) == seen(fresh)
    assert parsed == []
    changed = write(content, "papers/vorlage-2.yml", "title: Zwei neu\noparl:\n  id: https://ris.example/paper/2\n")
    again = Store.read(content, cache=cache)
    assert parsed == [changed]
    assert seen(again) == seen(Store.read(content))


def test_a_broken_file_stops_the_import_with_or_without_the_cache(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    Store.read(content, cache=cache)
    write(content, "papers/vorlage-1.yml", "title: [\n")
    with pytest.raises(StoreError, match=r"vorlage-1\.yml: nicht lesbar"):
        Store.read(content, cache=cache)
    write(content, "papers/vorlage-3.yml", "title: Drei\noparl:\n  id: https://ris.example/paper/1\n")
    write(content, "papers/vorlage-1.yml", "title: Eins\noparl:\n  id: https://ris.example/paper/1\n")
    with pytest.raises(StoreError, match="dieselbe oparl-Adresse"):
        Store.read(content, cache=cache)


def test_a_damaged_cache_is_read_anew(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    fresh = seen(Store.read(content, cache=cache))
    blob = (cache / READ_CACHE).read_bytes()
    (cache / READ_CACHE).write_bytes(blob.replace(b"Kreis", b"Kreix"))
    parsed = parsing(monkeypatch)
    with caplog.at_level(logging.WARNING):
        assert seen(Store.read(content, cache=cache)) == fresh
    assert "is damaged" in caplog.text and len(parsed) == 3


def test_an_import_leaves_the_read_cache_as_it_leaves_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.importing.run import import_oparl

    from .oparl_replay import Replay
    from .test_importing import BASE, CRAWL

    content, cache = tmp_path / "c", tmp_path / "i"
    with Replay(CRAWL, base=BASE) as server:
        import_oparl(server.url + "system", content=content, cache=cache, delay=0.0)
        parsed = parsing(monkeypatch)
        import_oparl(server.url + "system", content=content, cache=cache, delay=0.0)
    assert parsed == []  # nothing changed at the source: no file parsed, none written
    assert len(Store.read(content).ids) > 2000


def test_a_value_the_cache_cannot_hold_is_a_warning(
    content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(content, "papers/vorlage-9.yml", "title: Neun\ndates: !!set {2020-01-01: null}\n")
    with caplog.at_level(logging.WARNING):
        store = Store.read(content, cache=tmp_path / "cache")
    assert "not written" in caplog.text
    assert seen(store) == seen(Store.read(content))
