"""The build cache: a build from the cache gives byte for byte the site a clean build gives; a damaged or foreign
cache is noticed and replaced by a clean build; --no-cache builds without it."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
import yaml

from generator import cli
from generator.pipeline import Paths, build
from generator.publish import pagefind
from generator.publish.cache import MANIFEST
from generator.publish.unchanged import RECORD

from .conftest import CONFIG, FIXTURES

pytestmark = pytest.mark.slow


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    left, right = tree(a), tree(b)
    return sorted(name for name in left.keys() | right.keys() if left.get(name) != right.get(name))


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # one build day for all builds of a test
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", folder)
    return folder


def built(content: Path, where: Path, cache: Path | None) -> Path:
    build(Paths(content=content, site=where / "site", docs=where / "docs", config=CONFIG, cache=cache))
    return where / "site"


def rename_paper(content: Path, title: str) -> None:
    path = content / "papers" / "vorlage-2.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = title
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_build_from_the_cache_is_the_clean_build(
    tmp_path: Path, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = built(content, tmp_path / "a", cache)
    assert (cache / MANIFEST).is_file()
    assert differences(built(content, tmp_path / "a", cache), built(content, tmp_path / "clean0", None)) == []
    manifest = json.loads((cache / MANIFEST).read_text(encoding="utf-8"))
    assert "daten/index.html" in manifest["files"] and "pagefind/pagefind-ui.js" in manifest["files"]
    assert not {"daten/vorlagen.csv", "oparl/system.json", "vorlagen/vorlage-1.json"} & manifest["files"].keys()
    search = first / "pagefind" / pagefind.FRAGMENTS
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, pagefind._fragment_url(p)) for p in search.iterdir()}
    rename_paper(content, "Bericht mit neuem Titel")
    cached = built(content, tmp_path / "a", cache)
    clean = built(content, tmp_path / "clean", None)
    assert differences(cached, clean) == []
    assert "Bericht mit neuem Titel" in (cached / "vorlagen" / "vorlage-2" / "index.html").read_text(encoding="utf-8")
    assert first == cached
    # Pagefind wrote the fragments of the changed pages only: the others are the last index's files.
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, pagefind._fragment_url(p)) for p in search.iterdir()}
    new = sorted(str(url) for name, (*stat, url) in after.items() if before.get(name, (None, None))[:2] != tuple(stat))
    assert "/vorlagen/vorlage-2/" in new and "/vorlagen/vorlage-1/" not in new
    assert 0 < len(new) < len(after) / 2
    # The cache knows each fragment's page now: the next build reads only the new fragments to find theirs.
    recorded = json.loads((cache / MANIFEST).read_text(encoding="utf-8"))["fragments"]
    assert recorded == {name: url for name, (*_, url) in after.items()}
    real, read = pagefind._fragment_url, []

    def spy(path: Path) -> str | None:
        read.append(path)
        return real(path)

    monkeypatch.setattr(pagefind, "_fragment_url", spy)
    rename_paper(content, "Bericht mit noch einem Titel")
    again = built(content, tmp_path / "a", cache)
    assert 0 < len(read) < len(after) / 2
    assert differences(again, built(content, tmp_path / "clean2", None)) == []


def test_a_search_index_from_the_cache_that_is_not_whole_is_built_anew(
    tmp_path: Path, content: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    built(content, tmp_path / "a", cache)
    rename_paper(content, "Bericht mit neuem Titel")
    monkeypatch.setattr(pagefind, "prune_fragments", lambda index, kept: None)
    with caplog.at_level(logging.WARNING):
        cached = built(content, tmp_path / "a", cache)
    assert "search index from the cache not whole: built anew" in caplog.text
    assert differences(cached, built(content, tmp_path / "clean", None)) == []


def test_a_damaged_or_foreign_cache_is_rebuilt_with_a_warning(
    tmp_path: Path, content: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    built(content, tmp_path / "a", cache)
    page = cache / "site" / "vorlagen" / "vorlage-1" / "index.html"
    page.unlink()  # the cache's own copy (a hard link): the site keeps its file
    page.write_text("<p>kaputt</p>", encoding="utf-8")
    rename_paper(content, "Noch ein Titel")
    with caplog.at_level(logging.WARNING):
        damaged = built(content, tmp_path / "a", cache)
    assert any("is damaged" in r.getMessage() for r in caplog.records)
    assert differences(damaged, built(content, tmp_path / "clean", None)) == []
    # A cache made with other settings (here: its key changed) is foreign.
    manifest = json.loads((cache / MANIFEST).read_text(encoding="utf-8"))
    (cache / MANIFEST).write_text(json.dumps({**manifest, "key": "0" * 64}), encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        built(content, tmp_path / "a", cache)
    assert any("other settings or versions" in r.getMessage() for r in caplog.records)


def test_no_cache_builds_without_one(tmp_path: Path, content: Path) -> None:
    status = cli.main(
        [
            "build",
            "--content",
            str(content),
            "--site",
            str(tmp_path / "s"),
            "--docs",
            str(tmp_path / "d"),
            "--cache",
            str(tmp_path / "cache"),
            "--no-cache",
        ]
    )
    assert status == cli.OK and not (tmp_path / "cache").exists()


def test_what_else_lies_in_the_cache_stays_out_and_a_cache_that_cannot_be_written_is_a_warning(
    tmp_path: Path, content: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    built(content, tmp_path / "a", cache)
    (cache / RECORD).unlink()  # the build runs (it would find nothing changed) and takes pages from the cache
    (cache / "site" / ".DS_Store").write_bytes(b"Finder")  # not the cache's own file
    (cache / "site" / "404.html").unlink()
    (cache / "site" / "404.html").mkdir()  # a file became a folder: damaged, and replaced
    with caplog.at_level(logging.WARNING):
        site = built(content, tmp_path / "a", cache)
    assert any("is damaged" in r.getMessage() for r in caplog.records)
    assert not (site / ".DS_Store").exists() and (cache / "site" / "404.html").is_file()
    (cache / "site" / ".DS_Store").write_bytes(b"Finder")
    (cache / RECORD).unlink()
    site = built(content, tmp_path / "a", cache)  # from the cache: only the files it recorded
    assert not (site / ".DS_Store").exists()
    blocked = tmp_path / "a-file"
    blocked.write_text("kein Ordner", encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        built(content, tmp_path / "b", blocked)  # built and published all the same
    assert any("not written" in r.getMessage() for r in caplog.records)
    assert (tmp_path / "b" / "site" / "index.html").is_file()


def test_two_builds_sharing_a_cache_run_one_after_the_other(
    tmp_path: Path, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache folder is locked like the site and docs folders: a build into another site waits for it."""
    from generator.publish import lock

    cache = tmp_path / "cache"
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.3)
    with lock.folders_locked(cache), pytest.raises(lock.LockedError):
        built(content, tmp_path / "other", cache)
    assert not (tmp_path / "other" / "site").exists()


def test_the_cache_follows_the_site_in_place(tmp_path: Path, content: Path) -> None:
    """The cache's folder is brought in line with the site: a page the site no longer has leaves it, a page taken
    from it stays the same file (not linked anew), a changed one is replaced."""
    cache = tmp_path / "cache"
    built(content, tmp_path / "a", cache)
    kept, changed = (
        cache / "site" / "vorlagen" / "vorlage-1" / "index.html",
        cache / "site" / "vorlagen" / "vorlage-2" / "index.html",
    )
    kept_inode, changed_inode = kept.stat().st_ino, changed.stat().st_ino
    rename_paper(content, "Bericht mit neuem Titel")
    site = built(content, tmp_path / "a", cache)
    assert kept.stat().st_ino == kept_inode and changed.stat().st_ino != changed_inode
    assert changed.samefile(site / "vorlagen" / "vorlage-2" / "index.html")
    (content / "papers" / "vorlage-2.yml").unlink()
    for path in content.rglob("*.yml"):  # what referred to the paper
        text = path.read_text(encoding="utf-8")
        if "vorlage-2" in text and path.parent.name != "papers":
            path.unlink()
    site = built(content, tmp_path / "a", cache)
    assert not (site / "vorlagen" / "vorlage-2").exists()
    assert not (cache / "site" / "vorlagen" / "vorlage-2").exists()
    manifest = json.loads((cache / MANIFEST).read_text(encoding="utf-8"))
    on_disk = {p.relative_to(cache / "site").as_posix() for p in (cache / "site").rglob("*") if p.is_file()}
    assert set(manifest["files"]) == on_disk
    assert differences(site, built(content, tmp_path / "clean", None)) == []


def test_a_linked_folder_in_the_cache_is_not_followed(tmp_path: Path) -> None:
    """The cache's folders are never links: one that is (a restored cache, a hand's work) is replaced, and nothing
    outside the cache is touched."""
    from generator.publish.cache import store_cache

    site, cache, outside = tmp_path / "site", tmp_path / "cache", tmp_path / "outside"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "app.css").write_text("neu", encoding="utf-8")
    (site / "index.html").write_text("<p>Start</p>", encoding="utf-8")
    outside.mkdir()
    (outside / "app.css").write_text("fremd", encoding="utf-8")
    (cache / "site").mkdir(parents=True)
    (cache / "site" / "assets").symlink_to(outside)
    store_cache(cache, key="k", site_dir=site, pages={}, leave_out=set())
    assert (outside / "app.css").read_text(encoding="utf-8") == "fremd"
    assert not (cache / "site" / "assets").is_symlink()
    assert (cache / "site" / "assets" / "app.css").read_text(encoding="utf-8") == "neu"
    manifest = json.loads((cache / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"assets/app.css", "index.html"}
