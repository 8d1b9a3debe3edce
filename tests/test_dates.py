import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spacenews import dates
from spacenews.dates import (
    DateError,
    Period,
    Range,
    make_date,
    parse_month_day,
    parse_period,
    parse_range,
    parse_span,
    period_of,
    relative_range,
)


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


def test_period_names_itself_padded() -> None:
    assert str(parse_period("2016-3")) == "2016-03"
    assert str(parse_period("2003-6-2")) == "2003-06-02"
    assert str(parse_period("2003")) == "2003"


@given(st.dates(min_value=date(1000, 1, 1)))
def test_any_real_day_round_trips_padded_or_not(day: date) -> None:
    unpadded = f"{day.year}-{day.month}-{day.day}"
    assert parse_period(unpadded) == Period(day, day, "day")
    assert parse_period(day.isoformat()) == Period(day, day, "day")
    assert day in parse_period(f"{day.year}-{day.month}")
    assert day in parse_period(str(day.year))


@given(st.text(max_size=30))
def test_parse_period_never_fails_otherwise(text: str) -> None:
    try:
        period = parse_period(text)
    except DateError:
        return
    assert period.start <= period.end


# The rules the README states about dates and periods, one test each.


def test_a_day_of_a_range_may_be_written_unpadded() -> None:
    assert parse_range("2003-6-2..2003-06-02") == Range(date(2003, 6, 2), date(2003, 6, 2))


def test_a_range_of_one_day_is_that_day() -> None:
    assert parse_range("2016-03-14..2016-03-14") == Range(date(2016, 3, 14), date(2016, 3, 14))
    assert parse_range("2016-03-14") == Range(date(2016, 3, 14), date(2016, 3, 14))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2016-03..2016-06", date(2016, 3, 1), date(2016, 6, 30)),
        ("..2014-04", None, date(2014, 4, 30)),
        ("..2014", None, date(2014, 12, 31)),
        ("2010..", date(2010, 1, 1), None),
        ("2016-02..2016-02", date(2016, 2, 1), date(2016, 2, 29)),
        (" 2004 .. 2016 ", date(2004, 1, 1), date(2016, 12, 31)),
        ("2016", date(2016, 1, 1), date(2016, 12, 31)),
    ],
)
def test_each_end_of_a_range_includes_its_whole_period(
    text: str, start: date | None, end: date | None
) -> None:
    assert parse_range(text) == Range(start, end)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("..", "'..' is not a range: give at least one end (2010.., ..2014)"),
        (" .. ", "' .. ' is not a range: give at least one end"),
        ("2016..2015", "'2016..2015' ends before it starts"),
        ("2016-03-15..2016-03-14", "'2016-03-15..2016-03-14' ends before it starts"),
        ("2016-13..", "'2016-13' is not a real date: month 13 does not exist"),
        ("2010..2012..2014", "'2012..2014' is not a date"),
        ("..2016-02-30", "'2016-02-30' is not a real date: 2016-02 has no day 30"),
    ],
)
def test_a_range_that_cannot_be_read_says_why(text: str, reason: str) -> None:
    with pytest.raises(DateError) as raised:
        parse_range(text)
    assert str(raised.value).startswith(reason)


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2016, 3, 13), False),
        (date(2016, 3, 14), True),
        (date(2016, 3, 31), True),
        (date(2016, 4, 1), False),
    ],
)
def test_a_range_holds_both_its_ends(day: date, inside: bool) -> None:
    assert (day in Range(date(2016, 3, 14), date(2016, 3, 31))) is inside
    assert (day in parse_period("2016-03")) is (inside or day == date(2016, 3, 13))


def test_an_open_end_holds_every_day_on_that_side() -> None:
    assert date(1, 1, 1) in Range(None, date(2014, 4, 30))
    assert date(9999, 12, 31) in Range(date(2010, 1, 1), None)
    assert date(2009, 12, 31) not in Range(date(2010, 1, 1), None)
    assert date(2014, 5, 1) not in Range(None, date(2014, 4, 30))
    assert date(2000, 1, 1) in Range(None, None)
    assert "2016-03-14" not in Range(None, None)
    assert "2016-03-14" not in parse_period("2016")


@pytest.mark.parametrize(
    ("one", "other", "both"),
    [
        # A period and --from on the same side: the later start wins.
        (("2004-01-01", "2016-12-31"), ("2010-01-01", None), ("2010-01-01", "2016-12-31")),
        (("2010-01-01", None), ("2004-01-01", "2016-12-31"), ("2010-01-01", "2016-12-31")),
        # ... and --to: the earlier end wins.
        (("2004-01-01", "2016-12-31"), (None, "2010-06-30"), ("2004-01-01", "2010-06-30")),
        ((None, "2010-06-30"), ("2004-01-01", "2016-12-31"), ("2004-01-01", "2010-06-30")),
        ((None, None), (None, None), (None, None)),
    ],
)
def test_from_and_to_narrow_a_period_together(
    one: tuple[str | None, str | None],
    other: tuple[str | None, str | None],
    both: tuple[str | None, str | None],
) -> None:
    def made(ends: tuple[str | None, str | None]) -> Range:
        return Range(*(date.fromisoformat(end) if end else None for end in ends))

    assert made(one).intersect(made(other)) == made(both)


@pytest.mark.parametrize(
    ("text", "month_day"),
    [("02-29", (2, 29)), ("2-3", (2, 3)), (" 12-31 ", (12, 31)), ("01-01", (1, 1))],
)
def test_on_this_day_takes_any_day_of_some_year(text: str, month_day: tuple[int, int]) -> None:
    assert parse_month_day(text) == month_day


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("02-30", "February has no day 30"),
        ("4-31", "April has no day 31"),
        ("12-0", "December has no day 0"),
        ("13-01", "month 13 does not exist"),
        ("2016-03-14", "'2016-03-14' is not a day of the year: use MM-DD"),
        ("3/14", "'3/14' is not a day of the year: use MM-DD"),
    ],
)
def test_on_this_day_refuses_a_day_no_year_has(text: str, reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        parse_month_day(text)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ((10000, 1, 1), "year 10000 is out of range"),
        ((0, 1, 1), "year 0 is out of range"),
        ((2016, 13, 1), "month 13 does not exist"),
        ((2016, 0, 1), "month 0 does not exist"),
        ((2015, 2, 29), "2015-02 has no day 29"),
        ((2016, 4, 31), "2016-04 has no day 31"),
        ((2016, 4, 0), "2016-04 has no day 0"),
        # the first and last years, months and days that exist are not what is wrong
        ((1, 13, 1), "month 13 does not exist"),
        ((9999, 13, 1), "month 13 does not exist"),
        ((2016, 1, 32), "2016-01 has no day 32"),
        ((2016, 12, 32), "2016-12 has no day 32"),
    ],
)
def test_a_date_that_does_not_exist_says_what_is_wrong(
    args: tuple[int, int, int], reason: str
) -> None:
    with pytest.raises(DateError) as raised:
        make_date(*args)
    assert str(raised.value) == reason


@pytest.mark.parametrize(
    ("day", "precision", "period"),
    [
        (date(2016, 3, 14), "year", Period(date(2016, 1, 1), date(2016, 12, 31), "year")),
        (date(2016, 2, 14), "month", Period(date(2016, 2, 1), date(2016, 2, 29), "month")),
        (date(2016, 3, 14), "day", Period(date(2016, 3, 14), date(2016, 3, 14), "day")),
    ],
)
def test_a_date_stands_for_its_whole_period(day: date, precision: str, period: Period) -> None:
    assert period_of(day, precision) == period  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("one_range", "text"),
    [
        (Range(date(2016, 3, 14), date(2016, 3, 14)), "2016-03-14"),
        (Range(date(2013, 1, 1), date(2015, 6, 30)), "2013-01-01 to 2015-06-30"),
        (Range(None, date(2014, 4, 30)), "… to 2014-04-30"),
        (Range(date(2010, 1, 1), None), "2010-01-01 to …"),
        (Range(None, None), "… to …"),
    ],
)
def test_a_range_names_its_days(one_range: Range, text: str) -> None:
    assert str(one_range) == text


# Relative dates, counted from a day given as today.

ANY_TODAY = st.dates(min_value=date(3, 1, 1), max_value=date(9998, 12, 1))
UNITS = ("week", "month", "year")


@given(ANY_TODAY, st.integers(min_value=0, max_value=700))
def test_n_days_ago_is_today_minus_n_days(today: date, n: int) -> None:
    then = today - timedelta(days=n)
    assert relative_range(f"{n} days ago", today) == Range(then, then)
    assert relative_range(f" {n}  Days   AGO ", today) == Range(then, then)


@given(ANY_TODAY)
def test_today_and_yesterday_are_one_day(today: date) -> None:
    assert relative_range("today", today) == Range(today, today)
    assert relative_range("0 days ago", today) == Range(today, today)
    yesterday = today - timedelta(days=1)
    assert relative_range("Yesterday", today) == Range(yesterday, yesterday)
    assert relative_range("1 day ago", today) == Range(yesterday, yesterday)


@given(ANY_TODAY)
def test_this_week_is_the_iso_week_monday_to_sunday_holding_today(today: date) -> None:
    week = relative_range("this week", today)
    assert week is not None and week.start is not None and week.end is not None
    assert week.start.weekday() == 0 and week.end - week.start == timedelta(days=6)
    assert today in week
    assert week.start.isocalendar()[:2] == today.isocalendar()[:2]


@given(ANY_TODAY, st.sampled_from(["week", "month", "year"]))
def test_last_period_is_the_whole_one_before_this_one(today: date, unit: str) -> None:
    this = relative_range(f"this {unit}", today)
    last = relative_range(f"last {unit}", today)
    assert this is not None and last is not None
    assert this.start is not None and last.start is not None and last.end is not None
    assert today in this
    assert last.end == this.start - timedelta(days=1)
    # the whole period before: a year or month starts on its first day, a week on a Monday
    if unit == "week":
        assert last.start == this.start - timedelta(days=7)
    else:
        assert last.start == period_of(last.end, unit).start  # type: ignore[arg-type]
        assert this == Range(*period_of(today, unit)[:2])  # type: ignore[arg-type]


@given(st.text(max_size=20), ANY_TODAY)
def test_a_text_is_a_relative_date_only_in_the_words_it_knows(text: str, today: date) -> None:
    words = " ".join(text.split()).casefold()
    known = {"today", "yesterday"} | {f"{w} {u}" for w in ("this", "last") for u in UNITS}
    expected = words in known or re.fullmatch(r"[0-9]+ days? ago", words) is not None
    assert (relative_range(text, today) is not None) is expected


def test_a_relative_date_out_of_the_calendar_says_so() -> None:
    with pytest.raises(DateError, match="'last year' is out of the years 1 to 9999"):
        relative_range("last year", date(1, 6, 1))
    with pytest.raises(DateError, match="out of the years"):
        relative_range("800000 days ago", date(2016, 1, 1))


def test_user_dates_count_from_today_in_spans_and_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "today", lambda: date(2016, 3, 16))  # a Wednesday
    assert parse_span("this week") == Range(date(2016, 3, 14), date(2016, 3, 20))
    assert parse_span("2016-02") == Range(date(2016, 2, 1), date(2016, 2, 29))
    assert parse_range("last month..today") == Range(date(2016, 2, 1), date(2016, 3, 16))
    assert parse_range("2016..yesterday") == Range(date(2016, 1, 1), date(2016, 3, 15))
    with pytest.raises(DateError, match=r"'soon' is not a date: use YYYY, .* N days ago"):
        parse_span("soon")
