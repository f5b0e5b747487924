"""When things happened, as far as the source tells: a date, or bounds (``before``/``after`` a date or another
event), or nothing. Events keep the order of the file (the source's order); dated events out of that order are
a warning, never re-sorted.

Pure functions over the models; the problems carry the record file's lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from generator.records.dates import UNKNOWN_DATE_DE, PartialDate
from generator.records.models import Agreement, Bound, Event, Signature
from generator.records.problems import Problem


class Lines(Protocol):
    """Where a record's values stand in its file (a :class:`~generator.records.load.RawRecord`)."""

    path: str

    def line(self, loc: tuple[str | int, ...]) -> int: ...

    def column(self, loc: tuple[str | int, ...]) -> int: ...


def _resolve(
    bound: Bound | None, events: dict[str, Event], side: str, seen: frozenset[str] = frozenset()
) -> PartialDate | None:
    """A bound's date: the date itself, or the date of the event it names; an undated event passes on its own
    bound on the same ``side`` ("before"/"after"). A cycle gives ``None``."""
    if bound is None or isinstance(bound, PartialDate):
        return bound
    event = events.get(bound)
    if event is None or bound in seen:
        return None
    if event.date is not None:
        return event.date
    return _resolve(getattr(event, side), events, side, seen | {bound})


def _before(date: PartialDate) -> str:
    return f"vor dem {date.german()}" if date.day is not None else f"spätestens {date.german()}"


def _after(date: PartialDate) -> str:
    return f"nach dem {date.german()}" if date.day is not None else f"frühestens {date.german()}"


def when(date: PartialDate | None, before: Bound | None, after: Bound | None, *, events: Sequence[Event] = ()) -> str:
    """``5. Juli 2013``; for an undated thing what the source tells of its time: ``vor dem 5. Juli 2013``,
    ``spätestens 2013`` (before something dated to the year only), ``nach dem 3. Februar 2020``, ``frühestens
    2011``, both joined by a comma; else ``Datum nicht bekannt``."""
    if date is not None:
        return date.german()
    by_id = {e.id: e for e in events if e.id}
    upper, lower = _resolve(before, by_id, "before"), _resolve(after, by_id, "after")
    said = ([_after(lower)] if lower is not None else []) + ([_before(upper)] if upper is not None else [])
    return ", ".join(said) if said else UNKNOWN_DATE_DE


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
                f"Dieses Ereignis ({date.german()}) steht nach Ereignis {latest[0] + 1} ({latest[1].german()}): die "
                "Seite zeigt die Reihenfolge der Datei; Reihenfolge oder Datum prüfen"
            )
            found.append(Problem(raw.path, raw.line(loc), "event-order", message, column=raw.column(loc)))
        elif latest is None or date.earliest() >= latest[1].earliest():
            latest = (index, date)
    return found


def bound_problems(agreement: Agreement, raw: Lines) -> list[Problem]:
    """Problems with ``before``/``after``: a bound that names no event of this agreement (``unknown-reference``),
    names its own event, stands beside a ``date``, or lies after the other bound (``invalid-value``)."""
    ids = {e.id for e in agreement.events if e.id}
    by_id = {e.id: e for e in agreement.events if e.id}
    found = []
    items: list[tuple[tuple[str | int, ...], str | None, Event | Signature]] = [
        (("events", index), event.id, event) for index, event in enumerate(agreement.events)
    ]
    items += [(("parties", index, "signature"), None, p.signature) for index, p in enumerate(agreement.parties)]

    def problem(loc: tuple[str | int, ...], code: str, message: str) -> None:
        found.append(Problem(raw.path, raw.line(loc), code, message, column=raw.column(loc)))

    for here, own_id, item in items:
        for side in ("before", "after"):
            bound = getattr(item, side)
            loc = (*here, side)
            if isinstance(bound, str) and bound not in ids:
                known = ", ".join(sorted(ids)) or "keines hat eine id"
                problem(
                    loc,
                    "unknown-reference",
                    f"„{bound}“ ist weder ein Datum (JJJJ, JJJJ-MM, JJJJ-MM-TT) noch die id eines Ereignisses dieser "
                    f"Vereinbarung ({known})",
                )
            elif bound is not None and bound == own_id:
                problem(
                    loc, "invalid-value", f"Feld „{side}“: ein Ereignis kann nicht vor oder nach sich selbst liegen"
                )
            elif bound is not None and item.date is not None:
                problem(
                    loc, "invalid-value", f"Feld „{side}“: bei bekanntem Datum (date) entfällt „{side}“; eines löschen"
                )
        upper, lower = _resolve(item.before, by_id, "before"), _resolve(item.after, by_id, "after")
        if upper is not None and lower is not None and lower.earliest() > upper.latest():
            problem(
                (*here, "after"),
                "invalid-value",
                f"„nach {lower.german()}“ und „vor {upper.german()}“ widersprechen sich: eine der Angaben prüfen",
            )
    return found
