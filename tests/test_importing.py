"""The OParl importer on a real council system's data: the recorded Hürtgenwald crawl (OParl 1.0, Sternberg SD.NET
RIM) served by a replay server on 127.0.0.1, and small fixtures of our own for the quirks."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import cli
from generator.importing.convert import Converter, Ids, slug
from generator.importing.fetch import FetchError, HttpFetcher
from generator.importing.run import Summary, import_oparl
from generator.pages.render import render
from generator.pipeline import Paths, check
from generator.records.dates import PartialDate
from generator.records.load import load
from generator.records.validate import validate
from generator.site.link import link

from .conftest import ROOT, page_link
from .oparl_replay import Replay

CRAWL = ROOT.parent / "shared" / "oparl-samples" / "huertgenwald"
BASE = "https://sdnetrim.kdvz-frechen.de/rim4220/webservice/oparl/v1.0/"
KINDS = {"organizations": "organization", "persons": "person", "sessions": "meeting", "papers": "paper"}


def crawl_objects(kind: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted((CRAWL / "body" / "1").glob(f"{KINDS[kind]}*.json")):
        found += json.loads(path.read_text(encoding="utf-8"))["data"]
    return found


@pytest.fixture(scope="module")
def shared_server() -> Iterator[Replay]:
    """One replay server for the module: the records' OParl ids carry its address, which must stay the same."""
    with Replay(CRAWL, base=BASE) as replay:
        yield replay


@pytest.fixture
def server(shared_server: Replay) -> Iterator[Replay]:
    shared_server.reset()
    yield shared_server
    shared_server.reset()


def run(server: Replay, content: Path, cache: Path, **options: Any) -> Summary:
    return import_oparl(server.url + "system", content=content, cache=cache, delay=0.0, **options)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, shared_server: Replay) -> tuple[Path, Summary]:
    """The whole crawl imported once over HTTP into an empty folder."""
    base = tmp_path_factory.mktemp("imported")
    shared_server.reset()
    summary = run(shared_server, base / "content", base / "cache")
    return base / "content", summary


@pytest.fixture
def copy(imported: tuple[Path, Summary], tmp_path: Path) -> Path:
    shutil.copytree(imported[0], tmp_path / "content")
    return tmp_path / "content"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def oparl_ids(content: Path, kind: str) -> set[str]:
    return {
        yaml.safe_load(p.read_text(encoding="utf-8"))["oparl"]["id"].split("/v1.0/", 1)[1]
        for p in (content / kind).glob("*.yml")
    }


@pytest.mark.slow
def test_every_object_of_the_source_becomes_a_record_that_check_passes(imported: tuple[Path, Summary]) -> None:
    content, summary = imported
    for kind in KINDS:
        live = [o for o in crawl_objects(kind) if not o.get("deleted")]
        assert summary.counts[kind]["new"] == len(live), kind
        assert oparl_ids(content, kind) == {o["id"].removeprefix(BASE) for o in live}, kind
    assert {kind: summary.counts[kind]["new"] for kind in KINDS} == {
        "organizations": 22,
        "persons": 49,
        "sessions": 346,
        "papers": 2097,
    }
    records = validate(load(content))
    assert len(records) == 22 + 49 + 346 + 2097 and records.warnings == []
    messages = {message for _, message in summary.warnings}
    assert "gelöschtes Objekt ohne „type“ (die OParl-Spezifikation verlangt ihn)" in messages  # 39 of them
    assert "AGS „5358016“ hat 7 Stellen: gemeint ist wohl „05358016“ (führende Null fehlt)" in messages
    assert any(url.endswith("/meeting/1082") for url, _ in summary.warnings)


@pytest.mark.slow
def test_persons_keep_name_and_memberships_only(imported: tuple[Path, Summary]) -> None:
    content, _ = imported
    with_contact = [o for o in crawl_objects("persons") if o.get("email") or o.get("phone")]
    assert with_contact  # the source has e-mail addresses and phone numbers of some persons
    text = "\n".join(p.read_text(encoding="utf-8") for p in (content / "persons").glob("*.yml"))
    for person in with_contact:
        for value in [*person.get("email", []), *person.get("phone", [])]:
            assert value not in text
    for word in ("email", "phone", "gender", "location", "life", "photo"):
        assert f"{word}:" not in text
    huppertz = yaml.safe_load((content / "persons" / "peter-huppertz.yml").read_text(encoding="utf-8"))
    assert huppertz["name"] == "Herr Peter Huppertz" and huppertz["form_of_address"] == "Herr"
    assert huppertz["memberships"][0] == {
        "id": "9-2-1-13",
        "organization": "christlich-demokratische-union",
        "role": "Mitglied",
        "start": "2002-05-16",
        "end": "2009-10-20",
    }
    assert huppertz["memberships"][2]["organization"] == "gemeinderat"
    assert huppertz["memberships"][2]["voting_right"] is True


@pytest.mark.slow
def test_a_second_import_changes_no_file_and_asks_only_for_changes(copy: Path, server: Replay, tmp_path: Path) -> None:
    before = snapshot(copy)
    summary = run(server, copy, tmp_path / "cache")
    assert snapshot(copy) == before
    assert summary.since is not None and all("modified_since" in r for r in server.requests if "/paper" in r)
    full = run(server, copy, tmp_path / "cache", since="all")
    assert snapshot(copy) == before
    assert full.counts["papers"]["unchanged"] == 2097 and full.counts["papers"]["changed"] == 0


def _page_with(object_id: str) -> tuple[str, dict[str, Any]]:
    """The crawl's list page that holds ``object_id`` (``body/1/paper/60``), as (path below the base, JSON)."""
    kind = object_id.split("/")[2]
    for path in sorted((CRAWL / "body" / "1").glob(f"{kind}*.json")):
        page = json.loads(path.read_text(encoding="utf-8"))
        if any(o["id"] == BASE + object_id for o in page["data"]):
            return str(path.relative_to(CRAWL)).removesuffix(".json"), page
    raise AssertionError(object_id)


@pytest.mark.slow
def test_editors_additions_survive_a_changed_title_is_updated_a_deleted_paper_is_withdrawn(
    copy: Path, server: Replay, tmp_path: Path
) -> None:
    target = copy / "papers" / "102-2002.yml"
    assert target.is_file()
    target.write_text(
        target.read_text(encoding="utf-8") + "summary: Von der Redaktion ergänzt.\nrelated_agreements: []\n",
        encoding="utf-8",
    )
    path, page = _page_with("body/1/paper/60")
    gone = next(o for o in page["data"] if o["id"] != BASE + "body/1/paper/60")
    for obj in page["data"]:
        if obj["id"] == BASE + "body/1/paper/60":
            obj["name"] = "Umbesetzungen im Bauausschuss (geändert)"
            obj["modified"] = "2030-01-01T10:00:00+01:00"
    page["data"] = [
        o if o is not gone else {"id": gone["id"], "deleted": True, "modified": "2030-01-02T10:00:00+01:00"}
        for o in page["data"]
    ]
    server.overrides[path] = page
    summary = run(server, copy, tmp_path / "cache", since="all")
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["title"] == "Umbesetzungen im Bauausschuss (geändert)"
    assert data["summary"] == "Von der Redaktion ergänzt."
    assert summary.counts["papers"]["changed"] == 1 and summary.counts["papers"]["withdrawn"] == 1
    withdrawn = [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in (copy / "papers").glob("*.yml")
        if yaml.safe_load(p.read_text(encoding="utf-8"))["oparl"]["id"].endswith(gone["id"].removeprefix(BASE))
    ]
    assert withdrawn and withdrawn[0]["withdrawn"] == {"date": "2030-01-02"}
    assert len(validate(load(copy))) == 2514  # nothing deleted: its address stays


@pytest.mark.slow
def test_an_editors_change_to_an_imported_field_stays_and_is_reported(
    copy: Path, server: Replay, tmp_path: Path
) -> None:
    target = copy / "papers" / "102-2002.yml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("title: Umbesetzungen im Bauausschuss", "title: Von Hand"), encoding="utf-8")
    path, page = _page_with("body/1/paper/60")
    for obj in page["data"]:
        if obj["id"] == BASE + "body/1/paper/60":
            obj["name"], obj["modified"] = "Neuer Titel der Quelle", "2030-01-01T10:00:00+01:00"
    server.overrides[path] = page
    summary = run(server, copy, tmp_path / "cache")
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["title"] == "Von Hand"
    assert summary.conflicts == [("papers", "102-2002", ("title",))]
    assert any("Konflikt: papers/102-2002.yml" in line and "title" in line for line in summary.lines())


@pytest.mark.slow
def test_an_interrupted_import_writes_nothing_and_the_next_run_goes_on(server: Replay, tmp_path: Path) -> None:
    server.fail("body/1/paper?page=40", times=100)
    with pytest.raises(FetchError):
        import_oparl(
            server.url + "system",
            content=tmp_path / "content",
            cache=tmp_path / "cache",
            fetcher=HttpFetcher(delay=0.0, attempts=2),
        )
    assert not (tmp_path / "content").exists()
    read_before = set(server.requests)
    server.fail("body/1/paper?page=40", times=0)
    server.requests.clear()
    with server._lock:
        server._faults.clear()
    summary = import_oparl(server.url + "system", content=tmp_path / "content", cache=tmp_path / "cache", delay=0.0)
    assert summary.counts["papers"]["new"] == 2097
    assert not read_before & {r for r in server.requests if "paper?page=" in r and r != "body/1/paper?page=40"}
    assert not any(Path(tmp_path / "cache").rglob("*.json"))  # a completed run leaves no cache behind


def test_server_errors_are_retried_with_retry_after(server: Replay, tmp_path: Path) -> None:
    server.fail("system", times=2, status=503, retry_after=0.01)
    fetcher = HttpFetcher(delay=0.0)
    assert fetcher.get(server.url + "system")["type"].endswith("/System")
    assert server.requests.count("system") == 3


def test_a_source_that_keeps_failing_is_reported_not_a_traceback(server: Replay, tmp_path: Path) -> None:
    server.fail("system", times=100)
    status = cli.main(["import", "oparl", server.url + "system", "--content", str(tmp_path), "--delay", "0"])
    assert status == 1


def test_quirks_become_warnings_naming_the_object() -> None:
    warnings: list[tuple[str, str]] = []
    ids = Ids()
    ids.know("organizations", "rat", "https://x.example/org/1")
    converter = Converter(
        ids, warn=lambda url, message: warnings.append((url, message)), today=__import__("datetime").date(2026, 12, 1)
    )
    paper = {
        "id": "https://x.example/paper/7",
        "name": "Ein  Titel\nüber zwei Zeilen ",
        "reference": "7/2026",
        "paperType": "",
        "underDirectionOf": "https://x.example/org/1",  # a single value where a list belongs
        "originatorOrganization": ["https://x.example/org/404"],  # not in the data
    }
    converted = converter.convert("papers", paper)
    assert converted is not None
    assert converted["title"] == "Ein Titel über zwei Zeilen"
    assert converted["under_direction_of"] == ["rat"] and "organization" not in converted
    assert converted["paper_type"] == "Art nicht angegeben"
    assert [url for url, _ in warnings] == ["https://x.example/paper/7"] * 3
    assert any("org/404" in message for _, message in warnings)


def test_ids_are_derived_once_and_collisions_resolved_deterministically() -> None:
    ids = Ids()
    assert ids.assign("papers", "https://x/paper/1", "102/2002") == "102-2002"
    assert ids.assign("papers", "https://x/paper/2", "102/2002") == "102-2002-2"
    assert ids.assign("papers", "https://x/paper/1", "anders") == "102-2002"  # found again by its OParl id
    assert ids.assign("papers", "https://x/paper/3", "index") == "index-3"  # a reserved id
    assert slug("Ausschuss für Jugend, Kultur und Vereine") == "ausschuss-fuer-jugend-kultur-und-vereine"


@pytest.mark.slow
def test_an_editors_agreement_links_to_the_imported_paper_and_its_session(copy: Path, tmp_path: Path) -> None:
    paper = yaml.safe_load((copy / "papers" / "35-2007.yml").read_text(encoding="utf-8"))
    sessions = [c["session"] for c in paper.get("consultations", []) if c.get("session")]
    assert sessions
    (copy / "agreements").mkdir()
    (copy / "agreements" / "vereinbarung.yml").write_text(
        "title: Eine Vereinbarung\nkind: Zielvereinbarung\nsummary: Von der Redaktion.\nparties: []\n"
        "related_papers: [35-2007]\n",
        encoding="utf-8",
    )
    site = check(Paths(content=copy))
    assert [r.id for r in site.related_of("agreements", "vereinbarung", "papers")] == ["35-2007"]
    assert sessions[0] in {
        r.id
        for s in site.related_of("agreements", "vereinbarung", "papers")
        for r in site.related_of("papers", s.id, "sessions")
    }


@pytest.mark.slow
def test_the_command_line_imports_a_recorded_crawl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main(
        ["import", "oparl", str(CRAWL), "--content", str(tmp_path / "content"), "--cache", str(tmp_path / "c")]
    )
    out = capsys.readouterr().out
    assert status == 0, out
    assert "papers: 2115 gelesen, 2097 neu" in out and "Warnung (39×): gelöschtes Objekt ohne „type“" in out
    dry = cli.main(
        ["import", "oparl", str(CRAWL), "--content", str(tmp_path / "content"), "--dry-run", "--since", "all"]
    )
    assert dry == 0 and "Probelauf: nichts geschrieben." in capsys.readouterr().out


@pytest.mark.slow
def test_the_imported_council_record_builds_into_a_site(copy: Path, tmp_path: Path) -> None:
    from generator.pipeline import build

    from .conftest import CONFIG

    result = build(Paths(content=copy, site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    site = tmp_path / "site"
    pages = {section: len(list((site / section).glob("*/index.html"))) for section in ("vorlagen", "sitzungen")}
    assert pages["vorlagen"] >= 2097 and pages["sitzungen"] >= 346  # every record, plus the year pages' folder
    assert len(list((site / "personen").glob("*/index.html"))) == 49
    assert len(list((site / "organisationen").glob("*/index.html"))) == 22
    council = (site / "organisationen" / "gemeinderat" / "index.html").read_text(encoding="utf-8")
    assert "Mitglieder" in council and "peter-huppertz" in council
    assert result.records == 2514


OPARL_11 = ROOT / "tests" / "fixtures" / "oparl-1.1"


def test_oparl_1_1_fields_reach_the_records(tmp_path: Path) -> None:
    """Our own OParl 1.1 crawl: originator and lead, sub- and superordinated papers, an authoritative consultation
    with further bodies, a cancelled meeting, a meeting state, files with type and size, a membership for a group;
    two papers of one number in two series; a heading in angle brackets; no contact data of the person."""
    summary = import_oparl(str(OPARL_11), content=tmp_path / "content", cache=tmp_path / "cache")
    content = tmp_path / "content"
    read = {
        p.relative_to(content).as_posix(): yaml.safe_load(p.read_text(encoding="utf-8")) for p in content.rglob("*.yml")
    }
    rat, person = read["organizations/rat-der-stadt.yml"], read["persons/erika-muster.yml"]
    assert (rat["short_name"], rat["kind"], rat["start"], rat["website"]) == (
        "Rat",
        "Rat",
        "1999-10-01",
        "https://www.example.org/rat",
    )
    assert read["organizations/ausschuss-fuer-umwelt.yml"]["parent"] == "rat-der-stadt"
    assert person["memberships"] == [
        {
            "id": "70",
            "organization": "rat-der-stadt",
            "role": "Vorsitzende",
            "voting_right": True,
            "on_behalf_of": "fraktion-a",
            "start": "2020-11-01",
        }
    ]
    assert person["academic_title"] == "Dr." and "email" not in person and "erika.muster" not in str(read)
    held = read["sessions/rat-der-stadt-2024-03-05.yml"]
    assert (held["state"], held["start_time"], held["end_time"]) == ("held", "17:00", "20:30")  # UTC → local time
    assert held["location"] == "Ratssaal, Markt 1, Beispiel"
    assert held["documents"] == [
        {
            "id": "100",
            "title": "Einladung",
            "url": "https://ris.example.org/dateien/einladung%2012.pdf",
            "mime_type": "application/pdf",
            "size": 123456,
        }
    ]
    heading, first, motion, secret = held["agenda_items"]
    assert heading == {"id": "21", "title": "< Sitzungsteil öffentlich >"}
    assert first["paper"] == "v-2024-0012" and first["result"] == "beschlossen" and motion["paper"] == "v-2024-0012-42"
    assert secret["public"] is False
    assert read["sessions/rat-der-stadt-2024-04-09.yml"]["state"] == "cancelled"
    paper, antrag = read["papers/v-2024-0012.yml"], read["papers/v-2024-0012-42.yml"]
    assert (paper["organization"], paper["under_direction_of"], paper["subordinated"]) == (
        "ausschuss-fuer-umwelt",
        ["rat-der-stadt"],
        ["v-2024-0012-42"],
    )
    assert paper["main_file"]["size"] == 2048 and paper["consultations"][0]["authoritative"] is True
    assert (
        paper["consultations"][0]["agenda_item"] == "1"
        and paper["consultations"][0]["session"] == "rat-der-stadt-2024-03-05"
    )
    assert antrag["superordinated"] == ["v-2024-0012"]
    assert antrag["consultations"][0]["other_organizations"] == ["ausschuss-fuer-umwelt"]
    assert any("gibt-es-nicht" in message for _, message in summary.warnings)
    assert any("„consultation“ ist ein einzelner Wert" in message for _, message in summary.warnings)
    records = validate(load(content))
    assert len(records) == 10 and records.warnings == []  # two papers share a number, in two series; no placeholder
    assert records.legislative_terms["wahlperiode-2020-2025"].start == PartialDate.parse("2020-11-01")
    pages = {p.path: p.text for p in render(link(records))}
    assert "#### [Wahlperiode 2020–2025]" not in pages["organisationen/rat-der-stadt.md"]  # no former members
    assert (
        "| " + page_link("Rat der Stadt", "../organisationen/rat-der-stadt.md")
        in pages["wahlperioden/wahlperiode-2020-2025.md"]
    )


@pytest.mark.slow
def test_an_incremental_run_keeps_the_links_of_what_it_did_not_read_again(
    copy: Path, server: Replay, tmp_path: Path
) -> None:
    """A meeting changed at the source is read again, its papers are not: its agenda keeps their links."""
    path, page = _page_with("body/1/meeting/333")
    for obj in page["data"]:
        if obj["id"] == BASE + "body/1/meeting/333":
            obj["modified"] = "2024-01-01T10:00:00+01:00"
    server.overrides[path] = page
    session = next(p for p in (copy / "sessions").glob("*2007-01-23.yml") if "meeting/333" in p.read_text("utf-8"))
    before = session.read_text(encoding="utf-8")
    assert "paper: 159-2006" in before
    run(server, copy, tmp_path / "cache", since="all")  # the changed meeting, and the state moves to 2024
    run(server, copy, tmp_path / "cache")  # incremental: only the meeting is read again, not its papers
    after = yaml.safe_load(session.read_text(encoding="utf-8"))
    assert "159-2006" in {item.get("paper") for item in after["agenda_items"]}


@pytest.mark.slow
def test_an_incomplete_list_withdraws_nothing_and_another_body_is_refused(
    copy: Path, server: Replay, tmp_path: Path
) -> None:
    server.overrides["body/1/paper?page=3"] = {"error": "Wartung"}
    summary = run(server, copy, tmp_path / "cache", since="all")
    assert summary.counts["papers"]["withdrawn"] == 0
    assert any("nicht alle Listen vollständig gelesen" in message for _, message in summary.warnings)
    with pytest.raises(FetchError, match="eine Körperschaft je Ordner"):
        import_oparl(str(OPARL_11), content=copy, cache=tmp_path / "c2", since="all")


@pytest.mark.slow
def test_a_time_stamp_in_the_future_does_not_stop_later_imports(copy: Path, server: Replay, tmp_path: Path) -> None:
    path, page = _page_with("body/1/paper/60")
    for obj in page["data"]:
        if obj["id"] == BASE + "body/1/paper/60":
            obj["modified"] = "2099-01-01T00:00:00+01:00"
    server.overrides[path] = page
    summary = run(server, copy, tmp_path / "cache", since="all")
    assert any("in der Zukunft" in message for _, message in summary.warnings)
    assert yaml.safe_load((copy / "oparl-import.yml").read_text(encoding="utf-8"))["last_modified"] < "2030"


@pytest.mark.slow
def test_conflicts_are_per_field_and_removing_a_field_takes_the_sources_value(
    copy: Path, server: Replay, tmp_path: Path
) -> None:
    target = copy / "papers" / "102-2002.yml"
    target.write_text(
        target.read_text("utf-8").replace("title: Umbesetzungen", "title: Von Hand – Umbesetzungen"), "utf-8"
    )
    path, page = _page_with("body/1/paper/60")
    for obj in page["data"]:
        if obj["id"] == BASE + "body/1/paper/60":
            obj["paperType"], obj["modified"] = "Mitteilung", "2021-12-01T10:00:00+01:00"
    server.overrides[path] = page
    summary = run(server, copy, tmp_path / "cache", since="all")
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert summary.conflicts == [("papers", "102-2002", ("title",))]
    assert data["title"].startswith("Von Hand") and data["paper_type"] == "Mitteilung"  # the rest is updated
    target.write_text(
        "\n".join(line for line in target.read_text("utf-8").splitlines() if not line.startswith("title:")), "utf-8"
    )
    again = run(server, copy, tmp_path / "cache", since="all")
    assert (
        again.conflicts == [] and yaml.safe_load(target.read_text("utf-8"))["title"] == "Umbesetzungen im Bauausschuss"
    )
    records = validate(load(copy))
    assert records.papers["102-2002"].paper_type == "Mitteilung"


@pytest.mark.slow
def test_a_broken_record_file_stops_the_import_before_it_reads(copy: Path, server: Replay, tmp_path: Path) -> None:
    (copy / "papers" / "102-2002.yml").write_text("title: 'offen\n", encoding="utf-8")
    status = cli.main(["import", "oparl", server.url + "system", "--content", str(copy), "--delay", "0"])
    assert status == 1 and server.requests == []
    assert not list((copy / "papers").glob("102-2002-*.yml"))


def test_values_the_checks_would_refuse_are_mended_or_left_out_with_a_warning() -> None:
    warnings: list[tuple[str, str]] = []
    ids = Ids()
    ids.know("organizations", "rat", "https://x.example/org/1")
    converter = Converter(ids, warn=lambda url, message: warnings.append((url, message)), today=dt.date(2026, 12, 1))
    paper = converter.convert(
        "papers",
        {
            "id": "https://x.example/paper/9",
            "name": "Titel\x07 mit Glocke\u202e (abgeschnit",
            "reference": "9/2026",
            "paperType": ["Vorlage"],
            "date": "2020-13-45",
            "mainFile": {
                "id": "https://x.example/file/1",
                "name": "Datei",
                "accessUrl": "https://x.example/a b.pdf",
                "size": True,
            },
        },
    )
    assert paper is not None
    assert paper["title"] == "Titel mit Glocke (abgeschnit" and paper["paper_type"] == "Art nicht angegeben"
    assert "date" not in paper and "size" not in paper["main_file"]
    assert paper["main_file"]["url"] == "https://x.example/a%20b.pdf"
    session = converter.convert(
        "sessions",
        {
            "id": "https://x.example/meeting/1",
            "name": "Sitzung",
            "organization": ["https://x.example/org/1"],
            "start": "2024-03-05T18:00:00",
        },
    )
    assert session is not None and session["start_time"] == "18:00"  # no zone: German local time
    messages = " ".join(message for _, message in warnings)
    assert "unzulässige Zeichen" in messages and "kein Text" in messages and "kein mögliches Datum" in messages
    assert "wirkt abgeschnitten" in messages


def test_the_progress_shows_counts_and_totals_on_a_terminal_only() -> None:
    from rich.console import Console
    from rich.progress import Progress

    from generator.importing.display import Bars, bars

    with bars() as nothing:
        assert nothing is None  # the tests' output is no terminal: no bars in a log
    progress = Progress(console=Console(file=io.StringIO(), force_terminal=True))
    shown = Bars(progress)
    shown.total("papers", 3)
    shown.advance("papers")
    [task] = progress.tasks
    assert (task.description, task.total, task.completed) == ("Vorlagen", 3, 1)


def test_a_bad_next_link_ends_the_list_as_incomplete() -> None:
    from generator.importing.fetch import Reading, objects

    class Pages:
        def get(self, url: str, params: dict[str, str] | None = None) -> Any:
            return {"data": [{"id": url + "/1"}], "links": {"next": 5}}

    reading, warnings = Reading(), []
    found = list(objects(Pages(), "https://x.example/list", warn=lambda u, m: warnings.append(m), reading=reading))
    assert len(found) == 1 and not reading.complete and "keine Webadresse" in warnings[0]
