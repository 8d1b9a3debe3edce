from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spacenews.dates import DateError, Period, parse_day, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2003", date(2003, 1, 1), date(2003, 12, 31), "year"),
        ("2016-03", date(2016, 3, 1), date(2016, 3, 31), "month"),
        ("2016-3", date(2016, 3, 1), date(2016, 3, 31), "month"),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29), "month"),
        ("2003-06-2", date(2003, 6, 2), date(2003, 6, 2), "day"),
        ("2003-06-02", date(2003, 6, 2), date(2003, 6, 2), "day"),
        (" 2003-6-2 ", date(2003, 6, 2), date(2003, 6, 2), "day"),
    ],
)
def test_parse_period(text: str, start: date, end: date, precision: str) -> None:
    assert parse_period(text) == Period(start, end, precision)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2016-13-45", "2016-13-45. is not a real date: month 13 does not exist"),
        ("2016-02-30", "2016-02 has no day 30"),
        ("0000", "year 0 is out of range"),
        ("2016-00", "month 0 does not exist"),
        ("16-03-14", "is not a date"),
        ("2016/03/14", "is not a date"),
        ("", "is not a date"),
        ("20160-01-01", "is not a date"),
        ("yesterday", "is not a date"),
    ],
)
def test_invalid_periods_say_why(text: str, reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        parse_period(text)


def test_parse_day_wants_a_day() -> None:
    assert parse_day("2003-06-2") == date(2003, 6, 2)
    with pytest.raises(DateError, match="not a full date"):
        parse_day("2003-06")


def test_period_names_itself_padded() -> None:
    assert str(parse_period("2016-3")) == "2016-03"
    assert str(parse_period("2003-6-2")) == "2003-06-02"
    assert str(parse_period("2003")) == "2003"


@given(st.dates(min_value=date(1000, 1, 1)))
def test_any_real_day_round_trips_padded_or_not(day: date) -> None:
    unpadded = f"{day.year}-{day.month}-{day.day}"
    assert parse_day(unpadded) == day
    assert parse_day(day.isoformat()) == day
    assert day in parse_period(f"{day.year}-{day.month}")
    assert day in parse_period(str(day.year))


@given(st.text(max_size=30))
def test_parse_period_never_fails_otherwise(text: str) -> None:
    try:
        period = parse_period(text)
    except DateError:
        return
    assert period.start <= period.end
