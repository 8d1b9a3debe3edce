"""Bringing a snapshot up to date when a few files changed, were added or were removed.

Only the events those files tell of, now or in the snapshot, are merged again, from the
records of every file that tells of them; every other event is the snapshot's, left undecoded:
its MessagePack, its JSON and its text in the index are copied (file to file where the system
can), and what the new index and names need of it (day, headline, names, ties) is read alone,
one event at a time. The documents and problems of the files that did not change are the
snapshot's too, documents undecoded as well. The parse cache is read only once the files
needed are known, and let go before the merge. The corpus is the one a full build gives: an
event no changed file tells of has the same records as before, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from sys import intern
from typing import TYPE_CHECKING, Protocol, TypeVar

from spacenews.corpus import (
    Corpus,
    event_order,
    event_parts,
    group,
    index_rows,
    merge,
    names_from,
)
from spacenews.model import Document, Event, EventRecord, Problem
from spacenews.parse import Parsed
from spacenews.survey import NO_KEY, Key
from spacenews.walk import SourceFile

if TYPE_CHECKING:
    from spacenews.cache import Snapshot
    from spacenews.entities import AliasTable

T = TypeVar("T")
U = TypeVar("U")
# A refresh is worth it while at most one file in this many changed: past that, merging every
# event again costs little more than finding which ones to merge.
REFRESH_SHARE = 4


class Results(Protocol):
    """Where a refresh gets what the files yield."""

    def parsed(self, positions: list[int]) -> list[Parsed]:
        """What the files at these positions (changed or added) yield, parsed afresh."""
        ...

    def cached(self, positions: list[int]) -> list[Parsed]:
        """What the unchanged files at these positions yield, as the parse cache keeps it.
        Called once, after parsed: the parse cache is brought up to date and let go."""
        ...


def refresh(
    snapshot: Snapshot,
    files: Sequence[SourceFile],
    keys: Sequence[Key],
    results: Results,
    alias_tables: Iterable[AliasTable] = (),
) -> Corpus | None:
    """The corpus of these files (with these keys), from a snapshot of an earlier state of
    them; None when a full build is the better way.

    The snapshot's events name their files by relative path alone: when two roots hold the
    same relative path, the whole corpus is built again."""
    changes = _changes(snapshot, files, keys)
    if changes is None:
        return None
    changed, gone = changes
    fresh = dict(zip(changed, results.parsed(changed), strict=True))
    touched = gone | {files[index].relative for index in changed}
    affected, telling = _affected(snapshot, fresh.values(), touched)
    order = [index for index, file in enumerate(files) if file.relative in telling]
    others = [index for index in order if index not in fresh]
    kept = dict(zip(others, results.cached(others), strict=True))
    merged = _merged((fresh[i] if i in fresh else kept[i] for i in order), affected)
    documents = _kept(enumerate(snapshot.document_paths()), files, fresh, lambda r: r.documents)
    problems = _kept(((p, p.path) for p in snapshot.problems), files, fresh, lambda r: r.problems)
    return _corpus(snapshot, affected, merged, documents, problems, alias_tables)


def _changes(
    snapshot: Snapshot, files: Sequence[SourceFile], keys: Sequence[Key]
) -> tuple[list[int], set[str]] | None:
    """The positions of the files changed or added since the snapshot, and the relative
    paths of the files gone; None when too many changed, or paths repeat across roots."""
    before = snapshot.files()
    relatives = {file.relative for file in files}
    if len(relatives) != len(files) or len({item[1] for item in before}) != len(before):
        return None
    known = {(root, relative): (size, mtime) for root, relative, size, mtime in before}
    changed = [
        index
        for index, (file, key) in enumerate(zip(files, keys, strict=True))
        if key == NO_KEY or known.get((file.root, file.relative)) != key
    ]
    gone = {relative for _, relative, _, _ in before if relative not in relatives}
    if (len(changed) + len(gone)) * REFRESH_SHARE > len(files):
        return None
    return changed, gone


def _affected(
    snapshot: Snapshot, fresh: Iterable[Parsed], touched: set[str]
) -> tuple[set[str], set[str]]:
    """The ids of the events to merge again: those the touched files tell of now (fresh)
    or told of before (in the snapshot); and the files that tell of them, which hold their
    records."""
    told: dict[str, list[EventRecord]] = {}
    for result in fresh:
        group(result.records, told)
    affected = set(told)
    telling = set(touched)
    for event in snapshot.told():
        if event.id in affected or not touched.isdisjoint(event.documents):
            affected.add(event.id)
            telling.update(event.documents)
    return affected, telling


def _merged(results: Iterable[Parsed], affected: set[str]) -> list[Event]:
    """The affected events merged from the results of the files telling of them (in walk
    order, as build reads them), in the corpus's order."""
    groups: dict[str, list[EventRecord]] = {}
    for result in results:
        group(result.records, groups, affected)
    return sorted((merge(key, records) for key, records in groups.items()), key=event_order)


def _kept(
    old: Iterable[tuple[T, str]],
    files: Sequence[SourceFile],
    fresh: dict[int, Parsed],
    new: Callable[[Parsed], list[U]],
) -> list[T | U]:
    """The snapshot's items (documents by their positions, problems) of the unchanged files,
    given with their files' paths, and the fresh results' items of the changed ones, in walk
    order."""
    by_file: dict[str, list[T | U]] = {}
    for item, path in old:
        by_file.setdefault(path, []).append(item)
    return [
        item
        for index, file in enumerate(files)
        for item in (new(fresh[index]) if index in fresh else by_file.get(file.relative, ()))
    ]


def _corpus(
    snapshot: Snapshot,
    affected: set[str],
    merged: list[Event],
    documents: list[int | Document],
    problems: list[Problem],
    alias_tables: Iterable[AliasTable],
) -> Corpus:
    """The new corpus: the snapshot's events but the affected ones, with the merged events put
    where they sort among them; the index, names and JSON taken from the snapshot for the
    kept events, made for the merged ones. The snapshot's events are read one at a time."""
    from spacenews.cache import spliced_documents, spliced_events
    from spacenews.render.data import encode_each

    columns = snapshot.columns
    items: list[int | Event] = []  # the kept events by their old positions, and the merged
    named: list[tuple[Sequence[str], str]] = []  # each event's names and headline

    def new(event: Event) -> tuple[int, Sequence[str], Sequence[tuple[str, str]]]:
        items.append(event)
        named.append((event.entities, event.headline))
        return event.date.toordinal(), event_parts(event), event.ties

    def rows() -> Iterator[tuple[int, Sequence[str], Sequence[tuple[str, str]]]]:
        pending = iter(merged)
        waiting = next(pending, None)
        for position, event in enumerate(snapshot.summaries()):
            if event.id in affected:
                continue
            while waiting is not None and event_order(waiting) < event_order(event):
                yield new(waiting)
                waiting = next(pending, None)
            items.append(position)
            named.append((tuple(map(intern, event.entities)), event.headline))
            yield columns.days[position], (columns.texts(position),), event.ties
        if waiting is not None:
            yield new(waiting)
        yield from map(new, pending)

    index = index_rows(rows())
    json = list(encode_each(merged, lambda event: event.to_dict()))
    events = spliced_events(snapshot, items, json)
    filed = spliced_documents(snapshot, documents)
    words = (
        (tags, [p.text for p in paragraphs])
        for tags, paragraphs in filed.fields(Document, ("tags", "paragraphs"))
    )
    return Corpus(
        events,
        filed,
        problems,
        alias_tables,
        index=index,
        names=names_from(named, words),
        encoded=events,
    )
