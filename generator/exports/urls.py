"""The site's public addresses, and the check that none of them disappears.

The published list (``site_config/published-urls.txt``, kept in git) holds every address that was ever published.
An address may leave the site only as a redirect (the record's ``former_ids``) or stay as a withdrawn record's
page; otherwise ``check`` and ``build`` stop with ``url-removed``. Year pages of the overviews are navigation and
come and go with the records, so they are not in the list.
"""

from __future__ import annotations

from pathlib import Path

from generator.records.kinds import MODELS, SECTIONS
from generator.records.problems import Problem
from generator.site.addresses import (
    DATA_PAGE,
    DOCUMENTS_SECTION,
    HOME_PAGE,
    LEGAL_PAGES,
    document_page,
    former_url,
    page_url,
    section_path,
)
from generator.site.link import Site


def public_urls(site: Site) -> set[str]:
    """Start page, section overviews, the Daten page, legal pages, every record's page and every redirect, and the
    page of every document whose text is on the site."""
    fixed = [HOME_PAGE, DATA_PAGE, *(section_path(kind) for kind in SECTIONS), *LEGAL_PAGES]
    urls = {page_url(path) for path in fixed}
    for kind in MODELS:
        for record in site.records.of_kind(kind).values():
            urls.add(page_url(site.ref(kind, record.id).page))
            urls.update(former_url(kind, former) for former in record.former_ids)
    urls.update(page_url(document_page(name)) for name in site.documents)
    return urls


PUBLISHED = Path("site_config/published-urls.txt")  # the list that belongs to the real content/


def removed_urls(published: Path | None, current: set[str]) -> list[Problem]:
    """A ``url-removed`` problem for each published address the site no longer has."""
    if published is None or not published.is_file():
        return []
    problems = []
    for number, line in enumerate(published.read_text(encoding="utf-8").splitlines(), start=1):
        url = line.strip()
        if url and not url.startswith("#") and url not in current:
            problems.append(Problem(str(published), number, "url-removed", _why_gone(url), in_content=False))
    return problems


def _why_gone(url: str) -> str:
    if url.startswith(f"/{DOCUMENTS_SECTION}/"):
        return (
            f"Die veröffentlichte Adresse {url} gäbe es nicht mehr: der Text des Dokuments fehlt in content/texts/ "
            "oder kein Datensatz nennt das Dokument noch (z. B. weil das Ratsinformationssystem die Datei nicht "
            "mehr nennt). Den Text und den Eintrag des Dokuments behalten, oder die Zeile aus dieser Liste löschen, "
            "wenn die Seite wirklich verschwinden soll"
        )
    return (
        f"Die veröffentlichte Adresse {url} gäbe es nicht mehr: den Datensatz mit „withdrawn“ zurückziehen statt "
        "löschen, oder seine alte Kennung beim neuen Datensatz unter „former_ids“ eintragen"
    )


HEADER = "# Published addresses: none may disappear. Written by: python -m generator urls --update\n"


def url_list(urls: set[str]) -> str:
    """The list as a text file: a comment line, then one address per line, sorted."""
    return HEADER + "".join(f"{url}\n" for url in sorted(urls))
