"""The seed's records say what Sitzungsvorlage 50/2669/XV/2013 says: nothing more, nothing invented."""

import re
from pathlib import Path
from typing import Protocol

import pytest

from generator.pipeline import Paths, check
from generator.records.kinds import MODELS
from generator.records.load import load
from generator.records.models import SignatureStatus, Source, sources
from generator.records.texts import DocumentText, find_quote
from generator.records.validate import Records, validate
from generator.site.link import link

from .conftest import CONTENT, SEED


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"source document not found at {SEED}")
    text = SEED.read_text(encoding="utf-8")
    text = re.sub(r"(?<=\w)-\s+(?=[A-ZÄÖÜ])", "-", text)  # "Rhein- Kreis" → "Rhein-Kreis" (line-break hyphenation)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def records() -> Records:
    return validate(load(CONTENT))


AGREEMENT = "gemeinsame-vereinbarung-sgb2-2013"
PAPER = "50-2669-xv-2013"


def test_the_seed_records_exist(records: Records) -> None:
    assert list(records.agreements) == [AGREEMENT]
    assert list(records.papers) == [PAPER]
    assert records.sessions == {}
    assert set(records.organizations) == {
        "jobcenter-rhein-kreis-neuss",
        "rhein-kreis-neuss",
        "mais-nrw",
        "regionaldirektion-nrw",
        "bundesagentur-fuer-arbeit",
        "bmas",
    }


def test_titles_and_names_are_quoted_from_the_source(records: Records, seed_text: str) -> None:
    paper = records.papers[PAPER]
    assert f"Sitzungsvorlage-Nr. {paper.reference}" in seed_text
    assert paper.title in seed_text
    for group in records.agreements[AGREEMENT].target_groups:
        assert group.name in seed_text, group.name
    for shared in records.target_groups.values():  # the shared pages keep the source's wording too
        assert shared.name in seed_text, shared.name
    for org in records.organizations.values():
        assert org.name in seed_text, org.name
    assert "gemeinsamen Grundlagen der Zielsteuerung SGB II" in seed_text


def test_unknowns_stay_unknown(records: Records) -> None:
    paper = records.papers[PAPER]
    assert paper.date is None and paper.organization is None  # the document names no date and no originator
    assert paper.consultations == []
    agreement = records.agreements[AGREEMENT]
    assert agreement.goals == []
    assert all(not d.online and d.url is None for d in agreement.documents + paper.attachments)
    signed = [p for p in agreement.parties if p.signature.status is SignatureStatus.SIGNED]
    assert [p.signature.date for p in signed] == [None, None]
    assert [p.signature.before for p in signed] == ["mais-schreiben", "mais-schreiben"]  # before the letter


def test_the_parties_are_the_partners_the_document_lists_in_its_order(records: Records, seed_text: str) -> None:
    partners = "zwischen dem MAIS, der Regionaldirektion NRW, der Bundesagentur für Arbeit, den Kommunalen Trägern"
    assert partners in seed_text
    assert [p.organization for p in records.agreements[AGREEMENT].parties] == [
        "mais-nrw",
        "regionaldirektion-nrw",
        "bundesagentur-fuer-arbeit",
        "rhein-kreis-neuss",
        "jobcenter-rhein-kreis-neuss",
    ]


def test_signatures_say_no_more_than_the_document(records: Records, seed_text: str) -> None:
    parties = {p.organization: p.signature for p in records.agreements[AGREEMENT].parties}
    assert {k: v.status.value for k, v in parties.items()} == {
        "mais-nrw": "returned_unsigned",  # "sandte das MAIS die Zielvereinbarung ohne diese zu unterzeichnen zurück"
        "regionaldirektion-nrw": "not_signed",  # only the MAIS's word that it "derzeit nicht unterschrieben" can
        "bundesagentur-fuer-arbeit": "unknown",  # a partner; the document says nothing of its signature
        "rhein-kreis-neuss": "signed",
        "jobcenter-rhein-kreis-neuss": "signed",
    }
    assert (
        "ohne diese zu unterzeichnen zurück" in seed_text and "derzeit nicht unterschrieben werden können" in seed_text
    )
    assert parties["mais-nrw"].date is not None and parties["mais-nrw"].date.iso() == "2013-07-05"
    assert parties["regionaldirektion-nrw"].date is None
    for org in ("mais-nrw", "regionaldirektion-nrw"):
        reason = parties[org].reason or ""
        assert parties[org].reported_by == "mais-nrw"  # "Das Ministerium teilte mit"
        assert reason in seed_text, reason  # "Grund sei eine juristische Kontroverse …"


def test_events_follow_the_document_in_its_order(records: Records, seed_text: str) -> None:
    events = records.agreements[AGREEMENT].events
    phrases = [
        "Seit 2011 führt das Ministerium",
        "zu multilateralen Zielvereinbarungen",
        "Zunächst wurde daraufhin eine Zielvereinbarung entwickelt",
        "unterzeichnete Zielvereinbarung wurde dem MAIS zugeleitet",
        "Mit Schreiben vom 05.07.2013",
        "Das Ministerium teilte mit",
    ]
    positions = [seed_text.index(p) for p in phrases]
    assert positions == sorted(positions) and len(events) == len(phrases)
    assert [e.id for e in events] == [
        "zielvereinbarungsdialog", "ausbau", "entwurf", "unterzeichnet", "mais-schreiben", "mitteilung"
    ]  # fmt: skip
    assert [e.before for e in events[2:4]] == ["mais-schreiben", "mais-schreiben"]
    assert events[5].text.startswith("Das MAIS teilt mit")  # the text says whose word it is


def test_the_facts_the_document_states_are_there_in_its_words(records: Records, seed_text: str) -> None:
    agreement = records.agreements[AGREEMENT]
    statements = [s.text for s in agreement.background] + [n.text for n in agreement.notes]
    assert "schließt das Jobcenter mit der Bundesagentur für Arbeit Zielvereinbarungen ab" in statements[0]
    assert "jährlich in der Trägerversammlung erläutert" in statements[1]
    for text in statements:
        assert text.rstrip(".") in seed_text, text


def test_every_date_appears_in_the_source(records: Records, seed_text: str) -> None:
    agreement = records.agreements[AGREEMENT]
    dates = [e.date for e in agreement.events] + [p.signature.date for p in agreement.parties]
    dates += [d.date for d in agreement.documents]
    for date in filter(None, dates):
        if date.day is not None:
            assert f"{date.day:02d}.{date.month:02d}.{date.year}" in seed_text
        else:
            assert str(date.year) in seed_text


class Sourced(Protocol):
    @property
    def source(self) -> Source | None: ...


def test_every_statement_names_its_source(records: Records) -> None:
    agreement = records.agreements[AGREEMENT]
    statements: list[Sourced] = [*agreement.events, *agreement.target_groups, *agreement.notes, *agreement.documents]
    statements += [*agreement.background, *(p.signature for p in agreement.parties)]
    assert all(s.source is not None and s.source.paper == PAPER for s in statements)
    assert agreement.source is not None


def test_seed_links(records: Records) -> None:
    site = link(records)
    assert [r.id for r in site.related_of("agreements", AGREEMENT, "papers")] == [PAPER]
    assert "bundesagentur-fuer-arbeit" not in site.children  # the document names them side by side
    assert [r.id for r in site.related_of("organizations", "bundesagentur-fuer-arbeit", "agreements")] == [AGREEMENT]


def test_content_is_never_modified_by_a_build(tmp_path: Path) -> None:
    from generator.pipeline import Paths, build

    from .conftest import CONFIG

    before = {p: p.read_bytes() for p in CONTENT.rglob("*") if p.is_file()}
    build(Paths(content=CONTENT, site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    assert {p: p.read_bytes() for p in CONTENT.rglob("*") if p.is_file()} == before


def seed_document() -> DocumentText:
    """The seed, Sitzungsvorlage 50/2669/XV/2013, as its two pages: split where it prints "Seite 2 von 2"."""
    text = SEED.read_text(encoding="utf-8")
    first, second = text.split("Seite 2 von 2", 1)
    return DocumentText("sitzungsvorlage.pdf", (first, "Seite 2 von 2" + second), (None, None), corrected=False)


def test_every_quote_of_the_seed_content_stands_on_its_page_of_the_seed() -> None:
    """The content quotes only short sentences of the seed (its full text stays in ../shared/seeds/); each is
    proven here against the page its source names, as check proves quotes against content/texts/."""
    seed = seed_document()
    site = check(Paths(content=CONTENT))
    quotes = [
        (kind, record.id, source)
        for kind in MODELS
        for record in site.records.of_kind(kind).values()
        for _, source in sources(record)
        if source.quote
    ]
    assert len(quotes) >= 6
    for kind, record_id, source in quotes:
        assert source.paper == "50-2669-xv-2013"
        found, closest = find_quote(source.quote or "", seed, source.page)
        assert found, f"{kind}/{record_id}: {source.quote!r} not on page {source.page}; closest: {closest!r}"
    assert site.records.quotes == {"unchecked": len(quotes)}  # the site has no text of the seed: not proven there
    paged = next(source for _, _, source in quotes if source.page == 2)
    assert not find_quote(paged.quote or "", seed, 1)[0]  # the check tells the pages apart
