"""Stage 4, render: turn the linked site into Markdown pages with Jinja2 templates.

:mod:`generator.pages.views` and :mod:`generator.pages.overviews` prepare plain view data (texts, refs, sorted lists);
the templates only lay it out. Every text from a record is escaped by :func:`generator.site.text.finalize`, so
typed markup shows as text.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, partial
from importlib.metadata import PackageNotFoundError, version
from itertools import chain
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from generator.pages.daten import data_page_view
from generator.pages.documents import document_pages
from generator.pages.legal import legal_pages
from generator.pages.overviews import overview_pages
from generator.pages.views import Citation, record_pages
from generator.records.dates import PartialDate, format_date
from generator.records.history import Change
from generator.records.kinds import MODELS
from generator.records.models import TIMEZONE
from generator.records.settings import Settings
from generator.records.stored import code_files, header
from generator.site.addresses import DATA_PAGE
from generator.site.link import Site
from generator.site.manifest import Manifest
from generator.site.memo import PageMemo
from generator.site.output import Page
from generator.site.publication import Publication
from generator.site.text import finalize, html_attr, html_paragraphs, html_text, md_paragraphs

log = logging.getLogger(__name__)


@cache
def environment(*, demo: bool = False) -> Environment:
    """The Jinja2 environment (one per process and demo flag: templates are compiled once)."""
    env = Environment(
        loader=PackageLoader("generator.pages", "templates"),
        autoescape=True,  # values pass ``finalize`` first, which escapes them for Markdown and marks them safe
        finalize=finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a run: no stat() per page
    )
    env.filters["paragraphs"] = md_paragraphs
    env.filters["html_paragraphs"] = html_paragraphs
    env.filters["attr"] = html_attr  # a value inside a quoted HTML attribute
    env.filters["html"] = html_text  # a value inside a raw HTML block
    env.filters["yaml"] = front_matter_text
    env.globals["demo"] = demo
    return env


def front_matter_text(value: object) -> Markup:
    """A page title for the front matter: MkDocs and Material print it into HTML unescaped, so escape it here."""
    return Markup(json.dumps(str(escape(" ".join(str(value).split()))), ensure_ascii=False))


@dataclass(frozen=True, slots=True)
class Part:
    """One process's share of a full run's pages, where two processes render them (:func:`parts`): these record
    and document pages, and with ``main`` the start page, the overviews, the legal pages and the Daten page too."""

    records: frozenset[tuple[str, str]]
    documents: frozenset[str]
    main: bool


def parts(site: Site, *, share: float) -> tuple[Part, Part]:
    """The pages of a full run in two parts: the main one, and the other with about ``share`` of the record and
    document pages (records in the order of the site, whole: an organisation with its year pages)."""
    keys = [(kind, record_id) for kind in MODELS for record_id in site.records.of_kind(kind)]
    names = list(site.documents)

    def split(items: list[Any]) -> tuple[frozenset[Any], frozenset[Any]]:
        other = {item for i, item in enumerate(items) if int((i + 1) * share) > int(i * share)}
        return frozenset(set(items) - other), frozenset(other)

    (main_records, other_records), (main_documents, other_documents) = split(keys), split(names)
    return Part(main_records, main_documents, main=True), Part(other_records, other_documents, main=False)


def render(
    site: Site,
    *,
    settings: Settings | None = None,
    history: dict[str, list[Change]] | None = None,
    only: set[tuple[str, str]] | None = None,
    overviews: set[str] | None = None,
    years: Mapping[str, set[int | None]] | None = None,
    publication: Publication | None = None,
    manifest: Manifest | None = None,
    memo: PageMemo | None = None,
    part: Part | None = None,
) -> Iterator[Page]:
    """Yield the pages of the site, one at a time: start page and overviews, one page per record, the legal
    pages, and the Daten page from the ``manifest`` of the export stage, when given.

    The live preview re-renders only what a change touches: ``only`` limits the record pages to these
    ``(kind, id)`` keys, ``overviews`` the overviews to these kinds (and ``"home"``), ``years`` the year pages of
    the kinds it names to these years (:func:`~generator.pages.overviews.overview_pages`). The legal pages are
    rendered in a full run and whenever ``settings`` are given. ``publication`` gives the public address and the
    build date that citations need. With a ``memo`` (the build cache's, made by :func:`page_memo`), a page whose
    template and view data are as last time is read from its file instead of rendered. ``part``: this process's
    share of a full run (:func:`parts`).
    """
    publication = publication or Publication()
    full = only is None and overviews is None
    if settings is None and full:
        settings = Settings()  # a full run has every page; without settings the legal pages say what is missing
    env = environment(demo=site.records.demo)
    count = 0
    legal = legal_pages(settings) if settings is not None else iter(())
    citation = Citation(
        base_url=publication.base_url,
        publisher=settings.operator.name if settings is not None else None,
        site_name=publication.name,
        built=format_date(PartialDate.parse(publication.now.astimezone(TIMEZONE).date())),
    )
    if part is not None:
        only, documents = set(part.records), document_pages(site, only=part.documents)
        if not part.main:
            overviews, legal, manifest = set(), iter(()), None
    else:
        documents = document_pages(site) if full else iter(())
    records = record_pages(site, only=only, history=history, citation=citation)

    def page(path: str, template: str, view: dict[str, Any]) -> Page:
        make = partial(env.get_template(template).render, view)
        return Page(path, make()) if memo is None else memo.page(path, template, view, make)

    for path, template, view in chain(overview_pages(site, only=overviews, years=years), legal, records, documents):
        count += 1
        yield page(path, template, view)
    if manifest is not None:
        yield page(DATA_PAGE, "daten.md.j2", data_page_view(manifest, site=site, settings=settings or Settings()))
    log.info("rendered %d pages", count)


def page_memo(folder: Path, *, docs_dir: Path, demo: bool) -> PageMemo:
    """The build cache's memo of rendered pages, for this generator's code and templates (templates call into the
    records' and the site's code: dates, models, refs) and Jinja2's version."""
    versions = []
    for name in ("jinja2", "markupsafe"):
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} -")
    head = header("rendered-pages", parts=["format 1", f"demo {demo}", *versions], files=code_files("."))
    return PageMemo(folder, docs_dir=docs_dir, head=head)
