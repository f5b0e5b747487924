"""Stage 4b, export: the files other than pages, beside the rendered pages. Each record as JSON next to its page
(and at its former addresses), the bulk tables as CSV and JSON, the OParl export, the Atom feed and the iCal file
(see :mod:`generator.data`), the redirect pages of former ids, and the list of published addresses.

The result holds the files and the manifest of the downloads (names, sizes, rows), from which the render stage
writes the Daten page; so no page depends on the order in which files are produced.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .addresses import URL_LIST_PATH
from .data import Downloads, record_files
from .history import Change
from .link import Site
from .manifest import Manifest
from .output import Page
from .publication import Publication
from .redirects import redirect_pages
from .settings import Settings
from .urls import public_urls, url_list

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Exports:
    files: list[Page]
    manifest: Manifest | None  # what the bulk files are, for the Daten page (a full run only)


def export(
    site: Site,
    *,
    publication: Publication,
    settings: Settings | None = None,
    history: dict[str, list[Change]] | None = None,
    only: set[tuple[str, str]] | None = None,
) -> Exports:
    """Every export of the site, or (``only``, the live preview) the JSON of these records, the redirects and
    the address list; the bulk files are then left as they are."""
    files = [Page(path, text) for path, text in record_files(site, only=only, base_url=publication.base_url)]
    manifest = None
    if only is None:
        downloads = Downloads(site, publication=publication, settings=settings or Settings(), history=history)
        files += [Page(path, text) for path, text in downloads.files()]
        manifest = downloads.manifest()
    files += [Page(path, html) for path, html in redirect_pages(site)]
    files.append(Page(URL_LIST_PATH, url_list(public_urls(site))))  # published with the site, at /urls.txt
    log.info("exported %d files", len(files))
    return Exports(files, manifest)
