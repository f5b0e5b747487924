"""A partial build (the live preview's update, a build from the cache) builds its pages from a folder of just the
pages they need (generator/publish/partial.py): the same pages as from the whole docs folder."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from generator.publish import builder
from generator.publish.builder import build_pages
from generator.publish.partial import navigation, partial_docs
from generator.site.addresses import html_path

from .conftest import CONFIG

PAGES = ["vorlagen/vorlage-2.md", "vereinbarungen/ziele-2021-offen.md", "organisationen/jobcenter.md", "index.md"]


def test_the_folder_holds_the_pages_what_they_link_to_and_the_navigation(built_valid: Path, tmp_path: Path) -> None:
    docs = built_valid.parent / "docs"
    count = partial_docs(docs, ["vorlagen/vorlage-2.md"], tmp_path)
    held = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md"))
    assert count == len(held) < len(list(docs.rglob("*.md")))
    assert "vorlagen/vorlage-2.md" in held and set(navigation(docs)) <= set(held)
    assert "vereinbarungen/ziele-2021-offen.md" in held  # the paper's page links to it
    assert "organisationen/jobcenter.md" not in held  # only the navigation's overviews link to it: they are not built
    assert (tmp_path / "vorlagen" / "vorlage-2.md").stat().st_ino == (docs / "vorlagen" / "vorlage-2.md").stat().st_ino


def test_pages_built_from_the_partial_folder_are_those_of_the_whole_build(
    built_valid: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="generator.publish.builder"):
        build_pages(config_file=CONFIG, docs_dir=built_valid.parent / "docs", pages=PAGES, out_dir=tmp_path / "out")
    assert "partial build failed" not in caplog.text
    for page in PAGES:
        assert (tmp_path / "out" / html_path(page)).read_bytes() == (built_valid / html_path(page)).read_bytes()
    built = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.html"))
    assert built == sorted(html_path(page) for page in PAGES)


def test_a_partial_folder_that_lacks_a_linked_page_builds_from_the_whole_folder(
    built_valid: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(builder, "partial_docs", _only)
    assert "partial build failed" in built_from_the_whole_folder(CONFIG, built_valid, tmp_path / "out", caplog)


def built_from_the_whole_folder(config: Path, site: Path, out: Path, caplog: pytest.LogCaptureFixture) -> str:
    """Build PAGES with a partial folder that is not enough: the pages are those of the whole build all the same.
    Returns what the builder logged."""
    with caplog.at_level(logging.INFO, logger="generator.publish.builder"):
        build_pages(config_file=config, docs_dir=site.parent / "docs", pages=PAGES, out_dir=out)
    for page in PAGES:
        assert (out / html_path(page)).read_bytes() == (site / html_path(page)).read_bytes()
    return caplog.text


def _only(docs_dir: Path, pages: list[str], into: Path) -> int:
    """A partial folder that misses the pages linked to: the nav pages and the pages themselves only."""
    for page in {*pages, *navigation(docs_dir)}:
        (into / page).parent.mkdir(parents=True, exist_ok=True)
        (into / page).write_bytes((docs_dir / page).read_bytes())
    return len(pages)


def test_a_link_left_as_a_markdown_file_builds_from_the_whole_folder(
    built_valid: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where ``validation.links.not_found`` is set below a warning, a link to a page the partial folder lacks does
    not stop the build: the page is checked for a link still pointing at a Markdown file."""
    config = tmp_path / "mkdocs.yml"
    text = CONFIG.read_text(encoding="utf-8").replace("validation:\n", "validation:\n  links:\n    not_found: info\n")
    config.write_text(text, encoding="utf-8")
    monkeypatch.setattr(builder, "partial_docs", _only)
    logged = built_from_the_whole_folder(config, built_valid, tmp_path / "out", caplog)
    assert "a page links to a Markdown file the partial folder lacks" in logged
