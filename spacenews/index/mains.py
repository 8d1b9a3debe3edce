"""Main names: events give their entities by the one name each entity goes by everywhere.

A file may call an entity by an alias ("ISS") or in a case of its own ("Nasa"); which name is
the entity's main one depends on the whole corpus (the acronyms its texts define, the first
spelling it meets) and on the alias tables. So the merge writes each event with the names as
written, and after every write (or when the alias tables change) the events whose names have
another main name are written again with it: their json and data give the main names as
``entities`` and the names as written as ``names``. Documents give their tags' main names as
``entities`` the same way.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from spacenews.index.codec import (
    document_of,
    document_row,
    event_of,
    event_row,
    pack,
    sql_text,
    unpack,
)
from spacenews.index.store import GENERATION, kept_key, writing
from spacenews.text import fold

if TYPE_CHECKING:
    from spacenews.entities import AliasTable
    from spacenews.model import Event

BLOCK = 500


def tables_key(tables: Sequence[AliasTable]) -> str:
    """A digest of the alias tables: the main names change with them. None, as for the
    built-in seeds, is "": hashlib costs about 7 ms of a start to import."""
    if not tables:
        return ""
    import hashlib

    return hashlib.sha256(repr(tables).encode("utf-8", "surrogatepass")).hexdigest()


def give_main_names(
    db: sqlite3.Connection,
    merged: Collection[str] = (),
    names_of: tuple[str] | None = None,
    *,
    tables: Sequence[AliasTable],
) -> None:
    """Write again, with their entities' main names, the events that need it: those merged
    since the last time, and those whose names' main names have changed. Inside a write
    transaction (refresh's, which tells which events it merged, and names_of: the generation
    whose names, tags and acronyms the write left as they were, if it did), or in one of
    its own when the alias tables alone changed."""
    if db.in_transaction:
        _give(db, tables, merged, names_of)
        return
    if _key(db, tables) == _given_key(db):
        return
    with writing(db):
        _give(db, tables, ())


def _key(db: sqlite3.Connection, tables: Sequence[AliasTable]) -> str:
    return kept_key(db.execute(GENERATION).fetchone(), tables_key(tables))


def _given_key(db: sqlite3.Connection) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = 'mains'").fetchone()
    return None if row is None else str(row[0])


def _give(
    db: sqlite3.Connection,
    tables: Sequence[AliasTable],
    merged: Collection[str],
    names_of: tuple[str] | None = None,
) -> None:
    """merged: the events merged since the main names were last given; names_of: see
    give_main_names."""
    key, given = _key(db, tables), _given_key(db)
    if key == given:
        return
    before = dict(db.execute("SELECT name, main FROM mains"))
    if names_of is not None and given == kept_key(names_of, tables_key(tables)):
        # Given from these very names, tags and acronyms, with these tables: the gazetteer
        # would be the same, and so would every main name (about 0.13 s at 100,000
        # documents, the first run after a change, not spent).
        mains, changed = before, []
    else:
        mains = _mains(db, tables)
        changed = [n for n in before.keys() | mains.keys() if before.get(n) != mains.get(n)]
    if changed:
        db.execute("DELETE FROM mains")
        db.executemany("INSERT INTO mains VALUES (?, ?)", mains.items())
    # The events merged since, whose names have other main names, and those whose names'
    # main names changed; the others give those of the mains table already.
    # Events are found by their names' folded forms: the merge keeps one spelling of a
    # folded name, where a related link's context keeps each as written, and gives it its
    # main name too.
    query = (
        "SELECT n.event FROM names n WHERE n.event IN (SELECT value FROM json_each(?))"
        " AND n.fold IN (SELECT value FROM json_each(?))"
    )
    folds = _folds(mains)
    events = {event for (event,) in db.execute(query, (json.dumps(sorted(merged)), folds))}
    if changed:
        query = "SELECT n.event FROM names n WHERE n.fold IN (SELECT value FROM json_each(?))"
        events.update(event for (event,) in db.execute(query, (_folds(changed),)))
    _write_again(db, sorted(events), mains, merged)
    query = (
        "SELECT DISTINCT t.file, t.seq FROM tags t JOIN mains m ON m.name = t.name"
        " WHERE NOT EXISTS"
        " (SELECT 1 FROM named_documents n WHERE n.file = t.file AND n.seq = t.seq)"
        " UNION SELECT t.file, t.seq FROM tags t WHERE t.name IN (SELECT value FROM json_each(?))"
    )
    documents = db.execute(query, (json.dumps(changed),)).fetchall()
    _write_documents_again(db, documents, mains)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('mains', ?)", (key,))


def _folds(names: Collection[str]) -> str:
    """The folded forms of names, as the names table holds them (its fold), in JSON."""
    return json.dumps(sorted({sql_text(fold(name)) for name in names}))


def _mains(db: sqlite3.Connection, tables: Sequence[AliasTable]) -> dict[str, str]:
    """The main name of each entity name and tag that goes by another, from the gazetteer
    of the whole corpus."""
    from spacenews.entities import build_gazetteer
    from spacenews.index.view import names

    found = names(db)
    gazetteer = build_gazetteer(tables, found.names, found.acronyms)
    written = [name for (name,) in db.execute("SELECT name FROM names UNION SELECT name FROM tags")]
    resolve = gazetteer.resolve
    return {name: main for name in written if (main := resolve(name)) not in (None, name)}


def _write_again(
    db: sqlite3.Connection, events: list[str], mains: dict[str, str], merged: Collection[str]
) -> None:
    """Write the events again with these main names. An event merged by this write holds
    its names as written; another holds its related links' context by the main names of
    an earlier write, which the names as written alone can map again: it is merged again
    from its records (its rows but json and data stay)."""
    from spacenews.index.fresh import merged_event, records_of
    from spacenews.jsonbytes import encode

    for low in range(0, len(events), BLOCK):
        block = events[low : low + BLOCK]
        marks = ",".join("?" * len(block))
        rows = db.execute(f"SELECT id, data FROM events WHERE id IN ({marks})", block).fetchall()
        earlier = dict(records_of(db, [ident for ident, _ in rows if ident not in merged]))
        updated = []
        for ident, data in rows:
            told = earlier.get(ident)
            written = merged_event(ident, told) if told is not None else event_of(unpack(data))
            event = with_main_names(written, mains)
            updated.append((encode(event.to_dict()), pack(event_row(event)), ident))
        db.executemany("UPDATE events SET json = ?, data = ? WHERE id = ?", updated)


def _write_documents_again(
    db: sqlite3.Connection, documents: list[tuple[int, int]], mains: dict[str, str]
) -> None:
    updated = []
    for file, seq in documents:
        (data,) = db.execute(
            "SELECT data FROM documents WHERE file = ? AND seq = ?", (file, seq)
        ).fetchone()
        document = document_of(unpack(data))
        entities = by_main_names(document.tags, mains)
        same = entities == document.tags
        changed = document._replace(entities=() if same else entities)
        updated.append((pack(document_row(changed)), file, seq))
    db.executemany("UPDATE documents SET data = ? WHERE file = ? AND seq = ?", updated)
    db.executemany("INSERT OR IGNORE INTO named_documents VALUES (?, ?)", documents)


def with_main_names(event: Event, mains: dict[str, str]) -> Event:
    """The event with its entities, and those its related links share, by their main names."""
    written = event.names or event.entities
    entities = by_main_names(written, mains)
    related = tuple(
        link._replace(context=by_main_names(link.context, mains)) for link in event.related
    )
    same = entities == written
    return event._replace(entities=entities, names=() if same else written, related=related)


def by_main_names(names: Sequence[str], mains: dict[str, str]) -> tuple[str, ...]:
    """The names by their main names, each once, in their order."""
    return tuple(dict.fromkeys(mains.get(name, name) for name in names))
