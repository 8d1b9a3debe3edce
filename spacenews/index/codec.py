"""How records, events, documents and problems are kept in a row: as JSON, UTF-8 with lone
surrogates passed (a file name that is not UTF-8 keeps its odd bytes as them)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any

from spacenews.jsonbytes import MANY, falling_back, quick_json
from spacenews.model import (
    Document,
    Event,
    EventRecord,
    Mention,
    Paragraph,
    Problem,
    Related,
    Source,
    Translation,
)

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_DECODE = json.JSONDecoder().decode
_day = date.fromisoformat


def pack(value: Any) -> bytes:
    """A value as JSON bytes."""
    return _ENCODE(value).encode("utf-8", "surrogatepass")


class DamagedRow(sqlite3.DatabaseError):
    """A row whose value is not what pack writes: the index was changed or damaged."""


# What reading back a row of another shape than the one written raises ({} for a list).
_SHAPES = (TypeError, KeyError, IndexError, ValueError, AttributeError)


def _damaged(error: Exception) -> DamagedRow:
    return DamagedRow(f"a row it never wrote: {error}")


def unpack(data: bytes) -> Any:
    """A value from pack's bytes (DamagedRow when they are not)."""
    try:
        return _DECODE(data.decode("utf-8", "surrogatepass"))
    except (ValueError, AttributeError) as error:  # bytes that are no JSON; no bytes at all
        raise DamagedRow(f"a value that is no JSON: {error}") from None


Pack = Callable[[Any], bytes]
Unpack = Callable[[bytes], Any]


def packer(count: int) -> Pack:
    """pack, or for count values and more (jsonbytes.MANY) its twin by msgspec's encoder,
    which gives the same bytes quicker (see jsonbytes.quick_json)."""
    return pack if count < MANY else quick_json(pack)


def unpacker(count: int) -> Unpack:
    """unpack, or for count values and more (jsonbytes.MANY) msgspec's decoder: 2.5 times
    quicker, by enough to pay for its import. It refuses bytes that are not UTF-8 (a lone
    surrogate passed): unpack decodes those."""
    if count < MANY:
        return unpack
    import msgspec

    # TypeError: no bytes at all (a damaged row), which unpack tells as such
    return falling_back(msgspec.json.Decoder().decode, (msgspec.DecodeError, TypeError), unpack)


def record_row(record: EventRecord) -> list[Any]:
    """A record as plain values."""
    return [
        record.date.isoformat(),
        record.headline,
        record.body,
        [list(source) for source in record.sources],
        list(record.entities),
        [_link_row(link) for link in record.related],
        record.document,
        record.via,
        record.date_source,
        record.story,
        _day_row(record.end_date),
        _day_row(record.published),
        record.lang,
        record.ref,
    ]


def record_of(row: list[Any]) -> EventRecord:
    """A record from record_row's values."""
    try:
        day, headline, body, sources, entities, related, document, via, date_source, story = row[
            :10
        ]
        return EventRecord(
            _day(day),
            headline,
            body,
            [Source(*source) for source in sources],
            entities,
            [_link_of(link) for link in related],
            document,
            via,
            date_source,
            story,
            _day_of(row[10]),
            _day_of(row[11]),
            row[12],
            row[13],
        )
    except _SHAPES as error:
        raise _damaged(error) from None


def _day_row(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day_of(value: str | None) -> date | None:
    return None if value is None else _day(value)


def _link_row(link: Related) -> list[Any]:
    return [link.id, link.date.isoformat(), link.headline, list(link.context)]


def _link_of(row: list[Any]) -> Related:
    return Related(row[0], _day(row[1]), row[2], tuple(row[3]))


def event_row(event: Event) -> list[Any]:
    """An event as plain values, its ties included."""
    return [
        event.id,
        event.date.isoformat(),
        event.headline,
        event.body,
        [list(source) for source in event.sources],
        list(event.entities),
        [_link_row(link) for link in event.related],
        list(event.documents),
        event.date_source,
        [list(tie) for tie in event.ties],
        event.story,
        list(event.names),
        _day_row(event.end_date),
        _day_row(event.published),
        [list(translation) for translation in event.translations],
    ]


def event_of(row: list[Any]) -> Event:
    """An event from event_row's values."""
    try:
        (
            key,
            day,
            headline,
            body,
            sources,
            entities,
            related,
            documents,
            date_source,
            ties,
            story,
            names,
        ) = row[:12]
        return Event(
            key,
            _day(day),
            headline,
            body,
            tuple(Source(*source) for source in sources),
            tuple(entities),
            tuple(_link_of(link) for link in related),
            tuple(documents),
            date_source,
            tuple((name, via) for name, via in ties),
            story,
            tuple(names),
            _day_of(row[12]),
            _day_of(row[13]),
            tuple(Translation(*translation) for translation in row[14]),
        )
    except _SHAPES as error:
        raise _damaged(error) from None


def document_row(document: Document) -> list[Any]:
    """A document as plain values, its paragraphs and mentions included."""
    return [
        document.path,
        document.title,
        document.format,
        document.text,
        list(document.tags),
        [list(paragraph) for paragraph in document.paragraphs],
        [mention_row(mention) for mention in document.mentions],
        list(document.entities),
    ]


def document_of(row: list[Any]) -> Document:
    """A document from document_row's values."""
    try:
        path, title, form, text, tags, paragraphs, mentions, entities = row
        return Document(
            path,
            title,
            form,
            text,
            tuple(tags),
            tuple(Paragraph(*paragraph) for paragraph in paragraphs),
            tuple(mention_of(mention) for mention in mentions),
            tuple(entities),
        )
    except _SHAPES as error:
        raise _damaged(error) from None


def mention_row(mention: Mention) -> list[Any]:
    """A mention as plain values."""
    return [mention.date.isoformat(), *mention[1:]]


def mention_of(row: list[Any]) -> Mention:
    """A mention from mention_row's values."""
    try:
        return Mention(_day(row[0]), *row[1:])
    except _SHAPES as error:
        raise _damaged(error) from None


def problems_of(data: bytes) -> list[Problem]:
    """A file's problems from their packed rows."""
    try:
        return [Problem(*row) for row in unpack(data)]
    except _SHAPES as error:
        raise _damaged(error) from None


def sql_text(value: str) -> str:
    """The text as a text column holds it."""
    # A file name that is not UTF-8 keeps its odd bytes as lone surrogates (a title may come
    # from it), which SQLite's text cannot hold: a text column gets them as backslash escapes
    # (two such names stay two), and the JSON columns keep them.
    if value.isascii():
        return value
    try:
        value.encode()
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode()
    return value
