"""Markdown with YAML front matter, as Hugo, Jekyll and Eleventy sites write it, or with
TOML front matter between ``+++`` lines, as Hugo writes it by default.

A post with a date is an event; without one it is a document. The YAML is loaded safely
(python-frontmatter uses ``yaml.SafeLoader``), the TOML by the standard library's tomllib,
and only fields of the expected types are read, so a hostile header can neither run code
nor blow up through aliases. Which fields name
entities and which date the event is a corpus's choice (see spacenews.parse.fields).
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from pathlib import PurePath
from typing import Any, NamedTuple

from spacenews.dates import DateError, make_date
from spacenews.model import EventRecord, Problem, Source
from spacenews.parse import Handler, Parsed, plaintext
from spacenews.parse.fields import DEFAULT_FIELDS, Fields
from spacenews.parse.markup import heading_text, html_parts
from spacenews.parse.plaintext import prose_document
from spacenews.prose import parse_prose_date
from spacenews.text import clean_inline, fold, is_web_address, strip_controls

_OPENING = re.compile(r"(---|\+\+\+)[ \t]*\n")  # YAML's, TOML's
# A date written year first, as ISO does or with / or . (2024/05/23: no other order); a
# year of five digits is none.
_ISO_DATE = re.compile(r"(\d{4,})([-/.])(\d{1,2})\2(\d{1,2})")
PUBLISHED_FIELD = "date"  # the day the post was published: Jekyll's, Hugo's and Eleventy's
# Fields whose every item is one name, as a site gave it ("Ham Radio and More"); in the
# other entity fields, one item may join several ("NASA / JPL", "Roscosmos and ESA").
TAG_FIELDS = frozenset({"tags", "categories", "keywords"})
_JOINS = re.compile(r"(?:^|\s+)(?:/|and|&)(?:\s+|$)")
# What pairs a page with its translations: Jekyll multilingual sites' ``ref``, Hugo's
# ``translationKey``; ``lang`` names the page's language.
REF_FIELDS = ("ref", "translationKey")


def detect(text: str) -> bool:
    """A text that opens with a ``---`` (or ``+++``) line and closes the header with
    another."""
    opening = _OPENING.match(text)
    return opening is not None and "\n" + opening.group(1) in text[3:]


def parse(text: str, path: str, fields: Fields = DEFAULT_FIELDS) -> Parsed:
    """An event when the post has a date, a document otherwise; a post whose header cannot
    be read is read as plain text, with a problem."""
    try:
        metadata, content = _split(text)
    except Exception as error:  # noqa: BLE001 - YAML raises many kinds; any means "no header"
        parsed = plaintext.parse(text, path)
        reason = f"invalid front matter, read as plain text: {_first_line(error)}"
        parsed.problems.append(Problem(path, _error_line(error), reason))
        return parsed
    title = _text_field(metadata, "title") or _first_line_of(content) or PurePath(path).stem
    dating = post_dates(metadata, path, fields)
    names = entity_names(metadata, fields)
    problems = impossible_dates(metadata, text, path, fields)
    if dating.day is None:
        document = prose_document(path, title, "front-matter", content, names)
        return Parsed(documents=[document], problems=problems)
    body = strip_controls(content).strip()
    record = EventRecord(
        dating.day,
        title,
        body,
        _sources(metadata),
        list(names),
        document=path,
        via="tag",
        date_source=dating.source,
        end_date=dating.end,
        published=dating.published,
        lang=_text_field(metadata, "lang").lower(),
        ref=next(filter(None, (_text_field(metadata, name) for name in REF_FIELDS)), ""),
    )
    return Parsed(records=[record], problems=problems)


def handler(fields: Fields) -> Handler:
    """The front-matter handler reading posts with these fields."""
    if fields == DEFAULT_FIELDS:
        return HANDLER
    return _handler(fields)


@functools.cache
def _handler(fields: Fields) -> Handler:
    return Handler(HANDLER.name, detect, functools.partial(parse, fields=fields))


class Dating(NamedTuple):
    """When a post's event happened, and what else the header says of its dates."""

    day: date | None  # the event's day: None for a post without one (a document)
    source: str  # the field it came from, or "filename"
    published: date | None = None  # the post's own date, when another field dates the event
    end: date | None = None  # the day the event ends, when given and later than day


def post_dates(metadata: dict[str, Any], path: str, fields: Fields = DEFAULT_FIELDS) -> Dating:
    """The event's day and where it came from: the first of the fields' date_fields that
    holds a date (ISO or prose), else the post's own date (its PUBLISHED_FIELD, else a date
    opening the file name, ``2024-08-8-title.md``), which is then kept as published."""
    published, source = _as_date(metadata.get(PUBLISHED_FIELD)), PUBLISHED_FIELD
    if published is None:
        published, source = _as_date(PurePath(path).name), "filename"
    for name in fields.date_fields:
        day = _as_date(metadata.get(name))
        if day is not None:
            return Dating(day, name, published, _end_date(metadata, day, fields))
    return Dating(published, source)


def _end_date(metadata: dict[str, Any], day: date, fields: Fields) -> date | None:
    for name in fields.end_date_fields:
        end = _as_date(metadata.get(name))
        if end is not None:
            return end if end > day else None
    return None


def impossible_dates(
    metadata: dict[str, Any], text: str, path: str, fields: Fields = DEFAULT_FIELDS
) -> list[Problem]:
    """A problem for each date field that post_dates reads the post without: written as a
    date that no calendar has (2020-02-30, month 13, a five-digit year), or as no day at
    all (23/05/2024, which may be either order; tomorrow; May 2024)."""
    problems = []
    for name in dict.fromkeys((PUBLISHED_FIELD, *fields.date_fields, *fields.end_date_fields)):
        value = metadata.get(name)
        if not isinstance(value, str | int) or isinstance(value, bool) or _as_date(value):
            continue
        said = clean_inline(str(value))[:40]
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            reason = f"{name} {said} names no real day"
        elif said:
            reason = f"{name} {said!r} is no day (write YYYY-MM-DD): not read"
        else:
            continue
        problems.append(Problem(path, _field_line(text, name), reason))
    return problems


def _field_line(text: str, name: str) -> int:
    """The line that writes a field of the header (YAML's ``name:``, TOML's ``name =``, the
    name quoted or not); the opening line when no line starts so."""
    key = re.escape(name)
    found = re.search(rf"^(?:{key}|\"{key}\"|'{key}')[ \t]*[:=]", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def entity_names(metadata: dict[str, Any], fields: Fields = DEFAULT_FIELDS) -> tuple[str, ...]:
    """The names the entity fields give, each once, in the fields' order, but drop_tags.
    A field holds a list or a string of comma-separated names; HTML in a name is read as
    its text, and an item holding several links gives each link's text."""
    dropped = _folded(fields.drop_tags)
    names: dict[str, None] = {}
    for field in fields.entity_fields:
        for name in _names(metadata.get(field), field not in TAG_FIELDS):
            if fold(name) not in dropped:
                names.setdefault(name)
    return tuple(names)


def _names(value: object, joined: bool) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        return []
    found: list[str] = []
    for item in items:
        if isinstance(item, str):
            for part in _parts(item):
                found += _JOINS.split(part) if joined else [part]
    names = (_trimmed(clean_inline(name)) for name in found)
    return [name for name in names if any(char.isalnum() for char in name)]


def _parts(item: str) -> list[str]:
    """An item's text in parts: each link's on its own; the text between two links joins
    them ("/", "and", the Turkish "ve"), and is no name."""
    if "<" not in item:
        return [item]
    parts = html_parts(item)
    links = [number for number, (_, link) in enumerate(parts) if link]
    return [
        text
        for number, (text, link) in enumerate(parts)
        if link or not links or not links[0] < number < links[-1]
    ]


def _trimmed(name: str) -> str:
    """A name without the full stop of a sentence ("China Academy of Space Technology."),
    but with the dots of an abbreviation ("U.S.")."""
    return name[:-1].rstrip() if name.endswith(".") and name.count(".") == 1 else name


@functools.cache
def _folded(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(name) for name in names)


def _split(text: str) -> tuple[dict[str, Any], str]:
    if text.startswith("+++"):
        return _split_toml(text)
    from frontmatter.default_handlers import YAMLHandler  # yaml is slow to import: only here

    handler = YAMLHandler()
    header, content = handler.split(text)
    metadata = handler.load(header, Loader=_loader())
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise ValueError(f"the header is a {type(metadata).__name__}, not a mapping")
    return metadata, content


def _split_toml(text: str) -> tuple[dict[str, Any], str]:
    """python-frontmatter's TOML handler needs the toml package: its split, and tomllib."""
    import tomllib

    from frontmatter.default_handlers import BaseHandler

    header, content = BaseHandler(_TOML_BOUNDARY).split(text)
    return tomllib.loads(header), content


_TOML_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)  # python-frontmatter's own


@functools.cache
def _loader() -> type:
    """The safe loader (in C when libyaml is there), so that no tag can construct a Python
    object, reading dates as the strings they are: one impossible date (2016-02-30) then
    leaves that field unread, not the whole header."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_str)
    return Loader


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    if match := _ISO_DATE.match(value.strip()):
        try:
            return make_date(int(match[1]), int(match[3]), int(match[4]))
        except (DateError, ValueError):  # ValueError: a year of more digits than int() reads
            return None
    prose = parse_prose_date(value)
    return prose[0] if prose and prose[1] == "day" else None


def _text_field(metadata: dict[str, Any], name: str) -> str:
    value = metadata.get(name)
    return clean_inline(str(value)) if isinstance(value, str | int | float) else ""


def _sources(metadata: dict[str, Any]) -> list[Source]:
    """The post's source: sourceurl, titled by source; or source alone when it is a web
    address (source: https://...)."""
    url, title = _text_field(metadata, "sourceurl"), _text_field(metadata, "source")
    if not url and is_web_address(title):
        url = title
    return [Source(title or url, url)] if url else []


def _first_line_of(content: str) -> str:
    """The first line that says something, without Markdown's marks, and not a banner."""
    lines = (heading_text(line) for line in content.splitlines())
    return next((line for line in lines if line), "")


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return clean_inline(lines[0])


def _error_line(error: BaseException) -> int:
    # The header handed to YAML or TOML starts with the end of the opening line, so YAML's
    # 0-based line is the file's 1-based one, less one, and tomllib's 1-based one the file's.
    mark = getattr(error, "problem_mark", None)
    if mark is not None:
        return int(getattr(mark, "line", 0)) + 1
    found = _TOML_LINE.search(str(error))
    return int(found.group(1)) if found else 1


_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)$")  # how tomllib's errors end


HANDLER = Handler("front-matter", detect, parse)
