"""One handler per document format; each says whether a text is its own and parses it.

The format is detected from the content, never from the file name: the seeds are ``.txt``
files holding markdown. The first handler whose ``detect`` accepts a text parses it; plain
text accepts everything, so every readable file yields something.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from spacenews.model import Document, EventRecord, Problem


@dataclass(slots=True)
class Parsed:
    """Everything one file yielded."""

    records: list[EventRecord] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class Handler(NamedTuple):
    """A document format: a cheap test of the text, and the parser for it."""

    name: str
    detect: Callable[[str], bool]
    parse: Callable[[str, str], Parsed]  # (text, path relative to the corpus root)


def handlers() -> tuple[Handler, ...]:
    """The handlers, most specific first."""
    from spacenews.parse import eventpage, frontmatter, plaintext

    return (eventpage.HANDLER, frontmatter.HANDLER, plaintext.HANDLER)


def parse_text(text: str, path: str) -> Parsed:
    """Parse a decoded text with the first handler that recognises it."""
    for handler in handlers():
        if handler.detect(text):
            return handler.parse(text, path)
    raise AssertionError("the plain-text handler accepts every text")  # pragma: no cover
