"""Which event a record belongs to: its id, or for a news item, its day and its link.

One story seen in several feeds (or in a feed and a Spaceflight News API response) has one
link but as many headlines as there are editors: items of one day whose links are the same,
once normalised, are one event, whatever feed or format they came from. Pages that translate
one another (same file name in language folders, or the same front-matter ``ref``) are one
event of their day; an item written once with its story's title before its headline
("Rosetta mission. The Philae lander ...") is the item written without it.

The key is decided from the record alone, so that the index can merge again only the events
that the changed files tell of.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacenews.model import event_id
from spacenews.text import fold, headline_slug

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spacenews.model import EventRecord

# The date_source of a record that a feed or news API published, with a link of its own.
PUBLISHED = "published"
# Query parameters that track a reader rather than name a page.
_TRACKING = re.compile(r"utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref", re.IGNORECASE)
_KEY_RUN = re.compile(r"[a-z0-9]+")
# A language folder or name part, as multilingual sites write it: "en", "tr", "pt-br".
_LANG = re.compile(r"[a-z]{2}(?:-[a-z]{2,4})?")
_DAY_PREFIX = re.compile(r"\d{4}-\d{1,2}-\d{1,2}-")


def merge_key(record: EventRecord) -> str:
    """The key under which records merge: a published item's day and normalised link, a
    translated page's day and translation key (its ref: see mark_translations), any other
    record's id (its day and its headline without its story's title)."""
    if record.date_source == PUBLISHED and record.sources:
        link = normalise_url(record.sources[0].url)
        if link:
            return f"{record.date.isoformat()}/{'-'.join(_KEY_RUN.findall(link.lower()))}"
    if record.ref:
        return f"{record.date.isoformat()}/{headline_slug(record.ref)}"
    return event_id(record.date, own_headline(record))


def mark_translations(records: Sequence[EventRecord]) -> None:
    """Give the record of a page its language and translation key (see translation). Only a
    file that tells of one event is a page: the items of a day page in a language folder
    stay items of their own."""
    if len(records) == 1:
        record = records[0]
        record.lang, record.ref = translation(record)


def translation(record: EventRecord) -> tuple[str, str]:
    """The language of a record's page and the key its translations share, "" for what
    nothing tells: a front-matter ``lang`` or ``ref`` (the parser keeps them on the record)
    beats the path. A path tells them when one of its folders is a language code (``en/``,
    ``tr/``, ``pt-br/``, ``_i18n/tr/_posts/``): the key is then the file name without its
    date and extension (``2018-08-11-parker.md``: ``parker``)."""
    lang, ref = record.lang, record.ref
    *folders, name = record.document.split("/")
    found = next((folder for folder in reversed(folders) if _LANG.fullmatch(folder)), "")
    if found and not ref:
        stem = name.partition(".")[0]
        ref = _DAY_PREFIX.sub("", stem, count=1) or stem
    return lang or found, ref


def own_headline(record: EventRecord) -> str:
    """A record's headline without a leading story title ending in ". ": the title of its
    story; for a record without a story, one of the names it gives (a first sentence that
    is only a name). Any other first sentence stays: it may be the news itself."""
    headline = record.headline
    for title in [record.story] if record.story else record.entities:
        end = len(title)
        if title and headline[end : end + 2] == ". " and fold(headline[:end]) == fold(title):
            return headline[end + 2 :].strip() or headline
    return headline


def normalise_url(url: str) -> str:
    """The address without what does not change the page: the scheme, ``www.``, a default
    port, the fragment, tracking parameters, a final slash and the case of the host; the
    query's other parameters sorted. "" when it is no web address."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").removeprefix("www.")
    if parts.scheme not in ("http", "https") or not host:
        return ""
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.fullmatch(name)
    )
    path = parts.path.rstrip("/")
    return host + path + (f"?{urlencode(query)}" if query else "")
