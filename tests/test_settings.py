import json
from pathlib import Path

import pytest

from generator.pages.legal import legal_view
from generator.records.problems import ContentError
from generator.records.settings import load_settings

from .conftest import ROOT

FULL = """operator:
  name: Rhein-Kreis Neuss (Beispiel)
  address: Oberstraße 91, 41460 Neuss
  email: info@example.org
  phone: 02131 000000
  represented_by: Landrat (Beispiel)
privacy:
  officer: Datenschutzbeauftragte (Beispiel)
  officer_email: datenschutz@example.org
accessibility:
  contact_email: barrierefreiheit@example.org
  statement_date: 2026-11-25
  enforcement_body: Ombudsstelle (Beispiel)
open_data:
  licence: Datenlizenz Deutschland – Namensnennung – Version 2.0
  licence_url: https://www.govdata.de/dl-de/by-2-0
"""


def test_the_committed_settings_are_empty_and_say_so() -> None:
    settings, warnings = load_settings(ROOT / "site_config" / "settings.yml", production=False)
    assert len(warnings) == len(settings.missing()) == 12
    assert {w.code for w in warnings} == {"missing-setting"}
    first = warnings[0]
    assert (first.line, first.in_content) == (7, False)
    assert "operator.name" in first.message
    assert legal_view(settings)["operator_name"] == "Angabe fehlt (Einstellung „operator.name“)"


def test_production_refuses_missing_settings() -> None:
    with pytest.raises(ContentError) as info:
        load_settings(ROOT / "site_config" / "settings.yml", production=True)
    assert len(info.value.problems) == 12


def test_complete_settings_fill_the_pages(tmp_path: Path) -> None:
    path = tmp_path / "settings.yml"
    path.write_text(FULL, encoding="utf-8")
    settings, warnings = load_settings(path, production=True)
    assert warnings == []
    view = legal_view(settings)
    assert view["operator_name"] == "Rhein-Kreis Neuss (Beispiel)"
    assert view["accessibility_statement_date"] == "25. November 2026"
    assert view["complete"] is True


@pytest.mark.parametrize(
    ("text", "code"),
    [("operator:\n  nam: X\n", "invalid-value"), ('operator:\n  name: "Kreis\\u0007"\n', "invalid-character")],
)
def test_broken_settings_are_reported_with_a_line(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "settings.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_settings(path, production=False)
    assert [(p.code, p.line) for p in info.value.problems] == [(code, 2)]
    path.write_text("operator: [\n", encoding="utf-8")
    with pytest.raises(ContentError):
        load_settings(path, production=False)


def test_missing_file_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    settings, warnings = load_settings(tmp_path / "fehlt.yml", production=False)
    assert [w.code for w in warnings] == ["missing-setting"]
    assert settings.missing()


@pytest.mark.parametrize(
    "url", ['https://x.example/"><script>alert(1)</script>', "javascript:alert(1)", "https://x.example/a b"]
)
def test_a_url_setting_must_be_plain_http(tmp_path: Path, url: str) -> None:
    path = tmp_path / "settings.yml"
    path.write_text(f"open_data:\n  licence: L\n  licence_url: {json.dumps(url)}\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_settings(path, production=False)
    ((problem),) = info.value.problems
    assert (problem.code, problem.line) == ("invalid-value", 3)
    assert "open_data.licence_url" in problem.message and "https://" in problem.message
