"""What a person sees, in a real browser: Debian's Chromium driven by Playwright.

Every page type opens without console errors, requests nothing from another host, and has no WCAG 2.0/2.1 A/AA
violation that axe-core finds. On a phone (360–414 px) no page scrolls sideways and every table fits; a link shared
in a mail or messenger shows the page's own title and description (Open Graph); a printed page has its address
and none of the screen's controls. A phone-width screenshot of the agreement page is written for review.
"""

from __future__ import annotations

import functools
import html
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from scripts.chromium import CHROMIUM, launch

from .conftest import CONFIG, ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# One page of each type: from the real content, and from the fixture set (which has a session and key figures).
CONTENT_PAGES = {
    "start": "/",
    "agreement": "/vereinbarungen/gemeinsame-vereinbarung-sgb2-2013/",
    "agreements overview": "/vereinbarungen/",
    "paper": "/vorlagen/50-2669-xv-2013/",
    "papers overview": "/vorlagen/",
    "organisation": "/organisationen/mais-nrw/",
    "organisations overview": "/organisationen/",
    "target group": "/zielgruppen/jugendliche/",
    "target groups overview": "/zielgruppen/",
    "sessions overview": "/sitzungen/",
    "not found": "/gibt-es-nicht/",
    "Impressum": "/impressum/",
    "Datenschutz": "/datenschutz/",
    "Barrierefreiheit": "/barrierefreiheit/",
    "Leichte Sprache": "/leichte-sprache/",
    "Offene Daten": "/daten/",
}
FIXTURE_PAGES = {
    "document": "/dokumente/vereinbarung-2020-pdf/",
    "session": "/sitzungen/kreistag-2020-03-05/",
    "agreement with key figures": "/vereinbarungen/ziele-2020/",
}


PHONES = (360, 390, 414)
SITE_NAME = "Vereinbarungen und Unterschriften"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code == 404 and (page := Path(self.directory) / "404.html").is_file():  # like a static host
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@pytest.fixture(scope="module")
def servers(built_content: Path, built_valid: Path) -> Iterator[dict[str, str]]:
    yield from serve((("content", built_content), ("valid", built_valid)))


@pytest.fixture(scope="module")
def demo_server(built_demo: Path) -> Iterator[str]:
    for urls in serve((("demo", built_demo),)):
        yield urls["demo"]


def serve(folders: tuple[tuple[str, Path], ...]) -> Iterator[dict[str, str]]:
    running = []
    urls = {}
    for name, folder in folders:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        running.append(server)
        urls[name] = f"http://127.0.0.1:{server.server_address[1]}"
    yield urls
    for server in running:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated demo corpus of 300 records (``python -m generator demo``), built like the real content."""
    from generator.pipeline import Paths, build

    base = tmp_path_factory.mktemp("demo-site")
    corpus = base / "content"
    subprocess.run(
        [sys.executable, "-m", "generator", "demo", "--records", "300", "--out", str(corpus)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    build(Paths(content=corpus, site=base / "site", docs=base / "docs", config=CONFIG))
    return base / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.is_file(), "Debian's Chromium is needed: apt-get install -y chromium (.ci/run does it)"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def visit(
    browser: Browser,
    url: str,
    *,
    width: int = 1280,
    height: int = 900,
    wait: Literal["load", "networkidle"] = "networkidle",
) -> tuple[Page, list[str], list[str]]:
    page = browser.new_page(viewport={"width": width, "height": height}, locale="de-DE")
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until=wait)
    return page, errors, requests


def all_pages(servers: dict[str, str]) -> list[tuple[str, str]]:
    pages = [(name, servers["content"] + path) for name, path in CONTENT_PAGES.items()]
    return pages + [(name, servers["valid"] + path) for name, path in FIXTURE_PAGES.items()]


def test_every_page_type_opens_clean_and_stays_on_this_host(browser: Browser, servers: dict[str, str]) -> None:
    for name, url in all_pages(servers):
        page, errors, requests = visit(browser, url)
        host = url.split("/", 3)[:3]
        assert errors == [], f"{name}: console errors {errors}"
        foreign = [r for r in requests if r.split("/", 3)[:3] != host and not r.startswith("data:")]
        assert foreign == [], f"{name}: requests to other hosts {foreign}"
        assert page.locator("html").get_attribute("lang") == "de"
        page.close()


@pytest.mark.parametrize("name", [*CONTENT_PAGES, *FIXTURE_PAGES])
def test_no_wcag_violations(browser: Browser, servers: dict[str, str], name: str) -> None:
    url = dict(all_pages(servers))[name]
    for width in (1280, 390):
        page, _, _ = visit(browser, url, width=width, height=844)
        results = Axe().run(page, options=WCAG)
        assert results.violations_count == 0, f"{name} at {width}px:\n{results.generate_report()}"
        page.close()


def test_phone_screenshot_of_the_agreement_page(browser: Browser, servers: dict[str, str]) -> None:
    page, _, _ = visit(browser, servers["content"] + CONTENT_PAGES["agreement"], width=390, height=844)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "vereinbarung-telefon.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    # The signature table fits the screen: no sideways scrolling of the page itself.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.close()


def test_phone_screenshot_of_a_document_page(browser: Browser, servers: dict[str, str]) -> None:
    page, errors, _ = visit(browser, servers["valid"] + FIXTURE_PAGES["document"], width=390, height=844)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "dokument-telefon.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000 and errors == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.locator("#seite-2").count() == 1 and "Lotsenprogramm" in page.inner_text("article")
    page.close()


def test_keyboard_reaches_the_skip_link_first(browser: Browser, servers: dict[str, str]) -> None:
    page, _, _ = visit(browser, servers["content"] + CONTENT_PAGES["agreement"])
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent.trim()]")
    assert "md-skip" in focused[0].split() and focused[1] == "Zum Inhalt", focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") != ""
    page.close()


def test_status_words_are_visible_next_to_symbols(browser: Browser, servers: dict[str, str]) -> None:
    page, _, _ = visit(browser, servers["content"] + CONTENT_PAGES["agreement"])
    table = page.locator("table").first
    assert "ohne Unterschrift zurückgesandt" in table.inner_text()
    assert table.locator("th").count() >= 3
    page.close()


def test_no_cookies_are_set(browser: Browser, servers: dict[str, str]) -> None:
    context = browser.new_context()
    page = context.new_page()
    for _, url in all_pages(servers):
        page.goto(url, wait_until="networkidle")
    page.locator("a", has_text="Datenschutz").first.click()
    page.wait_for_load_state("networkidle")
    assert "Diese Website setzt keine Cookies" in page.inner_text("article")
    assert context.cookies() == []
    context.close()


def test_copy_link_puts_the_address_of_the_place_on_the_clipboard(browser: Browser, servers: dict[str, str]) -> None:
    context = browser.new_context()
    base = servers["valid"]
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    page.goto(base + FIXTURE_PAGES["agreement with key figures"], wait_until="networkidle")
    page.locator('a.link-kopieren[href="#ziel-ausbildung"]').click()
    assert page.evaluate("navigator.clipboard.readText()") == base + "/vereinbarungen/ziele-2020/#ziel-ausbildung"
    cite = page.locator(".zitat-adresse").first.inner_text()
    assert cite == base + "/vereinbarungen/ziele-2020/"
    assert page.locator(".zitat-abruf").first.inner_text() != "(Datum des Abrufs)"
    context.close()


# --- Phones: no sideways scrolling, no table cut off ---------------------------------------------------------------

# Every table fits its place: not wider than the box Material puts it in (that box would scroll), and its own
# content not wider than the table (Material's table clips it), no cell whose content runs out of it.
FIT = """() => {
  const problems = [];
  const page = document.documentElement.scrollWidth;
  if (page > window.innerWidth) problems.push(`page ${page} px wide`);
  document.querySelectorAll("article table").forEach((table, n) => {
    const box = table.closest(".md-typeset__scrollwrap") || table.parentElement;
    const head = table.querySelector("th") ? table.querySelector("th").textContent.trim() : "";
    const name = `table ${n + 1} ("${head}")`;
    if (box.scrollWidth > box.clientWidth + 1) problems.push(`${name}: ${box.scrollWidth} px in ${box.clientWidth} px`);
    if (table.scrollWidth > table.clientWidth + 1) problems.push(`${name}: cut off at ${table.clientWidth} px`);
    table.querySelectorAll("th, td").forEach((cell) => {
      if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`${name}: "${cell.textContent.trim()}" sticks out`);
    });
  });
  return problems;
}"""


def fits_the_phone(browser: Browser, url: str, width: int) -> list[str]:
    page, errors, _ = visit(browser, url, width=width, height=800, wait="load")  # the scripts ran at DOMContentLoaded
    problems: list[str] = page.evaluate(FIT) + [f"console: {e}" for e in errors]
    page.close()
    return problems


@pytest.mark.parametrize("name", [*CONTENT_PAGES, *FIXTURE_PAGES])
def test_no_sideways_scrolling_on_a_phone(browser: Browser, servers: dict[str, str], name: str) -> None:
    url = dict(all_pages(servers))[name]
    problems = {width: fits_the_phone(browser, url, width) for width in PHONES}
    assert all(p == [] for p in problems.values()), f"{name}: {problems}"


def biggest_page(site: Path, section: str) -> str:
    """The record page of a section with the most content (the widest tables, the longest words)."""
    pages = sorted(site.glob(f"{section}/*/index.html"), key=lambda p: (-p.stat().st_size, str(p)))
    assert pages, f"no {section} pages"
    return "/" + pages[0].parent.relative_to(site).as_posix() + "/"


DEMO_PAGES = {
    "agreements overview": "/vereinbarungen/",
    "agreement": "vereinbarungen",
    "paper": "vorlagen",
    "session": "sitzungen",
    "organisation": "organisationen",
}


@pytest.mark.parametrize("name", DEMO_PAGES)
def test_demo_corpus_fits_a_phone(browser: Browser, demo_server: str, built_demo: Path, name: str) -> None:
    path = DEMO_PAGES[name]
    path = path if path.startswith("/") else biggest_page(built_demo, path)
    assert fits_the_phone(browser, demo_server + path, 390) == [], path


def index_chunks(browser: Browser, url: str, query: str) -> set[str]:
    """The search index chunks a fresh browser loads for a query typed into the search box."""
    context = browser.new_context()
    page = context.new_page()
    chunks: set[str] = set()
    page.on("response", lambda r: chunks.add(r.url.rsplit("/", 1)[-1]) if "/pagefind/index/" in r.url else None)
    page.goto(url + "/")
    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    page.wait_for_timeout(500)  # Pagefind's preload and search have both asked for what they need
    context.close()
    return chunks


def test_words_of_every_text_load_nothing_while_typing(browser: Browser, demo_server: str) -> None:
    # Pagefind's UI preloads the chunks of the query as typed; suche/pagefind.js hands preload() the query as it is
    # searched. Without it, "der" loads its positions in every page (370 kB at 10,000 records) for nothing.
    of_der = index_chunks(browser, demo_server, "der")
    wanted = index_chunks(browser, demo_server, "Schätzung Verwaltung")
    assert of_der - wanted, "the demo's index has no chunk of its own for 'der': this test could not fail"
    assert index_chunks(browser, demo_server, "Schätzung der Verwaltung") == wanted


def test_signature_matrix_fits_a_phone_with_party_names_upright(browser: Browser, servers: dict[str, str]) -> None:
    page, _, _ = visit(browser, servers["content"] + CONTENT_PAGES["agreements overview"], width=360, height=800)
    matrix = page.locator("table", has=page.locator(".sr-only")).first
    parties = matrix.locator("th a")
    assert parties.count() >= 4
    assert "Regionaldirektion" in matrix.inner_text()  # every party named in full, a real <th>
    assert parties.first.evaluate("a => getComputedStyle(a).writingMode") == "vertical-rl"
    assert matrix.evaluate("t => t.getBoundingClientRect().right") <= 360
    page.close()


# --- Links shared in a mail or messenger: title, description and address of the page itself -----------------------


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.canonical = ""
        self.title = ""
        self._in_title = False
        self._body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta.append((a.get("property") or a["name"], a.get("content", "")))
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]
        self._in_title = tag == "title" and not self._body

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False
        self._body = self._body or tag == "head"


def head_of(page: Path) -> _Head:
    parser = _Head()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def front_matter(markdown: Path) -> dict[str, str]:
    """title: and description: of a generated page (HTML-escaped by the generator), unescaped."""
    text = markdown.read_text(encoding="utf-8")
    values = yaml.safe_load(text.split("---\n", 2)[1]) if text.startswith("---\n") else {}
    return {k: html.unescape(str(v)) for k, v in (values or {}).items() if k in ("title", "description")}


RECORD_SECTIONS = ("vereinbarungen", "vorlagen", "sitzungen", "organisationen", "zielgruppen")


@pytest.mark.parametrize("which", ["content", "valid"])
def test_every_page_has_its_own_title_description_and_address_for_sharing(
    built_content: Path, built_valid: Path, which: str
) -> None:
    site = built_content if which == "content" else built_valid
    docs = site.parent / "docs"
    site_description = "Welche Ziele öffentliche Stellen vereinbart haben, mit wem – und wer unterschrieben hat."
    records = 0
    for page in sorted(site.rglob("index.html")):
        relative = page.parent.relative_to(site).as_posix()
        markdown = docs / (f"{relative}.md" if relative != "." else "index.md")
        if not markdown.is_file():
            markdown = docs / relative / "index.md"
        if not markdown.is_file():
            continue  # a redirect page, not built by MkDocs
        head = head_of(page)
        meta: dict[str, list[str]] = {}
        for key, value in head.meta:  # the parser has unescaped the attribute values once
            meta.setdefault(key, []).append(value)
        where = f"{which}: {relative}"
        for key in ("og:title", "og:description", "og:url", "og:type", "og:site_name", "og:locale", "description"):
            assert len(meta.get(key, [])) == 1, f"{where}: {key} {meta.get(key)}"
        assert meta["og:type"] == ["website"] and meta["og:locale"] == ["de_DE"], where
        assert meta["og:site_name"] == [SITE_NAME], where
        assert meta["og:url"] == [head.canonical] and head.canonical.startswith(("http://", "https://")), where
        assert head.canonical.endswith("/" if relative == "." else f"/{relative}/"), where
        given = front_matter(markdown)
        assert meta["og:description"] == meta["description"] == [given.get("description", site_description)], where
        assert meta["og:description"][0].strip(), where
        title = head.title.strip().removesuffix(f" - {SITE_NAME}")
        assert meta["og:title"] == [SITE_NAME if relative == "." else given.get("title", title)], where
        assert relative == "." or meta["og:title"] == [title], where
        assert "&amp;" not in "".join(v for _, v in head.meta), f"{where}: escaped twice"  # "&amp;amp;" in HTML
        if relative.split("/")[0] in RECORD_SECTIONS and "/" in relative and "/jahre/" not in f"/{relative}/":
            records += 1
            if which == "content":
                assert "description" in given, f"{where}: no description in the front matter"
    assert records >= 5


def test_a_description_in_the_front_matter_is_shared_escaped_once(tmp_path: Path) -> None:
    """Titles and descriptions come HTML-escaped from the generator; main.html prints them as they are."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Start\n", encoding="utf-8")
    (docs / "seite.md").write_text(
        '---\ntitle: "A &amp; B &lt;Kreis&gt;"\ndescription: "Ziele &amp; Unterschriften &quot;2013&quot;"\n---\n'
        "# A & B\n",
        encoding="utf-8",
    )
    config = load_config(
        str(CONFIG),
        docs_dir=str(docs),
        site_dir=str(tmp_path / "site"),
        strict=False,
        site_url="https://ziele.example.org/",
        nav=[{"Start": "index.md"}],
        not_in_nav=None,
    )
    build(config)
    raw = (tmp_path / "site" / "seite" / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:title" content="A &amp; B &lt;Kreis&gt;">' in raw
    description = "Ziele &amp; Unterschriften &quot;2013&quot;"
    assert f'<meta property="og:description" content="{description}">' in raw
    assert raw.count(f'<meta name="description" content="{description}">') == 1
    assert '<meta property="og:url" content="https://ziele.example.org/seite/">' in raw
    head = head_of(tmp_path / "site" / "seite" / "index.html")
    assert [v for k, v in head.meta if k == "og:title"] == ["A & B <Kreis>"]  # what a messenger shows


# --- Printing -----------------------------------------------------------------------------------------------------


def test_a_printed_page_has_its_address_and_no_screen_controls(browser: Browser, servers: dict[str, str]) -> None:
    page, _, _ = visit(browser, servers["valid"] + FIXTURE_PAGES["agreement with key figures"])
    address = page.locator(".druck-adresse")
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical and not address.is_visible()  # on screen the address bar has it
    assert page.locator("a.link-kopieren").first.is_visible()
    page.emulate_media(media="print")
    assert address.is_visible()
    assert canonical in address.inner_text() and canonical.endswith("/vereinbarungen/ziele-2020/")
    assert page.locator("a.link-kopieren").count() > 0
    assert all(not link.is_visible() for link in page.locator("a.link-kopieren").all())
    for chrome in (".md-header", ".md-tabs", ".md-footer", ".suche", ".md-sidebar--primary"):
        assert all(not el.is_visible() for el in page.locator(chrome).all()), chrome
    # Links that leave the site or lead to a file print their full address; links between pages do not.
    pdf = page.locator('a[href$=".pdf"]').first
    target = pdf.get_attribute("data-adresse")
    assert target and target.startswith("https://")
    after = pdf.evaluate("a => getComputedStyle(a, '::after').content")
    assert target in after
    assert page.locator('article a[href^="../"]').first.get_attribute("data-adresse") is None
    assert page.locator(".zitieren").is_visible()
    page.close()


def test_the_live_preview_shows_a_saved_change_by_itself(browser: Browser, tmp_path: Path, content_copy: Path) -> None:
    """``serve``: the page open in the browser reloads once the saved change is built, without a click, and the
    reload script asks nothing of another host."""
    from generator.editing.preview import Preview
    from generator.editing.serve import running
    from generator.pipeline import Paths

    preview = Preview(Paths(content=content_copy, site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    preview.build_all()
    with running(preview) as preview_site:
        page = browser.new_page()
        elsewhere: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(preview_site.url) else elsewhere.append(r.url))
        page.goto(preview_site.url + "/vorlagen/vorlage-2/", wait_until="load")
        assert "Bericht ohne Beratung" in page.inner_text("h1")
        page.wait_for_timeout(300)  # the page has asked for a new version
        paper = content_copy / "papers" / "vorlage-2.yml"
        with page.expect_event("load", timeout=30_000):
            paper.write_text(paper.read_text(encoding="utf-8").replace("Bericht ohne Beratung", "Gespeichert"))
        assert "Gespeichert" in page.inner_text("h1")
        assert preview_site.state.version == 1 and elsewhere == []
        page.close()
