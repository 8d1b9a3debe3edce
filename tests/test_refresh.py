"""Refreshing a snapshot: after a few files change, only the events they tell of are merged
again, and the corpus is the one a full build gives."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spacenews import cache as cache_module
from spacenews import loader
from spacenews import refresh as refresh_module
from spacenews.cache import snapshot_file
from spacenews.corpus import Corpus
from spacenews.loader import load_corpus

from .conftest import generate_module, state


def test_a_snapshot_damaged_in_its_events_is_not_refreshed(corpus_dir: Path) -> None:
    expected = state(load_corpus([corpus_dir]))
    load_corpus([corpus_dir], cache=True)
    path = snapshot_file([corpus_dir])
    data = bytearray(path.read_bytes())
    events = len(b"spacenews corpus snapshot\n")
    data[events : events + 64] = b"\xc1" * 64
    path.write_bytes(bytes(data))
    (corpus_dir / "001_b02bc1e1bd4a287c.txt").touch()  # a change: the snapshot is refreshed
    corpus = load_corpus([corpus_dir], cache=True)
    (notice,) = corpus.notices
    assert "not used" in notice and "snapshot is corrupt" in notice
    assert state(corpus) == expected  # merged again from the parse cache, and a new snapshot
    assert state(load_corpus([corpus_dir], cache=True)) == expected


_CHANGES = st.lists(
    st.tuples(
        st.sampled_from(["edit", "retitle", "copy", "add", "delete", "touch"]),
        st.integers(0, 10_000),
        st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=_CHANGES)
def test_a_refreshed_snapshot_is_the_corpus_built_afresh(
    changes: list[tuple[str, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A few files changed, added or removed: only the events they tell of are merged again,
    # and the corpus is the one a full build gives, to the byte of its JSON.
    monkeypatch.setattr(loader, "CACHE_MIN_FILES", 1)
    refreshed: list[Corpus | None] = []
    real = refresh_module.refresh
    monkeypatch.setattr(
        refresh_module, "refresh", lambda *args: refreshed.append(real(*args)) or refreshed[-1]
    )
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        generate_module.generate(40, folder, seed=7)  # pages that link to one another
        load_corpus([folder], cache=True)
        _change(sorted(folder.rglob("*.txt")), changes)
        corpus = load_corpus([folder], cache=True)
        assert refreshed and refreshed[-1] is corpus
        assert state(corpus) == state(load_corpus([folder]))
        assert state(load_corpus([folder], cache=True)) == state(corpus)  # its own snapshot
        # ... and the parse cache it left serves every file as it is now
        snapshot_file([folder]).unlink()
        read: list[str] = []
        with monkeypatch.context() as patch:
            patch.setattr(loader, "read_bytes", lambda path, limit: read.append(path))
            assert state(load_corpus([folder], cache=True)) == state(corpus)
        assert read == []


def _change(paths: list[Path], changes: list[tuple[str, int, int]]) -> None:
    """Apply the changes to the files, each with a new mtime, so that the cache sees them."""
    stamp = 2_000_000_000 * 10**9
    for number, (kind, first, second) in enumerate(changes):
        path, other = paths[first % len(paths)], paths[second % len(paths)]
        if not path.exists() or not other.exists():
            continue
        if kind == "edit":  # another file's events and links
            path.write_bytes(other.read_bytes())
        elif kind == "retitle":  # its event is another one
            path.write_text(path.read_text().replace("# The ", "# Another ", 1))
        elif kind == "copy":  # the same events told by two files
            path = path.with_name(f"copy{number}.txt")
            path.write_bytes(other.read_bytes())
        elif kind == "add":
            path = path.with_name(f"new{number}.txt")
            day = 1 + second % 28
            path.write_text(
                f"### [1990-01-{day}](/news/1990/01/{day}/index.md)\n\n# New event {first}.\n\n"
                f"### Related:\n\n1. [Linked](/news/1990/02/{day}/x.md) _Context: NASA_\n"
            )
        elif kind == "delete":
            path.unlink()
            continue
        os.utime(path, ns=(stamp + number, stamp + number))  # "touch": the same bytes


def test_windows_merges_everything_again(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A snapshot mapped by the run could not be replaced there: the stale one is let go.
    load_corpus([corpus_dir], cache=True)
    (corpus_dir / "001_b02bc1e1bd4a287c.txt").touch()
    monkeypatch.setattr(cache_module, "REPLACES_MAPPED_FILES", False)
    refreshed: list[object] = []
    monkeypatch.setattr(refresh_module, "refresh", lambda *args: refreshed.append(args))
    corpus = load_corpus([corpus_dir], cache=True)
    assert refreshed == [] and corpus.notices == ()


def _copy_little_then_fail(copied: list[int]) -> object:
    """A copy_file_range that copies ten bytes, then finds the file system cannot."""
    real = os.copy_file_range

    def copy(source: int, target: int, count: int, offset: int | None = None) -> int:
        if copied:
            raise OSError(errno.EXDEV, "cross-device link")
        copied.append(real(source, target, min(count, 10), offset))
        return copied[-1]

    return copy


def _replaced(path: Path) -> None:
    """The file at path replaced by a copy of itself (another run wrote the same snapshot)."""
    copy = path.with_name("copy")
    copy.write_bytes(path.read_bytes())
    copy.replace(path)


@pytest.mark.skipif(not hasattr(os, "copy_file_range"), reason="Linux only")
@pytest.mark.parametrize("way", ["copied", "no copy_file_range", "copy fails", "file replaced"])
def test_the_kept_events_reach_the_new_snapshot_whole_every_way(
    way: str, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kept events' bytes are copied file to file where the kernel can, else written from
    # the old snapshot as mapped; either way the new snapshot holds the corpus built afresh.
    load_corpus([corpus_dir], cache=True)
    copied: list[int] = []
    real_copy, real_load = os.copy_file_range, cache_module.load_snapshot

    def counting(source: int, target: int, count: int, offset: int | None = None) -> int:
        copied.append(real_copy(source, target, count, offset))
        return copied[-1]

    def load_and_replace(path: Path, fingerprint: str) -> object:
        snapshot = real_load(path, fingerprint)
        _replaced(path)
        return snapshot

    if way in ("copied", "file replaced"):
        monkeypatch.setattr(os, "copy_file_range", counting)
    if way == "no copy_file_range":
        monkeypatch.delattr(os, "copy_file_range")
    elif way == "copy fails":
        monkeypatch.setattr(os, "copy_file_range", _copy_little_then_fail(copied))
    if way == "file replaced":
        monkeypatch.setattr(cache_module, "load_snapshot", load_and_replace)
    (corpus_dir / "001_b02bc1e1bd4a287c.txt").touch()
    corpus = load_corpus([corpus_dir], cache=True)
    monkeypatch.undo()
    expected = state(load_corpus([corpus_dir]))
    assert state(corpus) == expected
    assert state(load_corpus([corpus_dir], cache=True)) == expected  # the new snapshot
    assert copied == {"copied": copied, "copy fails": [10]}.get(way, [])
    if way == "copied":
        assert len(copied) > 1 and sum(copied) > 100_000  # the runs of events and of JSON
