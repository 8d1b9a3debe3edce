"""JSON Feed 1.0 and 1.1 (jsonfeed.org), which feedparser does not read: an event per item
on the UTC day it was published, named after the feed; an item without a date is a
document."""

from __future__ import annotations

import re
from typing import Any

from spacenews.model import Problem, Source
from spacenews.parse import Handler, Parsed
from spacenews.parse.items import (
    body_text,
    field,
    item_document,
    item_record,
    load_json,
    tag_names,
    utc_day,
)
from spacenews.text import clean_inline

_VERSION = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/version/1')


def detect(text: str) -> bool:
    """A JSON object whose ``version`` is a jsonfeed.org version 1 address."""
    return text.lstrip()[:1] == "{" and _VERSION.search(text) is not None


def parse(text: str, path: str) -> Parsed:
    """An event per dated item, a document per undated one."""
    feed = load_json(text, path)
    if isinstance(feed, Problem):
        return Parsed(problems=[feed])
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        return Parsed(problems=[Problem(path, 0, "a JSON Feed without items", skipped=True)])
    name = field(feed, "title") or field(feed, "home_page_url")
    parsed = Parsed()
    for item in feed["items"]:
        if isinstance(item, dict):
            _add(parsed, item, clean_inline(name), path)
    return parsed


def _add(parsed: Parsed, item: dict[str, Any], feed: str, path: str) -> None:
    html = field(item, "content_html")
    body = body_text(html) if html else body_text(field(item, "content_text"), html=False)
    body = body or body_text(field(item, "summary"), html=False)
    title, tags = field(item, "title"), tag_names(item.get("tags"))
    day = utc_day(item.get("date_published"))
    if day is None:
        parsed.documents.append(item_document(path, title, body, "json-feed", tags))
        return
    url = field(item, "url") or field(item, "external_url")
    source = Source(feed or url, url) if url else None
    parsed.records.append(item_record(day, title, body, source, tags, path))


HANDLER = Handler("json-feed", detect, parse)
