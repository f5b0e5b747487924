import os
from pathlib import Path

import pytest

from generator.pages.render import parts, render
from generator.pipeline import outputs
from generator.records.kinds import MODELS
from generator.records.load import load
from generator.records.validate import validate
from generator.site.link import Site, link

from .conftest import page_link

TESTS = Path(__file__).parent
GOLDEN = TESTS / "golden"
SEED_AGREEMENT = "vereinbarungen/gemeinsame-vereinbarung-sgb2-2013.md"
SEED_PAPER = "vorlagen/50-2669-xv-2013.md"


def pages_of(content: Path) -> dict[str, str]:
    from generator.records.validate import validate

    site: Site = link(validate(load(content)))
    return {page.path: page.text for page in outputs(site)}


@pytest.fixture(scope="module")
def seed_pages() -> dict[str, str]:
    return pages_of(TESTS.parent / "content")


@pytest.fixture(scope="module")
def valid_pages() -> dict[str, str]:
    return pages_of(TESTS / "fixtures" / "valid")


@pytest.mark.parametrize(
    ("page", "golden"),
    [
        (SEED_AGREEMENT, "agreement-seed.md"),
        (SEED_PAPER, "paper-seed.md"),
        ("organisationen/mais-nrw.md", "organization-seed.md"),
        ("zielgruppen/frauen-muetter-alleinerziehende.md", "target-group-seed.md"),
        ("vereinbarungen/index.md", "agreements-index-seed.md"),
    ],
)
def test_golden_markdown(seed_pages: dict[str, str], page: str, golden: str) -> None:
    assert_golden(seed_pages[page], golden)


def assert_golden(text: str, golden: str) -> None:
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))  # bytes: CSV and iCal keep their CRLF line ends
    assert text == path.read_bytes().decode("utf-8"), "run UPDATE_GOLDEN=1 pytest to accept a change"


# The fixture set has what the seed lacks: a session, key figures, a withdrawn record. One page of each further
# type, and one file of each export (record JSON, table as CSV and JSON, OParl object and list, feed, calendar).
@pytest.mark.parametrize(
    ("page", "golden"),
    [
        ("sitzungen/kreistag-2020-03-05.md", "session-valid.md"),
        ("index.md", "home-valid.md"),
        ("daten.md", "daten-valid.md"),
        ("vereinbarungen/ziele-2020.md", "agreement-valid.md"),
        ("vereinbarungen/ziele-2020.json", "record-valid.json"),
        ("daten/unterschriften.csv", "unterschriften-valid.csv"),
        ("daten/kennzahlen.json", "kennzahlen-valid.json"),
        ("oparl/vorlage/vorlage-1.json", "oparl-vorlage-valid.json"),
        ("oparl/sitzungen.json", "oparl-sitzungen-valid.json"),
        ("aenderungen.xml", "feed-valid.xml"),
        ("sitzungen.ics", "calendar-valid.ics"),
    ],
)
def test_golden_pages_and_exports_of_the_fixture_set(valid_pages: dict[str, str], page: str, golden: str) -> None:
    assert_golden(valid_pages[page], golden)


def test_every_record_and_section_gets_a_page(valid_pages: dict[str, str]) -> None:
    assert sorted(p for p in valid_pages if p.endswith((".md", ".html", ".txt"))) == [
        "barrierefreiheit.md",
        "daten.md",
        "datenschutz.md",
        "dokumente/vereinbarung-2020-pdf.md",
        "impressum.md",
        "index.md",
        "leichte-sprache.md",
        "organisationen/index.md",
        "organisationen/jobcenter.md",
        "organisationen/kreis.md",
        "organisationen/kreistag.md",
        "organisationen/ministerium.md",
        "personen/anna-beispiel.md",
        "personen/index.md",
        "sitzungen/index.md",
        "sitzungen/kreistag-2020-03-05.md",
        "urls.txt",
        "vereinbarungen/index.md",
        "vereinbarungen/ziele-2020.md",
        "vereinbarungen/ziele-2021-offen.md",
        "vereinbarungen/ziele-2022-abgelehnt.md",
        "vorlagen/bericht-2020/index.html",
        "vorlagen/index.md",
        "vorlagen/vorlage-1.md",
        "vorlagen/vorlage-2.md",
        "wahlperioden/index.md",
        "wahlperioden/wahlperiode-2014-2020.md",
        "zielgruppen/alleinerziehende.md",
        "zielgruppen/index.md",
        "zielgruppen/jugendliche.md",
    ]


def test_outcome_lines_in_plain_words(valid_pages: dict[str, str], seed_pages: dict[str, str]) -> None:
    assert "Von allen Beteiligten unterzeichnet." in valid_pages["vereinbarungen/ziele-2020.md"]
    assert (
        "Unterschrieben hat Jobcenter Beispielkreis (1 von 3). Ausstehend: MfB. Ob Beispielkreis unterschrieben hat, "
        "ist nicht bekannt." in valid_pages["vereinbarungen/ziele-2021-offen.md"]
    )
    assert (
        "Nicht unterschrieben: MAIS (ohne Unterschrift zurückgesandt) und Regionaldirektion NRW (nicht "
        "unterschrieben). Grund laut MAIS: eine juristische Kontroverse" in seed_pages[SEED_AGREEMENT]
    )


def test_the_timeline_keeps_the_order_of_the_file_and_says_what_is_known_of_undated_events(
    valid_pages: dict[str, str],
) -> None:
    text = valid_pages["vereinbarungen/ziele-2020.md"]
    in_order = [
        "**2019:** Vorbereitung.",
        "**Datum nicht bekannt:** Unbekannt datiertes Ereignis.",  # keeps its place among the dated ones
        "**Februar 2020:** Beratung im Februar.",
        "**3\\. Februar 2020:** Unterzeichnung",
        "**nach dem 3. Februar 2020, spätestens 2021:** Veröffentlichung.",  # after an event, before a year
    ]
    order = [text.index(s) for s in in_order]
    assert order == sorted(order)


def test_home_page_counts(valid_pages: dict[str, str], seed_pages: dict[str, str]) -> None:
    assert "3 Vereinbarungen, davon 1 von allen unterzeichnet" in valid_pages["index.md"]
    assert "1 Vereinbarung, davon 0 von allen unterzeichnet" in seed_pages["index.md"]
    assert "[6 Organisationen](organisationen/index.md)" in seed_pages["index.md"]


def test_session_page_lists_agenda_with_papers(valid_pages: dict[str, str]) -> None:
    text = valid_pages["sitzungen/kreistag-2020-03-05.md"]
    assert "### TOP 3: Zielvereinbarung 2020 bis 2021" in text
    assert page_link("Vorlage 10/1/2020", "../vorlagen/vorlage-1.md") in text
    assert "5\\. März 2020, 17:00 Uhr" in text
    assert "Nichtöffentlicher Tagesordnungspunkt." in text


def test_unknowns_are_said_not_invented(seed_pages: dict[str, str]) -> None:
    paper = seed_pages[SEED_PAPER]
    assert "- **Datum:** Datum nicht bekannt" in paper
    assert "Gremium und Sitzung gehen aus den erfassten Quellen nicht hervor." in paper
    assert "nicht online verfügbar" in paper


def test_external_urls_are_encoded_not_escaped(valid_pages: dict[str, str]) -> None:
    text = valid_pages["vereinbarungen/ziele-2020.md"]
    assert "[Vereinbarungstext](https://www.example.org/vereinbarung%282020%29.pdf)" in text
    assert "(https://www.example.org/kreis?a=1&b=2)" in valid_pages["organisationen/kreis.md"]


def test_record_text_is_escaped() -> None:
    pages = pages_of(TESTS / "fixtures" / "escaping")
    org = pages["organisationen/boese.md"]
    assert "<script>" not in org and "<img" not in org
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; \\*fett\\* \\[Link\\](https://evil.example/) \\| Rohr \\{#id\\}" in org
    )
    paper = pages["vorlagen/p.md"]
    assert "\n# Keine Überschrift" not in paper and "</span></span>&#35; Keine Überschrift" in paper
    assert "&#45; kein Punkt" in paper and "&gt; kein Zitat &lt;iframe" in paper


def test_at_a_glance_answers_who_what_who_did_not_sign_and_why_in_two_lines(seed_pages: dict[str, str]) -> None:
    text = seed_pages[SEED_AGREEMENT]
    assert text.index('!!! warning "Auf einen Blick"') < text.index("## Beteiligte und Unterschriften")
    box = text.split('!!! warning "Auf einen Blick"', 1)[1].split("\n- ", 1)[0]
    first, second = [line.strip() for line in box.splitlines() if line.strip().startswith("**")][:2]
    assert first == (
        "**Zielvereinbarung (2013) zwischen MAIS, Regionaldirektion NRW, Bundesagentur für Arbeit, Rhein-Kreis Neuss "
        "und Jobcenter Rhein-Kreis Neuss.**"
    )
    assert second.startswith("**Unterschrieben haben Rhein-Kreis Neuss und Jobcenter Rhein-Kreis Neuss (2 von 5). ")
    assert "Grund laut MAIS: eine juristische Kontroverse mit dem Bundesministerium für Arbeit und Soziales" in second
    assert second.endswith("Ob Bundesagentur für Arbeit unterschrieben hat, ist nicht bekannt.**")
    assert "    - **Ziele:** in den Quellen nicht einzeln aufgeführt" in text
    assert "Kennzahlen: keine Werte veröffentlicht." in text


def test_indicators_table_progress_and_chart(valid_pages: dict[str, str]) -> None:
    text = valid_pages["vereinbarungen/ziele-2020.md"]
    assert "**Kennzahl: Jugendliche in Ausbildung** (Personen)" in text
    assert "| Ausgangswert | 1.200 Personen<br>Dezember 2019 | – |" in text
    assert "| Gemessen | 1.260 Personen<br>Juni 2020 | – |" in text
    measured = "| Gemessen | 1.350 Personen<br>Dezember 2020 |"
    assert f"{measured} [Vorlage 10/1/2020, S. 4](../dokumente/vereinbarung-2020-pdf.md) |" in text
    assert "Fortschritt: zuletzt 1.350 Personen (Dezember 2020): 50 % des Wegs vom Ausgangs- zum Zielwert" in text
    assert '<figure class="kennzahl"><svg viewBox=' in text
    assert "Fortschritt: keine Werte veröffentlicht." in text  # the second indicator has no actuals
    assert "Zielgruppen: " + page_link("Jugendliche", "../zielgruppen/jugendliche.md") in text
    assert text.count("<svg") == 1


def test_goal_without_indicators_says_so(valid_pages: dict[str, str]) -> None:
    text = valid_pages["vereinbarungen/ziele-2020.md"]
    goal = text.split("### Alleinerziehende unterstützen", 1)[1].split("## Verlauf", 1)[0]
    assert "Kennzahlen: keine Werte veröffentlicht." in goal


def test_target_group_page_keeps_each_agreements_wording(valid_pages: dict[str, str]) -> None:
    text = valid_pages["zielgruppen/alleinerziehende.md"]
    assert (
        f"| {page_link('Zielvereinbarung 2020 bis 2021', '../vereinbarungen/ziele-2020.md')} | "
        "Januar 2020 bis Dezember 2021 | Alleinerziehende | Alleinerziehende unterstützen |" in text
    )
    assert (
        f"| {page_link('Zielvereinbarung 2022', '../vereinbarungen/ziele-2022-abgelehnt.md')} | 2022 | "
        "Frauen, insbesondere Mütter und Alleinerziehende | keine einzeln aufgeführt |" in text
    )


def test_agreements_overview_by_year_outcome_and_matrix(valid_pages: dict[str, str]) -> None:
    text = valid_pages["vereinbarungen/index.md"]
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## 2022", "## 2020", "## Jahr nicht bekannt", "## Nach Stand der Unterschriften"]
    assert "**Von allen unterzeichnet** (1)" in text and "**Offen** (1)" in text
    assert "**Nicht von allen unterzeichnet** (1)" in text
    year = text.split("## 2022", 1)[1].split("## 2020", 1)[0]
    assert "Wer hat unterschrieben?" in year
    row = next(line for line in year.splitlines() if "ziele-2022-abgelehnt" in line and "sr-only" in line)
    assert '<span aria-hidden="true">✘</span><span class="sr-only">Unterzeichnung abgelehnt</span>' in row
    legend = text.split("Zeichenerklärung:", 1)[1].split("\n", 1)[0]
    assert "… Unterschrift ausstehend" in legend.replace("</span>", "").replace('<span aria-hidden="true">', "")


def test_signature_matrix_marks_who_was_not_a_party() -> None:
    from generator.pages.overviews import signature_matrix
    from generator.records.validate import validate

    site = link(validate(load(TESTS / "fixtures" / "valid")))
    refs = [site.ref("agreements", i) for i in ("ziele-2020", "ziele-2022-abgelehnt")]
    matrix = signature_matrix(site, refs)
    assert [p.id for p in matrix["parties"]] == ["kreis", "jobcenter", "ministerium"]
    assert [c is None for c in matrix["rows"][1]["cells"]] == [True, False, False]
    assert matrix["rows"][1]["cells"][2]["label"] == "Unterzeichnung abgelehnt"


def test_organization_signature_record(valid_pages: dict[str, str]) -> None:
    text = valid_pages["organisationen/ministerium.md"]
    assert "Das Ministerium hält die Zielwerte für zu niedrig." in text
    assert "Unterzeichnung abgelehnt<br>April 2022" in text
    assert "Unterschrift ausstehend<br>Datum nicht bekannt" in text
    kreis = valid_pages["organisationen/kreis.md"]
    assert "## Eingebrachte Vorlagen" in kreis and "## Untergeordnete Organisationen" in kreis


def test_year_page_counts_only_its_own_agreements() -> None:
    from generator.pages.overviews import agreements_overview
    from generator.records.validate import validate

    site = link(validate(load(TESTS / "fixtures" / "valid")))
    view = agreements_overview(site, [site.ref("agreements", "ziele-2022-abgelehnt")], outcomes=False)
    assert view["summary"] == "1 Vereinbarung, davon 0 von allen unterzeichnet."


def test_every_anchor_on_a_page_is_unique(content_copy: Path) -> None:
    """Agenda items "3", "3." and "Ö 3", and a goal whose id is another goal's number, each keep a place of their
    own to link to (before, they shared one and "Link kopieren" jumped to the first)."""
    (content_copy / "sessions" / "drei.yml").write_text(
        "name: Sitzung\norganization: kreistag\nagenda_items:\n"
        "  - {number: '3', title: A}\n  - {number: '3.', title: B}\n  - {number: Ö 3, title: C}\n",
        encoding="utf-8",
    )
    (content_copy / "agreements" / "anker.yml").write_text(
        "title: Anker\nkind: Zielvereinbarung\nsummary: S\n"
        "goals:\n  - {id: '2', title: Eins}\n  - {title: Zwei}\n  - {title: Drei}\n",
        encoding="utf-8",
    )
    pages = pages_of(content_copy)
    session = pages["sitzungen/drei.md"]
    assert [session.count(f"#{a} ") for a in ("top-3", "top-3-2", "top-3-3")] == [1, 1, 1], session
    agreement = pages["vereinbarungen/anker.md"]
    for anchor in ("ziel-2", "ziel-2-2", "ziel-3"):
        assert agreement.count(f"{{ #{anchor} }}") == 1, anchor


def test_the_change_history_shows_public_notes_only_outside_the_search_index() -> None:
    from generator.records.history import Change

    site = link(validate(load(TESTS / "fixtures" / "valid")))
    path = site.records.paths[("papers", "vorlage-1")]
    history = {path: [Change("2026-02-01", "Titel <b>berichtigt</b> & ergänzt"), Change("2026-01-10", None)]}
    text = {p.path: p.text for p in outputs(site, history=history)}["vorlagen/vorlage-1.md"]
    block = text.split("## Änderungen", 1)[1]
    assert '<div class="aenderungen" data-pagefind-ignore="all">' in block
    assert "<p>Zuletzt geändert: 1. Februar 2026</p>" in block
    assert "<li>1. Februar 2026: Titel &lt;b&gt;berichtigt&lt;/b&gt; &amp; ergänzt</li>" in block
    assert block.count("<li>") == 1  # the commit without a note gives only the date above


def test_the_citation_names_the_publisher_the_full_address_and_the_build_date_without_javascript() -> None:
    import datetime as dt

    from generator.records.settings import Operator, Settings
    from generator.site.publication import Publication

    site = link(validate(load(TESTS.parent / "content")))
    publication = Publication(base_url="https://transparenz.example/", now=dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC))
    settings = Settings(operator=Operator(name="Rhein-Kreis Neuss (Betreiber)"))
    pages = {p.path: p.text for p in outputs(site, settings=settings, publication=publication)}
    cite = pages[SEED_AGREEMENT].split('!!! quote zitieren "Zitieren"', 1)[1]
    first = cite.strip().splitlines()[0]
    assert first.startswith(
        "Gemeinsame Vereinbarung zur Erreichung der Ziele im SGB II in 2013. Rhein-Kreis Neuss (Betreiber), Stand: "
        "1. Dezember 2026."  # the build date: this render has no git history
    )  # no party is named as author: they are parties, two of them did not sign
    assert "https://transparenz.example/vereinbarungen/gemeinsame-vereinbarung-sgb2-2013/</span>" in first
    assert 'abgerufen am <span class="zitat-abruf">1\\. Dezember 2026</span>' in first
    assert "- Unterschrift Regionaldirektion NRW: https://transparenz.example/vereinbarungen/" in cite
    paper = pages["vorlagen/50-2669-xv-2013.md"].split('"Zitieren"', 1)[1]
    assert paper.strip().startswith("Vorlage 50/2669/XV/2013: Gemeinsame")  # no originator known: no author


def test_templates_get_view_data_never_a_model() -> None:
    from pydantic import BaseModel

    from generator.pages.views import record_pages

    site = link(validate(load(TESTS / "fixtures" / "valid")))

    def models_in(value: object) -> list[str]:
        if isinstance(value, BaseModel):
            return [type(value).__name__]
        if isinstance(value, dict):
            return [m for item in value.values() for m in models_in(item)]
        if isinstance(value, list | tuple):
            return [m for item in value for m in models_in(item)]
        return []

    specs = list(record_pages(site))
    assert len(specs) == len(site.refs)
    for path, _, view in specs:
        assert models_in(view) == [], path


def test_bounds_pass_through_undated_events_and_a_cycle_says_nothing_false() -> None:
    from generator.records.models import Event
    from generator.records.timeline import when

    events = [
        Event(id="brief", date="2013-07-05", text="Brief"),
        Event(id="b", before="brief", text="B"),
        Event(id="c", after="d", text="C"),
        Event(id="d", after="c", text="D"),
        Event(id="jahr", date="2013", text="Jahr"),
    ]
    assert when(None, "b", None, events=events) == "vor dem 5. Juli 2013"  # through b, which is before the letter
    assert when(None, None, "c", events=events) == "Datum nicht bekannt"  # c after d after c: no date follows
    assert when(None, None, "jahr", events=events) == "frühestens 2013"  # not "nach 2013": it may be in 2013


def test_a_paper_shows_the_result_of_its_consultation_and_a_body_its_sessions_by_year_and_members(
    valid_pages: dict[str, str],
) -> None:
    paper = valid_pages["vorlagen/vorlage-1.md"]
    assert "| Sitzung | Gremium | Tagesordnungspunkt | Rolle | Ergebnis |" in paper
    row = next(line for line in paper.splitlines() if "kreistag-2020-03-05.md" in line and line.startswith("|"))
    assert row.rstrip().endswith("| Entscheidung | beschlossen |")
    council = valid_pages["organisationen/kreistag.md"]
    assert (
        "## Sitzungen\n\n### 2020\n\n- "
        + page_link("5\\. Sitzung des Kreistags", "../sitzungen/kreistag-2020-03-05.md")
        in council
    )
    members = council.split("## Mitglieder", 1)[1].split("### Frühere Mitglieder", 1)
    assert page_link("Dr. Anna Beispiel", "../personen/anna-beispiel.md") in members[0] and "Vorsitzende" in members[0]
    assert "seit 1. November 2020" in members[0] and "| ja |" in members[0]
    assert "| Mitglied | – | 1\\. Juni 2014 bis 31. Oktober 2020 |" in members[1]
    assert members[1].index(
        "#### " + page_link("Wahlperiode 2014–2020", "../wahlperioden/wahlperiode-2014-2020.md")
    ) < members[1].index("| Mitglied | – |")
    person = valid_pages["personen/anna-beispiel.md"]
    assert '# <span class="art">Person' in person and "Kontaktdaten, Anschriften, Fotos" in person


def test_a_body_with_many_sessions_gets_a_page_per_year_and_agenda_headings_group_their_items(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "organizations").mkdir(parents=True)
    (content / "sessions").mkdir()
    (content / "organizations" / "rat.yml").write_text("name: Gemeinderat\n", encoding="utf-8")
    for number in range(101):
        year = 2020 + number % 2
        agenda = (
            "agenda_items:\n  - {title: Öffentliche Sitzung}\n  - {number: '1', title: Eröffnung}\n"
            if number == 0
            else ""
        )
        (content / "sessions" / f"rat-{number}.yml").write_text(
            f"name: {number}. Sitzung\norganization: rat\ndate: {year}-03-{number % 28 + 1:02d}\n{agenda}",
            encoding="utf-8",
        )
    pages = {p.path: p.text for p in render(link(validate(load(content))))}
    council = pages["organisationen/rat.md"]
    assert "- " + page_link("2021", "rat/sitzungen/2021.md") + " (50)" in council
    assert "- " + page_link("2020", "rat/sitzungen/2020.md") + " (51)" in council
    assert "1\\. Sitzung" not in council  # the sessions stand on the year pages, not on the body's page
    one_year = pages["organisationen/rat/sitzungen/2021.md"]
    assert one_year.count("../../../sitzungen/rat-") == 50 and "# Sitzungen: Gemeinderat, 2021" in one_year
    session = pages["sitzungen/rat-0.md"]
    assert "### Öffentliche Sitzung { #top-1 }" in session and "#### TOP 1: Eröffnung { #top-1-2 }" in session


def test_the_two_parts_share_every_record_and_document_page_once(demo_site: Site) -> None:
    main, other = parts(demo_site, share=0.65)
    keys = {(kind, i) for kind in MODELS for i in demo_site.records.of_kind(kind)}
    assert main.records | other.records == keys and not main.records & other.records
    assert main.documents | other.documents == set(demo_site.documents) and not main.documents & other.documents
    assert round(len(other.records) / len(keys), 2) == 0.65 and main.main and not other.main
