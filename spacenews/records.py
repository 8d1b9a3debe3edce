"""What a file yields, as plain lists of strings and numbers: the form that crosses process
boundaries and lives in the parse cache. ``encode`` and ``decode`` are exact inverses.

A record is ``[ordinal, id, headline, body, sources, entities, related, via, date_source]``
with dates as proleptic ordinals; the file's own path is not repeated inside its records.
"""

from __future__ import annotations

import functools
from datetime import date
from sys import intern
from typing import Any

from spacenews.dates import Precision
from spacenews.model import Document, EventRecord, Mention, Paragraph, Problem, Related, Source
from spacenews.parse import Parsed

Encoded = list[Any]  # [records, documents, problems]
Packed = bytes | memoryview  # an Encoded as MessagePack: how results travel and are cached


def pack(parsed: Parsed) -> bytes:
    """The MessagePack of a file's parse result."""
    import msgspec

    return msgspec.msgpack.encode(encode(parsed))


def unpack(data: Packed, path: str) -> Parsed:
    """The parse result of the file at path, from its MessagePack; ValueError (or TypeError)
    when the data is not such a result."""
    import msgspec

    try:
        encoded = msgspec.msgpack.decode(data)
    except msgspec.DecodeError as error:
        raise ValueError(str(error)) from None
    return decode(encoded, path)


def encode(parsed: Parsed) -> Encoded:
    """The plain form of a file's parse result."""
    return [
        [_record(record) for record in parsed.records],
        [_document(document) for document in parsed.documents],
        [[p.line, p.reason, p.skipped] for p in parsed.problems],
    ]


def decode(data: Encoded, path: str) -> Parsed:
    """The parse result of the file at path, from its plain form."""
    records, documents, problems = data
    return Parsed(
        [_event_record(item, path) for item in records],
        [_document_of(item, path) for item in documents],
        [Problem(path, line, reason, skipped) for line, reason, skipped in problems],
    )


def _record(record: EventRecord) -> list[Any]:
    return [
        record.date.toordinal(),
        record.headline,
        record.body,
        [[source.title, source.url] for source in record.sources],
        list(record.entities),
        [[r.id, r.date.toordinal(), r.headline, list(r.context)] for r in record.related],
        record.via,
        record.date_source,
    ]


def _event_record(item: list[Any], path: str) -> EventRecord:
    # The same ids, headlines, names and days come back from file after file (an event and
    # every link to it): each is kept once (100,000 documents built in 407 MB, not 473).
    ordinal, headline, body, sources, entities, related, via, date_source = item
    return EventRecord(
        _day(ordinal),
        intern(headline),
        body,
        [Source(title, url) for title, url in sources],
        [intern(name) for name in entities],
        [Related(intern(i), _day(o), intern(h), _names(c)) for i, o, h, c in related],
        path,
        intern(via),
        intern(date_source),
    )


_day = functools.cache(date.fromordinal)


def _names(names: list[str]) -> tuple[str, ...]:
    kept = tuple(map(intern, names))
    return _NAMES.setdefault(kept, kept)


_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}
_PRECISIONS: dict[str, Precision] = {"year": "year", "month": "month", "day": "day"}


def _document(document: Document) -> list[Any]:
    return [
        document.title,
        document.format,
        document.text,
        list(document.tags),
        [[p.text, p.lang, p.title, p.kind] for p in document.paragraphs],
        [[m.date.toordinal(), m.precision, m.snippet, m.title, m.lang] for m in document.mentions],
    ]


def _document_of(item: list[Any], path: str) -> Document:
    # Languages, kinds and precisions are a handful of words, and a document's paragraphs and
    # mentions share their few item titles: each is kept once.
    title, fmt, text, tags, paragraphs, mentions = item
    return Document(
        path,
        title,
        intern(fmt),
        text,
        tuple(tags),
        tuple(Paragraph(t, intern(lang), intern(i), intern(k)) for t, lang, i, k in paragraphs),
        tuple(
            Mention(
                _day(o), _PRECISIONS[precision], snippet, path, intern(item_title), intern(lang)
            )
            for o, precision, snippet, item_title, lang in mentions
        ),
    )
