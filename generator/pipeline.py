"""The whole run, one stage after the other: load → validate → link → render → write → build."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag

from .build import build_site, remove_staging
from .data import LOCAL_URL, SITE_NAME, Publication
from .history import read_history
from .link import Site, link
from .load import load
from .lock import folders_locked
from .problems import ContentError, Problem
from .render import render
from .settings import load_settings
from .urls import public_urls, removed_urls
from .validate import validate
from .write import WriteStats, write

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Paths:
    content: Path = Path("content")
    site: Path = Path("site")
    docs: Path = Path("build/docs")
    config: Path = Path("mkdocs.yml")
    settings: Path = Path("site_config/settings.yml")
    published: Path | None = None  # the list of published addresses to keep (none: nothing to compare)


def check(paths: Paths) -> Site:
    """Read and validate everything, and make sure no published address disappears.

    Raises :class:`~generator.problems.ContentError` listing all problems.
    """
    site = link(validate(load(paths.content)))
    removed = removed_urls(paths.published, public_urls(site))
    if removed:
        raise ContentError(removed)
    return site


@dataclass(frozen=True, slots=True)
class Result:
    site: Site
    written: WriteStats
    site_url: str
    warnings: list[Problem]


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: ``!ENV`` as MkDocs resolves it, any other tag (``!!python/name:``, ``!relative``) as None."""


_ConfigLoader.add_constructor("!ENV", construct_env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def publication(config: Path) -> Publication:
    """The site's public address and name from mkdocs.yml, and the time of this build (for feed and calendar)."""
    with config.open(encoding="utf-8") as file:
        data = yaml.load(file, Loader=_ConfigLoader) or {}  # a SafeLoader subclass
    base = str(data.get("site_url") or LOCAL_URL)
    return Publication(
        base_url=base if base.endswith("/") else base + "/",
        name=str(data.get("site_name") or SITE_NAME),
        now=dt.datetime.now(dt.UTC).replace(microsecond=0),
    )


def build(paths: Paths, *, production: bool = False) -> Result:
    """Check the content, write its pages and build the site; nothing is written unless all content is valid.

    A ``production`` build also refuses missing site settings and placeholder texts (a development build warns).
    """
    site = check(paths)
    records = site.records
    if production and records.warnings:
        raise ContentError(records.warnings)  # no placeholder text on the public site
    settings, warnings = load_settings(paths.settings, production=production)
    warnings = [*records.warnings, *warnings]
    history = read_history(paths.content)
    pages = render(site, settings=settings, history=history, publication=publication(paths.config))
    with folders_locked(paths.site, paths.docs):  # one build at a time into these folders
        remove_staging(paths.site)
        stats = write(pages, paths.docs, files=records.files)
        site_url = build_site(config_file=paths.config, docs_dir=paths.docs, site_dir=paths.site)
    return Result(site, stats, site_url, warnings)
