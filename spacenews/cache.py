"""The parse cache: what each file of a corpus yielded, so that a run re-reads only the files
that changed, were added or were removed since the last one; and a snapshot of the merged
corpus, so that a run over an unchanged corpus need not merge it again.

One file per corpus root in the user's cache folder (never inside a corpus), in MessagePack
(msgspec: fast, and it builds nothing but plain values from its input). Each file of the corpus
is keyed by its path, size and mtime_ns; the whole cache by a fingerprint of the parser's code,
so a new version of spacenews never reads an old cache. A cache that is corrupt, truncated,
foreign (another user's, or writable by others) or old is ignored, with a warning, and rebuilt.
It is written to a temporary file and renamed over the old one, so two runs at once each see a
whole cache, never a torn one.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacenews import __version__

ENV_DIR = "SPACENEWS_CACHE_DIR"
FORMAT = "spacenews parse cache"
SUFFIX = ".msgpack"
# The modules whose code decides what a file yields: any change to them is a new cache.
_PARSER_MODULES = (
    "dates.py",
    "model.py",
    "prose.py",
    "records.py",
    "text.py",
    "parse/__init__.py",
    "parse/eventpage.py",
    "parse/frontmatter.py",
    "parse/plaintext.py",
)

Entry = tuple[int, int, Any]  # size, mtime_ns, the file's encoded parse result


class CacheError(Exception):
    """A cache file that cannot be used: the reason says why."""


def cache_dir() -> Path:
    """$SPACENEWS_CACHE_DIR, else the user cache folder of the platform."""
    if configured := os.environ.get(ENV_DIR):
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("spacenews", appauthor=False))


def parser_fingerprint() -> str:
    """A digest of spacenews's version and of the code of its parsers."""
    import hashlib

    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for name in _PARSER_MODULES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:24]


def cache_file(root: Path, folder: Path | None = None) -> Path:
    """Where the cache of a corpus root lives."""
    import hashlib

    key = hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()[:32]
    return (folder or cache_dir()) / f"{key}{SUFFIX}"


@dataclass
class ParseCache:
    """The cached parse results of one corpus root."""

    path: Path  # the cache file
    root: str  # the corpus root, as given
    entries: dict[str, Entry] = field(default_factory=dict)  # relative path -> entry
    changed: bool = False  # whether it must be written back

    def get(self, relative: str, size: int, mtime_ns: int) -> Any | None:
        """The encoded result of a file, if the file has not changed since it was cached."""
        entry = self.entries.get(relative)
        if entry is None or entry[0] != size or entry[1] != mtime_ns:
            return None
        return entry[2]

    def put(self, relative: str, size: int, mtime_ns: int, encoded: Any) -> None:
        """Remember what a file yielded."""
        self.entries[relative] = (size, mtime_ns, encoded)
        self.changed = True

    def keep_only(self, relatives: set[str]) -> None:
        """Forget the files that are gone."""
        gone = [relative for relative in self.entries if relative not in relatives]
        for relative in gone:
            del self.entries[relative]
        self.changed = self.changed or bool(gone)


def open_cache(root: Path, fingerprint: str, folder: Path | None = None) -> ParseCache:
    """The cache of a root, empty when there is none yet; raise CacheError when the file
    exists but cannot be used (the caller warns and starts afresh)."""
    path = cache_file(root, folder)
    cache = ParseCache(path, os.fspath(root))
    data = _read_own(path)
    if data is not None:
        cache.entries = _entries(data, fingerprint, os.fspath(root))
    return cache


def _read_own(path: Path) -> bytes | None:
    """A cache file's bytes; None when there is none; CacheError when it is not ours alone
    or cannot be read."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    _check_owner(info)
    try:
        return path.read_bytes()
    except OSError as error:
        raise CacheError(f"cannot read {path}: {error.strerror or error}") from None


def save_cache(cache: ParseCache, fingerprint: str) -> None:
    """Write the cache atomically: a temporary file beside it, then a rename."""
    import msgspec

    header = {"format": FORMAT, "fingerprint": fingerprint, "root": cache.root}
    data = msgspec.msgpack.encode([header, {k: list(v) for k, v in cache.entries.items()}])
    _write_atomically(cache.path, data)
    cache.changed = False


def _write_atomically(path: Path, data: bytes) -> None:
    """A temporary file beside path, then a rename: readers see the old file or the new one."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check_owner(info: os.stat_result) -> None:
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise CacheError("it belongs to another user")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise CacheError("others may write to it")


def _entries(data: bytes, fingerprint: str, root: str) -> dict[str, Entry]:
    import msgspec

    try:
        header, files = msgspec.msgpack.decode(data)
    except (msgspec.DecodeError, ValueError, TypeError) as error:
        raise CacheError(f"it is corrupt ({error})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CacheError("it is not a spacenews cache")
    if header.get("fingerprint") != fingerprint:
        raise CacheError("it was written by another version of spacenews")
    if header.get("root") != root or not isinstance(files, dict):
        raise CacheError("it belongs to another corpus")
    entries: dict[str, Entry] = {}
    for relative, entry in files.items():
        if not (isinstance(entry, list) and len(entry) == 3):
            raise CacheError("it is corrupt (a malformed entry)")
        size, mtime_ns, encoded = entry
        if not (isinstance(relative, str) and isinstance(size, int) and isinstance(mtime_ns, int)):
            raise CacheError("it is corrupt (a malformed entry)")
        entries[relative] = (size, mtime_ns, encoded)
    return entries


SNAPSHOT_FORMAT = "spacenews corpus snapshot"
SNAPSHOT_SUFFIX = ".snapshot"


def snapshot_file(roots: list[Path], folder: Path | None = None) -> Path:
    """Where the merged corpus of these roots is kept between runs."""
    import hashlib

    joined = b"\0".join(os.fsencode(os.path.realpath(root)) for root in roots)
    return (folder or cache_dir()) / f"{hashlib.sha256(joined).hexdigest()[:32]}{SNAPSHOT_SUFFIX}"


def manifest(entries: list[tuple[int, str, int, int]]) -> str:
    """A digest of every file's (root, path, size, mtime_ns): any change to the corpus
    changes it."""
    import hashlib

    digest = hashlib.blake2b(digest_size=20)
    for root, relative, size, mtime_ns in entries:
        digest.update(f"{root}\0{relative}\0{size}\0{mtime_ns}\n".encode(errors="surrogatepass"))
    return digest.hexdigest()


def load_snapshot(path: Path, fingerprint: str, digest: str) -> Any | None:
    """The (events, documents, problems) kept for this exact state of the corpus, or None
    when there is none; CacheError when the file exists but cannot be used."""
    import msgspec

    from spacenews.model import Document, Event, Problem

    data = _read_own(path)
    if data is None:
        return None
    try:
        header, body = msgspec.msgpack.decode(data, type=tuple[dict[str, str], msgspec.Raw])
        if header.get("format") != SNAPSHOT_FORMAT:
            raise CacheError("it is not a spacenews snapshot")
        if header.get("fingerprint") != fingerprint or header.get("manifest") != digest:
            return None  # another version, or the corpus changed: build afresh
        kinds = tuple[list[Event], list[Document], list[Problem]]
        return msgspec.msgpack.decode(body, type=kinds)
    except (msgspec.DecodeError, ValueError, TypeError) as error:
        raise CacheError(f"it is corrupt ({error})") from None


def save_snapshot(path: Path, fingerprint: str, digest: str, content: Any) -> None:
    """Keep the merged corpus for the next run, written atomically."""
    import msgspec

    header = {"format": SNAPSHOT_FORMAT, "fingerprint": fingerprint, "manifest": digest}
    body = msgspec.Raw(msgspec.msgpack.encode(content))
    _write_atomically(path, msgspec.msgpack.encode((header, body)))


def inside(folder: Path, root: Path) -> bool:
    """Whether folder is root or lies under it (the cache must never be in a corpus)."""
    folder_real, root_real = os.path.realpath(folder), os.path.realpath(root)
    return folder_real == root_real or folder_real.startswith(root_real.rstrip(os.sep) + os.sep)


def clear(folder: Path | None = None) -> int:
    """Remove every cache file; return how many there were."""
    folder = folder or cache_dir()
    removed = 0
    for suffix in (SUFFIX, SNAPSHOT_SUFFIX):
        for path in folder.glob(f"*{suffix}") if folder.is_dir() else ():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def describe(folder: Path | None = None) -> list[dict[str, Any]]:
    """Each cache file: a parse cache (the corpus root it serves, how many files it holds)
    or a snapshot of a merged corpus; with its size."""
    import msgspec

    folder = folder or cache_dir()
    rows = []
    for path in sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else ():
        row: dict[str, Any] = {"kind": "parse cache", "path": str(path)}
        row["bytes"] = path.stat().st_size
        try:
            header, files = msgspec.msgpack.decode(path.read_bytes())
            row.update(root=header.get("root"), files=len(files))
        except Exception:  # noqa: BLE001 - a listing must not fail on one bad file
            row.update(root=None, files=None)
        rows.append(row)
    for path in sorted(folder.glob(f"*{SNAPSHOT_SUFFIX}")) if folder.is_dir() else ():
        rows.append({"kind": "snapshot", "path": str(path), "bytes": path.stat().st_size})
    return rows
