"""View data for the start page and the overviews.

An overview lists its records directly while they are few; beyond :data:`MAX_ROWS` it lists the years, and each
year gets a page of its own (``/vorlagen/jahre/2013/``), so no page grows with the whole record set.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from markupsafe import Markup

from generator.pages.views import OUTCOME_SHORT, UP, PageSpec, outcome_text
from generator.records.dates import format_date
from generator.records.kinds import PLURAL, SECTIONS
from generator.records.labels import icon, state_words, words
from generator.records.models import Outcome, SignatureStatus
from generator.site.addresses import HOME_PAGE, section_path, year_path
from generator.site.link import Ref, Site
from generator.site.text import count_de

MAX_ROWS = 100
HOME_AGREEMENTS = 10
UNKNOWN_YEAR = "unbekannt"
BY_YEAR = ("papers", "sessions", "agreements")  # the kinds whose overviews list years beyond MAX_ROWS


# Which overviews show something of a record of each kind (the live preview re-renders only those).


def overview_pages(
    site: Site, *, only: set[str] | None = None, years: Mapping[str, set[int | None]] | None = None
) -> Iterator[PageSpec]:
    """The start page (``"home"``) and the overview of each kind, or only those named in ``only``; of a kind in
    ``years`` (the live preview, after a change to records of that kind alone), only these years' pages beside the
    overview itself."""
    years = years or {}
    if only is None or "home" in only:
        yield HOME_PAGE, "home.md.j2", home_view(site)
    for kind in SECTIONS:
        if only is not None and kind not in only:
            continue
        refs = sorted((site.ref(kind, i) for i in site.records.of_kind(kind)), key=newest_first)
        if kind in ("papers", "sessions") and len(refs) > MAX_ROWS:
            groups = group_by_year(refs)
            yield (
                section_path(kind),
                f"{kind}_index.md.j2",
                {"root": UP, "title": TITLES[kind], "rows": [], "years": year_links(groups), "total": len(refs)},
            )
            for year, year_refs in _of_years(groups, years.get(kind)):
                title = f"{TITLES[kind]} {year if year is not None else '(Jahr nicht bekannt)'}"
                yield (
                    year_page(kind, year),
                    f"{kind}_index.md.j2",
                    {
                        "root": Markup("../../"),
                        "title": title,
                        "rows": rows(site, kind, year_refs),
                        "years": [],
                        "total": len(year_refs),
                    },
                )
        elif kind == "agreements" and len(refs) > MAX_ROWS:
            groups = group_by_year(refs)
            yield (
                section_path(kind),
                "agreements_index.md.j2",
                {
                    "root": UP,
                    "title": TITLES[kind],
                    **agreements_overview(site, refs, by_year=False),
                    "year_links": year_links(groups),
                },
            )
            for year, year_refs in _of_years(groups, years.get(kind)):
                title = f"{TITLES[kind]} {year if year is not None else '(Jahr nicht bekannt)'}"
                yield (
                    year_page(kind, year),
                    "agreements_index.md.j2",
                    {
                        "root": Markup("../../"),
                        "title": title,
                        **agreements_overview(site, year_refs, outcomes=False),
                        "year_links": [],
                    },
                )
        elif kind == "agreements":
            yield (
                section_path(kind),
                "agreements_index.md.j2",
                {"root": UP, "title": TITLES[kind], **agreements_overview(site, refs), "year_links": []},
            )
        else:
            yield (
                section_path(kind),
                f"{kind}_index.md.j2",
                {"root": UP, "title": TITLES[kind], "rows": rows(site, kind, refs), "years": [], "total": len(refs)},
            )


TITLES = PLURAL


def _of_years(
    groups: list[tuple[int | None, list[Ref]]], wanted: set[int | None] | None
) -> list[tuple[int | None, list[Ref]]]:
    return groups if wanted is None else [(year, refs) for year, refs in groups if year in wanted]


def newest_first(ref: Ref) -> tuple[int, int, int, int, str, str]:
    """Newest first, unknown dates last, then by title and (for equal titles) by id."""
    if ref.date is None:
        return (1, 0, 0, 0, ref.title.casefold(), ref.id)
    return (0, -ref.date.year, -(ref.date.month or 0), -(ref.date.day or 0), ref.title.casefold(), ref.id)


def by_title(ref: Ref) -> tuple[str, str]:
    return (ref.title.casefold(), ref.id)


def year_pages(site: Site, kind: str) -> set[str]:
    """The year pages of ``kind``'s overview (none while it lists its records directly)."""
    ids = site.records.of_kind(kind)
    if kind not in BY_YEAR or len(ids) <= MAX_ROWS:
        return set()
    return {year_page(kind, year) for year in {year_of(site.ref(kind, i)) for i in ids}}


def year_page(kind: str, year: int | None) -> str:
    return year_path(kind, str(year or UNKNOWN_YEAR))


def year_of(ref: Ref) -> int | None:
    """The year whose page lists the record (None: the page of unknown years)."""
    return ref.date.year if ref.date else None


def group_by_year(refs: list[Ref]) -> list[tuple[int | None, list[Ref]]]:
    groups: dict[int | None, list[Ref]] = {}
    for ref in refs:
        groups.setdefault(year_of(ref), []).append(ref)
    return list(groups.items())  # refs are newest first, so are the groups


def year_links(years: list[tuple[int | None, list[Ref]]]) -> list[dict[str, Any]]:
    return [
        {
            "label": str(year) if year is not None else "Jahr nicht bekannt",
            "page": f"jahre/{year or UNKNOWN_YEAR}.md",
            "count": len(refs),
        }
        for year, refs in years
    ]


def rows(site: Site, kind: str, refs: list[Ref]) -> list[dict[str, Any]]:
    records = site.records.of_kind(kind)
    if kind == "papers":
        return [{"ref": ref, "paper": records[ref.id], "date": format_date(records[ref.id].date)} for ref in refs]
    if kind == "sessions":
        return [
            {
                "ref": ref,
                "date": format_date(records[ref.id].date),
                "organization": site.ref("organizations", records[ref.id].organization),
                "state": state_words(records[ref.id].state),
            }
            for ref in refs
        ]
    if kind == "target_groups":
        return [
            {"ref": ref, "count": len(site.related_of(kind, ref.id, "agreements"))}
            for ref in sorted(refs, key=by_title)
        ]
    return [{"ref": ref, "org": records[ref.id]} for ref in sorted(refs, key=by_title)]


def agreements_overview(site: Site, refs: list[Ref], *, by_year: bool = True, outcomes: bool = True) -> dict[str, Any]:
    """Agreements by year (newest first, unknown last) with a signature matrix per year, and by outcome."""
    agreements = site.records.agreements
    years = []
    for year, year_refs in group_by_year(refs) if by_year else []:
        years.append(
            {
                "label": str(year) if year is not None else "Jahr nicht bekannt",
                "rows": [
                    {
                        "ref": ref,
                        "kind": agreements[ref.id].kind,
                        "period": agreements[ref.id].period_text,
                        "outcome": OUTCOME_SHORT[agreements[ref.id].outcome],
                    }
                    for ref in year_refs
                ],
                "matrix": signature_matrix(site, year_refs),
            }
        )
    by_outcome = [
        {"label": OUTCOME_SHORT[o].capitalize(), "rows": [r for r in refs if agreements[r.id].outcome is o]}
        for o in Outcome
    ]
    signed_by_all = sum(1 for r in refs if agreements[r.id].outcome is Outcome.SIGNED_BY_ALL)  # these refs only
    summary = f"{count_de(len(refs), 'Vereinbarung', 'Vereinbarungen')}, davon {signed_by_all} von allen unterzeichnet."
    return {
        "summary": summary if refs else "",
        "years": years,
        "outcomes": by_outcome if refs and outcomes else [],
        "list_outcomes": by_year,  # with year pages, the overview counts the outcomes but lists no agreements
        "legend": [(icon(s), words(s)) for s in SignatureStatus],
    }


def signature_matrix(site: Site, refs: list[Ref]) -> dict[str, Any]:
    """Agreements × parties: who signed what. Columns are the parties of these agreements only."""
    agreements = site.records.agreements
    party_ids = {p.organization for ref in refs for p in agreements[ref.id].parties}
    parties = sorted((site.ref("organizations", i) for i in party_ids), key=lambda r: (r.label.casefold(), r.id))
    matrix_rows = []
    for ref in refs:
        status = {p.organization: p.signature.status for p in agreements[ref.id].parties}
        cells = [
            {"icon": icon(status[p.id]), "label": words(status[p.id])} if p.id in status else None for p in parties
        ]
        matrix_rows.append({"ref": ref, "cells": cells})
    return {"parties": parties, "rows": matrix_rows}


def home_view(site: Site) -> dict[str, Any]:
    records = site.records
    agreements = sorted((site.ref("agreements", i) for i in records.agreements), key=newest_first)
    signed = sum(1 for a in records.agreements.values() if a.outcome is Outcome.SIGNED_BY_ALL)
    return {
        "root": Markup(""),
        "agreement_count": f"{count_de(len(agreements), 'Vereinbarung', 'Vereinbarungen')}, davon {signed} von allen "
        "unterzeichnet",
        "counts": [
            (count_de(len(records.papers), "Vorlage", "Vorlagen"), section_path("papers")),
            (count_de(len(records.sessions), "Sitzung", "Sitzungen"), section_path("sessions")),
            (count_de(len(records.organizations), "Organisation", "Organisationen"), section_path("organizations")),
            (count_de(len(records.target_groups), "Zielgruppe", "Zielgruppen"), section_path("target_groups")),
        ],
        "agreements": [
            {"ref": ref, "outcome": outcome_text(site, records.agreements[ref.id])}
            for ref in agreements[:HOME_AGREEMENTS]
        ],
        "more": len(agreements) - HOME_AGREEMENTS if len(agreements) > HOME_AGREEMENTS else 0,
    }
