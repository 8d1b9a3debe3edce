"""The index's tables, as SQL: what the database holds (documented in the README, "The
index"). index.store makes a database of them, and checks that one it opens has them all."""

from __future__ import annotations

import functools
import re

# Their names are kept stable.
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(
    id INTEGER PRIMARY KEY,
    root INTEGER NOT NULL,         -- which corpus path it is under (0, 1, ...)
    path TEXT NOT NULL,            -- relative to that path, with / between parts
    folder TEXT NOT NULL,          -- ... and of its folder ("" for the corpus path itself)
    walk BLOB NOT NULL,            -- sorts as the walk meets the files
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    records INTEGER NOT NULL,      -- what it yielded: event records,
    documents INTEGER NOT NULL,    -- documents,
    problems BLOB NOT NULL,        -- and problems (JSON)
    UNIQUE (root, path)
);
CREATE INDEX IF NOT EXISTS files_walk ON files(root, walk);
CREATE INDEX IF NOT EXISTS files_folder ON files(root, folder);
CREATE INDEX IF NOT EXISTS files_problems ON files(root, walk) WHERE problems != x'5b5d';
-- What each folder held when its files' rows were written: a run whose walk finds the same
-- reads no row of files (see index.fresh.refresh).
CREATE TABLE IF NOT EXISTS folders(
    root INTEGER NOT NULL,
    path TEXT NOT NULL,            -- like files.folder
    names BLOB NOT NULL,           -- its files' names, a / between, as the system lists them
    keys BLOB NOT NULL,            -- the size and mtime_ns of each (64-bit integers)
    PRIMARY KEY (root, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records(
    file INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,           -- the id of the event it tells of
    data BLOB NOT NULL,            -- JSON
    PRIMARY KEY (file, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_event ON records(event);
CREATE TABLE IF NOT EXISTS events(
    id TEXT PRIMARY KEY,
    date TEXT NOT NULL,
    day INTEGER NOT NULL,          -- proleptic ordinal of the date
    headline TEXT NOT NULL,
    headline_fold TEXT NOT NULL,   -- the headline case-folded: the events' order
    json BLOB NOT NULL,            -- exactly what --json prints for it
    data BLOB NOT NULL,            -- the whole merged event (JSON)
    texts TEXT NOT NULL,           -- headline, body and source titles, a NUL between
    texts_folded TEXT,             -- ... as text.fold_case gives them (NULL: it cannot)
    plain INTEGER NOT NULL,        -- 1 when text_words holds its texts (text.plain_words)
    entities BLOB NOT NULL,        -- JSON list of its entity names
    acronyms BLOB NOT NULL         -- JSON list of the (name, acronym) its headline defines
);
CREATE INDEX IF NOT EXISTS events_order ON events(day, headline_fold, id);
-- The texts alone, read by related and --entity without the rest of each wide row: first
-- those text_words does not hold.
CREATE INDEX IF NOT EXISTS events_texts ON events(plain, texts, texts_folded);
CREATE TABLE IF NOT EXISTS names(
    event TEXT NOT NULL,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,            -- an entity of the event, as first written
    fold TEXT NOT NULL,            -- ... folded (case and spaces)
    PRIMARY KEY (event, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS names_fold ON names(fold, name);
-- The main name of each entity name that events give otherwise ("ISS" -> "International
-- Space Station"), for the alias tables and names of meta's "mains" (see index.mains): every
-- event's json and data give these; and the documents whose data give their tags by them.
CREATE TABLE IF NOT EXISTS mains(
    name TEXT PRIMARY KEY,         -- as an event's file wrote it
    main TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS named_documents(
    file INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (file, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tags(
    file INTEGER NOT NULL,
    seq INTEGER NOT NULL,          -- the document's seq in its file
    n INTEGER NOT NULL,
    name TEXT NOT NULL,            -- a tag of the document
    fold TEXT NOT NULL,            -- ... folded (case and spaces)
    PRIMARY KEY (file, seq, n)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tags_fold ON tags(fold, name);
CREATE TABLE IF NOT EXISTS acronyms(
    event TEXT,                    -- the event whose headline defines it, or
    file INTEGER,                  -- the file
    seq INTEGER,                   -- ... and seq of the document whose text does
    n INTEGER NOT NULL,
    name TEXT NOT NULL,            -- "European Space Agency"
    acronym TEXT NOT NULL          -- "ESA"
);
CREATE INDEX IF NOT EXISTS acronyms_event ON acronyms(event);
CREATE INDEX IF NOT EXISTS acronyms_file ON acronyms(file);
CREATE TABLE IF NOT EXISTS ties(
    event TEXT NOT NULL,
    name TEXT NOT NULL,            -- the entity's name, folded (case and spaces)
    via TEXT NOT NULL,             -- "context" or "tag"
    event_row INTEGER NOT NULL     -- the event's rowid in events
);
CREATE INDEX IF NOT EXISTS ties_name ON ties(name, event_row);
CREATE INDEX IF NOT EXISTS ties_event ON ties(event);
CREATE TABLE IF NOT EXISTS documents(
    file INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    format TEXT NOT NULL,
    tags BLOB NOT NULL,            -- JSON
    acronyms BLOB NOT NULL,        -- JSON
    data BLOB NOT NULL,            -- the whole document, paragraphs included (JSON)
    texts TEXT NOT NULL,           -- its paragraphs, a NUL between
    texts_folded TEXT,             -- ... as text.fold_case gives them (NULL: it cannot)
    plain INTEGER NOT NULL,        -- 1 when text_words holds its texts (text.plain_words)
    other_title TEXT NOT NULL,     -- the title it is given when many documents share its own
    retitled INTEGER NOT NULL,     -- 1 when data gives other_title (see index.titles)
    PRIMARY KEY (file, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_title ON documents(title, retitled);
CREATE INDEX IF NOT EXISTS documents_texts ON documents(plain, texts, texts_folded);
CREATE TABLE IF NOT EXISTS mentions(
    file INTEGER NOT NULL,
    document INTEGER NOT NULL,     -- the document's seq in its file
    seq INTEGER NOT NULL,
    day INTEGER NOT NULL,          -- proleptic ordinal of the date given
    last INTEGER NOT NULL,         -- ... and of the last day of the period it names
    precision TEXT NOT NULL,
    data BLOB NOT NULL,            -- JSON
    PRIMARY KEY (file, document, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_day ON mentions(day);
CREATE TABLE IF NOT EXISTS units(
    id INTEGER PRIMARY KEY,        -- the rowid of its text in search
    event TEXT UNIQUE,             -- an event's id (event_row: its rowid in events), or
    event_row INTEGER,
    file INTEGER,                  -- a document's file
    seq INTEGER,                   -- ... and seq
    words INTEGER NOT NULL         -- how many words search holds of it
);
CREATE INDEX IF NOT EXISTS units_document ON units(file, seq);
-- The entities each event and document is tied to or names, a NUL between, as entities
-- found them for the gazetteer of meta's "found" digest (see View.entity_counts); an event
-- or document without a row is looked at by the next entities.
CREATE TABLE IF NOT EXISTS event_entities(
    event TEXT PRIMARY KEY,
    names TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS document_entities(
    file INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    names TEXT NOT NULL,
    PRIMARY KEY (file, seq)
) WITHOUT ROWID;
-- What commands derived from the other tables, kept for the next run: valid while the
-- generation (and whatever else key names) is the one it was kept for (see View.keep).
CREATE TABLE IF NOT EXISTS kept(
    name TEXT PRIMARY KEY,         -- "order", "names", "entities"
    key TEXT NOT NULL,             -- the generation it was made at, and what else it depends on
    value BLOB NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    text, tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_terms USING fts5vocab(search, instance);
CREATE VIRTUAL TABLE IF NOT EXISTS search_rows USING fts5vocab(search, row);
-- The words of the texts of each plain event and document (see events.plain), by the id of
-- its unit: where related and --entity find the items that may name an entity, rather than
-- reading every text. It keeps no copy of the texts: a row is deleted by giving them again.
CREATE VIRTUAL TABLE IF NOT EXISTS text_words USING fts5(
    texts, content = '', detail = none, columnsize = 0,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
"""


@functools.cache
def schema_names() -> frozenset[str]:
    """The tables and indexes the schema makes: an index without one of them cannot answer."""
    return frozenset(
        re.findall(r"CREATE (?:VIRTUAL TABLE|TABLE|INDEX) IF NOT EXISTS (\w+)", SCHEMA)
    )
