"""Web pages saved as HTML (a browser's "Save page as", wget, an archive): the page's text,
without its tags, scripts, menus, banners, footers and comments, read as prose.

A page that says when it was published (OpenGraph's ``article:published_time``,
schema.org's ``datePublished``, a ``date`` meta tag) is an event on the day its time stamp
writes (the publisher's own day, which its text gives), as a feed's item is: its title as
the headline, its text as the body, its address as a source named after the site, its
``article:tag`` metas as entities. Any other page is a document, its dates in prose found as
in a plain-text page.
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from spacenews.model import Problem, Source
from spacenews.parse import Handler, Parsed
from spacenews.parse.items import item_document, item_record
from spacenews.parse.markup import folded_paragraphs, host_of
from spacenews.text import clean_inline, strip_controls

if TYPE_CHECKING:
    from spacenews.parse.htmltext import PageReader

# The root element, after an XML declaration, comments, white space: a doctype or <html>.
# A comment ends at its first -->: were it free to run on into the next (.*?), a text of many
# comments would be tried every way of grouping them, 2 ** n, before it is found no page.
_ROOT = re.compile(
    r"\s*(?:<\?[^>]*\?>\s*|<!--(?:(?!-->).)*-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]",
    re.DOTALL | re.IGNORECASE,
)
# The meta tags that say when a page was published, by their name or property, best first.
PUBLISHED_META = (
    "article:published_time",
    "datepublished",
    "date",
    "dc.date",
    "dcterms.date",
    "dc.date.issued",
    "pubdate",
    "publish-date",
)
# schema.org's fields in a page's JSON-LD, where news sites give its date and headline.
_LD_FIELD = re.compile(r'"(datePublished|headline)"\s*:\s*("(?:[^"\\\n]|\\.){1,500}")')


def detect(text: str) -> bool:
    """HTML whose root element is ``html`` (or that opens with an HTML doctype, or with its
    head or body, as a page may leave out ``<html>``)."""
    return text.lstrip()[:1] == "<" and _ROOT.match(text[:4000]) is not None


def parse(text: str, path: str) -> Parsed:
    """An event when the page says the day it was published, a document otherwise; nothing
    when it only sends the reader elsewhere (a redirect, as jekyll-redirect-from writes)."""
    reader = _read(text)
    if _REDIRECT.match(reader.meta("refresh")):
        return Parsed()
    linked = _linked_data("\n".join(reader.linked))
    # The parser decoded the page's entities: "&amp;lt;" is what the page shows, "&lt;". Its
    # JSON-LD, which no parser decoded, is read as a feed's text is.
    read = [_decoded(reader.meta("og:title")), clean_inline(linked.get("headline", ""))]
    read += [_decoded(reader.heading), _decoded(reader.title)]
    title = next(filter(None, read), "")
    paragraphs = strip_controls(folded_paragraphs(reader.text())).split("\n\n")
    if title in paragraphs:  # the page's heading: its headline or title already
        paragraphs.remove(title)
    body = "\n\n".join(paragraphs)
    tags = list(dict.fromkeys(filter(None, map(_decoded, reader.tags()))))
    said = [reader.meta(name) for name in PUBLISHED_META]
    stamps = [*said, linked.get("datePublished", ""), reader.main_time or reader.time]
    day = next(filter(None, map(_day, stamps)), None)
    if day is None:
        document = item_document(path, title, body, "html", tags, decoded=True)
        parsed = Parsed(documents=[document])
        if any(said):
            stamp = clean_inline(next(filter(None, said)))[:40]
            reason = f"its date of publication is no date ({stamp!r}): read as undated"
            parsed.problems.append(Problem(path, 0, reason))
        return parsed
    url = _untracked(reader.meta("og:url") or reader.canonical)
    source = None
    if url.startswith(("http://", "https://")):
        # Decoded by the parser, as the title: "&amp;region=eu" is "&region=eu", not "®ion=eu".
        source = Source(reader.meta("og:site_name") or host_of(url) or url, url)
    record = item_record(day, title, body, source, tags, path, decoded=True)
    return Parsed(records=[record])


def _read(text: str) -> PageReader:
    """The page read; read again when its class and id patterns took it for clutter: with
    them said of the elements that held its heading or main element (unless it has a main
    element or articles of its own, which hold its text), or of none when all its text was
    theirs (as Readability reads a page again without them)."""
    from spacenews.parse.htmltext import PageReader

    reader = PageReader()
    reader.feed(text)
    reader.close()
    held = reader.held and not reader.own_text()  # not a menu's h1 (mdBook's)
    if held or (reader.named_text and not reader.text().strip()):
        reader = PageReader(frozenset(reader.held) if held else None)
        reader.feed(text)
        reader.close()
    return reader


def _decoded(text: str) -> str:
    """Text the parser decoded, cleaned (without decoding it again)."""
    return clean_inline(text, decoded=True)


_REDIRECT = re.compile(r"\s*0+(?:\.0*)?\s*(?:[;,]|$)")  # a refresh at once: "0; url=..."


def _day(stamp: str) -> date | None:
    """The day an ISO 8601 time stamp writes, in its own time zone (the publisher's day:
    "2019-02-22T08:30:00+09:00" is February 22nd, as the page's text says), or the day a
    date in prose gives ("March 5, 2019"); None when it gives no day, or one of a year
    outside 1000 to 2999 ("0001-01-01T00:00:00Z")."""
    from datetime import datetime

    from spacenews.prose import YEARS, parse_prose_date

    day: date | None
    try:
        day = datetime.fromisoformat(stamp.strip()).date()
    except ValueError:
        found = parse_prose_date(stamp) if stamp else None
        day = found[0] if found and found[1] == "day" else None
    # Not Go's or .NET's zero time, nor their last: a page without a date (Hugo's) says so.
    return day if day and day.year in YEARS else None


def _untracked(url: str) -> str:
    """An address without the parameters that track where a reader came from (utm_...)."""
    if "utm_" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    kept = [part for part in parts.query.split("&") if not part.startswith("utm_")]
    return parts._replace(query="&".join(kept)).geturl()


def _linked_data(text: str) -> dict[str, str]:
    """The first datePublished and headline that the page's JSON-LD gives (as strings): the
    text of its application/ld+json scripts, not a code sample's or another script's data."""
    import json

    found: dict[str, str] = {}
    for match in _LD_FIELD.finditer(text):
        with suppress(ValueError):
            found.setdefault(match.group(1), json.loads(match.group(2)))
    return found


HANDLER = Handler("html", detect, parse)
