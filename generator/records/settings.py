"""Site settings from ``site_config/settings.yml``: who runs the site (for the legal pages), the data licence.

A missing setting is never replaced by invented text: the page says "Angabe fehlt", the build warns, and a
``--production`` build stops with a ``missing-setting`` problem for each one.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.records.dates import PartialDate
from generator.records.load import parse_yaml
from generator.records.models import Model, Text, WebUrl
from generator.records.problems import ContentError, Problem


class Operator(Model):
    name: Text | None = None
    address: Text | None = None
    email: Text | None = None
    phone: Text | None = None
    represented_by: Text | None = None


class Privacy(Model):
    officer: Text | None = None
    officer_email: Text | None = None


class Accessibility(Model):
    contact_email: Text | None = None
    statement_date: PartialDate | None = None
    enforcement_body: Text | None = None


class OpenData(Model):
    licence: Text | None = None  # e.g. "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    licence_url: WebUrl | None = None


SECTIONS = ("operator", "privacy", "accessibility", "open_data")


class Settings(Model):
    operator: Operator = Operator()
    privacy: Privacy = Privacy()
    accessibility: Accessibility = Accessibility()
    open_data: OpenData = OpenData()

    def missing(self) -> list[str]:
        """Dotted names of the settings that are not filled in."""
        found = []
        for section in SECTIONS:
            values = getattr(self, section)
            found += [f"{section}.{name}" for name in type(values).model_fields if getattr(values, name) is None]
        return found


def load_settings(path: Path, *, production: bool) -> tuple[Settings, list[Problem]]:
    """Read the settings; returns them with one ``missing-setting`` warning per empty setting.

    Raises :class:`ContentError` for a broken file, and in ``production`` for any missing setting.
    """
    if not path.is_file():
        settings = Settings()
        problems = [Problem(str(path), 1, "missing-setting", "Die Datei mit den Einstellungen fehlt", in_content=False)]
    else:
        problems = []
        parsed = parse_yaml(path.read_text(encoding="utf-8-sig"), str(path), problems)
        if parsed is None:
            raise ContentError([replace(p, in_content=False) for p in problems])
        data, lines, _ = parsed
        try:
            settings = Settings.model_validate(_drop_none_sections(data))
        except ValidationError as exc:
            raise ContentError(
                [
                    Problem(str(path), lines.get(tuple(e["loc"]), 1), "invalid-value", _message(e), in_content=False)
                    for e in exc.errors()
                ]
            ) from None
        for name in settings.missing():
            line = lines.get(tuple(name.split(".")), 1)
            problems.append(
                Problem(
                    str(path),
                    line,
                    "missing-setting",
                    f"Einstellung „{name}“ fehlt: die Seite zeigt „Angabe fehlt“",
                    in_content=False,
                )
            )
    if production and problems:
        raise ContentError(problems)
    return settings, problems


def _drop_none_sections(data: dict[str, object]) -> dict[str, object]:
    """``operator:`` with every value commented out is ``None`` in YAML: treat it as an empty section."""
    return {key: ({} if value is None else value) for key, value in data.items()}


def _message(error: Any) -> str:
    name = ".".join(str(part) for part in error["loc"])
    if error["type"] == "string_pattern_mismatch":
        return (
            f"Einstellung „{name}“: eine Webadresse beginnt mit https:// oder http:// und enthält keine "
            "Anführungszeichen, <, >, Leerzeichen oder Steuerzeichen"
        )
    return f"Einstellung „{name}“: {error['msg']}"
