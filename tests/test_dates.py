import datetime as dt

import pytest
from pydantic import BaseModel, ValidationError

from generator.records.dates import PartialDate, format_date, sort_key, suggest_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2013, PartialDate(2013)),
        ("2013", PartialDate(2013)),
        ("2013-07", PartialDate(2013, 7)),
        ("2013-07-05", PartialDate(2013, 7, 5)),
        (dt.date(2013, 7, 5), PartialDate(2013, 7, 5)),
        ("2012-02-29", PartialDate(2012, 2, 29)),
    ],
)
def test_parse_accepts_partial_dates(value: object, expected: PartialDate) -> None:
    assert PartialDate.parse(value) == expected


@pytest.mark.parametrize(
    "value", ["2013-02-30", "2013-13", "2013-00", "2013-7-5", "05.07.2013", "heute", 13, True, 2.5]
)
def test_parse_rejects_impossible_or_malformed_dates(value: object) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (PartialDate(2013), "2013"),
        (PartialDate(2013, 7), "Juli 2013"),
        (PartialDate(2013, 7, 5), "5. Juli 2013"),
        (PartialDate(2013, 3, 1), "1. März 2013"),
        (None, "Datum nicht bekannt"),
    ],
)
def test_german_format(value: PartialDate | None, text: str) -> None:
    assert format_date(value) == text


def test_sorting_puts_coarse_dates_first_and_unknown_last() -> None:
    dates = [None, PartialDate(2013, 7, 5), PartialDate(2011), PartialDate(2013, 7), PartialDate(2013)]
    ordered = sorted(dates, key=sort_key)
    assert [format_date(d) for d in ordered] == ["2011", "2013", "Juli 2013", "5. Juli 2013", "Datum nicht bekannt"]


def test_iso_round_trip_and_range() -> None:
    date = PartialDate.parse("2013-02")
    assert date.iso() == "2013-02"
    assert date.earliest() == dt.date(2013, 2, 1)
    assert date.latest() == dt.date(2013, 2, 28)


def test_pydantic_field_reports_invalid_date_type() -> None:
    class M(BaseModel):
        date: PartialDate | None = None

    assert M.model_validate({"date": "2013-07"}).date == PartialDate(2013, 7)
    assert M.model_validate({"date": None}).date is None
    with pytest.raises(ValidationError) as info:
        M.model_validate({"date": "2013-02-30"})
    assert info.value.errors()[0]["type"] == "invalid_date"
    assert "30. Februar 2013" in info.value.errors()[0]["msg"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("05.07.2013", "2013-07-05"),
        ("5.7.2013", "2013-07-05"),
        ("5. 7. 2013", "2013-07-05"),
        ("07/2013", "2013-07"),
        ("7.2013", "2013-07"),
        ("2013-7-5", "2013-07-05"),
        ("2013/07/05", "2013-07-05"),
        ("5. Juli 2013", "2013-07-05"),
        ("Juli 2013", "2013-07"),
        ("März 2013", "2013-03"),
    ],
)
def test_a_german_date_gets_the_form_meant(typed: str, meant: str) -> None:
    class M(BaseModel):
        date: PartialDate | None = None

    with pytest.raises(ValidationError) as info:
        M.model_validate({"date": typed})
    message = info.value.errors()[0]["msg"]
    assert message == (
        f"„{typed}“ ist in dieser Schreibweise kein Datum; erlaubt ist JJJJ (2013), JJJJ-MM (2013-07) oder "
        f"JJJJ-MM-TT (2013-07-05) – meinten Sie {meant}?"
    )


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("30.02.2013", "den 30. Februar 2013 gibt es nicht"),  # no suggestion of a day that does not exist
        ("13/2013", "Monat 13 gibt es nicht"),
        ("heute", "„heute“ ist kein Datum"),
        ("2013-02-30", "den 30. Februar 2013 gibt es nicht"),
    ],
)
def test_no_suggestion_for_what_is_no_date(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{reason}$"):
        PartialDate.parse(typed)
    assert suggest_date(typed) is None
