"""Search finds what citizens type: through the real search box in the header, in Debian's Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml
from playwright.sync_api import Browser, Page

from generator.pages.overviews import MAX_ROWS

from .conftest import CONFIG
from .test_browser import browser, serve, servers, visit  # noqa: F401 - shared fixtures

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
    ("valid:Lotsenprogramm", "/dokumente/vereinbarung-2020-pdf/"),  # a word that stands only in a document's text
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


def test_words_of_every_text_are_left_out_of_a_longer_query(browser: Browser, servers: dict[str, str]) -> None:  # noqa: F811
    page, errors, _ = visit(browser, servers["content"] + "/")
    shorten = "q => window.suche.processTerm(q)"
    assert page.evaluate(shorten, "Schätzung der Verwaltung") == "Schätzung Verwaltung"
    assert page.evaluate(shorten, "Ministerium für Arbeit und Soziales") == "Ministerium Arbeit Soziales"
    assert page.evaluate(shorten, "die und der") == "die und der"  # nothing else: searched as typed
    assert page.evaluate(shorten, '"Schätzung der Verwaltung"') == '"Schätzung der Verwaltung"'  # a phrase
    assert search(page, "wegen der juristischen Kontroverse")[:3]
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


# A council's volume of records: more papers in one year than an overview lists (the year gets a page of its own,
# /vorlagen/jahre/2013/, listing their titles), and a Gemeinderat whose name stands in the titles of several papers
# and sessions; its own page lists the sessions and the papers it brought in, so it is longer than theirs.
COUNCIL_ORGANIZATIONS: dict[str, dict[str, object]] = {
    "gemeinderat": {"name": "Gemeinderat", "kind": "Gremium"},
    "stadtverwaltung": {"name": "Stadtverwaltung", "kind": "Verwaltung"},
}
COUNCIL_OVERVIEWS = ("/", "/vorlagen/", "/vorlagen/jahre/2013/", "/sitzungen/", "/organisationen/")


def council_papers() -> dict[str, dict[str, object]]:
    papers: dict[str, dict[str, object]] = {}
    for i in range(1, MAX_ROWS + 11):
        papers[f"bericht-{i}"] = {
            "reference": f"{i}/2013",
            "title": f"Bericht Nummer {i} zur Haushaltslage",
            "paper_type": "Mitteilungsvorlage",
            "date": f"2013-{i % 12 + 1:02d}-01",
            "organization": "stadtverwaltung",
        }
    for i in range(1, 9):  # the Gemeinderat named in the title; half of them brought in by the Gemeinderat itself
        papers[f"antrag-{i}"] = {
            "reference": f"A-{i}/2013",
            "title": f"Antrag an den Gemeinderat zur Haushaltslage, Teil {i}",
            "paper_type": "Antrag",
            "date": f"2013-{i:02d}-15",
            "organization": "gemeinderat" if i % 2 else "stadtverwaltung",
        }
    # Two papers with words of their own: only an overview lists both titles.
    papers["radwegekonzept"] = {
        "reference": "R-1/2013",
        "title": "Radwegekonzept für die Nordstadt",
        "paper_type": "Beschlussvorlage",
        "date": "2013-05-02",
    }
    papers["spielplatzsanierung"] = {
        "reference": "S-1/2013",
        "title": "Spielplatzsanierung im Südpark",
        "paper_type": "Beschlussvorlage",
        "date": "2013-06-03",
    }
    return papers


def council_sessions() -> dict[str, dict[str, object]]:
    return {
        f"gemeinderat-2013-{month:02d}": {
            "name": f"{month}. Sitzung des Gemeinderats",
            "organization": "gemeinderat",
            "date": f"2013-{month:02d}-20",
            "state": "held",
        }
        for month in range(1, 13)
    }


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The council's records built like the real content and served: the site's address."""
    from generator.pipeline import Paths, build

    base = tmp_path_factory.mktemp("council-site")
    corpus = base / "content"
    kinds: dict[str, dict[str, dict[str, object]]] = {
        "organizations": COUNCIL_ORGANIZATIONS,
        "papers": council_papers(),
        "sessions": council_sessions(),
    }
    for kind, records in kinds.items():
        (corpus / kind).mkdir(parents=True)
        for record_id, record in records.items():
            text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False)
            (corpus / kind / f"{record_id}.yml").write_text(text, encoding="utf-8")
    build(Paths(content=corpus, site=base / "site", docs=base / "docs", config=CONFIG))
    assert (base / "site" / "vorlagen" / "jahre" / "2013" / "index.html").is_file()
    for urls in serve((("council", base / "site"),)):
        yield urls["council"]


def found(browser: Browser, site: str, query: str) -> list[str]:  # noqa: F811
    """The pages the search box lists for ``query``, best first; none when it finds nothing."""
    page, errors, _ = visit(browser, site + "/")
    page.locator(".pagefind-ui__search-input").fill(query)
    done = re.compile(rf"Ergebnis(se)? für {re.escape(query)}$")
    message = page.locator(".pagefind-ui__message")
    page.wait_for_function(
        "done => { const m = document.querySelector('.pagefind-ui__message');"
        " return m !== null && new RegExp(done).test(m.textContent.trim())"
        " && !document.querySelector('.pagefind-ui__result .pagefind-ui__loading'); }",
        arg=done.pattern,
        timeout=10_000,
    )
    assert done.search(message.inner_text().strip())
    links = page.locator(".pagefind-ui__result-link").evaluate_all("links => links.map(a => a.pathname)")
    assert errors == []
    page.close()
    return list(dict.fromkeys(links))  # one entry per page: sub-results link to sections of the same page


@pytest.mark.slow
def test_words_of_two_papers_find_no_overview(browser: Browser, council: str) -> None:  # noqa: F811
    """The year page lists both titles, but a search for a word of each does not find it: the overviews are
    indexed by their heading only. Each word alone finds its paper first, and the year page is found by its heading."""
    assert found(browser, council, "Radwegekonzept")[:1] == ["/vorlagen/radwegekonzept/"]
    assert found(browser, council, "Spielplatzsanierung")[:1] == ["/vorlagen/spielplatzsanierung/"]
    results = found(browser, council, "Radwegekonzept Spielplatzsanierung")
    assert [r for r in results if r in COUNCIL_OVERVIEWS] == [], results
    assert found(browser, council, "Vorlagen 2013")[:1] == ["/vorlagen/jahre/2013/"]


@pytest.mark.slow
def test_an_organisations_name_finds_its_page_first(browser: Browser, council: str) -> None:  # noqa: F811
    """Eight papers and twelve sessions name the Gemeinderat in their titles; its own page comes first."""
    results = found(browser, council, "Gemeinderat")
    assert results[:1] == ["/organisationen/gemeinderat/"], results
    assert results[1:] and all(r.startswith(("/sitzungen/", "/vorlagen/")) for r in results[1:])  # after it
    page, _, _ = visit(browser, council + "/")
    search(page, "Gemeinderat")
    assert page.locator('[data-pagefind-ui-meta="organisation"]').count() == 0  # the field ranks, is not shown
    page.close()
