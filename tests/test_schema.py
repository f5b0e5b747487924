"""Editors' JSON Schemas: current, described in German, and right about the real records."""

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from generator.editing.schema import FOLDER, schema_text
from generator.records.kinds import MODELS
from generator.records.load import parse_yaml

from .conftest import CONTENT, FIXTURES, ROOT


@pytest.mark.parametrize("kind", list(MODELS))
def test_the_checked_in_schema_is_current(kind: str) -> None:
    path = ROOT / FOLDER / f"{kind}.schema.json"
    assert path.read_text(encoding="utf-8") == schema_text(kind), "run: python -m generator schema"


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = [("record", name, prop) for name, prop in schema["properties"].items()]
    for model, definition in schema.get("$defs", {}).items():
        found += [(model, name, prop) for name, prop in definition.get("properties", {}).items()]
    return found


@pytest.mark.parametrize("kind", list(MODELS))
def test_every_field_is_described_in_german(kind: str) -> None:
    schema = json.loads(schema_text(kind))
    undescribed = [(model, name) for model, name, prop in _properties(schema) if not prop.get("description")]
    assert undescribed == []
    assert "id" not in schema["properties"]  # the id is the file name
    assert schema["additionalProperties"] is False  # a misspelt field is flagged while typing


def records(folder: Path) -> list[tuple[str, Path]]:
    return [(kind, path) for kind in MODELS for path in sorted((folder / kind).glob("*.yml"))]


@pytest.mark.parametrize(
    ("kind", "path"), records(CONTENT) + records(FIXTURES / "valid"), ids=lambda v: getattr(v, "name", v)
)
def test_valid_records_pass_the_schema(kind: str, path: Path) -> None:
    parsed = parse_yaml(path.read_text(encoding="utf-8-sig"), path.name, [])
    assert parsed is not None
    validator = Draft202012Validator(json.loads(schema_text(kind)))
    assert [e.message for e in validator.iter_errors(parsed[0])] == []


def test_the_schema_flags_what_check_flags() -> None:
    validator = Draft202012Validator(json.loads(schema_text("papers")))
    broken = {"reference": "1/2013", "title": "T", "paper_type": "Vorlage", "date": "5.7.2013", "titel": "x"}
    messages = " ".join(e.message for e in validator.iter_errors(broken))
    assert "'titel' was unexpected" in messages
    assert "5.7.2013" in messages
