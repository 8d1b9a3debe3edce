"""The SQLite store: where it lives, making it (of the tables in index.tables), opening it
safely, and what a run keeps in it."""

from __future__ import annotations

import os
import sqlite3
import stat
from array import array
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import re

ENV_DIR = "SPACENEWS_CACHE_DIR"
SUFFIX = ".sqlite"
MEMORY = ":memory:"
# A database of this run only, in a file SQLite removes at once (it lives on while open):
# a large corpus's index, which would hold as much memory as it takes on disk.
TEMPORARY = ""
# The page cache of a database while files' rows are written (see roomy), and all through for
# one of this run only, in KiB: with SQLite's default (2 MiB), the index of a large corpus is
# written out and read back over and over while it is made (1.1 s of system time for the
# 108 MB of 10,000 documents, 0.6 s with this); it costs at most this much more memory.
WRITING_CACHE_KIB = 64 * 1024
# How many times files' rows were written: what the kept values are valid for (see kept_key).
GENERATION = "SELECT value FROM meta WHERE key = 'generation'"
BUSY_TIMEOUT_MS = 60_000  # another run filling the same database: wait for it
HEADER = b"SQLite format 3\x00"

# The modules whose code decides what the database holds: any change to them is a new one.
_MODULES = (
    "corpus.py",
    "dates.py",
    "entities.py",
    "model.py",
    "prose.py",
    "text.py",
    "parse/__init__.py",
    "parse/eventpage.py",
    "parse/frontmatter.py",
    "parse/fields.py",
    "parse/plaintext.py",
    "parse/launchlog.py",
    "parse/feed.py",
    "parse/jsonfeed.py",
    "parse/snapi.py",
    "parse/items.py",
    "parse/markup.py",
    "parse/htmltext.py",
    "parse/htmlpage.py",
    "links.py",
    "reading.py",  # how a file's bytes become its text
    "search.py",  # what search holds of each event and document
    "data/entities.json",  # the shipped table, read as JSON; its [sites] name launch sites
    "jsonbytes.py",
    "index/codec.py",
    "index/fresh.py",
    "index/carried.py",
    "index/store.py",
    "index/tables.py",
    "index/terms.py",
    "index/mains.py",
    "index/titles.py",
    "index/view.py",  # what event_entities and document_entities hold
)


class StoreError(Exception):
    """A database that cannot be used: the message says why. One that is merely outdated
    (written by another version) holds nothing worth looking at: it is removed, where a
    damaged or foreign one is set aside (see set_aside)."""

    def __init__(
        self, reason: str, *, outdated: bool = False, ours: bool = False, other: bool = False
    ) -> None:
        super().__init__(reason)
        self.outdated = outdated
        self.ours = ours or outdated or other  # a spacenews index, that it may replace anywhere
        # Whole and sound, but another's (of another version or corpus): set aside as such.
        self.sound = outdated or other


def cache_dir() -> Path:
    """$SPACENEWS_CACHE_DIR, else the user cache folder of the platform."""
    if configured := os.environ.get(ENV_DIR):
        return Path(os.path.expanduser(configured))  # noqa: PTH111 (see options._path)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("spacenews", appauthor=False))


def database_file(roots: list[Path], folder: Path | None = None) -> Path:
    """Where the database of a set of corpus paths lives."""
    import hashlib

    digest = hashlib.sha256()
    for root in roots:
        digest.update(os.fsencode(os.path.realpath(root)) + b"\0")
    return (folder or cache_dir()) / f"{digest.hexdigest()[:32]}{SUFFIX}"


def fingerprint() -> str:
    """A digest of spacenews's version and of the code that decides what the database holds."""
    import hashlib

    from spacenews import __version__

    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    for name in _MODULES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:24]


def inside(folder: Path, root: Path) -> bool:
    """Whether folder is root or lies under it (the cache must never be in a corpus)."""
    folder_real, root_real = os.path.realpath(folder), os.path.realpath(root)
    return folder_real == root_real or folder_real.startswith(root_real.rstrip(os.sep) + os.sep)


class Connection(sqlite3.Connection):
    """A connection that closes itself when no one holds it any more, as every connection
    did before Python 3.13, which warns of one left open (ResourceWarning) instead: a corpus,
    its view and what a user takes of them (view.db) each hold it as long as they need."""

    def __del__(self) -> None:
        with suppress(sqlite3.ProgrammingError):  # one that never opened: nothing to close
            self.close()


def _open(path: str | Path, **options: Any) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None, factory=Connection, **options)


def connect(path: Path | str, roots: list[Path]) -> sqlite3.Connection:
    """The database at path (MEMORY or TEMPORARY for one of this run only), made when there
    is none; StoreError when the file is there but is not one this spacenews made for these
    paths."""
    if path == MEMORY:
        return _in_memory()
    if path == TEMPORARY:
        db = _open(path)
        db.execute(f"PRAGMA cache_size = -{WRITING_CACHE_KIB}")
        _create(db, roots, kept=False)
        return db
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not _check_file(path):
        _make(path, roots)
    db = _open(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA synchronous = NORMAL")
        _check_contents(db, roots)
    except sqlite3.DatabaseError as error:
        db.close()
        raise StoreError(f"it is corrupt ({error})") from None
    except StoreError:
        db.close()
        raise
    return db


# The database _create makes for this run only, as an image (compressed): copied into memory,
# it is ready in a fraction of the time making its tables takes (about 2 ms of every start on
# the built-in seeds). A test checks that it holds what _create makes; SPACENEWS_UPDATE_GOLDEN=1
# writes it anew (see empty_image).
EMPTY_IMAGE = Path(__file__).resolve().parent.parent / "data" / "empty-index.sqlite.zlib"


# The built-in seeds' index, as an image made the same way: a run of the seeds starts from a
# copy of it, and parses only the seed files that are not those it was made from (see
# loader.seeds_image). A test checks that it holds what indexing the seeds makes;
# SPACENEWS_UPDATE_GOLDEN=1 writes it anew.
SEEDS_IMAGE = EMPTY_IMAGE.with_name("seeds-index.sqlite.zlib")


# Not in every build of SQLite (before 3.36, only when compiled in): then the tables are made.
_CAN_COPY = hasattr(sqlite3.Connection, "deserialize")


def _in_memory() -> sqlite3.Connection:
    db = copy_of(EMPTY_IMAGE)
    if db is None:
        db = _open(MEMORY)
        _create(db, [], kept=False)
    return db


def copy_of(image: Path) -> sqlite3.Connection | None:
    """A database of this run only, in memory, copied from an image; None when SQLite
    cannot copy one."""
    import zlib

    if not _CAN_COPY:
        return None
    db = _open(MEMORY)
    db.deserialize(zlib.decompress(image.read_bytes()))
    return db


def image_of(db: sqlite3.Connection) -> bytes:
    """The image of a database (see EMPTY_IMAGE): its pages, compressed."""
    import zlib

    return zlib.compress(db.serialize(), 9)


def empty_image() -> bytes:
    """The image of the database _create makes for this run only (see EMPTY_IMAGE)."""
    with closing(sqlite3.connect(MEMORY, isolation_level=None)) as db:
        _create(db, [], kept=False)
        return image_of(db)


def file_of(db: sqlite3.Connection) -> str | None:
    """The file a database is kept in; None for one of this run only. SQLite names a file
    database by its full path, a temporary one not at all, and one copied into memory (see
    _in_memory) "x": a name to open, in the current folder, is never a kept database's."""
    path = str(db.execute("PRAGMA database_list").fetchone()[2])
    return path if Path(path).is_absolute() else None


def integers(value: object) -> array[int] | None:
    """A kept value of integers (see View.keep); None when it cannot be one (a row edited by
    hand): what is kept is derived again when it cannot be read."""
    return array("q", value) if isinstance(value, bytes) and len(value) % 8 == 0 else None


def kept_key(generation: tuple[str], key: str = "") -> str:
    """The key a value is kept under (see View.keep): the generation (a row of GENERATION)
    it was derived at, then key."""
    return f"{generation[0]} {key}"


def kept_value(
    db: sqlite3.Connection, name: str, generation: tuple[str], key: str = ""
) -> bytes | None:
    """The value kept under this name for this generation and key (see View.keep); None
    when none is, or when its row holds no bytes (edited by hand: derived again)."""
    row = db.execute(
        "SELECT value FROM kept WHERE name = ? AND key = ?", (name, kept_key(generation, key))
    ).fetchone()
    return row[0] if row is not None and isinstance(row[0], bytes) else None


@contextmanager
def writing(db: sqlite3.Connection) -> Iterator[None]:
    """A write transaction around the block: committed at its end, rolled back whole when
    it raises (or the commit fails)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


@contextmanager
def roomy(db: sqlite3.Connection) -> Iterator[None]:
    """A page cache of WRITING_CACHE_KIB around the block (see there), the one the database
    had after it: a warm run of a database kept on disk reads little."""
    (before,) = db.execute("PRAGMA cache_size").fetchone()
    db.execute(f"PRAGMA cache_size = -{WRITING_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(before)}")


def empty_log(db: sqlite3.Connection) -> None:
    """After a write, copy the write-ahead log into the database and empty it, unless another
    run is reading it (then the next writer does). A run ends without closing the database,
    so the next one opens a log left whole, and reads all of it: a filled cache leaves one
    as large as the database."""
    db.execute("PRAGMA busy_timeout = 0")
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _make(path: Path, roots: list[Path]) -> None:
    """A new database put in place whole: made beside it, then linked there, so that another
    run never sees one half made (when another run put its own first, that one is kept)."""
    temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    temporary.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(temporary, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode = WAL")  # kept in the file
            _create(db, roots)
        temporary.chmod(0o600)
        if path.exists():  # empty: a run stopped before its first write
            temporary.replace(path)
        else:
            with suppress(FileExistsError):
                try:
                    os.link(temporary, path)
                except FileExistsError:
                    raise
                except OSError:  # a file system without hard links
                    temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _create(db: sqlite3.Connection, roots: list[Path], kept: bool = True) -> None:
    """The tables, in one transaction, unless they are there already. Only a database kept
    from run to run says which code and which corpus paths made it (see _check_contents)."""
    from spacenews.index.tables import SCHEMA

    # generation counts the writes of files' rows: see View.entity_counts.
    meta = [("generation", "0")]
    if kept:
        meta += [("fingerprint", fingerprint()), ("roots", _roots_key(roots))]
    values = "".join(f"INSERT OR IGNORE INTO meta VALUES ('{k}', '{v}');\n" for k, v in meta)
    db.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA}\n{values}COMMIT;")


def _roots_key(roots: list[Path]) -> str:
    return "\n".join(os.fsencode(os.path.realpath(root)).hex() for root in roots)


def _check_file(path: Path) -> bool:
    """Whether the file is there; StoreError when it is not ours alone, or not a database."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(info.st_mode):
        raise StoreError("it is not a file")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise StoreError("it belongs to another user")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise StoreError("others may write to it")
    if info.st_size == 0:
        return False  # made by a run stopped before its first write (or by touch): made anew
    with path.open("rb") as stream:
        head = stream.read(100)
    if not head.startswith(HEADER):
        raise StoreError("it is not a database")
    pages = int.from_bytes(head[28:32], "big")
    size = int.from_bytes(head[16:18], "big")
    size = 65536 if size == 1 else size
    wal = path.with_name(path.name + "-wal")
    unwritten = wal.exists() and wal.stat().st_size > 0  # pages not yet in the file
    if not unwritten and pages and info.st_size < pages * size:
        raise StoreError("it is cut short")
    return True


def _check_contents(db: sqlite3.Connection, roots: list[Path]) -> None:
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.OperationalError:
        raise StoreError("it is not a spacenews index") from None
    if "fingerprint" not in meta:
        raise StoreError("it is not a spacenews index")
    if meta["fingerprint"] != fingerprint():
        raise StoreError("it was written by another version of spacenews", outdated=True)
    if meta.get("roots") != _roots_key(roots):
        raise StoreError("it belongs to another corpus", other=True)
    kinds = "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')"
    from spacenews.index.tables import schema_names

    missing = sorted(schema_names().difference(name for (name,) in db.execute(kinds)))
    if missing:  # dropped by hand, or by a program that opened it
        raise StoreError(f"it is damaged ({', '.join(missing)} missing)", ours=True)


def set_aside(
    path: Path, keep: bool = True, replace: bool = True, suffix: str = ".broken"
) -> Path | None:
    """Move a database that cannot be used out of the way (beside it, as NAME.broken, or
    with another suffix), so that a new one takes its place; the user may look at it, and
    the next set-aside replaces it (without replace, a file already there is kept:
    NAME.broken-2 and so on are taken). Without keep, it is removed. Return where it was
    moved to (None: removed)."""
    aside = None
    if keep:
        aside = path.with_name(path.name + suffix)
        number = 1
        while not replace and os.path.lexists(aside):
            number += 1
            aside = path.with_name(f"{path.name}{suffix}-{number}")
        path.replace(aside)
    else:
        path.unlink(missing_ok=True)
    for extra in ("-wal", "-shm"):
        Path(os.fspath(path) + extra).unlink(missing_ok=True)
    return aside


def _cache_name(name: str) -> re.Match[str] | None:
    """Whether a name is one database_file gives (a digest of the corpus paths), or set_aside
    or SQLite beside it (the match's group 1 tells which): the cache folder may be one that
    other programs keep their files in too (~/.cache)."""
    import re

    return re.fullmatch(r"[0-9a-f]{32}\.sqlite(\.broken|-wal|-shm)?", name)


def clear(folder: Path | None = None, *, gone: bool = False) -> int:
    """Remove every database of the cache folder (and what SQLite keeps beside it), and
    nothing else; with gone, only those whose corpus paths are all gone (see describe).
    Return how many there were."""
    folder = folder or cache_dir()
    kept = {Path(row["path"]).name for row in describe(folder) if not row["gone"]} if gone else ()
    removed = 0
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if not (name := _cache_name(path.name)) or path.is_dir():
            continue
        suffix = name.group(1)  # what SQLite or a set-aside adds to the database's name
        if gone and (suffix == ".broken" or path.name.removesuffix(suffix or "") in kept):
            continue
        removed += suffix in (None, ".broken")
        path.unlink(missing_ok=True)
    return removed


def describe(folder: Path | None = None) -> list[dict[str, Any]]:
    """Each database of the cache folder: the corpus paths it serves, how many files it
    holds, its size, and whether every one of its corpus paths is gone (files and roots None,
    and gone False, when it cannot be read)."""
    folder = folder or cache_dir()
    rows = []
    for path in sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else ():
        if not _cache_name(path.name) or path.is_dir():
            continue
        row: dict[str, Any] = {"kind": "index", "path": str(path), "bytes": path.stat().st_size}
        row.update(roots=None, files=None, gone=False)
        try:
            with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as db:
                meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
                (files,) = db.execute("SELECT count(*) FROM files").fetchone()
            roots = [os.fsdecode(bytes.fromhex(root)) for root in meta["roots"].split("\n")]
            gone = not any(os.path.lexists(root) for root in roots)
            row.update(roots=roots, files=files, gone=gone)
        except (sqlite3.Error, KeyError, ValueError):
            pass  # a listing must not fail on one bad file
        rows.append(row)
    return rows
