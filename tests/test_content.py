"""The seed's records say what Sitzungsvorlage 50/2669/XV/2013 says: nothing more, nothing invented."""

import re
from pathlib import Path

import pytest

from generator.link import link
from generator.load import load
from generator.models import SignatureStatus
from generator.validate import Records, validate

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
    assert paper.reference in seed_text
    assert paper.title in seed_text
    assert records.agreements[AGREEMENT].title == paper.title
    for group in records.agreements[AGREEMENT].target_groups:
        assert group.name in seed_text, group.name
    for name in (
        "Jobcenter Rhein-Kreis Neuss",
        "Rhein-Kreis Neuss",
        "Ministerium für Arbeit, Integration und Soziales - MAIS",
        "Regionaldirektion Nordrhein-Westfalen",
        "Bundesagentur für Arbeit",
        "Bundesministerium für Arbeit und Soziales",
        "gemeinsamen Grundlagen der Zielsteuerung SGB II",
    ):
        assert name in seed_text, name


def test_unknowns_stay_unknown(records: Records) -> None:
    paper = records.papers[PAPER]
    assert paper.date is None
    assert paper.consultations == []
    agreement = records.agreements[AGREEMENT]
    assert agreement.goals == []
    assert all(not d.online and d.url is None for d in agreement.documents + paper.attachments)
    signed = [p for p in agreement.parties if p.signature.status is SignatureStatus.SIGNED]
    assert [p.signature.date for p in signed] == [None, None]


def test_signatures_are_as_the_document_states(records: Records) -> None:
    parties = {p.organization: p.signature for p in records.agreements[AGREEMENT].parties}
    assert {k: v.status.value for k, v in parties.items()} == {
        "jobcenter-rhein-kreis-neuss": "signed",
        "rhein-kreis-neuss": "signed",
        "mais-nrw": "returned_unsigned",
        "regionaldirektion-nrw": "refused",
    }
    assert parties["mais-nrw"].date is not None and parties["mais-nrw"].date.iso() == "2013-07-05"
    assert parties["regionaldirektion-nrw"].date is None
    for org in ("mais-nrw", "regionaldirektion-nrw"):
        assert "juristische Kontroverse mit dem Bundesministerium für Arbeit und Soziales" in (
            parties[org].reason or ""
        )


def test_every_date_appears_in_the_source(records: Records, seed_text: str) -> None:
    agreement = records.agreements[AGREEMENT]
    dates = [e.date for e in agreement.events] + [p.signature.date for p in agreement.parties]
    dates += [d.date for d in agreement.documents]
    for date in filter(None, dates):
        if date.day is not None:
            assert f"{date.day:02d}.{date.month:02d}.{date.year}" in seed_text
        else:
            assert str(date.year) in seed_text


def test_every_statement_names_its_source(records: Records) -> None:
    agreement = records.agreements[AGREEMENT]
    statements = [*agreement.events, *agreement.target_groups, *agreement.notes, *agreement.documents]
    statements += [p.signature for p in agreement.parties]
    assert all(s.source is not None and s.source.paper == PAPER for s in statements)
    assert agreement.source is not None


def test_seed_links(records: Records) -> None:
    site = link(records)
    assert [r.id for r in site.related_of("agreements", AGREEMENT, "papers")] == [PAPER]
    assert [r.id for r in site.children["bundesagentur-fuer-arbeit"]] == ["regionaldirektion-nrw"]


def test_content_is_never_modified_by_a_build(tmp_path: Path) -> None:
    from generator.pipeline import Paths, build

    from .conftest import CONFIG

    before = {p: p.read_bytes() for p in CONTENT.rglob("*") if p.is_file()}
    build(Paths(content=CONTENT, site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    assert {p: p.read_bytes() for p in CONTENT.rglob("*") if p.is_file()} == before
