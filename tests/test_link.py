from pathlib import Path

from generator.records.load import load
from generator.records.validate import validate
from generator.site.link import Ref, Site, link

VALID = Path(__file__).parent / "fixtures" / "valid"


def site() -> Site:
    return link(validate(load(VALID)))


def ids(refs: list[Ref]) -> list[str]:
    return [r.id for r in refs]


def test_refs_use_german_sections_and_ids() -> None:
    s = site()
    assert s.ref("papers", "vorlage-1").page == "vorlagen/vorlage-1.md"
    assert s.ref("papers", "vorlage-1").label == "Vorlage 10/1/2020"
    assert s.ref("organizations", "ministerium").label == "MfB"
    assert s.ref("sessions", "kreistag-2020-03-05").page == "sitzungen/kreistag-2020-03-05.md"


def test_organization_backlinks() -> None:
    s = site()
    assert ids(s.related_of("organizations", "jobcenter", "agreements")) == [
        "ziele-2020",
        "ziele-2022-abgelehnt",
        "ziele-2021-offen",
    ]
    assert ids(s.related_of("organizations", "kreis", "papers")) == ["vorlage-1"]
    assert ids(s.related_of("organizations", "kreistag", "sessions")) == ["kreistag-2020-03-05"]
    assert ids(s.children["kreis"]) == ["kreistag"]
    assert s.related_of("organizations", "kreis", "organizations") == []


def test_paper_agreement_and_session_links_go_both_ways() -> None:
    s = site()
    assert ids(s.related_of("papers", "vorlage-1", "agreements")) == ["ziele-2020"]
    assert ids(s.related_of("agreements", "ziele-2020", "papers")) == ["vorlage-1"]
    assert ids(s.related_of("papers", "vorlage-1", "sessions")) == ["kreistag-2020-03-05"]
    assert ids(s.related_of("sessions", "kreistag-2020-03-05", "papers")) == ["vorlage-1"]
    assert s.related_of("papers", "vorlage-2", "sessions") == []


def test_one_directional_link_is_seen_from_both_sides() -> None:
    # vorlage-2 names the agreement; the agreement does not name the paper: both pages still link.
    s = site()
    assert ids(s.related_of("agreements", "ziele-2021-offen", "papers")) == ["vorlage-2"]
    assert "ziele-2021-offen" in ids(s.related_of("organizations", "ministerium", "agreements"))
