"""One output file of a build: where it goes below the docs folder (see :mod:`generator.site.addresses`) and its text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # below the docs folder, e.g. "vereinbarungen/sgb2-2013.md" (a page) or ".json" (a file beside)
    text: str
