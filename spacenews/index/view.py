"""The corpus as the database holds it: each part read when a command first needs it."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from datetime import date
from itertools import groupby
from typing import TYPE_CHECKING, overload

from spacenews.index.codec import (
    document_of,
    event_of,
    mention_of,
    problems_of,
    unpack,
)
from spacenews.index.finding import document_rows, event_texts
from spacenews.index.store import (
    GENERATION,
    file_of,
    integers,
    kept_key,
    kept_value,
)
from spacenews.model import Document, Event, EventText, Mention, Problem, translated

if TYPE_CHECKING:
    from spacenews.corpus import Index, Names
    from spacenews.entities import Finder, Gazetteer

BLOCK = 500  # rows asked for at a time by their ids
_ORDER = "ORDER BY day, headline_fold, id"
_WALK = "JOIN files f ON f.id = {0}.file ORDER BY f.root, f.walk"
_PROBLEMS = "problems != x'5b5d' ORDER BY root, walk"  # as files_problems: not '[]'


class View:
    """The events of the database in their order, and what the queries ask of it."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._file = file_of(db)
        made = None if db.in_transaction else self._kept_order()
        # One read transaction for the whole command: another run that updates the database
        # meanwhile changes nothing this one sees (WAL keeps the state it started from).
        if not db.in_transaction:
            db.execute("BEGIN")
        self._generation = db.execute(GENERATION).fetchone()
        if made is not None and made[0] == self._generation:
            self.rowids, self.days = made[1]
        else:  # another run wrote meanwhile
            self.rowids, self.days = self._read_order()
        self._places: dict[int, int] | None = None

    def _kept_order(self) -> tuple[tuple[str], tuple[list[int], list[int]]]:
        """The rowids and days of the events in their order, with the generation they are
        of: read at once from the one row that keeps them, where sorting the events' index
        costs a tenth of a second a hundred thousand events. When the row is not there, it
        is written, before the command's read transaction begins, so that the log is left
        empty (see store.empty_log)."""
        from array import array

        from spacenews.index.store import BUSY_TIMEOUT_MS, empty_log

        db = self.db
        db.execute("BEGIN")
        try:
            generation = db.execute(GENERATION).fetchone()
            both = integers(kept_value(db, "order", generation))
            if both is not None and len(both) % 2 == 0:
                half = len(both) // 2
                return generation, (both[:half].tolist(), both[half:].tolist())
            order = self._read_order()
        finally:
            db.execute("COMMIT")
        if self._file is None:
            return generation, order
        kept = array("q", order[0] + order[1]).tobytes()
        try:
            db.execute("PRAGMA busy_timeout = 0")  # another run writes: keep nothing
            db.execute("BEGIN IMMEDIATE")
            now = db.execute(GENERATION).fetchone()
            if now == generation:
                query = "INSERT OR REPLACE INTO kept VALUES ('order', ?, ?)"
                db.execute(query, (kept_key(generation), kept))
            db.execute("COMMIT")
            empty_log(db)
        except sqlite3.Error:
            if db.in_transaction:
                db.execute("ROLLBACK")
        finally:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return generation, order

    def _read_order(self) -> tuple[list[int], list[int]]:
        rows = self.db.execute(f"SELECT rowid, day FROM events {_ORDER}").fetchall()
        return [row[0] for row in rows], [row[1] for row in rows]

    def unit_words(self) -> list[int]:
        """How many words search holds of each unit, by the unit's id (-1 for an id no unit
        has): kept for the next run, as one row read at once."""
        from array import array

        words = integers(self.kept("units"))
        if words is not None:
            return words.tolist()
        words = array("q")
        rows = self.db.execute("SELECT id, words FROM units").fetchall()
        found = [-1] * (max((ident for ident, _ in rows), default=0) + 1)
        for ident, count in rows:
            found[ident] = count
        words.fromlist(found)
        self.keep({"units": ("", words.tobytes())})
        return found

    def kept(self, name: str, key: str = "") -> bytes | None:
        """What keep kept under this name for the database as this command sees it (its
        generation) and this key; None when nothing is."""
        return kept_value(self.db, name, self._generation, key)

    def keep(self, values: dict[str, tuple[str, bytes]]) -> None:
        """Keep values derived from the database for the next run, by name, each with the
        key of what else it depends on (see _write); a database of this run only keeps
        nothing."""
        if self._file is None:
            return

        def write(writer: sqlite3.Connection) -> None:
            writer.executemany(
                "INSERT OR REPLACE INTO kept VALUES (?, ?, ?)",
                [
                    (name, kept_key(self._generation, key), value)
                    for name, (key, value) in values.items()
                ],
            )

        self._write(write)

    def by_rowid(self, column: str, positions: Iterable[int]) -> Iterator[bytes]:
        """A column of the events at these positions, in their order."""
        rowids = [self.rowids[position] for position in positions]
        for low in range(0, len(rowids), BLOCK):
            block = rowids[low : low + BLOCK]
            marks = ",".join("?" * len(block))
            found = dict(
                self.db.execute(
                    f"SELECT rowid, {column} FROM events WHERE rowid IN ({marks})",
                    block,
                )
            )
            yield from (found[rowid] for rowid in block)

    def event_parts(
        self, positions: Sequence[int], names: Iterable[str]
    ) -> Iterator[tuple[int, list[str] | None, list[tuple[str, str]]]]:
        """For the events at these positions, in their order: each one's position, headline,
        body and source titles (None when one holds a NUL, which would cut its texts
        elsewhere) and its ties to these folded names, without building the event."""
        folded = list(names)
        marks = ",".join("?" * len(folded))
        ties: dict[int, list[tuple[str, str]]] = {}
        query = f"SELECT event_row, name, via FROM ties WHERE name IN ({marks}) ORDER BY rowid"
        for rowid, name, via in self.db.execute(query, folded) if folded else ():
            ties.setdefault(rowid, []).append((name, via))
        rowids = [self.rowids[position] for position in positions]
        for low in range(0, len(rowids), BLOCK):
            block = rowids[low : low + BLOCK]
            marks = ",".join("?" * len(block))
            query = (
                "SELECT rowid, texts, json_array_length(CAST(json AS TEXT), '$.sources')"
                f" FROM events WHERE rowid IN ({marks})"
            )
            texts = {rowid: (text, count) for rowid, text, count in self.db.execute(query, block)}
            for position, rowid in zip(positions[low : low + BLOCK], block, strict=True):
                text, sources = texts[rowid]
                parts = text.split("\0")
                whole = sources is not None and len(parts) == 2 + sources
                yield position, parts if whole else None, ties.get(rowid, [])

    def views(self, positions: Iterable[int]) -> list[memoryview]:
        """The JSON of the events at these positions (see corpus.StoredJson)."""
        return [memoryview(data) for data in self.by_rowid("json", positions)]

    def index(self) -> Index:
        """The filters' view of the events (see corpus.Index)."""
        from spacenews.corpus import index_rows

        place = {rowid: position for position, rowid in enumerate(self.rowids)}
        tied: list[list[tuple[str, str]]] = [[] for _ in self.rowids]
        query = "SELECT event_row, name, via FROM ties ORDER BY rowid"
        for rowid, name, via in self.db.execute(query):
            tied[place[rowid]].append((name, via))
        texts = self.db.execute(f"SELECT texts FROM events {_ORDER}")
        rows = ((day, text, ties) for day, text, ties in zip(self.days, texts, tied, strict=True))
        return index_rows(rows)

    def spelling(self, folded: str) -> str | None:
        """The first spelling, in the corpus's order, of an entity name or tag with this
        folded form: the one the gazetteer keeps (see corpus.Names)."""
        return spelling(self.db, folded)

    def bare_spellings(self, name: str) -> list[str]:
        """The first spelling of each entity name or tag that differs from name only in
        case, spaces or diacritics (see text.bare)."""
        return bare_spellings(self.db, name)

    def positions(self, rowids: Iterable[int]) -> set[int]:
        """The positions of the events of these rowids."""
        if self._places is None:
            self._places = {rowid: position for position, rowid in enumerate(self.rowids)}
        return {self._places[rowid] for rowid in rowids}

    def tied(self, folded: Iterable[str]) -> set[int]:
        """The positions of the events tied to any of these folded names."""
        names = list(folded)
        marks = ",".join("?" * len(names))
        query = f"SELECT event_row FROM ties WHERE name IN ({marks})"
        return self.positions(rowid for (rowid,) in self.db.execute(query, names))

    def naming(self, finder: Finder, besides: Iterable[str] = ()) -> set[int]:
        """The positions of the events whose headline, body or source titles the finder
        matches in, but for those tied to one of the folded names besides (found already by
        tied); the regex is tried only on those that may hold a match (see finding)."""
        # A plain text holds no character of a language written without spaces: its regex is
        # known without looking (see entities.NamePattern).
        search, plain_search = finder.pattern.search, finder.pattern.plain.search
        found = event_texts(self.db, finder, besides)
        return self.positions(
            rowid for rowid, texts, plain in found if (plain_search if plain else search)(texts)
        )

    def documents_for(self, finder: Finder, folded: Iterable[str]) -> list[Document]:
        """The documents, in the walk's order, that are tagged with one of these folded
        names or whose paragraphs may hold a match of the finder (see naming): the others
        cannot be related to the entity, and are not read."""
        return [document for _, document in self.units_for(finder, folded)]

    def units_for(self, finder: Finder, folded: Iterable[str]) -> list[tuple[int, Document]]:
        """The documents of documents_for, each with the id of its search unit."""
        rows = document_rows(self.db, finder, folded, "u.id, d.data")
        return [(unit, document_of(unpack(data))) for unit, data in rows]

    def document_texts(
        self, finder: Finder, folded: Iterable[str]
    ) -> list[tuple[tuple[int, int], str, list[str], str]]:
        """The documents of documents_for, each as what related scores it by, without the
        rest of its row: its key (see documents_at), the title it is shown by, its tags, and
        its paragraphs' texts with a NUL between."""
        columns = "d.file, d.seq, d.title, d.other_title, d.retitled, d.tags, d.texts"
        found = []
        for file, seq, title, other, retitled, tags, texts in document_rows(
            self.db, finder, folded, columns
        ):
            shown = other if retitled else title
            if "\\" in shown:  # perhaps a name's odd bytes, escaped (see codec.sql_text)
                shown = self.documents_at([(file, seq)])[0].title
            found.append(((file, seq), shown, unpack(tags), texts))
        return found

    def documents_at(self, keys: Iterable[tuple[int, int]]) -> list[Document]:
        """The documents of these keys (file, seq), in their order."""
        query = "SELECT data FROM documents WHERE file = ? AND seq = ?"
        return [document_of(unpack(self.db.execute(query, key).fetchone()[0])) for key in keys]

    def entity_counts(self, gazetteer: Gazetteer) -> tuple[dict[str, list[int]], Counter[str]]:
        """For each entity an event or document is tied to or names, by canonical name: how
        many events, the first and last of their days (as [count, first, last]); and how
        many documents. What each event and document names is kept (event_entities,
        document_entities) for the gazetteer it was found with: only the events and
        documents new since are read, unless the gazetteer changed (a new name, an alias
        table edited)."""
        import json

        key, counted = gazetteer.key(), gazetteer.counts_key()
        totals = self.kept("entities", counted)
        with suppress(ValueError, TypeError):  # else derived again (see store.integers)
            if totals is not None:  # counted by an earlier run, for this gazetteer
                events_of, documents_of = json.loads(totals)
                return dict(events_of), Counter(documents_of)
        kept = self.db.execute("SELECT value FROM meta WHERE key = 'found'").fetchone() == (key,)
        new_event = "NOT EXISTS (SELECT 1 FROM event_entities f WHERE f.event = e.id)"
        new_event = new_event if kept else "1"
        ties: dict[str, list[str]] = {}
        query = "SELECT t.event, t.name FROM ties t JOIN events e ON e.id = t.event WHERE "
        for event, name in self.db.execute(query + new_event):
            ties.setdefault(event, []).append(name)
        resolve = gazetteer.resolve
        events: list[tuple[str, str]] = []
        days: list[tuple[int, str]] = []
        for ident, day, texts in self.db.execute(
            f"SELECT e.id, e.day, e.texts FROM events e WHERE {new_event}"
        ):
            names = {name for _, name in gazetteer.places(texts)}
            names.update(resolve(tie) or tie for tie in ties.get(ident, ()))
            found = "\0".join(sorted(names))
            events.append((ident, found))
            days.append((day, found))
        new_document = (
            "NOT EXISTS (SELECT 1 FROM document_entities f WHERE f.file = d.file AND f.seq = d.seq)"
            if kept
            else "1"
        )
        documents: list[tuple[int, int, str]] = []
        query = f"SELECT d.file, d.seq, d.tags, d.texts FROM documents d WHERE {new_document}"
        for file, seq, tags, texts in self.db.execute(query):
            names = {name for _, name in gazetteer.places(texts)}
            names.update(resolve(tag) or tag for tag in unpack(tags))
            documents.append((file, seq, "\0".join(sorted(names))))
        found_in = [found for *_, found in documents]
        if kept:
            days += self.db.execute(
                "SELECT e.day, f.names FROM event_entities f JOIN events e ON e.id = f.event"
            )
            found_in += [
                names for (names,) in self.db.execute("SELECT names FROM document_entities")
            ]
        if events or documents or not kept:
            self._keep_found(key, kept, events, documents)
        wholes = _Wholes(gazetteer)
        counts: dict[str, list[int]] = {}
        for day, found in days:
            for name in wholes.with_wholes(found):
                entry = counts.get(name)
                if entry is None:
                    counts[name] = [1, day, day]
                else:
                    entry[0] += 1
                    entry[1] = min(entry[1], day)
                    entry[2] = max(entry[2], day)
        tally = Counter(name for found in found_in for name in wholes.with_wholes(found))
        self.keep({"entities": (counted, json.dumps([counts, tally]).encode())})
        return counts, tally

    def _keep_found(
        self,
        key: str,
        kept: bool,
        events: list[tuple[str, str]],
        documents: list[tuple[int, int, str]],
    ) -> None:
        """Keep what the events and documents name, for the next run (see _write)."""

        def write(writer: sqlite3.Connection) -> None:
            if not kept:
                writer.execute("DELETE FROM event_entities")
                writer.execute("DELETE FROM document_entities")
            writer.executemany("INSERT OR REPLACE INTO event_entities VALUES (?, ?)", events)
            writer.executemany(
                "INSERT OR REPLACE INTO document_entities VALUES (?, ?, ?)", documents
            )
            writer.execute("INSERT OR REPLACE INTO meta VALUES ('found', ?)", (key,))

        self._write(write)

    def _write(self, write: Callable[[sqlite3.Connection], None]) -> None:
        """Write what this run found for the next one, without leaving this run's read
        transaction: on a connection of its own, and only while no other run has written
        files' rows since this one began (a database another run is writing, or one that
        cannot be written, keeps nothing: the next run looks again)."""
        if self._file is None:  # in memory, or a temporary file: this run's alone
            write(self.db)
            return
        writer = sqlite3.connect(self._file, isolation_level=None, timeout=0)
        try:
            writer.execute("BEGIN IMMEDIATE")
            if writer.execute(GENERATION).fetchone() != self._generation:
                return  # the rows found may be gone: rolled back as the writer closes
            write(writer)
            writer.execute("COMMIT")
        except sqlite3.Error:
            pass  # nothing is kept: rolled back as the writer closes
        finally:
            writer.close()

    def names(self) -> Names:
        """What the gazetteer is built from (see corpus.Names), kept for the next run."""
        import json

        from spacenews.corpus import Names

        kept = self.kept("names")
        with suppress(ValueError, TypeError):  # else derived again (see store.integers)
            if kept is not None:
                every, pairs = json.loads(kept)
                return Names(list(every), [(name, short) for name, short in pairs])
        found = names(self.db)
        self.keep({"names": ("", json.dumps(found).encode())})
        return found

    def acronyms(self) -> list[tuple[str, str]]:
        """The (long name, acronym) pairs the texts define, in order, each once."""
        return acronyms(self.db)

    def entity_lists(self) -> Iterator[list[str]]:
        """The entity names of each event, in order (the events without any left out)."""
        query = (
            "SELECT n.event, n.name FROM events e JOIN names n ON n.event = e.id"
            " ORDER BY e.day, e.headline_fold, e.id, n.seq"
        )
        for _, rows in groupby(self.db.execute(query), key=lambda row: str(row[0])):
            yield [name for _, name in rows]

    def documents(self) -> list[Document]:
        """Every document, in the walk's order."""
        query = "SELECT d.data FROM documents d " + _WALK.format("d") + ", d.seq"
        return [document_of(unpack(data)) for (data,) in self.db.execute(query)]

    def problems(self) -> list[Problem]:
        """Every problem the files gave, in the walk's order."""
        return [problem for _, problem in self.rooted_problems()]

    def rooted_problems(self) -> list[tuple[int, Problem]]:
        """Every problem the files gave, in the walk's order, each with its file's root."""
        rows = self.db.execute(f"SELECT root, problems FROM files WHERE {_PROBLEMS}")
        return [(root, problem) for root, data in rows for problem in problems_of(data)]

    def mentions(self, start: date | None = None, end: date | None = None) -> list[Mention]:
        """The dated mentions whose whole period lies from start to end, in date order."""
        query = "SELECT m.data FROM mentions m JOIN files f ON f.id = m.file WHERE 1"
        values: list[int] = []
        if start is not None:
            query += " AND m.day >= ?"
            values.append(start.toordinal())
        if end is not None:
            query += " AND m.last <= ?"
            values.append(end.toordinal())
        query += " ORDER BY m.day, f.root, f.walk, m.document, m.seq"
        return [mention_of(unpack(data)) for (data,) in self.db.execute(query, values)]

    def texts(self) -> Iterator[EventText]:
        """Each event's texts, in order (see corpus.Corpus.event_texts)."""
        for (data,) in self.db.execute(f"SELECT data FROM events {_ORDER}"):
            e = event_of(unpack(data))
            yield EventText(e.id, e.date, e.headline, e.body, e.names or e.entities, translated(e))


def spelling(db: sqlite3.Connection, folded: str) -> str | None:
    """The first spelling, in the corpus's order, of an entity name or tag with this
    folded form: the one the gazetteer keeps (see corpus.Names)."""
    for table, first in (
        (
            "names",
            "SELECT n.name FROM names n JOIN events e ON e.id = n.event WHERE n.fold = ?"
            " ORDER BY e.day, e.headline_fold, e.id, n.seq LIMIT 1",
        ),
        (
            "tags",
            "SELECT t.name FROM tags t JOIN files f ON f.id = t.file WHERE t.fold = ?"
            " ORDER BY f.root, f.walk, t.seq, t.n LIMIT 1",
        ),
    ):
        # The index on (fold, name) gives the spellings at once; only a name spelt several
        # ways needs the corpus's order, which sorts every row of the name.
        spellings = db.execute(
            f"SELECT DISTINCT name FROM {table} WHERE fold = ? LIMIT 2", (folded,)
        ).fetchall()
        if len(spellings) == 1:
            return str(spellings[0][0])
        if spellings:
            return str(db.execute(first, (folded,)).fetchone()[0])
    return None


def bare_spellings(db: sqlite3.Connection, name: str) -> list[str]:
    """The first spelling (see spelling) of each entity name or tag that differs from name
    only in case, spaces or diacritics (see text.bare)."""
    from spacenews.text import bare

    key = bare(name)
    folds = {
        folded
        for table in ("names", "tags")
        for (folded,) in db.execute(f"SELECT DISTINCT fold FROM {table}")
        if bare(folded) == key
    }
    return [found for folded in sorted(folds) if (found := spelling(db, folded)) is not None]


def names(db: sqlite3.Connection) -> Names:
    """What the gazetteer is built from (see corpus.Names)."""
    from spacenews.corpus import Names

    # The gazetteer keeps, of the spellings of one folded name, the first in the corpus's
    # order, and knows the others: only names spelt several ways need that order, which
    # is asked for them alone rather than sorting every row (see spelling).
    every: list[str] = []
    for table in ("names", "tags"):
        spellings: dict[str, list[str]] = {}
        for folded, name in db.execute(f"SELECT DISTINCT fold, name FROM {table}"):
            spellings.setdefault(folded, []).append(name)
        for folded, found in spellings.items():
            first = spelling(db, folded) if len(found) > 1 else None
            every += [first or found[0], *found]
    return Names(list(dict.fromkeys(every)), acronyms(db))


def acronyms(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """The (long name, acronym) pairs the texts define, in order, each once."""
    pairs = db.execute(
        "SELECT a.name, a.acronym FROM acronyms a JOIN events e ON e.id = a.event"
        " ORDER BY e.day, e.headline_fold, e.id, a.n"
    ).fetchall()
    pairs += db.execute(
        "SELECT a.name, a.acronym FROM acronyms a JOIN files f ON f.id = a.file"
        " ORDER BY f.root, f.walk, a.seq, a.n"
    ).fetchall()
    return list(dict.fromkeys((str(name), str(short)) for name, short in pairs))


class _Wholes:
    """The entities an item counts for: those it names or is tied to, and those they are
    part of (``related`` finds an entity by its parts' names too)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        self._memo: dict[str, list[str]] = {}

    def with_wholes(self, found: str) -> list[str]:
        """The names of a kept row (a NUL between any two), and their wholes, each once."""
        if not found:
            return []
        names = self._memo.get(found)
        if names is None:
            listed = found.split("\0")
            wholes = self._gazetteer.wholes
            names = list(dict.fromkeys([*listed, *(w for n in listed for w in wholes(n))]))
            if len(self._memo) < 100_000:
                self._memo[found] = names
        return names


class Events(Sequence[Event]):
    """The events of the database in their order, each built when looked at and not kept."""

    def __init__(self, view: View) -> None:
        self._view = view

    def __len__(self) -> int:
        return len(self._view.rowids)

    @overload
    def __getitem__(self, position: int) -> Event: ...

    @overload
    def __getitem__(self, position: slice) -> list[Event]: ...

    def __getitem__(self, position: int | slice) -> Event | list[Event]:
        if isinstance(position, slice):
            return list(self.at_positions(range(len(self))[position]))
        (data,) = self._view.by_rowid("data", [range(len(self))[position]])
        return event_of(unpack(data))

    def __iter__(self) -> Iterator[Event]:
        return self.at_positions(range(len(self)))

    def at_positions(self, positions: Iterable[int]) -> Iterator[Event]:
        """The events at these positions, one after another (see corpus.StoredItems)."""
        return (event_of(unpack(data)) for data in self._view.by_rowid("data", positions))
