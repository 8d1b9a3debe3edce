"""Walking a corpus: every folder under its paths, with its files and what a stat of each
gives, safely."""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from spacenews.model import Problem

USER_FILE = "spacenews.toml"  # a corpus root's own alias table: read as such, not as a document
NO_KEY = (-1, -1)  # the size and mtime of a file that cannot be stat-ed: read again once it can
# Each file stat-ed by its name in its open folder: the system need not look up the whole
# path again, which on a warm run of a large corpus is most of the walk's time.
_AT = os.stat in os.supports_dir_fd and os.scandir in os.supports_fd
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)


class SourceFile(NamedTuple):
    """A file of the corpus, as the walk found it."""

    path: str  # as it is opened
    relative: str  # relative to its corpus root: how results name it
    root: int  # index of its root among the corpus paths


class Folder(NamedTuple):
    """A folder of the corpus (or a file given as a corpus path, alone in its folder), with
    its files as the system lists them and the size and mtime_ns of each."""

    root: int  # index of its root among the corpus paths
    relative: str  # relative to its root, with / between parts ("" for the root)
    path: str  # as it is opened
    names: list[str]  # its files' names, in the order the system lists them
    keys: array[int]  # the size and mtime_ns of each, one after the other

    def state(self) -> tuple[bytes, bytes]:
        """What the folder holds, in two values that are equal from run to run only while
        no file in it was added, removed, renamed or changed (a new size or mtime)."""
        return os.fsencode("/".join(self.names)), self.keys.tobytes()

    def files(self) -> list[tuple[SourceFile, tuple[int, int]]]:
        """Its files in name order, each with its size and mtime_ns."""
        prefix = self.relative + "/" if self.relative else ""
        sizes, mtimes = self.keys[::2], self.keys[1::2]
        found = [
            (SourceFile(os.path.join(self.path, name), prefix + name, self.root), key)
            for name, key in zip(self.names, zip(sizes, mtimes, strict=True), strict=True)
        ]
        found.sort(key=lambda pair: pair[0].relative)
        return found


def walk_files(root: Path, index: int, problems: list[Problem]) -> Iterator[SourceFile]:
    """The files under root in the order of the walk (walk_folders), each folder's by name."""
    for folder in walk_folders(root, index, problems):
        for file, _ in folder.files():
            yield file


def walk_folders(root: Path, index: int, problems: list[Problem]) -> Iterator[Folder]:
    """The folders under root, each before its subfolders and these in name order, skipping
    hidden files and folders; a root that is a file is alone in a folder of its own.

    Links to folders are not followed, so a link loop cannot trap the walk, and the walk keeps
    its own stack, so no depth of folders can exhaust Python's recursion limit. A folder that
    cannot be listed is added to problems.
    """
    top = os.fspath(root)
    if not root.is_dir():
        head, name = os.path.split(top)
        yield Folder(index, "", head, [name], array("q", _stat(top)))
        return
    stack = [top]
    while stack:
        folder = stack.pop()
        relative = relative_to(folder, top)
        try:
            found, subfolders = _scan(folder, relative == "")
        except OSError as error:
            reason = f"cannot list folder: {error.strerror or error}"
            problems.append(Problem(relative, 0, reason, skipped=True))
            continue
        yield Folder(index, relative, folder, *found)
        stack.extend(os.path.join(folder, name) for name in sorted(subfolders, reverse=True))


def _scan(folder: str, is_root: bool) -> tuple[tuple[list[str], array[int]], list[str]]:
    """The files of a folder with their sizes and mtimes, and its subfolders' names."""
    fd = os.open(folder, _FOLDER_FLAGS) if _AT else None
    try:
        with os.scandir(folder if fd is None else fd) as scan:
            entries = list(scan)
        names, keys, subfolders = [], array("q"), []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(name)
            elif entry.is_symlink() and _is_folder_link(entry):
                continue
            elif not (is_root and name == USER_FILE):
                names.append(name)
                try:
                    info = os.stat(name, dir_fd=fd) if fd is not None else os.stat(entry.path)
                except OSError:
                    keys.extend(NO_KEY)
                else:
                    keys.append(info.st_size)
                    keys.append(info.st_mtime_ns)
        return (names, keys), subfolders
    finally:
        if fd is not None:
            os.close(fd)


def _stat(path: str) -> tuple[int, int]:
    try:
        info = os.stat(path)
    except OSError:
        return NO_KEY
    return info.st_size, info.st_mtime_ns


def _is_folder_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def relative_to(path: str, top: str) -> str:
    """A path of the walk, relative to its root top, with / between its parts."""
    relative = path[len(top) :].lstrip(os.sep) if path.startswith(top) else path
    return relative.replace(os.sep, "/") if os.sep != "/" else relative
