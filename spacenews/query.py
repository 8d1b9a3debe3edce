"""The questions the commands ask: one query value, and pure functions over the corpus."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from spacenews.corpus import Corpus
from spacenews.model import Event
from spacenews.text import fold


@dataclass(frozen=True, slots=True)
class Query:
    """Which events a timeline lists, and in which order."""

    start: date | None = None  # earliest day included; None for no lower bound
    end: date | None = None  # latest day included; None for no upper bound
    entity: str | None = None  # only events naming this entity, compared case-insensitively
    limit: int | None = None  # at most this many events, counted after ordering
    reverse: bool = False  # newest first


@dataclass(frozen=True, slots=True)
class Match:
    """An event found for an entity, and why it matched."""

    event: Event
    via: tuple[str, ...]  # how the corpus ties the entity to the event: "context", "tag"

    def to_dict(self) -> dict[str, object]:
        """The event's JSON form with ``via`` added."""
        return {**self.event.to_dict(), "via": list(self.via)}


def timeline(corpus: Corpus, query: Query) -> list[Event]:
    """Events in date order that satisfy every filter of the query."""
    events = corpus.between(query.start, query.end)
    if query.entity is not None:
        wanted = fold(query.entity)
        events = [event for event in events if wanted in {fold(name) for name in event.entities}]
    if query.reverse:
        events.reverse()
    return events if query.limit is None else events[: query.limit]


def related(corpus: Corpus, entity: str) -> list[Match]:
    """Events tied to the entity, in date order, each with the ways it is tied."""
    wanted = fold(entity)
    matches = []
    for event in corpus.with_entity(entity):
        via = tuple(sorted({kind for name, kind in event.ties if name == wanted}))
        matches.append(Match(event, via))
    return matches


def suggest(corpus: Corpus, name: str, count: int = 3) -> list[str]:
    """Known entity names close to a name that matched nothing, best first."""
    names = corpus.entity_names()
    wanted = fold(name)
    close = difflib.get_close_matches(wanted, names, n=count, cutoff=0.6)
    containing = sorted(key for key in names if wanted and wanted in key)
    return [names[key] for key in dict.fromkeys([*close, *containing])][:count]
