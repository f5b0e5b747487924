"""Live preview: the last good build, kept up to date by re-doing only what a change touches.

A change to one record re-reads that file (the loader and the validator keep caches), links the whole set
again (fast), re-renders the changed record's page, the pages linked with it before and after the change,
and the overviews, writes only the pages whose Markdown really changed, and has MkDocs build just those.
A change that makes the content invalid is reported and leaves the preview as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.pages.overviews import BY_YEAR, year_of, year_pages
from generator.pipeline import Paths, collect_less, outputs, publication
from generator.publish.builder import build_pages, build_site, publish_file, remove_staging, staging_name
from generator.publish.lock import folders_locked
from generator.records.history import Change, read_history
from generator.records.kinds import MODELS, SHOWN_IN
from generator.records.load import FILES_FOLDER, LoadCache, Stamps, load
from generator.records.load import file_stamps as stamps
from generator.records.settings import Settings, load_settings
from generator.records.validate import ModelCache, Records, validate
from generator.site.addresses import html_path, json_path
from generator.site.link import Key, Site, link
from generator.site.publication import Publication
from generator.site.write import static_dir, write

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Update:
    pages: list[str] = field(default_factory=list)  # docs paths rebuilt
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Preview:
    """The generator's state between two changes of the content folder."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.load_cache: LoadCache = {}
        self.model_cache: ModelCache = {}
        self.site: Site | None = None
        self.settings: Settings | None = None
        self.history: dict[str, list[Change]] | None = None
        self.stamps: Stamps = {}
        # What changed since the last good update: an update that fails (the content invalid, a file gone while
        # it was read) leaves it for the next one, so nothing saved in between is left out.
        self.pending: set[str] = set()
        self.added_or_removed = False
        self.unfinished = False  # an update failed after it began to write: the next one builds everything
        self.publication = Publication()

    def build_all(self) -> Update:
        """A full build (the first one, and after a change of attachments)."""
        with collect_less():
            return self._build_all()

    def _build_all(self) -> Update:
        start = time.perf_counter()
        self.stamps = stamps(self.paths.content)
        records = validate(load(self.paths.content, cache=self.load_cache, stamps=self.stamps), cache=self.model_cache)
        self.settings, _ = load_settings(self.paths.settings, production=False)
        self.history = read_history(self.paths.content)
        self.publication = publication(self.paths.config)
        site = link(records)
        with folders_locked(self.paths.site, self.paths.docs):
            remove_staging(self.paths.site)
            # In one process: `serve` runs its server and watcher threads beside this (no fork under running threads).
            pages = outputs(site, settings=self.settings, history=self.history, publication=self.publication)
            stats = write(pages, self.paths.docs, files=records.files)
            build_site(config_file=self.paths.config, docs_dir=self.paths.docs, site_dir=self.paths.site)
        self.site = site
        return Update(stats.paths, [], time.perf_counter() - start)

    def update(self, new: Stamps | None = None) -> Update:
        """Bring the preview up to date with the content folder (whose files have the stamps ``new``, where the
        caller has just taken them); raises ContentError (and keeps the last good site) on bad content."""
        with collect_less():
            return self._update(new)

    def _update(self, new: Stamps | None) -> Update:
        start = time.perf_counter()
        new = stamps(self.paths.content) if new is None else new
        self.pending |= {rel for rel in new.keys() | self.stamps.keys() if new.get(rel) != self.stamps.get(rel)}
        self.added_or_removed |= new.keys() != self.stamps.keys()
        self.stamps = new  # a failure is reported once, not at every look at the folder
        records = validate(load(self.paths.content, cache=self.load_cache, stamps=new), cache=self.model_cache)
        changed, added_or_removed = set(self.pending), self.added_or_removed
        if self.site is None or self.unfinished or any(rel.startswith(f"{FILES_FOLDER}/") for rel in changed):
            update = self._build_all()
        else:
            self.unfinished = True  # until the pages it writes are built
            update = self._apply(records, changed, added_or_removed=added_or_removed)
        self.pending.clear()
        self.added_or_removed = self.unfinished = False
        update.seconds = time.perf_counter() - start
        return update

    def _apply(self, records: Records, changed: set[str], *, added_or_removed: bool) -> Update:
        """Re-render, write and build what the ``changed`` files touch."""
        assert self.site is not None
        site = link(records, previous=self.site)
        keys = {key for rel in changed if (key := record_key(rel)) is not None}
        touched = affected(self.site, keys) | affected(site, keys)
        present = {key for key in touched if key in site.refs}
        overviews = {"home"} if added_or_removed else set()  # the start page counts records
        for kind, _ in keys:
            overviews |= SHOWN_IN[kind]
        with folders_locked(self.paths.site, self.paths.docs):
            stats = write(
                outputs(
                    site,
                    only=present,
                    overviews=overviews,
                    years=changed_years(self.site, site, keys),
                    history=self.history,
                    settings=self.settings,  # the publisher of the citations (and the legal pages, unchanged)
                    publication=self.publication,  # the public address in citations and JSON
                ),
                self.paths.docs,
                prune=False,  # the attachments are as in the last build: a changed one builds everything anew
            )
            removed = [self.site.refs[key].page for key in touched - present if key in self.site.refs]
            for kind in overviews & set(BY_YEAR):  # a year with no record left (or no year pages any more)
                removed += sorted(year_pages(self.site, kind) - year_pages(site, kind))
            written = set(stats.paths)  # a renamed record's redirect and JSON now stand where its old files stood
            for page in removed:
                (self.paths.docs / page).unlink(missing_ok=True)
                if json_path(page) not in written:
                    for folder in (static_dir(self.paths.docs), self.paths.site):  # the record's JSON beside it
                        (folder / json_path(page)).unlink(missing_ok=True)
                shutil.rmtree(self.paths.site / html_path(page).rsplit("/", 1)[0], ignore_errors=True)
            if stats.paths:
                self._build(stats.paths)
        self.site = site
        return Update(stats.paths, removed)

    def _build(self, pages: list[str]) -> None:
        site = self.paths.site.resolve()  # as remove_staging and build_site name it
        out = Path(tempfile.mkdtemp(prefix=staging_name(site, "preview"), dir=site.parent))
        try:
            markdown = [page for page in pages if page.endswith(".md")]
            for page in set(pages) - set(markdown):  # static files (JSON, redirect pages) go over as they are
                (self.paths.site / page).parent.mkdir(parents=True, exist_ok=True)
                publish_file(static_dir(self.paths.docs) / page, self.paths.site / page)
            if markdown:
                build_pages(config_file=self.paths.config, docs_dir=self.paths.docs, pages=markdown, out_dir=out)
            for page in markdown:
                source, target = out / html_path(page), self.paths.site / html_path(page)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)  # a new file: the site's files may be hard links (the build cache)
        finally:
            shutil.rmtree(out, ignore_errors=True)


def record_key(rel: str) -> Key | None:
    """``papers/x.yml`` → ``("papers", "x")``."""
    parts = rel.split("/")
    if len(parts) != 2 or parts[0] not in MODELS:
        return None
    return parts[0], parts[1].rsplit(".", 1)[0]


def changed_years(before: Site, after: Site, keys: set[Key]) -> dict[str, set[int | None]]:
    """Of each overview that lists only records of its own kind by year, the years (before and after the change)
    of the changed records ``keys``, where they all are of that kind and were edited, not added or removed (a
    count that crosses into year pages needs them all): the other years' pages stay as they are. An overview that
    also shows records of another changed kind (an organisation's new name in the sessions' rows) is not named,
    so all its year pages are rendered again."""
    kinds = {kind for kind, _ in keys}
    years: dict[str, set[int | None]] = {}
    for kind in kinds & set(BY_YEAR):
        edited = [key for key in keys if key[0] == kind]
        if (
            kind in SHOWN_IN[kind]
            and all(kind not in SHOWN_IN[other] for other in kinds - {kind})
            and all(key in before.refs and key in after.refs for key in edited)
        ):
            years[kind] = {year_of(site.refs[key]) for site in (before, after) for key in edited}
    return years


def affected(site: Site, keys: set[Key]) -> set[Key]:
    """The records ``keys`` and every record whose page shows one of them."""
    found = set(keys)
    for kind, record_id in keys:
        for other, ids in site.edges.get((kind, record_id), {}).items():
            found |= {(other, i) for i in ids}
        if kind == "organizations":
            found |= {("organizations", ref.id) for ref in site.children.get(record_id, [])}
            org = site.records.organizations.get(record_id)
            if org is not None and org.parent:
                found.add(("organizations", org.parent))
    return found
