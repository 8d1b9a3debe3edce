"""What a file yields, in the form that crosses process boundaries and lives in the parse
cache: lists, and the model's named tuples, which MessagePack writes as arrays (dates as ISO
strings). ``unpack(pack(parsed))`` gives back what was parsed (a test says so).

A record is ``[date, headline, body, sources, entities, related, via, date_source]``; the
file's own path, which its documents and problems repeat, is taken from the caller when they
are read back, not from what was stored.
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
    """The form of a file's parse result that MessagePack writes: the records as lists (the
    file's path left out), the documents and problems as they are."""
    return [[_record(record) for record in parsed.records], parsed.documents, parsed.problems]


def decode(data: Encoded, path: str) -> Parsed:
    """The parse result of the file at path, from the MessagePack of encode's form."""
    records, documents, problems = data
    return Parsed(
        [_event_record(item, path) for item in records],
        [_document_of(item, path) for item in documents],
        [Problem(path, line, reason, skipped) for _, line, reason, skipped in problems],
    )


def _record(record: EventRecord) -> list[Any]:
    return [
        record.date,
        record.headline,
        record.body,
        record.sources,
        record.entities,
        record.related,
        record.via,
        record.date_source,
    ]


def _event_record(item: list[Any], path: str) -> EventRecord:
    # The same ids, headlines, names and days come back from file after file (an event and
    # every link to it): each is kept once (100,000 documents built in 407 MB, not 473).
    day, headline, body, sources, entities, related, via, date_source = item
    return EventRecord(
        _iso_day(day),
        intern(headline),
        body,
        [Source(title, url) for title, url in sources],
        [intern(name) for name in entities],
        [Related(intern(i), _iso_day(d), intern(h), _names(c)) for i, d, h, c in related],
        path,
        intern(via),
        intern(date_source),
    )


_iso_day = functools.cache(date.fromisoformat)  # MessagePack writes dates as ISO strings


def _names(names: list[str]) -> tuple[str, ...]:
    kept = tuple(map(intern, names))
    return _NAMES.setdefault(kept, kept)


_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}
_PRECISIONS: dict[str, Precision] = {"year": "year", "month": "month", "day": "day"}


def _document_of(item: list[Any], path: str) -> Document:
    # Languages, kinds and precisions are a handful of words, and a document's paragraphs and
    # mentions share their few item titles: each is kept once.
    _, title, fmt, text, tags, paragraphs, mentions = item
    return Document(
        path,
        title,
        intern(fmt),
        text,
        tuple(tags),
        tuple(Paragraph(t, intern(lang), intern(i), intern(k)) for t, lang, i, k in paragraphs),
        tuple(
            Mention(
                _iso_day(d), _PRECISIONS[precision], snippet, path, intern(item_title), intern(lang)
            )
            for d, precision, snippet, _, item_title, lang in mentions
        ),
    )
