"""Partial dates: a year, a month or a day, written padded or not; and the relative dates a
user may give instead (today, last month, 3 days ago)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal, NamedTuple

Precision = Literal["year", "month", "day"]

# Patterns of dates a user gives, compiled by re on first use (and kept in its cache): most
# starts read none, and compiling them costs each start half a millisecond.
_PERIOD = r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?"
_DAYS_AGO = r"([0-9]+) days? ago"
WHAT_DATES_ARE = (
    "use YYYY, YYYY-MM, YYYY-MM-DD, today, yesterday, this or last week|month|year, N days ago"
)


class DateError(ValueError):
    """A date that cannot be read or does not exist."""


class Period(NamedTuple):
    """A whole year, month or day, as the inclusive range of days it covers."""

    start: date  # first day of the period
    end: date  # last day of the period
    precision: Precision  # how much of the date was given

    def __str__(self) -> str:
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def make_date(year: int, month: int, day: int) -> date:
    """Return the date, or raise DateError naming what is wrong with it."""
    try:
        return date(year, month, day)  # the common case, fast; the checks below say why not
    except ValueError:
        pass
    if not 1 <= year <= 9999:
        raise DateError(f"year {year} is out of range")
    if not 1 <= month <= 12:
        raise DateError(f"month {month} does not exist")
    raise DateError(f"{year:04d}-{month:02d} has no day {day}")  # the year and month exist


def _month_days(year: int, month: int) -> int:
    import calendar  # only when it is needed: start-up counts

    return calendar.monthrange(year, month)[1]


def parse_period(text: str) -> Period:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (month and day padded or not)."""
    match = re.fullmatch(_PERIOD, text.strip())
    if match is None:
        raise DateError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        return _period(*match.groups())
    except DateError as error:
        raise DateError(f"{text.strip()!r} is not a real date: {error}") from None


def _period(year_s: str, month_s: str | None, day_s: str | None) -> Period:
    year = int(year_s)
    if month_s is None:
        return Period(make_date(year, 1, 1), make_date(year, 12, 31), "year")
    month = int(month_s)
    if day_s is None:
        first = make_date(year, month, 1)
        last = _month_days(year, month)
        return Period(first, first.replace(day=last), "month")
    day = make_date(year, month, int(day_s))
    return Period(day, day, "day")


def period_of(day: date, precision: Precision) -> Period:
    """The whole year, month or day that a date of that precision stands for."""
    if precision == "year":
        return _period(f"{day.year}", None, None)
    if precision == "month":
        return _period(f"{day.year}", f"{day.month}", None)
    return Period(day, day, "day")


class Range(NamedTuple):
    """Days from start to end, both included; None leaves that side open."""

    start: date | None
    end: date | None

    def __str__(self) -> str:
        if self.start == self.end and self.start is not None:
            return self.start.isoformat()
        first = self.start.isoformat() if self.start else "…"
        last = self.end.isoformat() if self.end else "…"
        return f"{first} to {last}"

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def intersect(self, other: Range) -> Range:
        """The days both ranges hold."""
        starts = [day for day in (self.start, other.start) if day is not None]
        ends = [day for day in (self.end, other.end) if day is not None]
        return Range(max(starts, default=None), min(ends, default=None))


def today() -> date:
    """Today in the local time zone: the day relative dates count from."""
    return date.today()


def relative_range(text: str, day: date) -> Range | None:
    """The days a relative date covers, counted from ``day`` (today): ``today``, ``yesterday``,
    ``N days ago``, ``this week|month|year`` (the whole of it, days to come included),
    ``last week|month|year`` (the whole one before). A week is an ISO week, Monday to Sunday.
    Case and spacing do not matter. None when the text is no relative date; DateError when
    it names a day before year 1 or after 9999."""
    words = " ".join(text.split()).casefold()
    try:
        return _relative(words, day)
    except (OverflowError, ValueError, DateError):
        raise DateError(f"{text.strip()!r} is out of the years 1 to 9999") from None


def _relative(words: str, day: date) -> Range | None:
    ago = re.fullmatch(_DAYS_AGO, words)
    if ago is not None or words in ("today", "yesterday"):
        back = int(ago.group(1)) if ago else int(words == "yesterday")
        then = day - timedelta(days=back)
        return Range(then, then)
    which, _, unit = words.partition(" ")
    if which not in ("this", "last") or unit not in ("week", "month", "year"):
        return None
    if unit == "week":
        monday = day - timedelta(days=day.weekday() + (7 if which == "last" else 0))
        return Range(monday, monday + timedelta(days=6))
    precision: Precision = "month" if unit == "month" else "year"
    if which == "last":  # a day of the month or year before: the last day before this one
        day = period_of(day, precision).start - timedelta(days=1)
    period = period_of(day, precision)
    return Range(period.start, period.end)


def parse_span(text: str) -> Range:
    """The days a date given by a user covers: a period (``2016``, ``2016-03``,
    ``2016-03-14``) or a relative date (see relative_range), counted from today."""
    relative = relative_range(text, today())
    if relative is not None:
        return relative
    if re.fullmatch(_PERIOD, text.strip()) is None:
        raise DateError(f"{text!r} is not a date: {WHAT_DATES_ARE}")
    period = parse_period(text)
    return Range(period.start, period.end)


def parse_range(text: str) -> Range:
    """A period, a relative date or a range of them: ``2016``, ``last month``,
    ``2016-03..2016-06``, ``..2014``, ``2010..``, ``2016..today``.

    Each end includes its whole period: ``..2014-04`` reaches April 30.
    """
    if ".." not in text:
        return parse_span(text)
    first, _, last = text.partition("..")
    if not first.strip() and not last.strip():
        raise DateError(f"{text!r} is not a range: give at least one end (2010.., ..2014)")
    start = parse_span(first).start if first.strip() else None
    end = parse_span(last).end if last.strip() else None
    if start and end and start > end:
        raise DateError(f"{text!r} ends before it starts")
    return Range(start, end)


def parse_month_day(text: str) -> tuple[int, int]:
    """``MM-DD`` (padded or not) for "on this day": any day that exists in some year."""
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", text.strip())
    if match is None:
        raise DateError(f"{text!r} is not a day of the year: use MM-DD")
    month, day = int(match.group(1)), int(match.group(2))
    try:
        date(2000, month, day)  # a leap year, so that 02-29 is a day of the year
    except ValueError:
        if not 1 <= month <= 12:
            raise DateError(f"month {month} does not exist") from None
        raise DateError(f"{_MONTH_NAMES[month - 1]} has no day {day}") from None
    return month, day


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
