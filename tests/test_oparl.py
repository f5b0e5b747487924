"""The OParl export validated against the OParl 1.1 JSON schemas in ../shared/oparl-1.1-schema (read from there)."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from jsonschema import Draft7Validator, FormatChecker

from generator.exports import oparl
from generator.pipeline import outputs
from generator.records.history import Change
from generator.records.load import load
from generator.records.validate import validate
from generator.site.link import link

from .conftest import CONTENT, FIXTURES, ROOT

SCHEMAS = ROOT.parent / "shared" / "oparl-1.1-schema"
BASE = "http://127.0.0.1:8000/"

checker = FormatChecker()


@checker.checks("url")
def _is_url(value: object) -> bool:
    parts = urlsplit(str(value))
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@checker.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    import datetime as dt

    dt.date.fromisoformat(str(value))
    return len(str(value)) == 10


@checker.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    import datetime as dt

    return dt.datetime.fromisoformat(str(value)).tzinfo is not None


def schema(name: str) -> dict[str, Any]:
    return dict(json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8")))


def check(obj: dict[str, Any], seen: list[str]) -> None:
    """Validate ``obj`` against the schema its ``type`` names, and every object embedded in it against its own."""
    name = obj["type"].rsplit("/", 1)[-1]
    spec = schema(name)
    errors = [
        f"{name} {list(e.absolute_path)}: {e.message}"
        for e in Draft7Validator(spec, format_checker=checker).iter_errors(obj)
    ]
    assert errors == []
    seen.append(name)
    for key, prop in spec["properties"].items():
        if key not in obj:
            continue
        embedded = prop.get("items", {}) if prop.get("type") == "array" else prop
        if embedded.get("type") == "object" and "schema" in embedded:
            for child in obj[key] if isinstance(obj[key], list) else [obj[key]]:
                assert child["type"].endswith("/" + embedded["schema"].removesuffix(".json")), key
                check(child, seen)


def export(folder: Path) -> dict[str, dict[str, Any]]:
    site = link(validate(load(folder)))
    return {p.path: json.loads(p.text) for p in outputs(site) if p.path.startswith("oparl/")}


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="needs ../shared/oparl-1.1-schema")
@pytest.mark.parametrize("folder", [FIXTURES / "valid", CONTENT], ids=["valid", "seed"])
def test_every_object_validates_against_the_oparl_schemas(folder: Path) -> None:
    files = export(folder)
    seen: list[str] = []
    for path, data in files.items():
        objects = data.get("data", [data])
        for obj in objects:
            check(obj, seen)
        if "data" not in data:
            assert data["id"] == BASE + path  # an object's id is the address of its file
    if folder == FIXTURES / "valid":  # the fixture set has every kind of object
        assert set(seen) == {
            "System",
            "Body",
            "Organization",
            "Meeting",
            "AgendaItem",
            "Location",
            "Paper",
            "Consultation",
            "File",
            "Person",
            "Membership",
        }


def test_every_address_in_the_export_leads_to_a_file_of_it() -> None:
    files = export(FIXTURES / "valid")
    addresses: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in ("web", "website", "accessUrl", "downloadUrl"):
                    collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, str) and value.startswith(BASE + "oparl/"):
            addresses.add(value.split("#", 1)[0].removeprefix(BASE))

    collect(list(files.values()))
    assert addresses - set(files) == set()
    paper = files["oparl/vorlage/vorlage-1.json"]
    meeting = files["oparl/sitzung/kreistag-2020-03-05.json"]
    consultation = paper["consultation"][0]
    item = meeting["agendaItem"][0]
    assert consultation["agendaItem"] == item["id"] and item["consultation"] == consultation["id"]  # both directions
    assert meeting["start"] == "2020-03-05T17:00:00+01:00"  # local time with its offset
    assert paper["auxiliaryFile"][0]["accessUrl"] == BASE + "dateien/vereinbarung-2020.pdf"


def test_long_lists_are_split_into_linked_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oparl, "LIST_PAGE", 2)
    files = export(FIXTURES / "valid")
    first = files["oparl/organisationen.json"]
    assert first["pagination"] == {"totalElements": 4, "elementsPerPage": 2, "currentPage": 1, "totalPages": 2}
    assert first["links"]["next"] == BASE + "oparl/organisationen-2.json"
    second = files["oparl/organisationen-2.json"]
    assert second["links"]["prev"] == BASE + "oparl/organisationen.json" and "next" not in second["links"]
    assert len(first["data"]) + len(second["data"]) == 4


def test_a_date_known_to_the_month_only_is_left_out() -> None:
    files = export(CONTENT)
    paper = files["oparl/vorlage/50-2669-xv-2013.json"]
    assert "date" not in paper  # the seed paper's date is not known
    assert paper["reference"] == "50/2669/XV/2013"


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="needs ../shared/oparl-1.1-schema")
def test_the_schema_check_rejects_what_oparl_does_not_allow() -> None:
    for broken in (
        {"id": "vorlage-1", "type": oparl.SCHEMA + "Paper"},  # an id that is no address
        {"id": BASE + "x.json", "type": oparl.SCHEMA + "Paper", "date": "2013"},  # a year is no date
        {"id": BASE + "x.json", "type": oparl.SCHEMA + "Meeting", "start": "2020-03-05T17:00:00"},  # no offset
        {"id": BASE + "x.json", "type": oparl.SCHEMA + "Paper", "consultation": [{"id": BASE + "c", "type": "x"}]},
    ):
        with pytest.raises(AssertionError):
            check(broken, [])


# --- A faithful export: the rich record set, built from a copy of the fixture set ------------------------------

RICH = {
    "papers/vorlage-1.yml": """\
reference: 10/1/2020
title: Zielvereinbarung 2020 bis 2021
paper_type: Beschlussvorlage
date: 2020-01-15
organization: kreis
under_direction_of: [jobcenter]
main_file:
  id: vorlagentext
  title: Vorlagentext
  url: https://ris.example.org/vorlage-1.pdf
  mime_type: application/pdf
  size: 12345
superordinated: [vorlage-2]
consultations:
  - id: erste-lesung
    session: kreistag-2020-03-05
    agenda_item: "3"
    organization: kreistag
    other_organizations: [ministerium]
    role: Entscheidung
    authoritative: true
  - session: kreistag-2020-03-05
    organization: ministerium
    authoritative: false
related_agreements: [ziele-2020]
attachments:
  - title: Zielvereinbarung 2020 bis 2021
    file: vereinbarung-2020.pdf
    date: 2020-01-15
  - title: Nicht online
    online: false
  - id: karte
    title: Karte
    url: https://ris.example.org/karte.png
oparl:
  id: https://ris.example.org/oparl/paper/1
  created: "2019-12-01T09:00:00+01:00"
  modified: "2020-01-16T10:30:00+0100"
  retrieved: 2024-05-01
""",
    "papers/vorlage-2.yml": """\
reference: 10/2/2020
title: Bericht ohne Beratung
paper_type: Mitteilungsvorlage
subordinated: [vorlage-1]
related_agreements: [ziele-2021-offen]
former_ids: [bericht-2020]
withdrawn:
  date: 2021-02-01
  reason: vom Kreis zurückgezogen
""",
    "sessions/kreistag-2020-03-05.yml": """\
name: 5. Sitzung des Kreistags
organization: kreistag
date: 2020-03-05
start_time: "17:00"
end_time: "19:30"
location: Kreishaus, Sitzungssaal
state: held
documents:
  - title: Einladung zur 5. Sitzung
    url: https://ris.example.org/einladung.pdf
  - title: Bekanntmachung
    url: https://ris.example.org/bekanntmachung.pdf
  - id: protokoll
    title: Niederschrift (öffentlicher Teil)
    url: https://ris.example.org/niederschrift.pdf
  - title: Wortprotokoll
    url: https://ris.example.org/wortprotokoll.pdf
  - title: Einladung (Nachtrag)
    url: https://ris.example.org/nachtrag.pdf
  - title: Anwesenheitsliste
    online: false
agenda_items:
  - number: "2"
    title: Eröffnung
  - id: "1"
    number: "3"
    title: Zielvereinbarung 2020 bis 2021
    paper: vorlage-1
    result: beschlossen
    resolution: Der Kreistag stimmt der Zielvereinbarung zu.
    documents:
      - title: Beschluss
        url: https://ris.example.org/beschluss.pdf
  - number: "4"
    title: Personalangelegenheit
    public: false
oparl:
  id: https://ris.example.org/oparl/meeting/5
  modified: "2020-03-06T08:00:00"
  retrieved: 2024-05-01
""",
    "persons/anna-beispiel.yml": """\
name: Frau Dr. Anna Beispiel
form_of_address: Frau
academic_title: Dr.
given_name: Anna
family_name: Beispiel
memberships:
  - id: vorsitz
    organization: kreistag
    role: Vorsitzende
    voting_right: true
    on_behalf_of: ministerium
    start: 2020-11-01
  - organization: kreistag
    role: Mitglied
    voting_right: false
    start: 2014-06
    end: 2020-10-31
""",
    "organizations/kreis.yml": """\
name: Beispielkreis
kind: Kreis
website: https://www.example.org/kreis?a=1&b=2
start: 1975-01-01
end: 2030
""",
}


def objects_of(folder: Path, history: dict[str, list[Change]] | None = None) -> dict[str, dict[str, Any]]:
    """The export's files of the records in ``folder``, by path, as data."""
    site = link(validate(load(folder)))
    made = oparl.OParl(site, base_url=BASE, name="Beispielkreis", licence_url=None, history=history)
    return {path: json.loads(text) for path, text in made.files()}


@pytest.fixture
def rich(content_copy: Path) -> Path:
    for name, text in RICH.items():
        (content_copy / name).write_text(text, encoding="utf-8")
    return content_copy


def edit(folder: Path, name: str, **changes: Any) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    for key in [k for k, v in data.items() if v is None]:
        del data[key]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def every_object(files: dict[str, dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every object of the export, embedded ones included."""

    def walk(value: object) -> Iterator[dict[str, Any]]:
        if isinstance(value, dict):
            if "type" in value:
                yield value
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    for data in files.values():
        yield from walk(data)


PAPER_1 = "oparl/vorlage/vorlage-1.json"
MEETING = "oparl/sitzung/kreistag-2020-03-05.json"
PERSON = "oparl/person/anna-beispiel.json"


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="needs ../shared/oparl-1.1-schema")
def test_the_rich_record_set_validates_against_the_oparl_schemas(rich: Path) -> None:
    history = {"organizations/kreis.yml": [Change("2024-02-01T10:00:00+01:00", None)]}
    files = objects_of(rich, history)
    seen: list[str] = []
    for data in files.values():
        for obj in data.get("data", [data]):
            check(obj, seen)
    assert {"Person", "Membership", "File", "Consultation", "AgendaItem", "Location"} <= set(seen)


# 1. created and modified


def test_created_and_modified_come_from_the_oparl_block_of_an_imported_record(rich: Path) -> None:
    history = {
        "papers/vorlage-1.yml": [Change("2024-05-01T12:00:00+02:00", None)],
        "sessions/kreistag-2020-03-05.yml": [Change("2024-05-01T12:00:00+02:00", None)],
    }
    files = objects_of(rich, history)
    paper = files[PAPER_1]
    assert (paper["created"], paper["modified"]) == ("2019-12-01T09:00:00+01:00", "2020-01-16T10:30:00+01:00")
    meeting = files[MEETING]
    assert meeting["modified"] == "2020-03-06T08:00:00+01:00"  # without offset: German local time
    assert "created" not in meeting  # the source gave none; our file's first commit is no creation of its object


def test_created_and_modified_come_from_the_git_history_otherwise(content_copy: Path) -> None:
    history = {
        "papers/vorlage-1.yml": [
            Change("2024-03-02T09:15:00+01:00", "Titel berichtigt"),
            Change("2023-11-20T16:00:00+01:00", None),
        ],
        "organizations/kreis.yml": [Change("2022-05-04", None)],  # a plain day: midnight UTC, as in the feed
    }
    files = objects_of(content_copy, history)
    paper = files[PAPER_1]
    assert (paper["created"], paper["modified"]) == ("2023-11-20T16:00:00+01:00", "2024-03-02T09:15:00+01:00")
    assert files["oparl/organisation/kreis.json"]["modified"] == "2022-05-04T00:00:00+00:00"
    listed = next(o for o in files["oparl/vorlagen.json"]["data"] if o["id"] == paper["id"])
    assert listed == paper  # the list holds the same object
    assert "created" not in files["oparl/organisation/kreistag.json"]  # not in the history: not said


def test_without_a_history_no_date_of_change_is_invented() -> None:
    files = objects_of(FIXTURES / "valid")
    assert [o["id"] for o in every_object(files) if "created" in o or "modified" in o] == []


# 2. meeting states in the spec's words


@pytest.mark.parametrize(
    ("state", "meeting_state", "cancelled"),
    [
        ("scheduled", "terminiert", False),
        ("held", "durchgeführt", False),
        ("cancelled", None, True),
        ("unknown", None, None),
    ],
)
def test_the_meeting_state_is_said_in_the_words_of_the_spec(
    content_copy: Path, state: str, meeting_state: str | None, cancelled: bool | None
) -> None:
    edit(content_copy, "sessions/kreistag-2020-03-05.yml", state=state)
    meeting = objects_of(content_copy)[MEETING]
    assert meeting.get("meetingState") == meeting_state
    assert meeting.get("cancelled") == cancelled


# 3. organisation kinds


def test_a_free_kind_is_the_classification_and_only_the_fixed_words_are_an_organization_type(
    content_copy: Path,
) -> None:
    edit(content_copy, "organizations/jobcenter.yml", kind="gremium")  # not exactly the word
    edit(content_copy, "organizations/ministerium.yml", kind=None)
    files = objects_of(content_copy)
    kreistag = files["oparl/organisation/kreistag.json"]
    assert (kreistag["organizationType"], kreistag["classification"]) == ("Gremium", "Gremium")
    kreis = files["oparl/organisation/kreis.json"]
    assert kreis["classification"] == "Kreis" and "organizationType" not in kreis
    jobcenter = files["oparl/organisation/jobcenter.json"]
    assert jobcenter["classification"] == "gremium" and "organizationType" not in jobcenter
    ministerium = files["oparl/organisation/ministerium.json"]
    assert "classification" not in ministerium and "organizationType" not in ministerium


def test_an_organisations_dates_are_given_to_the_day_only(rich: Path) -> None:
    kreis = objects_of(rich)["oparl/organisation/kreis.json"]
    assert kreis["startDate"] == "1975-01-01" and "endDate" not in kreis  # the end is a year only


# 4. stable ids of embedded objects


def test_embedded_objects_are_named_by_their_own_ids_else_by_position(rich: Path) -> None:
    files = objects_of(rich)
    meeting, paper = files[MEETING], files[PAPER_1]
    assert [i["id"].removeprefix(BASE + MEETING) for i in meeting["agendaItem"]] == ["#top-1-2", "#top-1", "#top-3"]
    assert [i["order"] for i in meeting["agendaItem"]] == [1, 2, 3]
    first, second = paper["consultation"]
    assert first["id"] == BASE + PAPER_1 + "#beratung-erste-lesung"
    assert second["id"] == BASE + PAPER_1 + "#beratung-2"
    item = meeting["agendaItem"][1]
    assert item["consultation"] == first["id"] and first["agendaItem"] == item["id"]  # both ways, with the ids
    assert paper["mainFile"]["id"] == BASE + PAPER_1 + "#datei-vorlagentext"
    assert [f["id"].removeprefix(BASE + PAPER_1) for f in paper["auxiliaryFile"]] == ["#datei-1", "#datei-karte"]
    assert meeting["resultsProtocol"]["id"] == BASE + MEETING + "#datei-protokoll"
    assert item["auxiliaryFile"][0]["id"] == BASE + MEETING + "#top-1-datei-1"
    for path in (MEETING, PAPER_1):
        anchors = [o["id"] for o in every_object({path: files[path]}) if "#" in o["id"]]
        assert len(anchors) == len(set(anchors)) >= 5  # no anchor twice in one object


def test_an_id_given_later_does_not_move_the_others(rich: Path) -> None:
    before = objects_of(rich)[PAPER_1]["consultation"][0]["id"]
    text = (rich / "papers/vorlage-1.yml").read_text(encoding="utf-8")
    (rich / "papers/vorlage-1.yml").write_text(
        text.replace("  - session: kreistag", "  - id: zweite\n    session: kreistag")
    )
    after = objects_of(rich)[PAPER_1]["consultation"]
    assert after[0]["id"] == before and after[1]["id"].endswith("#beratung-zweite")


# 5. persons


def test_persons_are_exported_with_their_memberships(rich: Path) -> None:
    files = objects_of(rich)
    body = files["oparl/koerperschaft.json"]
    assert body["person"] == BASE + "oparl/personen.json"
    listed = files["oparl/personen.json"]["data"]
    person = files[PERSON]
    assert listed == [person]
    assert {k: person[k] for k in ("name", "familyName", "givenName", "formOfAddress", "title")} == {
        "name": "Frau Dr. Anna Beispiel",
        "familyName": "Beispiel",
        "givenName": "Anna",
        "formOfAddress": "Frau",
        "title": ["Dr."],
    }
    chair, member = person["membership"]
    assert chair == {
        "id": BASE + PERSON + "#mitgliedschaft-vorsitz",
        "type": oparl.SCHEMA + "Membership",
        "person": BASE + PERSON,
        "organization": BASE + "oparl/organisation/kreistag.json",
        "role": "Vorsitzende",
        "votingRight": True,
        "onBehalfOf": BASE + "oparl/organisation/ministerium.json",
        "startDate": "2020-11-01",
    }
    assert member["id"] == BASE + PERSON + "#mitgliedschaft-2"
    assert member["votingRight"] is False and member["endDate"] == "2020-10-31" and "startDate" not in member
    assert files["oparl/organisation/kreistag.json"]["membership"] == [chair["id"], member["id"]]
    assert person["web"] == BASE + "personen/anna-beispiel/"
    assert not {"email", "phone", "location", "life", "image"} & set(person)  # never contact or life details


# 6. deleted objects at former addresses


def test_a_renamed_record_leaves_a_deleted_object_at_its_former_address(content_copy: Path) -> None:
    files = objects_of(content_copy)
    gone = {"id": BASE + "oparl/vorlage/bericht-2020.json", "type": oparl.SCHEMA + "Paper", "deleted": True}
    assert files["oparl/vorlage/bericht-2020.json"] == gone  # no history: no dates
    assert gone in files["oparl/vorlagen.json"]["data"]  # a client reading the list learns of it
    history = {
        "papers/bericht-2020.yml": [
            Change("2021-01-10T10:00:00+01:00", None),
            Change("2020-06-01T09:00:00+02:00", None),
        ],
        "papers/vorlage-2.yml": [Change("2021-03-01T10:00:00+01:00", None), Change("2021-01-12T08:00:00+01:00", None)],
    }
    dated = objects_of(content_copy, history)["oparl/vorlage/bericht-2020.json"]
    # created: the former file's first change; modified: the rename, the new file's first change (git lists a
    # renamed file under its new name only), or the former file's last change if that is later
    assert dated == {**gone, "created": "2020-06-01T09:00:00+02:00", "modified": "2021-01-12T08:00:00+01:00"}


def test_a_withdrawn_record_stays_a_normal_object(rich: Path) -> None:
    paper = objects_of(rich)["oparl/vorlage/vorlage-2.json"]
    assert "deleted" not in paper and paper["name"] == "Bericht ohne Beratung"


# 7. papers, meetings, files


def test_a_paper_says_who_leads_it_its_main_file_and_related_papers(rich: Path) -> None:
    files = objects_of(rich)
    paper = files[PAPER_1]
    assert paper["underDirectionOf"] == [BASE + "oparl/organisation/jobcenter.json"]
    assert paper["superordinatedPaper"] == [BASE + "oparl/vorlage/vorlage-2.json"]
    assert files["oparl/vorlage/vorlage-2.json"]["subordinatedPaper"] == [BASE + PAPER_1]
    main = paper["mainFile"]
    assert (main["name"], main["accessUrl"], main["mimeType"], main["size"]) == (
        "Vorlagentext",
        "https://ris.example.org/vorlage-1.pdf",
        "application/pdf",
        12345,
    )
    assert "downloadUrl" not in main  # a linked document: whether it downloads is the other site's business
    first, second = paper["consultation"]
    assert first["authoritative"] is True and second["authoritative"] is False
    assert first["organization"] == [
        BASE + "oparl/organisation/kreistag.json",
        BASE + "oparl/organisation/ministerium.json",
    ]


def test_files_have_type_size_and_address_and_offline_documents_are_left_out(rich: Path) -> None:
    paper = objects_of(rich)[PAPER_1]
    published, linked = paper["auxiliaryFile"]  # "Nicht online" has no address: no File
    size = (rich / "files" / "vereinbarung-2020.pdf").stat().st_size
    assert (published["mimeType"], published["size"]) == ("application/pdf", size)
    assert published["accessUrl"] == published["downloadUrl"] == BASE + "dateien/vereinbarung-2020.pdf"
    assert linked["accessUrl"] == "https://ris.example.org/karte.png"
    assert "mimeType" not in linked and "size" not in linked  # the record does not say


def test_a_meeting_has_its_end_and_its_documents_by_their_titles(rich: Path) -> None:
    meeting = objects_of(rich)[MEETING]
    assert (meeting["start"], meeting["end"]) == ("2020-03-05T17:00:00+01:00", "2020-03-05T19:30:00+01:00")
    assert meeting["invitation"]["name"] == "Einladung zur 5. Sitzung"
    assert meeting["resultsProtocol"]["name"] == "Niederschrift (öffentlicher Teil)"
    assert meeting["verbatimProtocol"]["name"] == "Wortprotokoll"
    assert [f["name"] for f in meeting["auxiliaryFile"]] == ["Bekanntmachung", "Einladung (Nachtrag)"]
    assert meeting["invitation"]["meeting"] == [meeting["id"]]
    item = meeting["agendaItem"][1]
    assert [f["name"] for f in item["auxiliaryFile"]] == ["Beschluss"] and "resolutionFile" not in item
    assert item["auxiliaryFile"][0]["agendaItem"] == [item["id"]]


def test_a_session_past_midnight_ends_on_the_next_day(content_copy: Path) -> None:
    edit(content_copy, "sessions/kreistag-2020-03-05.yml", start_time="22:00", end_time="01:30")
    meeting = objects_of(content_copy)[MEETING]
    assert (meeting["start"], meeting["end"]) == ("2020-03-05T22:00:00+01:00", "2020-03-06T01:30:00+01:00")


# 8. the Daten page


def test_the_daten_page_says_which_list_filters_a_static_host_cannot_offer() -> None:
    site = link(validate(load(FIXTURES / "valid")))
    daten = next(p.text for p in outputs(site) if p.path == "daten.md")
    section = daten.split("## OParl-Schnittstelle", 1)[1].split("\n## ", 1)[0]
    for word in ("modified_since", "created_since", "modified_until", "created_until", "Personen"):
        assert word in section


def test_a_file_with_its_text_on_the_site_carries_it() -> None:
    from generator.exports.oparl import OParl
    from generator.records.load import load
    from generator.records.validate import validate
    from generator.site.link import link

    site = link(validate(load(FIXTURES / "valid")))
    files = dict(OParl(site, base_url="https://x.example/", name="X", licence_url=None).files())
    texts = [
        obj["text"]
        for path, text in files.items()
        if path.startswith("oparl/vorlage/")
        for obj in [json.loads(text)]
        for obj in obj.get("auxiliaryFile", []) + ([obj["mainFile"]] if "mainFile" in obj else [])
        if "text" in obj
    ]
    assert texts and "Lotsenprogramm" in texts[0] and "=== Seite" not in texts[0]
