"""``import oparl SOURCE``: read one body of a council information system, convert and merge its organisations,
persons, meetings and papers into ``content/``, and say what changed.

Read everything, then write: all lists are read first (so that every reference can be resolved, whatever the
order of the lists), then each record is converted, merged with its file and written when it changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from generator.importing.convert import LISTS, Converter, Data, Ids, tail
from generator.importing.fetch import (
    CachedFetcher,
    Fetcher,
    FetchError,
    FolderFetcher,
    HttpFetcher,
    Reading,
    objects,
    parse_time,
)
from generator.importing.store import (
    Existing,
    Store,
    StoreError,
    merge,
    read_state,
    write_record,
    write_state,
)
from generator.records.dates import PartialDate, format_date
from generator.records.models import TIMEZONE, WEB_URL_PATTERN

log = logging.getLogger(__name__)

OVERLAP = dt.timedelta(days=1)  # a re-import asks for what changed since the last run, less a day
ORDER = (
    "legislative_terms",
    "organizations",
    "persons",
    "sessions",
    "papers",
)  # ids are given in this order (sessions use bodies' ids)


class Progress(Protocol):
    """Hears how far the reading of each list has come (the command line shows it with counts and time left)."""

    def total(self, kind: str, count: int) -> None: ...
    def advance(self, kind: str) -> None: ...


@dataclass(slots=True)
class Summary:
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))  # kind → new/changed/…
    conflicts: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)  # (kind, id, fields)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (object address, message)
    since: str | None = None
    dry_run: bool = False

    def warn(self, url: str, message: str) -> None:
        self.warnings.append((url, message))

    def lines(self) -> Iterator[str]:
        """The summary for the command line, in German."""
        if self.since:
            yield f"Geändert seit {self.since}."
        for kind in ORDER:
            c = self.counts.get(kind, Counter())
            yield (
                f"{kind}: {c['read']} gelesen, {c['new']} neu, {c['changed']} geändert, {c['unchanged']} unverändert, "
                f"{c['withdrawn']} zurückgezogen, {c['conflict']} Konflikte"
            )
        for kind, record_id, fields in self.conflicts:
            yield (
                f"Konflikt: {kind}/{record_id}.yml – von Hand geändert: {', '.join(fields)} "
                "(der Wert der Redaktion bleibt)"
            )
        # Grouped by what they say (the addresses in a message aside), with the first object's address.
        by_message: Counter[str] = Counter()
        first: dict[str, tuple[str, str]] = {}
        for url, message in self.warnings:
            group = re.sub(r"https?://\S+", "…", message)
            by_message[group] += 1
            first.setdefault(group, (url, message))
        for group, count in by_message.most_common():
            url, message = first[group]
            yield f"Warnung ({count}×): {group if count > 1 else message} – z. B. {url}"
        if self.dry_run:
            yield "Probelauf: nichts geschrieben."


def open_source(source: str, *, delay: float) -> Fetcher:
    path = Path(source)
    if path.is_dir():
        return FolderFetcher(path)
    if not source.startswith(("http://", "https://")):
        raise FetchError(f"{source}: weder eine Adresse (https://…) noch ein Ordner")
    return HttpFetcher(delay=delay)


def entry_url(source: str) -> str:
    """The address to start from: the source's own, or a recorded crawl's System (``<its base>system``)."""
    return FolderFetcher(Path(source)).base + "system" if Path(source).is_dir() else source


def import_oparl(
    source: str,
    *,
    content: Path,
    body: str | None = None,
    since: str = "auto",
    dry_run: bool = False,
    cache: Path = Path("build/oparl-import"),
    delay: float = 0.2,
    fetcher: Fetcher | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> Summary:
    """Import one body of ``source`` into ``content``. Raises :class:`FetchError` when the source cannot be read
    (then nothing has been written; a second run reads again only what it had not read yet), and
    :class:`ImportBlocked` when ``content`` is not in a state to import into."""
    started = now or dt.datetime.now(dt.UTC)
    summary = Summary(dry_run=dry_run)
    state = read_state(content)
    params = _since(since, source, state, summary)
    store = Store.read(content, cache=None if dry_run else cache)  # first: a broken file stops the run
    inner = fetcher or open_source(source, delay=delay)
    key = hashlib.sha256(f"{source} {params}".encode()).hexdigest()[:16]
    cached = CachedFetcher(inner, cache / key, use=not dry_run)  # a dry run neither reads nor leaves a cache
    chosen = _body(cached, source, body, summary)
    _same_body(state, chosen, store)
    lists = {kind: _read_list(cached, chosen, kind, params, summary, progress) for kind in ORDER}
    fetched = {kind: found for kind, (found, _) in lists.items()}
    complete = all(whole for _, whole in lists.values())
    ids = Ids()
    for kind, record_id, oparl_id in store.ids:
        ids.know(kind, record_id, oparl_id)
    today = started.astimezone(TIMEZONE).date()
    converter = Converter(ids, warn=summary.warn, today=today)
    converter.remember(store)
    live = {kind: [o for o in found if not o.get("deleted")] for kind, found in fetched.items()}
    for kind in ORDER:
        for obj in live[kind]:
            if not converter.skipped(kind, obj):
                ids.assign(kind, obj["id"], converter.wanted_id(kind, obj))
    _prepare_maps(converter, live)
    for kind in ORDER:
        for obj in fetched[kind]:
            _one(kind, obj, converter=converter, store=store, summary=summary, dry_run=dry_run, today=today)
    if since == "all":
        _reconcile(fetched, store, chosen, complete=complete, today=today, summary=summary, dry_run=dry_run)
    if not dry_run:
        newest = _newest(fetched, state, started=started, resumed=cached.hits > 0, summary=summary)
        write_state(content, {"source": source, "body": chosen.get("id"), "last_modified": newest})
        cached.clear()
        Store.read(content, cache=cache)  # the files as this run left them: the next run parses only what changes
    return summary


class ImportBlocked(StoreError):
    """The content folder is not in a state to import into (a broken record file, another body's records)."""


def _same_body(state: Data, chosen: Data, store: Store) -> None:
    """One content folder, one body: records of another body (or of the same at another address) would be taken
    for new ones and doubled."""
    previous, now = state.get("body"), chosen.get("id")
    if previous and previous != now and store.records:
        raise ImportBlocked(
            f"content/ hält Einträge der Körperschaft {previous}, diese Quelle liefert {now}: eine Körperschaft je "
            "Ordner (hat sich nur die Adresse geändert, die oparl-Adressen der Dateien anpassen)"
        )


def _reconcile(
    fetched: dict[str, list[Data]],
    store: Store,
    body: Data,
    *,
    complete: bool,
    today: dt.date,
    summary: Summary,
    dry_run: bool,
) -> None:
    """``--since all``: a record of this body whose object the source no longer lists is withdrawn, but only when
    every list was read whole (an error page must not withdraw the archive)."""
    if not complete:
        summary.warn(str(body.get("id")), "nicht alle Listen vollständig gelesen: nichts als zurückgezogen markiert")
        return
    seen = {obj["id"] for found in fetched.values() for obj in found}  # deleted ones were handled already
    prefix = str(body.get("id", "")).rstrip("/") + "/"
    base = prefix.rsplit("/body/", 1)[0] + "/" if "/body/" in prefix else prefix
    day = format_date(PartialDate.parse(today))
    for oparl_id, existing in store.records.items():
        if oparl_id not in seen and oparl_id.startswith(base):
            reason = f"nicht mehr im Ratsinformationssystem (festgestellt am {day})"
            _withdraw(existing, None, reason, summary, dry_run)


def _newest(
    fetched: dict[str, list[Data]], state: Data, *, started: dt.datetime, resumed: bool, summary: Summary
) -> str | None:
    """The newest change the source reported, by its own clock (so that unchanged data leaves the state as it is);
    never later than this run's start (a time stamp in the future would stop every later import), and not moved on
    by a run that went on from a cache (what it read from there may have changed since)."""
    previous = parse_time(state.get("last_modified"))
    if resumed:
        return previous.isoformat(timespec="seconds") if previous else None
    stamps = []
    for found in fetched.values():
        for obj in found:
            moment = parse_time(obj.get("modified"))
            if moment is not None and moment > started:
                summary.warn(str(obj.get("id")), "„modified“ liegt in der Zukunft: für den nächsten Abgleich ignoriert")
            elif moment is not None:
                stamps.append(moment)
    newest = max([*stamps, *([previous] if previous else [])], default=None)
    return newest.isoformat(timespec="seconds") if newest else None


class BadSince(ValueError):
    """``--since`` is neither auto, all nor a date."""


def _since(since: str, source: str, state: Data, summary: Summary) -> dict[str, str]:
    if since == "all":
        return {}
    if since == "auto":
        last = parse_time(state.get("last_modified"))
        if last is None or state.get("source") != source:
            return {}
        moment = last - OVERLAP
    else:
        given = parse_time(since if "T" in since else f"{since}T00:00:00")  # a day: from its start, German time
        if given is None:
            raise BadSince(f"--since {since}: ein Datum JJJJ-MM-TT, „auto“ oder „all“")
        summary.since = given.isoformat(timespec="seconds")
        return {"modified_since": summary.since}
    summary.since = moment.isoformat(timespec="seconds")
    return {"modified_since": summary.since}


def _body(fetcher: Fetcher, source: str, wanted: str | None, summary: Summary) -> Data:
    entry = fetcher.get(entry_url(source))
    if not isinstance(entry, dict):
        raise FetchError(f"{source}: kein OParl-Objekt")
    kind = str(entry.get("type", "")).rsplit("/", 1)[-1]
    if kind == "Body":
        return _checked_body(entry, summary)
    if kind != "System" or not entry.get("body"):
        raise FetchError(f"{source}: weder ein OParl-System noch eine Körperschaft (type: {entry.get('type')!r})")
    bodies = [b for b in objects(fetcher, str(entry["body"]), warn=summary.warn) if isinstance(b, dict)]
    if not bodies:
        raise FetchError(f"{entry['body']}: keine Körperschaft")
    if wanted is None:
        if len(bodies) > 1:
            summary.warn(str(entry["body"]), f"{len(bodies)} Körperschaften: die erste importiert (--body wählt)")
        return _checked_body(bodies[0], summary)
    for position, candidate in enumerate(bodies, start=1):
        if wanted in (candidate.get("id"), str(position)):
            return _checked_body(candidate, summary)
    raise FetchError(f"--body {wanted}: keine solche Körperschaft (1 bis {len(bodies)} oder ihre OParl-Adresse)")


def _checked_body(body: Data, summary: Summary) -> Data:
    """The body as it is, with a warning for what a council system gets wrong there (the AGS, the official
    8-digit municipality key, given without its leading zero)."""
    ags = str(body.get("ags") or "")
    if ags.isdigit() and len(ags) == 7:
        summary.warn(str(body.get("id")), f"AGS „{ags}“ hat 7 Stellen: gemeint ist wohl „0{ags}“ (führende Null fehlt)")
    return body


def _read_list(
    fetcher: Fetcher,
    body: Data,
    kind: str,
    params: dict[str, str],
    summary: Summary,
    progress: Progress | None,
) -> tuple[list[Data], bool]:
    """The list's objects (each once, the last version of one that stands twice), and whether it was read whole."""
    if kind == "legislative_terms":  # embedded in the Body (OParl 1.0 and 1.1)
        terms = [t for t in body.get("legislativeTerm") or [] if isinstance(t, dict) and isinstance(t.get("id"), str)]
        summary.counts[kind]["read"] = len(terms)
        return terms, True
    url = body.get(LISTS[kind])
    if not isinstance(url, str):
        summary.warn(str(body.get("id")), f"die Körperschaft hat keine Liste „{LISTS[kind]}“")
        return [], False
    found: dict[str, Data] = {}
    total = (lambda n: progress.total(kind, n)) if progress else None
    reading = Reading()
    for obj in objects(fetcher, url, params=params or None, warn=summary.warn, total=total, reading=reading):
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not re.match(WEB_URL_PATTERN, obj["id"]):
            summary.warn(url, "ein Eintrag ohne gültige id (Webadresse): übersprungen")
            continue
        if "type" not in obj:
            summary.warn(obj["id"], "gelöschtes Objekt ohne „type“ (die OParl-Spezifikation verlangt ihn)")
        if obj["id"] in found:
            summary.warn(obj["id"], "steht zweimal in der Liste: die spätere Fassung gilt")
        found[obj["id"]] = obj
        if progress:
            progress.advance(kind)
    summary.counts[kind]["read"] = len(found)
    return list(found.values()), reading.complete


def _prepare_maps(converter: Converter, live: dict[str, list[Data]]) -> None:
    """Agenda item → its number, consultation → its paper: both sides of the link between meetings and papers,
    from what this run read (on top of what the records say already, see :meth:`Converter.remember`)."""
    for meeting in live["sessions"]:
        items = meeting.get("agendaItem") or []
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("number"), str):
                converter.agenda_numbers[tail(item["id"])] = " ".join(item["number"].split())
    for paper in live["papers"]:
        paper_id = converter.ids.of("papers", paper["id"])
        consultations = paper.get("consultation") or []
        for consultation in [consultations] if isinstance(consultations, dict) else consultations:
            if isinstance(consultation, dict) and isinstance(consultation.get("id"), str) and paper_id:
                converter.consultation_papers[tail(consultation["id"])] = paper_id


def _one(
    kind: str, obj: Data, *, converter: Converter, store: Store, summary: Summary, dry_run: bool, today: dt.date
) -> None:
    existing = store.records.get(obj["id"])
    if obj.get("deleted"):
        if existing is not None:
            date = converter.date(obj, "modified")
            _withdraw(existing, date, None, summary, dry_run)
        return
    new = converter.convert(kind, obj)
    if new is None:
        return
    record_id = converter.ids.of(kind, obj["id"])
    assert record_id is not None
    merged = merge(kind, existing, new, converter.origin(obj))
    if merged.conflicts:
        summary.counts[kind]["conflict"] += 1
        summary.conflicts.append((kind, record_id, merged.conflicts))
    assert merged.data is not None
    path = existing.path if existing else store.content / kind / f"{record_id}.yml"
    changed = (existing is None or merged.data != existing.data) if dry_run else write_record(path, kind, merged.data)
    summary.counts[kind]["new" if existing is None else ("changed" if changed else "unchanged")] += 1


def _withdraw(existing: Existing, date: str | None, reason: str | None, summary: Summary, dry_run: bool) -> None:
    if existing.data.get("withdrawn"):
        return  # withdrawn already (by an earlier run or an editor): left as it is
    withdrawn: dict[str, Any] = {"date": date} if date else {}
    if reason:
        withdrawn["reason"] = reason
    data = {**existing.data, "withdrawn": withdrawn or {"reason": "im Ratsinformationssystem gelöscht"}}
    existing.data = data
    if not dry_run:
        write_record(existing.path, existing.kind, data)
    summary.counts[existing.kind]["withdrawn"] += 1
