"""Which event a record belongs to: its id, or for a news item, its day and its link.

One story seen in several feeds (or in a feed and a Spaceflight News API response) has one
link but as many headlines as there are editors: items of one day whose links are the same,
once normalised, are one event, whatever feed or format they came from.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacenews.model import event_id

if TYPE_CHECKING:
    from spacenews.model import EventRecord

# The date_source of a record that a feed or news API published, with a link of its own.
PUBLISHED = "published"
# Query parameters that track a reader rather than name a page.
_TRACKING = re.compile(r"utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref", re.IGNORECASE)
_KEY_RUN = re.compile(r"[a-z0-9]+")


def merge_key(record: EventRecord) -> str:
    """The key under which records merge: a published item's day and normalised link, any
    other record's id (its day and headline)."""
    if record.date_source == PUBLISHED and record.sources:
        link = normalise_url(record.sources[0].url)
        if link:
            return f"{record.date.isoformat()}/{'-'.join(_KEY_RUN.findall(link.lower()))}"
    return event_id(record.date, record.headline)


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
