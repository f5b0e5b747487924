"""The one registry of record kinds: for each, its folder in ``content/``, its model, its German names, the
section of the site it is published in, its scaffold word for ``new``, and its OParl type. Every other table
(``MODELS``, ``link.SECTIONS``, the German names in messages and schemas, the overview titles, ``new``'s kinds, the
OParl folders) is derived from here; adding a kind means one entry here, one model, one view and two templates
(``<folder>.md.j2`` and ``<folder>_index.md.j2``).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.records.models import (
    Agreement,
    LegislativeTerm,
    Organization,
    Paper,
    Person,
    Record,
    Session,
    TargetGroup,
)


@dataclass(frozen=True, slots=True)
class Kind:
    folder: str  # content/<folder>/, and the record kind's name in code: "papers"
    model: type[Record]
    singular: str  # German, for messages and page labels: "Vorlage"
    plural: str  # German, the section's title: "Vorlagen"
    section: str  # the site's address segment: /vorlagen/<id>/
    shown_in: frozenset[str]  # the overview pages ("home" or a folder) that list records of this kind
    word: str | None = None  # for ``new <word> <id>``; None: not offered
    oparl: tuple[str, str] | None = None  # OParl export: (folder of one object, folder of the list); None: not exported


KINDS: tuple[Kind, ...] = (
    Kind(
        "organizations",
        Organization,
        "Organisation",
        "Organisationen",
        "organisationen",
        frozenset({"home", "organizations", "sessions", "agreements"}),
        word="organization",
        oparl=("organisation", "organisationen"),
    ),
    Kind(
        "agreements",
        Agreement,
        "Vereinbarung",
        "Vereinbarungen",
        "vereinbarungen",
        frozenset({"home", "agreements", "target_groups"}),
        word="agreement",
    ),
    Kind(
        "papers",
        Paper,
        "Vorlage",
        "Vorlagen",
        "vorlagen",
        frozenset({"papers"}),
        word="paper",
        oparl=("vorlage", "vorlagen"),
    ),
    Kind(
        "sessions",
        Session,
        "Sitzung",
        "Sitzungen",
        "sitzungen",
        frozenset({"sessions"}),
        word="session",
        oparl=("sitzung", "sitzungen"),
    ),
    Kind(
        "persons",
        Person,
        "Person",
        "Personen",
        "personen",
        frozenset({"persons"}),
        word="person",
        oparl=("person", "personen"),
    ),
    Kind(
        "legislative_terms",
        LegislativeTerm,
        "Wahlperiode",
        "Wahlperioden",
        "wahlperioden",
        frozenset({"legislative_terms", "organizations"}),
    ),
    Kind("target_groups", TargetGroup, "Zielgruppe", "Zielgruppen", "zielgruppen", frozenset({"target_groups"})),
)
BY_FOLDER = {kind.folder: kind for kind in KINDS}

MODELS: dict[str, type[Record]] = {kind.folder: kind.model for kind in KINDS}
SECTIONS = {kind.folder: kind.section for kind in KINDS}
SINGULAR = {kind.folder: kind.singular for kind in KINDS}
PLURAL = {kind.folder: kind.plural for kind in KINDS}
SHOWN_IN = {kind.folder: set(kind.shown_in) for kind in KINDS}
WORDS = {kind.word: kind.folder for kind in KINDS if kind.word}
OPARL = {kind.folder: kind.oparl for kind in KINDS if kind.oparl}
