"""Bringing a snapshot up to date when a few files changed, were added or were removed.

Only the events those files tell of, now or in the snapshot, are merged again, from the
records of every file that tells of them; every other event is the snapshot's, with its JSON
copied rather than made again, and so are the documents and problems of the files that did
not change. The corpus is the one a full build gives: an event no changed file tells of has
the same records as before, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from spacenews.corpus import Corpus, event_order, group, merge
from spacenews.model import Event, EventRecord
from spacenews.parse import Parsed
from spacenews.survey import NO_KEY, Key
from spacenews.walk import SourceFile

if TYPE_CHECKING:
    from spacenews.cache import Snapshot
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
    fresh = {index: parsed(index) for index in changed}
    touched = gone | {files[index].relative for index in changed}
    events = list(snapshot.events)
    told: dict[str, list[EventRecord]] = {}  # the events the changed files tell of now
    for result in fresh.values():
        group(result.records, told)
    affected = set(told) | {event.id for event in events if not touched.isdisjoint(event.documents)}
    telling = touched.union(*(event.documents for event in events if event.id in affected))
    groups: dict[str, list[EventRecord]] = {}
    for index, file in enumerate(files):  # in walk order, as build reads them
        if file.relative in telling:
            group((fresh[index] if index in fresh else parsed(index)).records, groups, affected)
    merged = [merge(key, records) for key, records in groups.items()]

    from spacenews.render.data import encode_each

    pairs: list[tuple[Event, Buffer | None]] = [
        (event, snapshot.encoded.view(position))
        for position, event in enumerate(events)
        if event.id not in affected
    ]
    pairs += [(event, None) for event in merged]
    pairs.sort(key=lambda pair: event_order(pair[0]))
    made = iter(encode_each([e for e, data in pairs if data is None], lambda e: e.to_dict()))
    json = [next(made) if data is None else data for _, data in pairs]

    def kept(
        items: Iterable[T], path: Callable[[T], str], new: Callable[[Parsed], list[T]]
    ) -> list[T]:
        by_file: dict[str, list[T]] = {}
        for item in items:
            by_file.setdefault(path(item), []).append(item)
        return [
            item
            for index, file in enumerate(files)
            for item in (new(fresh[index]) if index in fresh else by_file.get(file.relative, ()))
        ]

    documents = kept(snapshot.documents, lambda d: d.path, lambda result: result.documents)
    problems = kept(snapshot.problems, lambda p: p.path, lambda result: result.problems)
    corpus = Corpus([event for event, _ in pairs], documents, problems, alias_tables)
    corpus.keep_json(_Json(json))
    return corpus


class _Json:
    """Each event's JSON, in the corpus's order."""

    def __init__(self, items: list[Buffer]) -> None:
        self._items = items

    def views(self, positions: Iterable[int]) -> list[memoryview]:
        """The JSON of the events at these positions."""
        return [memoryview(self._items[position]) for position in positions]
