"""The corpus: merge what the files say into events, one per id, and index them."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from spacenews.dates import period_of
from spacenews.model import Document, Event, EventRecord, Mention, Problem, event_id, link_record
from spacenews.parse import Parsed
from spacenews.text import fold

if TYPE_CHECKING:
    from spacenews.entities import AliasTable, Gazetteer

T = TypeVar("T")


class CorpusError(Exception):
    """A corpus path that cannot be used at all (it does not exist)."""


class Corpus:
    """Every event and document of the corpus, with the indexes the queries need."""

    def __init__(
        self,
        events: Iterable[Event],
        documents: Iterable[Document] = (),
        problems: Iterable[Problem] = (),
        alias_tables: Iterable[AliasTable] = (),
    ) -> None:
        self.events: tuple[Event, ...] = tuple(sorted(events, key=_event_order))
        self.documents: tuple[Document, ...] = tuple(documents)
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.mentions: tuple[Mention, ...] = tuple(
            sorted((m for d in self.documents for m in d.mentions), key=lambda m: m.date)
        )
        self._alias_tables = tuple(alias_tables)
        self.notices: tuple[str, ...] = ()  # what the user should know of the load itself
        self._gazetteer: Gazetteer | None = None
        self._dates = [event.date for event in self.events]
        self._names: dict[str, str] = {}  # folded name -> the spelling first seen, on first use

    def between(self, start: date | None, end: date | None) -> list[Event]:
        """Events from start to end, both included; None leaves that side open."""
        low = 0 if start is None else bisect_left(self._dates, start)
        high = len(self._dates) if end is None else bisect_right(self._dates, end)
        return list(self.events[low:high])

    def mentions_within(self, start: date | None, end: date | None) -> list[Mention]:
        """Dated mentions whose whole period lies from start to end."""
        return [
            mention
            for mention in self.mentions
            if (start is None or mention.date >= start)
            and (end is None or period_of(mention.date, mention.precision).end <= end)
        ]

    @property
    def gazetteer(self) -> Gazetteer:
        """Every entity the corpus knows of, built on first use: plain listings never need it."""
        if self._gazetteer is None:
            from spacenews.entities import build_gazetteer

            names = [name for event in self.events for name in event.entities]
            names += [tag for document in self.documents for tag in document.tags]
            texts = [event.headline for event in self.events]
            texts += [p.text for document in self.documents for p in document.paragraphs]
            self._gazetteer = build_gazetteer(self._alias_tables, names, texts)
        return self._gazetteer

    def entity_names(self) -> dict[str, str]:
        """Every entity name the events carry, keyed by its folded form: the first spelling."""
        if not self._names:
            for event in self.events:
                for name in event.entities:
                    self._names.setdefault(fold(name), name)
        return dict(self._names)


def build(results: Iterable[Parsed], alias_tables: Iterable[AliasTable] = ()) -> Corpus:
    """Merge the records of every file into events, one per id."""
    groups: dict[str, list[EventRecord]] = {}
    documents: list[Document] = []
    problems: list[Problem] = []
    for result in results:
        for record in result.records:
            groups.setdefault(event_id(record.date, record.headline), []).append(record)
            for link in record.related:
                groups.setdefault(link.id, []).append(link_record(link, record.document))
        documents.extend(result.documents)
        problems.extend(result.problems)
    events = (merge(key, records) for key, records in groups.items())
    return Corpus(events, documents, problems, alias_tables)


def merge(key: str, records: list[EventRecord]) -> Event:
    """One event keeping everything each record said of it."""
    if len(records) == 1:
        return _single(key, records[0])
    main = next((r for r in records if r.body or r.sources or r.related), records[0])
    return Event(
        id=key,
        date=main.date,
        headline=main.headline,
        body=max((r.body for r in records), key=len),
        sources=_unique(records, lambda r: r.sources, lambda s: s.url),
        entities=_unique(records, lambda r: r.entities, fold),
        related=_unique(records, lambda r: r.related, lambda link: link.id),
        documents=tuple(dict.fromkeys(r.document for r in records if r.document)),
        date_source=main.date_source,
        ties=tuple(dict.fromkeys((fold(name), r.via) for r in records for name in r.entities)),
    )


def _single(key: str, record: EventRecord) -> Event:
    # Most events are told in one place only: the general merge is not needed, and skipping
    # it is felt at scale. Each field is the general merge's answer when nothing repeats.
    folded = [fold(name) for name in record.entities]
    sources, related = record.sources, record.related
    return Event(
        id=key,
        date=record.date,
        headline=record.headline,
        body=record.body,
        sources=tuple(sources)
        if len({source.url for source in sources}) == len(sources)
        else _unique([record], lambda r: r.sources, lambda source: source.url),
        entities=tuple(record.entities)
        if len(set(folded)) == len(folded)
        else _unique([record], lambda r: r.entities, fold),
        related=tuple(related)
        if len({link.id for link in related}) == len(related)
        else _unique([record], lambda r: r.related, lambda link: link.id),
        documents=(record.document,) if record.document else (),
        date_source=record.date_source,
        ties=tuple((name, record.via) for name in dict.fromkeys(folded)),
    )


def _unique(
    records: list[EventRecord],
    items: Callable[[EventRecord], Iterable[T]],
    key: Callable[[T], object],
) -> tuple[T, ...]:
    seen: dict[object, T] = {}
    for record in records:
        for item in items(record):
            seen.setdefault(key(item), item)
    return tuple(seen.values())


def _event_order(event: Event) -> tuple[date, str, str]:
    return event.date, event.headline.casefold(), event.id
