"""Walk the corpus paths, read every file safely, merge what they say into events, index them."""

from __future__ import annotations

import os
import stat
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TypeVar

from spacenews.dates import period_of
from spacenews.entities import (
    USER_FILE,
    AliasFileError,
    AliasTable,
    Gazetteer,
    build_gazetteer,
    read_alias_table,
)
from spacenews.model import Document, Event, EventRecord, Mention, Problem, event_id
from spacenews.parse import Parsed, parse_text
from spacenews.text import fold

MAX_FILE_BYTES = 16 * 1024 * 1024  # larger files are skipped with a warning
MAX_LINE_CHARS = 100_000  # longer lines are cut, with a warning
T = TypeVar("T")


class CorpusError(Exception):
    """A corpus path that cannot be used at all (it does not exist)."""


def seeds_path() -> Path:
    """The built-in corpus: inside the installed package, or beside it in a source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "seeds"
    return installed if installed.is_dir() else package.parent / "seeds"


class Corpus:
    """Every event and document of the corpus, with the indexes the queries need."""

    def __init__(
        self,
        events: Iterable[Event],
        documents: Iterable[Document] = (),
        problems: Iterable[Problem] = (),
        alias_tables: Iterable[AliasTable] = (),
    ) -> None:
        self.events: tuple[Event, ...] = tuple(sorted(events, key=_event_order))
        self.documents: tuple[Document, ...] = tuple(documents)
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.mentions: tuple[Mention, ...] = tuple(
            sorted((m for d in self.documents for m in d.mentions), key=lambda m: m.date)
        )
        self._alias_tables = tuple(alias_tables)
        self._gazetteer: Gazetteer | None = None
        self._dates = [event.date for event in self.events]
        self._by_id = {event.id: event for event in self.events}
        self._names: dict[str, str] = {}  # folded name -> the spelling first seen
        self._by_entity: dict[str, list[Event]] = {}
        for event in self.events:
            for name in event.entities:
                self._names.setdefault(fold(name), name)
                self._by_entity.setdefault(fold(name), []).append(event)

    def get(self, event_id: str) -> Event | None:
        """The event with that id, if any."""
        return self._by_id.get(event_id)

    def between(self, start: date | None, end: date | None) -> list[Event]:
        """Events from start to end, both included; None leaves that side open."""
        low = 0 if start is None else bisect_left(self._dates, start)
        high = len(self._dates) if end is None else bisect_right(self._dates, end)
        return list(self.events[low:high])

    def mentions_within(self, start: date | None, end: date | None) -> list[Mention]:
        """Dated mentions whose whole period lies from start to end."""
        return [
            mention
            for mention in self.mentions
            if (start is None or mention.date >= start)
            and (end is None or period_of(mention.date, mention.precision).end <= end)
        ]

    @property
    def gazetteer(self) -> Gazetteer:
        """Every entity the corpus knows of, built on first use: plain listings never need it."""
        if self._gazetteer is None:
            names = [name for event in self.events for name in event.entities]
            names += [tag for document in self.documents for tag in document.tags]
            texts = [event.headline for event in self.events]
            texts += [p.text for document in self.documents for p in document.paragraphs]
            self._gazetteer = build_gazetteer(self._alias_tables, names, texts)
        return self._gazetteer

    def entity_names(self) -> dict[str, str]:
        """Every entity name, keyed by its folded form."""
        return dict(self._names)

    def with_entity(self, name: str) -> list[Event]:
        """Events that name this entity, compared case-insensitively, in date order."""
        return list(self._by_entity.get(fold(name), ()))


def load_corpus(paths: Sequence[Path] | None = None) -> Corpus:
    """Read every file under the paths (the built-in seeds when none are given)."""
    roots = list(paths) if paths else [seeds_path()]
    for root in roots:
        if not root.exists() and not root.is_symlink():
            raise CorpusError(f"corpus path does not exist: {root}")
    problems: list[Problem] = []
    parsed = [read_file(file, root) for root in roots for file in walk(root, problems)]
    tables, table_problems = _alias_tables(roots)
    return build([*parsed, Parsed(problems=problems + table_problems)], tables)


def _alias_tables(roots: Iterable[Path]) -> tuple[list[AliasTable], list[Problem]]:
    tables, problems = [], []
    for root in roots:
        path = root / USER_FILE
        if not path.is_file():
            continue
        try:
            tables.append(read_alias_table(path.read_bytes()))
        except (OSError, AliasFileError) as error:
            problems.append(Problem(USER_FILE, 0, f"alias file not used: {error}"))
    return tables, problems


def build(results: Iterable[Parsed], alias_tables: Iterable[AliasTable] = ()) -> Corpus:
    """Merge the records of every file into events, one per id."""
    groups: dict[str, list[EventRecord]] = {}
    documents: list[Document] = []
    problems: list[Problem] = []
    for result in results:
        for record in result.records:
            groups.setdefault(event_id(record.date, record.headline), []).append(record)
        documents.extend(result.documents)
        problems.extend(result.problems)
    events = (merge(key, records) for key, records in groups.items())
    return Corpus(events, documents, problems, alias_tables)


def merge(key: str, records: list[EventRecord]) -> Event:
    """One event keeping everything each record said of it."""
    main = next((r for r in records if r.body or r.sources or r.related), records[0])
    return Event(
        id=key,
        date=main.date,
        headline=main.headline,
        body=max((r.body for r in records), key=len),
        sources=_unique(records, lambda r: r.sources, lambda s: s.url),
        entities=_unique(records, lambda r: r.entities, fold),
        related=_unique(records, lambda r: r.related, lambda link: link.id),
        documents=tuple(dict.fromkeys(r.document for r in records if r.document)),
        date_source=main.date_source,
        ties=tuple(dict.fromkeys((fold(name), r.via) for r in records for name in r.entities)),
    )


def _unique(
    records: list[EventRecord],
    items: Callable[[EventRecord], Iterable[T]],
    key: Callable[[T], object],
) -> tuple[T, ...]:
    seen: dict[object, T] = {}
    for record in records:
        for item in items(record):
            seen.setdefault(key(item), item)
    return tuple(seen.values())


def walk(root: Path, problems: list[Problem] | None = None) -> Iterator[Path]:
    """The files under root in a stable order, skipping hidden ones.

    Links to folders are not followed, so a link loop cannot trap the walk, and the walk keeps
    its own stack, so no depth of folders can exhaust Python's recursion limit. A folder that
    cannot be listed is added to problems.
    """
    if not root.is_dir():
        yield root
        return
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            if problems is not None:
                reason = f"cannot list folder: {error.strerror or error}"
                problems.append(Problem(_relative(folder, root), 0, reason, skipped=True))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(Path(entry.path))
            elif _is_folder_link(entry):
                continue
            elif not (entry.name == USER_FILE and folder == root):
                yield Path(entry.path)
        stack.extend(reversed(subfolders))


def _is_folder_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:
        return False


def read_file(path: Path, root: Path) -> Parsed:
    """Parse one file; anything wrong with it becomes a problem, never an exception."""
    relative = _relative(path, root)
    try:
        text, problems = _read_text(path, relative)
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


def _read_text(path: Path, relative: str) -> tuple[str | None, list[Problem]]:
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
        return None, [Problem(relative, 0, "not a regular file", skipped=True)]
    if info.st_size > MAX_FILE_BYTES:
        reason = f"larger than {MAX_FILE_BYTES // 2**20} MiB ({info.st_size} bytes)"
        return None, [Problem(relative, 0, reason, skipped=True)]
    with path.open("rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
    if b"\0" in data:
        return None, [Problem(relative, 0, "binary file (it holds NUL bytes)", skipped=True)]
    text, warning = decode(data)
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


def decode(data: bytes) -> tuple[str, str]:
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
    return text.replace("\r\n", "\n").replace("\r", "\n"), warning


def _relative(path: Path, root: Path) -> str:
    if path == root:
        return path.name
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _event_order(event: Event) -> tuple[date, str, str]:
    return event.date, event.headline.casefold(), event.id
