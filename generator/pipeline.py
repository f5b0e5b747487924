"""The whole run, one stage after the other: load → validate → link → render → write → build."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .build import build_site
from .link import Site, link
from .load import load
from .problems import Problem
from .render import render
from .settings import load_settings
from .validate import Records, validate
from .write import WriteStats, write

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Paths:
    content: Path = Path("content")
    site: Path = Path("site")
    docs: Path = Path("build/docs")
    config: Path = Path("mkdocs.yml")
    settings: Path = Path("site_config/settings.yml")


def check(paths: Paths) -> Records:
    """Read and validate everything; raises :class:`~generator.problems.ContentError` listing all problems."""
    return validate(load(paths.content))


@dataclass(frozen=True, slots=True)
class Result:
    site: Site
    written: WriteStats
    site_url: str
    warnings: list[Problem]


def build(paths: Paths, *, production: bool = False) -> Result:
    """Check the content, write its pages and build the site; nothing is written unless all content is valid.

    A ``production`` build also refuses missing site settings (a development build warns about them).
    """
    records = check(paths)
    settings, warnings = load_settings(paths.settings, production=production)
    site = link(records)
    stats = write(render(site, settings=settings), paths.docs, files=records.files)
    site_url = build_site(config_file=paths.config, docs_dir=paths.docs, site_dir=paths.site)
    return Result(site, stats, site_url, warnings)
