"""Search finds what citizens type: through the real search box in the header, in Debian's Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from .test_browser import browser, servers, visit  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.browser

# (query, page that must be among the first three results) – on the real content unless marked "valid".
QUERIES = [
    ("50/2669/XV/2013", "/vorlagen/50-2669-xv-2013/"),  # paper number, whole
    ("2669", "/vorlagen/50-2669-xv-2013/"),  # paper number, the serial alone
    ("Zielvereinbarungen", "/vereinbarungen/gemeinsame-vereinbarung-sgb2-2013/"),  # plural finds singular
    ("Jugendlichen", "/zielgruppen/jugendliche/"),  # inflected form
    ("mutter", "/zielgruppen/frauen-muetter-alleinerziehende/"),  # no umlaut, lower case: finds "Mütter"
    ("MÜTTER", "/zielgruppen/frauen-muetter-alleinerziehende/"),  # upper case
    ("MAIS", "/organisationen/mais-nrw/"),  # short name
    ("Ministerium für Arbeit, Integration und Soziales", "/organisationen/mais-nrw/"),  # long name
    ("Bundesministerium für Arbeit und Soziales", "/organisationen/bmas/"),
    ("Regionaldirektion NRW", "/organisationen/regionaldirektion-nrw/"),
    ("Alleinerziehende", "/zielgruppen/frauen-muetter-alleinerziehende/"),  # target group words
    ("Langzeitleistungsbezieher", "/zielgruppen/langzeitleistungsbeziehende/"),
    ("Migrationshintergrund", "/zielgruppen/menschen-mit-migrationshintergrund/"),
    ("juristische Kontroverse", "/vereinbarungen/gemeinsame-vereinbarung-sgb2-2013/"),  # words of a reason
    ("valid:Mehr Ausbildung", "/vereinbarungen/ziele-2020/"),  # words of a goal
    ("valid:Kreistag", "/organisationen/kreistag/"),
]


def search(page: Page, query: str) -> list[str]:
    box = page.locator(".pagefind-ui__search-input")
    box.fill(query)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    page.wait_for_timeout(200)
    links = page.locator(".pagefind-ui__result-link").evaluate_all("links => links.map(a => a.pathname)")
    return list(dict.fromkeys(links))  # one entry per page: sub-results link to sections of the same page


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_query_finds_the_record_in_the_top_three(
    browser: Browser,  # noqa: F811
    servers: dict[str, str],  # noqa: F811
    query: str,
    expected: str,
) -> None:
    site, _, text = query.rpartition(":")
    page, errors, _ = visit(browser, servers[site or "content"] + "/")
    results = search(page, text)
    assert expected in results[:3], f"{text!r}: {results[:5]}"
    assert errors == []
    page.close()


def test_reference_ranks_its_paper_first(browser: Browser, servers: dict[str, str]) -> None:  # noqa: F811
    page, _, _ = visit(browser, servers["content"] + "/vereinbarungen/")
    assert search(page, "50/2669/XV/2013")[0] == "/vorlagen/50-2669-xv-2013/"
    assert search(page, "MAIS")[0] == "/organisationen/mais-nrw/"
    page.close()


def test_search_by_keyboard_only(browser: Browser, servers: dict[str, str]) -> None:  # noqa: F811
    page, _, _ = visit(browser, servers["content"] + "/", width=390, height=844)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('pagefind-ui__search-input')"):
            break
    else:
        pytest.fail("the search box cannot be reached with the Tab key")
    page.keyboard.type("2669")
    page.wait_for_selector(".pagefind-ui__result-link")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('pagefind-ui__result-link')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/vorlagen/50-2669-xv-2013/**", timeout=10_000)
    page.close()


def test_search_loads_nothing_from_other_hosts(browser: Browser, servers: dict[str, str]) -> None:  # noqa: F811
    page, _, requests = visit(browser, servers["content"] + "/")
    search(page, "Jobcenter")
    host = servers["content"]
    assert [r for r in requests if not r.startswith(host)] == []
    assert any("/pagefind/" in r for r in requests)
    page.close()


def result_titles(page: Page, query: str) -> dict[str, str]:
    search(page, query)
    titles = page.locator(".pagefind-ui__result-link").evaluate_all(
        "links => links.map(a => [a.pathname, a.textContent.trim()])"
    )
    return dict(reversed(titles))  # the first title per page (sub-results come after it)


def test_results_say_what_kind_of_record_they_are(browser: Browser, servers: dict[str, str]) -> None:  # noqa: F811
    """The paper and the agreement share one title; their results can be told apart."""
    page, _, _ = visit(browser, servers["content"] + "/")
    titles = result_titles(page, "Gemeinsame Vereinbarung")
    assert titles["/vorlagen/50-2669-xv-2013/"].startswith("Sitzungsvorlage 50/2669/XV/2013 · Gemeinsame Vereinbarung")
    assert titles["/vereinbarungen/gemeinsame-vereinbarung-sgb2-2013/"].startswith("Vereinbarung · Gemeinsame")
    page.close()


@pytest.mark.parametrize("query", ["Spine", "Review", "hostile"])
def test_change_history_and_commit_messages_are_not_searched(  # words only in commit messages and change notes
    browser: Browser,  # noqa: F811
    servers: dict[str, str],  # noqa: F811
    query: str,
) -> None:
    page, _, _ = visit(browser, servers["content"] + "/")
    page.locator(".pagefind-ui__search-input").fill(query)
    page.wait_for_selector(".pagefind-ui__message", timeout=10_000)
    page.wait_for_timeout(500)
    assert page.locator(".pagefind-ui__result-link").count() == 0, query
    page.close()
