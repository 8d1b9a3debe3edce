"""Walking a corpus: every file under its paths, in a stable order, safely."""

from __future__ import annotations

import os
from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from spacenews.model import Problem

USER_FILE = "spacenews.toml"  # a corpus root's own alias table: read as such, not as a document


class SourceFile(NamedTuple):
    """A file of the corpus, as the walk found it."""

    path: str  # as it is opened
    relative: str  # relative to its corpus root: how results name it
    root: int  # index of its root among the corpus paths


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
        files, subfolders = entries(stack.pop(), top, index, problems)
        yield from files
        stack.extend(reversed(subfolders))


def entries(
    folder: str, top: str, index: int, problems: list[Problem]
) -> tuple[list[SourceFile], list[str]]:
    """The files and the folders in a folder of the root top, each in name order; nothing,
    and a problem, when it cannot be listed."""
    try:
        with os.scandir(folder) as scan:
            found = sorted(scan, key=_name)
    except OSError as error:
        reason = f"cannot list folder: {error.strerror or error}"
        problems.append(Problem(relative_to(folder, top), 0, reason, skipped=True))
        return [], []
    prefix = "" if folder == top else relative_to(folder, top) + "/"
    files, subfolders = [], []
    for entry in found:
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            subfolders.append(entry.path)
        elif entry.is_symlink() and _is_folder_link(entry):
            continue
        elif not (prefix == "" and name == USER_FILE):
            files.append(SourceFile(entry.path, prefix + name, index))
    return files, subfolders


_name = attrgetter("name")


def _is_folder_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def relative_to(path: str, top: str) -> str:
    """A path of the walk, relative to its root top, with / between its parts."""
    relative = path[len(top) :].lstrip(os.sep) if path.startswith(top) else path
    return relative.replace(os.sep, "/") if os.sep != "/" else relative
