"""The corpus: merge what the files say into events, one per id, and index them."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar, runtime_checkable

from spacenews.dates import period_of
from spacenews.model import (
    Document,
    Event,
    EventRecord,
    EventText,
    Mention,
    Problem,
    Related,
    Source,
    Translation,
    translated,
)
from spacenews.text import fold

if TYPE_CHECKING:
    from spacenews.entities import AliasTable, Finder, Gazetteer
    from spacenews.index.view import View

# Trying a regex at one place costs about as much as a search running over this many characters.
PLACES_PER_SCAN = 30
Progress = Callable[[str, int, int], None]  # (what is being done, how much is done, of how much)
T_co = TypeVar("T_co", covariant=True)


class CorpusError(Exception):
    """A corpus path that cannot be used at all (it does not exist)."""


class Index(NamedTuple):
    """What the filters read, one entry per event in the corpus's order. It is kept apart from
    the events (and kept in the database) so that a filter need not rebuild a single event."""

    days: list[int]  # each event's day, as a proleptic ordinal
    text: str  # each event's headline, body and source titles, a NUL between any two texts
    starts: list[int]  # where each event's texts start in text
    ties: dict[str, list[int]]  # folded entity name -> the events the corpus ties it to

    def holder(self, place: int) -> int:
        """The position of the event whose texts hold this place of the text."""
        return bisect_right(self.starts, place) - 1

    def texts(self, position: int) -> str:
        """The texts of the event at position (see event_parts), a NUL between any two."""
        starts = self.starts
        end = starts[position + 1] - 1 if position + 1 < len(starts) else len(self.text)
        return self.text[starts[position] : end]


class StoredJson(Protocol):
    """The JSON of every event, kept ready (by the database)."""

    def views(self, positions: Iterable[int]) -> list[memoryview]:
        """The JSON of the events at these positions."""
        ...


@runtime_checkable
class StoredItems(Protocol[T_co]):
    """Items kept in the database, each built when looked at: a pass over many of them builds
    each afresh rather than keep it, and lets go of what it read as it goes."""

    def at_positions(self, positions: Iterable[int]) -> Iterator[T_co]:
        """The items at these positions, which ascend, one after another."""
        ...


class Names(NamedTuple):
    """What the gazetteer of a corpus is built from, besides the alias tables."""

    names: list[str]  # every entity name of the events, then every tag of the documents
    acronyms: list[tuple[str, str]]  # the (long name, acronym) pairs the texts define


class Corpus:
    """Every event and document of the corpus, with the indexes the queries need.

    The events come in date order. They may be any sequence: the database hands in a lazy
    one that builds each event when it is looked at, and a view that reads the index, the
    names, the documents, the mentions and the JSON of the events when first asked for.
    """

    def __init__(
        self,
        events: Sequence[Event],
        documents: Sequence[Document] = (),
        problems: Iterable[Problem] = (),
        alias_tables: Iterable[AliasTable] = (),
    ) -> None:
        self.events = events
        self._documents: Sequence[Document] | None = documents
        self._view: View | None = None
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.notices: tuple[str, ...] = ()  # what the user should know of the load itself
        self._alias_tables = tuple(alias_tables)
        self._index: Index | None = None
        self._days: list[int] | None = None
        self._names: Names | None = None
        self._encoded: StoredJson | None = None
        self._texts: Callable[[], Iterable[EventText]] | None = None
        self._gazetteer: Gazetteer | None = None
        self._mentions: tuple[Mention, ...] | None = None
        self._spellings: dict[str, str] = {}  # folded name -> the spelling first seen
        self._folded: str | None = None  # the index text, as fold_case gives it
        # The events each name finds (query.Relation.positions), by its names and pattern: a
        # command that found nothing asks again which events name it (known.unheard_of).
        self.found: dict[tuple[object, ...], set[int]] = {}

    @classmethod
    def of_view(cls, view: View, alias_tables: Iterable[AliasTable] = ()) -> Corpus:
        """The corpus the database holds: its events, documents, index, names, texts and
        JSON are read from it when first asked for."""
        from spacenews.index.view import Events

        corpus = cls(Events(view), (), view.problems(), alias_tables)
        corpus._view = corpus._encoded = view
        corpus._documents = None
        corpus._days = view.days
        corpus._texts = view.texts
        return corpus

    @property
    def view(self) -> View | None:
        """The database the corpus is read from, if any."""
        return self._view

    @property
    def documents(self) -> Sequence[Document]:
        """Every document, in the order of the files."""
        if self._documents is None:
            assert self._view is not None
            self._documents = self._view.documents()
        return self._documents

    @property
    def index(self) -> Index:
        """The filters' view of the events, made on first use."""
        if self._index is None:
            view = self._view
            self._index = view.index() if view else index_of(self.events, self.days)
        return self._index

    @property
    def days(self) -> list[int]:
        """Each event's day, as a proleptic ordinal: all that a date filter needs, without
        the rest of the index."""
        if self._days is None:
            self._days = [event.date.toordinal() for event in self.events]
        return self._days

    @property
    def names(self) -> Names:
        """What the gazetteer is built from, gathered on first use."""
        if self._names is None:
            view = self._view
            self._names = view.names() if view else names_of(self.events, self.documents)
        return self._names

    @property
    def mentions(self) -> tuple[Mention, ...]:
        """Every dated mention of the documents, in date order."""
        if self._mentions is None:
            if self._view is not None:
                self._mentions = tuple(self._view.mentions())
            else:
                found = (m for document in self.documents for m in document.mentions)
                self._mentions = tuple(sorted(found, key=lambda m: m.date))
        return self._mentions

    def span(self, start: date | None, end: date | None) -> range:
        """The positions of the events from start to end, both included; None leaves that
        side open."""
        days = self.days
        low = 0 if start is None else bisect_left(days, start.toordinal())
        high = len(days) if end is None else bisect_right(days, end.toordinal())
        return range(low, high)

    def events_at(self, positions: Iterable[int]) -> Iterator[Event]:
        """The events at these positions, which ascend: from the database, in a pass (see
        StoredItems), for a command that reads many of them once."""
        events = self.events
        if isinstance(events, StoredItems):
            return events.at_positions(positions)
        return map(events.__getitem__, positions)

    def encode(self, positions: Sequence[int]) -> Iterator[bytes | memoryview]:
        """The JSON of the events at these positions, made a block at a time: a long answer
        never stands in memory whole."""
        from spacenews.jsonbytes import BLOCK, encode_each

        if self._encoded is None:
            yield from encode_each(positions, lambda position: self.events[position].to_dict())
            return
        for low in range(0, len(positions), BLOCK):
            block = positions[low : low + BLOCK]
            yield from self._encoded.views(block)

    def event_texts(self) -> Iterable[EventText]:
        """Each event's id, date, headline, body and entities, in order: from the database,
        without building the events."""
        if self._texts is not None:
            return self._texts()
        return (
            EventText(e.id, e.date, e.headline, e.body, e.names or e.entities, translated(e))
            for e in self.events
        )

    def naming(self, finder: Finder) -> set[int]:
        """The positions of the events whose headline, body or source titles the finder
        matches in.

        Plain string searches find where a match could start; the regex is tried there
        only. When that would mean trying it at very many places, one regex search over the
        whole index text is quicker, and gives the same answer."""
        index = self.index
        text, starts = index.text, index.starts
        places = _places(text, finder.exact)
        if places is not None and finder.folded:
            folded = self._folded_text()
            more = None if folded is None else _places(folded, finder.folded)
            places = None if more is None else places + more
        found: set[int] = set()
        if places is None or len(places) > len(text) // PLACES_PER_SCAN:
            search = finder.pattern.search
            match = search(text)
            while match is not None:
                position = index.holder(match.start())
                found.add(position)
                if position + 1 == len(starts):
                    break
                match = search(text, starts[position + 1])  # the next event's texts
            return found
        attempt = finder.pattern.match
        for place in sorted(places):
            position = index.holder(place)
            if position not in found and attempt(text, place):
                found.add(position)
        return found

    def _folded_text(self) -> str | None:
        if self._folded is None:
            from spacenews.text import fold_case

            self._folded = fold_case(self.index.text) or ""
        return self._folded if len(self._folded) == len(self.index.text) else None

    def mentions_within(self, start: date | None, end: date | None) -> list[Mention]:
        """Dated mentions whose whole period lies from start to end."""
        if self._view is not None:
            return self._view.mentions(start, end)
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

            names, acronyms = self.names
            self._gazetteer = build_gazetteer(self._alias_tables, names, acronyms)
        return self._gazetteer

    def gazetteer_for(self, name: str) -> Gazetteer:
        """A gazetteer that knows a name as the corpus's does: its canonical form, aliases
        and parts. From the database, without gathering every name of the corpus: only the
        alias tables, the acronyms the texts define, and the first spelling of that name."""
        view = self._view
        if self._gazetteer is not None or view is None:
            return self.gazetteer
        from spacenews.entities import build_gazetteer

        spelling = view.spelling(fold(name))
        spellings = [] if spelling is None else [spelling]
        gazetteer = build_gazetteer(self._alias_tables, spellings, view.acronyms())
        if gazetteer.resolve(name) is None:  # perhaps typed without its diacritics
            for spelling in view.bare_spellings(name):
                gazetteer.add(spelling)
        return gazetteer

    def entity_names(self) -> dict[str, str]:
        """Every entity name the events carry, keyed by its folded form: the first spelling."""
        if not self._spellings:
            lists = (
                self._view.entity_lists()
                if self._view
                else (e.names or e.entities for e in self.events)
            )
            for entities in lists:
                for name in entities:
                    self._spellings.setdefault(fold(name), name)
        return dict(self._spellings)


def _places(text: str, words: Iterable[str]) -> list[int] | None:
    """Where each word stands in the text; None when there are too many places to bother."""
    places: list[int] = []
    limit = len(text) // PLACES_PER_SCAN
    for word in words:
        if not word or text.count(word) > limit:
            return None
        find = text.find
        place = find(word)
        while place != -1:
            places.append(place)
            place = find(word, place + 1)
    return places


def index_of(events: Iterable[Event], days: list[int]) -> Index:
    """The index of events in their order, whose days are given."""
    rows = ((day, event_parts(e), e.ties) for day, e in zip(days, events, strict=True))
    return index_rows(rows)


def event_parts(event: Event) -> list[str]:
    """An event's texts in the index, which joins them with a NUL between: its headline, body
    and source titles."""
    return [event.headline, event.body, *(source.title for source in event.sources)]


def index_rows(rows: Iterable[tuple[int, Sequence[str], Iterable[tuple[str, str]]]]) -> Index:
    """The index of events given as rows: each one's day (an ordinal), texts (see event_parts:
    the parts, or the whole joined with a NUL between) and ties."""
    days: list[int] = []
    # Joined once from every event's parts: joining event by event would hold a string per
    # event beside the whole until it was made.
    parts: list[str] = []
    starts: list[int] = []
    ties: dict[str, list[int]] = {}
    offset = 0
    for position, (day, texts, tied) in enumerate(rows):
        days.append(day)
        parts += texts
        starts.append(offset)
        offset += sum(map(len, texts)) + len(texts)
        for name, _ in tied:
            found = ties.setdefault(name, [])
            if not found or found[-1] != position:
                found.append(position)
    return Index(days, "\0".join(parts), starts, ties)


def names_of(events: Iterable[Event], documents: Iterable[Document]) -> Names:
    """What the gazetteer of these events and documents is built from."""
    return names_from(
        ((event.names or event.entities, event.headline) for event in events),
        ((d.tags, [p.text for p in d.paragraphs]) for d in documents),
    )


def names_from(
    events: Iterable[tuple[Sequence[str], str]],
    documents: Iterable[tuple[Sequence[str], Sequence[str]]],
) -> Names:
    """What the gazetteer is built from, the events given as their entities and headline,
    and the documents as their tags and the texts of their paragraphs."""
    from spacenews.entities import defined_acronyms

    names: list[str] = []
    texts: list[str] = []
    for entities, headline in events:
        names += entities
        texts.append(headline)
    for tags, paragraphs in documents:
        names += tags
        texts += paragraphs
    return Names(list(dict.fromkeys(names)), defined_acronyms(texts))


def merge(key: str, records: list[EventRecord]) -> Event:
    """One event keeping everything each record said of it: the day, headline, date source,
    end date and publication date of the first record with a body, sources or links (else
    of the first record), the first story given,
    the longest body (the first of them; of the English ones, when the bodies differ and one
    is in English: a site may tell an event in two languages), and each source, entity, link,
    file and tie once, in the order the records give them (entities are the same when fold
    says so).

    When the records come from pages in several languages (translations of one page), the
    main text is that of the English pages if any, else of the first language met; each
    other language gives a translation: its first record's headline, body and file."""
    # One pass over the records: this runs for every event of the corpus.
    main = None
    body = story = ""
    others: list[str] = []  # the other bodies, when they differ
    sources: dict[str, Source] = {}
    entities: dict[str, str] = {}
    related: dict[str, Related] = {}
    documents: dict[str, None] = {}
    ties: dict[tuple[str, str], None] = {}
    language = _main_language(records)
    translations: dict[str, Translation] = {}
    for record in records:
        if language and record.lang and record.lang != language:
            if record.lang not in translations:
                translations[record.lang] = Translation(
                    record.lang, record.headline, record.body, record.document
                )
        else:
            if main is None and (record.body or record.sources or record.related):
                main = record
            if record.story and not story:
                story = record.story
            if record.body and record.body != body:
                if not body:
                    body = record.body
                elif record.body not in others:
                    others.append(record.body)
        for source in record.sources:
            sources.setdefault(source.url, source)
        known = _TIED.get(record.via) or _TIED.setdefault(record.via, {})
        for name in record.entities:
            tie = known.get(name)
            if tie is None:
                tie = known[name] = (fold(name), record.via)
            entities.setdefault(tie[0], name)
            ties[tie] = None
        for link in record.related:
            related.setdefault(link.id, link)
        if record.document:
            documents[record.document] = None
    main = main or next(r for r in records if not language or r.lang in ("", language))
    return Event(
        key,
        main.date,
        main.headline,
        _body(body, others) if others else body,
        tuple(sources.values()),
        tuple(entities.values()),
        tuple(related.values()),
        tuple(documents),
        main.date_source,
        tuple(ties),
        story,
        end_date=main.end_date,
        published=main.published,
        translations=tuple(translations.values()),
    )


def _main_language(records: list[EventRecord]) -> str:
    """The language of an event's main text, when its records come from pages in several
    languages: English if one is, else the first met; "" when they are not."""
    found = dict.fromkeys(record.lang for record in records if record.lang)
    if len(found) < 2:
        return ""
    return "en" if "en" in found else next(iter(found))


def _body(first: str, others: list[str]) -> str:
    """The longest of different bodies (the first of them), of the English ones if any is."""
    from spacenews.prose import language

    bodies = [first, *others]
    english = [body for body in bodies if language(body) == "en"]
    return max(english or bodies, key=len)


# Few names, tied in two ways, come back event after event: each (folded name, how it is
# tied) pair is made once, and found from the name as written and the way.
_TIED: dict[str, dict[str, tuple[str, str]]] = {}  # way -> name as written -> its pair
