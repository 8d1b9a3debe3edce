"""Loading a corpus: walk the paths, read every file safely, parse what changed (on every core
when there is much to parse), keep the parse cache, and build the corpus."""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from spacenews.corpus import Corpus, CorpusError, build
from spacenews.model import Problem
from spacenews.parse import Parsed, parse_text
from spacenews.records import Encoded, decode, encode

MAX_FILE_BYTES = 16 * 1024 * 1024  # larger files are skipped with a warning
MAX_LINE_CHARS = 100_000  # longer lines are cut, with a warning
PARALLEL_MIN_FILES = 2000  # below this, starting worker processes costs more than it saves
CACHE_MIN_FILES = 50  # below this, parsing is quicker than reading a cache
CHUNK_FILES = 500  # files a worker parses between two reports
USER_FILE = "spacenews.toml"  # a corpus root's own alias table: read as such, not as a document

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from spacenews.cache import ParseCache
    from spacenews.entities import AliasTable

Progress = Callable[[int, int], None]  # (files parsed so far, files to parse)


class SourceFile(NamedTuple):
    """A file of the corpus, as the walk found it."""

    path: str  # as it is opened
    relative: str  # relative to its corpus root: how results name it
    root: int  # index of its root among the corpus paths


def seeds_path() -> Path:
    """The built-in corpus: inside the installed package, or beside it in a source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "seeds"
    return installed if installed.is_dir() else package.parent / "seeds"


def load_corpus(
    paths: Sequence[Path] | None = None,
    *,
    cache: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Corpus:
    """Read every file under the paths (the built-in seeds when none are given).

    With cache, files unchanged since the last run are not parsed again. workers is the number
    of processes to parse with (None: every core, when there are enough files to pay).
    """
    roots = list(paths) if paths else [seeds_path()]
    for root in roots:
        if not root.exists() and not root.is_symlink():
            raise CorpusError(f"corpus path does not exist: {root}")
    problems: list[Problem] = []
    notices: list[str] = []
    files = [f for index, root in enumerate(roots) for f in walk_files(root, index, problems)]
    tables, table_problems = _alias_tables(roots)
    collecting = gc.isenabled()
    gc.disable()  # the loader makes millions of objects and no cycles: collecting is waste
    try:
        if cache and len(files) >= CACHE_MIN_FILES:
            corpus = _cached_corpus(roots, files, tables, notices, workers, progress)
        else:
            corpus = build(_parse_all(files, workers, progress), tables)
        corpus.problems += tuple(problems + table_problems)
        corpus.notices = tuple(notices)
        return corpus
    finally:
        if collecting:
            gc.enable()


def walk(root: Path, problems: list[Problem] | None = None) -> Iterator[Path]:
    """The files under root in a stable order (see walk_files)."""
    for found in walk_files(root, 0, problems if problems is not None else []):
        yield Path(found.path)


def walk_files(root: Path, index: int, problems: list[Problem]) -> Iterator[SourceFile]:
    """The files under root in a stable order, skipping hidden ones.

    Links to folders are not followed, so a link loop cannot trap the walk, and the walk keeps
    its own stack, so no depth of folders can exhaust Python's recursion limit. A folder that
    cannot be listed is added to problems.
    """
    top = os.fspath(root)
    if not root.is_dir():
        yield SourceFile(top, root.name, index)
        return
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            reason = f"cannot list folder: {error.strerror or error}"
            problems.append(Problem(_relative(folder, top), 0, reason, skipped=True))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(entry.path)
            elif _is_folder_link(entry):
                continue
            elif not (entry.name == USER_FILE and folder == top):
                yield SourceFile(entry.path, _relative(entry.path, top), index)
        stack.extend(reversed(subfolders))


def _is_folder_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:
        return False


def _relative(path: str, top: str) -> str:
    relative = path[len(top) :].lstrip(os.sep) if path.startswith(top) else path
    return relative.replace(os.sep, "/") if os.sep != "/" else relative


def read_file(path: Path, root: Path) -> Parsed:
    """Parse one file; anything wrong with it becomes a problem, never an exception."""
    top = os.fspath(root)
    relative = Path(path).name if os.fspath(path) == top else _relative(os.fspath(path), top)
    return _parse_file(SourceFile(os.fspath(path), relative, 0))


def _parse_file(file: SourceFile) -> Parsed:
    """Stat, read and parse one file of the walk: the loader's single way to do it."""
    try:
        info = os.stat(file.path)
    except OSError as error:
        reason = f"cannot read: {error.strerror or error}"
        return Parsed(problems=[Problem(file.relative, 0, reason, skipped=True)])
    return _read(file.path, file.relative, info)


def _read(path: str, relative: str, info: os.stat_result) -> Parsed:
    try:
        text, problems = _read_text(path, relative, info)
    except OSError as error:
        reason = f"cannot read: {error.strerror or error}"
        return Parsed(problems=[Problem(relative, 0, reason, skipped=True)])
    if text is None:
        return Parsed(problems=problems)
    try:
        parsed = parse_text(text, relative)
    except Exception as error:  # noqa: BLE001 - one broken file must not hide the others
        reason = f"could not be parsed ({type(error).__name__})"
        return Parsed(problems=[*problems, Problem(relative, 0, reason, skipped=True)])
    parsed.problems[:0] = problems
    return parsed


def read_bytes(path: str, limit: int) -> bytes:
    """At most limit bytes of a file: the loader's only way to read one."""
    with open(path, "rb") as stream:
        return stream.read(limit)


def _read_text(path: str, relative: str, info: os.stat_result) -> tuple[str | None, list[Problem]]:
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
        return None, [Problem(relative, 0, "not a regular file", skipped=True)]
    if info.st_size > MAX_FILE_BYTES:
        reason = f"larger than {MAX_FILE_BYTES // 2**20} MiB ({info.st_size} bytes)"
        return None, [Problem(relative, 0, reason, skipped=True)]
    data = read_bytes(path, MAX_FILE_BYTES + 1)
    if b"\0" in data:
        return None, [Problem(relative, 0, "binary file (it holds NUL bytes)", skipped=True)]
    text, warning = decode_bytes(data)
    problems = [Problem(relative, 0, warning)] if warning else []
    if not text.strip():
        return None, [*problems, Problem(relative, 0, "empty file", skipped=True)]
    if len(text) > MAX_LINE_CHARS:
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


def _stat(file: SourceFile) -> os.stat_result | OSError:
    try:
        return os.stat(file.path)
    except OSError as error:
        return error


def _parse_all(
    files: list[SourceFile], workers: int | None, progress: Progress | None
) -> list[Parsed]:
    """Parse files, in parallel when there are many; results in the files' order."""
    if _worker_count(len(files), workers) <= 1:
        results = []
        for done, file in enumerate(files, 1):
            results.append(_parse_file(file))
            if progress and done % CHUNK_FILES == 0:
                progress(done, len(files))
        return results
    encoded = _parse_parallel(files, workers, progress)
    return [decode(data, file.relative) for file, data in zip(files, encoded, strict=True)]


def _worker_count(files: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    return (os.cpu_count() or 1) if files >= PARALLEL_MIN_FILES else 1


def _parse_parallel(
    files: list[SourceFile], workers: int | None, progress: Progress | None
) -> list[Encoded]:
    """Encoded results of files parsed by worker processes, in the files' order."""
    jobs = [
        [(file.path, file.relative) for file in files[start : start + CHUNK_FILES]]
        for start in range(0, len(files), CHUNK_FILES)
    ]
    from concurrent.futures import ProcessPoolExecutor

    results: list[Encoded] = []
    count = _worker_count(len(files), workers)
    with ProcessPoolExecutor(max_workers=count, mp_context=_fork_context()) as pool:
        for chunk in pool.map(_parse_chunk, jobs):
            results.extend(chunk)
            if progress:
                progress(len(results), len(files))
    return results


def _fork_context() -> BaseContext | None:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds, with the parsers already imported
    return multiprocessing.get_context("fork") if "fork" in methods else None


def _parse_chunk(job: list[tuple[str, str]]) -> list[Encoded]:
    gc.disable()
    return [encode(_parse_file(SourceFile(path, relative, 0))) for path, relative in job]


def _cached_corpus(
    roots: list[Path],
    files: list[SourceFile],
    tables: list[AliasTable],
    notices: list[str],
    workers: int | None,
    progress: Progress | None,
) -> Corpus:
    """The corpus from its snapshot when no file changed since it was taken; else built from
    the parse cache (parsing the files that changed), and a new snapshot taken."""
    from spacenews import cache as caching

    fingerprint = caching.parser_fingerprint()
    stats = [_stat(file) for file in files]
    digest = caching.manifest([_key(file, info) for file, info in zip(files, stats, strict=True)])
    folder = caching.cache_dir()
    if any(caching.inside(folder, root) for root in roots):
        notices.append(f"cache not used: its folder {folder} is inside the corpus")
        return build(_parse_all(files, workers, progress), tables)
    path = caching.snapshot_file(roots, folder)
    try:
        kept = caching.load_snapshot(path, fingerprint, digest)
    except caching.CacheError as error:
        notices.append(f"snapshot {path} ignored and rebuilt: {error}")
        kept = None
    if kept is not None:
        events, documents, problems = kept
        return Corpus(events, documents, problems, tables)
    parsed = _cached(roots, files, stats, fingerprint, notices, workers, progress)
    corpus = build(parsed, tables)
    content = (corpus.events, corpus.documents, corpus.problems)
    try:
        caching.save_snapshot(path, fingerprint, digest, content)
    except OSError as error:
        notices.append(f"snapshot not written to {path}: {error.strerror or error}")
    return corpus


def _key(file: SourceFile, info: os.stat_result | OSError) -> tuple[int, str, int, int]:
    if isinstance(info, OSError):
        return file.root, file.relative, -1, -1
    return file.root, file.relative, info.st_size, info.st_mtime_ns


def _cached(
    roots: list[Path],
    files: list[SourceFile],
    stats: list[os.stat_result | OSError],
    fingerprint: str,
    notices: list[str],
    workers: int | None,
    progress: Progress | None,
) -> list[Parsed]:
    """Parse results, from the cache for the files that did not change."""
    caches = [_open_cache(root, fingerprint, notices) for root in roots]
    found: list[Encoded | None] = []
    for file, info in zip(files, stats, strict=True):
        hit = None
        if not isinstance(info, OSError):
            hit = caches[file.root].get(file.relative, info.st_size, info.st_mtime_ns)
        found.append(hit)
    todo = [index for index, hit in enumerate(found) if hit is None]
    fresh = _parse_encoded([files[index] for index in todo], workers, progress)
    for index, data in zip(todo, fresh, strict=True):
        found[index] = data
        info = stats[index]
        if not isinstance(info, OSError):
            caches[files[index].root].put(
                files[index].relative, info.st_size, info.st_mtime_ns, data
            )
    for index, store in enumerate(caches):
        store.keep_only({file.relative for file in files if file.root == index})
        if store.changed:
            _save_cache(store, fingerprint, notices)
    return [_decoded(data, file) for file, data in zip(files, found, strict=True)]


def _decoded(data: Encoded | None, file: SourceFile) -> Parsed:
    assert data is not None
    try:
        return decode(data, file.relative)
    except (TypeError, ValueError) as error:  # a cache entry of the wrong shape
        reason = f"cache entry unreadable ({type(error).__name__}): run `spacenews cache clear`"
        return Parsed(problems=[Problem(file.relative, 0, reason)])


def _parse_encoded(
    files: list[SourceFile], workers: int | None, progress: Progress | None
) -> list[Encoded]:
    if _worker_count(len(files), workers) > 1:
        return _parse_parallel(files, workers, progress)
    return [encode(_parse_file(file)) for file in files]


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
    from spacenews.entities import AliasFileError, read_alias_table

    tables: list[AliasTable] = []
    problems = []
    for root in roots:
        path = root / USER_FILE
        if not path.is_file():
            continue
        try:
            tables.append(read_alias_table(path.read_bytes()))
        except (OSError, AliasFileError) as error:
            problems.append(Problem(USER_FILE, 0, f"alias file not used: {error}"))
    return tables, problems
