"""What a person sees, in a real browser: Debian's Chromium driven by Playwright.

Every page type opens without console errors, requests nothing from another host, and has no WCAG 2.0/2.1 A/AA
violation that axe-core finds. A phone-width screenshot of the agreement page is written for review.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from scripts.chromium import CHROMIUM, launch

from .conftest import ROOT

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
    "session": "/sitzungen/kreistag-2020-03-05/",
    "agreement with key figures": "/vereinbarungen/ziele-2020/",
}


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
    running = []
    urls = {}
    for name, folder in (("content", built_content), ("valid", built_valid)):
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        running.append(server)
        urls[name] = f"http://127.0.0.1:{server.server_address[1]}"
    yield urls
    for server in running:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.is_file(), "Debian's Chromium is needed: apt-get install -y chromium (.ci/run does it)"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def visit(browser: Browser, url: str, *, width: int = 1280, height: int = 900) -> tuple[Page, list[str], list[str]]:
    page = browser.new_page(viewport={"width": width, "height": height}, locale="de-DE")
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="networkidle")
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
