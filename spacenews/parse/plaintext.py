"""Plain-text pages: anything no other handler claims, read as paragraphs of prose."""

from __future__ import annotations

import re

from spacenews.model import Document, Mention
from spacenews.parse import Handler, Parsed
from spacenews.parse.markup import heading_text
from spacenews.prose import find_dates, paragraphs
from spacenews.text import shorten, strip_controls

TITLE_CHARS = 120
_SENTENCE_END = re.compile(r"(?<=.)[.!?] ")
_PREFERRED_LANG = "en"  # when a page says a thing in several languages, mentions keep this one


def detect(text: str) -> bool:
    """Every text is plain text."""
    return True


def parse(text: str, path: str) -> Parsed:
    """A document titled by its first line with a word in it (without Markdown's marks, and
    not a site's banner), or by a heading close after it when that line is a caption; a file
    without a word in it yields nothing."""
    for line in text.splitlines():
        title = heading_text(line)
        if any(char.isalnum() for char in title):
            document = prose_document(path, _first_sentence(title), "text", text)
            return Parsed(documents=[_retitle(document)])
    return Parsed()


def _retitle(document: Document) -> Document:
    first = document.paragraphs[:3]
    if first and first[0].kind == "caption":
        heading = next((p.text for p in first if p.kind == "heading"), "")
        if heading:
            return document._replace(title=heading)
    return document


def prose_document(
    path: str,
    title: str,
    fmt: str,
    text: str,
    tags: tuple[str, ...] = (),
    *,
    decoded: bool = False,
) -> Document:
    """A document with its paragraphs, each in its language, and the dates they mention;
    decoded when a parser decoded the text's entities already (see prose.paragraphs)."""
    found = paragraphs(text, decoded=decoded)
    mentions: dict[tuple[object, ...], Mention] = {}
    ordered = sorted(found, key=lambda paragraph: paragraph.lang != _PREFERRED_LANG)
    for paragraph in ordered:
        for match in find_dates(paragraph.text):
            item = paragraph.title or title
            mention = Mention(
                match.date, match.precision, match.sentence, path, item, paragraph.lang
            )
            mentions.setdefault((match.date, match.precision, item), mention)
    ordered_mentions = sorted(mentions.values(), key=lambda m: (m.date, m.snippet))
    body = strip_controls(text).strip()
    return Document(path, title, fmt, body, tags, tuple(found), tuple(ordered_mentions))


def title_from_text(document: Document) -> str:
    """The title a document gets when its own is one many documents share (a site's name, a
    tagline): the first sentence of its first paragraph that says something else; "" when
    none does."""
    for paragraph in document.paragraphs:
        title = _first_sentence(paragraph.text.strip())
        if title != document.title and any(char.isalnum() for char in title):
            return title
    return ""


def _first_sentence(line: str) -> str:
    end = _SENTENCE_END.search(line)
    return shorten(line[: end.start() + 1] if end else line, TITLE_CHARS)


HANDLER = Handler("text", detect, parse)
