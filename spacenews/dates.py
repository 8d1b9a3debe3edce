"""Partial dates: a year, a month or a day, written padded or not."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Precision = Literal["year", "month", "day"]

_PERIOD = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


class DateError(ValueError):
    """A date that cannot be read or does not exist."""


@dataclass(frozen=True, slots=True)
class Period:
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
    if not 1 <= year <= 9999:
        raise DateError(f"year {year} is out of range")
    if not 1 <= month <= 12:
        raise DateError(f"month {month} does not exist")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(f"{year:04d}-{month:02d} has no day {day}")
    return date(year, month, day)


def parse_period(text: str) -> Period:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (month and day padded or not)."""
    match = _PERIOD.fullmatch(text.strip())
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
        last = calendar.monthrange(year, month)[1]
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


def parse_day(text: str) -> date:
    """Parse a full date, padded or not (``2003-06-2``)."""
    period = parse_period(text)
    if period.precision != "day":
        raise DateError(f"{text!r} is not a full date (YYYY-MM-DD)")
    return period.start
