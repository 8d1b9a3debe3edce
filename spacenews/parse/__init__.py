"""One handler per document format; each says whether a text is its own and parses it.

The format is detected from the content, never from the file name: the seeds are ``.txt``
files holding markdown. The first handler whose ``detect`` accepts a text parses it; plain
text accepts everything, so every readable file yields something.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from spacenews.model import Document, EventRecord, Problem

if TYPE_CHECKING:
    from spacenews.parse.fields import Fields


class Parsed:
    """Everything one file yielded (a plain class, as EventRecord is)."""

    __slots__ = ("documents", "problems", "records")

    def __init__(
        self,
        records: list[EventRecord] | None = None,
        documents: list[Document] | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.records = [] if records is None else records
        self.documents = [] if documents is None else documents
        self.problems = [] if problems is None else problems


class Handler(NamedTuple):
    """A document format: a cheap test of the text, and the parser for it."""

    name: str
    detect: Callable[[str], bool]
    # (text, path relative to the corpus root)
    parse: Callable[[str, str], Parsed]


# Each format's module, most specific first, and the characters a text it takes may start
# with, white space aside (None: any): handler_for imports a module only for a text that may
# be its own, since a corpus mostly holds one or two formats and each module costs every
# start milliseconds (a test checks that it chooses as handlers() would).
_FORMATS = (
    ("eventpage", None),
    ("frontmatter", "-+"),
    ("feed", "<"),
    ("htmlpage", "<"),
    ("jsonfeed", "{"),
    ("snapi", "{["),
    ("launchlog", "#"),
    ("plaintext", None),
)


def handlers(fields: Fields | None = None) -> tuple[Handler, ...]:
    """The handlers, most specific first; fields says which front-matter fields say what
    (a corpus's spacenews.toml: None for the defaults)."""
    return tuple(_handler(module, fields) for module, _ in _FORMATS)


def handler_for(text: str, fields: Fields | None = None) -> Handler:
    """The first handler that recognises the text (see handlers)."""
    first = text.lstrip()[:1]
    for module, starts in _FORMATS:
        if starts is None or first in starts:
            handler = _handler(module, fields)
            if handler.detect(text):
                return handler
    raise AssertionError("the plain-text handler accepts every text")  # pragma: no cover


@functools.cache  # asked for each file: import_module costs more than detecting the format
def _handler(module: str, fields: Fields | None) -> Handler:
    from importlib import import_module

    found = import_module(f"spacenews.parse.{module}")
    custom = module == "frontmatter" and fields is not None
    handler: Handler = found.handler(fields) if custom else found.HANDLER
    return handler


def reads_long_lines(text: str) -> bool:
    """Whether the text is XML or JSON news, or a web page, whose parsers read lines of any
    length in linear time: such a text is not cut at long lines (a saved API page or feed is
    often one line, a minified page too)."""
    from spacenews.parse import feed, htmlpage, jsonfeed, snapi

    handlers = (feed.HANDLER, jsonfeed.HANDLER, snapi.HANDLER, htmlpage.HANDLER)
    return any(handler.detect(text) for handler in handlers)


def parse_text(text: str, path: str, fields: Fields | None = None) -> Parsed:
    """Parse a decoded text with the first handler that recognises it (front matter read
    with these fields: None for the defaults)."""
    return handler_for(text, fields).parse(text, path)
