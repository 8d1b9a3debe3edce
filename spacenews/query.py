"""The questions the commands ask: one query value, and pure functions over the corpus: what
relates to an entity, search, and dated mentions (the timeline itself is in listing)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from spacenews.corpus import Corpus
from spacenews.dates import DateError, Range, parse_month_day, parse_range, parse_span
from spacenews.model import Document, Event, Mention, english_first
from spacenews.text import fold

if TYPE_CHECKING:
    from spacenews.index.view import View
    from spacenews.search import Result

TIE_SCORE = 3.0  # the corpus itself says the entity belongs to the event (context, tag)
MENTION_SCORE = 1.0  # the text names the entity
TITLE_SCORE = 1.0  # ... in the headline or title
REPEAT_SCORE = 0.25  # each further naming, up to REPEAT_CAP of them
REPEAT_CAP = 8

T = TypeVar("T")


class Query(NamedTuple):
    """Which events a timeline lists, and in which order."""

    start: date | None = None  # earliest day included; None for no lower bound
    end: date | None = None  # latest day included; None for no upper bound
    entity: str | None = None  # only events tied to this entity, its aliases or its parts
    limit: int | None = None  # at most this many items, counted after ordering
    reverse: bool = False  # newest first
    mentions: bool = False  # also list the dates that prose pages mention
    on: tuple[int, int] | None = None  # (month, day): only that day of the year, any year
    sort: str = "score"  # ranked results (search, related): "score", best first, or "date"


EVERYTHING = Query()  # no filter


class QueryError(ValueError):
    """A filter of a query, given as text, that cannot be: ``what`` says which one (period,
    start, end, on; range when the start comes after the end; apart when the period and
    the start or end share no day) and ``reason`` why."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(f"{what}: {reason}")
        self.what, self.reason = what, reason


def parse_query(
    period: str | None = None,
    start: str | None = None,
    end: str | None = None,
    *,
    on: str | None = None,
    **filters: Any,
) -> Query:
    """The query that dates written as text describe: a period or range (``2016``,
    ``2010..2014``, ``last month``), a start and an end period or relative date (each included
    whole: ``start="this week"`` starts on its Monday), ``on`` a day of the year
    (``03-14``); the other filters as Query takes them. Raises QueryError."""
    wanted = parse_filter(parse_range, period, "period") if period else Range(None, None)
    bounds = Range(
        parse_filter(parse_span, start, "start").start if start else None,
        parse_filter(parse_span, end, "end").end if end else None,
    )
    if bounds.start and bounds.end and bounds.start > bounds.end:
        raise QueryError("range", f"{start} is after {end}")
    wanted = wanted.intersect(bounds)
    if wanted.start and wanted.end and wanted.start > wanted.end:
        raise QueryError("apart", f"{period} and the --from/--to dates share no day")
    day = parse_filter(parse_month_day, on, "on") if on is not None else None
    return Query(wanted.start, wanted.end, on=day, **filters)


def files_behind(corpus: Corpus, target: str) -> list[str]:
    """The files (paths relative to their corpus root, as results name them) behind what a
    user names: an event by its id, a document by its path, or every event of a date,
    period or range (see parse_range), in date order. Raises QueryError (what: "date") when
    the target is none of these."""
    event_day = re.match(r"(\d{4}-\d{2}-\d{2})/", target)
    if event_day is not None:
        day = date.fromisoformat(event_day.group(1))
        for event in corpus.events_at(corpus.span(day, day)):
            if event.id == target:
                return list(event.documents)
    if any(document.path == target for document in corpus.documents):
        return [target]
    wanted = parse_filter(parse_range, target, "date")
    found = corpus.events_at(corpus.span(wanted.start, wanted.end))
    return list(dict.fromkeys(name for event in found for name in event.documents))


def parse_filter(parse: Callable[[str], T], text: str, what: str) -> T:
    """What parse reads in the text of a filter (a date, period, range or day of the year);
    a QueryError naming the filter (what) when the text is none."""
    try:
        return parse(text)
    except DateError as error:
        raise QueryError(what, str(error)) from None


class Match(NamedTuple):
    """An event or document found for an entity, why it matched, and how strongly."""

    item: Event | Document
    # "context", "tag", "mention", "source", and "alias" or "part" when not by the name asked
    via: tuple[str, ...]
    score: float
    snippet: str = ""  # for a document: the sentence naming the entity

    @property
    def event(self) -> Event | None:
        """The event matched, or None for a document."""
        return self.item if isinstance(self.item, Event) else None

    def to_dict(self) -> dict[str, Any]:
        """The item's JSON form with ``via`` and ``score`` added (and ``snippet`` for documents)."""
        extra: dict[str, Any] = {"via": list(self.via), "score": round(self.score, 3)}
        if isinstance(self.item, Document):
            extra["snippet"] = self.snippet
        return {**self.item.to_dict(), **extra}


class Mentioned(NamedTuple):
    """A dated mention, with the entities its sentence names."""

    mention: Mention
    entities: tuple[str, ...]

    @property
    def date(self) -> date:
        """The mentioned date."""
        return self.mention.date

    def to_dict(self) -> dict[str, Any]:
        """The mention's JSON form."""
        return self.mention.to_dict(self.entities)


class Relation:
    """How items relate to one entity: ties the corpus states, and names in the text."""

    def __init__(self, corpus: Corpus, entity: str) -> None:
        from spacenews.entities import finder

        gazetteer = corpus.gazetteer_for(entity)
        canonical = gazetteer.lookup(entity)
        self.known = canonical is not None
        forms = gazetteer.forms(canonical) if canonical else {entity.strip(): "name"}
        self._how = {fold(name): how for name, how in forms.items()}
        self._how[fold(entity)] = "name"  # the name asked for is no alias of itself
        # A name the corpus does not know is looked for in any case, as the user typed it.
        self._finder = finder(forms, any_case=not self.known)
        self._pattern = self._finder.pattern

    def event(self, event: Event) -> Match | None:
        """The event's match, or None."""
        titles = [source.title for source in event.sources]
        found = self.event_parts(event.ties, [event.headline, event.body, *titles])
        return Match(event, *found) if found else None

    def event_parts(
        self, ties: Iterable[tuple[str, str]], parts: Sequence[str]
    ) -> tuple[tuple[str, ...], float] | None:
        """How an event matches (via, score), given its ties and its headline, body and
        source titles; None when it does not."""
        headline, body, *titles = parts
        via = {way for name, kind in ties if name in self._how for way in (kind, self._how[name])}
        score = TIE_SCORE if via else 0.0
        named = self._pattern.findall(headline)
        found = named + self._pattern.findall(body)
        if found:
            via |= {"mention", *self._ways(found)}
            score += MENTION_SCORE + TITLE_SCORE * bool(named) + _repeats(len(found))
        if any(self._pattern.search(title) for title in titles):
            via.add("source")
            score += MENTION_SCORE
        return (_via(via), score) if via else None

    def document(self, document: Document) -> Match | None:
        """The document's match, or None."""
        texts = "\0".join(paragraph.text for paragraph in document.paragraphs)
        found = self.document_parts(document.tags, document.title, texts)
        return Match(document, *found, self.snippet(document)) if found else None

    def snippet(self, document: Document) -> str:
        """The sentence of the document that first names the entity, English first; ""
        when none does."""
        from spacenews.prose import sentence_at

        for paragraph in english_first(document):
            named = self._pattern.search(paragraph.text)
            if named:
                return sentence_at(paragraph.text, named.start())
        return ""

    def document_parts(
        self, tags: Iterable[str], title: str, texts: str
    ) -> tuple[tuple[str, ...], float] | None:
        """How a document matches (via, score), given its tags, title and its paragraphs'
        texts with a NUL between (no match spans one); None when it does not."""
        tagged = [self._how[fold(tag)] for tag in tags if fold(tag) in self._how]
        via = {"tag", *tagged} if tagged else set()
        score = TIE_SCORE if via else 0.0
        names = self._pattern.findall(texts)
        if names:
            via |= {"mention", *self._ways(names)}
            score += MENTION_SCORE + TITLE_SCORE * bool(self._pattern.search(title))
            score += _repeats(len(names))
        return (_via(via), score) if via else None

    @property
    def names(self) -> list[str]:
        """The entity's names, folded: the ties that count (see event_parts)."""
        return list(self._how)

    def _ways(self, found: list[str]) -> set[str]:
        """How the names found stand for the entity: "alias" or "part" ("name" is dropped)."""
        return {self._how.get(fold(name), "name") for name in set(found)}

    def names_in(self, text: str) -> bool:
        """Whether the text names the entity."""
        return self._pattern.search(text) is not None

    def positions(self, corpus: Corpus) -> set[int]:
        """The positions of the corpus's events that ``event`` would match, found in the
        corpus index at once rather than event by event (once a run for each name)."""
        key = (self._pattern.plain.pattern, self._pattern.plain.flags, *sorted(self._how))
        found = corpus.found.get(key)
        if found is not None:
            return found
        view = corpus.view
        if view is not None:  # the database finds them
            found = view.tied(self._how) | view.naming(self._finder, besides=self._how)
        else:
            ties = corpus.index.ties
            found = {position for name in self._how for position in ties.get(name, ())}
            found |= corpus.naming(self._finder)
        corpus.found[key] = found
        return found

    def documents(self, corpus: Corpus) -> Sequence[Document]:
        """The corpus's documents that ``document`` may match, in order: from the database,
        only those tagged with one of the entity's names or holding a word a name starts
        with; every document otherwise."""
        view = corpus.view
        if view is not None:
            return view.documents_for(self._finder, self._how)
        return corpus.documents

    def document_texts(self, view: View) -> list[tuple[tuple[int, int], str, list[str], str]]:
        """What document_parts scores each document of ``documents`` by, from the database
        (see View.document_texts)."""
        return view.document_texts(self._finder, self._how)

    def unit_documents(self, corpus: Corpus) -> list[tuple[int, Document]]:
        """The documents of ``documents``, each with the id of its search unit (the memory
        corpus numbers its units as search.units_of lists them: the events, then these)."""
        view = corpus.view
        if view is not None:
            return view.units_for(self._finder, self._how)
        return list(enumerate(corpus.documents, len(corpus.events) + 1))


def _via(kinds: set[str]) -> tuple[str, ...]:
    return tuple(sorted(kinds - {"name"}))


def _repeats(count: int) -> float:
    return REPEAT_SCORE * min(count - 1, REPEAT_CAP)


def related(corpus: Corpus, entity: str, query: Query = EVERYTHING) -> list[Match]:
    """Events and documents tied to the entity or naming it, strongest first (or by date),
    that satisfy the query's dates and entity. Documents have no date: a query bounded in
    time leaves them out."""
    relation = Relation(corpus, entity)
    also = Relation(corpus, query.entity) if query.entity is not None else None
    # The index says which events match: only those are built and scored.
    positions = sorted(_positions(corpus, relation, query, also))
    view = corpus.view
    if view is not None and query.limit is not None:
        # Scored from their texts, ties and tags alone: only the items shown are built.
        return _related_shown(corpus, view, relation, also, positions, query)
    order = _chronology if query.sort == "date" else _rank
    found = map(relation.event, corpus.events_at(positions))
    ranked = [(order(m), m) for m in found if m]
    if _undated(query):
        ranked += [
            (order(m), m)
            for document in relation.documents(corpus)
            if (m := relation.document(document)) and (also is None or also.document(document))
        ]
    ranked.sort(key=lambda pair: pair[0])
    return [match for _, match in ranked[: query.limit]]


def _related_shown(
    corpus: Corpus,
    view: View,
    relation: Relation,
    also: Relation | None,
    positions: Sequence[int],
    query: Query,
) -> list[Match]:
    """What related shows within its limit, each event and document scored without being
    built, and only those shown built."""
    by_date = query.sort == "date"
    ranked = _scored_events(corpus, view, relation, positions, _chronology if by_date else _rank)
    if _undated(query):
        ranked += _scored_documents(view, relation, also, by_date)
    ranked.sort(key=lambda pair: pair[0])
    shown = [match for _, match in ranked[: query.limit]]
    wanted = sorted(match.position for match in shown if isinstance(match, _Scored))
    events = dict(zip(wanted, corpus.events_at(wanted), strict=True))
    keys = [match.key for match in shown if isinstance(match, _ScoredDocument)]
    documents = dict(zip(keys, view.documents_at(keys), strict=True))
    return [
        Match(events[m.position], m.via, m.score)
        if isinstance(m, _Scored)
        else Match(documents[m.key], m.via, m.score, relation.snippet(documents[m.key]))
        if isinstance(m, _ScoredDocument)
        else m
        for m in shown
    ]


class _Scored(NamedTuple):
    """An event's match, before the event is built."""

    position: int
    via: tuple[str, ...]
    score: float


class _ScoredDocument(NamedTuple):
    """A document's match, before the document is built."""

    key: tuple[int, int]
    via: tuple[str, ...]
    score: float


_Ranked = tuple[Any, "Match | _Scored | _ScoredDocument"]  # a match and its place in the order


def _scored_documents(
    view: View, relation: Relation, also: Relation | None, by_date: bool
) -> list[_Ranked]:
    """The matches of the documents that may match, each with its place in the order (see
    _rank and _chronology: a document has no date), read from their tags, titles and texts
    (see View.document_texts)."""
    scored: list[_Ranked] = []
    for key, title, tags, texts in relation.document_texts(view):
        found = relation.document_parts(tags, title, texts)
        if found and (also is None or also.document_parts(tags, title, texts)):
            via, score = found
            place = (date.max, -score, title) if by_date else (-score, date.max, title)
            scored.append((place, _ScoredDocument(key, via, score)))
    return scored


def _scored_events(
    corpus: Corpus,
    view: View,
    relation: Relation,
    positions: Sequence[int],
    order: Callable[[Match], tuple[Any, ...]],
) -> list[_Ranked]:
    """The matches of the events at these positions, each with its place in the order, read
    from their texts and ties (an event whose texts cannot be cut in parts is built)."""
    days = corpus.days
    scored: list[_Ranked] = []
    for position, parts, ties in view.event_parts(positions, relation.names):
        if parts is None:
            match = relation.event(corpus.events[position])
            if match:
                scored.append((order(match), match))
            continue
        found = relation.event_parts(ties, parts)
        if found:
            via, score = found
            when = date.fromordinal(days[position])
            key = (when, -score, parts[0]) if order is _chronology else (-score, when, parts[0])
            scored.append((key, _Scored(position, via, score)))
    return scored


def _positions(corpus: Corpus, relation: Relation, query: Query, also: Relation | None) -> set[int]:
    """The positions of the events the relation finds, within the query's dates and tied
    to its entity (also) too."""
    span = corpus.span(query.start, query.end)
    found = {position for position in relation.positions(corpus) if position in span}
    return found if also is None else found & also.positions(corpus)


def _undated(query: Query) -> bool:
    """Whether the query leaves time open: only then do undated documents belong."""
    return query.start is None and query.end is None


def search(corpus: Corpus, text: str, query: Query = EVERYTHING) -> list[Result]:
    """Events and documents holding the words (and every quoted phrase), best first (or by
    date), that satisfy the query's dates and entity; the score of each stays what it is
    over the whole corpus."""
    from spacenews.search import SearchIndex

    index = SearchIndex.of(corpus)
    keep = None if _undated(query) else index.dated_units(query.start, query.end)
    if query.entity is not None:
        relation = Relation(corpus, query.entity)
        tied = index.event_units(relation.positions(corpus))
        if keep is None:  # undated: the documents too
            units = relation.unit_documents(corpus)
            tied |= {unit for unit, document in units if relation.document(document)}
        keep = tied if keep is None else keep & tied
    return index.search(text, query.limit, keep=keep, by_date=query.sort == "date")


def _rank(match: Match) -> tuple[float, date, str]:
    when, title = _when(match)
    return -match.score, when, title


def _chronology(match: Match) -> tuple[date, float, str]:
    when, title = _when(match)
    return when, -match.score, title


def _when(match: Match) -> tuple[date, str]:
    """The date of a match (an undated document comes after every date) and its title."""
    if isinstance(match.item, Event):
        return match.item.date, match.item.headline
    return date.max, match.item.title


def mentions(
    corpus: Corpus, start: date | None, end: date | None, entity: str | None = None
) -> list[Mentioned]:
    """The dated mentions within a period, with the entities they name; only those whose
    sentence names the entity, if one is given."""
    found = corpus.mentions_within(start, end)
    if entity is not None:
        names_in = Relation(corpus, entity).names_in
        found = [mention for mention in found if names_in(mention.snippet)]
    return [mentioned(corpus, mention) for mention in found]


def mentioned(corpus: Corpus, mention: Mention) -> Mentioned:
    """The mention, with the entities its sentence names."""
    return Mentioned(mention, tuple(corpus.gazetteer.find(mention.snippet)))
