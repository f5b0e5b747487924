"""An OParl 1.1 static export: System, Body, Organization, Person (with Membership), Meeting (with AgendaItem,
Location and File) and Paper (with Consultation and File), as JSON files below ``/oparl/``.

Every object's ``id`` is the address of a file that holds it (embedded objects: their parent's address with an
anchor). Lists are paginated static files that always hold the whole list: a static host cannot answer the list
filters ``created_since``, ``created_until``, ``modified_since``, ``modified_until`` (the Daten page says so). Only
what the records say is exported; nothing is filled in:

- ``created``/``modified``: the OParl 1.1 text asks for them on every object that is not embedded, the JSON schema
  does not require them. They come from the record's ``oparl:`` block where it was imported (both from there: the
  object is the council system's, and the date our file was written says nothing about when that object was
  created), else from the git history of the record's file (its first and its last change), else they are left
  out: the time of the build is no date of the record. A source's time stamp without offset is read in German local
  time, like every time in the records; a plain day of the history as midnight UTC, as the Atom feed does. System
  and Body have no record and so no dates; embedded objects have none of their own (OParl does not ask for them).
- ``meetingState``: the spec's recommended words: ``terminiert`` (scheduled) and ``durchgeführt`` (held: the records
  say that the session took place, not whether its minutes were released, which is what the spec's word means
  strictly; ``eingeladen`` is never said, as the records do not know about invitations). A cancelled session has
  ``cancelled: true`` and no state; a session whose state is not known has neither.
- An organisation's kind, free text, is its ``classification``; ``organizationType`` has a fixed vocabulary and is
  only set where the kind is exactly one of its words.
- Embedded objects are named by their own ids where the record gives them (``#top-<id>``, ``#beratung-<id>``,
  ``#datei-<id>``, ``#mitgliedschaft-<id>``), else by their position (``#top-2``, ``#datei-1``; a paper's main file
  ``#hauptdatei``; the n-th file of an agenda item ``#top-<item>-datei-<n>``), made unique within their object.
- A session's documents have titles only: the first whose title starts with "Einladung" is the ``invitation``, with
  "Ergebnisprotokoll", "Ergebnisniederschrift" or "Niederschrift" the ``resultsProtocol``, with "Wortprotokoll" the
  ``verbatimProtocol``; everything else is an ``auxiliaryFile`` (a "Bekanntmachung" too: the public notice is not
  the members' invitation). An agenda item's documents are all ``auxiliaryFile``: a title does not tell the
  resolution from the paper it resolves ("Beschluss", "Beschlussvorlage"). A document that is not online has no
  address, and OParl's File needs one: it is left out.
- A file published from ``content/files/`` has its size from the file and its MIME type from its file name (the
  type the host serves it with); a linked document has both only where the record says.
- A session's end is its day and end time; an end time before the start time is on the next day.
- A renamed record keeps an object at each former address: ``deleted: true`` with ``id``, ``type``, ``created`` (the
  first change of the former file) and ``modified``: the rename, i.e. the later of the former file's last change
  and the new file's first change (git lists a renamed file under its new name only); without a history the two are
  left out. Deleted objects are in the lists too, so that a client that read the list before learns of it. A
  withdrawn record is no deleted object: it still exists and is exported as it stands.
"""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator.records.dates import PartialDate
from generator.records.history import Change
from generator.records.kinds import OPARL
from generator.records.models import (
    TIMEZONE,
    Document,
    Organization,
    Paper,
    Person,
    Record,
    Session,
    SessionState,
)
from generator.site.addresses import absolute_url, attachment_path, oparl_path
from generator.site.link import Site

SCHEMA = "https://schema.oparl.org/1.1/"
LIST_PAGE = 500  # objects per page of a list

Files = Iterator[tuple[str, str]]  # (path below the docs folder, JSON text)

# OParl's fixed vocabulary of Organization.organizationType (the spec lists these words and no others).
ORGANIZATION_TYPES = frozenset(
    {"Gremium", "Partei", "Fraktion", "Verwaltungsbereich", "externes Gremium", "Institution", "Sonstiges"}
)
MEETING_STATES = {SessionState.SCHEDULED: "terminiert", SessionState.HELD: "durchgeführt"}
CANCELLED_FLAG = {SessionState.SCHEDULED: False, SessionState.HELD: False, SessionState.CANCELLED: True}
# A session document's title start → the Meeting property it fills (the first such document only).
MEETING_FILES = (
    ("einladung", "invitation"),
    ("ergebnisprotokoll", "resultsProtocol"),
    ("ergebnisniederschrift", "resultsProtocol"),
    ("niederschrift", "resultsProtocol"),
    ("wortprotokoll", "verbatimProtocol"),
)
TYPES = {"organizations": "Organization", "persons": "Person", "sessions": "Meeting", "papers": "Paper"}
_MIME = mimetypes.MimeTypes()  # Python's own table only, not the machine's: the same type on every build host


class OParl:
    """Addresses and objects of the export, for one site and one public address. ``history``: the git history of
    the record files (as :func:`generator.records.history.read_history` reads it), for ``created``/``modified``."""

    def __init__(
        self,
        site: Site,
        *,
        base_url: str,
        name: str,
        licence_url: str | None,
        history: dict[str, list[Change]] | None = None,
    ) -> None:
        self.site = site
        self.base = base_url + oparl_path("")
        self.web = base_url
        self.name = name
        self.licence_url = licence_url
        self.history = history

    def url(self, path: str) -> str:
        return self.base + path

    def object_url(self, kind: str, record_id: str) -> str:
        return self.url(f"{_FOLDERS[kind]}/{record_id}.json")

    def page_url(self, kind: str, record_id: str) -> str:
        return absolute_url(self.web, self.site.ref(kind, record_id).page)

    def files(self) -> Files:
        """Every file of the export, entry point first: ``/oparl/system.json``."""
        yield oparl_path("system.json"), _dump(self.system())
        yield oparl_path("koerperschaften.json"), _dump(_page([self.body()], self.url("koerperschaften.json"), 1, 1))
        yield oparl_path("koerperschaft.json"), _dump(self.body())
        for kind, make in (
            ("organizations", self.organization),
            ("persons", self.person),
            ("sessions", self.meeting),
            ("papers", self.paper),
        ):
            records: dict[str, Any] = self.site.records.of_kind(kind)
            objects = [make(record) for record in records.values()]
            objects += [
                self.deleted(kind, record, former) for record in records.values() for former in record.former_ids
            ]
            yield from self._list(_LISTS[kind], objects)
            for obj in objects:
                yield obj["id"].removeprefix(self.web), _dump(obj)

    def _list(self, name: str, objects: list[dict[str, Any]]) -> Files:
        pages = max(1, -(-len(objects) // LIST_PAGE))
        for number in range(1, pages + 1):
            path = f"{name}.json" if number == 1 else f"{name}-{number}.json"
            chunk = objects[(number - 1) * LIST_PAGE : number * LIST_PAGE]
            yield oparl_path(path), _dump(_page(chunk, self.url(f"{name}.json"), number, pages, total=len(objects)))

    def system(self) -> dict[str, Any]:
        return _clean(
            {
                "id": self.url("system.json"),
                "type": SCHEMA + "System",
                "oparlVersion": SCHEMA,
                "body": self.url("koerperschaften.json"),
                "name": self.name,
                "website": self.web,
                "license": self.licence_url,
                "web": self.web,
            }
        )

    def body(self) -> dict[str, Any]:
        return _clean(
            {
                "id": self.url("koerperschaft.json"),
                "type": SCHEMA + "Body",
                "system": self.url("system.json"),
                "name": self.name,
                "website": self.web,
                "license": self.licence_url,
                "organization": self.url(f"{_LISTS['organizations']}.json"),
                "person": self.url(f"{_LISTS['persons']}.json"),
                "meeting": self.url(f"{_LISTS['sessions']}.json"),
                "paper": self.url(f"{_LISTS['papers']}.json"),
                "legislativeTerm": [],
                "web": self.web,
            }
        )

    def organization(self, org: Organization) -> dict[str, Any]:
        return _clean(
            {
                "id": self.object_url("organizations", org.id),
                "type": SCHEMA + "Organization",
                "body": self.url("koerperschaft.json"),
                "name": org.name,
                "shortName": org.short_name,
                "organizationType": org.kind if org.kind in ORGANIZATION_TYPES else None,
                "classification": org.kind,
                "subOrganizationOf": self.object_url("organizations", org.parent) if org.parent else None,
                "startDate": _day(org.start),
                "endDate": _day(org.end),
                "website": org.website,
                "membership": self._members.get(org.id),
                "web": self.page_url("organizations", org.id),
                **self.dates("organizations", org),
            }
        )

    def person(self, person: Person) -> dict[str, Any]:
        url = self.object_url("persons", person.id)
        memberships = [
            _clean(
                {
                    "id": f"{url}#{anchor}",
                    "type": SCHEMA + "Membership",
                    "person": url,
                    "organization": self.object_url("organizations", m.organization),
                    "role": m.role,
                    "votingRight": m.voting_right,
                    "onBehalfOf": self.object_url("organizations", m.on_behalf_of) if m.on_behalf_of else None,
                    "startDate": _day(m.start),
                    "endDate": _day(m.end),
                }
            )
            for m, anchor in zip(person.memberships, _membership_anchors(person), strict=True)
        ]
        return _clean(
            {
                "id": url,
                "type": SCHEMA + "Person",
                "body": self.url("koerperschaft.json"),
                "name": person.name,
                "familyName": person.family_name,
                "givenName": person.given_name,
                "formOfAddress": person.form_of_address,
                "title": [person.academic_title] if person.academic_title else None,
                "membership": memberships or None,
                "web": self.page_url("persons", person.id),
                **self.dates("persons", person),
            }
        )

    def meeting(self, session: Session) -> dict[str, Any]:
        url = self.object_url("sessions", session.id)
        web = self.page_url("sessions", session.id)
        anchors = _meeting_anchors(session)
        items = []
        for order, (item, anchor) in enumerate(zip(session.agenda_items, anchors.items, strict=True), start=1):
            item_url = f"{url}#{anchor}"
            files = [
                self.file(f"{url}#{a}", d, {"agendaItem": [item_url]})
                for d, a in zip(item.documents, anchors.item_documents[order - 1], strict=True)
                if d.online
            ]
            items.append(
                _clean(
                    {
                        "id": item_url,
                        "type": SCHEMA + "AgendaItem",
                        "meeting": url,
                        "number": item.number,
                        "order": order,
                        "name": item.title,
                        "public": item.public,
                        "consultation": self._links.get(item_url),
                        "result": item.result,
                        "resolutionText": item.resolution,
                        "auxiliaryFile": files or None,
                        "web": web,
                    }
                )
            )
        location = None
        if session.location:
            location = {"id": f"{url}#ort", "type": SCHEMA + "Location", "description": session.location}
        start, end = session.starts_at, _ends_at(session)
        return _clean(
            {
                "id": url,
                "type": SCHEMA + "Meeting",
                "name": session.name,
                "meetingState": MEETING_STATES.get(session.state),
                "cancelled": CANCELLED_FLAG.get(session.state),
                "start": start.isoformat() if start else None,
                "end": end.isoformat() if end else None,
                "location": location,
                "organization": [self.object_url("organizations", session.organization)],
                **self._meeting_files(url, session, anchors.documents),
                "agendaItem": items,
                "web": web,
                **self.dates("sessions", session),
            }
        )

    def _meeting_files(self, url: str, session: Session, anchors: list[str]) -> dict[str, Any]:
        """Invitation, minutes of results, verbatim minutes (by the title's first word) and the other files."""
        found: dict[str, Any] = {}
        auxiliary = []
        for document, anchor in zip(session.documents, anchors, strict=True):
            if not document.online:
                continue
            file = self.file(f"{url}#{anchor}", document, {"meeting": [url]})
            title = document.title.casefold()
            slot = next((slot for start, slot in MEETING_FILES if title.startswith(start)), None)
            if slot is not None and slot not in found:
                found[slot] = file
            else:
                auxiliary.append(file)
        return {**found, "auxiliaryFile": auxiliary} if auxiliary else found

    def paper(self, paper: Paper) -> dict[str, Any]:
        url = self.object_url("papers", paper.id)
        anchors = _paper_anchors(paper)
        consultations = []
        for c, anchor in zip(paper.consultations, anchors.consultations, strict=True):
            organizations = [o for o in (c.organization, *c.other_organizations) if o]
            consultations.append(
                _clean(
                    {
                        "id": f"{url}#{anchor}",
                        "type": SCHEMA + "Consultation",
                        "paper": url,
                        "meeting": self.object_url("sessions", c.session) if c.session else None,
                        "agendaItem": self._links.get(f"{url}#{anchor}"),
                        "organization": [self.object_url("organizations", o) for o in organizations] or None,
                        "authoritative": c.authoritative,
                        "role": c.role,
                    }
                )
            )
        main = paper.main_file
        return _clean(
            {
                "id": url,
                "type": SCHEMA + "Paper",
                "body": self.url("koerperschaft.json"),
                "name": paper.title,
                "reference": paper.reference,
                "date": _day(paper.date),
                "paperType": paper.paper_type,
                "superordinatedPaper": [self.object_url("papers", p) for p in paper.superordinated] or None,
                "subordinatedPaper": [self.object_url("papers", p) for p in paper.subordinated] or None,
                "mainFile": self.file(f"{url}#{anchors.main_file}", main, {"paper": [url]})
                if main and main.online
                else None,
                "auxiliaryFile": [
                    self.file(f"{url}#{anchor}", d, {"paper": [url]})
                    for d, anchor in zip(paper.attachments, anchors.attachments, strict=True)
                    if d.online
                ],
                "underDirectionOf": [self.object_url("organizations", o) for o in paper.under_direction_of] or None,
                "originatorOrganization": (
                    [self.object_url("organizations", paper.organization)] if paper.organization else None
                ),
                "consultation": consultations,
                "web": self.page_url("papers", paper.id),
                **self.dates("papers", paper),
            }
        )

    def file(self, address: str, document: Document, back: dict[str, list[str]]) -> dict[str, Any]:
        """The File ``address`` of ``document`` (which is online); ``back``: its parent (``{"paper": […]}`` …)."""
        local = document.file
        url = document.url if document.url else self.web + attachment_path(str(local))
        attachment = self.site.records.files.get(local) if local else None
        mime_type = document.mime_type or (_MIME.guess_type(local, strict=False)[0] if local else None)
        size = document.size if document.size is not None else (attachment.size if attachment else None)
        name = document.text_name
        text = self.site.records.texts.get(name) if name and name in self.site.documents else None
        return _clean(
            {
                "id": address,
                "type": SCHEMA + "File",
                "name": document.title,
                "fileName": local,
                "mimeType": mime_type,
                "date": _day(document.date),
                "size": size,
                "accessUrl": url,
                "downloadUrl": url if local else None,
                "text": "\n\n".join(text.pages) if text and not text.empty else None,  # as on the document page
                **back,
            }
        )

    def deleted(self, kind: str, record: Record, former: str) -> dict[str, Any]:
        """The object once at ``former``'s address, now deleted (the record was renamed)."""
        old = self._changes_of(self._former_paths(kind, record, former))
        new = self._changes_of([self.site.records.paths.get((kind, record.id), "")])
        ends = [_instant(c[0].time) for c in (old, new[-1:]) if c]  # old: its last change; new: its first
        return _clean(
            {
                "id": self.object_url(kind, former),
                "type": SCHEMA + TYPES[kind],
                "created": _instant(old[-1].time).isoformat() if old else None,
                "modified": max(ends).isoformat() if old and ends else None,
                "deleted": True,
            }
        )

    def dates(self, kind: str, record: Record) -> dict[str, str]:
        """``created`` and ``modified`` of a record's object, where known (see the module's docstring)."""
        if record.oparl is not None:
            stamps = {"created": _timestamp(record.oparl.created), "modified": _timestamp(record.oparl.modified)}
        else:
            changes = self._changes_of([self.site.records.paths.get((kind, record.id), "")])
            stamps = {
                "created": _instant(changes[-1].time).isoformat() if changes else None,
                "modified": _instant(changes[0].time).isoformat() if changes else None,
            }
        return {key: value for key, value in stamps.items() if value is not None}

    def _former_paths(self, kind: str, record: Record, former: str) -> list[str]:
        folder = posixpath.dirname(self.site.records.paths.get((kind, record.id), "")) or kind
        return [f"{folder}/{former}{suffix}" for suffix in (".yml", ".yaml")]

    def _changes_of(self, paths: Sequence[str]) -> list[Change]:
        """The changes of these files, newest first."""
        changes = [c for path in paths for c in (self.history or {}).get(path, [])]
        return sorted(changes, key=lambda c: _instant(c.time), reverse=True)

    @cached_property
    def _links(self) -> dict[str, str]:
        """Agenda item address ↔ consultation address, both ways, for each agenda item that treats a paper which
        has a consultation in that session: the first such item of the session, and the paper's consultation there
        whose agenda item number is the item's (else its first there). Other consultations link no agenda item."""
        found: dict[str, str] = {}
        for session in self.site.records.sessions.values():
            url = self.object_url("sessions", session.id)
            seen: set[str] = set()
            for item, anchor in zip(session.agenda_items, _meeting_anchors(session).items, strict=True):
                paper = self.site.records.papers.get(item.paper) if item.paper else None
                if paper is None or paper.id in seen:
                    continue
                seen.add(paper.id)
                here = [
                    (c, a)
                    for c, a in zip(paper.consultations, _paper_anchors(paper).consultations, strict=True)
                    if c.session == session.id
                ]
                chosen = next((a for c, a in here if c.agenda_item == item.number), here[0][1] if here else None)
                if chosen is not None:
                    consultation = f"{self.object_url('papers', paper.id)}#{chosen}"
                    found[f"{url}#{anchor}"], found[consultation] = consultation, f"{url}#{anchor}"
        return found

    @cached_property
    def _members(self) -> dict[str, list[str]]:
        """organisation id → addresses of the memberships in it."""
        found: dict[str, list[str]] = {}
        for person in self.site.records.persons.values():
            url = self.object_url("persons", person.id)
            for m, anchor in zip(person.memberships, _membership_anchors(person), strict=True):
                found.setdefault(m.organization, []).append(f"{url}#{anchor}")
        return found


_FOLDERS = {folder: one for folder, (one, _) in OPARL.items()}
_LISTS = {folder: many for folder, (_, many) in OPARL.items()}


class _Anchors:
    """The anchors of one object's embedded objects: each one once. Own ids are given out first, so that an
    embedded object with an id keeps ``<prefix>-<id>`` whatever the positions of the others."""

    def __init__(self, *taken: str) -> None:
        self.used = set(taken)

    def take(self, anchor: str) -> str:
        candidate, number = anchor, 1
        while candidate in self.used:
            number += 1
            candidate = f"{anchor}-{number}"
        self.used.add(candidate)
        return candidate

    def own(self, prefix: str, ids: Sequence[str | None]) -> list[str | None]:
        return [self.take(f"{prefix}-{own}") if own else None for own in ids]

    def rest(self, owned: list[str | None], fallback: Sequence[str]) -> list[str]:
        return [anchor if anchor else self.take(name) for anchor, name in zip(owned, fallback, strict=True)]


@dataclass(frozen=True, slots=True)
class _MeetingAnchors:
    items: list[str]
    documents: list[str]
    item_documents: list[list[str]]


@dataclass(frozen=True, slots=True)
class _PaperAnchors:
    consultations: list[str]
    main_file: str
    attachments: list[str]


def _meeting_anchors(session: Session) -> _MeetingAnchors:
    anchors = _Anchors("ort")
    items = anchors.own("top", [i.id for i in session.agenda_items])
    documents = anchors.own("datei", [d.id for d in session.documents])
    item_documents = [anchors.own("datei", [d.id for d in i.documents]) for i in session.agenda_items]
    item_anchors = anchors.rest(items, [f"top-{n}" for n in range(1, len(items) + 1)])
    return _MeetingAnchors(
        items=item_anchors,
        documents=anchors.rest(documents, [f"datei-{n}" for n in range(1, len(documents) + 1)]),
        item_documents=[
            anchors.rest(own, [f"{item}-datei-{n}" for n in range(1, len(own) + 1)])
            for item, own in zip(item_anchors, item_documents, strict=True)
        ],
    )


def _paper_anchors(paper: Paper) -> _PaperAnchors:
    anchors = _Anchors()
    consultations = anchors.own("beratung", [c.id for c in paper.consultations])
    main = anchors.own("datei", [paper.main_file.id if paper.main_file else None])
    attachments = anchors.own("datei", [d.id for d in paper.attachments])
    return _PaperAnchors(
        consultations=anchors.rest(consultations, [f"beratung-{n}" for n in range(1, len(consultations) + 1)]),
        main_file=anchors.rest(main, ["hauptdatei"])[0],
        attachments=anchors.rest(attachments, [f"datei-{n}" for n in range(1, len(attachments) + 1)]),
    )


def _membership_anchors(person: Person) -> list[str]:
    anchors = _Anchors()
    own = anchors.own("mitgliedschaft", [m.id for m in person.memberships])
    return anchors.rest(own, [f"mitgliedschaft-{n}" for n in range(1, len(own) + 1)])


def _day(date: PartialDate | None) -> str | None:
    """A date known to the day, as OParl's date; a month or a year has no OParl form."""
    return date.earliest().isoformat() if date is not None and date.day is not None else None


def _ends_at(session: Session) -> dt.datetime | None:
    """Day and end time in German local time; an end before the start is on the next day."""
    if session.day is None or session.end_time is None:
        return None
    hour, minute = (int(part) for part in session.end_time.split(":"))
    end = dt.datetime.combine(session.day, dt.time(hour, minute), tzinfo=TIMEZONE)
    start = session.starts_at
    if start is not None and end < start:
        end = dt.datetime.combine(session.day + dt.timedelta(days=1), dt.time(hour, minute), tzinfo=TIMEZONE)
    return end


def _timestamp(value: str | None) -> str | None:
    """A council system's time stamp as OParl's date-time (with offset; without one: German local time)."""
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:  # the shape of a time stamp, but no real time (25:00): not said
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=TIMEZONE)).isoformat()


def _instant(time: str) -> dt.datetime:
    """A git date (ISO 8601, or a plain day taken as midnight UTC) as an aware datetime."""
    value = dt.datetime.fromisoformat(time)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _page(
    objects: list[dict[str, Any]], first: str, number: int, pages: int, total: int | None = None
) -> dict[str, Any]:
    """An OParl list page: ``data``, ``pagination`` and ``links`` (first, last, prev, next)."""
    stem = first.removesuffix(".json")

    def at(n: int) -> str:
        return first if n == 1 else f"{stem}-{n}.json"

    links = {"first": at(1), "last": at(pages)}
    if number > 1:
        links["prev"] = at(number - 1)
    if number < pages:
        links["next"] = at(number + 1)
    return {
        "data": objects,
        "pagination": {
            "totalElements": len(objects) if total is None else total,
            "elementsPerPage": LIST_PAGE,
            "currentPage": number,
            "totalPages": pages,
        },
        "links": links,
    }


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is not known (``None``), instead of writing ``null`` where OParl expects a value."""
    return {key: value for key, value in obj.items() if value is not None}


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
