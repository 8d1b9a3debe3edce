"""Loading a corpus: walk the paths, read every file safely, parse what changed (on every core
when there is much to parse), keep the parse cache, and build the corpus."""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from spacenews.corpus import Corpus, CorpusError, Progress, build
from spacenews.model import Problem
from spacenews.parse import Parsed, parse_text, reads_long_lines
from spacenews.records import Packed, encode, pack, unpack
from spacenews.walk import USER_FILE, SourceFile, relative_to, walk_files

MAX_FILE_BYTES = 16 * 1024 * 1024  # larger files are skipped with a warning
MAX_LINE_CHARS = 100_000  # longer lines are cut, with a warning
PARALLEL_MIN_FILES = 2000  # below this, starting worker processes costs more than it saves
PARALLEL_MIN_SNAPSHOT_BYTES = 5_000_000  # the snapshot of about PARALLEL_MIN_FILES files
CACHE_MIN_FILES = 50  # below this, parsing is quicker than reading a cache
CHUNK_FILES = 500  # files a worker parses between two reports
PARSING = "Parsing files"  # what progress is told while files are parsed,
READING = "Reading the cache"  # ... while cached results are read,
WRITING = "Writing the snapshot"  # ... and while the snapshot is written

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from spacenews import survey
    from spacenews.cache import ParseCache, Snapshot
    from spacenews.entities import AliasTable


def seeds_path() -> Path:
    """The built-in corpus: inside the installed package, or beside it in a source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "seeds"
    return installed if installed.is_dir() else package.parent / "seeds"


def default_roots() -> list[Path]:
    """The corpus when none is given: the built-in seeds, and what fetch saved by default."""
    from spacenews.fetch import fetched_roots

    return [seeds_path(), *fetched_roots()]


def load_corpus(
    paths: Sequence[Path] | None = None,
    *,
    cache: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    detail: bool = True,
) -> Corpus:
    """Read every file under the paths (default_roots when none are given).

    With cache, files unchanged since the last run are not parsed again. workers is the number
    of processes to parse with (None: every core, when there are enough files to pay).
    Without detail, prose gets no languages and no dated mentions when it is parsed without
    the cache (which keeps whole results): for commands that need neither.
    """
    roots = list(paths) if paths else default_roots()
    for root in roots:
        if not root.exists() and not root.is_symlink():
            raise CorpusError(f"corpus path does not exist: {root}")
    notices: list[str] = []
    tables, table_problems = _alias_tables(roots)
    collecting = gc.isenabled()
    gc.disable()  # the loader makes millions of objects and no cycles: collecting is waste
    try:
        corpus, stale, walked = _from_snapshot(roots, tables, notices, workers) if cache else _NONE
        if corpus is None:
            problems: list[Problem] = []
            files, keys = walked or (_walk(roots, problems), None)
            if cache and len(files) >= CACHE_MIN_FILES:
                corpus = _cached_corpus(
                    roots, files, keys, tables, notices, workers, progress, stale
                )
            else:
                parsed = _parse_all(files, workers, progress, detail)
                corpus = build(parsed, tables, progress)
            corpus.problems += tuple(problems)
        corpus.problems += tuple(table_problems)
        corpus.notices = tuple(notices)
        return corpus
    finally:
        if collecting:
            gc.enable()


def _walk(roots: list[Path], problems: list[Problem]) -> list[SourceFile]:
    return [file for index, root in enumerate(roots) for file in walk_files(root, index, problems)]


def read_file(path: Path, root: Path) -> Parsed:
    """Parse one file; anything wrong with it becomes a problem, never an exception."""
    top = os.fspath(root)
    relative = Path(path).name if os.fspath(path) == top else relative_to(os.fspath(path), top)
    return _parse_file(SourceFile(os.fspath(path), relative, 0))


def _parse_file(file: SourceFile, detail: bool = True) -> Parsed:
    """Read and parse one file of the walk: the loader's single way to do it."""
    path, relative = file.path, file.relative
    try:
        text, problems = _read_text(path, relative)
    except OSError as error:
        reason = f"cannot read: {error.strerror or error}"
        return Parsed(problems=[Problem(relative, 0, reason, skipped=True)])
    if text is None:
        return Parsed(problems=problems)
    try:
        parsed = parse_text(text, relative, detail)
    except Exception as error:  # noqa: BLE001 - one broken file must not hide the others
        reason = f"could not be parsed ({type(error).__name__})"
        return Parsed(problems=[*problems, Problem(relative, 0, reason, skipped=True)])
    parsed.problems[:0] = problems
    return parsed


class Unreadable(Exception):
    """A path that is not a file the loader reads: the message says why."""


# Non-blocking, so that opening a FIFO does not wait for a writer; binary, on Windows.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(path: str, limit: int) -> bytes:
    """The bytes of a regular file of at most limit bytes: the loader's only way to read one.

    One open, one fstat and one read of the size fstat gave: a buffered read of up to limit
    bytes sets the whole limit aside for every file, and costs four times as much.
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise Unreadable("not a regular file")
        if info.st_size > limit:
            raise Unreadable(f"larger than {limit // 2**20} MiB ({info.st_size} bytes)")
        data = os.read(fd, info.st_size + 1)
        while len(data) != info.st_size and len(data) <= limit:  # it changed since the fstat
            more = os.read(fd, limit + 1 - len(data))
            if not more:
                break
            data += more
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Unreadable(f"larger than {limit // 2**20} MiB (it grew while read)")
    return data


def _read_text(path: str, relative: str) -> tuple[str | None, list[Problem]]:
    try:
        data = read_bytes(path, MAX_FILE_BYTES)
    except Unreadable as error:
        return None, [Problem(relative, 0, str(error), skipped=True)]
    if b"\0" in data:
        return None, [Problem(relative, 0, "binary file (it holds NUL bytes)", skipped=True)]
    text, warning = decode_bytes(data)
    problems = [Problem(relative, 0, warning)] if warning else []
    if not text or text.isspace():
        return None, [*problems, Problem(relative, 0, "empty file", skipped=True)]
    if len(text) > MAX_LINE_CHARS and not reads_long_lines(text):
        text, cut = _cut_long_lines(text)
        if cut:
            reason = f"{cut} lines longer than {MAX_LINE_CHARS} characters were cut"
            problems.append(Problem(relative, 0, reason))
    return text, problems


def _cut_long_lines(text: str) -> tuple[str, int]:
    lines = text.split("\n")
    cut = sum(len(line) > MAX_LINE_CHARS for line in lines)
    if cut:
        text = "\n".join(line[:MAX_LINE_CHARS] for line in lines)
    return text, cut


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text with normalised line ends, and a warning when the bytes were not clean UTF-8."""
    warning = ""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        if any(char > "\x7f" and char != "\ufffd" for char in text):
            warning = "invalid UTF-8 bytes replaced"
        else:  # no valid multi-byte sequence at all: a legacy single-byte encoding
            text = data.decode("cp1252", errors="replace")
            warning = "not UTF-8: read as Windows-1252"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warning


def _parse_all(
    files: list[SourceFile], workers: int | None, progress: Progress | None, detail: bool = True
) -> Iterator[Parsed]:
    """Parse files, in parallel when there are many; results in the files' order."""
    if _worker_count(len(files), workers) <= 1:
        yield from _parse_here(files, progress, detail)
        return
    # Each result is decoded as it comes, while the workers parse the next ones, and let go.
    results = _parse_parallel(files, workers, progress, detail)
    for file, data in zip(files, results, strict=True):
        yield unpack(data, file.relative)


def _parse_here(
    files: list[SourceFile], progress: Progress | None, detail: bool = True
) -> Iterator[Parsed]:
    """Parse files in this process, one after the other."""
    for done, file in enumerate(files, 1):
        yield _parse_file(file, detail)
        _tell(progress, PARSING, done, len(files))


def _tell(
    progress: Progress | None, what: str, done: int, total: int, every: int | None = None
) -> None:
    """Tell progress how far a step is, at every so many items (CHUNK_FILES unless told) and
    at the last."""
    if progress and (done % (every or CHUNK_FILES) == 0 or done == total):
        progress(what, done, total)


def _worker_count(files: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    return (os.cpu_count() or 1) if files >= PARALLEL_MIN_FILES else 1


def _parse_parallel(
    files: list[SourceFile], workers: int | None, progress: Progress | None, detail: bool = True
) -> Iterator[Packed]:
    """The packed results of files parsed by worker processes, in the files' order, as they
    come. A worker hands back one MessagePack list for every CHUNK_FILES files: far smaller,
    and quicker to pass between processes, than the lists themselves; each file's item of it
    is a view, not a copy."""
    from concurrent.futures import ProcessPoolExecutor

    import msgspec

    jobs = [
        [(file.path, file.relative) for file in files[start : start + CHUNK_FILES]]
        for start in range(0, len(files), CHUNK_FILES)
    ]
    count = _worker_count(len(files), workers)
    with ProcessPoolExecutor(max_workers=count, mp_context=_fork_context()) as pool:
        for done, chunk in enumerate(pool.map(_parse_chunk, jobs, repeat(detail)), 1):
            for item in msgspec.msgpack.decode(chunk, type=list[msgspec.Raw]):
                yield memoryview(item)
            if progress:
                progress(PARSING, min(done * CHUNK_FILES, len(files)), len(files))


def _fork_context() -> BaseContext | None:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds, with the parsers already imported
    return multiprocessing.get_context("fork") if "fork" in methods else None


def _parse_chunk(job: list[tuple[str, str]], detail: bool) -> bytes:
    import msgspec

    gc.disable()
    files = (SourceFile(path, relative, 0) for path, relative in job)
    parsed = [encode(_parse_file(file, detail)) for file in files]
    return msgspec.msgpack.encode(parsed)


class _Found(NamedTuple):
    """What the cache gives before any file is read."""

    corpus: Corpus | None  # the snapshot's, when no file changed since it was taken
    stale: Snapshot | None  # else the snapshot, for the new corpus to be made from
    # ... and the files of the walk with their keys, when the survey told which changed
    walked: tuple[list[SourceFile], list[survey.Key]] | None


_NONE = _Found(None, None, None)


def _from_snapshot(
    roots: list[Path], tables: list[AliasTable], notices: list[str], workers: int | None
) -> _Found:
    """The corpus as its snapshot keeps it, if no file changed since it was taken; else the
    snapshot, if there is one, for the new corpus to be made from, and the files.

    Whether files changed takes a stat of each: when there are many, other processes make
    them while this one opens the snapshot. When some did, the files of the folders (and
    the files) at the top of the roots that did not change are the snapshot's: only the
    others are walked again."""
    from spacenews import cache as caching
    from spacenews import survey

    folder = caching.cache_dir()
    if any(caching.inside(folder, root) for root in roots):
        return _NONE  # the cache is not used at all (see _cached_corpus)
    path = caching.snapshot_file(roots, folder)
    try:
        size = path.stat().st_size
    except OSError:
        return _NONE
    many = size >= PARALLEL_MIN_SNAPSHOT_BYTES
    surveyed = survey.start(roots, _worker_count(PARALLEL_MIN_FILES if many else 0, workers))
    try:
        kept = caching.load_snapshot(path, caching.snapshot_fingerprint())
    except caching.CacheError as error:
        notices.append(f"snapshot {path} ignored and rebuilt: {error}")
        kept = None
    found = surveyed()
    if kept is None or found is None or kept.manifest != found.digest:
        walked = None
        if kept is not None and found is not None:
            with suppress(caching.CacheError):  # its list of files is damaged: walk them all
                walked = found.walk(kept.files())
        # Where a mapped file cannot be replaced, the stale snapshot is let go (and the corpus
        # merged again), so that the new snapshot can take its place.
        return _Found(None, kept if caching.REPLACES_MAPPED_FILES else None, walked)
    corpus = Corpus(
        kept.events,
        kept.documents,
        kept.problems,
        tables,
        index=kept.columns,
        names=kept.names,
        encoded=kept.encoded,
        texts=kept.texts,
    )
    return _Found(corpus, None, None)


def _cached_corpus(
    roots: list[Path],
    files: list[SourceFile],
    keys: list[survey.Key] | None,
    tables: list[AliasTable],
    notices: list[str],
    workers: int | None,
    progress: Progress | None,
    stale: Snapshot | None,
) -> Corpus:
    """The corpus built from the parse cache, parsing the files that changed, or brought up
    to date from the stale snapshot when few did; and a new snapshot of it taken."""
    from spacenews import cache as caching
    from spacenews import survey

    folder = caching.cache_dir()
    if any(caching.inside(folder, root) for root in roots):
        notices.append(f"cache not used: its folder {folder} is inside the corpus")
        return build(_parse_all(files, workers, progress), tables, progress)
    keys = survey.keys(files) if keys is None else keys
    path = caching.snapshot_file(roots, folder)
    job = _Job(roots, files, keys, caching.parser_fingerprint(), notices, workers, progress)
    corpus = None
    if stale is not None:
        from spacenews.refresh import refresh

        results = _Results(job)
        try:
            corpus = refresh(stale, files, keys, results, tables)
        except caching.CacheError as error:
            notices.append(f"snapshot {path} not used: {error}")
    if corpus is None:
        found = _cached(job)
        corpus = build(_each_decoded(found, files, progress), tables, progress)
    try:
        digest = survey.manifest(files, keys)
        listed = [(f.root, f.relative, *key) for f, key in zip(files, keys, strict=True)]
        written = caching.save_snapshot(
            path,
            caching.snapshot_fingerprint(),
            digest,
            corpus,
            listed,
            lambda done, total: _tell(progress, WRITING, done, total, every=1),
        )
        if written is not None:
            corpus.keep_json(written)
    except OSError as error:
        notices.append(f"snapshot not written to {path}: {error.strerror or error}")
    return corpus


class _Job(NamedTuple):
    """What a load with the parse cache works on."""

    roots: list[Path]
    files: list[SourceFile]  # the files of the walk
    keys: list[survey.Key]  # and their keys
    fingerprint: str  # the parser's, that the parse cache must have
    notices: list[str]  # where to tell the user of what went wrong with the cache
    workers: int | None
    progress: Progress | None


def _cached(job: _Job) -> list[Packed | None]:
    """The packed parse result of each file: from the cache for the files that did not
    change, parsed for the others (and cached)."""
    store = _Store(job)
    found = [store.get(index) for index in range(len(job.files))]
    todo = [index for index, hit in enumerate(found) if hit is None]
    fresh = _parse_encoded([job.files[index] for index in todo], job.workers, job.progress)
    for index, data in zip(todo, fresh, strict=True):
        found[index] = data
        store.put(index, data)
    store.save()
    return found


class _Store:
    """The parse caches of the roots, read whole, for the files of a walk."""

    def __init__(self, job: _Job) -> None:
        self._caches = [_open_cache(root, job.fingerprint, job.notices) for root in job.roots]
        self._job = job

    def get(self, index: int) -> Packed | None:
        """The cached result of a file, if it did not change since."""
        from spacenews.survey import NO_KEY

        file, key = self._job.files[index], self._job.keys[index]
        return None if key == NO_KEY else self._caches[file.root].get(file.relative, *key)

    def put(self, index: int, data: Packed) -> None:
        """Remember what a file yields now (a file that could not be stat-ed is not kept)."""
        from spacenews.survey import NO_KEY

        file, key = self._job.files[index], self._job.keys[index]
        if key != NO_KEY:
            self._caches[file.root].put(file.relative, *key, data)

    def save(self) -> None:
        """Forget the files gone from the walk, and write back the caches that changed."""
        for index, store in enumerate(self._caches):
            store.keep_only({file.relative for file in self._job.files if file.root == index})
            if store.changed:
                _save_cache(store, self._job.fingerprint, self._job.notices)


class _Results:
    """What the files yield, for a refresh (see refresh.Results): the changed files parsed
    afresh; the parse cache read, brought up to date and let go once the refresh knows which
    unchanged files it needs, so that it is not held while the events are merged."""

    def __init__(self, job: _Job) -> None:
        self._job = job
        self._fresh: dict[int, Packed] = {}

    def parsed(self, positions: list[int]) -> list[Parsed]:
        files = [self._job.files[index] for index in positions]
        packed = _parse_encoded(files, self._job.workers, self._job.progress)
        self._fresh.update(zip(positions, packed, strict=True))
        return [_decoded(data, file) for data, file in zip(packed, files, strict=True)]

    def cached(self, positions: list[int]) -> list[Parsed]:
        store = _Store(self._job)
        for index, data in self._fresh.items():
            store.put(index, data)
        found = [store.get(index) for index in positions]
        missing = [index for index, hit in zip(positions, found, strict=True) if hit is None]
        parsed = dict(zip(missing, self.parsed(missing), strict=True))  # a cache lost or damaged
        for index in missing:
            store.put(index, self._fresh[index])
        store.save()
        return [
            parsed[index] if data is None else _decoded(data, self._job.files[index])
            for index, data in zip(positions, found, strict=True)
        ]


def _each_decoded(
    found: list[Packed | None], files: list[SourceFile], progress: Progress | None
) -> Iterator[Parsed]:
    """Each file's parse result, decoded when it is wanted and then let go, so that they
    never all stand in memory twice."""
    for done, file in enumerate(files, 1):
        entry, found[done - 1] = found[done - 1], None
        yield _decoded(entry, file)
        _tell(progress, READING, done, len(files))


def _decoded(data: Packed | None, file: SourceFile) -> Parsed:
    assert data is not None
    try:
        return unpack(data, file.relative)
    except (TypeError, ValueError) as error:  # a cache entry of the wrong shape
        reason = f"cache entry unreadable ({type(error).__name__}): run `spacenews cache clear`"
        return Parsed(problems=[Problem(file.relative, 0, reason)])


def _parse_encoded(
    files: list[SourceFile], workers: int | None, progress: Progress | None
) -> list[Packed]:
    if _worker_count(len(files), workers) > 1:
        return list(_parse_parallel(files, workers, progress))
    return [pack(parsed) for parsed in _parse_here(files, progress)]


def _open_cache(root: Path, fingerprint: str, notices: list[str]) -> ParseCache:
    from spacenews import cache as caching

    folder = caching.cache_dir()
    try:
        return caching.open_cache(root, fingerprint, folder)
    except caching.CacheError as error:
        notices.append(f"cache of {root} ignored and rebuilt: {error}")
        return caching.ParseCache(caching.cache_file(root, folder), os.fspath(root))


def _save_cache(store: ParseCache, fingerprint: str, notices: list[str]) -> None:
    from spacenews import cache as caching

    try:
        caching.save_cache(store, fingerprint)
    except OSError as error:
        notices.append(f"cache not written to {store.path}: {error.strerror or error}")


def _alias_tables(roots: Iterable[Path]) -> tuple[list[AliasTable], list[Problem]]:
    tables: list[AliasTable] = []
    problems = []
    for root in roots:
        path = root / USER_FILE
        if not path.is_file():
            continue
        from spacenews.entities import AliasFileError, read_alias_table

        try:
            tables.append(read_alias_table(path.read_bytes()))
        except (OSError, AliasFileError) as error:
            problems.append(Problem(USER_FILE, 0, f"alias file not used: {error}"))
    return tables, problems
