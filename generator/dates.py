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


def _validate(value: object) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        raise PydanticCustomError(
            "invalid_date", "{reason}; erlaubt ist {formats}", {"reason": str(exc), "formats": ACCEPTED_FORMATS}
        ) from None


def format_date(value: PartialDate | None) -> str:
    """German text for a partial date; ``Datum nicht bekannt`` when unknown."""
    return value.german() if value is not None else UNKNOWN_DATE_DE


def sort_key(value: PartialDate | None) -> tuple[int, int, int, int]:
    """Order: 2011 < 2013 < Juli 2013 < 5. Juli 2013 < unknown."""
    if value is None:
        return (1, 0, 0, 0)
    return (0, value.year, value.month or 0, value.day or 0)
