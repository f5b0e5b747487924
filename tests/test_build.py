"""Strict MkDocs builds of the real content and the fixtures, checked in the HTML."""

import gc
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.pipeline import Paths, build, collect_less
from generator.publish import builder
from generator.publish.builder import BuildError, build_site
from generator.publish.pagefind import SEARCH_IGNORE
from generator.records.problems import ContentError
from generator.site.workers import PYTHONS_COLLECTOR

from .conftest import CONFIG, FIXTURES, ROOT

AGREEMENT = "vereinbarungen/gemeinsame-vereinbarung-sgb2-2013/index.html"
PAPER = "vorlagen/50-2669-xv-2013/index.html"
LOADED = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc=\"([^\"]+)\"|<link\b[^>]*\bhref=\"([^\"]+)\""
)
LINKS = re.compile(r"\b(?:href|src)=\"([^\"]+)\"")


def html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def text(site: Path, page: str) -> str:
    """Visible text of a page, tags removed and whitespace folded, for fact checks."""
    body = html(site, page).split('<article class="md-content__inner md-typeset">', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_every_page_is_german(built_content: Path) -> None:
    pages = list(built_content.rglob("*.html"))
    assert len(pages) >= 14
    for page in pages:
        assert '<html lang="de"' in page.read_text(encoding="utf-8"), page


def test_no_page_loads_anything_from_another_host(built_content: Path) -> None:
    for page in built_content.rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        for match in LOADED.finditer(source):
            url = match.group(1) or match.group(2)
            if 'rel="canonical"' in match.group(0):
                continue  # names the page's public address; nothing is loaded from it
            assert not re.match(r"^(https?:)?//", url), f"{page}: loads {url}"
        assert "fonts.googleapis" not in source and "fonts.gstatic" not in source


def test_no_link_to_another_host_except_the_public_address(built_content: Path) -> None:
    for page in built_content.rglob("*.html"):
        for url in LINKS.findall(page.read_text(encoding="utf-8")):
            if re.match(r"^(https?:)?//", url):
                assert url.startswith("http://127.0.0.1:8000/"), f"{page}: {url}"


def test_seed_agreement_page_states_the_facts(built_content: Path) -> None:
    page = text(built_content, AGREEMENT)
    assert "Vereinbarung · Gemeinsame Vereinbarung zur Erreichung der Ziele im SGB II in 2013" in page  # the kind first
    assert (
        "Nicht unterschrieben: MAIS (ohne Unterschrift zurückgesandt) und Regionaldirektion NRW (nicht unterschrieben)"
        in page
    )
    assert "Grund laut MAIS: eine juristische Kontroverse mit dem Bundesministerium für Arbeit und Soziales" in page
    for party in (
        "Jobcenter Rhein-Kreis Neuss",
        "Rhein-Kreis Neuss",
        "Ministerium für Arbeit, Integration und Soziales",
        "Regionaldirektion Nordrhein-Westfalen",
        "Bundesagentur für Arbeit",
    ):
        assert party in page
    assert page.count("✔ unterzeichnet vor dem 5. Juli 2013") == 2
    assert "↩ ohne Unterschrift zurückgesandt 5. Juli 2013" in page
    facts = page.split("Zuletzt geändert", 1)[0]  # the change notes below may name the old wording
    assert "○ nicht unterschrieben Datum nicht bekannt" in facts and "abgelehnt" not in facts  # no refusal reported
    assert "nicht bekannt Datum nicht bekannt keine Begründung bekannt" in page  # the Bundesagentur für Arbeit
    assert "Laut MAIS: eine juristische Kontroverse mit dem Bundesministerium für Arbeit und Soziales" in page
    for group in (
        "Jugendliche",
        "Frauen, insbesondere Mütter und Alleinerziehende",
        "Personen mit Migrationshintergrund",
        "Langzeitleistungsbezieher, darunter auch arbeitsmarktferne Personengruppen",
    ):
        assert group in page
    assert "in Kraft" not in page and "abgeschlossen" not in page
    undated = page.index("vor dem 5. Juli 2013: Zunächst wird eine Zielvereinbarung entwickelt")
    assert undated < page.index("5. Juli 2013: Mit Schreiben vom 05.07.2013")  # the document's order


def test_seed_pages_link_each_other(built_content: Path) -> None:
    agreement = html(built_content, AGREEMENT)
    assert 'href="../../vorlagen/50-2669-xv-2013/"' in agreement
    assert 'href="../../organisationen/mais-nrw/"' in agreement
    paper = html(built_content, PAPER)
    assert 'href="../../vereinbarungen/gemeinsame-vereinbarung-sgb2-2013/"' in paper
    assert "Eingebracht von: nicht bekannt" in text(built_content, PAPER)  # the document does not say
    mais = html(built_content, "organisationen/mais-nrw/index.html")
    assert 'href="../../vereinbarungen/gemeinsame-vereinbarung-sgb2-2013/"' in mais
    ba = html(built_content, "organisationen/bundesagentur-fuer-arbeit/index.html")
    assert 'href="../../vereinbarungen/gemeinsame-vereinbarung-sgb2-2013/"' in ba  # a partner in its own right


def test_status_is_shown_by_words_not_only_symbol(built_content: Path) -> None:
    agreement = html(built_content, AGREEMENT)
    assert '<span aria-hidden="true">↩</span> ohne Unterschrift zurückgesandt' in agreement
    assert "<th>Unterschrift</th>" in agreement


def test_navigation_holds_sections_not_records(built_content: Path) -> None:
    # Everything before the article: header, tabs and the primary navigation Material puts on every page.
    nav = html(built_content, "index.html").split('<article class="md-content__inner', 1)[0]
    assert 'class="md-nav md-nav--primary' in nav
    assert 'href="vereinbarungen/"' in nav and 'href="vorlagen/"' in nav
    assert "gemeinsame-vereinbarung-sgb2-2013" not in nav
    assert "50-2669-xv-2013" not in nav


def test_404_page_and_sitemap(built_content: Path) -> None:
    not_found = html(built_content, "404.html")
    assert "Seite nicht gefunden" in not_found and '<html lang="de"' in not_found
    sitemap = (built_content / "sitemap.xml").read_text(encoding="utf-8")
    assert "/vereinbarungen/gemeinsame-vereinbarung-sgb2-2013/</loc>" in sitemap
    assert "/vorlagen/50-2669-xv-2013/</loc>" in sitemap


def test_search_index_is_built_in_german(built_content: Path) -> None:
    entry = json.loads((built_content / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["de"]
    assert entry["languages"]["de"]["page_count"] == 25  # every page but the 404 page
    assert (built_content / "pagefind" / "pagefind-ui.js").is_file()
    assert "data-pagefind-body" in html(built_content, AGREEMENT)
    assert "data-pagefind-body" not in html(built_content, "404.html")


SEARCH_BODY = re.compile(r"<div data-pagefind-body[^>]*>")


def test_overviews_are_searched_by_heading_and_organisations_by_name(built_valid: Path) -> None:
    """The start page and the overviews are marked for the search index to take their heading only; an
    organisation's page names the organisation in the metadata field that the search weights (suche.js)."""
    assert ".uebersicht > :not(h1)" in SEARCH_IGNORE
    overviews = ["index.html", *(f"{s}/index.html" for s in ("vereinbarungen", "vorlagen", "sitzungen"))]
    overviews += [f"{s}/index.html" for s in ("organisationen", "personen", "zielgruppen")]
    for page in overviews:
        assert SEARCH_BODY.findall(html(built_valid, page)) == ['<div data-pagefind-body class="uebersicht">'], page
    organisation = html(built_valid, "organisationen/kreistag/index.html")
    assert SEARCH_BODY.findall(organisation) == [
        '<div data-pagefind-body data-pagefind-meta="organisation:Kreistag des Beispielkreises">'
    ]
    records = ["vereinbarungen/ziele-2020", "vorlagen/vorlage-1", "sitzungen/kreistag-2020-03-05"]
    records += ["personen/anna-beispiel", "zielgruppen/jugendliche", "impressum"]
    for page in records:
        assert SEARCH_BODY.findall(html(built_valid, f"{page}/index.html")) == ["<div data-pagefind-body>"], page


def test_fixture_site_has_session_and_links(built_valid: Path) -> None:
    session = html(built_valid, "sitzungen/kreistag-2020-03-05/index.html")
    assert 'href="../../vorlagen/vorlage-1/"' in session
    assert "5. März 2020, 17:00 Uhr" in text(built_valid, "sitzungen/kreistag-2020-03-05/index.html")
    paper = html(built_valid, "vorlagen/vorlage-1/index.html")
    assert 'href="../../sitzungen/kreistag-2020-03-05/"' in paper


def test_escaped_markup_stays_text(tmp_path: Path) -> None:
    build(Paths(content=FIXTURES / "escaping", site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    for page in (tmp_path / "site").rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        assert "<script>alert" not in source and "<img src=x" not in source and "<iframe" not in source, page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html(tmp_path / "site", "organisationen/boese/index.html")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_invalid_content_leaves_site_byte_identical(tmp_path: Path, content_copy: Path) -> None:
    paths = Paths(content=content_copy, site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG)
    build(paths)
    before = snapshot(paths.site)
    (content_copy / "papers" / "vorlage-2.yml").write_text("title: [kaputt\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build(paths)
    assert snapshot(paths.site) == before


def test_failed_mkdocs_build_leaves_site_byte_identical(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("alte Website", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("[kaputt](fehlt.md)\n", encoding="utf-8")  # strict: broken link fails
    with pytest.raises(BuildError):
        build_site(config_file=CONFIG, docs_dir=docs, site_dir=site)
    assert snapshot(site) == {"index.html": b"alte Website"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_successful_build_replaces_the_old_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "veraltet.html").write_text("weg damit", encoding="utf-8")
    build(Paths(content=FIXTURES / "valid", site=site, docs=tmp_path / "docs", config=CONFIG))
    assert not (site / "veraltet.html").exists()
    assert (site / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "docs.static", "site"]  # no staging folder left


def test_attachment_is_published_and_linked(built_valid: Path) -> None:
    published = built_valid / "dateien" / "vereinbarung-2020.pdf"
    assert published.read_bytes() == (FIXTURES / "valid" / "files" / "vereinbarung-2020.pdf").read_bytes()
    page = html(built_valid, "vereinbarungen/ziele-2020/index.html")
    assert (
        '<a href="../../dateien/vereinbarung-2020.pdf" data-datei>Unterschriebene Fassung</a> (PDF, 50 Bytes, 2 Seiten)'
        in page
    )
    assert 'href="../../dokumente/vereinbarung-2020-pdf/" data-seite data-pagefind-ignore="all">Text lesen</a>' in page


def test_seed_agreement_answers_the_three_questions(built_content: Path) -> None:
    page = text(built_content, AGREEMENT)
    source = html(built_content, AGREEMENT)
    assert page.index("Auf einen Blick") < page.index("Beteiligte und Unterschriften")
    assert "Unterschrieben haben Rhein-Kreis Neuss und Jobcenter Rhein-Kreis Neuss (2 von 5)" in page
    for group in (
        "jugendliche",
        "frauen-muetter-alleinerziehende",
        "menschen-mit-migrationshintergrund",
        "langzeitleistungsbeziehende",
    ):
        assert f'href="../../zielgruppen/{group}/"' in source
    assert "Schreiben des MAIS vom 05.07.2013" in page
    assert "keine Werte veröffentlicht" in page
    # every statement is linked to the paper it comes from, once per section where a whole section shares one
    # source: parties (5), groups (1), background (2: one statement quotes its sentence, so the two no longer share
    # their source), events (6), notes (2: likewise), documents (2), the record itself (1) and the related-papers
    # list (1)
    assert source.count('href="../../vorlagen/50-2669-xv-2013/"') == 20
    assert "Quelle für diesen Abschnitt: Vorlage 50/2669/XV/2013, S. 1" in page


def test_matrix_and_target_group_pages(built_content: Path) -> None:
    overview = html(built_content, "vereinbarungen/index.html")
    assert '<span class="sr-only">ohne Unterschrift zurückgesandt</span>' in overview
    assert "Zeichenerklärung" in overview
    group = text(built_content, "zielgruppen/frauen-muetter-alleinerziehende/index.html")
    assert "Frauen, insbesondere Mütter und Alleinerziehende" in group
    start = text(built_content, "index.html")
    assert "1 Vereinbarung, davon 0 von allen unterzeichnet" in start and "4 Zielgruppen" in start


def test_indicator_chart_is_inline_svg_with_text(built_valid: Path) -> None:
    source = html(built_valid, "vereinbarungen/ziele-2020/index.html")
    assert '<figure class="kennzahl"><svg viewBox="0 0 320 160"' in source
    assert 'role="img"' in source and "<desc id=" in source
    assert "50 % des Wegs vom Ausgangs- zum Zielwert" in text(built_valid, "vereinbarungen/ziele-2020/index.html")


def test_legal_pages_and_footer_links(built_content: Path) -> None:
    for page in ("impressum", "datenschutz", "barrierefreiheit", "leichte-sprache"):
        assert (built_content / page / "index.html").is_file()
    impressum = text(built_content, "impressum/index.html")
    assert "Angabe fehlt (Einstellung „operator.name“)" in impressum  # never placeholder text
    for page in ("index.html", AGREEMENT, "404.html"):
        footer = html(built_content, page).split('class="pflichtseiten"', 1)[1].split("</nav>", 1)[0]
        assert "Impressum" in footer and "Leichte Sprache" in footer
        assert "//impressum" not in footer
    assert "keine Cookies" in text(built_content, "datenschutz/index.html")
    assert "Kontaktdaten (E-Mail, Telefon), Anschriften, Fotos" in text(built_content, "datenschutz/index.html")


def test_former_id_redirects_without_javascript(built_valid: Path) -> None:
    redirect = html(built_valid, "vorlagen/bericht-2020/index.html")
    assert '<meta http-equiv="refresh" content="0; url=../vorlage-2/">' in redirect
    assert '<link rel="canonical" href="../vorlage-2/">' in redirect
    assert '<a href="../vorlage-2/">Bericht ohne Beratung</a>' in redirect
    assert '<html lang="de">' in redirect


def test_withdrawn_record_keeps_its_page_and_says_so(built_valid: Path) -> None:
    page = text(built_valid, "vereinbarungen/ziele-2021-offen/index.html")
    assert (
        "Zurückgezogen Dieser Eintrag wurde zurückgezogen (Juni 2021). Grund: Durch eine neue Fassung ersetzt" in page
    )


def test_renamed_record_keeps_its_old_address(tmp_path: Path, content_copy: Path) -> None:
    old = content_copy / "papers" / "vorlage-1.yml"
    new = content_copy / "papers" / "beschluss-2020-1.yml"
    new.write_text(old.read_text(encoding="utf-8") + "former_ids: [vorlage-1]\n", encoding="utf-8")
    old.unlink()
    for path in content_copy.rglob("*.yml"):
        path.write_text(
            path.read_text(encoding="utf-8")
            .replace("vorlage-1\n", "beschluss-2020-1\n")
            .replace("paper: vorlage-1,", "paper: beschluss-2020-1,")
            .replace("[vorlage-1]\n", "[beschluss-2020-1]\n"),
            encoding="utf-8",
        )
    new.write_text(
        new.read_text(encoding="utf-8").replace("former_ids: [beschluss-2020-1]", "former_ids: [vorlage-1]"),
        encoding="utf-8",
    )
    build(Paths(content=content_copy, site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    redirect = (tmp_path / "site" / "vorlagen" / "vorlage-1" / "index.html").read_text(encoding="utf-8")
    assert 'url=../beschluss-2020-1/"' in redirect
    assert (tmp_path / "site" / "vorlagen" / "beschluss-2020-1" / "index.html").is_file()


def test_every_build_publishes_its_address_list(built_content: Path) -> None:
    urls = (built_content / "urls.txt").read_text(encoding="utf-8").splitlines()
    assert "/vereinbarungen/gemeinsame-vereinbarung-sgb2-2013/" in urls and "/" in urls


def test_stable_anchors_with_copy_links_and_citation(built_valid: Path) -> None:
    agreement = html(built_valid, "vereinbarungen/ziele-2020/index.html")
    for anchor in ("partei-jobcenter", "ziel-ausbildung", "ereignis-unterzeichnung-jobcenter"):
        assert f'id="{anchor}"' in agreement
        assert f'<a class="link-kopieren" href="#{anchor}"' in agreement
    session = html(built_valid, "sitzungen/kreistag-2020-03-05/index.html")
    assert 'id="top-3"' in session and 'href="#top-3"' in session
    cite = text(built_valid, "vorlagen/vorlage-1/index.html").split("Zitieren", 1)[1]
    # the paper's originator is its author; the publisher is the operator (here unset: the site's name)
    assert cite.startswith(
        " Beispielkreis: Vorlage 10/1/2020: Zielvereinbarung 2020 bis 2021. Vereinbarungen und Unterschriften, Stand: "
    )
    assert "http://127.0.0.1:8000/vorlagen/vorlage-1/ , abgerufen am " in cite  # text() spaces out tags
    assert "(Datum des Abrufs)" not in cite  # the build date, without JavaScript


def test_duplicate_goal_ids_are_refused(tmp_path: Path, content_copy: Path) -> None:
    path = content_copy / "agreements" / "ziele-2020.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  - title: Alleinerziehende unterstützen", "  - id: ausbildung\n    title: Alleinerziehende"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as info:
        build(Paths(content=content_copy, site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    assert [(p.code, p.path) for p in info.value.problems] == [("duplicate-id", "agreements/ziele-2020.yml")]


@pytest.mark.slow
def test_anchors_are_stable_across_builds(tmp_path: Path, content_copy: Path) -> None:
    def anchors(site: Path) -> list[str]:
        return re.findall(
            r'id="((?:partei|ziel|ereignis|top)-[^"]+)"', html(site, "vereinbarungen/ziele-2020/index.html")
        )

    first = build(Paths(content=content_copy, site=tmp_path / "a", docs=tmp_path / "da", config=CONFIG))
    assert first.records
    path = content_copy / "agreements" / "ziele-2020.yml"  # reordering goals and events keeps the given ids
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Mehr Ausbildung", "Mehr Ausbildungsplätze"), encoding="utf-8")
    build(Paths(content=content_copy, site=tmp_path / "b", docs=tmp_path / "db", config=CONFIG))
    assert anchors(tmp_path / "a") == anchors(tmp_path / "b")
    assert "ziel-ausbildung" in anchors(tmp_path / "b")


def test_record_pages_show_their_change_history(built_content: Path, built_valid: Path) -> None:
    assert "Zuletzt geändert:" in text(built_content, AGREEMENT)  # content/ is in git
    page = text(built_valid, "vorlagen/vorlage-1/index.html")  # so is the fixture set
    assert "Zuletzt geändert:" in page or "noch nicht im Versionsverlauf" in page


@pytest.mark.parametrize("built", ["built_content", "built_valid"])
def test_every_link_and_asset_inside_the_site_leads_to_a_file(built: str, request: pytest.FixtureRequest) -> None:
    """MkDocs checks the links between pages; this also covers the HTML links to JSON, downloads and attachments."""
    site: Path = request.getfixturevalue(built)
    reference = re.compile(r'(?:href|src)="([^"#?]+)')
    broken = []
    for page in site.rglob("*.html"):
        for target in reference.findall(page.read_text(encoding="utf-8")):
            if re.match(r"^([a-z]+:|//)", target):
                continue  # the public address and other hosts are checked elsewhere
            base = site if target.startswith("/") else page.parent  # the 404 page links from the site's root
            resolved = (base / target.lstrip("/")).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.is_file():
                broken.append(f"{page.relative_to(site)} → {target}")
    assert broken == []


def test_staging_folders_of_a_killed_build_are_removed_at_the_next_build(tmp_path: Path) -> None:
    # The partial builds' folders (a cached build's changed pages, a live preview's update) are named after the
    # staging folder they build for, so they go with it.
    for left in (".site.new-k1ll3d", ".site.old-k1ll3d", ".site.new-k1ll3d.seiten-x", ".site.preview-x.teil-y"):
        (tmp_path / left / "vorlagen").mkdir(parents=True)
        (tmp_path / left / "vorlagen" / "index.html").write_text("halb fertig", encoding="utf-8")
    (tmp_path / ".other.new-x").mkdir()  # another site folder's: not this build's to remove
    build(Paths(content=FIXTURES / "valid", site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.new-x", "docs", "docs.static", "site"]


FAKE_PAGEFIND = """
import os, signal, sys, time
if "--version" in sys.argv:  # asked by the build cache's key, before the build
    print("pagefind fake")
    sys.exit(0)
with open(os.environ["FAKE_PAGEFIND_PID"], "w") as file:
    file.write(str(os.getpid()))
if os.environ.get("FAKE_PAGEFIND_INTERRUPT"):
    os.kill(os.getppid(), signal.SIGINT)
time.sleep(30)
"""


@pytest.fixture
def slow_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``python -m pagefind`` becomes a child that notes its process id in the returned file and sleeps."""
    package = tmp_path / "fake" / "pagefind"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(FAKE_PAGEFIND)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path / "fake"), str(ROOT)]))
    monkeypatch.setenv("FAKE_PAGEFIND_PID", str(tmp_path / "pagefind.pid"))
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "fake")  # not the binary `make` put beside Python: the module
    return tmp_path / "pagefind.pid"


@pytest.fixture
def interruptible() -> Iterator[None]:
    """Ctrl+C raises KeyboardInterrupt in this process, as in a terminal: a process started in the background by a
    shell without job control begins with SIGINT ignored, and Python then leaves it so."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def gone(pid: int) -> bool:
    """Whether process ``pid`` has ended and been waited for (a zombie still counts as there)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    os.kill(pid, signal.SIGKILL)  # the test failed; leave nothing running
    return False


@pytest.mark.slow
def test_a_build_stopped_during_the_search_index_leaves_no_child_and_no_staging_folder(
    tmp_path: Path, slow_pagefind: Path
) -> None:
    build_dir = tmp_path / "out"
    command = [sys.executable, "-m", "generator", "build", "--content", str(FIXTURES / "valid"), "--config"]
    command += [str(CONFIG), "--site", str(build_dir / "site"), "--docs", str(build_dir / "docs")]
    child = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(300):
            if slow_pagefind.exists() and slow_pagefind.read_text():
                break
            time.sleep(0.05)
        pagefind = int(slow_pagefind.read_text())
        child.send_signal(signal.SIGTERM)  # as a CI runner or `kill` stops a job
        _, err = child.communicate(timeout=10)
    finally:
        child.kill()
    assert child.returncode == 130 and "Abgebrochen." in err and "Traceback" not in err
    assert gone(pagefind)
    assert sorted(p.name for p in build_dir.iterdir()) == ["docs", "docs.static"]  # no site, no staging folder


def test_an_interrupted_search_index_ends_its_child(
    tmp_path: Path, slow_pagefind: Path, monkeypatch: pytest.MonkeyPatch, interruptible: None
) -> None:
    monkeypatch.setenv("FAKE_PAGEFIND_INTERRUPT", "1")  # Ctrl+C while Pagefind runs
    try:
        build(Paths(content=FIXTURES / "valid", site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    except KeyboardInterrupt:
        assert gone(int(slow_pagefind.read_text()))  # ended before the interruption left the build
    else:
        pytest.fail("not interrupted")
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")]


def _slow_shard(config_file: str, docs_dir: str, site_dir: str, exclude: str) -> tuple[bool, str]:
    Path(os.environ["SHARD_PIDS"], str(os.getpid())).write_text("")
    time.sleep(6)
    return True, ""


def test_an_interrupted_parallel_build_ends_its_workers_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruptible: None
) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setenv("SHARD_PIDS", str(pids))
    monkeypatch.setattr("generator.publish.builder._mkdocs", _slow_shard)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Start\n", encoding="utf-8")

    def interrupt() -> None:  # Ctrl+C once both workers run
        for _ in range(200):
            if len(list(pids.iterdir())) == 2:
                break
            time.sleep(0.02)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt, daemon=True).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        build_site(config_file=CONFIG, docs_dir=docs, site_dir=tmp_path / "site", jobs=2)
    assert time.monotonic() - started < 3  # not after the workers' six seconds
    assert len(list(pids.iterdir())) == 2 and all(gone(int(p.name)) for p in pids.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "pids"]


def test_mkdocs_runs_with_pythons_collector_thresholds_whatever_the_generators(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import mkdocs.commands.build

    seen: list[tuple[int, int, int]] = []
    monkeypatch.setattr(mkdocs.commands.build, "build", lambda config: seen.append(gc.get_threshold()))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Start\n", encoding="utf-8")
    with collect_less():
        assert builder._mkdocs(str(CONFIG), str(docs), str(tmp_path / "site"), "")[0]
    assert seen == [PYTHONS_COLLECTOR]
