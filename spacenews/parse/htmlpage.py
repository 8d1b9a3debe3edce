"""Web pages saved as HTML (a browser's "Save page as", wget, an archive): the page's text,
without its tags, scripts, menus and footers, read as prose.

A page that says when it was published (OpenGraph's ``article:published_time``,
schema.org's ``datePublished``, a ``date`` meta tag) is an event on that UTC day, as a
feed's item is: its title as the headline, its text as the body, its address as a source
named after the site, its ``article:tag`` and ``keywords`` as entities. Any other page is a
document, its dates in prose found as in a plain-text page.
"""

from __future__ import annotations

import re
from contextlib import suppress
from urllib.parse import urlsplit

from spacenews.model import Source
from spacenews.parse import Handler, Parsed
from spacenews.parse.items import item_document, item_record, utc_day
from spacenews.parse.markup import folded_paragraphs
from spacenews.text import clean_inline, strip_controls

# The root element, after an XML declaration, comments, white space: a doctype or <html>.
# A comment ends at its first -->: were it free to run on into the next (.*?), a text of many
# comments would be tried every way of grouping them, 2 ** n, before it is found no page.
_ROOT = re.compile(
    r"\s*(?:<\?[^>]*\?>\s*|<!--(?:(?!-->).)*-->\s*)*<(?:!doctype\s+html|html)[\s>]",
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
    """HTML whose root element is ``html`` (or that opens with an HTML doctype)."""
    return text.lstrip()[:1] == "<" and _ROOT.match(text[:4000]) is not None


def parse(text: str, path: str) -> Parsed:
    """An event when the page says the day it was published, a document otherwise."""
    from spacenews.parse.htmltext import PageReader

    reader = PageReader()
    reader.feed(text)
    reader.close()
    linked = _linked_data("\n".join(reader.linked))
    titles = (reader.meta("og:title"), linked.get("headline", ""), reader.heading, reader.title)
    title = next((clean_inline(t) for t in titles if clean_inline(t)), "")
    paragraphs = strip_controls(folded_paragraphs(reader.text())).split("\n\n")
    if title in paragraphs:  # the page's heading: its headline or title already
        paragraphs.remove(title)
    body = "\n\n".join(paragraphs)
    tags = list(dict.fromkeys(clean_inline(tag) for tag in reader.tags() if clean_inline(tag)))
    stamps = [reader.meta(name) for name in PUBLISHED_META]
    stamps += [linked.get("datePublished", ""), reader.time]
    day = next(filter(None, map(utc_day, stamps)), None)
    if day is None:
        return Parsed(documents=[item_document(path, title, body, "html", tags)])
    url = reader.meta("og:url") or reader.canonical
    source = None
    if url.startswith(("http://", "https://")):
        source = Source(reader.meta("og:site_name") or _host(url) or url, url)
    return Parsed(records=[item_record(day, title, body, source, tags, path)])


def _host(url: str) -> str:
    """The host of an address, without www.; "" when it has none or is no address."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # "http://[bad"
        return ""
    return host.removeprefix("www.")


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
