"""An OParl 1.1-shaped static export: System, Body, Organization, Meeting (with AgendaItem), Paper (with
Consultation and File), as JSON files below ``/oparl/``.

Every object's ``id`` is the address of a file that holds it (embedded objects: their parent's address with an
anchor). Lists are paginated static files. Only what the records say is exported: a date that is known to the
month only has no OParl form and is left out (the site's own JSON keeps it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from generator.records.kinds import OPARL
from generator.records.labels import state_words
from generator.records.models import Document, Organization, Paper, Session, SessionState
from generator.site.addresses import absolute_url, attachment_path, oparl_path
from generator.site.link import Site

SCHEMA = "https://schema.oparl.org/1.1/"
LIST_PAGE = 500  # objects per page of a list

Files = Iterator[tuple[str, str]]  # (path below the docs folder, JSON text)


class OParl:
    """Addresses and objects of the export, for one site and one public address."""

    def __init__(self, site: Site, *, base_url: str, name: str, licence_url: str | None) -> None:
        self.site = site
        self.base = base_url + oparl_path("")
        self.web = base_url
        self.name = name
        self.licence_url = licence_url

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
        yield from self._list("personen", [])
        for kind, make in (
            ("organizations", self.organization),
            ("sessions", self.meeting),
            ("papers", self.paper),
        ):
            objects = [make(record) for record in self.site.records.of_kind(kind).values()]
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
                "organization": self.url("organisationen.json"),
                "person": self.url("personen.json"),
                "meeting": self.url("sitzungen.json"),
                "paper": self.url("vorlagen.json"),
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
                "organizationType": org.kind,
                "subOrganizationOf": self.object_url("organizations", org.parent) if org.parent else None,
                "website": org.website,
                "web": self.page_url("organizations", org.id),
            }
        )

    def meeting(self, session: Session) -> dict[str, Any]:
        url = self.object_url("sessions", session.id)
        consulted = self._consultations.get(session.id, {})
        items = []
        for order, item in enumerate(session.agenda_items, start=1):
            consultation = consulted.get(item.paper) if item.paper else None
            items.append(
                _clean(
                    {
                        "id": f"{url}#top-{order}",
                        "type": SCHEMA + "AgendaItem",
                        "meeting": url,
                        "number": item.number,
                        "order": order,
                        "name": item.title,
                        "public": item.public,
                        "consultation": consultation,
                        "result": item.result,
                        "resolutionText": item.resolution,
                        "web": self.page_url("sessions", session.id),
                    }
                )
            )
        start = session.starts_at.isoformat() if session.starts_at else None
        location = None
        if session.location:
            location = {"id": f"{url}#ort", "type": SCHEMA + "Location", "description": session.location}
        return _clean(
            {
                "id": url,
                "type": SCHEMA + "Meeting",
                "name": session.name,
                "meetingState": state_words(session.state),
                "cancelled": session.state is SessionState.CANCELLED,
                "start": start,
                "location": location,
                "organization": [self.object_url("organizations", session.organization)],
                "agendaItem": items,
                "web": self.page_url("sessions", session.id),
            }
        )

    def paper(self, paper: Paper) -> dict[str, Any]:
        url = self.object_url("papers", paper.id)
        items = self._agenda_items
        consultations = []
        for number, c in enumerate(paper.consultations, start=1):
            consultations.append(
                _clean(
                    {
                        "id": f"{url}#beratung-{number}",
                        "type": SCHEMA + "Consultation",
                        "paper": url,
                        "meeting": self.object_url("sessions", c.session) if c.session else None,
                        "agendaItem": items.get((c.session, paper.id)) if c.session else None,
                        "organization": [self.object_url("organizations", c.organization)] if c.organization else None,
                        "role": c.role,
                    }
                )
            )
        day = paper.date.earliest().isoformat() if paper.date is not None and paper.date.day is not None else None
        return _clean(
            {
                "id": url,
                "type": SCHEMA + "Paper",
                "body": self.url("koerperschaft.json"),
                "name": paper.title,
                "reference": paper.reference,
                "date": day,
                "paperType": paper.paper_type,
                "originatorOrganization": (
                    [self.object_url("organizations", paper.organization)] if paper.organization else None
                ),
                "auxiliaryFile": [self.file(url, n, d) for n, d in enumerate(paper.attachments, start=1) if d.online],
                "consultation": consultations,
                "web": self.page_url("papers", paper.id),
            }
        )

    def file(self, parent: str, number: int, document: Document) -> dict[str, Any]:
        address = document.url if document.url else self.web + attachment_path(str(document.file))
        day = document.date
        return _clean(
            {
                "id": f"{parent}#datei-{number}",
                "type": SCHEMA + "File",
                "name": document.title,
                "fileName": document.file,
                "date": day.earliest().isoformat() if day is not None and day.day is not None else None,
                "accessUrl": address,
                "downloadUrl": address if document.file else None,
                "paper": [parent],
            }
        )

    @cached_property
    def _consultations(self) -> dict[str, dict[str, str]]:
        """session id → paper id → address of that paper's consultation in the session."""
        found: dict[str, dict[str, str]] = {}
        for paper in self.site.records.papers.values():
            for number, c in enumerate(paper.consultations, start=1):
                if c.session:
                    url = f"{self.object_url('papers', paper.id)}#beratung-{number}"
                    found.setdefault(c.session, {}).setdefault(paper.id, url)
        return found

    @cached_property
    def _agenda_items(self) -> dict[tuple[str, str], str]:
        """(session id, paper id) → address of the agenda item that treats the paper."""
        found: dict[tuple[str, str], str] = {}
        for session in self.site.records.sessions.values():
            url = self.object_url("sessions", session.id)
            for order, item in enumerate(session.agenda_items, start=1):
                if item.paper:
                    found.setdefault((session.id, item.paper), f"{url}#top-{order}")
        return found


_FOLDERS = {folder: one for folder, (one, _) in OPARL.items()}
_LISTS = {folder: many for folder, (_, many) in OPARL.items()}


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
