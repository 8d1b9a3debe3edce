"""Ranked full-text search (BM25) over events and documents, blind to case and diacritics."""

from __future__ import annotations

import functools
import heapq
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from spacenews.corpus import Corpus
from spacenews.index.terms import document_paragraphs, event_paragraphs, unit_text
from spacenews.model import Document, Event, EventText
from spacenews.prose import sentence_at
from spacenews.text import normalise

K1 = 1.2  # BM25 term-frequency saturation
B = 0.75  # BM25 length normalisation
COMMON = 0.25  # a word held by more than this part of the units is common (see _found)
_WORD = re.compile(r"\w+")
# A part of a query: NOT or - before it leaves out what holds it; then "a phrase", or a word.
_QUERY_PART = re.compile(r'(?:(NOT\s+|-(?=["\w])))?(?:"([^"]*)"?|(\S+))')
_LAST = "\U0010ffff"  # the last character of all, in every order
_STARTS = re.compile(r"\w\*+\Z")  # a bare word asking for every word that starts so
_EVENT_UNITS = "SELECT u.id FROM units u JOIN events e ON e.id = u.event WHERE "


def words(text: str) -> list[str]:
    """The normalised words of a text."""
    return _WORD.findall(normalise(text))


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What to look for: words, words by their start (``launch*``), and phrases that must
    appear as written."""

    terms: tuple[str, ...]  # every normalised word, those of the phrases included; a start, *
    # What must appear as written, each as its normalised words (the last may be a start).
    phrases: tuple[tuple[str, ...], ...] = ()
    loose: tuple[str, ...] | None = None  # the terms given alone (None: all of them)
    # What a result must not hold (NOT word, -word, NOT "a phrase"), as phrases are given.
    excluded: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def parse(cls, text: str) -> SearchQuery:
        """Read a query: words, "quoted phrases", and a word ending with * for every word
        that starts so (as FTS5 and most search boxes read it). Words written as one, with
        punctuation between them (``QMR-KWT-2``, ``ESA's``), are a phrase, as sqlite-utils
        search, which quotes each, has FTS5 read them. NOT (as FTS5 writes it) or - before a
        word or a phrase leaves out what holds it."""
        terms: list[str] = []
        phrases: list[tuple[str, ...]] = []
        loose: list[str] = []
        excluded: list[tuple[str, ...]] = []
        for negated, quoted, bare in _QUERY_PART.findall(text):
            found = words(quoted if quoted else bare)
            if not quoted and found and _STARTS.search(bare):
                found[-1] += "*"
            if negated and found:
                excluded.append(tuple(found))
                continue
            terms += found
            if len(found) > 1:
                phrases.append(tuple(found))
            else:
                loose += found
        unique = tuple(dict.fromkeys(terms))
        if not phrases:
            return cls(unique, excluded=tuple(excluded))
        return cls(unique, tuple(phrases), tuple(dict.fromkeys(loose)), tuple(excluded))


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
    query: SearchQuery  # what it matched, for highlighting

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
    """The full-text table of a database (see index.store: units and search), ready to be
    searched: SQLite's FTS5 finds which units hold each word and how often (its fts5vocab
    table), and BM25 is scored here, with the same formula and constants as always.

    FTS5's own bm25() weighs words in another way (its idf may be zero or clamped), so the
    scores would change; the words found are FTS5's, the arithmetic is ours."""

    def __init__(self, units: list[Unit] | None = None, *, corpus: Corpus | None = None) -> None:
        self.units = units or []
        self._corpus = corpus
        if corpus is not None and corpus.view is not None:
            self._db = corpus.view.db
            return
        from spacenews.index.store import MEMORY, connect

        self._db = connect(MEMORY, [])
        if corpus is not None:  # a corpus made in memory, without a database: its units
            self.units = units_of(corpus)
        rows = [(number, unit_text(unit.paragraphs)) for number, unit in enumerate(self.units, 1)]
        self._db.executemany(
            "INSERT INTO units(id, event, event_row, words) VALUES (?, ?, ?, ?)",
            [(number, str(number), number, length) for number, (_, length) in rows],
        )
        self._db.executemany(
            "INSERT INTO search(rowid, text) VALUES (?, ?)",
            [(number, text) for number, (text, _) in rows],
        )
        self._corpus = None

    @classmethod
    def of(cls, corpus: Corpus) -> SearchIndex:
        """The index of a corpus: its database's."""
        return cls(corpus=corpus)

    def _postings(self, term: str) -> dict[int, int]:
        """Unit -> how many times it holds the term: for a word written without spaces
        (CJK), how many times it holds the word's every pair of characters, where it holds
        them one after another; for a start (``launch*``), how many words starting so."""
        from spacenews.index.terms import word_terms

        start = term[:-1] if term.endswith("*") else None
        parts = word_terms(term if start is None else start)
        if start is not None and len(parts) == 1:
            return self._started(start)
        counts = [self._counts(part) for part in dict.fromkeys(parts[:-1])]
        # A start written without spaces: its pairs of characters one after another, the last
        # as a start ("火星乌*": 火星, then a term starting 星乌).
        counts.append(self._counts(parts[-1]) if start is None else self._started(parts[-1]))
        if len(parts) == 1:
            return counts[0]
        holding = self._phrase_units(parts, started=start is not None)
        return {unit: min(found.get(unit, 0) for found in counts) for unit in holding}

    def _started(self, start: str) -> dict[int, int]:
        """Unit -> how many of its words start so."""
        query = "SELECT doc FROM search_terms WHERE term >= ? AND term < ?"
        # Every term starting so sorts between it and it followed by the last character.
        return Counter(doc for (doc,) in self._db.execute(query, (start, start + _LAST)))

    def _counts(self, term: str, units: str | None = None) -> dict[int, int]:
        """Unit -> how many times it holds the term; only of these units (a JSON list), if
        given."""
        # Counted here: SQLite's GROUP BY would sort every place the term stands first.
        query = "SELECT doc FROM search_terms WHERE term = ?"
        if units is None:
            return Counter(doc for (doc,) in self._db.execute(query, (term,)))
        query += " AND doc IN (SELECT value FROM json_each(?))"
        return Counter(doc for (doc,) in self._db.execute(query, (term, units)))

    def _phrase_held(self, phrase: tuple[str, ...]) -> set[int]:
        """The units holding a phrase: its words one after another, or as text written
        without spaces holds them, where two words of such characters meet ("火星 探测" in
        火星探测, whose pairs of characters are 火星 星探 探测)."""
        from spacenews.index.terms import word_terms

        # A start's * is no word to FTS5's tokenizer: "expr*" is read as "expr".
        started = phrase[-1].endswith("*")
        held = set()
        for words in dict.fromkeys([phrase, _run_together(phrase)]):
            held |= self._phrase_units([t for word in words for t in word_terms(word)], started)
        return held

    def _phrase_units(self, words: list[str], started: bool = False) -> set[int]:
        """The units holding these terms one after another (the last as a start, if
        started)."""
        match = " + ".join(f'"{word}"' for word in words) + (" *" if started else "")
        query = "SELECT rowid FROM search WHERE search MATCH ?"
        return {rowid for (rowid,) in self._db.execute(query, (match,))}

    def dated_units(self, start: date | None, end: date | None) -> set[int]:
        """The units of the events from start to end (both included; None leaves that side
        open): the documents have no date."""
        low = start.toordinal() if start else 1
        high = end.toordinal() if end else date.max.toordinal()
        if self._corpus is None:
            return {
                number
                for number, unit in enumerate(self.units, 1)
                if unit.date is not None and low <= unit.date.toordinal() <= high
            }
        query = _EVENT_UNITS + "e.day BETWEEN ? AND ?"
        return {unit for (unit,) in self._db.execute(query, (low, high))}

    def event_units(self, positions: Iterable[int]) -> set[int]:
        """The units of the corpus's events at these positions (a memory corpus numbers its
        units as units_of lists them: its events first)."""
        view = self._corpus.view if self._corpus is not None else None
        if view is None:
            return {position + 1 for position in positions}
        from spacenews.index.view import BLOCK

        rowids = [view.rowids[position] for position in positions]
        found: set[int] = set()
        for low in range(0, len(rowids), BLOCK):
            block = rowids[low : low + BLOCK]
            marks = ",".join("?" * len(block))
            query = _EVENT_UNITS + f"e.rowid IN ({marks})"
            found.update(unit for (unit,) in self._db.execute(query, block))
        return found

    def search(
        self,
        text: str,
        limit: int | None = None,
        *,
        keep: set[int] | None = None,
        by_date: bool = False,
    ) -> list[Result]:
        """Units matching any word of the query (and every phrase), best first, or in the
        corpus's order (the events by date, then the documents) when by_date; only those
        in keep (unit ids), if given. The limit counts after ordering."""

        query = SearchQuery.parse(text)
        count, total, lengths = self._sizes()
        average = total / count if count else 0.0
        phrases = [self._phrase_held(phrase) for phrase in query.phrases]
        dropped = set().union(*(self._phrase_held(words) for words in query.excluded))

        def wanted(index: int) -> bool:
            return (
                (keep is None or index in keep)
                and all(index in held for held in phrases)
                and index not in dropped
            )

        sizes = _Sizes(count, average, lengths)
        every = keep is None and not phrases and not dropped  # each unit found is wanted
        shown = None if every else wanted
        found = self._found(query.terms, sizes, None if by_date else limit, shown)
        scores: defaultdict[int, float] = defaultdict(float)
        for term in query.terms:
            postings, holding = found[term]
            if isinstance(lengths, dict):
                self._lengths(lengths, [unit for unit in postings if unit not in lengths])
            _add_scores(scores, postings, holding, sizes)
        ranked = [pair for pair in scores.items() if every or wanted(pair[0])]
        if not by_date and limit is not None and len(ranked) > limit:
            best = heapq.nlargest(limit, [score for _, score in ranked])
            last = best[-1] if limit else math.inf  # those tied with it too
            ranked = [pair for pair in ranked if pair[1] >= last]
        keys = self._order([index for index, _ in ranked])
        if by_date:  # by kind and day, then by score
            ranked.sort(key=lambda pair: (keys[pair[0]][:2], -pair[1], keys[pair[0]]))
        else:
            ranked.sort(key=lambda pair: (-pair[1], keys[pair[0]]))
        units = self._units([index for index, _ in ranked[:limit]])
        return [
            Result(units[index], score, snippet(units[index], query), query)
            for index, score in ranked[:limit]
        ]

    def _found(
        self,
        terms: Sequence[str],
        sizes: _Sizes,
        limit: int | None,
        wanted: Callable[[int], bool] | None,
    ) -> dict[str, tuple[dict[int, int], int]]:
        """Each term's postings (unit -> how many times it holds the term) and how many units
        hold it. Most units hold the commonest words ("mission"), each adding so little to a
        score that a unit holding only those cannot be among the limit best: when the scores
        of the other words alone show it (MaxScore), the common words' postings are read for
        the units holding another word only. The scores are those of every posting. wanted
        tells which units may be shown (None: all)."""
        holding: dict[str, int] = {}
        if limit and len(terms) > 1 and self._corpus is not None:
            from spacenews.index.terms import word_terms

            plain = [term for term in terms if word_terms(term) == [term]]
            holding = {term: self._holding(term) for term in plain}
        common = {term for term, units in holding.items() if units > sizes.number * COMMON}
        found = {term: self._postings(term) for term in terms if term not in common}
        whole = {term: (postings, len(postings)) for term, postings in found.items()}
        if common and found and limit:
            partial: defaultdict[int, float] = defaultdict(float)
            for term in terms:
                if term in found:
                    _add_scores(partial, found[term], len(found[term]), sizes)
            shown = (
                partial.values()
                if wanted is None
                else [score for unit, score in partial.items() if wanted(unit)]
            )
            best = heapq.nlargest(limit, shown)
            # A common word adds less than its idf times k1 + 1 to any score.
            most = sum(_idf(holding[term], sizes.number) * (K1 + 1) for term in common)
            if len(best) == limit and most * (1 + 1e-9) < best[-1]:
                units = json.dumps(list(partial))
                return whole | {term: (self._counts(term, units), holding[term]) for term in common}
        return whole | {term: (p, len(p)) for term in common for p in [self._postings(term)]}

    def _holding(self, term: str) -> int:
        """How many units hold the term."""
        row = self._db.execute("SELECT doc FROM search_rows WHERE term = ?", (term,)).fetchone()
        return 0 if row is None else int(row[0])

    def _sizes(self) -> tuple[int, float, dict[int, int] | list[int]]:
        """How many units there are, their words in all, and each one's words: by its id
        (from the database's view, read at once), or a dict that _lengths fills."""
        view = self._corpus.view if self._corpus is not None else None
        if view is None:
            count, total = self._db.execute("SELECT count(*), total(words) FROM units").fetchone()
            return count, total, {}
        words = view.unit_words()
        missing = words.count(-1)
        return len(words) - missing, float(sum(words) + missing), words

    def _lengths(self, lengths: dict[int, int], wanted: list[int]) -> None:
        from spacenews.index.view import BLOCK

        for low in range(0, len(wanted), BLOCK):
            block = wanted[low : low + BLOCK]
            marks = ",".join("?" * len(block))
            query = f"SELECT id, words FROM units WHERE id IN ({marks})"
            lengths.update(self._db.execute(query, block))

    def _order(self, wanted: list[int]) -> dict[int, tuple[object, ...]]:
        """Where each unit stands in the corpus's order: the events in theirs (by day
        first), then the documents in the walk's (a tie in score keeps it); each key
        starts with 0 and the day for an event, 1 and 0 for a document."""
        if self._corpus is None:
            return {index: self._place(index) for index in wanted}
        from spacenews.index.view import BLOCK

        found: dict[int, tuple[object, ...]] = {}
        for low in range(0, len(wanted), BLOCK):
            block = wanted[low : low + BLOCK]
            marks = ",".join("?" * len(block))
            found.update(
                (row[0], (0, *row[1:]))
                for row in self._db.execute(
                    "SELECT u.id, e.day, e.headline_fold, e.id FROM units u"
                    f" JOIN events e ON e.id = u.event WHERE u.id IN ({marks})",
                    block,
                )
            )
            found.update(
                (row[0], (1, 0, *row[1:]))
                for row in self._db.execute(
                    "SELECT u.id, f.root, f.walk, u.seq FROM units u"
                    f" JOIN files f ON f.id = u.file WHERE u.id IN ({marks})",
                    block,
                )
            )
        return found

    def _place(self, index: int) -> tuple[object, ...]:
        """Where a unit of a memory corpus stands (see _order): they come in its order."""
        day = self.units[index - 1].date
        return (0, day.toordinal(), index) if day else (1, 0, index)

    def _units(self, wanted: list[int]) -> dict[int, Unit]:
        """The units shown, built from their event or document."""
        if self._corpus is None:
            return {index: self.units[index - 1] for index in wanted}
        from spacenews.index.codec import document_of, event_of, unpack
        from spacenews.index.view import BLOCK

        found: dict[int, Unit] = {}
        for low in range(0, len(wanted), BLOCK):
            block = wanted[low : low + BLOCK]
            marks = ",".join("?" * len(block))
            for index, data in self._db.execute(
                f"SELECT u.id, e.data FROM units u JOIN events e ON e.id = u.event"
                f" WHERE u.id IN ({marks})",
                block,
            ):
                found[index] = event_unit(event_of(unpack(data)))
            for index, data in self._db.execute(
                "SELECT u.id, d.data FROM units u JOIN documents d"
                f" ON d.file = u.file AND d.seq = u.seq WHERE u.id IN ({marks})",
                block,
            ):
                found[index] = document_unit(document_of(unpack(data)))
        return found


class _Sizes(NamedTuple):
    """What BM25 needs to know of the units: how many, their mean length, each one's."""

    number: int  # of units
    average: float
    lengths: dict[int, int] | list[int]  # by unit id


def _run_together(phrase: tuple[str, ...]) -> tuple[str, ...]:
    """A phrase's words as text written without spaces writes them: two words side by side
    that end and start with such characters are one."""
    from spacenews.text import has_cjk

    words = [phrase[0]]
    for word in phrase[1:]:
        if has_cjk(words[-1][-1]) and has_cjk(word[0]):
            words[-1] += word
        else:
            words.append(word)
    return tuple(words)


def _idf(holding: int, count: int) -> float:
    return math.log(1 + (count - holding + 0.5) / (holding + 0.5))


def _add_scores(
    scores: defaultdict[int, float], postings: dict[int, int], holding: int, sizes: _Sizes
) -> None:
    """Add a term's part to the scores of the units in its postings (BM25); holding is how
    many units hold it."""
    idf = _idf(holding, sizes.number)
    lengths, average = sizes.lengths, sizes.average or 1
    # The constants taken out of the loop, each operation as written in BM25's formula:
    # the same floats, in two thirds of the time.
    k1, b, rest, saturated = K1, B, 1 - B, K1 + 1
    for index, found in postings.items():
        norm = k1 * (rest + b * lengths[index] / average)
        scores[index] += idf * found * saturated / (found + norm)


def event_unit(event: Event | EventText) -> Unit:
    """An event as search shows it."""
    return Unit("event", event.id, event.date, event.headline, event_paragraphs(event))


def document_unit(document: Document) -> Unit:
    """A document as search shows it."""
    return Unit("document", document.path, None, document.title, document_paragraphs(document))


def units_of(corpus: Corpus) -> list[Unit]:
    """The units of a corpus, in its order."""
    units = [event_unit(event) for event in corpus.event_texts()]
    return units + [document_unit(document) for document in corpus.documents]


def snippet(unit: Unit, query: SearchQuery) -> str:
    """The sentence of the unit that holds the most of the query's phrases, then of its
    words (a phrase's words count where they stand as the phrase)."""
    best, best_hits, offset = "", (0, 0), 0
    for paragraph in unit.paragraphs:
        hits, phrases = _query_hits(paragraph, query)
        found = (len(phrases), len({term for _, _, term in hits}))
        if found > best_hits:
            # The sentence of the first phrase, if any: a word given alone before it in the
            # paragraph ("Mars is far. The red planet...") would show a sentence without it.
            best, best_hits, offset = paragraph, found, min(phrases, default=hits[0][0])
    return sentence_at(best, offset) if best else unit.title


def highlights(text: str, query: SearchQuery | tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the query's words (or these terms) stand in a text, as (start, end) spans: a
    phrase's words where they stand as the phrase ("ESA's" is not every "s")."""
    if isinstance(query, tuple):
        query = SearchQuery(query)
    return [(start, end) for start, end, _ in _query_hits(text, query)[0]]


def _query_hits(text: str, query: SearchQuery) -> tuple[list[tuple[int, int, str]], list[int]]:
    """The query's words in a text (see _text_hits), but a phrase's words given alone only
    where the phrase stands; and, for each of the query's phrases that stands in it, where
    it first does."""
    hits = _text_hits(text, query.terms)
    if not query.phrases:
        return hits, []
    loose = query.terms if query.loose is None else query.loose
    # A hit names the first term its word is, but a word may be several ("express" is ex*
    # and expr*, "mars" mars and mar*): each is asked of the word itself.
    said = [normalise(text[start:end]) for start, end, _ in hits]
    kept = [_term_of(word, loose) is not None for word in said]
    found: dict[tuple[str, ...], int] = {}
    for phrase in query.phrases:
        for at in range(len(hits)):
            if run := _phrase_at(text, hits, said, phrase, at):
                found.setdefault(phrase, hits[at][0])
                for number in run:
                    kept[number] = True
    return [hit for hit, keep in zip(hits, kept, strict=True) if keep], list(found.values())


def _phrase_at(
    text: str, hits: list[tuple[int, int, str]], said: list[str], phrase: tuple[str, ...], at: int
) -> list[int]:
    """The numbers of the hits that are the phrase's words, from the hit at, each the next
    word of the text after the one before (nothing but spaces and punctuation between);
    none when the phrase does not stand there. In text written without spaces hits overlap
    ("火星探测" holds 探测): the next word is any hit starting where the text goes on."""
    if _term_of(said[at], phrase[:1]) is None:
        return []
    run = [at]
    for word in phrase[1:]:
        end = hits[run[-1]][1]
        following = _WORD.search(text, end)
        if following is None:
            return []
        number = run[-1] + 1
        while number < len(hits) and hits[number][0] <= following.start():
            if _term_of(said[number], (word,)) is not None:
                break
            number += 1
        else:
            return []
        run.append(number)
    return run


def _text_hits(text: str, terms: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """The query's words in a text (see _hits), in order. An ASCII text's are found by one
    regex, at C speed: a search without a limit looks at every paragraph it gives."""
    if text.isascii():
        found = _ascii_words(terms).finditer(text.lower())
        return [(m.start(), m.end(), _term_of(m.group(), terms) or "") for m in found]
    return [hit for m in _WORD.finditer(text) for hit in _hits(m, terms)]


@functools.lru_cache(maxsize=16)
def _ascii_words(terms: tuple[str, ...]) -> re.Pattern[str]:
    """What finds, in an ASCII text lowered, the words that _hits finds in the text: those
    that are one of the terms (an ASCII word normalises to its lower case and holds no CJK);
    lowering an ASCII text moves none of its words."""
    ascii_terms = [
        re.escape(term[:-1]) + r"\w*" if term[-1] == "*" else re.escape(term)
        for term in terms
        if term.isascii()
    ]
    if not ascii_terms:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile(r"(?<!\w)(?:" + "|".join(ascii_terms) + r")(?!\w)")


def _hits(word: re.Match[str], terms: Sequence[str]) -> list[tuple[int, int, str]]:
    """The query's words that a word of a text is, or (in a text written without spaces)
    holds: each with where it starts and ends in the text."""
    folded = normalise(word.group())
    if term := _term_of(folded, terms):
        return [(word.start(), word.end(), term)]
    from spacenews.index.terms import pieces
    from spacenews.text import has_cjk

    if not has_cjk(folded) or len(folded) != len(word.group()):
        return []
    start = word.start()
    found = [
        (start + at, start + at + len(term.rstrip("*")), term)
        for term in terms
        if has_cjk(term)
        for at in _places(folded, term.rstrip("*"))
    ]
    # A word of other letters among those characters ("研制的exomars微量") is a term too.
    for piece in pieces(folded):  # (a run of those characters is a term holding some)
        if (term := _term_of(piece.group(), terms)) and not has_cjk(term):
            found.append((start + piece.start(), start + piece.end(), term))
    return sorted(found)


def _term_of(word: str, terms: Sequence[str]) -> str | None:
    """The query's term a normalised word is: itself, or the first start (``launch*``) it
    begins with; None when it is none."""
    if word in terms:
        return word
    return next((t for t in terms if t[-1] == "*" and word.startswith(t[:-1])), None)


def _places(text: str, term: str) -> list[int]:
    found = []
    at = text.find(term)
    while at != -1:
        found.append(at)
        at = text.find(term, at + 1)
    return found
