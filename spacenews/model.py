"""What the corpus is made of: events, their sources and links, documents, and problems.

Without ``from __future__ import annotations``: typing.NamedTuple compiles each field's
annotation given as a string, and these classes' fields cost every start about a millisecond
that way.
"""

import datetime
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from spacenews.dates import Precision
from spacenews.text import headline_slug


def event_id(day: date, headline: str) -> str:
    """The stable id of the event of that day with that headline."""
    return f"{day.isoformat()}/{headline_slug(headline)}"


class Source(NamedTuple):
    """A link given as the source of an event."""

    title: str
    url: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of a source."""
        return {"title": self.title, "url": self.url}


class Related(NamedTuple):
    """A link from one event to another, with the entities the two share."""

    id: str
    date: date
    headline: str
    context: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of a related link."""
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "headline": self.headline,
            "context": list(self.context),
        }


class Paragraph(NamedTuple):
    """A paragraph of a prose page, with the title of the item it belongs to."""

    text: str
    lang: str  # ISO 639-1 code, or "und" when it cannot be told
    title: str = ""  # the title of the listing item it belongs to; "" when none
    kind: str = "text"  # "heading", "caption" or "text"


class Mention(NamedTuple):
    """A date written in the prose of a document."""

    date: date
    precision: Precision  # how much of the date the prose gave: "year", "month" or "day"
    snippet: str  # the sentence that gives the date
    document: str  # the document's path, relative to its corpus root
    title: str  # the title of the item or document the sentence belongs to
    lang: str = "und"

    def to_dict(self, entities: tuple[str, ...] = ()) -> dict[str, Any]:
        """The JSON form of a mention, with the entities its sentence names."""
        return {
            "kind": "mention",
            "date": self.date.isoformat(),
            "precision": self.precision,
            "title": self.title,
            "snippet": self.snippet,
            "document": self.document,
            "entities": list(entities),
        }


class Translation(NamedTuple):
    """An event's text in another language than its own, from a translation of its page."""

    lang: str  # ISO 639-1 code, as its folder, file name or front matter gave it
    headline: str
    body: str
    document: str  # the file it was read from, relative to its corpus root

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of a translation."""
        return {
            "lang": self.lang,
            "headline": self.headline,
            "body": self.body,
            "document": self.document,
        }


class Event(NamedTuple):
    """Something that happened on a day, merged from every place the corpus mentions it."""

    id: str  # "YYYY-MM-DD/slug", stable across runs and corpora
    date: date
    headline: str
    body: str = ""
    sources: tuple[Source, ...] = ()
    entities: tuple[str, ...] = ()  # each entity tied to it by its main name, once
    related: tuple[Related, ...] = ()
    documents: tuple[str, ...] = ()  # files it was read from, relative to their corpus root
    date_source: str = ""  # where the date came from: "heading", "link", "date", "filename", ...
    # (entity, how the corpus tied it to this event: "context" or "tag"); not part of the JSON
    ties: tuple[tuple[str, str], ...] = ()
    story: str = ""  # the story it belongs to (an event page's ##### heading); "" when none
    names: tuple[str, ...] = ()  # the entities as the files wrote them; () when the same
    end_date: datetime.date | None = None  # the day it ends, when it lasts several days
    published: datetime.date | None = (
        None  # the day its post was published, when another field dates it
    )
    # The event told in other languages by translations of its page; () when none.
    translations: tuple[Translation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of an event: the public contract of ``--json``."""
        return {
            "kind": "event",
            "id": self.id,
            "date": self.date.isoformat(),
            "headline": self.headline,
            "body": self.body,
            # The sources' and links' own to_dict, inlined: this runs for every event.
            "sources": [{"title": title, "url": url} for title, url in self.sources],
            "entities": list(self.entities),
            "names": list(self.names or self.entities),
            "related": [
                {"id": i, "date": day.isoformat(), "headline": headline, "context": list(context)}
                for i, day, headline, context in self.related
            ],
            "documents": list(self.documents),
            "date_source": self.date_source,
            "story": self.story,
            "end_date": None if self.end_date is None else self.end_date.isoformat(),
            "published": None if self.published is None else self.published.isoformat(),
            "translations": [translation.to_dict() for translation in self.translations],
        }


class EventText(NamedTuple):
    """What a search reads of an event: the database gives it without building the event."""

    id: str
    date: date
    headline: str
    body: str
    entities: tuple[str, ...]
    others: tuple[str, ...] = ()  # the headlines and bodies of its translations


class Document(NamedTuple):
    """A file of the corpus that is not an event page: a prose page or an undated post."""

    path: str  # relative to its corpus root
    title: str
    format: str  # the handler that read it
    text: str = ""
    tags: tuple[str, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    mentions: tuple[Mention, ...] = ()  # the dates its prose gives
    entities: tuple[str, ...] = ()  # its tags by their entities' main names; () when the same

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of a document."""
        return {
            "kind": "document",
            "path": self.path,
            "title": self.title,
            "format": self.format,
            "tags": list(self.tags),
            "entities": list(self.entities or self.tags),
        }


def translated(event: Event) -> tuple[str, ...]:
    """The headlines and bodies of an event's translations, in order."""
    return tuple(text for t in event.translations for text in (t.headline, t.body) if text)


def english_first(document: Document) -> list[Paragraph]:
    """A document's paragraphs, those in English first: a page that says everything twice
    gives its snippets in English when it can."""
    return sorted(document.paragraphs, key=lambda paragraph: paragraph.lang != "en")


class Problem(NamedTuple):
    """Something wrong with a file: where, and why."""

    path: str  # relative to its root; load_corpus gives it as it opens from the current folder
    line: int  # 1-based; 0 when the problem concerns the whole file
    reason: str
    skipped: bool = False  # True when nothing could be read from the file

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of a problem."""
        return {
            "path": self.path,
            "line": self.line,
            "reason": self.reason,
            "skipped": self.skipped,
        }


class EventRecord:
    """What one place in one file says about an event; the corpus merges records into events.

    A plain class rather than a dataclass: building a dataclass costs milliseconds at every
    start, and the records need nothing but their fields."""

    __slots__ = (
        "body",
        "date",
        "date_source",
        "document",
        "end_date",
        "entities",
        "headline",
        "lang",
        "published",
        "ref",
        "related",
        "sources",
        "story",
        "via",
    )

    def __init__(
        self,
        date: date,
        headline: str,
        body: str = "",
        sources: Sequence[Source] = (),
        entities: Sequence[str] = (),
        related: Sequence[Related] = (),
        document: str = "",
        via: str = "context",  # how its entities were given: "context" lines or "tag"s
        date_source: str = "heading",  # where its date came from
        story: str = "",  # the story it belongs to; "" when none
        end_date: datetime.date | None = None,  # the day the event ends, when given
        published: datetime.date | None = None,  # the post's own date, when another dates it
        lang: str = "",  # the language of its page, when a folder, name or field tells it
        ref: str = "",  # what its page's translations share (see links.translation)
    ) -> None:
        self.date = date
        self.headline = headline
        self.body = body
        self.sources = sources
        self.entities = entities
        self.related = related
        self.document = document
        self.via = via
        self.date_source = date_source
        self.story = story
        self.end_date = end_date
        self.published = published
        self.lang = lang
        self.ref = ref


def link_record(link: Related, document: str) -> EventRecord:
    """What a related link on a page says of the event it links to: its day, its headline,
    and the entities it shares with the page."""
    # The link's own names, not a copy: there is a record for each of the corpus's links.
    return EventRecord(
        link.date, link.headline, entities=link.context, document=document, date_source="link"
    )
