"""The words of a text as the full-text table holds them.

A text is case-folded and stripped of its diacritics (text.normalise), and cut into its
runs of word characters, as search reads a query (search.words). Languages written without
spaces would then make a whole sentence one word: there, each run of CJK characters (Han,
kana, Hangul) becomes its overlapping pairs of characters instead ("火星探测" -> 火星 星探
探测), as Lucene's CJK analyzer makes them, and a lone character stays a word of its own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from spacenews.model import Document, Event, EventText, english_first, translated
from spacenews.text import CJK_CHARS, has_cjk, normalise, without_scripts

_WORD = re.compile(r"\w+")


@functools.cache
def _pieces() -> re.Pattern[str]:
    return re.compile(f"[{CJK_CHARS}]+|[^{CJK_CHARS}]+")


def pieces(text: str) -> Iterator[re.Match[str]]:
    """The runs of the text's characters of languages written without spaces, and the runs
    of the others between them, in order."""
    return _pieces().finditer(text)


def word_terms(word: str) -> list[str]:
    """The terms of one normalised word: itself, or its pieces and CJK pairs."""
    if not has_cjk(word):
        return [word]
    found: list[str] = []
    for piece in (match.group() for match in pieces(word)):
        if not has_cjk(piece) or len(piece) == 1:
            found.append(piece)
        else:
            found += [piece[at : at + 2] for at in range(len(piece) - 1)]
    return found


def terms(normalised: str) -> list[str]:
    """The terms of a normalised text, in order."""
    return _terms(normalised, _WORD.findall(normalised))


def _terms(normalised: str, words: list[str]) -> list[str]:
    if not has_cjk(normalised):
        return words
    return [term for word in words for term in word_terms(word)]


def event_paragraphs(event: Event | EventText) -> tuple[str, ...]:
    """What search reads of an event: its headline, body and entities, then the headlines
    and bodies of its translations (a search in either language finds it)."""
    others = event.others if isinstance(event, EventText) else translated(event)
    texts = (event.headline, event.body, ", ".join(event.entities), *others)
    return tuple(map(without_scripts, texts))  # what a reader sees: show drops them too


def document_paragraphs(document: Document) -> tuple[str, ...]:
    """What search reads of a document: its title and paragraphs, English first (where a
    page says everything twice, the snippet is English when both versions match)."""
    texts = (document.title, *(paragraph.text for paragraph in english_first(document)))
    return tuple(map(without_scripts, texts))  # a post without a date, as an event's


def unit_text(paragraphs: Sequence[str]) -> tuple[str, int]:
    """A unit's text as the full-text table holds it, and its length in words for BM25: its
    runs of word characters (a run of CJK characters is one, however many pairs the table
    holds of it)."""
    normalised = normalise("\n".join(paragraphs))
    words = _WORD.findall(normalised)
    return " ".join(_terms(normalised, words)), len(words)
