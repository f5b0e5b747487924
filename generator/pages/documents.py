"""A page per document with its text (``/dokumente/<file stem>/``): title, the record it belongs to, the original
file, and the text page by page, each page with an anchor (``#seite-2``) for the sources that cite it."""

from __future__ import annotations

from collections.abc import Iterator

from generator.pages.views import UP, PageSpec, description_of, file_size
from generator.records.dates import format_date
from generator.records.kinds import MODELS
from generator.records.models import Document, parts
from generator.records.texts import join_hyphenated
from generator.site.addresses import attachment_path, document_page, static_href
from generator.site.link import Ref, Site
from generator.site.text import count_de


def document_pages(site: Site) -> Iterator[PageSpec]:
    """A page for each published attachment whose text is in ``content/texts/``."""
    owners = owners_of(site)
    for name, text in site.records.texts.items():
        if name not in site.records.files or name not in owners:
            continue
        ref, document = owners[name]
        page = document_page(name)
        yield (
            page,
            "document.md.j2",
            {
                "root": UP,
                "title": document.title,
                "owner": ref,
                "date": format_date(document.date) if document.date else "Datum nicht bekannt",
                "href": static_href(page, attachment_path(name)),
                "name": name,
                "size": f"{name.rsplit('.', 1)[-1].upper()}, {file_size(site.records.files[name].size)}",
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


def owners_of(site: Site) -> dict[str, tuple[Ref, Document]]:
    """Each attachment's first mention: the record (and its document entry) it belongs to."""
    owners: dict[str, tuple[Ref, Document]] = {}
    for kind in MODELS:
        for record in site.records.of_kind(kind).values():
            for _, document in parts(record, Document):
                if document.file and document.file not in owners:
                    owners[document.file] = (site.ref(kind, record.id), document)
    return owners
