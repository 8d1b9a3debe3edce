"""Walking a corpus: every folder under its paths, with its files and what a stat of each
gives, safely."""

from __future__ import annotations

import os
import sys
from array import array
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple

from spacenews.model import Problem

USER_FILE = "spacenews.toml"  # a corpus root's own alias table: read as such, not as a document
NO_KEY = (-1, -1)  # the size and mtime of a file that cannot be stat-ed: read again once it can
# Each file stat-ed by its name in its open folder: the system need not look up the whole
# path again, which on a warm run of a large corpus is most of the walk's time.
_AT = os.stat in os.supports_dir_fd and os.scandir in os.supports_fd
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_BY_FOLDER = 4  # files in a folder from which opening it once is quicker than a path each
SHARE_FROM = 2_000  # files from which forking a helper (about 2 ms) pays for itself
_FORK = sys.platform == "linux"  # where a fork is cheap and safe before any thread starts


class Exclude(NamedTuple):
    """What a corpus root's spacenews.toml leaves out of its walk (``exclude``): patterns as
    fnmatch reads them (``*`` matches any characters, ``/`` too). One holding no ``/`` but
    at its end is a name anywhere (``*.css``, ``Gemfile``); any other, a path from the root
    (``assets/*``, ``/Gemfile``). One ending with ``/`` is of folders alone (``_site/``). A
    folder left out is not walked."""

    names: tuple[str, ...] = ()  # of files and folders
    folders: tuple[str, ...] = ()  # of folders alone
    paths: tuple[str, ...] = ()  # from the root, of files and folders
    folder_paths: tuple[str, ...] = ()  # from the root, of folders alone

    @classmethod
    def of(cls, patterns: list[str]) -> Exclude:
        """The patterns sorted by kind (see Exclude)."""
        # (the pattern without its slashes at either end, whether it is a path, a folder's)
        kinds = [(p.strip("/"), "/" in p.rstrip("/"), p.endswith("/")) for p in patterns]
        names = tuple(p for p, path, slash in kinds if not path and not slash)
        folders = tuple(p for p, path, slash in kinds if not path and slash)
        paths = tuple(p for p, path, slash in kinds if path and not slash)
        folder_paths = tuple(p for p, path, slash in kinds if path and slash)
        return cls(names, folders, paths, folder_paths)

    def leaves_out(self, relative: str, name: str, folder: bool) -> bool:
        """Whether the file or folder of this name, at this path from the root, is left out."""
        from fnmatch import fnmatchcase

        names = self.names + self.folders if folder else self.names
        paths = self.paths + self.folder_paths if folder else self.paths
        return any(fnmatchcase(name, p) for p in names) or any(
            fnmatchcase(relative, p) for p in paths
        )


NOTHING = Exclude()


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


def walk_folders(
    root: Path, index: int, problems: list[Problem], exclude: Exclude = NOTHING
) -> list[Folder]:
    """The folders under root, each before its subfolders and these in name order, skipping
    hidden files and folders and what exclude leaves out; a root that is a file is alone in
    a folder of its own.

    Links to folders are not followed, so a link loop cannot trap the walk, and the walk keeps
    its own stack, so no depth of folders can exhaust Python's recursion limit. A folder that
    cannot be listed is added to problems.
    """
    top = os.fspath(root)
    if not root.is_dir():
        head, name = os.path.split(top)
        return [Folder(index, "", head, [name], _stat_all([(head, [name])]))]
    listed = list(_listed(top, problems, exclude))
    keys = _keys([(path, names) for _, path, names in listed])
    folders, at = [], 0
    for relative, path, names in listed:
        end = at + 2 * len(names)
        folders.append(Folder(index, relative, path, names, keys[at:end]))
        at = end
    return folders


UNLISTED = "cannot list folder"  # the reason a folder's problem starts with


def _listed(
    top: str, problems: list[Problem], exclude: Exclude = NOTHING
) -> Iterator[tuple[str, str, list[str]]]:
    """Each folder under top in the order of the walk: its path relative to top, its path and
    its files' names (but those exclude leaves out, and its folders)."""
    stack = [top]
    while stack:
        folder = stack.pop()
        relative = relative_to(folder, top)
        try:
            names, subfolders = _scan(folder, relative == "")
        except OSError as error:
            reason = f"{UNLISTED}: {error.strerror or error}"
            problems.append(Problem(relative, 0, reason, skipped=True))
            continue
        if exclude != NOTHING:
            prefix = relative + "/" if relative else ""
            names = [n for n in names if not exclude.leaves_out(prefix + n, n, folder=False)]
            subfolders = [n for n in subfolders if not exclude.leaves_out(prefix + n, n, True)]
        yield relative, folder, names
        stack.extend(os.path.join(folder, name) for name in sorted(subfolders, reverse=True))


def _scan(folder: str, is_root: bool) -> tuple[list[str], list[str]]:
    """The names of a folder's files, in the order the system lists them, and of its
    subfolders."""
    names, subfolders = [], []
    with os.scandir(folder) as scan:
        for entry in scan:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(name)
            elif entry.is_symlink() and _is_folder_link(entry):
                continue
            elif not (is_root and name == USER_FILE):
                names.append(name)
    return names, subfolders


def _keys(pieces: list[tuple[str, list[str]]]) -> array[int]:
    """The size and mtime_ns of each file named in pieces (a folder's path and names), one
    after the other. With enough files, a second process stats half of them: the system
    answers two at once, where threads only queue for it."""
    count = sum(len(names) for _, names in pieces)
    if count < SHARE_FROM or not _may_fork():
        return _stat_all(pieces)
    mine, theirs = _halves(pieces, count // 2)
    read, write = os.pipe()
    try:
        helper = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return _stat_all(pieces)
    if helper == 0:  # the helper: it stats its half, hands the keys over, and ends there
        code = 1
        try:
            os.close(read)
            with open(write, "wb") as out:
                out.write(_stat_all(theirs).tobytes())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with open(read, "rb") as handed:
        try:
            keys = _stat_all(mine)
            data = handed.read()
        finally:
            handed.close()  # a helper still writing ends (a broken pipe) rather than wait
            with suppress(ChildProcessError):  # reaped already: SIGCHLD ignored, or handled
                os.waitpid(helper, 0)
    rest = array("q")
    rest.frombytes(data)
    if len(rest) != 2 * (count - count // 2):
        rest = _stat_all(theirs)  # the helper failed (killed?): its half is stat-ed here
    keys.extend(rest)
    return keys


def _may_fork() -> bool:
    """Whether a helper may be forked: on Linux, by a process that runs no other thread (a
    fork copies only the thread that makes it: a lock another holds would stay held)."""
    threading = sys.modules.get("threading")
    return _FORK and (threading is None or threading.active_count() == 1)


def _halves(
    pieces: list[tuple[str, list[str]]], first: int
) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """pieces cut in two, the first holding first files (a folder may be cut in two)."""
    taken = 0
    for at, (path, names) in enumerate(pieces):
        if taken + len(names) >= first:
            cut = first - taken
            return [*pieces[:at], (path, names[:cut])], [(path, names[cut:]), *pieces[at + 1 :]]
        taken += len(names)
    return pieces, []


def _stat_all(pieces: list[tuple[str, list[str]]]) -> array[int]:
    """The size and mtime_ns of each file named in pieces, one after the other."""
    keys = array("q")
    for folder, names in pieces:
        fd = _open_folder(folder) if len(names) >= _BY_FOLDER else None
        try:
            for name in names:
                try:
                    info = (
                        os.stat(name, dir_fd=fd)
                        if fd is not None
                        else os.stat(os.path.join(folder, name))
                    )
                except OSError:
                    keys.extend(NO_KEY)
                else:
                    keys.append(info.st_size)
                    keys.append(info.st_mtime_ns)
        finally:
            if fd is not None:
                os.close(fd)
    return keys


def _open_folder(folder: str) -> int | None:
    if not _AT:
        return None
    try:
        return os.open(folder, _FOLDER_FLAGS)
    except OSError:
        return None  # each of its files is stat-ed by its path (and most likely fails)


def _is_folder_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def relative_to(path: str, top: str) -> str:
    """A path of the walk, relative to its root top, with / between its parts."""
    relative = path[len(top) :].lstrip(os.sep) if path.startswith(top) else path
    return relative.replace(os.sep, "/") if os.sep != "/" else relative
