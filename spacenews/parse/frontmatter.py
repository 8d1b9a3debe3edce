"""Markdown with YAML front matter, as Hugo, Jekyll and Eleventy sites write it.

A post with a date is an event; without one it is a document. The YAML is loaded safely
(python-frontmatter uses ``yaml.SafeLoader``), and only fields of the expected types are read,
so a hostile header can neither run code nor blow up through aliases.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from spacenews.dates import DateError, make_date
from spacenews.model import EventRecord, Problem, Source
from spacenews.parse import Handler, Parsed, plaintext
from spacenews.parse.markup import heading_text
from spacenews.parse.plaintext import prose_document
from spacenews.prose import parse_prose_date
from spacenews.text import clean_inline, strip_controls

_OPENING = re.compile(r"---[ \t]*\n")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# Fields that carry the date of the event itself, in order of preference.
DATE_FIELDS = ("date", "eventdate", "launch_date")
# Tags that Jekyll and Eleventy sites use to gather posts into a collection, not to name a topic.
COLLECTION_TAGS = frozenset({"post", "posts"})


def detect(text: str) -> bool:
    """A text that opens with a ``---`` line and closes the header with another."""
    return _OPENING.match(text) is not None and "\n---" in text[3:]


def parse(text: str, path: str) -> Parsed:
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
    day, source = post_date(metadata, path)
    tags = _tags(metadata.get("tags"))
    if day is None:
        document = prose_document(path, title, "front-matter", content, tags)
        return Parsed(documents=[document])
    body = strip_controls(content).strip()
    record = EventRecord(day, title, body, _sources(metadata), list(tags), document=path)
    record.via, record.date_source = "tag", source
    return Parsed(records=[record])


def post_date(metadata: dict[str, Any], path: str) -> tuple[date | None, str]:
    """The post's date and where it came from: a date field of the header (ISO or prose),
    else a date opening the file name (``2024-08-8-title.md``)."""
    for name in DATE_FIELDS:
        day = _as_date(metadata.get(name))
        if day is not None:
            return day, name
    return _as_date(PurePath(path).name), "filename"


def _split(text: str) -> tuple[dict[str, Any], str]:
    from frontmatter.default_handlers import YAMLHandler  # yaml is slow to import: only here

    handler = YAMLHandler()
    header, content = handler.split(text)
    metadata = handler.load(header, Loader=_loader())
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise ValueError(f"the header is a {type(metadata).__name__}, not a mapping")
    return metadata, content


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
            return make_date(*(int(part) for part in match.groups()))
        except DateError:
            return None
    prose = parse_prose_date(value)
    return prose[0] if prose and prose[1] == "day" else None


def _text_field(metadata: dict[str, Any], name: str) -> str:
    value = metadata.get(name)
    return clean_inline(str(value)) if isinstance(value, str | int | float) else ""


def _tags(value: object) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        return ()
    tags = (clean_inline(item) for item in items if isinstance(item, str))
    return tuple(dict.fromkeys(tag for tag in tags if tag and tag.lower() not in COLLECTION_TAGS))


def _sources(metadata: dict[str, Any]) -> list[Source]:
    url = _text_field(metadata, "sourceurl")
    if not url:
        return []
    return [Source(_text_field(metadata, "source") or url, url)]


def _first_line_of(content: str) -> str:
    """The first line that says something, without Markdown's marks, and not a banner."""
    lines = (heading_text(line) for line in content.splitlines())
    return next((line for line in lines if line), "")


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return clean_inline(lines[0])


def _error_line(error: BaseException) -> int:
    # The header handed to YAML starts with the end of the opening --- line, so YAML's
    # 0-based line is the file's 1-based one, less one.
    mark = getattr(error, "problem_mark", None)
    return int(getattr(mark, "line", 0)) + 1 if mark is not None else 1


HANDLER = Handler("front-matter", detect, parse)
