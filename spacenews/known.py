"""What a corpus knows of its entities: each with how much the corpus says of it (counted
as ``related`` finds it), whether a name is known, and the known names closest to one that
is not."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from spacenews.corpus import Corpus
from spacenews.text import fold

if TYPE_CHECKING:
    from spacenews.entities import Suggestion


class EntityInfo(NamedTuple):
    """One entity of the corpus: its names and how much the corpus says of it."""

    name: str
    aliases: tuple[str, ...]
    parts: tuple[str, ...]
    events: int  # events tied to it or naming it
    documents: int  # documents tagging it or naming it
    first: date | None  # date of its first event
    last: date | None  # date of its last event

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of an entity."""
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "parts": list(self.parts),
            "events": self.events,
            "documents": self.documents,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }


def entities(corpus: Corpus) -> list[EntityInfo]:
    """Every entity the corpus ties to or names in an event or document, most events first."""
    gazetteer = corpus.gazetteer
    view = corpus.view
    events, documents = view.entity_counts(gazetteer) if view else _entity_counts(corpus)
    rows = [
        EntityInfo(
            name,
            tuple(gazetteer.aliases(name)),
            tuple(gazetteer.parts(name)),
            count,
            documents[name],
            date.fromordinal(first) if count else None,
            date.fromordinal(last) if count else None,
        )
        for name in dict.fromkeys([*events, *documents])
        for count, first, last in [events.get(name, (0, 0, 0))]
    ]
    return sorted(rows, key=lambda row: (-row.events, -row.documents, row.name.casefold()))


def _entity_counts(corpus: Corpus) -> tuple[dict[str, list[int]], Counter[str]]:
    """As index.view.View.entity_counts, for a corpus made in memory without a database."""
    gazetteer = corpus.gazetteer
    # The events are read through the index, which says which are tied to each name and
    # holds their texts: not one of them need be built.
    index = corpus.index
    events = _events_naming(corpus)
    for key, tied in index.ties.items():
        events.setdefault(gazetteer.resolve(key) or key, set()).update(tied)
    for name, positions in list(events.items()):
        for whole in gazetteer.wholes(name):
            events.setdefault(whole, set()).update(positions)
    documents: Counter[str] = Counter()
    for document in corpus.documents:
        names = {gazetteer.resolve(tag) or tag for tag in document.tags}
        for paragraph in document.paragraphs:
            names.update(gazetteer.find(paragraph.text))
        names.update(whole for name in list(names) for whole in gazetteer.wholes(name))
        documents.update(names)
    days = index.days  # in the events' order, which is the dates' order
    counts = {
        name: [len(positions), days[min(positions)], days[max(positions)]]
        for name, positions in events.items()
        if positions
    }
    return counts, documents


def _events_naming(corpus: Corpus) -> dict[str, set[int]]:
    """The positions of the events whose headline, body or source titles name each entity
    (by canonical name), from one search of the index text."""
    index = corpus.index
    found: dict[str, set[int]] = {}
    for place, name in corpus.gazetteer.places(index.text):
        found.setdefault(name, set()).add(index.holder(place))
    return found


def suggest(corpus: Corpus, name: str, count: int = 3) -> list[str]:
    """The entities with a name or alias close to a name that matched nothing, by canonical
    name, best first (see entities.closest)."""
    return [hint.name for hint in suggestions(corpus, name, count)]


def suggestions(corpus: Corpus, name: str, count: int = 3) -> list[Suggestion]:
    """As suggest, each with the name or alias that was close. Every name counts: those
    the corpus gives, the acronyms it defines and the alias tables' (shipped and its own)."""
    from spacenews.entities import closest

    return closest(name, corpus.gazetteer.names(), count)


def knows(corpus: Corpus, name: str) -> bool:
    """Whether the corpus knows an entity by this name or alias, in any case, with or
    without its diacritics."""
    return corpus.gazetteer_for(name).lookup(name) is not None


def unknown_entity(corpus: Corpus, name: str) -> str:
    """What to tell of an entity that nothing matched: that the corpus does not know it,
    with the names closest to it (and the alias that was close, if another); that nothing
    names it, when it is known."""
    from spacenews.text import echo

    shown = echo(name)  # a long name, cut as usage errors cut it
    if knows(corpus, name):
        return f"nothing names {shown}"
    hints = [_hint(hint) for hint in suggestions(corpus, name)]
    message = f"no entity named {shown}"
    if hints:
        message += "; did you mean " + ", ".join(hints) + "?"
    return message


def nothing_found(
    corpus: Corpus,
    said: str,
    entity: str | None,
    start: date | None = None,
    end: date | None = None,
    on: tuple[int, int] | None = None,
) -> str:
    """What to tell when a command found nothing: said, with the filters that narrowed it
    (the days of --in, --from and --to; --on; --entity). An entity that nothing could
    match, in no period (the corpus neither knows it nor names it), is told instead, with
    the names closest to it, as timeline --entity tells it."""
    from spacenews.dates import Range
    from spacenews.text import echo

    if entity is not None and unheard_of(corpus, entity):
        return unknown_entity(corpus, entity)
    if start or end:
        said += f" in {Range(start, end)}"
    if on is not None:
        said += f" on {on[0]:02d}-{on[1]:02d}"
    if entity is not None:
        said += f" with --entity {echo(entity)}"
    return said


def nothing_behind(corpus: Corpus, target: str) -> str:
    """What open tells when nothing is behind its target: the days of a period that holds
    no event, else the event or document that is none."""
    from spacenews.dates import DateError, parse_range
    from spacenews.text import echo

    try:
        days = parse_range(target)
    except DateError:  # an event id or a document path that is none
        return f"no event or document {echo(target)}"
    return nothing_found(corpus, "no events", None, days.start, days.end)


def unheard_of(corpus: Corpus, name: str) -> bool:
    """Whether no event or document of the corpus is tied to this name or names it: no
    filter of that name could keep anything, in any period. (A name it does not know is
    still looked for in the text: timeline --entity Hadfield; one it knows, as the shipped
    alias table's Hubble, may be named nowhere.)"""
    from spacenews.query import Relation

    relation = Relation(corpus, name)
    if relation.positions(corpus):
        return False
    view = corpus.view
    if view is not None:  # from their texts and tags alone: no document is built
        texts = relation.document_texts(view)
        return not any(relation.document_parts(t, title, text) for _, title, t, text in texts)
    return not any(relation.document(document) for document in corpus.documents)


def _hint(hint: Suggestion) -> str:
    said = repr(hint.name)  # control characters escaped, as echo escapes them
    if fold(hint.spelling) != fold(hint.name):
        said += f" (as {hint.spelling!r})"
    return said
