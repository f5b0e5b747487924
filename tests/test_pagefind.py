"""Which Pagefind runs (generator/publish/pagefind.py) and how `make` installs it (scripts/pagefind_npm.py)."""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import sys
import tarfile
from pathlib import Path

import pytest

from generator.publish import pagefind
from scripts import pagefind_npm


def test_the_binary_make_installed_beside_python_runs_unless_another_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python = tmp_path / "bin" / "python"
    python.parent.mkdir()
    monkeypatch.setattr(sys, "executable", str(python))
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    assert pagefind.command() == [str(python), "-m", "pagefind"]  # nothing beside it: PyPI's Pagefind
    beside = python.parent / "pagefind_extended"
    beside.write_text("")
    assert pagefind.command() == [str(python), "-m", "pagefind"]  # not executable (a broken download): not used
    beside.chmod(0o755)
    assert pagefind.command() == [str(beside)]
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/opt/pagefind")  # PyPI's wrapper runs the named one
    assert pagefind.command() == [str(python), "-m", "pagefind"]


def test_the_installed_pagefind_is_the_pinned_release() -> None:
    """`make test` installed it: the build and the build cache's key name the same version."""
    if pagefind_npm.platform_key() not in pagefind_npm.INTEGRITY:
        pytest.skip(f"no pinned Pagefind build for {pagefind_npm.platform_key()}")
    if not (Path(sys.executable).parent / pagefind.BESIDE_PYTHON).is_file():
        pytest.skip("installed without make: PyPI's Pagefind")
    assert pagefind.version() == f"pagefind {pagefind_npm.VERSION}"


def _tarball(content: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo(f"package/bin/{pagefind_npm.EXECUTABLE}")
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


class _Response(io.BytesIO):
    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


def test_a_download_whose_checksum_differs_is_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _tarball(b"#!/bin/sh\necho pagefind " + pagefind_npm.VERSION.encode() + b"\n")
    monkeypatch.setattr(pagefind_npm, "platform_key", lambda: "linux-x64")
    monkeypatch.setattr("urllib.request.urlopen", lambda url, timeout: _Response(fake))
    with pytest.raises(SystemExit, match="checksum differs from the pinned one"):
        pagefind_npm.install(tmp_path)
    assert list(tmp_path.iterdir()) == []
    # The same archive with its checksum pinned is unpacked, made executable and checked by running it.
    digest = base64.b64encode(hashlib.sha512(fake).digest()).decode()
    monkeypatch.setitem(pagefind_npm.INTEGRITY, "linux-x64", f"sha512-{digest}")
    assert pagefind_npm.install(tmp_path).startswith(f"Pagefind {pagefind_npm.VERSION}: installed from https://")
    assert pagefind_npm.installed_version(tmp_path / pagefind_npm.EXECUTABLE) == pagefind_npm.VERSION
    assert pagefind_npm.install(tmp_path) == f"Pagefind {pagefind_npm.VERSION}: installed"  # no second download


def test_a_platform_without_a_pinned_build_keeps_pypi_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagefind_npm, "platform_key", lambda: "sunos-sparc")
    assert "no pinned build for sunos-sparc" in pagefind_npm.install(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_offline_the_install_says_so_and_leaves_pypi_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def offline(url: str, timeout: float) -> None:
        raise OSError("Network is unreachable")

    monkeypatch.setattr(pagefind_npm, "platform_key", lambda: "linux-x64")
    monkeypatch.setattr("urllib.request.urlopen", offline)
    said = pagefind_npm.install(tmp_path)
    assert said.startswith("Warnung: Pagefind 1.6.0 not downloaded (Network is unreachable)")
    assert list(tmp_path.iterdir()) == []


def test_pagefind_runs_without_its_own_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A forced language or another output folder would change the index behind the build cache's back."""
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "fr")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/opt/pagefind")
    environment = pagefind.environment()
    assert "PAGEFIND_FORCE_LANGUAGE" not in environment and environment["PAGEFIND_BINARY_PATH"] == "/opt/pagefind"


def small_site(folder: Path, pages: dict[str, str]) -> Path:
    """A site of ``pages`` (address → text), each page indexed by Pagefind."""
    for address, text in pages.items():
        page = folder / address.strip("/") / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f'<!doctype html><html lang="de"><head><title>{text}</title></head>'
            f"<body><main data-pagefind-body><h1>{text}</h1><p>{text} steht hier.</p></main></body></html>",
            encoding="utf-8",
        )
    return folder


def index(site: Path) -> Path:
    from generator.publish.builder import index_search

    index_search(site)
    return site / "pagefind"


def stamp(path: Path) -> tuple[int, int]:
    """A file's inode and time: a file Pagefind opened to write anew has another time."""
    return path.stat().st_ino, path.stat().st_mtime_ns


def fragments(folder: Path) -> dict[str, str | None]:
    """Each fragment file of an index and the page it is of."""
    return {p.name: pagefind._fragment_url(p) for p in sorted((folder / pagefind.FRAGMENTS).iterdir())}


PAGES = {"/a/": "Haushaltssatzung", "/b/": "Schulentwicklungsplan", "/c/": "Zielvereinbarung"}


def test_only_the_unchanged_pages_fragments_are_kept_for_the_next_index(tmp_path: Path) -> None:
    folder = index(small_site(tmp_path / "site", PAGES))
    (folder / pagefind.FRAGMENTS / "kaputt.pf_fragment").write_bytes(b"no gzip")
    before = fragments(folder)
    assert sorted(url for url in before.values() if url) == ["/a/", "/b/", "/c/"]
    kept = pagefind.keep_fragments(folder, unchanged={"/a/", "/c/", "/nicht-da/"})
    assert sorted(kept.values()) == ["/a/", "/c/"]
    assert [p.name for p in folder.iterdir()] == [pagefind.FRAGMENTS]  # the rest is written anew
    assert fragments(folder) == {name: url for name, url in before.items() if url in {"/a/", "/c/"}}
    assert pagefind.keep_fragments(folder, unchanged=set()) == {} and list(folder.iterdir()) == []


def test_a_fragments_page_the_last_build_found_is_not_read_again(tmp_path: Path) -> None:
    folder = index(small_site(tmp_path / "site", PAGES))
    found = {name: url for name, url in fragments(folder).items() if url}
    a = next(name for name, url in found.items() if url == "/a/")
    # Told that a's file is of /b/ (as the cache recorded it), it is kept as /b/'s: the file was not read.
    kept = pagefind.keep_fragments(folder, unchanged={"/b/", "/c/"}, known={**found, a: "/b/"})
    assert kept[a] == "/b/" and sorted(kept.values()) == ["/b/", "/b/", "/c/"]


def test_an_index_over_kept_fragments_is_the_clean_one_and_left_over_ones_go(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", PAGES)
    folder = index(site)
    small_site(site, {"/b/": "Schulentwicklungsplan 2030"})
    kept = pagefind.keep_fragments(folder, unchanged={"/a/", "/c/"})
    untouched = {name: stamp(folder / pagefind.FRAGMENTS / name) for name in kept}
    (folder / pagefind.FRAGMENTS / "de_0000000.pf_fragment").write_bytes(
        (folder / pagefind.FRAGMENTS / next(iter(kept))).read_bytes()
    )
    kept["de_0000000.pf_fragment"] = kept[next(iter(kept))]  # a kept file the new index does not name
    index(site)
    assert pagefind.prune_fragments(folder, kept) == fragments(folder)  # each file's page, for the next build
    assert not (folder / pagefind.FRAGMENTS / "de_0000000.pf_fragment").exists()
    assert all(stamp(folder / pagefind.FRAGMENTS / name) == was for name, was in untouched.items())
    clean = index(small_site(tmp_path / "clean", {**PAGES, "/b/": "Schulentwicklungsplan 2030"}))
    assert files(folder) == files(clean)


def files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_kept_fragment_under_the_name_of_another_pages_is_found(tmp_path: Path) -> None:
    """Seven hex digits of a hash name a fragment: a kept file may bear the name the changed page's new fragment
    gets, with another page's content. Pagefind then keeps it, and that page has two fragments: the index is not
    whole."""
    site = small_site(tmp_path / "site", PAGES)
    folder = index(site)
    small_site(site, {"/b/": "Schulentwicklungsplan 2030"})
    new_b = next(name for name, url in fragments(index(site)).items() if url == "/b/")
    index(small_site(site, {"/b/": "Schulentwicklungsplan"}))
    kept = pagefind.keep_fragments(folder, unchanged={"/a/", "/c/"})
    a = next(name for name, url in kept.items() if url == "/a/")
    shutil.copy(folder / pagefind.FRAGMENTS / a, folder / pagefind.FRAGMENTS / new_b)
    kept[new_b] = "/a/"
    index(small_site(site, {"/b/": "Schulentwicklungsplan 2030"}))
    assert pagefind.prune_fragments(folder, kept) is None


def test_an_index_whose_list_of_files_cannot_be_read_is_not_whole(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = index(small_site(tmp_path / "site", PAGES))
    kept = pagefind.keep_fragments(folder, unchanged={"/a/"})
    index(tmp_path / "site")
    meta = next(folder.glob("*.pf_meta"))
    meta.write_bytes(meta.read_bytes()[:20])
    assert pagefind.prune_fragments(folder, kept) is None
    assert "cannot be read" in caplog.text


def numbered_page(site: Path, address: str, word: str) -> None:
    page = site / address.strip("/") / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        '<!doctype html><html lang="de"><head><title>T</title></head><body><main data-pagefind-body>'
        f"<h1>Seite {word}</h1><p>Text steht hier.</p></main></body></html>",
        encoding="utf-8",
    )


def test_fragments_whose_names_another_run_may_swap_are_written_anew(tmp_path: Path) -> None:
    """The fragments of these two pages (found by trying) share the first eight digits of their hash: the page
    Pagefind comes across first gets the seven-digit name, the other one more. Another run may come across them
    the other way round (another file system, a restored cache): kept, each would stand under the other's name."""
    site = tmp_path / "site"
    for address, word in {"/p/": "x172626", "/q/": "y7791", "/r/": "eins", "/s/": "vier"}.items():
        numbered_page(site, address, word)
    folder = index(site)
    pair = {name: url for name, url in fragments(folder).items() if url in {"/p/", "/q/"}}
    assert sorted(pair) == ["de_7d9b4f3.pf_fragment", "de_7d9b4f33.pf_fragment"]  # Pagefind 1.6.0's names
    short, long = (
        folder / pagefind.FRAGMENTS / "de_7d9b4f3.pf_fragment",
        folder / pagefind.FRAGMENTS / "de_7d9b4f33.pf_fragment",
    )
    short.rename(folder / "x")  # the last run came across them the other way round
    long.rename(short)
    (folder / "x").rename(long)
    numbered_page(site, "/r/", "zwei")
    kept = pagefind.keep_fragments(folder, unchanged={"/p/", "/q/", "/s/"})
    assert sorted(kept.values()) == ["/s/"]
    index(site)
    assert pagefind.prune_fragments(folder, kept) is not None
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("pagefind"))
    assert files(folder) == files(index(clean))
