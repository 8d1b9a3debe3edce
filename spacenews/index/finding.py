"""Which events and documents may name an entity, found by SQLite before a name's regex is
tried on their texts: the plain ones (see text.plain_words) by their words in text_words,
the others by their texts (see _may_hold)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from spacenews.index.codec import sql_text
from spacenews.text import plain_words

if TYPE_CHECKING:
    from spacenews.entities import Finder


def event_texts(
    db: sqlite3.Connection, finder: Finder, besides: Iterable[str] = ()
) -> Iterable[tuple[int, str, int]]:
    """The rowid, texts and plain of each event in whose headline, body or source titles the
    finder may match, but for those tied to one of the folded names besides: the plain ones
    whose words hold the words a match starts with, and the others whose texts hold them."""
    conditions, words = _may_hold(finder)
    if not conditions:
        return []
    tied = list(besides)

    def untied(rowid: str) -> str:  # the condition that leaves the tied events out
        if not tied:
            return ""
        marks = ",".join("?" * len(tied))
        return f" AND {rowid} NOT IN (SELECT event_row FROM ties WHERE name IN ({marks}))"

    match = _words_match(finder)
    plain = "" if match is None else "plain = 0 AND "  # None: every text is read
    query = (
        "SELECT rowid, texts, plain FROM events INDEXED BY events_texts"
        f" WHERE {plain}({conditions}){untied('rowid')}"
    )
    values = [*words, *tied]
    if match:
        query = (
            # Tied events are left out by their units' rowid in events, before their row is
            # read: most events that hold an entity's words are tied to it.
            "SELECT e.rowid, e.texts, e.plain FROM text_words w JOIN units u ON u.id = w.rowid"
            " JOIN events e ON e.rowid = u.event_row"
            f" WHERE text_words MATCH ?{untied('u.event_row')}"
            f" UNION ALL {query}"
        )
        values = [match, *tied, *values]
    return db.execute(query, values)


def document_rows(
    db: sqlite3.Connection, finder: Finder, folded: Iterable[str], columns: str
) -> Iterable[tuple[Any, ...]]:
    """The columns (of documents d and units u) of the documents, in the walk's order,
    that are tagged with one of these folded names or whose paragraphs may hold a match of
    the finder (as event_texts finds events)."""
    tags = [sql_text(name) for name in folded]
    conditions, words = _may_hold(finder, "d.")
    match = _words_match(finder) if conditions else None
    found = []  # each a query of (file, seq), and its values
    if tags:
        marks = ",".join("?" * len(tags))
        found.append((f"SELECT file, seq FROM tags WHERE fold IN ({marks})", tags))
    if match:
        query = (
            "SELECT file, seq FROM units WHERE id IN (SELECT rowid FROM text_words"
            " WHERE text_words MATCH ?) AND file IS NOT NULL"
        )
        found.append((query, [match]))
    if match is not None:
        conditions = f"d.plain = 0 AND ({conditions})"
    if conditions:  # the texts are looked at in their index, without the rest of each row
        query = "SELECT d.file, d.seq FROM documents d INDEXED BY documents_texts WHERE "
        found.append((query + conditions, words))
    if not found:
        return []
    query = (
        f"WITH m AS MATERIALIZED ({' UNION '.join(query for query, _ in found)})"
        f" SELECT {columns} FROM m JOIN documents d ON d.file = m.file AND d.seq = m.seq"
        " JOIN files f ON f.id = d.file JOIN units u ON u.file = d.file AND u.seq = d.seq"
        " ORDER BY f.root, f.walk, d.seq"
    )
    return db.execute(query, [value for _, values in found for value in values])


def _words_match(finder: Finder) -> str | None:
    """The FTS5 query of text_words that finds each plain text (see text.plain_words) in
    which the finder may match: one holding the words of a word a match starts with. A word
    with a character no plain text holds is left out: as finder folds it, only a text that is
    not plain can match it. "" when every word is; None when a plain word has no word
    character (then every text is read)."""
    alternatives = set()
    for word in [*finder.exact, *finder.folded]:
        if not plain_words(word):
            continue
        parts = re.findall(r"\w+", word)
        if not parts:
            return None
        alternatives.add(" AND ".join(f'"{part.lower()}"' for part in parts))
    return " OR ".join(f"({alternative})" for alternative in sorted(alternatives))


def _may_hold(finder: Finder, table: str = "") -> tuple[str, list[str]]:
    """The SQL condition that a row's texts hold a word a match of the finder starts with,
    and its values; no condition when no match can start anywhere."""
    conditions = [f"instr({table}texts, ?)" for _ in finder.exact]
    if finder.folded:
        conditions.append(f"{table}texts_folded IS NULL")
        conditions += [f"instr({table}texts_folded, ?)" for _ in finder.folded]
    return " OR ".join(conditions), [*finder.exact, *finder.folded]
