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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, TypeVar, overload

from spacenews import __version__
from spacenews.corpus import Corpus, Index, Names
from spacenews.model import Document, Event, EventText, Problem

if TYPE_CHECKING:
    import msgspec

T = TypeVar("T")
U = TypeVar("U")

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

# ... and of a snapshot: the merge, the index and names, the JSON, the layout, the survey.
_SNAPSHOT_MODULES = (
    "cache.py",
    "corpus.py",
    "entities.py",
    "refresh.py",
    "render/data.py",
    "survey.py",
)

Entry = tuple[int, int, Any]  # size, mtime_ns, the file's packed parse result (msgspec.Raw)
WRITE_BLOCK = 1000  # items joined into one write: a write call per item cost 1.4 s at 100k


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
    return _fingerprint(_PARSER_MODULES)


def _fingerprint(modules: tuple[str, ...]) -> str:
    import hashlib

    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for name in modules:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:24]


def snapshot_fingerprint() -> str:
    """A digest of spacenews's version and of the code that decides what a snapshot holds:
    the parsers, the merge, the index, the names, the JSON, and the snapshot's own layout."""
    return _fingerprint((*_PARSER_MODULES, *_SNAPSHOT_MODULES))


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
        """The packed result of a file, if the file has not changed since it was cached."""
        entry = self.entries.get(relative)
        if entry is None or entry[0] != size or entry[1] != mtime_ns:
            return None
        return entry[2]

    def put(self, relative: str, size: int, mtime_ns: int, packed: bytes | memoryview) -> None:
        """Remember what a file yielded (its MessagePack, see records.pack)."""
        import msgspec

        self.entries[relative] = (size, mtime_ns, msgspec.Raw(packed))
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
    """Write the cache atomically: a temporary file beside it, then a rename. It is written a
    block of entries at a time: encoded whole, a large cache would stand in memory twice."""
    from itertools import chain, islice

    import msgspec

    encode = msgspec.msgpack.Encoder().encode
    header = {"format": FORMAT, "fingerprint": fingerprint, "root": cache.root}

    def write(stream: BinaryIO) -> None:  # [header, {relative: entry, ...}]
        stream.write(b"\x92" + encode(header) + _head(len(cache.entries), _MAP))
        entries = iter(cache.entries.items())
        while block := list(chain.from_iterable(islice(entries, WRITE_BLOCK))):
            data = encode(block)  # an array of keys and entries, whose head is cut off
            stream.write(memoryview(data)[len(_head(len(block), _ARRAY)) :])

    _write_atomically(cache.path, write)
    cache.changed = False


_MAP = (0x80, 0xDE, 0xDF)  # MessagePack's first bytes for a map of up to 15, 65,535, and more
_ARRAY = (0x90, 0xDC, 0xDD)  # ... and for an array


def _head(count: int, kind: tuple[int, int, int]) -> bytes:
    """The head of a MessagePack map or array of count items."""
    if count < 16:
        return bytes([kind[0] | count])
    if count < 2**16:
        return bytes([kind[1]]) + count.to_bytes(2, "big")
    return bytes([kind[2]]) + count.to_bytes(4, "big")


def _write_atomically(path: Path, write: Callable[[BinaryIO], T]) -> T:
    """A temporary file beside path, then a rename: readers see the old file or the new one."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            written = write(stream)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return written


def _check_owner(info: os.stat_result) -> None:
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise CacheError("it belongs to another user")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise CacheError("others may write to it")


def _entries(data: bytes, fingerprint: str, root: str) -> dict[str, Entry]:
    """The entries of a cache file: each file's result is left packed, a view of the data,
    until it is wanted (most runs want a few; opening a large cache costs ten times less)."""
    import msgspec

    shape = tuple[dict[str, Any], dict[str, tuple[int, int, msgspec.Raw]]]
    try:
        decoded: tuple[dict[str, Any], dict[str, Entry]] = msgspec.msgpack.decode(data, type=shape)
    except (msgspec.DecodeError, ValueError, TypeError) as error:
        raise CacheError(f"it is corrupt ({error})") from None
    header, files = decoded
    if header.get("format") != FORMAT:
        raise CacheError("it is not a spacenews cache")
    if header.get("fingerprint") != fingerprint:
        raise CacheError("it was written by another version of spacenews")
    if header.get("root") != root:
        raise CacheError("it belongs to another corpus")
    return files


SNAPSHOT_FORMAT = "spacenews corpus snapshot 3"
FileKey = tuple[int, str, int, int]  # a file's root index, relative path, size and mtime_ns
SNAPSHOT_SUFFIX = ".snapshot"
# Windows cannot replace (or rename) a file that is mapped in memory.
REPLACES_MAPPED_FILES = os.name != "nt"


def snapshot_file(roots: list[Path], folder: Path | None = None) -> Path:
    """Where the merged corpus of these roots is kept between runs."""
    import hashlib

    joined = b"\0".join(os.fsencode(os.path.realpath(root)) for root in roots)
    return (folder or cache_dir()) / f"{hashlib.sha256(joined).hexdigest()[:32]}{SNAPSHOT_SUFFIX}"


class Snapshot(NamedTuple):
    """A merged corpus as a run left it: its events and documents are decoded one by one,
    when first looked at; the index, the names and the JSON of every event come ready."""

    manifest: str  # the digest of the corpus it was taken of (see manifest)
    events: Sequence[Event]
    documents: Sequence[Document]
    problems: list[Problem]
    columns: Index  # the corpus index
    names: Names
    encoded: _Slices  # each event's JSON
    texts: Callable[[], Iterator[EventText]]  # each event's texts, the events left unbuilt
    summaries: Callable[[], Iterator[Summary]]  # what a refresh reads of each event
    files: Callable[[], list[FileKey]]  # the files it was taken of, in walk order, with keys


class _Head(NamedTuple):
    # A snapshot file is a magic line, then four sections: the events, one MessagePack
    # value each; the documents, the same; the JSON of each event; the files it was taken of,
    # one MessagePack list, files_size bytes. Then this head, then its length (8 bytes, little
    # endian): it comes last, so the sections can be written as they are made. *_ends say
    # where each item ends in its section.
    header: dict[str, str]
    problems: list[Problem]
    columns: Index  # the corpus index
    names: Names
    event_ends: list[int]
    document_ends: list[int]
    json_ends: list[int]
    files_size: int


_MAGIC = b"spacenews corpus snapshot\n"


def load_snapshot(path: Path, fingerprint: str) -> Snapshot | None:
    """The snapshot kept at path, or None when there is none or another version of spacenews
    wrote it; CacheError when the file exists but cannot be used.

    The file is mapped, not read: only the pages a query touches are brought in.
    """
    import mmap

    import msgspec

    try:
        with path.open("rb") as stream:
            info = os.fstat(stream.fileno())
            _check_owner(info)
            size = info.st_size
            if size == 0:
                raise CacheError("it is not a spacenews snapshot")
            mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CacheError(f"cannot read {path}: {error.strerror or error}") from None
    if mapped[: len(_MAGIC)] != _MAGIC:
        raise CacheError("it is not a spacenews snapshot")
    length = int.from_bytes(mapped[-8:], "little")
    if length > size - 8 - len(_MAGIC):
        raise CacheError("it is corrupt (truncated, or its head is)")
    data = memoryview(mapped)[-8 - length : -8]
    try:
        head = msgspec.msgpack.decode(data, type=_Head)
    except (msgspec.DecodeError, ValueError, TypeError) as error:
        if _written_by_another_version(data, fingerprint):
            return None  # whose head may be laid out otherwise: build afresh, quietly
        raise CacheError(f"it is corrupt ({error})") from None
    if head.header.get("fingerprint") != fingerprint:
        return None  # another version: build afresh
    sections = [head.event_ends, head.document_ends, head.json_ends, [head.files_size]]
    starts = [len(_MAGIC)]
    for ends in sections:
        starts.append(starts[-1] + (ends[-1] if ends else 0))
    if starts[-1] != size - 8 - length or any(ends != sorted(ends) for ends in sections):
        raise CacheError("it is corrupt (truncated, or its sections do not add up)")
    view = memoryview(mapped)
    events = _Decoded(view[starts[0] : starts[1]], head.event_ends, msgspec.msgpack.Decoder(Event))
    return Snapshot(
        head.header.get("manifest", ""),
        events,
        _Decoded(
            view[starts[1] : starts[2]], head.document_ends, msgspec.msgpack.Decoder(Document)
        ),
        head.problems,
        head.columns,
        head.names,
        _Slices(view[starts[2] : starts[3]], head.json_ends),
        lambda: _texts(events),
        lambda: _summaries(events),
        lambda: _decoded(
            msgspec.msgpack.Decoder(list[FileKey]).decode, view[starts[3] : starts[4]]
        ),
    )


def _written_by_another_version(head: memoryview, fingerprint: str) -> bool:
    """Whether a head that is not this version's shape begins with another one's header."""
    import msgspec

    try:
        header = msgspec.msgpack.decode(head, type=list[msgspec.Raw])[0]
        return msgspec.msgpack.decode(header, type=dict[str, str])["fingerprint"] != fingerprint
    except (msgspec.DecodeError, ValueError, TypeError, IndexError, KeyError):
        return False


class _Lazy(Sequence[T]):
    """A sequence whose items are found or made when looked at, by _at."""

    _items: list[Any]

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, position: int) -> T: ...

    @overload
    def __getitem__(self, position: slice) -> list[T]: ...

    def __getitem__(self, position: int | slice) -> T | list[T]:
        if isinstance(position, slice):
            return [self._at(i) for i in range(len(self))[position]]
        return self._at(position)

    def _at(self, position: int) -> T:
        raise NotImplementedError


def _texts(events: _Decoded[Event]) -> Iterator[EventText]:
    """Each event's texts, decoding only them: eight times quicker than building it."""
    return (EventText(*fields) for fields in _fields(events, EventText._fields))


class Summary(NamedTuple):
    """What a refresh reads of each event of a snapshot (see refresh)."""

    id: str
    date: date
    headline: str
    entities: tuple[str, ...]
    documents: tuple[str, ...]
    ties: tuple[tuple[str, str], ...]


def _summaries(events: _Decoded[Event]) -> Iterator[Summary]:
    return (Summary(*fields) for fields in _fields(events, Summary._fields))


def _fields(events: _Decoded[Event], names: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    """These fields of each event, in this order; the others are skipped over undecoded."""
    import operator
    import typing

    import msgspec

    types = typing.get_type_hints(Event)
    shape = tuple.__class_getitem__(
        tuple(types[name] if name in names else msgspec.Raw for name in Event._fields)
    )
    pick = operator.itemgetter(*(Event._fields.index(name) for name in names))
    return map(pick, events.each(msgspec.msgpack.Decoder(shape)))


class _Spliced(_Lazy[Event]):
    """The events of a refreshed snapshot: each either a position in the old snapshot, decoded
    when first looked at, or a new event."""

    def __init__(self, old: _Decoded[Event], items: list[int | Event]) -> None:
        self._old = old
        self._items = items

    def _at(self, position: int) -> Event:
        item = self._items[position]
        return self._old[item] if isinstance(item, int) else item

    def packed(self, encode: Callable[[Event], bytes]) -> Iterator[bytes | memoryview]:
        """Each event's MessagePack: the old snapshot's bytes, or encoded afresh."""
        raw = self._old.raw
        return (raw.view(item) if isinstance(item, int) else encode(item) for item in self._items)


def spliced(snapshot: Snapshot, items: list[int | Event]) -> Sequence[Event]:
    """The events of the snapshot at the positions given, and new events among them."""
    assert isinstance(snapshot.events, _Decoded)
    return _Spliced(snapshot.events, items)


def save_snapshot(
    path: Path,
    fingerprint: str,
    digest: str,
    corpus: Corpus,
    files: Sequence[FileKey],
    written: Callable[[int, int], object] = lambda done, total: None,
) -> _Slices | None:
    """Keep the merged corpus of these files for the next run, written atomically, telling
    written how far it is (events written, out of twice their number: each is written twice,
    as MessagePack and as JSON). Returns the JSON of the events as the file now holds it, so
    that the run that wrote it need not make it again (None on Windows, where a file mapped
    in memory cannot be renamed)."""
    import mmap

    import msgspec

    encode = msgspec.msgpack.Encoder().encode

    def write(stream: BinaryIO) -> _Slices | None:  # each item written as it is made
        stream.write(_MAGIC)
        events = corpus.events
        packed = events.packed(encode) if isinstance(events, _Spliced) else map(encode, events)
        count = len(events)
        event_ends = _write_all(stream, packed, lambda done: written(done, 2 * count))
        document_ends = _write_all(stream, (encode(item) for item in corpus.documents))
        start = stream.tell()
        json = corpus.encoded(range(count))
        json_ends = _write_all(stream, json, lambda done: written(count + done, 2 * count))
        files_size = stream.write(encode(files))
        header = {"format": SNAPSHOT_FORMAT, "fingerprint": fingerprint, "manifest": digest}
        index, names, problems = corpus.index, corpus.names, list(corpus.problems)
        ends = (event_ends, document_ends, json_ends)
        head = _Head(header, problems, index, names, *ends, files_size)
        data = encode(head)
        stream.write(data)
        stream.write(len(data).to_bytes(8, "little"))
        if not REPLACES_MAPPED_FILES:
            return None
        stream.flush()
        # Mapped from this file, not from path: another run may replace that one meanwhile.
        mapped = memoryview(mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ))
        return _Slices(mapped[start : start + (json_ends[-1] if json_ends else 0)], json_ends)

    return _write_atomically(path, write)


def _write_all(
    stream: BinaryIO,
    items: Iterable[bytes | memoryview],
    written: Callable[[int], object] = lambda done: None,
) -> list[int]:
    """Write the items one after another, telling written how many are written as it goes;
    where each ends, counted from the first."""
    ends, total, block = [], 0, []
    for item in items:
        total += len(item)  # bytes, or a view of bytes: its length in bytes
        ends.append(total)
        block.append(item)
        if len(block) == WRITE_BLOCK:
            stream.write(b"".join(block))
            block.clear()
            written(len(ends))
    stream.write(b"".join(block))
    written(len(ends))
    return ends


class _Slices:
    """Items laid end to end in a buffer, handed out as views of it (nothing copied)."""

    def __init__(self, buffer: memoryview, ends: list[int]) -> None:
        self._buffer = buffer
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends)

    def view(self, position: int) -> memoryview:
        """The item at position."""
        if position < 0:
            position += len(self._ends)
        start = self._ends[position - 1] if position > 0 else 0
        return self._buffer[start : self._ends[position]]

    def views(self, positions: Iterable[int]) -> list[memoryview]:
        """The items at the positions."""
        buffer, ends = self._buffer, self._ends
        return [buffer[ends[p - 1] if p > 0 else 0 : ends[p]] for p in positions]


class _Decoded(_Lazy[T]):
    """Items decoded from their MessagePack form when first looked at, then kept."""

    def __init__(
        self, buffer: memoryview, ends: list[int], decoder: msgspec.msgpack.Decoder[T]
    ) -> None:
        self.raw = _Slices(buffer, ends)  # each item's MessagePack
        self._items: list[T | None] = [None] * len(ends)
        self._decode = decoder.decode

    def _at(self, position: int) -> T:
        item = self._items[position]
        if item is None:
            item = self._items[position] = _decoded(self._decode, self.raw.view(position))
        return item

    def each(self, decoder: msgspec.msgpack.Decoder[U]) -> Iterator[U]:
        """Every item decoded afresh by another decoder, which may read only part of it."""
        for position in range(len(self._items)):
            yield _decoded(decoder.decode, self.raw.view(position))


def _decoded(decode: Callable[[memoryview], U], data: memoryview) -> U:
    import msgspec

    try:
        return decode(data)
    except (msgspec.DecodeError, ValueError, TypeError) as error:
        raise CacheError(
            f"the snapshot is corrupt ({error}): run `spacenews cache clear`"
        ) from None


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
