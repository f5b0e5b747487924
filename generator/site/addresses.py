"""Every address of the site, decided here and nowhere else: where each output goes below the docs folder, and
the URL a reader uses for it. Addresses come from ids, never from titles (a renamed record keeps its address; a
former id keeps a redirect and its JSON).

- a record's page: ``vorlagen/<id>.md`` → ``/vorlagen/<id>/``; its data beside it: ``vorlagen/<id>.json``
- a former id: ``vorlagen/<old>/index.html`` (a redirect page) and ``vorlagen/<old>.json``
- an attachment: ``dateien/<name>``; the site's copy of a council system's file: ``dateien/ratsinfo/<name>``
- a section's overview ``vorlagen/index.md``; its year pages ``vorlagen/jahre/<year>.md`` (so the ids ``index``
  and ``jahre`` are reserved, see :data:`generator.records.models.RESERVED_IDS`)

The write stage refuses a second claim on one path (:class:`generator.site.write.PathClaimedTwice`).
"""

from __future__ import annotations

import posixpath
from typing import TypeVar

from generator.records.kinds import SECTIONS

T = TypeVar("T")

FILES_SECTION = "dateien"  # attachments from content/files/ are published at /dateien/<name>
DOCUMENTS_SECTION = "dokumente"  # a page per document with its text: /dokumente/<file name, "." as "-">/
HOME_PAGE = "index.md"  # the start page: /
DATA_PAGE = "daten.md"  # the page listing every download: /daten/
DATA_FOLDER = "daten"  # the bulk tables: /daten/<table>.csv and .json
FEED_PATH = "aenderungen.xml"  # the Atom feed of changes
CALENDAR_PATH = "sitzungen.ics"  # the sessions as iCal
OPARL_FOLDER = "oparl"  # the OParl export: /oparl/system.json and the lists and objects below it
URL_LIST_PATH = "urls.txt"  # every published address, one a line
# The pages every German public website needs, with their templates: /impressum/, /datenschutz/, …
LEGAL_PAGES = {
    "impressum.md": "impressum.md.j2",
    "datenschutz.md": "datenschutz.md.j2",
    "barrierefreiheit.md": "barrierefreiheit.md.j2",
    "leichte-sprache.md": "leichte-sprache.md.j2",
}


def page_path(kind: str, record_id: str) -> str:
    """``("papers", "x")`` → ``vorlagen/x.md``: the Markdown source of a record's page below the docs folder."""
    return f"{SECTIONS[kind]}/{record_id}.md"


def page_url(path: str, *, directory_urls: bool = True) -> str:
    """``index.md`` → ``/``, ``vorlagen/index.md`` → ``/vorlagen/``, ``vorlagen/x.md`` → ``/vorlagen/x/``; without
    ``use_directory_urls`` (a hand-edited ``mkdocs.yml``) ``vorlagen/x.md`` → ``/vorlagen/x.html``."""
    if not directory_urls:
        return "/" + html_path(path, directory_urls=False).removesuffix("index.html")
    stem = path.removesuffix(".md").removesuffix("/index.html")
    if stem == "index":
        return "/"
    return "/" + stem.removesuffix("/index") + "/"


def absolute_url(base_url: str, path: str) -> str:
    """The public address of the page built from ``path``: ``https://…/vorlagen/x/``."""
    return base_url + page_url(path).lstrip("/")


def json_path(page: str) -> str:
    """``vorlagen/x.md`` → ``vorlagen/x.json``: a record's data, beside its page (``/vorlagen/x.json``)."""
    return page.removesuffix(".md") + ".json"


def former_json_path(kind: str, former: str) -> str:
    """A renamed record's data at its former address (a JSON file cannot redirect)."""
    return f"{SECTIONS[kind]}/{former}.json"


def redirect_path(kind: str, former: str) -> str:
    """``vorlagen/<old>/index.html``: the page that forwards a former id to the record's page."""
    return f"{SECTIONS[kind]}/{former}/index.html"


def table_path(stem: str, suffix: str) -> str:
    """``("vereinbarungen", "csv")`` → ``daten/vereinbarungen.csv``: a bulk table of the Daten page."""
    return f"{DATA_FOLDER}/{stem}.{suffix}"


def oparl_path(name: str) -> str:
    """``system.json`` → ``oparl/system.json``: a file of the OParl export."""
    return f"{OPARL_FOLDER}/{name}"


def section_path(kind: str) -> str:
    """``papers`` → ``vorlagen/index.md``: a section's overview (``/vorlagen/``)."""
    return f"{SECTIONS[kind]}/index.md"


def year_path(kind: str, year: str) -> str:
    """``("papers", "2013")`` → ``vorlagen/jahre/2013.md``: a section's overview of one year."""
    return f"{SECTIONS[kind]}/jahre/{year}.md"


def sessions_year_path(organization: str, year: str) -> str:
    """``("kreistag", "2013")`` → ``organisationen/kreistag/sitzungen/2013.md``: a body's sessions of one year, where
    it has too many for its own page."""
    return f"{SECTIONS['organizations']}/{organization}/sitzungen/{year}.md"


def former_url(kind: str, former: str) -> str:
    return f"/{SECTIONS[kind]}/{former}/"


def record_url(kind: str, record_id: str) -> str:
    """``/vorlagen/x/``: the address of a record's page on this site."""
    return page_url(page_path(kind, record_id))


def html_path(page: str, *, directory_urls: bool = True) -> str:
    """Where MkDocs writes a page: ``vorlagen/x.md`` → ``vorlagen/x/index.html`` (``use_directory_urls``, as this
    project's ``mkdocs.yml`` sets it), else ``vorlagen/x.html``."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index") or not directory_urls:
        return f"{stem}.html"
    return f"{stem}/index.html"


def document_page(name: str) -> str:
    """``vereinbarung-2020.pdf`` → ``dokumente/vereinbarung-2020-pdf.md``: the page with the text of an attachment
    (the extension is part of the address: ``x.pdf`` and ``x.txt`` are two documents)."""
    return f"{DOCUMENTS_SECTION}/{name.replace('.', '-')}.md"


def attachment_path(name: str) -> str:
    """``dateien/<name>``: where an attachment of ``content/files/`` is published."""
    return f"{FILES_SECTION}/{name}"


MIRROR_FOLDER = "ratsinfo"  # below dateien/: no file of content/files/ can be named so (its names have an extension)


def mirror_path(name: str) -> str:
    """``dateien/ratsinfo/<name>``: where the site's copy of a council system's file is published."""
    return attachment_path(f"{MIRROR_FOLDER}/{name}")


def published_files(files: dict[str, T], mirrored: dict[str, T]) -> dict[str, T]:
    """The write stage's attachments, by their path below ``dateien/``: the content's files and the mirrored ones."""
    return {**files, **{f"{MIRROR_FOLDER}/{name}": file for name, file in mirrored.items()}}


def page_href(page: str, target: str) -> str:
    """The Markdown link from the page built from ``page`` to the one built from ``target`` (both below the docs
    root, as MkDocs resolves it): ``("organisationen/rat.md", "organisationen/rat/sitzungen/2013.md")`` →
    ``rat/sitzungen/2013.md``."""
    return posixpath.relpath(target, posixpath.dirname(page))


def static_href(page: str, target: str) -> str:
    """The address of the static file ``target`` relative to the Markdown file ``page`` (both below the docs root),
    as a Markdown link would give it: ``("vorlagen/x.md", "vorlagen/x.json")`` → ``"x.json"``.

    Static files are not MkDocs' documents, so links to them are written as HTML, marked ``data-datei``: Zensical
    reads such an address relative to the Markdown file, and for MkDocs the hook in ``generator/publish/hooks.py``
    makes it relative to the built page (``/vorlagen/x/`` → ``../x.json``).
    """
    return posixpath.relpath("/" + target, "/" + posixpath.dirname(page))
