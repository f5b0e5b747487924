"""View data for the pages every German public website needs: Impressum, Datenschutz, Barrierefreiheit, and an
explanation in Leichte Sprache. Their facts come from :mod:`generator.records.settings`; a missing one says so."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markupsafe import Markup

from generator.pages.views import PageSpec
from generator.records.dates import format_date
from generator.records.settings import Settings
from generator.site.addresses import LEGAL_PAGES

MISSING = "Angabe fehlt"


def legal_pages(settings: Settings) -> Iterator[PageSpec]:
    view = legal_view(settings)
    for path, template in LEGAL_PAGES.items():
        yield path, template, view


def legal_view(settings: Settings) -> dict[str, Any]:
    """Every setting as text, or "Angabe fehlt (Einstellung „…“)" where it is empty."""
    values: dict[str, Any] = {"root": Markup("")}
    for section in ("operator", "privacy", "accessibility"):
        group = getattr(settings, section)
        for name in type(group).model_fields:
            value = getattr(group, name)
            if value is None:
                values[f"{section}_{name}"] = f"{MISSING} (Einstellung „{section}.{name}“)"
            else:
                values[f"{section}_{name}"] = format_date(value) if name.endswith("_date") else value
    values["complete"] = not settings.missing()
    return values
