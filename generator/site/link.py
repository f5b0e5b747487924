"""Stage 3, link: resolve every reference once over the whole record set and compute backlinks.

After this stage no id is resolved again: every record has its :class:`Ref` (title, label, page path), and every
id a record names has one too (validation refused the rest), so a view's ``site.ref(kind, id)`` reads a resolved
link and cannot fail.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from generator.site.addresses import page_path
from generator.records.dates import PartialDate, sort_key
from generator.records.kinds import MODELS
from generator.records.models import (
    Agreement,
    Document,
    LegislativeTerm,
    Organization,
    Paper,
    Person,
    Record,
    Session,
    TargetGroup,
    parts,
    references,
)
from generator.records.validate import Records

log = logging.getLogger(__name__)

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Ref:
    """A resolved link to a record's page."""

    kind: str
    id: str
    title: str  # the record's full title or name
    label: str  # how running text names it: "MAIS", "Vorlage 50/2669/XV/2013"
    page: str  # Markdown source path below the docs folder, e.g. "vorlagen/50-2669-xv-2013.md"
    date: PartialDate | None = None

    @property
    def order(self) -> tuple[tuple[int, int, int, int], str, str]:
        """Oldest first, then by title; the id breaks ties, so that the same content gives the same pages."""
        return (sort_key(self.date), self.title.casefold(), self.id)


@dataclass(slots=True)
class Site:
    """The linked record set: records, a ref for each, and what links to what."""

    records: Records
    refs: dict[Key, Ref] = field(default_factory=dict)
    edges: dict[Key, dict[str, set[str]]] = field(default_factory=dict)  # both directions, by kind
    children: dict[str, list[Ref]] = field(default_factory=dict)  # organisation id -> sub-organisations
    # text name -> the record and document entry it first appears in, for each document whose text is kept
    documents: dict[str, tuple[Ref, Document]] = field(default_factory=dict)
    _sorted: dict[tuple[str, str, str], list[Ref]] = field(default_factory=dict)

    def ref(self, kind: str, record_id: str) -> Ref:
        return self.refs[(kind, record_id)]

    def related_of(self, kind: str, record_id: str, other: str) -> list[Ref]:
        """Records of kind ``other`` linked with this one, in either direction, oldest first."""
        key = (kind, record_id, other)
        if key not in self._sorted:  # sorted when first asked for: a preview update asks for a few only
            ids = self.edges.get((kind, record_id), {}).get(other, set())
            self._sorted[key] = sorted((self.refs[(other, i)] for i in ids), key=lambda r: r.order)
        return self._sorted[key]


def make_ref(kind: str, record: Record) -> Ref:
    page = page_path(kind, record.id)
    if isinstance(record, Organization):
        return Ref(kind, record.id, record.name, record.label, page)
    if isinstance(record, Paper):
        return Ref(kind, record.id, record.title, f"Vorlage {record.reference}", page, record.date)
    if isinstance(record, Session):
        return Ref(kind, record.id, record.name, record.name, page, record.date)
    if isinstance(record, TargetGroup):
        return Ref(kind, record.id, record.name, record.name, page)
    if isinstance(record, Person):
        return Ref(kind, record.id, record.title, record.title, page)
    if isinstance(record, LegislativeTerm):
        return Ref(kind, record.id, record.name, record.name, page, record.start)
    assert isinstance(record, Agreement)
    start = record.period.start if record.period else None
    return Ref(kind, record.id, record.title, record.title, page, start)


def _documents(site: Site) -> dict[str, tuple[Ref, Document]]:
    """Each kept text's document: its first mention (a file in ``content/files/`` before a web address)."""
    found: dict[str, tuple[Ref, Document]] = {}
    texts = site.records.texts
    for kind in MODELS:
        for record in site.records.of_kind(kind).values():
            for _, document in parts(record, Document):
                name = document.text_name
                if name is None or name not in texts:
                    continue
                if name not in found or (document.file and not found[name][1].file):
                    found[name] = (site.ref(kind, record.id), document)
    return found


def link(records: Records, *, previous: Site | None = None) -> Site:
    """Build refs for all records, then the symmetric link index and the organisation tree.

    With ``previous`` (the live preview's last site), the refs of unchanged records are reused.
    """
    site = Site(records)
    for kind in MODELS:
        for record in records.of_kind(kind).values():
            key = (kind, record.id)
            if previous is not None and previous.records.of_kind(kind).get(record.id) is record:
                site.refs[key] = previous.refs[key]
            else:
                site.refs[key] = make_ref(kind, record)
    edges: dict[Key, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    children: dict[str, set[str]] = defaultdict(set)
    for kind in MODELS:
        for record in records.of_kind(kind).values():
            for loc, target_kind, target_id in references(record):
                if target_kind not in MODELS or (target_kind, target_id) == (kind, record.id):
                    continue  # attachments and self-references are no links between pages
                if kind == "organizations" and loc == ("parent",):
                    children[target_id].add(record.id)
                    continue
                edges[(kind, record.id)][target_kind].add(target_id)
                edges[(target_kind, target_id)][kind].add(record.id)
    site.edges = {key: dict(by_kind) for key, by_kind in edges.items()}
    site.documents = _documents(site)
    for parent, ids in children.items():
        site.children[parent] = sorted((site.ref("organizations", i) for i in ids), key=lambda r: r.order)
    log.info("linked %d records, %d with links", len(site.refs), len(site.edges))
    return site
