"""What the news formats share: an item published on a day, with a link, is an event; an
item without a date is a document."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from spacenews.links import PUBLISHED
from spacenews.model import Document, EventRecord, Problem, Source
from spacenews.parse.markup import html_text
from spacenews.parse.plaintext import TITLE_CHARS, prose_document
from spacenews.text import clean_inline, shorten, strip_controls


def utc_day(stamp: object) -> date | None:
    """The UTC day of an ISO 8601 time stamp ("2024-05-01T22:30:00-04:00" is May 2nd); the
    day as written when it gives no time zone; None when it is no date."""
    if not isinstance(stamp, str):
        return None
    try:
        when = datetime.fromisoformat(stamp.strip())
    except ValueError:
        return None
    return when.astimezone(UTC).date() if when.tzinfo is not None else when.date()


def item_record(
    day: date,
    title: str,
    body: str,
    source: Source | None,
    tags: list[str],
    path: str,
    *,
    decoded: bool = False,
) -> EventRecord:
    """An item as an event: its title (else its body's first line, which then leaves the
    body when it is whole, else its address) as the headline; the source's name and address
    cleaned like any text of a document (decoded: the format's parser decoded the title and
    the source already, see text.clean_inline)."""
    headline = clean_inline(title, decoded=decoded)
    if not headline and body:
        first, _, rest = body.partition("\n")
        headline = _first_line(body)
        if headline == clean_inline(first):  # whole, not cut: said once, as the headline
            body = rest.lstrip("\n")
    if source is not None:
        url = clean_inline(source.url, decoded=True) if decoded else _address(source.url)
        source = Source(clean_inline(source.title, decoded=decoded), url)
        headline = headline or url
    return EventRecord(
        day,
        headline,
        body,
        [source] if source else [],
        tags,
        document=path,
        via="tag",
        date_source=PUBLISHED,
    )


# An entity written whole, with its ';': what an address may hold (see _address).
_WHOLE_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _address(url: str) -> str:
    """An item's address cleaned as its text is, but decoding only the entities written
    whole: "&amp;" is "&", but "&region=eu" (or "&copy=", "&not=") is a parameter of the
    address, as a browser reads it, not "®ion=eu"."""
    if "&" in url:
        from html import unescape

        url = _WHOLE_ENTITY.sub(lambda entity: unescape(entity.group()), url)
    return clean_inline(url, decoded=True)


def item_document(
    path: str, title: str, body: str, fmt: str, tags: list[str], *, decoded: bool = False
) -> Document:
    """An item without a date, as a document of the file: its body, read from its format
    already, as an event's (see item_record), not decoded again; nor its title, when
    decoded says so."""
    title = clean_inline(title, decoded=decoded) or _first_line(body) or path
    return prose_document(path, title, fmt, body, tuple(tags), decoded=True)


def body_text(*candidates: object, html: bool = True) -> str:
    """The first candidate that says something, read as text (as HTML unless told not)."""
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            text = html_text(candidate) if html else candidate.strip()
            return strip_controls(text)
    return ""


def tag_names(values: object) -> list[str]:
    """Tags given as a list of strings, each once, cleaned."""
    if not isinstance(values, list):
        return []
    names = (clean_inline(value) for value in values if isinstance(value, str))
    return list(dict.fromkeys(name for name in names if name))


def load_json(text: str, path: str) -> Any:
    """The JSON value of a text; when it is none, the Problem to report instead."""
    import json

    try:
        return json.loads(text)
    except ValueError as error:
        return Problem(path, getattr(error, "lineno", 0), f"not valid JSON: {error}", True)


def field(data: dict[str, Any], key: str) -> str:
    """A field of a JSON object when it is a string, else ""."""
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _first_line(body: str) -> str:
    line = clean_inline(body.split("\n", 1)[0])
    return shorten(line, TITLE_CHARS)
