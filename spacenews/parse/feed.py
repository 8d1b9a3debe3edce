"""RSS 0.9x, 1.0 and 2.0 and Atom feeds, read by feedparser (imported only when a feed is
met: it costs tens of milliseconds). Each item is an event on the UTC day it was published:
its title as the headline, its content or summary (HTML read as text) as the body, its link
as a source named after the feed, its categories as entities. An item without a date is a
document."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from spacenews.model import Problem, Source
from spacenews.parse import Handler, Parsed
from spacenews.parse.items import body_text, item_document, item_record
from spacenews.parse.markup import html_text
from spacenews.text import clean_inline

# The root element, after an XML declaration, processing instructions, comments, a doctype
# (a comment ends at its first -->: see htmlpage._ROOT).
_ROOT = re.compile(
    r"\s*(?:<\?[^>]*\?>\s*|<!--(?:(?!-->).)*-->\s*|<!DOCTYPE[^>]*>\s*)*"
    r"<(?:rss|feed|(?:\w+:)?RDF)[\s>/]",
    re.DOTALL,
)
# feedparser reads bytes; the loader has decoded them already, so they go back as UTF-8.
_HEADERS = {"content-type": "application/xml; charset=utf-8"}


def detect(text: str) -> bool:
    """XML whose root element is ``rss``, ``feed`` (Atom) or ``RDF`` (RSS 1.0)."""
    return text.lstrip()[:1] == "<" and _ROOT.match(text[:4000]) is not None


def parse(text: str, path: str) -> Parsed:
    """An event per dated item, a document per undated one; a feed that is not well-formed
    XML gives a problem, with the items read (skipped when none was)."""
    import io

    import feedparser  # type: ignore[import-untyped]

    # Its HTML is read as text here (scripts dropped): sanitising it first would be waste.
    data = io.BytesIO(text.encode("utf-8"))
    feed = feedparser.parse(
        data, response_headers=_HEADERS, sanitize_html=False, resolve_relative_uris=False
    )
    parsed = Parsed()
    broken = bool(feed.get("bozo"))
    name = clean_inline(feed.feed.get("title", "") or feed.feed.get("link", ""))
    for entry in feed.entries:
        _add(parsed, entry, name, path, broken)
    if broken:
        error = feed.get("bozo_exception")
        line = int(getattr(error, "getLineNumber", lambda: 0)() or 0)
        if line and not text.startswith("<?xml"):  # feedparser wrote a declaration line first
            line -= 1
        # The line is the problem's own: the message goes without the parser's "<unknown>:5:10:".
        message = str(getattr(error, "getMessage", lambda: error)())
        reason = f"not a well-formed feed: {clean_inline(message)}"
        skipped = not parsed.records and not parsed.documents
        parsed.problems.append(Problem(path, line, reason, skipped=skipped))
    return parsed


def _add(parsed: Parsed, entry: Any, feed: str, path: str, broken: bool = False) -> None:
    contents = [part.get("value") for part in entry.get("content", [])]
    body = body_text(*contents, entry.get("summary"))
    title = html_text(entry.get("title", ""))
    tags = [
        clean_inline(tag.get("label") or tag.get("term") or "") for tag in entry.get("tags", [])
    ]
    tags = list(dict.fromkeys(tag for tag in tags if tag))
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    if when is None:
        # An item a broken feed cut off before its title or text is none: as a document it
        # would be titled by the file's name, and say nothing.
        if title or body or not broken:
            parsed.documents.append(item_document(path, title, body, "feed", tags))
        return
    day = date(when.tm_year, when.tm_mon, when.tm_mday)  # feedparser gives it in UTC
    url = entry.get("link", "")
    if not (title or body or url):  # nothing to tell, nor to open: no event
        reason = f"an item of {day.isoformat()} has no title, text nor link: skipped"
        parsed.problems.append(Problem(path, 0, reason))
        return
    source = Source(feed or url, url) if url else None
    parsed.records.append(item_record(day, title, body, source, tags, path))


HANDLER = Handler("feed", detect, parse)
