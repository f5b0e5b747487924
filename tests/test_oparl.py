"""The OParl export validated against the OParl 1.1 JSON schemas in ../shared/oparl-1.1-schema (read from there)."""

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft7Validator, FormatChecker

from generator.exports import oparl
from generator.pipeline import outputs
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
