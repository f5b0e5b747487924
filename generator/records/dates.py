"""Partial dates: a year, a year and month, a full day, or unknown (``None``).

Sources often name only a year ("seit 2011") or a month; a date that the source does not give stays unknown.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
UNKNOWN_DATE_DE = "Datum nicht bekannt"
ACCEPTED_FORMATS = "JJJJ (2013), JJJJ-MM (2013-07) oder JJJJ-MM-TT (2013-07-05)"

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date of which only the year, or the year and month, may be known."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1000 <= self.year <= 9999:
            raise ValueError(f"Jahr {self.year} liegt außerhalb von 1000–9999")
        if self.day is not None and self.month is None:
            raise ValueError("ein Tag ohne Monat ist kein Datum")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"Monat {self.month} gibt es nicht")
        if self.day is not None and self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(f"den {self.day}. {MONTHS_DE[self.month - 1]} {self.year} gibt es nicht")

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Parse ``2013``, ``"2013-07"``, ``"2013-07-05"`` or a :class:`datetime.date`."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, bool):
            raise ValueError("ein Wahrheitswert ist kein Datum")
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError("ein Datum muss als Text oder Jahreszahl angegeben werden")
        match = _PATTERN.match(value.strip())
        if not match:
            if _german(value) is not None:  # one that does not exist ("30.02.2013") has said why already
                raise ValueError(f"„{value}“ ist in dieser Schreibweise kein Datum")
            raise ValueError(f"„{value}“ ist kein Datum")
        parts = match.groupdict()
        return cls(
            int(parts["year"]),
            int(parts["month"]) if parts["month"] else None,
            int(parts["day"]) if parts["day"] else None,
        )

    def iso(self) -> str:
        """The date as written in YAML: ``2013``, ``2013-07`` or ``2013-07-05``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def german(self) -> str:
        """``2013``, ``Juli 2013`` or ``5. Juli 2013``."""
        if self.month is None:
            return str(self.year)
        month = MONTHS_DE[self.month - 1]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day}. {month} {self.year}"

    def earliest(self) -> dt.date:
        """The first day this date can stand for."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last day this date can stand for."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def __str__(self) -> str:
        return self.iso()

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _validate, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: Any) -> dict[str, Any]:
        """For editors' schemas: a year (number or text), ``JJJJ-MM`` or ``JJJJ-MM-TT``."""
        return {
            "anyOf": [
                {"type": "integer", "minimum": 1000, "maximum": 9999},
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
            ]
        }


_MONTH_NUMBERS = {name.casefold(): number for number, name in enumerate(MONTHS_DE, 1)} | {"maerz": 3}
_MONTH_NAMES = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))
# How dates are written in German texts and sources, as (pattern, order of the groups: d = day, m = month, y = year).
_GERMAN = (
    (re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$"), "dmy"),  # 05.07.2013, 5.7.2013, 5. 7. 2013
    (re.compile(r"^(\d{1,2})\s*[./]\s*(\d{4})$"), "my"),  # 07/2013, 7.2013
    (re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{1,2}))?$"), "ymd"),  # 2013-7-5, 2013/07/05
    (re.compile(rf"^(\d{{1,2}})\.?\s*({_MONTH_NAMES})\s+(\d{{4}})$", re.IGNORECASE), "dmy"),  # 5. Juli 2013
    (re.compile(rf"^({_MONTH_NAMES})\s+(\d{{4}})$", re.IGNORECASE), "my"),  # Juli 2013
)


def _german(value: str) -> PartialDate | None:
    """The date meant by a German way of writing it (``05.07.2013``, ``07/2013``, ``5. Juli 2013``), or None.

    Raises :class:`ValueError` (saying why) for such a date that does not exist, e.g. ``30.02.2013``.
    """
    text = " ".join(value.split())
    for pattern, order in _GERMAN:
        match = pattern.match(text)
        if match is None:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = parts.get("m")
        return PartialDate(
            int(parts["y"]),
            None if month is None else (int(month) if month.isdigit() else _MONTH_NUMBERS[month.casefold()]),
            int(parts["d"]) if parts.get("d") else None,
        )
    return None


def suggest_date(value: object) -> str | None:
    """``2013-07-05`` for ``05.07.2013``: how a date written the German way is written in a record, or None."""
    if not isinstance(value, str):
        return None
    try:
        date = _german(value)
    except ValueError:
        return None
    return None if date is None or date.iso() == value.strip() else date.iso()


def _validate(value: object) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        suggestion = suggest_date(value)
        raise PydanticCustomError(
            "invalid_date",
            "{reason}; erlaubt ist {formats}{hint}",
            {
                "reason": str(exc),
                "formats": ACCEPTED_FORMATS,
                "hint": f" – meinten Sie {suggestion}?" if suggestion else "",
            },
        ) from None


def format_date(value: PartialDate | None) -> str:
    """German text for a partial date; ``Datum nicht bekannt`` when unknown."""
    return value.german() if value is not None else UNKNOWN_DATE_DE


def sort_key(value: PartialDate | None) -> tuple[int, int, int, int]:
    """Order: 2011 < 2013 < Juli 2013 < 5. Juli 2013 < unknown."""
    if value is None:
        return (1, 0, 0, 0)
    return (0, value.year, value.month or 0, value.day or 0)
