"""Stage 4b, export: the files other than pages, beside the rendered pages. Each record as JSON next to its page
(and at its former addresses), the bulk tables as CSV and JSON, the OParl export, the Atom feed and the iCal file
(see :mod:`generator.exports.tables`), the redirect pages of former ids, and the list of published addresses.

The result yields the files one at a time (none is kept once written) and then holds the manifest of the
downloads (names, sizes, rows), from which the render stage writes the Daten page; so no page depends on the order
in which files are produced.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator

from generator.exports.feeds import atom_feed, session_calendar
from generator.exports.oparl import OParl
from generator.exports.record_json import record_files
from generator.exports.redirects import redirect_pages
from generator.exports.tables import TABLES, table_csv, table_json, table_rows
from generator.exports.urls import public_urls, url_list
from generator.records.history import Change
from generator.records.settings import Settings
from generator.site.addresses import CALENDAR_PATH, FEED_PATH, URL_LIST_PATH, oparl_path, table_path
from generator.site.link import Site
from generator.site.manifest import DownloadFile, Manifest, TableFiles
from generator.site.output import Page
from generator.site.publication import Publication

log = logging.getLogger(__name__)


class Exports:
    """The exported files, each made when :attr:`files` gets to it (one at a time: the bulk files of a large site
    are hundreds of MB of text); once they are all through, :attr:`manifest` describes the downloads (names,
    sizes, rows) for the Daten page (a full run only, else ``None``)."""

    def __init__(self, files: Iterator[Page], downloads: Downloads | None) -> None:
        self._downloads, self._done = downloads, False
        self.files = self._through(files)

    def _through(self, files: Iterator[Page]) -> Iterator[Page]:
        count = 0
        for page in files:
            count += 1
            yield page
        self._done = True
        log.info("exported %d files", count)

    @property
    def manifest(self) -> Manifest | None:
        if self._downloads is None:
            return None
        if not self._done:
            raise RuntimeError("the manifest describes the exported files: iterate them first")
        return self._downloads.manifest()


def export(
    site: Site,
    *,
    publication: Publication,
    settings: Settings | None = None,
    history: dict[str, list[Change]] | None = None,
    only: set[tuple[str, str]] | None = None,
    records: Collection[tuple[str, str]] | None = None,
) -> Exports:
    """Every export of the site, or (``only``, the live preview) the JSON of these records, the redirects and
    the address list; the bulk files are then left as they are. ``records``: of a full run, the records whose JSON
    this process writes, where two processes write the pages (the other writes the rest with its pages,
    :func:`record_pages`)."""
    if only is not None and records is not None:
        raise ValueError("export: the live preview's records (only) or a process's share (records), not both")
    downloads = None
    if only is None:
        downloads = Downloads(site, publication=publication, settings=settings or Settings(), history=history)

    def files() -> Iterator[Page]:
        yield from record_pages(site, only=only if records is None else records, publication=publication)
        if downloads is not None:
            for path, text in downloads.files():
                yield Page(path, text)
        for path, html in redirect_pages(site):
            yield Page(path, html)
        yield Page(URL_LIST_PATH, url_list(public_urls(site)))  # published with the site, at /urls.txt

    return Exports(files(), downloads)


def record_pages(site: Site, *, only: Collection[tuple[str, str]] | None, publication: Publication) -> Iterator[Page]:
    """The JSON file of each record (of those in ``only``), at its address and its former ones."""
    for path, text in record_files(site, only=only, base_url=publication.base_url):
        yield Page(path, text)


class Downloads:
    """The bulk files: tables as CSV and JSON, the OParl export, the Atom feed, the iCal file.

    :meth:`files` yields the files one after the other; afterwards :meth:`manifest` describes them (paths, sizes,
    rows) for the Daten page.
    """

    def __init__(
        self, site: Site, *, publication: Publication, settings: Settings, history: dict[str, list[Change]] | None
    ) -> None:
        self.site, self.publication, self.settings, self.history = site, publication, settings, history
        self.sizes: dict[str, int] = {}
        self.rows: dict[str, int] = {}
        self.oparl_files = self.oparl_bytes = self.events = 0

    def files(self) -> Iterator[tuple[str, str]]:
        site, pub = self.site, self.publication
        for table in TABLES:
            rows = table_rows(site, table)
            self.rows[table.stem] = len(rows)
            yield self._count(table_path(table.stem, "csv"), table_csv(table, rows))
            yield self._count(table_path(table.stem, "json"), table_json(rows))
        body = self.settings.operator.name or pub.name  # the operator is the body publishing the records
        oparl = OParl(
            site,
            base_url=pub.base_url,
            name=body,
            licence_url=self.settings.open_data.licence_url,
            history=self.history,
        )
        for path, text in oparl.files():
            self.oparl_files += 1
            self.oparl_bytes += len(text.encode("utf-8"))
            yield path, text
        yield self._count(
            FEED_PATH, atom_feed(site, history=self.history, base_url=pub.base_url, name=pub.name, now=pub.now)
        )
        calendar, self.events = session_calendar(
            site, history=self.history, base_url=pub.base_url, name=pub.name, now=pub.now
        )
        yield self._count(CALENDAR_PATH, calendar)

    def _count(self, path: str, text: str) -> tuple[str, str]:
        self.sizes[path] = len(text.encode("utf-8"))
        return path, text

    def manifest(self) -> Manifest:
        """What :meth:`files` wrote (after it has run): for the Daten page."""

        def file(path: str) -> DownloadFile:
            return DownloadFile(path, self.sizes[path])

        return Manifest(
            tables=tuple(
                TableFiles(
                    stem=t.stem,
                    title=t.title,
                    description=t.description,
                    columns=tuple((c.name, c.description) for c in t.columns),
                    rows=self.rows[t.stem],
                    csv=file(table_path(t.stem, "csv")),
                    json=file(table_path(t.stem, "json")),
                )
                for t in TABLES
            ),
            oparl_entry=oparl_path("system.json"),
            oparl_files=self.oparl_files,
            oparl_size=self.oparl_bytes,
            feed=file(FEED_PATH),
            feed_has_history=self.history is not None,
            calendar=file(CALENDAR_PATH),
            calendar_events=self.events,
        )
