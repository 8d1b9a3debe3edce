"""Loading a corpus: walk the paths, read every file safely, and bring the index (a SQLite
database, see spacenews.index) up to date with what changed: parsing those files only, on
every core when there are many."""

from __future__ import annotations

import gc
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from spacenews import reading
from spacenews.corpus import Corpus, CorpusError, Progress
from spacenews.index.fresh import FileRows, file_rows, refresh, settle
from spacenews.model import Problem
from spacenews.walk import NO_KEY, NOTHING, USER_FILE, Exclude, Folder, SourceFile, walk_folders

PARALLEL_MIN_FILES = 2000  # below this, starting worker processes costs more than it saves
CACHE_MIN_FILES = 50  # below this, an index in memory is made quicker than a cache is read
CACHE_MIN_BYTES = 512 * 1024  # ...unless the files hold this much (a page of 900 KB: 0.42 s
# parsed each run, 0.16 s from its cache)
ENV_NO_CACHE = "SPACENEWS_NO_CACHE"  # set (not to 0, false or no): no cache unless asked for
CHUNK_FILES = 500  # files a worker parses between two reports
PARSING = "Parsing files"  # what progress is told while files are parsed
T = TypeVar("T")

if TYPE_CHECKING:
    import sqlite3
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

    from spacenews.entities import AliasTable
    from spacenews.index.view import View
    from spacenews.parse import Parsed
    from spacenews.parse.fields import Fields


def seeds_path() -> Path:
    """The built-in corpus: inside the installed package, or beside it in a source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "seeds"
    return installed if installed.is_dir() else package.parent / "seeds"


def default_roots() -> list[Path]:
    """The corpus when none is given: the built-in seeds, and what fetch saved by default."""
    from spacenews.fetch import fetched_roots

    return [seeds_path(), *fetched_roots()]


def locate(paths: Sequence[Path] | None, relative: str) -> list[Path]:
    """Where the file that results name by its path relative to its corpus root is: in each
    corpus path (default_roots when none are given) that holds a file by that name."""
    found = []
    for root in list(paths) if paths else default_roots():
        if root.is_dir():
            found += [root / relative] if (root / relative).is_file() else []
        elif root.name == relative:  # a file given as a corpus path is named by its name
            found.append(root)
    return found


def corpus_file(roots: Sequence[Path], target: str) -> Path | None:
    """The file the target names as a path from here (as check prints them), when it is in
    a corpus path (default_roots when none are given): open opens the file itself."""
    from spacenews.index.store import inside

    given = Path(target)
    found = given.is_file() and any(inside(given, root) for root in roots or default_roots())
    return given if found else None


def load_corpus(
    paths: Sequence[Path] | None = None,
    *,
    cache: bool | None = False,
    workers: int | None = None,
    progress: Progress | None = None,
    db: Path | None = None,
) -> Corpus:
    """Read every file under the paths (default_roots when none are given).

    The index is a database kept from run to run (only the files changed since the last run
    are parsed again), or one made for this run only: here alone is that decided
    (_index_on_disk). cache=True keeps it in the cache folder (for CACHE_MIN_FILES files or
    more, or CACHE_MIN_BYTES: fewer are indexed quicker in memory), cache=False makes one
    for this run only (see _this_run_only), cache=None lets the loader choose as the
    commands do. db names a database file to keep it in whatever cache says.
    workers is the number of processes to parse with (None: every core, when there are
    enough files to pay).
    """
    notices: list[str] = []
    roots = _existing_roots(paths, notices)
    tables, fields, table_problems, excludes = _user_files(roots)
    collecting = gc.isenabled()
    gc.disable()  # the loader makes millions of objects and no cycles: collecting is waste
    try:
        problems: list[Problem] = []
        folders = _walk(roots, problems, excludes)
        count = _file_count(folders)
        path = _kept_path(roots, _worth_keeping(folders, count), cache, db, notices)
        view = None
        if path is not None:
            view = _open_kept_index(
                path, roots, folders, tables, fields, notices, workers, progress, db is not None
            )
        if view is None:
            private = _this_run_only(roots, count, folders)
            view = _bring_up_to_date(private, folders, tables, fields, workers, progress)
        corpus = Corpus.of_view(view, tables)
        # Each problem names its file as the user can open it, unique across the roots.
        stored = [_located(roots[root], problem) for root, problem in view.rooted_problems()]
        corpus.problems = (*stored, *problems, *table_problems)
        corpus.notices = tuple(notices)
        return corpus
    finally:
        if collecting:
            gc.enable()


def _kept_path(
    roots: list[Path],
    worth: bool,
    cache: bool | None,
    db: Path | None,
    notices: list[str] | None = None,
) -> Path | None:
    """The database file the index of these paths is kept in (db when given; worth: whether
    their files are enough to be, see _worth_keeping); None when it is made for this run
    only, as when the cache folder is inside a corpus path (which notices are told)."""
    if db is not None:
        from spacenews.index.store import inside

        for root in roots:
            if inside(db, root):
                raise CorpusError(f"--db {db} lies in the corpus path {root}: it is never written")
        return db
    if not _index_on_disk(cache, worth, roots == [seeds_path()]):
        return None
    from spacenews.index.store import cache_dir, database_file, inside

    folder = cache_dir()
    if any(inside(folder, root) for root in roots):
        if notices is not None:
            notices.append(f"cache not used: its folder {folder} is inside the corpus")
        return None
    return database_file(roots, folder)


def _existing_roots(paths: Sequence[Path] | None, notices: list[str] | None = None) -> list[Path]:
    """The corpus paths (default_roots when none are given), each read once: one inside
    another (or the same) is left out, which notices are told, as the other holds its files
    (each would be told twice, by two names). CorpusError for one missing."""
    from spacenews.index.store import inside

    roots = list(paths) if paths else default_roots()
    for root in roots:
        if not root.exists() and not root.is_symlink():
            raise CorpusError(f"corpus path does not exist: {root}")
    kept: list[Path] = []
    for number, root in enumerate(roots):
        outer = [
            other
            for at, other in enumerate(roots)
            if at != number
            and inside(root, other)
            and (at < number or not inside(other, root))
            and _walk_reaches(other, root)
        ]
        if not outer:
            kept.append(root)
        elif notices is not None and inside(outer[0], root):
            notices.append(f"corpus path {root} given twice: read once")
        elif notices is not None:
            notices.append(f"corpus path {root} lies in {outer[0]}: its files are read once")
    return kept


def _walk_reaches(outer: Path, inner: Path) -> bool:
    """Whether the walk of outer (a folder holding inner) reads inner's files: no hidden
    folder on the way, and none that outer's exclude leaves out (see walk.Exclude)."""
    parts = Path(os.path.relpath(os.path.realpath(inner), os.path.realpath(outer))).parts
    if parts == (".",):
        return True
    if any(part.startswith(".") for part in parts):
        return False
    exclude = NOTHING
    if (outer / USER_FILE).is_file():
        from spacenews.userfile import read_user_file

        exclude = read_user_file(outer / USER_FILE, [])[2]
    for depth in range(1, len(parts) + 1):
        folder = depth < len(parts) or inner.is_dir()
        if exclude.leaves_out("/".join(parts[:depth]), parts[depth - 1], folder=folder):
            return False
    return True


def _worth_keeping(folders: list[Folder], files: int) -> bool:
    """Whether the files are enough for their index to be kept: CACHE_MIN_FILES of them, or
    CACHE_MIN_BYTES (a few large pages)."""
    if files >= CACHE_MIN_FILES:
        return True
    return sum(sum(folder.keys[::2]) for folder in folders) >= CACHE_MIN_BYTES


def _index_on_disk(cache: bool | None, worth: bool, seeds_only: bool = False) -> bool:
    """Whether a corpus gets its index kept in the cache folder: never with cache=False, nor
    when its files are not worth it (see _worth_keeping). cache=None (the commands' choice
    when not told --no-cache) also makes one for this run only for the built-in seeds alone,
    which parse quicker than a cache reads, and when $SPACENEWS_NO_CACHE is set."""
    if cache is None:
        cache = not seeds_only and not _no_cache_in_environment()
    return cache and worth


def _no_cache_in_environment() -> bool:
    """Whether $SPACENEWS_NO_CACHE asks for no cache: set, and not to 0, false or no."""
    return os.environ.get(ENV_NO_CACHE, "").strip().lower() not in ("", "0", "false", "no")


def index_results(
    results: Iterable[Parsed],
    alias_tables: Iterable[AliasTable] = (),
    progress: Progress | None = None,
) -> Corpus:
    """The corpus of parse results made without files (by a program, or a test), indexed in
    memory as the files' results are: merged into events the same way."""
    parsed = list(results)
    names = [f"{number}" for number in range(len(parsed))]
    folder = Folder(0, "", "", names, array("q", NO_KEY * len(names)))

    def rows(todo: list[SourceFile]) -> Iterator[FileRows]:
        return (file_rows(parsed[int(file.relative)]) for file in todo)

    from spacenews.index.mains import give_main_names
    from spacenews.index.view import View

    tables = list(alias_tables)
    db = _this_run_only([])
    refresh(db, [folder], rows, progress, partial(give_main_names, tables=tables))
    return Corpus.of_view(View(db), tables)


def _this_run_only(
    roots: list[Path], files: int = 0, folders: list[Folder] | None = None
) -> sqlite3.Connection:
    """A database for this run only: in memory, or for CACHE_MIN_FILES files and more in a
    temporary file, so that a large corpus's index does not stand in memory whole. For the
    built-in seeds (walked as folders), a copy of their shipped index (see seeds_image)."""
    from spacenews.index.store import MEMORY, SEEDS_IMAGE, TEMPORARY, connect, copy_of

    if folders is not None and roots == [seeds_path()] and SEEDS_IMAGE.is_file():
        db = copy_of(SEEDS_IMAGE)
        if db is not None:
            _adopt(db, folders)
            return db
    return connect(MEMORY if files < CACHE_MIN_FILES else TEMPORARY, roots)


SHIPPED = "shipped:"  # the meta keys of the seeds' image: each file's bytes, by this and its path


def seeds_image() -> bytes:
    """The image of the built-in seeds' index that their runs start from (store.SEEDS_IMAGE):
    made as a run makes it (from the schema), but that no file's size nor folder's state is
    one a walk finds, so that a run parses every file it does not adopt and forgets every
    folder it does not walk (see _adopt); with the bytes of each file, in meta."""
    from spacenews.index.codec import sql_text
    from spacenews.index.store import TEMPORARY, connect, image_of, writing

    roots = [seeds_path()]
    tables, fields, _, excludes = _user_files(roots)
    folders = _walk(roots, [], excludes)
    view = _bring_up_to_date(connect(TEMPORARY, roots), folders, tables, fields, 1, None)
    db = view.db
    db.execute("COMMIT")  # the view's read transaction
    files = [file for folder in folders for file, _ in folder.files()]
    with writing(db):
        db.execute("UPDATE files SET size = -2, mtime_ns = 0")  # as settle marks them
        db.execute("UPDATE folders SET keys = x''")
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                (
                    SHIPPED + sql_text(file.relative),
                    reading.read_bytes(file.path, reading.MAX_FILE_BYTES),
                )
                for file in files
            ],
        )
    return image_of(db)


def _adopt(db: sqlite3.Connection, folders: list[Folder]) -> None:
    """Give each file of the seeds' image whose bytes are those it was made from the mtime
    the walk found, and each folder whose every file is such, the state it found: refresh
    then parses only the other files, and reads only the other folders."""
    from spacenews.index.codec import sql_text
    from spacenews.index.store import writing

    query = "SELECT substr(key, ?), value FROM meta WHERE key >= ? AND key < ?"
    shipped = dict(db.execute(query, (len(SHIPPED) + 1, SHIPPED, SHIPPED[:-1] + ";")))
    with writing(db):
        for folder in folders:
            place = sql_text(folder.relative)
            adopted, expected = 0, sum(path.rpartition("/")[0] == place for path in shipped)
            for file, (size, mtime) in folder.files():
                relative = sql_text(file.relative)
                data = shipped.get(relative)
                try:
                    same = data is not None and len(data) == size
                    same = same and reading.read_bytes(file.path, size) == data
                except (OSError, reading.Unreadable):
                    continue
                if same:
                    db.execute(
                        "UPDATE files SET size = ?, mtime_ns = ? WHERE root = ? AND path = ?",
                        (size, mtime, file.root, relative),
                    )
                    adopted += 1
            if adopted == len(folder.names) == expected:
                db.execute(
                    "INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?)",
                    (folder.root, place, *folder.state()),
                )


def _bring_up_to_date(
    db: sqlite3.Connection,
    folders: list[Folder],
    tables: list[AliasTable],
    fields: list[Fields],
    workers: int | None,
    progress: Progress | None,
) -> View:
    """The database brought up to date with the files, read with each root's fields, and
    with the alias tables; and its view."""
    from spacenews.index.mains import give_main_names
    from spacenews.index.view import View

    settle(db, "\n".join(root.key() for root in fields))
    finish = partial(give_main_names, tables=tables)
    with _Processes(workers) as processes:
        parse = lambda todo: _parse_rows(todo, fields, processes, progress)  # noqa: E731
        refresh(db, folders, parse, progress, finish, processes.spread)
    give_main_names(db, tables=tables)  # the alias tables alone may have changed
    return View(db)


def _open_kept_index(
    path: Path,
    roots: list[Path],
    folders: list[Folder],
    tables: list[AliasTable],
    fields: list[Fields],
    notices: list[str],
    workers: int | None,
    progress: Progress | None,
    given: bool = False,
) -> View | None:
    """The view of the database kept in path for these corpus paths, brought up to date.
    One found damaged on the way is set aside, with a notice, and made anew. given: the
    user named the file (--db), not the cache folder (see _database)."""
    import sqlite3

    from spacenews.index import store

    db = _database(path, roots, notices, given)
    if db is None:
        return None
    try:
        return _bring_up_to_date(db, folders, tables, fields, workers, progress)
    except sqlite3.DatabaseError as error:
        db.close()
        aside = store.set_aside(path, replace=not given)
        notices.append(f"index {path} set aside as {aside} and rebuilt: it is corrupt ({error})")
        db = _database(path, roots, notices, given)
        if db is None:
            return None
        return _bring_up_to_date(db, folders, tables, fields, workers, progress)


def _database(
    path: Path, roots: list[Path], notices: list[str], given: bool = False
) -> sqlite3.Connection | None:
    """The database in path for these corpus paths, opened; one that cannot be used is set
    aside, with a notice, and made anew. None when the file cannot be written: the index is
    then made for this run. A file the user named (given: --db) is set aside or replaced
    only when it is a spacenews index (of another version or corpus paths): any other is
    the user's own, and is left as it is (CorpusError)."""
    from spacenews.index import store

    try:
        try:
            return store.connect(path, roots)
        except store.StoreError as error:
            if given and not error.ours:
                raise CorpusError(
                    f"--db {path} is not used: {error}; spacenews replaces only an index"
                    " of its own (remove the file, or give another)"
                ) from None
            # A file named by --db is never removed: it may be another's that looks like ours.
            # A sound index of another version or corpus is no broken one (--db reused).
            suffix = ".old" if error.sound else ".broken"
            keep = given or not error.outdated
            aside = store.set_aside(path, keep=keep, replace=not given, suffix=suffix)
            done = "removed" if aside is None else f"set aside as {aside}"
            notices.append(f"index {path} {done} and rebuilt: {error}")
            return store.connect(path, roots)
    except (OSError, store.StoreError) as error:
        reason = getattr(error, "strerror", None) or error
        if path.parent.exists() and not path.parent.is_dir():  # "File exists", said mkdir
            reason = f"{path.parent} is no folder"
        notices.append(f"index not kept in {path}: {reason}")
        return None


def _walk(
    roots: list[Path], problems: list[Problem], excludes: list[Exclude] | None = None
) -> list[Folder]:
    folders: list[Folder] = []
    for index, root in enumerate(roots):
        found: list[Problem] = []
        folders += walk_folders(root, index, found, excludes[index] if excludes else NOTHING)
        problems += [_located(root, problem) for problem in found]
    return folders


def _file_count(folders: list[Folder]) -> int:
    return sum(len(folder.names) for folder in folders)


def _located(root: Path, problem: Problem) -> Problem:
    """The problem with its path (relative to its root) made one the user can open from the
    current folder: relative to it when the file is under it, else absolute."""
    path = Path(os.path.abspath(root / problem.path if root.is_dir() else root))
    try:
        here = Path.cwd()
    except OSError:  # the current folder was removed
        return problem._replace(path=str(path))
    return problem._replace(path=str(path.relative_to(here) if path.is_relative_to(here) else path))


def _parse_rows(
    files: list[SourceFile],
    fields: list[Fields],
    processes: _Processes,
    progress: Progress | None,
) -> Iterator[FileRows]:
    """The rows of each file, in the files' order, read with its root's fields: parsed
    here, or by worker processes when there are many (each hands back the rows, not the
    parse results: far smaller)."""
    from spacenews.index.codec import packer

    pack = packer(len(files))  # imports the quicker encoder before workers are forked
    pool = processes.start(len(files))
    if pool is None:
        for done, file in enumerate(files, 1):
            yield file_rows(reading.parse_file(file, fields[file.root]), pack)
            _tell(progress, PARSING, done, len(files))
        return
    jobs = [files[start : start + CHUNK_FILES] for start in range(0, len(files), CHUNK_FILES)]
    chunks = pool.map(_parse_chunk, jobs, repeat(fields), repeat(len(files)))
    for done, chunk in enumerate(chunks, 1):
        yield from chunk
        if progress:
            progress(PARSING, min(done * CHUNK_FILES, len(files)), len(files))


class _Processes:
    """The worker processes of a load: started to parse many files (see _worker_count),
    and kept to merge their events (see index.fresh.merge_again), while the database is
    written here; stopped when the load is done with them."""

    def __init__(self, workers: int | None) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.count = 1  # how many there are

    def __enter__(self) -> _Processes:
        return self

    def __exit__(self, *_: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def start(self, files: int) -> ProcessPoolExecutor | None:
        """The processes to parse this many files with; None when here is quicker."""
        count = _worker_count(files, self.workers)
        if count > 1 and self.pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(max_workers=count, mp_context=_fork_context())
            self.count = count
        return self.pool if count > 1 else None

    def spread(self, function: Callable[..., T], *arguments: Iterable[Any]) -> Iterator[T]:
        """What map gives, made by the processes when they were started: a few calls ahead
        of the results taken, so that only those stand in memory."""
        if self.pool is None:
            yield from map(function, *arguments)
            return
        from collections import deque

        ahead: deque[Future[T]] = deque()
        for call in zip(*arguments, strict=False):  # as map, to the shortest
            ahead.append(self.pool.submit(function, *call))
            if len(ahead) > 2 * self.count:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


def _parse_chunk(files: list[SourceFile], fields: list[Fields], count: int) -> list[FileRows]:
    """The rows of a chunk of the count files parsed."""
    from spacenews.index.codec import packer

    gc.disable()
    pack = packer(count)
    return [file_rows(reading.parse_file(file, fields[file.root]), pack) for file in files]


def _tell(progress: Progress | None, what: str, done: int, total: int) -> None:
    """Tell progress how far a step is, at every CHUNK_FILES items and at the last."""
    if progress and (done % CHUNK_FILES == 0 or done == total):
        progress(what, done, total)


def _worker_count(files: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    return (os.cpu_count() or 1) if files >= PARALLEL_MIN_FILES else 1


def _fork_context() -> BaseContext | None:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds, with the parsers already imported
    return multiprocessing.get_context("fork") if "fork" in methods else None


class _UserFiles(NamedTuple):
    """What the roots' spacenews.toml files say (see _user_files)."""

    tables: list[AliasTable]  # their alias tables
    fields: list[Fields]  # each root's front-matter fields
    problems: list[Problem]
    excludes: list[Exclude]  # what each root's walk leaves out


def _user_files(roots: Iterable[Path]) -> _UserFiles:
    """What each root's spacenews.toml says: its alias table, which front-matter fields say
    what (the defaults for a root without one, or whose [frontmatter] is bad), and what its
    walk leaves out."""
    from spacenews.parse.fields import DEFAULT_FIELDS
    from spacenews.userfile import read_user_file

    said = _UserFiles([], [], [], [])
    for root in roots:
        path = root / USER_FILE
        found: list[Problem] = []
        table, settings, exclude = (
            read_user_file(path, found) if path.is_file() else (None, None, NOTHING)
        )
        said.problems.extend(_located(root, problem) for problem in found)
        said.tables.extend([table] if table else [])
        said.fields.append(settings or DEFAULT_FIELDS)
        said.excludes.append(exclude)
    return said
