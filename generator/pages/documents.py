"""A page per document with its text (``/dokumente/<file stem>/``): title, the record it belongs to, the original
file, and the text page by page, each page with an anchor (``#seite-2``) for the sources that cite it."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from generator.pages.views import UP, PageSpec, description_of, file_size
from generator.records.dates import format_date
from generator.records.models import Document
from generator.records.texts import join_hyphenated
from generator.site.addresses import attachment_path, document_page, mirror_path, static_href
from generator.site.link import Site
from generator.site.text import count_de, web_href


def document_pages(site: Site, *, only: Collection[str] | None = None) -> Iterator[PageSpec]:
    """A page for each document whose text is in ``content/texts/`` (or for those of them named in ``only``): a
    file of the site, or a PDF at the council system's address (loaded by ``import files``; the page links to it
    there)."""
    for name, (ref, document) in site.documents.items():
        if only is not None and name not in only:
            continue
        text = site.records.texts[name]
        page = document_page(name)
        yield (
            page,
            "document.md.j2",
            {
                "root": UP,
                "title": document.title,
                "owner": ref,
                "date": format_date(document.date) if document.date else "Datum nicht bekannt",
                "name": name,
                **_original(site, document, page, name),
                "count": count_de(len(text.pages), "Seite", "Seiten"),
                "corrected": text.corrected,
                "empty": text.empty,
                "pages": [
                    {"number": number, "label": label, "text": join_hyphenated(body)}
                    for number, (body, label) in enumerate(zip(text.pages, text.labels, strict=True), start=1)
                ],
                "description": description_of(f"{document.title} ({ref.label}): der Text des Dokuments."),
            },
        )


def _original(site: Site, document: Document, page: str, name: str) -> dict[str, object]:
    """Where the original is: the site's own file (``href``) or only the council system's address (``external``),
    and, for the site's copy of a council system's file (``build --mirror``), that address beside it (``source``)."""
    if document.file:
        size = f"{name.rsplit('.', 1)[-1].upper()}, {file_size(site.records.files[name].size)}"
        return {"href": static_href(page, attachment_path(name)), "size": size, "external": False, "source": None}
    assert document.url is not None  # a text name without a file is a web address's
    source = str(web_href(document.url))
    copy = site.records.mirrored.get(name)
    if copy is not None:
        href, size = static_href(page, mirror_path(name)), f"PDF, {file_size(copy.size)}"
        return {"href": href, "size": size, "external": False, "source": source}
    size = ", ".join(["PDF", *([file_size(document.size)] if document.size else [])])
    return {"href": source, "size": size, "external": True, "source": None}
