"""The timeline: the events (and dated mentions) a query selects, in date order, and their
counts by period."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any, NamedTuple, overload

from spacenews.corpus import Corpus
from spacenews.dates import Precision
from spacenews.model import Event
from spacenews.query import Mentioned, Query, Relation, mentioned

PASS_BLOCK = 1000  # events a Selection builds at a time when iterated


class Selection(Sequence["Event | Mentioned"]):
    """The items of a timeline, in order. Its events stay in the corpus, by position, until
    they are looked at: JSON output takes their encoded form from the corpus instead."""

    def __init__(
        self, corpus: Corpus, entries: list[int | Mentioned], matched: int | None = None
    ) -> None:
        self._corpus = corpus
        self._entries = entries
        self.matched = len(entries) if matched is None else matched  # before any --limit

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, position: int) -> Event | Mentioned: ...

    @overload
    def __getitem__(self, position: slice) -> list[Event | Mentioned]: ...

    def __getitem__(self, position: int | slice) -> Event | Mentioned | list[Event | Mentioned]:
        if isinstance(position, slice):
            return [self._item(entry) for entry in self._entries[position]]
        return self._item(self._entries[position])

    def __iter__(self) -> Iterator[Event | Mentioned]:
        """The items in order, their events built a block at a time in a pass (see
        Corpus.events_at) and not kept: a long timeline never stands in memory whole."""
        for low in range(0, len(self._entries), PASS_BLOCK):
            block = self._entries[low : low + PASS_BLOCK]
            positions = sorted(entry for entry in block if isinstance(entry, int))
            built = dict(zip(positions, self._corpus.events_at(positions), strict=True))
            for entry in block:
                yield built[entry] if isinstance(entry, int) else entry

    def _item(self, entry: int | Mentioned) -> Event | Mentioned:
        return self._corpus.events[entry] if isinstance(entry, int) else entry

    def dates(self, by: str = "year") -> list[date]:
        """The date of each item that lies whole in one period of a chart by year, month or
        decade: by month, a mention of a whole year is in none ("in 2003" is not January's)."""
        days = self._corpus.days
        return [
            date.fromordinal(days[entry]) if isinstance(entry, int) else entry.date
            for entry in self._entries
            if isinstance(entry, int) or by != "month" or entry.mention.precision != "year"
        ]

    def precisions(self) -> set[Precision]:
        """How precise the items' dates are: to the day for an event, as a mention says."""
        return {
            "day" if isinstance(entry, int) else entry.mention.precision for entry in self._entries
        }

    def encode(self) -> Iterator[bytes | memoryview]:
        """The JSON of each item."""
        from spacenews.jsonbytes import encode

        events = self._corpus.encode([e for e in self._entries if isinstance(e, int)])
        for entry in self._entries:
            yield next(events) if isinstance(entry, int) else encode(entry.to_dict())


def select(corpus: Corpus, query: Query) -> Selection:
    """Events (and, if asked, dated mentions) in date order that satisfy every filter."""
    days = corpus.days

    def day(entry: int | Mentioned) -> int:
        return days[entry] if isinstance(entry, int) else entry.date.toordinal()

    entries: list[int | Mentioned] = list(corpus.span(query.start, query.end))
    if query.mentions:
        entries += [mentioned(corpus, m) for m in corpus.mentions_within(query.start, query.end)]
        entries.sort(key=day)
    if query.on is not None:
        entries = [
            entry
            for entry in entries
            if _month_day(date.fromordinal(day(entry))) == query.on
            and (isinstance(entry, int) or entry.mention.precision == "day")
        ]
    if query.entity is not None:
        relation = Relation(corpus, query.entity)
        matching = relation.positions(corpus)
        entries = [
            entry
            for entry in entries
            if (
                entry in matching
                if isinstance(entry, int)
                else relation.names_in(entry.mention.snippet)
            )
        ]
    if query.reverse:
        entries.reverse()
    shown = entries if query.limit is None else entries[: query.limit]
    return Selection(corpus, shown, len(entries))


def _month_day(day: date) -> tuple[int, int]:
    return day.month, day.day


def timeline(corpus: Corpus, query: Query) -> list[Event | Mentioned]:
    """Events (and, if asked, dated mentions) in date order that satisfy every filter."""
    return list(select(corpus, query))


def events(corpus: Corpus, query: Query) -> list[Event]:
    """The events alone of a timeline."""
    return [item for item in timeline(corpus, query) if isinstance(item, Event)]


class Count(NamedTuple):
    """How many items fall in one period of a chart."""

    period: str  # "2016", "2016-03" or "2010s"
    total: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of a count."""
        return {"period": self.period, "count": self.total}


def counts(
    dates: Iterable[date], by: str, start: date | None = None, end: date | None = None
) -> list[Count]:
    """Items per year, month or decade (given their dates), empty periods included: from the
    period of start (else of the first item) to that of end (else of the last item); none
    when there is no item and a side is open."""
    days = sorted(dates)
    first, last = start or (days[0] if days else None), end or (days[-1] if days else None)
    if first is None or last is None:
        return []
    found = Counter(_period_key(day, by) for day in days)
    keys = _period_keys(first, last, by)
    return [Count(_period_label(key, by), found.get(key, 0)) for key in keys]


def chart(corpus: Corpus, query: Query, by: str) -> list[Count]:
    """The items of a timeline per year, month or decade over the query's period (see
    counts); its order and limit apply to the periods: reverse puts the newest first, limit
    keeps that many periods."""
    dates = select(corpus, query._replace(limit=None, reverse=False)).dates(by)
    found = counts(dates, by, query.start, query.end)
    if query.reverse:
        found.reverse()
    return found[: query.limit]


def _period_key(day: date, by: str) -> tuple[int, int]:
    if by == "month":
        return day.year, day.month
    return (day.year // 10 * 10 if by == "decade" else day.year), 0


def _period_keys(first: date, last: date, by: str) -> list[tuple[int, int]]:
    start, end = _period_key(first, by), _period_key(last, by)
    if by == "month":
        months = range(start[0] * 12 + start[1] - 1, end[0] * 12 + end[1])
        return [(index // 12, index % 12 + 1) for index in months]
    step = 10 if by == "decade" else 1
    return [(year, 0) for year in range(start[0], end[0] + 1, step)]


def _period_label(key: tuple[int, int], by: str) -> str:
    if by == "month":
        return f"{key[0]:04d}-{key[1]:02d}"
    return f"{key[0]:04d}" + ("s" if by == "decade" else "")
