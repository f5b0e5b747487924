"""View data for the record pages: plain values and resolved refs, ready for the templates."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.pages.indicators import chart_svg, number_de, progress
from generator.records.dates import PartialDate, format_date, sort_key
from generator.records.history import Change
from generator.records.labels import icon, state_words, words
from generator.records.models import (
    NOT_SIGNED,
    AgendaItem,
    Agreement,
    Document,
    Event,
    Goal,
    Indicator,
    LegislativeTerm,
    Membership,
    OParlOrigin,
    Organization,
    Outcome,
    Paper,
    Party,
    Period,
    Person,
    Session,
    SignatureStatus,
    Source,
    TargetGroup,
)
from generator.records.timeline import when
from generator.site.addresses import (
    absolute_url,
    attachment_path,
    document_page,
    json_path,
    mirror_path,
    page_href,
    sessions_year_path,
    static_href,
)
from generator.site.link import Ref, Site
from generator.site.text import count_de, join_de, web_href

UP = Markup("../")  # from a page in a section folder back to the docs root
LIST_LIMIT = 50  # a record page lists at most this many related papers or sessions; the overviews list all

PageSpec = tuple[str, str, dict[str, Any]]  # (page path, template name, view data)


def record_pages(
    site: Site,
    *,
    only: set[tuple[str, str]] | None = None,
    history: dict[str, list[Change]] | None = None,
    citation: Citation | None = None,
) -> Iterator[PageSpec]:
    """One page per record (or per record in ``only``); ``history`` from git, where there is one."""
    for kind, view in VIEWS.items():
        for record in site.records.of_kind(kind).values():
            if only is None or (kind, record.id) in only:
                data = view(site, record)
                data["withdrawn"] = withdrawn_text(record)
                data["origin"] = origin_view(record.oparl)
                path = site.records.paths.get((kind, record.id), "")
                data["history"] = None if history is None else history_view(history.get(path, []))
                changed = data["history"]["last"] if data["history"] else None
                data["cite"] = cite_view(site, kind, record, citation or Citation(), changed=changed)
                yield site.ref(kind, record.id).page, f"{kind}.md.j2", data
                if kind == "organizations":
                    yield from session_year_pages(site, record)


SESSIONS_ON_PAGE = 100  # a body with more sessions lists its years, each year on a page of its own


def session_year_pages(site: Site, org: Organization) -> Iterator[PageSpec]:
    """A page per year of a body's sessions, where it has more than :data:`SESSIONS_ON_PAGE`."""
    sessions = site.related_of("organizations", org.id, "sessions")
    if len(sessions) <= SESSIONS_ON_PAGE:
        return
    label = site.ref("organizations", org.id).label
    for group in by_year(sessions):
        yield (
            sessions_year_path(org.id, group["key"]),
            "sessions_index.md.j2",
            {
                "root": Markup("../../../"),
                "title": f"Sitzungen: {label}, {group['year']}",
                "rows": [
                    {
                        "ref": ref,
                        "date": format_date(site.records.sessions[ref.id].date),
                        "organization": site.ref("organizations", org.id),
                        "state": state_words(site.records.sessions[ref.id].state),
                    }
                    for ref in group["refs"]
                ],
                "years": [],
                "total": len(group["refs"]),
            },
        )


@dataclass(frozen=True, slots=True)
class Citation:
    """What every citation shares: the site's public address, who publishes it, and the date of the build."""

    base_url: str = "http://127.0.0.1:8000/"
    publisher: str | None = None  # the operator (site settings)
    site_name: str = "Vereinbarungen und Unterschriften"
    built: str = ""  # "1. Dezember 2026"


def cite_view(site: Site, kind: str, record: Any, citation: Citation, *, changed: str | None = None) -> dict[str, Any]:
    """A citation of the page: title, its author only where the record names its originator (a paper's
    organisation), the operator as publisher, the state of the page (its last change, else the build), the full
    address and the build date as the date of retrieval (a script puts in the reader's own date); for an agreement
    also its parties and goals, each by the address of its place."""
    ref = site.ref(kind, record.id)
    author = None
    if isinstance(record, Paper) and record.organization:
        author = site.ref("organizations", record.organization).title
    url = absolute_url(citation.base_url, ref.page)
    places: list[dict[str, str]] = []
    if isinstance(record, Agreement):
        for party in record.parties:
            who = site.ref("organizations", party.organization).label
            places.append({"what": f"Unterschrift {who}", "url": f"{url}#partei-{party.organization}"})
        for goal, anchor in zip(record.goals, item_anchors(record)["goals"], strict=True):
            places.append({"what": f"Ziel „{goal.title}“", "url": f"{url}#{anchor}"})
    titles = {"papers": f"{ref.label}: {ref.title}", "agreements": agreement_title(ref.title)}
    title = titles.get(kind, ref.title)
    return {
        "lead": sentence(f"{author}: {title}" if author else title),  # the author only where the record names it
        "publisher": citation.publisher or citation.site_name,
        "dated": f", Stand: {changed or citation.built}" if (changed or citation.built) else "",
        "url": url,
        "built": citation.built,
        "places": places,
        "json": static_href(ref.page, json_path(ref.page)),
        "json_name": f"{record.id}.json",
        "root": UP,
    }


HISTORY_LIMIT = 10


def history_view(changes: list[Change]) -> dict[str, Any]:
    """ "Zuletzt geändert" (from every commit) and the newest public change notes (the commits' ``Änderung:``
    trailers); a commit message itself is never shown."""
    noted = [c for c in changes if c.note]
    return {
        "last": format_date(PartialDate.parse(changes[0].date)) if changes else None,
        "changes": [{"date": format_date(PartialDate.parse(c.date)), "note": c.note} for c in noted[:HISTORY_LIMIT]],
        "more": count_de(len(noted) - HISTORY_LIMIT, "ältere Änderung", "ältere Änderungen")
        if len(noted) > HISTORY_LIMIT
        else None,
    }


def fields(record: Any, *names: str) -> dict[str, Any]:
    """The plain values a template shows of a record (templates get view data, never the model itself)."""
    return {name: getattr(record, name) for name in names}


def withdrawn_text(record: Any) -> str | None:
    """ "Dieser Eintrag wurde zurückgezogen (5. Juli 2013). Grund: …" for a withdrawn record, else ``None``."""
    if record.withdrawn is None:
        return None
    why = f" Grund: {record.withdrawn.reason}" if record.withdrawn.reason else " Ein Grund ist nicht bekannt."
    return f"Dieser Eintrag wurde zurückgezogen ({format_date(record.withdrawn.date)}).{why}"


def origin_view(origin: OParlOrigin | None) -> dict[str, Any] | None:
    """Where an imported record comes from: "Quelle: Ratsinformationssystem, abgerufen am 1. Dezember 2026"."""
    if origin is None:
        return None
    return {"retrieved": format_date(origin.retrieved), "web": web_href(origin.web) if origin.web else None}


# --- shared pieces ---------------------------------------------------------------------------------------------


def shared_source(
    site: Site, sources: Sequence[Source | None], *, page_paper: str | None = None
) -> tuple[dict[str, Any] | None, list[dict[str, Any] | None]]:
    """One note for a section whose statements all share one source, else one per statement: ``(section,
    items)``. A source that is the page's own paper is no source note at all (the paper does not cite itself)."""
    kept = [s if s is not None and s.paper != page_paper else None for s in sources]
    if len(kept) >= 2 and kept[0] is not None and all(s == kept[0] for s in kept):
        return source_view(site, kept[0]), [None] * len(kept)
    return None, [source_view(site, s) for s in kept]


def source_view(site: Site, source: Source | None) -> dict[str, Any] | None:
    """A source: the paper and page, linked to that page of the paper's document where its text is on the site,
    and the quoted sentence (``check`` proved it stands there, or it is marked as not checked)."""
    if source is None:
        return None
    ref = site.ref("papers", source.paper)
    label = ref.label if source.page is None else f"{ref.label}, S. {source.page}"
    file = site.records.papers[source.paper].document_name(site.documents)
    text = site.records.texts.get(file) if file else None
    readable = file is not None and text is not None and not text.empty and file in site.documents
    page = ref.page
    if readable and file is not None and text is not None:
        anchor = f"#seite-{source.page}" if source.page and source.page <= len(text.pages) else ""
        page = document_page(file) + anchor
    return {
        "label": label,
        "page": page,
        "quote": source.quote,
        "unchecked": source.quote is not None and not readable,
    }


def document_view(site: Site, document: Document, *, page: str) -> dict[str, Any]:
    """An attachment on ``page``: a web address (a Markdown link) or a file of the site (an HTML link)."""
    url, href, size = None, None, None
    name = document.text_name
    if document.url:
        url = web_href(document.url)
        kind = MIME_NAMES.get(document.mime_type or "")
        copy = site.records.mirrored.get(name) if name else None
        if copy is not None and name:
            href, kind = static_href(page, mirror_path(name)), "PDF"
        known = copy.size if copy else document.size
        size = ", ".join(part for part in (kind, file_size(known) if known else None) if part) or None
    elif document.file:
        href = static_href(page, attachment_path(document.file))
        kind = document.file.rsplit(".", 1)[1].upper()
        size = f"{kind}, {file_size(site.records.files[document.file].size)}"
    text = site.records.texts.get(name) if name and name in site.documents else None
    return {
        "title": document.title,
        "date": format_date(document.date) if document.date else None,
        "url": url,
        "href": href,
        "details": ", ".join(p for p in (size, count_de(len(text.pages), "Seite", "Seiten") if text else None) if p),
        "text": page_href(page, document_page(name)) if text and name else None,
        "source": source_view(site, document.source),
    }


# The file types a council system names, in the words a reader knows.
MIME_NAMES = {
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "text/plain": "Text",
}


def file_size(size: int) -> str:
    """``850 Bytes``, ``12 KB``, ``3,4 MB``."""
    if size < 1000:
        return f"{size} Bytes"
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def outcome_text(site: Site, agreement: Agreement) -> str:
    """The signature outcome in plain words, derived from the parties' signatures."""
    if not agreement.parties:
        return "Keine Beteiligten erfasst."
    if agreement.outcome is Outcome.SIGNED_BY_ALL:
        return "Von allen Beteiligten unterzeichnet."

    def names(*statuses: SignatureStatus) -> list[str]:
        return [
            site.ref("organizations", p.organization).label for p in agreement.parties if p.signature.status in statuses
        ]

    parts = []
    refused = names(*NOT_SIGNED)
    if refused:
        parts.append(f"{join_de(refused)} {'hat' if len(refused) == 1 else 'haben'} nicht unterschrieben")
    pending = names(SignatureStatus.PENDING)
    if pending:
        parts.append(f"bei {join_de(pending)} steht die Unterschrift noch aus")
    unknown = names(SignatureStatus.UNKNOWN)
    if unknown:
        parts.append(
            f"ob {join_de(unknown)} unterschrieben {'hat' if len(unknown) == 1 else 'haben'}, ist nicht bekannt"
        )
    prefix = "Nicht von allen Beteiligten unterzeichnet" if agreement.outcome is Outcome.NOT_SIGNED_BY_ALL else "Offen"
    return f"{prefix}: {'; '.join(parts)}."


OUTCOME_ADMONITION = {
    Outcome.SIGNED_BY_ALL: "success",
    Outcome.NOT_SIGNED_BY_ALL: "warning",
    Outcome.OPEN: "info",
}
OUTCOME_SHORT = {
    Outcome.SIGNED_BY_ALL: "von allen unterzeichnet",
    Outcome.NOT_SIGNED_BY_ALL: "nicht von allen unterzeichnet",
    Outcome.OPEN: "offen",
}


def reported_by(site: Site, organization: str | None) -> str | None:
    """ "laut MAIS": who says what the source only passes on."""
    return f"laut {site.ref('organizations', organization).label}" if organization else None


def said_by(site: Site, organization: str | None) -> str | None:
    """ "Laut MAIS" before a statement that the source only passes on."""
    by = reported_by(site, organization)
    return f"L{by[1:]}" if by else None


def sentence(text: str) -> str:
    """``text`` ending as a sentence: ``Was tun?`` stays, ``Titel`` becomes ``Titel.``"""
    return text if text.endswith((".", "?", "!", "…")) else f"{text}."


def party_view(site: Site, party: Party, events: Sequence[Event] = ()) -> dict[str, Any]:
    signature = party.signature
    by = said_by(site, signature.reported_by)
    reason = signature.reason or ("" if signature.status is SignatureStatus.SIGNED else "keine Begründung bekannt")
    if by and signature.reason:
        reason = f"{by}: {reason}"  # "Laut MAIS: …"
    return {
        "organization": site.ref("organizations", party.organization),
        "role": party.role,
        "icon": icon(signature.status),
        "status": words(signature.status),
        "date": when(signature.date, signature.before, signature.after, events=events),
        "reason": reason,
        "source": source_view(site, signature.source),
        "anchor": f"partei-{party.organization}",
    }


# --- record pages ----------------------------------------------------------------------------------------------


def agreement_view(site: Site, agreement: Agreement) -> dict[str, Any]:
    anchors = item_anchors(agreement)
    papers = site.related_of("agreements", agreement.id, "papers")
    sessions = {s.id: s for p in papers for s in site.related_of("papers", p.id, "sessions")}
    who = who_line(site, agreement)
    page = site.ref("agreements", agreement.id).page
    sections: dict[str, Any] = {}
    item_sources: dict[str, list[dict[str, Any] | None]] = {}
    for field, sources in (
        ("parties", [p.signature.source for p in agreement.parties]),
        ("target_groups", [t.source for t in agreement.target_groups]),
        ("events", [e.source for e in agreement.events]),
        ("background", [b.source for b in agreement.background]),
        ("notes", [n.source for n in agreement.notes]),
        ("documents", [d.source for d in agreement.documents]),
    ):
        sections[field], item_sources[field] = shared_source(site, sources)
    return {
        "root": UP,
        "a": fields(agreement, "title", "summary", "legal_basis"),
        "kind_label": "Vereinbarung",
        "page_title": agreement_title(agreement.title),
        "outcome_kind": OUTCOME_ADMONITION[agreement.outcome],
        "who": who,
        "why": why_line(site, agreement),
        "glance": glance(agreement),
        "section_sources": sections,
        "parties": [
            {**party_view(site, p, agreement.events), "source": source}
            for p, source in zip(agreement.parties, item_sources["parties"], strict=True)
        ],
        "target_groups": [
            {
                "name": t.name,
                "group": site.ref("target_groups", t.group) if t.group else None,
                "source": source,
            }
            for t, source in zip(agreement.target_groups, item_sources["target_groups"], strict=True)
        ],
        "goals": [
            goal_view(site, g, index, anchor=anchors["goals"][index - 1])
            for index, g in enumerate(agreement.goals, start=1)
        ],
        "events": [  # in the order of the file, which is the source's: an undated event keeps its place
            {
                "anchor": anchors["events"][number - 1],
                "date": when(e.date, e.before, e.after, events=agreement.events),
                "text": e.text,
                "by": said_by(site, e.reported_by),
                "source": source,
            }
            for (number, e), source in zip(enumerate(agreement.events, start=1), item_sources["events"], strict=True)
        ],
        "background": [
            {"text": n.text, "by": said_by(site, n.reported_by), "source": source}
            for n, source in zip(agreement.background, item_sources["background"], strict=True)
        ],
        "notes": [
            {"text": n.text, "by": said_by(site, n.reported_by), "source": source}
            for n, source in zip(agreement.notes, item_sources["notes"], strict=True)
        ],
        "documents": [
            {**document_view(site, d, page=page), "source": source}
            for d, source in zip(agreement.documents, item_sources["documents"], strict=True)
        ],
        "papers": papers,
        "sessions": sorted(sessions.values(), key=lambda r: r.order),
        "source": source_view(site, agreement.source),
        "description": description_of(f"{who} {outcome_text(site, agreement)}"),
    }


def agreement_title(title: str) -> str:
    """``Vereinbarung: Ziele 2020`` for tabs and citations, unless the title says "Vereinbarung" itself."""
    return title if "vereinbarung" in title.casefold() else f"Vereinbarung: {title}"


def description_of(text: str, limit: int = 200) -> str:
    """A page's meta description: one line, cut at a word before ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def glance(agreement: Agreement) -> list[tuple[str, str]]:
    """ "Auf einen Blick", after the two lines of :func:`why_line` and the outcome: the rest in short."""
    groups = [t.name for t in agreement.target_groups]
    goals = len(agreement.goals)
    return [
        ("Für wen", "; ".join(groups) if groups else "keine Zielgruppen genannt"),
        ("Ziele", count_de(goals, "Ziel", "Ziele") if goals else "in den Quellen nicht einzeln aufgeführt"),
    ]


def who_line(site: Site, agreement: Agreement) -> str:
    """What and who, in one line: ``Zielvereinbarung (2013) zwischen A, B und C.``"""
    parties = [site.ref("organizations", p.organization).label for p in agreement.parties]
    between = f" zwischen {join_de(parties)}" if parties else ", ohne erfasste Beteiligte"
    return f"{agreement.kind} ({agreement.period_text}){between}."


def why_line(site: Site, agreement: Agreement) -> str | None:
    """Who signed, who did not (with the status word of each) and why, in short sentences; the reason is
    attributed to whoever gave it. ``None`` when nobody is recorded."""
    parties = agreement.parties
    if not parties:
        return None

    def label(party: Party) -> str:
        return site.ref("organizations", party.organization).label

    signed = [label(p) for p in parties if p.signature.status is SignatureStatus.SIGNED]
    verb = "hat" if len(signed) == 1 else "haben"
    sentences = [
        f"Unterschrieben {verb} {join_de(signed)} ({len(signed)} von {len(parties)})."
        if signed
        else f"Unterschrieben hat niemand (0 von {len(parties)})."
    ]
    refusing = [p for p in parties if p.signature.status in NOT_SIGNED]
    if refusing:
        sentences.append(
            f"Nicht unterschrieben: {join_de([f'{label(p)} ({words(p.signature.status)})' for p in refusing])}."
        )
    reasons: dict[tuple[str, str | None], list[str]] = {}
    for party in refusing:
        if party.signature.reason:
            key = (party.signature.reason.rstrip(" ."), reported_by(site, party.signature.reported_by))
            reasons.setdefault(key, []).append(label(party))
    for (reason, by), names in reasons.items():
        whose = "" if len(reasons) == 1 and len(names) == len(refusing) else f" ({join_de(names)})"
        sentences.append(f"Grund{' ' + by if by else ''}{whose}: {reason}.")
    pending = [label(p) for p in parties if p.signature.status is SignatureStatus.PENDING]
    if pending:
        sentences.append(f"Ausstehend: {join_de(pending)}.")
    unknown = [label(p) for p in parties if p.signature.status is SignatureStatus.UNKNOWN]
    if unknown:
        verb = "hat" if len(unknown) == 1 else "haben"
        sentences.append(f"Ob {join_de(unknown)} unterschrieben {verb}, ist nicht bekannt.")
    return " ".join(sentences)


def item_anchors(agreement: Agreement) -> dict[str, list[str]]:
    """The anchor of each goal (``ziel-<id>``) and event (``ereignis-<id>``), by position; an item without an id gets
    its number, made unique against the ids (a goal with the id ``2`` keeps ``ziel-2``; goal 2 then gets
    ``ziel-2-2``)."""
    found: dict[str, list[str]] = {}
    for field, prefix in (("goals", "ziel"), ("events", "ereignis")):
        items = getattr(agreement, field)
        used = {f"{prefix}-{item.id}" for item in items if item.id}
        found[field] = [
            f"{prefix}-{item.id}" if item.id else unique(f"{prefix}-{number}", used)
            for number, item in enumerate(items, start=1)
        ]
    return found


def goal_view(site: Site, goal: Goal, number: int, *, anchor: str) -> dict[str, Any]:
    return {
        "anchor": anchor,
        "title": goal.title,
        "description": goal.description,
        "target_groups": [site.ref("target_groups", g) for g in goal.target_groups],
        "indicators": [
            indicator_view(site, i, chart_id=f"kennzahl-{number}-{n}") for n, i in enumerate(goal.indicators, start=1)
        ],
        "source": source_view(site, goal.source),
    }


def indicator_view(site: Site, indicator: Indicator, *, chart_id: str) -> dict[str, Any]:
    svg = chart_svg(indicator, chart_id=chart_id)
    rows = [
        ("Ausgangswert", indicator.baseline),
        ("Zielwert", indicator.target),
        *(("Gemessen", m) for m in sorted(indicator.actuals, key=lambda m: sort_key(m.date))),
    ]
    return {
        "name": indicator.name,
        "unit": indicator.unit,
        "rows": [
            {
                "label": label,
                "value": f"{number_de(m.value)} {indicator.unit}" if m else "nicht angegeben",
                "date": format_date(m.date) if m else "–",
                "source": source_view(site, m.source) if m else None,
            }
            for label, m in rows
        ],
        "progress": progress(indicator).text,
        "chart": Markup(svg) if svg else None,
    }


def paper_view(site: Site, paper: Paper) -> dict[str, Any]:
    consultations = [
        {
            "session": site.ref("sessions", c.session) if c.session else None,
            "organization": site.ref("organizations", c.organization) if c.organization else None,
            "others": [site.ref("organizations", o) for o in c.other_organizations],
            "agenda_item": c.agenda_item,
            "role": c.role,
            "authoritative": {True: "beschließend", False: "beratend", None: None}[c.authoritative],
            "result": consultation_result(site, paper.id, c.session),
        }
        for c in paper.consultations
    ]
    page = site.ref("papers", paper.id).page
    _, sources = shared_source(site, [d.source for d in paper.attachments], page_paper=paper.id)
    summary = paper.summary.split(". ", 1)[0] + "." if paper.summary else ""
    return {
        "root": UP,
        "p": fields(paper, "reference", "title", "paper_type", "summary"),
        "kind_label": f"{paper.paper_type} {paper.reference}",
        "number_label": f"{paper.paper_type}-Nr.",  # as the paper calls it: "Sitzungsvorlage-Nr."
        "date": format_date(paper.date),
        "organization": site.ref("organizations", paper.organization) if paper.organization else None,
        "lead": [site.ref("organizations", o) for o in paper.under_direction_of],
        "main_file": document_view(site, paper.main_file, page=page) if paper.main_file else None,
        "superordinated": [site.ref("papers", i) for i in paper.superordinated],
        "subordinated": [site.ref("papers", i) for i in paper.subordinated],
        "consultations": consultations,
        "attachments": [
            {**document_view(site, d, page=page), "source": source}
            for d, source in zip(paper.attachments, sources, strict=True)
        ],
        "agreements": site.related_of("papers", paper.id, "agreements"),
        "sessions": site.related_of("papers", paper.id, "sessions"),
        "description": description_of(f"{paper.paper_type} {paper.reference}: {sentence(paper.title)} {summary}"),
    }


def consultation_result(site: Site, paper_id: str, session_id: str | None) -> str | None:
    """What the session's agenda decided on the paper, where its agenda item gives a result."""
    if session_id is None:
        return None
    results = [i.result for i in site.records.sessions[session_id].agenda_items if i.paper == paper_id and i.result]
    return "; ".join(results) or None


def unique(anchor: str, used: set[str]) -> str:
    """``anchor``, or ``anchor-2``, ``anchor-3`` … when the page has it already: every link target stays one place
    (agenda items "3", "3." and "Ö 3" would all be ``top-3``)."""
    candidate, number = anchor, 1
    while candidate in used:
        number += 1
        candidate = f"{anchor}-{number}"
    used.add(candidate)
    return candidate


def session_view(site: Site, session: Session) -> dict[str, Any]:
    used: set[str] = set()
    organization = site.ref("organizations", session.organization)
    page = site.ref("sessions", session.id).page
    grouped = any(_is_heading(item) for item in session.agenda_items)
    return {
        "description": description_of(
            f"{session.name} ({organization.label}), {format_date(session.date)}: Tagesordnung mit "
            f"{count_de(len(session.agenda_items), 'Punkt', 'Punkten')}."
        ),
        "root": UP,
        "s": fields(session, "name", "location"),
        "date": format_date(session.date),
        "time": time_text(session.start_time, session.end_time),
        "state": state_words(session.state),
        "organization": site.ref("organizations", session.organization),
        "documents": [document_view(site, d, page=page) for d in session.documents],
        "items": [
            {
                # Items without a number or paper are the agenda's own headings ("Öffentliche Sitzung"): where the
                # agenda has them, the items below them are one level down, grouped under them.
                "level": Markup("###" if not grouped or _is_heading(item) else "####"),
                "anchor": unique("top-" + _slug(item.id or item.number or str(index)), used),
                "number": item.number,
                "title": item.title,
                "public": item.public,
                "paper": site.ref("papers", item.paper) if item.paper else None,
                "result": item.result,
                "resolution": item.resolution,
                "documents": [document_view(site, d, page=page) for d in item.documents],
            }
            for index, item in enumerate(session.agenda_items, start=1)
        ],
    }


def _is_heading(item: AgendaItem) -> bool:
    return item.number is None and item.paper is None and not item.documents and item.result is None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def time_text(start: str | None, end: str | None) -> str:
    """``, 17:00 bis 19:00 Uhr``, ``, 17:00 Uhr`` or nothing."""
    if start and end:
        return f", {start} bis {end} Uhr"
    if start:
        return f", {start} Uhr"
    return f", Ende {end} Uhr" if end else ""


def organization_view(site: Site, org: Organization) -> dict[str, Any]:
    agreements = site.related_of("organizations", org.id, "agreements")
    related_papers = site.related_of("organizations", org.id, "papers")
    signatures = []
    kind_note = f" ({org.kind})" if org.kind else ""
    for ref in agreements:
        agreement = site.records.agreements[ref.id]
        for party in agreement.parties:
            if party.organization == org.id:
                signatures.append({"agreement": ref, **party_view(site, party, agreement.events)})
    return {
        "description": description_of(
            f"{org.name}{kind_note}: {count_de(len(agreements), 'Vereinbarung', 'Vereinbarungen')} mit Stand der "
            f"Unterschrift, {count_de(len(related_papers), 'Vorlage', 'Vorlagen')}."
        ),
        "root": UP,
        "o": fields(org, "name", "short_name", "website"),
        "kind": org.kind or "nicht bekannt",
        "period": _org_period(org),
        "website": web_href(org.website) if org.website else None,
        "parent": site.ref("organizations", org.parent) if org.parent else None,
        "children": site.children.get(org.id, []),
        "signatures": signatures,
        "papers": newest(papers := [r for r in related_papers if site.records.papers[r.id].organization == org.id]),
        "papers_more": max(0, len(papers) - LIST_LIMIT),
        "consulted": newest(
            consulted := [r for r in related_papers if site.records.papers[r.id].organization != org.id]
        ),
        "consulted_more": max(0, len(consulted) - LIST_LIMIT),
        **sessions_of(site, org),
        **members_view(site, org),
    }


def members_view(site: Site, org: Organization) -> dict[str, Any]:
    """The people with a seat in ``org``: those whose membership has no end date in the source, and the former ones
    (with an end date), newest end first."""
    open_ended: list[tuple[Membership, dict[str, Any]]] = []
    ended: list[tuple[Membership, dict[str, Any]]] = []
    for ref in site.related_of("organizations", org.id, "persons"):
        for membership in site.records.persons[ref.id].memberships:
            if membership.organization == org.id:
                row = {"person": ref, **membership_view(site, membership)}
                (ended if membership.end is not None else open_ended).append((membership, row))
    open_ended.sort(key=lambda pair: (pair[1]["person"].title.casefold(), pair[1]["person"].id))
    ended.sort(key=lambda pair: (sort_key(pair[0].end), pair[1]["person"].title.casefold()), reverse=True)
    return {"members": [row for _, row in open_ended], "former_members": by_term(site, ended)}


def by_term(site: Site, ended: list[tuple[Membership, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Former members grouped by the legislative term their seat ended in (where the records have terms)."""
    terms = sorted(site.records.legislative_terms.values(), key=lambda t: sort_key(t.start), reverse=True)
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for membership, row in ended:
        term = next((t for t in terms if membership.end is not None and t.holds(membership.end)), None)
        groups.setdefault(term.id if term else None, []).append(row)
    order = [t.id for t in terms if t.id in groups] + ([None] if None in groups else [])
    return [
        {
            "term": site.ref("legislative_terms", key) if key else None,
            "label": "in keiner erfassten Wahlperiode" if key is None and terms else None,
            "rows": groups[key],
        }
        for key in order
    ]


def legislative_term_view(site: Site, term: LegislativeTerm) -> dict[str, Any]:
    """A term: its period, and the bodies with members in it (a seat that overlaps the term)."""
    counts: dict[str, set[str]] = {}
    for person in site.records.persons.values():
        for membership in person.memberships:
            if _overlaps(membership, term):
                counts.setdefault(membership.organization, set()).add(person.id)
    bodies = sorted(counts.items(), key=lambda item: site.ref("organizations", item[0]).title.casefold())
    period = Period(start=term.start, end=term.end) if term.start or term.end else None
    return {
        "root": UP,
        "t": fields(term, "name"),
        "period": period.german() if period else "Zeitraum nicht bekannt",
        "bodies": [
            {"ref": site.ref("organizations", org), "members": count_de(len(people), "Person", "Personen")}
            for org, people in bodies
        ],
        "description": description_of(f"{term.name}: Gremien und ihre Mitglieder in dieser Wahlperiode."),
    }


def _overlaps(membership: Membership, term: LegislativeTerm) -> bool:
    if term.start is None and term.end is None:
        return False
    starts_before_end = membership.start is None or term.end is None or membership.start.earliest() <= term.end.latest()
    ends_after_start = membership.end is None or term.start is None or membership.end.latest() >= term.start.earliest()
    return starts_before_end and ends_after_start


def membership_view(site: Site, membership: Membership) -> dict[str, Any]:
    start, end = membership.start, membership.end
    if start and end:
        period = f"{format_date(start)} bis {format_date(end)}"
    elif start:
        period = f"seit {format_date(start)}"
    else:
        period = f"bis {format_date(end)}" if end else "Zeitraum nicht bekannt"
    voting = {True: "ja", False: "nein", None: "nicht bekannt"}[membership.voting_right]
    return {
        "organization": site.ref("organizations", membership.organization),
        "role": membership.role or "nicht bekannt",
        "group": site.ref("organizations", membership.on_behalf_of) if membership.on_behalf_of else None,
        "period": period,
        "voting": voting,
    }


def person_view(site: Site, person: Person) -> dict[str, Any]:
    memberships = sorted(
        person.memberships, key=lambda m: (m.end is None, sort_key(m.end), sort_key(m.start)), reverse=True
    )
    seats = count_de(len(person.memberships), "Mitgliedschaft", "Mitgliedschaften")
    return {
        "root": UP,
        "title": person.title,
        "form_of_address": person.form_of_address,
        "memberships": [membership_view(site, m) for m in memberships],
        "description": description_of(f"{person.title}: {seats} in Gremien und Fraktionen."),
    }


def _org_period(org: Organization) -> str | None:
    if org.start and org.end:
        return f"{format_date(org.start)} bis {format_date(org.end)}"
    if org.start:
        return f"seit {format_date(org.start)}"
    return f"bis {format_date(org.end)}" if org.end else None


def sessions_of(site: Site, org: Organization) -> dict[str, Any]:
    """A body's sessions on its page, by year; where there are too many, a link to each year's page instead."""
    sessions = site.related_of("organizations", org.id, "sessions")
    years = by_year(sessions)
    if len(sessions) <= SESSIONS_ON_PAGE:
        return {"session_years": years, "session_year_pages": []}
    page = site.ref("organizations", org.id).page
    links = [
        {"label": y["year"], "count": len(y["refs"]), "page": page_href(page, sessions_year_path(org.id, y["key"]))}
        for y in years
    ]
    return {"session_years": [], "session_year_pages": links}


def by_year(refs: list[Ref]) -> list[dict[str, Any]]:
    """All of ``refs``, newest first, grouped by year (an organisation's sessions: a council has hundreds)."""
    groups: dict[int | None, list[Ref]] = {}
    for ref in sorted(refs, key=lambda r: r.order, reverse=True):
        groups.setdefault(ref.date.year if ref.date else None, []).append(ref)
    ordered = sorted(groups.items(), key=lambda item: (item[0] is None, -(item[0] or 0)))
    return [
        {"year": str(year) if year else "Jahr nicht bekannt", "key": str(year or "unbekannt"), "refs": refs}
        for year, refs in ordered
    ]


def newest(refs: list[Ref]) -> list[Ref]:
    """The :data:`LIST_LIMIT` newest of ``refs``, newest first (the overviews list them all)."""
    return sorted(refs, key=lambda r: r.order, reverse=True)[:LIST_LIMIT]


def target_group_view(site: Site, group: TargetGroup) -> dict[str, Any]:
    rows = []
    for ref in site.related_of("target_groups", group.id, "agreements"):
        agreement = site.records.agreements[ref.id]
        names = [t.name for t in agreement.target_groups if t.group == group.id]
        goals = [g.title for g in agreement.goals if group.id in g.target_groups]
        rows.append(
            {
                "agreement": ref,
                "period": agreement.period_text,
                "names": "; ".join(names) or "nur bei einzelnen Zielen genannt",
                "goals": "; ".join(goals) or "keine einzeln aufgeführt",
            }
        )
    description = group.description or f"Zielgruppe „{group.name}“"
    agreements = count_de(len(rows), "Vereinbarung", "Vereinbarungen")
    return {
        "root": UP,
        "g": fields(group, "name", "description"),
        "rows": rows,
        "description": description_of(f"{description}: {agreements}."),
    }


# The view of each record kind's page (the template is "<kind>.md.j2"); tests hold it to the registry of kinds.
VIEWS: dict[str, Callable[[Site, Any], dict[str, Any]]] = {
    "agreements": agreement_view,
    "papers": paper_view,
    "sessions": session_view,
    "organizations": organization_view,
    "persons": person_view,
    "legislative_terms": legislative_term_view,
    "target_groups": target_group_view,
}
