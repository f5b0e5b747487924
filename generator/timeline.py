"""When things happened, as far as the source tells: a date, or bounds (``before``/``after`` a date or another
event), or nothing. Events keep the order of the file (the source's order); dated events out of that order are
a warning, never re-sorted.

Pure functions over the models; the problems carry the record file's lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .dates import UNKNOWN_DATE_DE, PartialDate
from .models import Agreement, Bound, Event
from .problems import Problem


class Lines(Protocol):
    """Where a record's values stand in its file (a :class:`~generator.load.RawRecord`)."""

    path: str

    def line(self, loc: tuple[str | int, ...]) -> int: ...

    def column(self, loc: tuple[str | int, ...]) -> int: ...


def _resolve(bound: Bound | None, events: dict[str, Event]) -> PartialDate | None:
    """A bound's date: the date itself, or the date of the event it names (``None`` if that has none)."""
    if bound is None or isinstance(bound, PartialDate):
        return bound
    event = events.get(bound)
    return event.date if event is not None else None


def _on(date: PartialDate) -> str:
    """``dem 5. Juli 2013``, ``Juli 2013``, ``2013``: as it follows "vor" or "nach"."""
    return f"dem {date.german()}" if date.day is not None else date.german()


def when(date: PartialDate | None, before: Bound | None, after: Bound | None, *, events: Sequence[Event] = ()) -> str:
    """``5. Juli 2013``; for an undated thing ``vor dem 5. Juli 2013``, ``nach 2011``, ``zwischen 2011 und dem 5. Juli
    2013``; else ``Datum nicht bekannt``."""
    if date is not None:
        return date.german()
    by_id = {e.id: e for e in events if e.id}
    upper, lower = _resolve(before, by_id), _resolve(after, by_id)
    if upper is not None and lower is not None:
        return f"zwischen {_on(lower)} und {_on(upper)}"
    if upper is not None:
        return f"vor {_on(upper)}"
    if lower is not None:
        return f"nach {_on(lower)}"
    return UNKNOWN_DATE_DE


def order_warnings(agreement: Agreement, raw: Lines) -> list[Problem]:
    """An ``event-order`` warning for a dated event that the file lists after a later one: the page keeps the
    file's order (the source's), so the editor checks whether the order or the date is wrong."""
    found = []
    latest: tuple[int, PartialDate] | None = None  # the latest date so far, and its event's position
    for index, event in enumerate(agreement.events):
        date = event.date
        if date is None:
            continue
        if latest is not None and date.latest() < latest[1].earliest():
            loc = ("events", index, "date")
            message = (
                f"Das Ereignis vom {date.german()} steht nach dem vom {latest[1].german()} (Ereignis "
                f"{latest[0] + 1}): die Seite zeigt die Reihenfolge der Datei; Reihenfolge oder Datum prüfen"
            )
            found.append(Problem(raw.path, raw.line(loc), "event-order", message, column=raw.column(loc)))
        elif latest is None or date.earliest() >= latest[1].earliest():
            latest = (index, date)
    return found


def bound_problems(agreement: Agreement, raw: Lines) -> list[Problem]:
    """An ``unknown-reference`` problem for a ``before``/``after`` that names no event of this agreement."""
    ids = {e.id for e in agreement.events if e.id}
    found = []
    places: list[tuple[tuple[str | int, ...], Bound | None]] = []
    for index, event in enumerate(agreement.events):
        places += [(("events", index, "before"), event.before), (("events", index, "after"), event.after)]
    for index, party in enumerate(agreement.parties):
        here = ("parties", index, "signature")
        places += [((*here, "before"), party.signature.before), ((*here, "after"), party.signature.after)]
    for loc, bound in places:
        if isinstance(bound, str) and bound not in ids:
            known = ", ".join(sorted(ids)) or "keines hat eine id"
            found.append(
                Problem(
                    raw.path,
                    raw.line(loc),
                    "unknown-reference",
                    f"„{bound}“ ist weder ein Datum (JJJJ, JJJJ-MM, JJJJ-MM-TT) noch die id eines Ereignisses "
                    f"dieser Vereinbarung ({known})",
                    column=raw.column(loc),
                )
            )
    return found
