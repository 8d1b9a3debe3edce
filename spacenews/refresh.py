"""Bringing a snapshot up to date when a few files changed, were added or were removed.

Only the events those files tell of, now or in the snapshot, are merged again, from the
records of every file that tells of them; every other event is the snapshot's, left undecoded:
its MessagePack, its JSON and its text in the index are copied, and what the new index and
names need of it (day, headline, names, files, ties) is read alone. The documents and problems
of the files that did not change are the snapshot's too. The corpus is the one a full build
gives: an event no changed file tells of has the same records as before, in the same order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from spacenews.corpus import (
    Corpus,
    event_order,
    event_text,
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
    from spacenews.cache import Snapshot, Summary
    from spacenews.entities import AliasTable
    from spacenews.render.data import Buffer

T = TypeVar("T")
# A refresh is worth it while at most one file in this many changed: past that, merging every
# event again costs little more than finding which ones to merge.
REFRESH_SHARE = 4


def refresh(
    snapshot: Snapshot,
    files: Sequence[SourceFile],
    keys: Sequence[Key],
    parsed: Callable[[int], Parsed],
    alias_tables: Iterable[AliasTable] = (),
) -> Corpus | None:
    """The corpus of these files (with these keys; parsed(i) is what files[i] yields), from a
    snapshot of an earlier state of them; None when a full build is the better way.

    The snapshot's events name their files by relative path alone: when two roots hold the
    same relative path, the whole corpus is built again."""
    changes = _changes(snapshot, files, keys)
    if changes is None:
        return None
    changed, gone = changes
    fresh = {index: parsed(index) for index in changed}
    touched = gone | {files[index].relative for index in changed}
    old = list(snapshot.summaries())  # each event's id, day, headline, names, files and ties
    affected, telling = _affected(old, fresh.values(), touched)
    results = (
        fresh[index] if index in fresh else parsed(index)
        for index, file in enumerate(files)
        if file.relative in telling
    )
    merged = _merged(results, affected)
    items = _spliced([p for p, event in enumerate(old) if event.id not in affected], merged, old)
    documents = _kept(snapshot.documents, files, fresh, lambda d: d.path, lambda r: r.documents)
    problems = _kept(snapshot.problems, files, fresh, lambda p: p.path, lambda r: r.problems)
    return _corpus(snapshot, old, items, merged, documents, problems, alias_tables)


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
    old: list[Summary], fresh: Iterable[Parsed], touched: set[str]
) -> tuple[set[str], set[str]]:
    """The ids of the events to merge again: those the touched files tell of now (fresh)
    or told of before (old); and the files that tell of them, which hold their records."""
    told: dict[str, list[EventRecord]] = {}
    for result in fresh:
        group(result.records, told)
    affected = set(told) | {event.id for event in old if not touched.isdisjoint(event.documents)}
    telling = touched.union(*(event.documents for event in old if event.id in affected))
    return affected, telling


def _merged(results: Iterable[Parsed], affected: set[str]) -> list[Event]:
    """The affected events merged from the results of the files telling of them (in walk
    order, as build reads them), in the corpus's order."""
    groups: dict[str, list[EventRecord]] = {}
    for result in results:
        group(result.records, groups, affected)
    return sorted((merge(key, records) for key, records in groups.items()), key=event_order)


def _spliced(kept: list[int], merged: list[Event], old: list[Summary]) -> list[int | Event]:
    """The kept positions of the old events, in their order, with the merged events (in
    order too) put where they sort among them."""
    items: list[int | Event] = []
    low = 0
    for event in merged:
        place = bisect_left(kept, event_order(event), low, key=lambda p: event_order(old[p]))
        items += kept[low:place]
        items.append(event)
        low = place
    items += kept[low:]
    return items


def _kept(
    items: Iterable[T],
    files: Sequence[SourceFile],
    fresh: dict[int, Parsed],
    path: Callable[[T], str],
    new: Callable[[Parsed], list[T]],
) -> list[T]:
    """The snapshot's items (documents, problems) of the unchanged files, and the fresh
    results' of the changed ones, in walk order."""
    by_file: dict[str, list[T]] = {}
    for item in items:
        by_file.setdefault(path(item), []).append(item)
    return [
        item
        for index, file in enumerate(files)
        for item in (new(fresh[index]) if index in fresh else by_file.get(file.relative, ()))
    ]


def _corpus(
    snapshot: Snapshot,
    old: list[Summary],
    items: list[int | Event],
    merged: list[Event],
    documents: list[Document],
    problems: list[Problem],
    alias_tables: Iterable[AliasTable],
) -> Corpus:
    """The new corpus: its events, index, names and JSON taken from the snapshot for the
    kept events (items holding their old positions), made for the merged ones."""
    from spacenews.cache import spliced
    from spacenews.render.data import encode_each

    made = iter(encode_each(merged, lambda event: event.to_dict()))
    json = [snapshot.encoded.view(item) if isinstance(item, int) else next(made) for item in items]
    columns = snapshot.columns
    ends = [*columns.starts[1:], len(columns.text) + 1]

    def row(item: int | Event) -> tuple[int, str, Sequence[tuple[str, str]]]:
        if isinstance(item, int):  # the old index's text of the event, as event_text made it
            text = columns.text[columns.starts[item] : ends[item] - 1]
            return columns.days[item], text, old[item].ties
        return item.date.toordinal(), event_text(item), item.ties

    names = (
        (old[i].entities, old[i].headline) if isinstance(i, int) else (i.entities, i.headline)
        for i in items
    )
    return Corpus(
        spliced(snapshot, items),
        documents,
        problems,
        alias_tables,
        index=index_rows(map(row, items)),
        names=names_from(names, documents),
        encoded=_Json(json),
    )


class _Json:
    """Each event's JSON, in the corpus's order."""

    def __init__(self, items: list[Buffer]) -> None:
        self._items = items

    def views(self, positions: Iterable[int]) -> list[memoryview]:
        """The JSON of the events at these positions."""
        return [memoryview(self._items[position]) for position in positions]
