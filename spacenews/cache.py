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

import mmap
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
    "parse/launchlog.py",
    "parse/feed.py",
    "parse/jsonfeed.py",
    "parse/snapi.py",
    "parse/items.py",
    "parse/markup.py",
    "links.py",
    "data/entities.toml",  # its [sites] name the launch log's sites
)

# ... and of a snapshot: the merge, the index and names, the JSON, the layout, the survey.
_SNAPSHOT_MODULES = (
    "cache.py",
    "corpus.py",
    "entities.py",
    "links.py",
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
LET_GO_ITEMS = 1000  # items read in a pass over a snapshot before their pages are let go
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
    told: Callable[[], Iterator[Told]]  # what a refresh reads first of each event,
    summaries: Callable[[], Iterator[Summary]]  # ... and then of the events it keeps
    document_paths: Callable[[], Iterator[str]]  # each document's path, the rest undecoded
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

    import msgspec

    try:
        with path.open("rb") as stream:
            info = os.fstat(stream.fileno())
            _check_owner(info)
            size = info.st_size
            if size == 0:
                raise CacheError("it is not a spacenews snapshot")
            mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
            origin = _Origin(path, info.st_dev, info.st_ino, mapped)
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
    events = _Decoded(
        _Slices(view[starts[0] : starts[1]], head.event_ends, origin, starts[0]),
        msgspec.msgpack.Decoder(Event),
    )
    documents = _Decoded(
        _Slices(view[starts[1] : starts[2]], head.document_ends, origin, starts[1]),
        msgspec.msgpack.Decoder(Document),
    )
    return Snapshot(
        head.header.get("manifest", ""),
        events,
        documents,
        head.problems,
        head.columns,
        head.names,
        _Slices(view[starts[2] : starts[3]], head.json_ends, origin, starts[2]),
        lambda: _texts(events),
        lambda: (Told(*fields) for fields in _fields(events, Event, Told._fields)),
        lambda: (Summary(*fields) for fields in _fields(events, Event, Summary._fields)),
        lambda: (path for (path,) in _fields(documents, Document, ("path",))),
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

    def __iter__(self) -> Iterator[T]:
        return self.picked(range(len(self)))

    def picked(self, positions: Iterable[int]) -> Iterator[T]:
        """The items at these positions, in a pass (see corpus.Picking)."""
        return map(self._at, positions)

    def _at(self, position: int) -> T:
        raise NotImplementedError


def _texts(events: _Decoded[Event]) -> Iterator[EventText]:
    """Each event's texts, decoding only them: eight times quicker than building it."""
    return (EventText(*fields) for fields in _fields(events, Event, EventText._fields))


class Told(NamedTuple):
    """Which files tell of an event of a snapshot: what a refresh reads first of each one, to
    find the events to merge again (see refresh)."""

    id: str
    documents: tuple[str, ...]


class Summary(NamedTuple):
    """What a refresh reads of each event of a snapshot that it keeps, for the new order,
    index and names."""

    id: str
    date: date
    headline: str
    entities: tuple[str, ...]
    ties: tuple[tuple[str, str], ...]


def _fields(items: _Decoded[Any], kind: type, names: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    """These fields of each item (of the named tuple kind), in this order."""
    return items.each(_partial(kind, names))


def _partial(kind: type, names: tuple[str, ...]) -> Callable[[memoryview], tuple[Any, ...]]:
    """A decoder of these fields of an item of the named tuple kind, in this order: the others
    are skipped over undecoded."""
    import operator
    import typing

    import msgspec

    types = typing.get_type_hints(kind)
    fields: tuple[str, ...] = kind._fields  # type: ignore[attr-defined]
    shape = tuple.__class_getitem__(
        tuple(types[name] if name in names else msgspec.Raw for name in fields)
    )
    decode = msgspec.msgpack.Decoder(shape).decode
    pick = operator.itemgetter(*(fields.index(name) for name in names))
    if len(names) == 1:
        return lambda data: (pick(decode(data)),)
    return lambda data: pick(decode(data))


class _Spliced(_Lazy[T]):
    """The items of a refreshed snapshot (events or documents): each either a position in
    the old snapshot (decoded when first looked at) or a new item."""

    def __init__(self, old: _Decoded[T], items: list[int | T]) -> None:
        self._old = old
        self._items = items

    def _at(self, position: int) -> T:
        item = self._items[position]
        return self._old[item] if isinstance(item, int) else item

    def fields(self, kind: type, names: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
        """These fields of each item (of the named tuple kind), in this order: the old items
        are not built, nor kept."""
        decode, raw = _partial(kind, names), self._old.raw
        for item in self._items:
            if isinstance(item, int):
                yield _decoded(decode, raw.view(item))
            else:
                yield tuple(getattr(item, name) for name in names)

    def packed(self, encode: Callable[[T], bytes]) -> Iterator[Piece]:
        """Each item's MessagePack: the old snapshot's bytes, a run at a time, or encoded
        afresh."""
        return _pieces(self._items, self._old.raw, map(encode, self._new()))

    def _new(self) -> Iterator[T]:
        return (item for item in self._items if not isinstance(item, int))


class _SplicedEvents(_Spliced[Event]):
    """The events of a refreshed snapshot, with their JSON."""

    def __init__(
        self, old: Snapshot, items: list[int | Event], json: Sequence[bytes | memoryview]
    ) -> None:
        assert isinstance(old.events, _Decoded)
        super().__init__(old.events, items)
        self._old_json = old.encoded
        self._json = json  # the new events' JSON, in their order
        new = (position for position, item in enumerate(items) if not isinstance(item, int))
        self._made = {position: count for count, position in enumerate(new)}  # -> in json

    def views(self, positions: Iterable[int]) -> list[memoryview]:
        """The JSON of the events at these positions."""
        views = []
        for position in positions:
            item = self._items[position]
            if isinstance(item, int):
                views.append(self._old_json.view(item))
            else:
                views.append(memoryview(self._json[self._made[position]]))
        return views

    def done(self, positions: Sequence[int]) -> None:
        """The JSON of the events at these positions is written out (see _Slices.done)."""
        items = self._items
        self._old_json.done([item for p in positions if isinstance(item := items[p], int)])

    def json(self) -> Iterator[Piece]:
        """Each event's JSON: the old snapshot's, a run at a time, or the new."""
        return _pieces(self._items, self._old_json, iter(self._json))


def _pieces(
    items: list[int | T], old: _Slices, new: Iterator[bytes | memoryview]
) -> Iterator[Piece]:
    """What to write for each item: the old bytes of runs of old positions, a run at a time,
    and the new bytes of each new item, in turn."""
    first = stop = 0  # the run of old positions being gathered
    for item in items:
        if isinstance(item, int) and item == stop and first < stop:
            stop += 1
            continue
        if first < stop:
            yield old.run(first, stop)
        if isinstance(item, int):
            first, stop = item, item + 1
        else:
            first = stop = 0
            yield next(new)
    if first < stop:
        yield old.run(first, stop)


def spliced_events(
    snapshot: Snapshot, items: list[int | Event], json: Sequence[bytes | memoryview]
) -> _SplicedEvents:
    """The events of the snapshot at the positions given, and new events among them, whose
    JSON is given in their order: the corpus's events, and its JSON (see Corpus.encoded)."""
    return _SplicedEvents(snapshot, items, json)


def spliced_documents(snapshot: Snapshot, items: list[int | Document]) -> _Spliced[Document]:
    """The documents of the snapshot at the positions given, and new documents among them."""
    assert isinstance(snapshot.documents, _Decoded)
    return _Spliced(snapshot.documents, items)


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

    import msgspec

    encode = msgspec.msgpack.Encoder().encode

    def write(stream: BinaryIO) -> _Slices | None:  # each item written as it is made
        stream.write(_MAGIC)
        events, documents = corpus.events, corpus.documents
        packed = events.packed(encode) if isinstance(events, _Spliced) else map(encode, events)
        count = len(events)
        filed = (
            documents.packed(encode) if isinstance(documents, _Spliced) else map(encode, documents)
        )
        json = events.json() if isinstance(events, _SplicedEvents) else corpus.encoded(range(count))
        with _Copier() as copier:
            event_ends = _write_all(stream, packed, lambda d: written(d, 2 * count), copier)
            document_ends = _write_all(stream, filed, copier=copier)
            start = stream.tell()
            json_ends = _write_all(stream, json, lambda d: written(count + d, 2 * count), copier)
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
        mapping = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        info = os.fstat(stream.fileno())
        origin = _Origin(path, info.st_dev, info.st_ino, mapping)
        section = memoryview(mapping)[start : start + (json_ends[-1] if json_ends else 0)]
        return _Slices(section, json_ends, origin, start)

    return _write_atomically(path, write)


def _write_all(
    stream: BinaryIO,
    items: Iterable[Piece],
    written: Callable[[int], object] = lambda done: None,
    copier: _Copier | None = None,
) -> list[int]:
    """Write the items one after another (runs of another snapshot's items copied whole by
    copier), telling written how many are written as it goes; where each ends, counted from
    the first."""
    ends: list[int] = []
    total = 0
    block: list[bytes | memoryview] = []
    for item in items:
        if isinstance(item, _Run):
            stream.write(b"".join(block))
            block.clear()
            ends += [total + end for end in item.ends]
            total += len(item.data)
            if copier is None:
                stream.write(item.data)
            else:
                copier.copy(item, stream)
            written(len(ends))
            continue
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


class _Run(NamedTuple):
    """Items of a snapshot laid end to end, to be written at once."""

    data: memoryview  # their bytes, as mapped
    ends: list[int]  # where each ends in data
    origin: _Origin | None  # the file they were mapped from, if any
    offset: int  # where data starts in it


Piece = bytes | memoryview | _Run  # what a section of a snapshot is written from


class _Copier:
    """Copies runs of a snapshot's items into another snapshot file, file to file in the kernel
    where it can (Linux): their pages need not be brought into this process. Else, or when the
    file they came from is no longer at its path, their mapped bytes are written."""

    def __init__(self) -> None:
        self._sources: dict[_Origin, BinaryIO | None] = {}

    def copy(self, run: _Run, stream: BinaryIO) -> None:
        """Write the run's bytes to the end of stream."""
        origin, done = run.origin, 0
        source = self._source(origin)
        if origin is not None and source is not None:
            stream.flush()
            try:
                while done < len(run.data):
                    count = os.copy_file_range(
                        source.fileno(), stream.fileno(), len(run.data) - done, run.offset + done
                    )
                    if count == 0:
                        break
                    done += count
            except OSError:  # a file system that cannot: the bytes are written
                source.close()
                self._sources[origin] = None
            stream.seek(0, os.SEEK_END)  # the file grew behind the stream's back
        stream.write(run.data[done:])

    def _source(self, origin: _Origin | None) -> BinaryIO | None:
        if origin is None or not hasattr(os, "copy_file_range"):
            return None
        if origin not in self._sources:
            self._sources[origin] = None
            try:
                source = origin.path.open("rb")
            except OSError:
                return None
            info = os.fstat(source.fileno())
            if (info.st_dev, info.st_ino) == (origin.device, origin.inode):
                self._sources[origin] = source
            else:
                source.close()
        return self._sources[origin]

    def __enter__(self) -> _Copier:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the files copied from."""
        for source in self._sources.values():
            if source is not None:
                source.close()


class _Origin(NamedTuple):
    """The file a snapshot was mapped from, as it was then (its path may since hold another),
    and its mapping."""

    path: Path
    device: int
    inode: int
    mapping: mmap.mmap


class _Slices:
    """Items laid end to end in a buffer, handed out as views of it (nothing copied): at offset
    in the origin file, when they are mapped from one."""

    def __init__(
        self, buffer: memoryview, ends: list[int], origin: _Origin | None = None, offset: int = 0
    ) -> None:
        self._buffer = buffer
        self._ends = ends
        self._origin = origin
        self._offset = offset

    def let_go(self, first: int, stop: int) -> None:
        """Tell the system that the items from first to stop (excluded) will not be read again
        soon: their pages leave this process (they stay in the page cache, to come back at
        once if they are read after all)."""
        if self._origin is None or not hasattr(mmap, "MADV_DONTNEED") or stop <= first:
            return
        start = self._offset + self._start(first)
        end = self._offset + self._ends[stop - 1]
        start = -(-start // mmap.PAGESIZE) * mmap.PAGESIZE  # whole pages within the items
        end -= end % mmap.PAGESIZE
        if start < end:
            self._origin.mapping.madvise(mmap.MADV_DONTNEED, start, end - start)

    def done(self, positions: Sequence[int]) -> None:
        """The items at these positions were used: the pages from the first to the last may
        go (see let_go). An answer's JSON is written once: its pages need not stay."""
        if positions:
            self.let_go(min(positions), max(positions) + 1)

    def run(self, first: int, stop: int) -> _Run:
        """The items from first to stop (excluded), to be copied at once."""
        base = self._start(first)
        ends = [end - base for end in self._ends[first:stop]]
        return _Run(
            self._buffer[base : self._ends[stop - 1]], ends, self._origin, self._offset + base
        )

    def __len__(self) -> int:
        return len(self._ends)

    def view(self, position: int) -> memoryview:
        """The item at position."""
        if position < 0:
            position += len(self._ends)
        return self._buffer[self._start(position) : self._ends[position]]

    def _start(self, position: int) -> int:
        """Where the item at position starts in the buffer."""
        return self._ends[position - 1] if position > 0 else 0

    def views(self, positions: Iterable[int]) -> list[memoryview]:
        """The items at the positions (the same as view's, inline: this hands out every
        event of a long answer)."""
        buffer, ends = self._buffer, self._ends
        return [buffer[ends[p - 1] if p > 0 else 0 : ends[p]] for p in positions]


class _Decoded(_Lazy[T]):
    """Items decoded from their MessagePack form when first looked at, then kept."""

    def __init__(self, raw: _Slices, decoder: msgspec.msgpack.Decoder[T]) -> None:
        self.raw = raw  # each item's MessagePack
        self._items: list[T | None] = [None] * len(raw)
        self._decode = decoder.decode

    def _at(self, position: int) -> T:
        item = self._items[position]
        if item is None:
            item = self._items[position] = _decoded(self._decode, self.raw.view(position))
        return item

    def each(self, decode: Callable[[memoryview], U]) -> Iterator[U]:
        """Every item decoded afresh by another decoder, which may read only part of it, in a
        pass (see _pass)."""
        view = self.raw.view
        return self._pass(range(len(self._items)), lambda p: _decoded(decode, view(p)))

    def picked(self, positions: Iterable[int]) -> Iterator[T]:
        """The items at these positions, in a pass (see _pass): each is decoded unless it was
        looked at before, and not kept."""
        items, decode, view = self._items, self._decode, self.raw.view

        def read(position: int) -> T:
            item = items[position]
            return _decoded(decode, view(position)) if item is None else item

        return self._pass(positions, read)

    def _pass(self, positions: Iterable[int], read: Callable[[int], U]) -> Iterator[U]:
        """What read makes of the items at these positions, in ascending order. The pages read
        are let go as it goes: a pass over every event or document of a large snapshot would
        otherwise keep them all in this process."""
        first = last = -1
        for position in positions:
            yield read(position)
            if first < 0:
                first = position
            elif position - first >= LET_GO_ITEMS:
                self.raw.let_go(first, position)
                first = position
            last = position
        if first >= 0:
            self.raw.let_go(first, last + 1)


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
