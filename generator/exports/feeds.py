"""Subscriptions: an Atom feed of new and changed records (from the git history) and an iCal file of sessions.

Both need the site's public address (feeds and calendars are read outside the site). Nothing is guessed: the
feed lists only changes git knows about, the calendar only sessions whose day is known.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from icalendar import Calendar, Event

from generator.records.dates import PartialDate
from generator.records.history import Change
from generator.records.kinds import MODELS
from generator.records.models import SessionState
from generator.site.addresses import absolute_url
from generator.site.link import Site

FEED_LIMIT = 50  # entries in the feed: the most recently changed records
ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    kind: str
    record_id: str
    changes: list[Change]  # newest first


def atom_feed(
    site: Site, *, history: dict[str, list[Change]] | None, base_url: str, name: str, now: dt.datetime
) -> str:
    """The newest :data:`FEED_LIMIT` record changes; without a git history the feed has no entries."""
    entries = []
    for kind in MODELS:
        for record_id in site.records.of_kind(kind):
            changes = (history or {}).get(site.records.paths.get((kind, record_id), ""), [])
            if changes:
                entries.append(FeedEntry(kind, record_id, changes))
    entries.sort(key=lambda e: (_instant(e.changes[0].time), e.kind, e.record_id), reverse=True)
    entries = entries[:FEED_LIMIT]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "de"})
    _text(feed, "id", base_url + "aenderungen.xml")
    _text(feed, "title", f"Neu und geändert – {name}")
    _text(feed, "updated", _instant(entries[0].changes[0].time).isoformat() if entries else now.isoformat())
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": base_url + "aenderungen.xml"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": base_url})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", name)
    for entry in entries:
        ref = site.ref(entry.kind, entry.record_id)
        record = site.records.of_kind(entry.kind)[entry.record_id]
        url = absolute_url(base_url, ref.page)
        newest = entry.changes[0]
        what = "Neu" if len(entry.changes) == 1 else "Geändert"
        if record.withdrawn is not None:
            what = "Zurückgezogen"
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "id", url)
        _text(item, "title", f"{what}: {ref.label if entry.kind == 'papers' else ref.title}")
        _text(item, "updated", _instant(newest.time).isoformat())
        _text(item, "published", _instant(entry.changes[-1].time).isoformat())
        ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "href": url})
        note = next((c.note for c in entry.changes if c.note and c.time == newest.time), None)
        summary = f"{what} am {PartialDate.parse(newest.date).german()}"
        _text(item, "summary", f"{summary}: {note}" if note else f"{summary}.")  # never a commit message
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _instant(time: str) -> dt.datetime:
    """A git date (ISO 8601, or a plain day taken as midnight UTC) as an aware datetime."""
    value = dt.datetime.fromisoformat(time)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def session_calendar(
    site: Site, *, history: dict[str, list[Change]] | None, base_url: str, name: str, now: dt.datetime
) -> tuple[str, int]:
    """An iCalendar file (RFC 5545) of the sessions whose day is known; returns it and how many it holds.

    A session's UID is built from its id and never changes; a session without a start time is an all-day event.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Vereinbarungen und Unterschriften//Sitzungskalender//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Sitzungen – {name}")
    host = base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    count = 0
    for session in site.records.sessions.values():
        start: dt.date | dt.datetime | None = session.day
        if session.starts_at is not None:
            start = session.starts_at.astimezone(dt.UTC)
        if start is None:
            continue
        count += 1
        event = Event()
        event.add("uid", f"sitzung-{session.id}@{host}")
        changes = (history or {}).get(site.records.paths.get(("sessions", session.id), ""), [])
        event.add("dtstamp", _instant(changes[0].time).astimezone(dt.UTC) if changes else now.astimezone(dt.UTC))
        event.add("dtstart", start)
        event.add("summary", session.name)
        if session.location:
            event.add("location", session.location)
        url = absolute_url(base_url, site.ref("sessions", session.id).page)
        event.add("url", url)
        organization = site.ref("organizations", session.organization).title
        event.add("description", f"{organization}. Tagesordnung und Unterlagen: {url}")
        if session.state is SessionState.CANCELLED:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8"), count
