"""Ranked full-text search (BM25) over events and documents, blind to case and diacritics."""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from typing import Any, NamedTuple

from spacenews.corpus import Corpus
from spacenews.model import Document
from spacenews.prose import sentence_at

K1 = 1.2  # BM25 term-frequency saturation
B = 0.75  # BM25 length normalisation
_WORD = re.compile(r"\w+")
_QUERY_PART = re.compile(r'"([^"]*)"?|(\S+)')


def normalise(text: str) -> str:
    """Lower case without diacritics: "Planète" and "planete" become the same."""
    if text.isascii():  # nothing to decompose or drop: most text, and search's hot path
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The normalised words of a text."""
    return _WORD.findall(normalise(text))


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What to look for: words, and phrases that must appear as written."""

    terms: tuple[str, ...]  # every normalised word, those of the phrases included
    phrases: tuple[tuple[str, ...], ...]  # quoted phrases, each as its normalised words

    @classmethod
    def parse(cls, text: str) -> SearchQuery:
        """Read a query: words, and "quoted phrases"."""
        terms: list[str] = []
        phrases: list[tuple[str, ...]] = []
        for quoted, bare in _QUERY_PART.findall(text):
            found = words(quoted if quoted else bare)
            terms += found
            if quoted and len(found) > 1:
                phrases.append(tuple(found))
        return cls(tuple(dict.fromkeys(terms)), tuple(phrases))


class Unit(NamedTuple):
    """One searchable item: an event or a document (a tuple: a search makes one of each item
    of the corpus, and a frozen dataclass is several times slower to make)."""

    kind: str  # "event" or "document"
    key: str  # event id or document path
    date: date | None
    title: str
    paragraphs: tuple[str, ...]  # the text, title first


@dataclass(frozen=True, slots=True)
class Result:
    """A unit that matched, with its score and the sentence that best shows why."""

    unit: Unit
    score: float
    snippet: str
    terms: tuple[str, ...]  # the query's words, for highlighting

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of a search result."""
        key = "id" if self.unit.kind == "event" else "path"
        return {
            "kind": self.unit.kind,
            key: self.unit.key,
            "date": self.unit.date.isoformat() if self.unit.date else None,
            "title": self.unit.title,
            "snippet": self.snippet,
            "score": round(self.score, 3),
        }


class SearchIndex:
    """Every event and document of a corpus, ready to be searched.

    Each unit's text is kept normalised, end to end in one string, with its length in words.
    A query's few words are then found by one regex search each over that string, rather than
    by an inverted index of every word of the corpus, which took most of a search's time to
    build and was used for a handful of its words."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        texts = [normalise("\n".join(unit.paragraphs)) for unit in units]
        self._lengths = [len(_WORD.findall(text)) for text in texts]
        self._starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
        self._text = "\n".join(texts)  # no word runs across a line end: units stay apart
        self._average = sum(self._lengths) / len(units) if units else 0.0

    def _postings(self, term: str) -> dict[int, int]:
        """Unit -> how many of its words are the term (a query word: a run of word
        characters, so a match bounded by non-word characters is one of the unit's words).

        The pattern opens with the term itself, which the regex engine looks for quickly
        (a rare word in 27 MB: 0.02 s, against 0.6 s when it opened with the lookbehind);
        the character before is checked where the term stands."""
        found: dict[int, int] = {}
        starts, text = self._starts, self._text
        for match in re.finditer(re.escape(term) + r"(?!\w)", text):
            start = match.start()
            if start and _is_word(text[start - 1]):
                continue
            unit = bisect_right(starts, start) - 1
            found[unit] = found.get(unit, 0) + 1
        return found

    def _holds(self, unit: int, phrase: re.Pattern[str]) -> bool:
        """Whether the unit's text matches a phrase's pattern (see _phrase)."""
        return phrase.search(self._text, self._starts[unit], self._starts[unit + 1] - 1) is not None

    @classmethod
    def of(cls, corpus: Corpus) -> SearchIndex:
        """The index of a corpus."""
        units = [
            Unit("event", e.id, e.date, e.headline, (e.headline, e.body, ", ".join(e.entities)))
            for e in corpus.event_texts()
        ]
        units += [
            Unit("document", d.path, None, d.title, (d.title, *_english_first(d)))
            for d in corpus.documents
        ]
        return cls(units)

    def search(self, text: str, limit: int | None = None) -> list[Result]:
        """Units matching any word of the query (and every phrase), best first."""
        query = SearchQuery.parse(text)
        phrases = [_phrase(phrase) for phrase in query.phrases]
        scores: defaultdict[int, float] = defaultdict(float)
        for term in query.terms:
            postings = self._postings(term)
            idf = math.log(1 + (len(self.units) - len(postings) + 0.5) / (len(postings) + 0.5))
            for index, count in postings.items():
                norm = K1 * (1 - B + B * self._lengths[index] / (self._average or 1))
                scores[index] += idf * count * (K1 + 1) / (count + norm)
        ranked = [
            (index, score)
            for index, score in scores.items()
            if all(self._holds(index, phrase) for phrase in phrases)
        ]
        ranked.sort(key=lambda pair: (-pair[1], pair[0]))
        return [
            Result(self.units[i], score, snippet(self.units[i], query), query.terms)
            for i, score in ranked[:limit]
        ]


def _is_word(char: str) -> bool:
    """Whether the regex engine takes the character for a word character (\\w)."""
    return char.isalnum() or char == "_"


def _phrase(phrase: tuple[str, ...]) -> re.Pattern[str]:
    """A phrase's words one after the other, with nothing but non-word characters between
    them: in a normalised text, that is the words of the text holding them in a row."""
    return re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, phrase)) + r"(?!\w)")


def _english_first(document: Document) -> list[str]:
    # Where a page says everything twice, the snippet is English when both versions match.
    paragraphs = sorted(document.paragraphs, key=lambda paragraph: paragraph.lang != "en")
    return [paragraph.text for paragraph in paragraphs]


def snippet(unit: Unit, query: SearchQuery) -> str:
    """The sentence of the unit that holds the most of the query's words."""
    best, best_hits, offset = "", 0, 0
    for paragraph in unit.paragraphs:
        hits = [m for m in _WORD.finditer(paragraph) if normalise(m.group()) in query.terms]
        distinct = len({normalise(m.group()) for m in hits})
        if distinct > best_hits:
            best, best_hits, offset = paragraph, distinct, hits[0].start()
    return sentence_at(best, offset) if best else unit.title


def highlights(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the query's words stand in a text, as (start, end) spans."""
    wanted = set(terms)
    return [m.span() for m in _WORD.finditer(text) if normalise(m.group()) in wanted]
