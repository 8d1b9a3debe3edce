"""Cleaning text that came from a document before it is stored or shown."""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL, and the bidi overrides that can disguise text on a terminal.
# Newline and tab survive: they are layout, not commands.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A whole escape sequence (CSI or OSC), so that its parameters do not remain as text.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_WIKI_EMPHASIS = re.compile(r"'{2,}")
# Anything clean_inline must fold or remove: a control character, or white space other than
# single spaces.
_UNCLEAN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|[^\\S ]|  ")
_SPACES = re.compile(r"\s+")
_SLUG_RUN = re.compile(r"[a-z0-9]+")
SLUG_LENGTH = 140  # the news corpus cuts its slugs at this many characters of the headline


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters, keeping newlines and tabs."""
    if "\x1b" in text:
        text = _ESCAPE.sub("", text)
    return _CONTROL.sub("", text)


def clean_inline(text: str) -> str:
    """One line of document text: entities decoded, wiki emphasis dropped, spaces folded."""
    # Each step runs only when a cheap test says it has work: this is the loader's hot path.
    if "&" in text:
        from html import unescape  # on first need: its table of entities is slow to import

        text = unescape(text)
    if "''" in text:
        text = _WIKI_EMPHASIS.sub("", text)
    # Every character _UNCLEAN finds but the double space is unprintable, and isprintable is
    # five times quicker than the search: most lines are clean, and skip it.
    if (not text.isprintable() or "  " in text) and _UNCLEAN.search(text):
        text = _SPACES.sub(" ", strip_controls(text))
    return text.strip()


def slugify(text: str) -> str:
    """The URL slug the news corpus derives from a headline: its runs of lower-case letters
    and digits, joined by hyphens."""
    return "-".join(_SLUG_RUN.findall(text[:SLUG_LENGTH].lower()))


def fold(name: str) -> str:
    """The key under which names compare: case- and space-insensitive."""
    return " ".join(name.split()).casefold()


def printable(text: str) -> str:
    """Text with every control character shown as an escape, for names such as file paths."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text.replace("\n", "\\n"))
