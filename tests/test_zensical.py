"""The second engine: the seed site built with Zensical (build --engine zensical) has the same pages as with
MkDocs, links that resolve, the search box, and loads nothing from other hosts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser

from generator.pipeline import Paths, build

from .conftest import CONFIG, CONTENT, FIXTURES
from .test_browser import browser, serve, visit  # noqa: F401
from .test_search import search

pytestmark = pytest.mark.slow

HREF = re.compile(r'(?:href|src)="([^"]+)"')


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("zensical-site")
    build(Paths(content=CONTENT, site=base / "site", docs=base / "docs", config=CONFIG), engine="zensical")
    return base / "site"


def pages_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_zensical_builds_the_same_pages_as_mkdocs(zensical_site: Path, built_content: Path) -> None:
    assert pages_of(zensical_site) == pages_of(built_content)
    for name in ("pagefind/pagefind-ui.js", "daten/vorlagen.csv", "oparl/system.json", "sitemap.xml"):
        assert (zensical_site / name).is_file(), name
    # Zensical's own search is off: no second search box beside Pagefind's, its index empty.
    home = (zensical_site / "index.html").read_text(encoding="utf-8")
    assert "md-search" not in home and "assets/javascripts/suche.js" in home


@pytest.fixture(scope="module")
def zensical_valid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture set: what the seed lacks (document texts, sources citing a page, sessions, former ids)."""
    base = tmp_path_factory.mktemp("zensical-valid")
    paths = Paths(content=FIXTURES / "valid", site=base / "site", docs=base / "docs", config=CONFIG)
    build(paths, engine="zensical")
    return base / "site"


def test_every_link_of_the_zensical_site_resolves_and_assets_are_its_own(zensical_site: Path) -> None:
    assert links_of(zensical_site) == ([], [])


def test_zensical_resolves_the_pages_html_links_with_their_anchors(zensical_valid: Path) -> None:
    # Links to pages are HTML (data-seite) with "#" as "&#35;": Zensical reads them as MkDocs' hook does.
    assert links_of(zensical_valid) == ([], [])
    agreement = (zensical_valid / "vereinbarungen" / "ziele-2020" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../dokumente/vereinbarung-2020-pdf/#seite-2" data-seite' in agreement


def links_of(site: Path) -> tuple[list[str], list[str]]:
    """The links of the built ``site`` that lead nowhere, and the assets it would load from other hosts."""
    zensical_site = site
    broken, foreign = [], []
    for page in zensical_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for target in HREF.findall(text):
            parts = urlsplit(target.replace("&amp;", "&"))
            if parts.scheme or target.startswith("#"):
                continue  # links out (council systems, licences) and anchors
            base = zensical_site if parts.path.startswith("/") else page.parent
            path = (base / unquote(parts.path).lstrip("/")).resolve()
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(zensical_site)} → {target}")
        for tag in re.findall(r"<(?:script|img|link\b[^>]*rel=\"(?:stylesheet|icon|preload)\")[^>]*>", text):
            if re.search(r'(?:src|href)="(?:https?:)?//', tag):
                foreign.append(tag)
    return broken, foreign


@pytest.fixture(scope="module")
def zensical_server(zensical_site: Path) -> Iterator[str]:
    for urls in serve((("zensical", zensical_site),)):
        yield urls["zensical"]


@pytest.mark.browser
def test_the_zensical_site_searches_and_loads_nothing_from_elsewhere(
    browser: Browser,  # noqa: F811
    zensical_server: str,
) -> None:
    page, errors, requests = visit(browser, zensical_server + "/")
    assert "/vorlagen/50-2669-xv-2013/" in search(page, "50/2669/XV/2013")[:3]
    assert errors == []
    foreign = [r for r in requests if not r.startswith(zensical_server) and not r.startswith("data:")]
    assert foreign == []
    page.close()
