"""Whether a corpus changed: a digest of every file's path, size and mtime_ns.

A run over an unchanged corpus costs little more than finding this digest, so it is made
quickly: each entry at the top of a corpus root (a file, or a folder and all it holds) has a
digest of its own, and forked processes make a share of them each while the caller opens the
snapshot. The digest of the whole is that of the entries' digests in walk order, whoever made
them: ``manifest`` gives the same from a walk's files and their keys.
"""

from __future__ import annotations

import hashlib
import itertools
import mmap
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from spacenews.model import Problem
from spacenews.walk import SourceFile, entries, relative_to, walk_folders

Key = tuple[int, int]  # a file's size and mtime_ns
NO_KEY = (-1, -1)  # the key of a file that cannot be stat-ed
_SLOT = 17  # bytes of shared memory per entry: what it holds (see _EMPTY...), then its digest
_EMPTY, _DIGEST, _PROBLEM = 0, 1, 2


class _Entry(NamedTuple):
    """A file or a folder at the top of a corpus root."""

    root: int  # the index of its root
    top: str  # the root
    path: str
    relative: str  # its path relative to the root: its name
    folder: bool


class Survey(NamedTuple):
    """What a survey found: the digest of the whole corpus, and of each entry at its top."""

    digest: str
    tops: list[_Entry]
    digests: list[bytes]  # each top entry's (empty for one without files)

    def walk(
        self, before: Iterable[tuple[int, str, int, int]]
    ) -> tuple[list[SourceFile], list[Key]] | None:
        """The files of the corpus in walk order, and their keys, knowing the files of an
        earlier walk (root, relative path, size, mtime_ns each): an entry at the top whose
        digest did not change since has the same files, with the same keys; only the others
        are walked and stat-ed again. None when one of them can no longer be listed."""
        earlier: dict[tuple[int, str], list[tuple[int, str, int, int]]] = {}
        for item in before:
            earlier.setdefault(_top(item[0], item[1]), []).append(item)
        files: list[SourceFile] = []
        found: list[Key] = []
        for entry, digest in zip(self.tops, self.digests, strict=True):
            known = earlier.get((entry.root, entry.relative), [])
            relatives = [item[1] for item in known]
            known_keys = [(item[2], item[3]) for item in known]
            if known and _digest(entry.root, relatives, known_keys) == digest:
                files += _files_of(entry, relatives)
                found += known_keys
                continue
            walked = _entry_files(entry)
            if walked is None:
                return None
            files += walked
            found += keys(walked)
        return files, found


def keys(files: Sequence[SourceFile]) -> list[Key]:
    """The key of each file."""
    found = []
    for file in files:
        try:
            info = os.stat(file.path)
        except OSError:
            found.append(NO_KEY)
        else:
            found.append((info.st_size, info.st_mtime_ns))
    return found


def manifest(files: Sequence[SourceFile], found: Sequence[Key]) -> str:
    """The digest of a corpus, from its files in walk order and their keys."""
    digests = []
    pairs = zip(files, found, strict=True)
    for (root, _), group in itertools.groupby(pairs, key=_top_entry):
        grouped = list(group)
        relatives = [file.relative for file, _ in grouped]
        digests.append(_digest(root, relatives, [key for _, key in grouped]))
    return _whole(digests)


def _top_entry(pair: tuple[SourceFile, Key]) -> tuple[int, str]:
    return _top(pair[0].root, pair[0].relative)


def _top(root: int, relative: str) -> tuple[int, str]:
    """The entry at the top of its root that a file of the walk is in (or is): its root
    and its name."""
    return root, relative.split("/", 1)[0]


def start(roots: Sequence[Path], processes: int) -> Callable[[], Survey | None]:
    """Start finding the digest of the corpus under roots, with up to that many processes;
    the function returned waits for it. It gives None when a folder cannot be listed: the
    caller walks the corpus itself, and reports the problem."""
    problems: list[Problem] = []
    tops = _entries(roots, problems)
    count = min(processes, len(tops)) if hasattr(os, "fork") else 1
    if problems:
        return lambda: None
    if count <= 1:
        return lambda: _combine(tops, [_entry_digest(entry) for entry in tops])
    shared = mmap.mmap(-1, _SLOT * len(tops))
    bounds = [len(tops) * part // count for part in range(count + 1)]
    children = [
        (_fork(tops, low, high, shared), low, high) for low, high in itertools.pairwise(bounds)
    ]

    def wait() -> Survey | None:
        digests: list[bytes | None] = []
        for pid, low, high in children:
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:  # make up for a child that failed
                digests += [_entry_digest(entry) for entry in tops[low:high]]
                continue
            for slot in range(low, high):
                kind, digest = shared[_SLOT * slot], shared[_SLOT * slot + 1 : _SLOT * (slot + 1)]
                digests.append(None if kind == _PROBLEM else digest if kind == _DIGEST else b"")
        shared.close()
        return _combine(tops, digests)

    return wait


def _fork(tops: list[_Entry], low: int, high: int, shared: mmap.mmap) -> int:
    """Start a child that writes the digests of tops[low:high] into shared memory."""
    pid = os.fork()
    if pid != 0:
        return pid
    status = 1
    try:  # the child: do its share, then leave at once, running nothing of the parent's
        for slot in range(low, high):
            digest = _entry_digest(tops[slot])
            kind = _PROBLEM if digest is None else _DIGEST if digest else _EMPTY
            shared[_SLOT * slot : _SLOT * (slot + 1)] = bytes([kind]) + (digest or b"").ljust(16)
        status = 0
    finally:
        os._exit(status)


def _entries(roots: Sequence[Path], problems: list[Problem]) -> list[_Entry]:
    found = []
    for index, root in enumerate(roots):
        top = os.fspath(root)
        if not root.is_dir():
            found.append(_Entry(index, top, top, root.name, folder=False))
            continue
        files, folders = entries(top, top, index, problems)
        found += [_Entry(index, top, file.path, file.relative, folder=False) for file in files]
        found += [
            _Entry(index, top, folder, relative_to(folder, top), folder=True) for folder in folders
        ]
    return found


def _entry_digest(entry: _Entry) -> bytes | None:
    """The digest of an entry's files; empty when it has none; None when a folder in it
    cannot be listed."""
    files = _entry_files(entry)
    if files is None:
        return None
    return _digest(entry.root, [file.relative for file in files], keys(files)) if files else b""


def _entry_files(entry: _Entry) -> list[SourceFile] | None:
    """The files of an entry, in walk order; None when a folder in it cannot be listed."""
    if not entry.folder:
        return [SourceFile(entry.path, entry.relative, entry.root)]
    problems: list[Problem] = []
    files = list(walk_folders(entry.top, [entry.path], entry.root, problems))
    return None if problems else files


def _files_of(entry: _Entry, relatives: list[str]) -> list[SourceFile]:
    """The files of an entry, from their relative paths, with their paths as the walk gives
    them (os.path.join of the root and each part of the relative path)."""
    if entry.path == entry.top:  # a root that is a file
        return [SourceFile(entry.top, relative, entry.root) for relative in relatives]
    prefix = os.path.join(entry.top, "")
    paths = relatives if os.sep == "/" else [r.replace("/", os.sep) for r in relatives]
    pairs = zip(paths, relatives, strict=True)
    return [SourceFile(prefix + path, relative, entry.root) for path, relative in pairs]


def _digest(root: int, relatives: list[str], found: list[Key]) -> bytes:
    import msgspec

    data = msgspec.msgpack.encode((root, relatives, found))
    return hashlib.blake2b(data, digest_size=16).digest()


def _combine(tops: list[_Entry], digests: list[bytes | None]) -> Survey | None:
    if any(digest is None for digest in digests):
        return None
    found = [digest or b"" for digest in digests]
    return Survey(_whole([digest for digest in found if digest]), tops, found)


def _whole(digests: list[bytes]) -> str:
    return hashlib.blake2b(b"".join(digests), digest_size=20).hexdigest()
