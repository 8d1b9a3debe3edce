"""Fetching feeds into a corpus folder: the only part of spacenews that goes online.

Each response that is news (a feed, a JSON Feed, a Spaceflight News API page, a launch log)
is saved as a file of its own, so that an item is kept after it drops off the feed; the merge
makes one event of an item saved twice. The ETag and Last-Modified of each URL's last fetch
are kept in a hidden file of the folder (the walk skips it) and sent back, so that a feed that
did not change costs a "304 Not Modified" and writes nothing. Anything else (an HTML page, an
error status, a refused connection, a time-out, a response too large) is a FetchError and
writes nothing either.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from spacenews import __version__
from spacenews.files import written_aside

ENV_DATA_DIR = "SPACENEWS_DATA_DIR"
FEEDS_FOLDER = "feeds"  # under the user data folder: the default corpus along with the seeds
STATE_FILE = ".spacenews-fetch.json"  # hidden: never read as a document
TIMEOUT = 20.0  # seconds to connect, and between two reads
USER_AGENT = f"spacenews/{__version__} (command-line space-news reader)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.9, text/plain;q=0.5, */*;q=0.1"
)
# The handlers whose files are news; the others (plain text, pages) mean "no feed here".
NEWS_FORMATS = {"feed": ".xml", "json-feed": ".json", "snapi": ".json", "launch-log": ".txt"}
_SLUG = re.compile(r"[a-z0-9]+")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
_UNSENDABLE = re.compile(r"[\x00-\x20\x7f]")  # what http.client refuses in a URL


class FetchError(Exception):
    """A URL that gave no news: the message says why, in one line."""


class Fetched(NamedTuple):
    """What one URL gave."""

    url: str
    saved: Path | None  # the file written; None when the feed had not changed
    events: int  # events in the response
    documents: int  # undated items in the response


def default_folder() -> Path:
    """Where fetch saves without --into: $SPACENEWS_DATA_DIR/feeds, else the feeds folder of
    the user data folder of the platform (~/.local/share/spacenews/feeds on Linux)."""
    if configured := os.environ.get(ENV_DATA_DIR):
        return Path(os.path.expanduser(configured)) / FEEDS_FOLDER  # noqa: PTH111
    return user_data_dir() / FEEDS_FOLDER


def user_data_dir() -> Path:
    """spacenews's user data folder, as platformdirs (4.x) gives it. On Linux, by its rule
    (an absolute $XDG_DATA_HOME, else ~/.local/share) without importing it: every run of the
    default corpus asks, and the import costs about 6 ms (tests/test_fetch.py checks both)."""
    if sys.platform == "linux" and not hasattr(sys, "getandroidapilevel"):
        configured = Path(os.environ.get("XDG_DATA_HOME", ""))
        base = configured if configured.is_absolute() else Path("~/.local/share").expanduser()
        return base / "spacenews"
    import platformdirs

    return Path(platformdirs.user_data_dir("spacenews", appauthor=False))


def fetched_roots() -> list[Path]:
    """The default folder, when there is one: it belongs to the default corpus."""
    folder = default_folder()
    return [folder] if folder.is_dir() else []


def fetch_all(
    urls: Iterable[str],
    folder: Path,
    *,
    timeout: float = TIMEOUT,
    limit: int | None = None,
    done: Callable[[str, Fetched | FetchError], None] | None = None,
) -> list[Fetched | FetchError]:
    """Fetch each URL into the folder (made when missing), telling done of each outcome."""
    outcomes: list[Fetched | FetchError] = []
    for url in urls:
        try:
            outcome: Fetched | FetchError = fetch(url, folder, timeout=timeout, limit=limit)
        except FetchError as error:
            outcome = error
        outcomes.append(outcome)
        if done is not None:
            done(url, outcome)
    return outcomes


def fetch(url: str, folder: Path, *, timeout: float = TIMEOUT, limit: int | None = None) -> Fetched:
    """Fetch one URL and save the response in the folder when it is news and new."""
    import hashlib

    from spacenews.reading import MAX_FILE_BYTES

    check_url(url)
    state = _read_state(folder)
    known = state.get(url, {})
    status, headers, data = _get(url, known, timeout, MAX_FILE_BYTES if limit is None else limit)
    if status == 304:
        return Fetched(url, None, 0, 0)
    fmt, events, documents = _news(data, url)
    digest = hashlib.sha256(data).hexdigest()
    saved = None
    try:
        if digest != known.get("sha256"):  # a server that ignores conditional requests
            saved = _save(folder, url, data, NEWS_FORMATS[fmt])
        remembered = {"sha256": digest, "file": saved.name if saved else known.get("file", "")}
        remembered.update({k: v for k, v in headers.items() if v})
        state[url] = remembered
        _write_state(folder, state)
    except OSError as error:
        raise FetchError(f"{url}: cannot save into {folder}: {_said(error)}") from None
    return Fetched(url, saved, events, documents)


def check_url(url: str) -> None:
    """FetchError unless the URL is an http or https address with a host."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is no number raises
    except ValueError as error:
        raise FetchError(f"{url}: not a valid URL ({error})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs can be fetched")
    if not parts.hostname:
        raise FetchError(f"{url}: not a valid URL (no host)")
    if _UNSENDABLE.search(url):  # as http.client refuses them; a browser would escape them
        raise FetchError(f"{url}: not a valid URL (a space or control character: write %20)")


def _get(
    url: str, known: dict[str, str], timeout: float, limit: int
) -> tuple[int, dict[str, str], bytes]:
    """The status, validators (etag, last_modified) and body of a GET; FetchError when it
    fails or the body is larger than limit."""
    from http.client import HTTPException
    from urllib.error import HTTPError, URLError
    from urllib.request import Request, urlopen

    request = Request(_ascii(url), headers={"User-Agent": USER_AGENT, "Accept": ACCEPT})
    if known.get("etag"):
        request.add_header("If-None-Match", known["etag"])
    if known.get("last_modified"):
        request.add_header("If-Modified-Since", known["last_modified"])
    try:
        with urlopen(request, timeout=timeout) as response:
            data = response.read(limit + 1)
            headers = {
                "etag": response.headers.get("ETag", ""),
                "last_modified": response.headers.get("Last-Modified", ""),
            }
            status = int(response.status)
    except HTTPError as error:
        error.close()
        if error.code == 304:
            return 304, {}, b""
        raise FetchError(f"{url}: HTTP {error.code} {_said(error.reason)}") from None
    except TimeoutError:
        raise FetchError(f"{url}: no answer within {timeout:g} s") from None
    except URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise FetchError(f"{url}: no answer within {timeout:g} s") from None
        raise FetchError(f"{url}: cannot connect ({_said(reason)})") from None
    except HTTPException as error:  # an answer that is no HTTP: BadStatusLine, IncompleteRead
        raise FetchError(f"{url}: not an HTTP answer ({type(error).__name__})") from None
    except (OSError, ValueError) as error:  # a connection reset, a malformed response...
        raise FetchError(f"{url}: {_said(error)}") from None
    if len(data) > limit:
        raise FetchError(f"{url}: the response is larger than {limit} bytes")
    return status, headers, data


def _ascii(url: str) -> str:
    """The URL with the letters of its path and query that are not ASCII escaped in UTF-8,
    as a browser sends them (the host is left to IDNA)."""
    from urllib.parse import quote, urlsplit, urlunsplit

    parts = urlsplit(url)
    path, query = (_NOT_ASCII.sub(lambda m: quote(m[0]), part) for part in parts[2:4])
    return urlunsplit(parts._replace(path=path, query=query))


def _said(reason: object) -> str:
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return " ".join(str(text).split())


def _news(data: bytes, url: str) -> tuple[str, int, int]:
    """The format of a response that is news, and how many events and documents it holds;
    FetchError when it is none."""
    from spacenews.parse import handler_for
    from spacenews.reading import decode_bytes

    if b"\0" in data:
        raise FetchError(f"{url}: the response is binary, not a feed")
    text, _ = decode_bytes(data)
    handler = handler_for(text)
    if handler.name not in NEWS_FORMATS:
        raise FetchError(f"{url}: the response is no feed (it reads as {_kind(text)})")
    parsed = handler.parse(text, url)
    skipped = [problem for problem in parsed.problems if problem.skipped]
    if skipped:
        raise FetchError(f"{url}: the response is no feed ({skipped[0].reason})")
    from spacenews.links import merge_key

    events = {merge_key(record) for record in parsed.records}  # items of one story, one event
    return handler.name, len(events), len(parsed.documents)


def _kind(text: str) -> str:
    start = text.lstrip()[:200].lower()
    return "an HTML page" if start.startswith(("<!doctype html", "<html")) else "plain text"


def _save(folder: Path, url: str, data: bytes, suffix: str) -> Path:
    """Write the response under a name telling where and when it came from, never over
    another file: written aside, then moved into place."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    slug = "-".join(_SLUG.findall(f"{parts.hostname}{parts.path}".lower()))[:80] or "feed"
    stamp = _stamp()
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, 1000):
        name = f"{slug}-{stamp}{suffix}" if number == 1 else f"{slug}-{stamp}-{number}{suffix}"
        target = folder / name
        if not os.path.lexists(target):  # a link, even one to nothing, is taken
            break
    written_aside(folder, name, data, ".part").replace(target)
    return target


def _stamp() -> str:
    """Now, in UTC, as a saved file's name tells it."""
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _read_state(folder: Path) -> dict[str, dict[str, str]]:
    import json

    try:
        state: Any = json.loads((folder / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _write_state(folder: Path, state: dict[str, dict[str, str]]) -> None:
    import json

    text = json.dumps(state, indent=1, sort_keys=True) + "\n"
    written_aside(folder, STATE_FILE, text.encode(), ".part").replace(folder / STATE_FILE)
