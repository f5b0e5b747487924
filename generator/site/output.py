"""One output file of a build: where it goes below the docs folder (see :mod:`generator.site.addresses`) and its text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # below the docs folder, e.g. "vereinbarungen/sgb2-2013.md" (a page) or ".json" (a file beside)
    text: str
    # The file below the docs folder already holds exactly this text (the build cache's memo has just compared its
    # SHA-256): the writer counts it unchanged without reading it again.
    on_disk: bool = False
