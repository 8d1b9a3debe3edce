"""Keeping the database fresh: stat every file, and in one transaction update only the rows
of the files that changed, appeared or vanished, merging again only the events they tell of."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from spacenews.index.carried import Carried
from spacenews.index.codec import (
    Pack,
    Unpack,
    document_row,
    event_row,
    mention_row,
    pack,
    packer,
    record_of,
    record_row,
    sql_text,
    unpack,
    unpacker,
)
from spacenews.index.store import empty_log, roomy, writing
from spacenews.index.titles import retitle
from spacenews.jsonbytes import encoder
from spacenews.links import mark_translations, merge_key
from spacenews.model import Document, Event, link_record
from spacenews.text import fold, plain_words

if TYPE_CHECKING:
    from spacenews.corpus import Progress
    from spacenews.parse import Parsed
    from spacenews.walk import Folder, SourceFile

Key = tuple[int, int]  # a file's size and mtime_ns
MERGE_BLOCK = 500  # events merged again at a time
MERGING = "Merging events"  # what progress is told meanwhile
# How merge_again maps merged_rows over its blocks, lazily and in order, as map does: the
# loader hands it the worker processes that parsed the files, when there were many.
Spread = Callable[..., Iterator["_EventRows"]]


class DocumentRows(NamedTuple):
    """What the tables hold of one document."""

    path: str
    title: str
    format: str
    tags: bytes
    acronyms: bytes
    data: bytes
    mentions: Sequence[tuple[int, int, str, bytes]]  # day, last day, precision, data
    text: str  # its words in search (see index.terms.unit_text)
    length: int  # ... and its length in words
    texts: str  # its paragraphs, a NUL between: where related looks for names
    texts_folded: str | None  # ... as text.fold_case gives them (None: it cannot)
    other_title: str  # its title when its own is shared by many (see index.titles)


class FileRows(NamedTuple):
    """What the tables hold of one file: made where it is parsed (perhaps another process)."""

    records: list[tuple[str, bytes]]  # the event each tells of, and the record
    documents: list[DocumentRows]
    problems: bytes


def file_rows(parsed: Parsed, pack: Pack = pack) -> FileRows:
    """The rows of what a file yielded, packed by pack (see codec.packer); each record's
    links are records of the events they link to (model.link_record), which merge_again
    merges with those events' own."""
    records: list[tuple[str, bytes]] = []
    mark_translations(parsed.records)
    for record in parsed.records:
        records.append((merge_key(record), pack(record_row(record))))
        for link in record.related:
            records.append((link.id, pack(record_row(link_record(link, record.document)))))
    documents = [_document_rows(document, pack) for document in parsed.documents]
    return FileRows(records, documents, pack([list(problem) for problem in parsed.problems]))


def _document_rows(document: Document, pack: Pack) -> DocumentRows:
    from spacenews.dates import period_of
    from spacenews.entities import acronyms
    from spacenews.index.terms import document_paragraphs, unit_text
    from spacenews.parse.plaintext import title_from_text
    from spacenews.text import fold_case

    mentions = [
        (
            mention.date.toordinal(),
            period_of(mention.date, mention.precision).end.toordinal(),
            mention.precision,
            pack(mention_row(mention)),
        )
        for mention in document.mentions
    ]
    defined = [list(pair) for p in document.paragraphs for pair in acronyms(p.text)]
    texts = "\0".join(paragraph.text for paragraph in document.paragraphs)
    return DocumentRows(
        document.path,
        document.title,
        document.format,
        pack(list(document.tags)),
        pack(defined),
        pack(document_row(document)),
        mentions,
        *unit_text(document_paragraphs(document)),
        texts,
        fold_case(texts),
        title_from_text(document),
    )


def walk_key(relative: str) -> bytes:
    """A key that sorts the files of a root as the walk meets them: in each folder, its files
    by name, then its folders by name, each with everything in it."""
    *folders, name = relative.split("/")
    key = "".join(f"\x02{folder}\x01" for folder in folders) + "\x01" + name
    return key.encode("utf-8", "surrogatepass")


def settle(db: sqlite3.Connection, settings: str) -> None:
    """Make every file be parsed again by the next refresh when the settings that decide
    how files are read (a corpus's [frontmatter] fields) are not those the rows were made
    with; then remember these."""
    row = db.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
    if row is not None and row[0] == settings:
        return
    with writing(db):
        # No stat gives a size below zero, nor NO_KEY's: each file now differs from its row.
        db.execute("UPDATE files SET size = -2")
        # Each folder's row stays, with keys no walk gives (not 16 bytes a file), so that a
        # folder gone meanwhile is still found gone and its files' rows removed.
        db.execute("UPDATE folders SET keys = x'00'")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('settings', ?)", (settings,))


def refresh(
    db: sqlite3.Connection,
    folders: list[Folder],
    parse: Callable[[list[SourceFile]], Iterable[FileRows]],
    progress: Progress | None = None,
    finish: Callable[[sqlite3.Connection, set[str], tuple[str] | None], None] | None = None,
    spread: Spread = map,
) -> int:
    """Bring the database up to date with the folders of a walk; return how many files were
    parsed. Nothing is written when no file changed; when some did, finish is called last
    in the same transaction, with the events merged again (by spread: see merge_again)."""
    # A folder whose files, sizes and mtimes are those stored needs nothing more: on a warm
    # run of a large corpus, this comparison, two values a folder, is all the work.
    stored = {(root, path): (names, keys) for root, path, names, keys in db.execute(_STATES)}
    changed = []
    for folder in folders:
        state = folder.state()
        if stored.pop((folder.root, sql_text(folder.relative)), None) != state:
            changed.append((folder, state))
    vanished = list(stored)
    if not changed and not vanished:
        return 0
    places = [(folder.root, sql_text(folder.relative)) for folder, _ in changed]
    walked = {
        (file.root, sql_text(file.relative)): (file, key)
        for folder, _ in changed
        for file, key in folder.files()
    }
    known = {
        (root, path): (size, mtime)
        for place in places + vanished
        for _, root, path, size, mtime in db.execute(_FOLDER_FILES, place)
    }
    todo = [(place, file, key) for place, (file, key) in walked.items() if known.get(place) != key]
    parsed = parse([file for _, file, _ in todo])
    with roomy(db), writing(db):
        carried = Carried(db)
        touched = _Touched(set(), set())
        # The rows of these folders' files as they stand now that no other run writes: one
        # may have written some since they were read above.
        ids = {
            (root, path): ident
            for place in places + vanished
            for ident, root, path, _, _ in db.execute(_FOLDER_FILES, place)
        }
        for place, ident in ids.items():
            if place not in walked:  # gone
                _forget(db, ident, touched)
        for (place, file, key), rows in zip(todo, parsed, strict=True):
            if place in ids:
                _forget(db, ids[place], touched)
            _remember(db, file, key, rows, touched)
        merge_again(db, touched.events, progress, spread)
        retitle(db, touched.titles)
        db.executemany("DELETE FROM folders WHERE root = ? AND path = ?", vanished)
        db.executemany(
            "INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?)",
            [(*place, *state) for place, (_, state) in zip(places, changed, strict=True)],
        )
        db.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
        if finish is not None:
            finish(db, touched.events, carried.names_of())
        carried.carry()
    empty_log(db)
    return len(todo)


_STATES = "SELECT root, path, names, keys FROM folders"
_FOLDER_FILES = "SELECT id, root, path, size, mtime_ns FROM files WHERE root = ? AND folder = ?"


class _Touched(NamedTuple):
    """What a write touched: the events to merge again, and the titles of the documents
    written or removed (see index.titles)."""

    events: set[str]
    titles: set[str]


def _forget(db: sqlite3.Connection, ident: int, touched: _Touched) -> None:
    """Remove a file's rows, noting the events its records told of and its titles."""
    touched.events.update(
        event for (event,) in db.execute("SELECT event FROM records WHERE file = ?", (ident,))
    )
    touched.titles.update(
        title for (title,) in db.execute("SELECT title FROM documents WHERE file = ?", (ident,))
    )
    db.execute("DELETE FROM search WHERE rowid IN (SELECT id FROM units WHERE file = ?)", (ident,))
    db.execute(
        "INSERT INTO text_words(text_words, rowid, texts)"
        " SELECT 'delete', u.id, d.texts FROM units u"
        " JOIN documents d ON d.file = u.file AND d.seq = u.seq WHERE u.file = ? AND d.plain",
        (ident,),
    )
    for table in (
        "records",
        "units",
        "documents",
        "mentions",
        "tags",
        "acronyms",
        "document_entities",
        "named_documents",
    ):
        db.execute(f"DELETE FROM {table} WHERE file = ?", (ident,))
    db.execute("DELETE FROM files WHERE id = ?", (ident,))


def _remember(
    db: sqlite3.Connection, file: SourceFile, key: Key, rows: FileRows, touched: _Touched
) -> None:
    """Add a file's rows, noting the events its records tell of and its titles."""
    cursor = db.execute(
        "INSERT INTO files(root, path, folder, walk, size, mtime_ns, records, documents,"
        " problems) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            file.root,
            sql_text(file.relative),
            sql_text(file.relative.rpartition("/")[0]),
            walk_key(file.relative),
            *key,
            len(rows.records),
            len(rows.documents),
            rows.problems,
        ),
    )
    ident = cursor.lastrowid
    db.executemany(
        "INSERT INTO records VALUES (?, ?, ?, ?)",
        [(ident, seq, event, data) for seq, (event, data) in enumerate(rows.records)],
    )
    touched.events.update(event for event, _ in rows.records)
    touched.titles.update(sql_text(document.title) for document in rows.documents)
    for seq, document in enumerate(rows.documents):
        texts = sql_text(document.texts)
        plain = plain_words(texts)
        db.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            (
                ident,
                seq,
                sql_text(document.path),
                sql_text(document.title),
                *document[2:6],
                texts,
                None if document.texts_folded is None else sql_text(document.texts_folded),
                plain,
                sql_text(document.other_title),
            ),
        )
        db.executemany(
            "INSERT INTO acronyms(file, seq, n, name, acronym) VALUES (?, ?, ?, ?, ?)",
            [(ident, seq, n, *pair) for n, pair in enumerate(unpack(document.acronyms))],
        )
        db.executemany(
            "INSERT INTO tags VALUES (?, ?, ?, ?, ?)",
            [
                (ident, seq, number, sql_text(tag), sql_text(fold(tag)))
                for number, tag in enumerate(unpack(document.tags))
            ],
        )
        db.executemany(
            "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(ident, seq, number, *row) for number, row in enumerate(document.mentions)],
        )
        unit = db.execute(
            "INSERT INTO units(file, seq, words) VALUES (?, ?, ?)",
            (ident, seq, document.length),
        ).lastrowid
        db.execute("INSERT INTO search(rowid, text) VALUES (?, ?)", (unit, document.text))
        if plain:
            db.execute("INSERT INTO text_words(rowid, texts) VALUES (?, ?)", (unit, texts))


def merge_again(
    db: sqlite3.Connection,
    touched: set[str],
    progress: Progress | None = None,
    spread: Spread = map,
) -> None:
    """Merge again every touched event from the records that tell of it (in the order the
    walk meets their files); an event no record tells of any more is removed. The events
    are merged a block at a time by spread (map, or worker processes: see Spread), and each
    block's rows written as they come back, in order."""
    ordered = sorted(touched)
    blocks = [ordered[low : low + MERGE_BLOCK] for low in range(0, len(ordered), MERGE_BLOCK)]
    (unit,) = db.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()
    (row,) = db.execute("SELECT coalesce(max(rowid), 0) FROM events").fetchone()
    first = row == 0  # no event yet (a first write): no block has rows to remove
    told = (records_of(db, block, drop=not first) for block in blocks)
    merged = spread(merged_rows, told, repeat(len(ordered)))
    for done, added in enumerate(merged, 1):
        unit, row = added.write(db, unit, row)
        if progress:
            progress(MERGING, min(done * MERGE_BLOCK, len(ordered)), len(ordered))


def records_of(
    db: sqlite3.Connection, block: list[str], drop: bool = False
) -> list[tuple[str, list[bytes]]]:
    """The events of a block that records tell of, each with those records (packed), in
    order; with drop, every row of the block's events is removed, to be written anew."""
    marks = ",".join("?" * len(block))
    if drop:
        _drop_events(db, block, marks)
    rows = db.execute(
        "SELECT r.event, r.data FROM records r JOIN files f ON f.id = r.file"
        f" WHERE r.event IN ({marks}) ORDER BY r.event, f.root, f.walk, r.seq",
        block,
    ).fetchall()
    return [(str(key), [data for _, data in group]) for key, group in groupby(rows, itemgetter(0))]


def merged_rows(told: list[tuple[str, list[bytes]]], count: int) -> _EventRows:
    """The rows of the events merged from their records (see records_of), count being how
    many are merged in all (see codec.packer)."""
    read, added = unpacker(count), _EventRows()
    pack, encode = packer(count), encoder(count)
    for key, records in told:
        added.add(merged_event(key, records, read), pack, encode)
    return added


def merged_event(key: str, records: list[bytes], read: Unpack = unpack) -> Event:
    """The event merged from its records (packed, as records_of gives them)."""
    from spacenews.corpus import merge

    return merge(key, [record_of(read(data)) for data in records])


def _drop_events(db: sqlite3.Connection, block: list[str], marks: str) -> None:
    db.execute(
        f"DELETE FROM search WHERE rowid IN (SELECT id FROM units WHERE event IN ({marks}))",
        block,
    )
    db.execute(
        "INSERT INTO text_words(text_words, rowid, texts)"
        " SELECT 'delete', u.id, e.texts FROM units u"
        f" JOIN events e ON e.id = u.event WHERE u.event IN ({marks}) AND e.plain",
        block,
    )
    for table, column in (
        ("units", "event"),
        ("ties", "event"),
        ("names", "event"),
        ("acronyms", "event"),
        ("event_entities", "event"),
        ("events", "id"),
    ):
        db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", block)


class _EventRows:
    """The rows of a block of merged events, written a table at a time: a statement per
    row costs more than the merge itself. Each event's rowid, and the id of its text in
    search, are given when they are written (in worker processes, the block is merged not
    knowing them)."""

    def __init__(self) -> None:
        self.events: list[tuple[object, ...]] = []  # each one's row, but its rowid
        self.ties: list[list[tuple[str, str, str]]] = []  # each one's ties, but its rowid
        self.names: list[tuple[str, int, str, str]] = []
        self.acronyms: list[tuple[str, int, str, str]] = []
        self.units: list[tuple[str, int]] = []  # each one's id and words in search
        self.search: list[str] = []  # ... and its text there
        self.words: list[str | None] = []  # ... and its texts in text_words (None: not plain)

    def add(self, event: Event, pack: Pack, encode: Callable[[dict[str, Any]], bytes]) -> None:
        """An event's rows, packed by pack and its JSON encoded by encode."""
        from spacenews.corpus import event_parts
        from spacenews.entities import acronyms
        from spacenews.index.terms import event_paragraphs, unit_text
        from spacenews.text import fold_case

        written = "\0".join(event_parts(event))
        folded = fold_case(written)
        texts = sql_text(written)
        plain = plain_words(texts)
        defined = list(acronyms(event.headline))
        self.acronyms += [(event.id, n, name, short) for n, (name, short) in enumerate(defined)]
        self.events.append(
            (
                event.id,
                event.date.isoformat(),
                event.date.toordinal(),
                sql_text(event.headline),
                sql_text(event.headline.casefold()),
                encode(event.to_dict()),
                pack(event_row(event)),
                texts,
                None if folded is None else sql_text(folded),
                plain,
                pack(list(event.entities)),
                pack([list(pair) for pair in defined]),
            )
        )
        self.ties.append([(event.id, *tie) for tie in event.ties])
        self.names += [
            (event.id, seq, sql_text(name), sql_text(fold(name)))
            for seq, name in enumerate(event.entities)
        ]
        text, length = unit_text(event_paragraphs(event))
        self.units.append((event.id, length))
        self.search.append(text)
        self.words.append(texts if plain else None)

    def write(self, db: sqlite3.Connection, unit: int, row: int) -> tuple[int, int]:
        """Insert the rows, the events' rowids following row and the ids of their texts in
        search following unit; return the last of each."""
        rows = range(row + 1, row + 1 + len(self.events))
        units = range(unit + 1, unit + 1 + len(self.units))
        db.executemany(_EVENTS, [(n, *e) for n, e in zip(rows, self.events, strict=True)])
        db.executemany(
            "INSERT INTO ties VALUES (?, ?, ?, ?)",
            [(*tie, n) for n, ties in zip(rows, self.ties, strict=True) for tie in ties],
        )
        db.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", self.names)
        db.executemany(
            "INSERT INTO acronyms(event, n, name, acronym) VALUES (?, ?, ?, ?)", self.acronyms
        )
        db.executemany(
            "INSERT INTO units(id, event, event_row, words) VALUES (?, ?, ?, ?)",
            [
                (n, event, row, words)
                for n, row, (event, words) in zip(units, rows, self.units, strict=True)
            ],
        )
        db.executemany(
            "INSERT INTO search(rowid, text) VALUES (?, ?)",
            list(zip(units, self.search, strict=True)),
        )
        db.executemany(
            "INSERT INTO text_words(rowid, texts) VALUES (?, ?)",
            [(n, t) for n, t in zip(units, self.words, strict=True) if t is not None],
        )
        return unit + len(self.units), row + len(self.events)


_EVENTS = (
    "INSERT INTO events(rowid, id, date, day, headline, headline_fold, json, data, texts,"
    " texts_folded, plain, entities, acronyms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
