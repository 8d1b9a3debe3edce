"""Plain-text pages: anything no other handler claims. The first line is the title."""

from __future__ import annotations

from spacenews.model import Document
from spacenews.parse import Handler, Parsed
from spacenews.text import clean_inline, strip_controls


def detect(text: str) -> bool:
    """Every text is plain text."""
    return True


def parse(text: str, path: str) -> Parsed:
    """A document titled by its first line with a word in it; a file without one yields nothing."""
    for line in text.splitlines():
        title = clean_inline(line)
        if any(char.isalnum() for char in title):
            return Parsed(documents=[Document(path, title, "text", strip_controls(text).strip())])
    return Parsed()


HANDLER = Handler("text", detect, parse)
