"""The index database kept in the cache folder: only what changed is read again, a bad one is
set aside and rebuilt, concurrent runs are safe, and the answers never change."""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import warnings
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from spacenews import loader, reading, walk
from spacenews.cli import app
from spacenews.index import fresh, store
from spacenews.index.store import database_file
from spacenews.index.view import names
from spacenews.known import entities
from spacenews.listing import select
from spacenews.loader import CACHE_MIN_BYTES, CACHE_MIN_FILES, load_corpus
from spacenews.query import Query
from spacenews.schema import SCHEMAS

from .conftest import state
from .test_hostile import snapshot

FILES = CACHE_MIN_FILES + 34  # the files of corpus_dir


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the loader reads, in order."""
    seen: list[str] = []
    real = reading.read_bytes

    def counting(path: str, limit: int) -> bytes:
        seen.append(Path(path).name)
        return real(path, limit)

    monkeypatch.setattr(reading, "read_bytes", counting)
    return seen


def test_results_are_identical_with_and_without_cache(corpus_dir: Path) -> None:
    plain = state(load_corpus([corpus_dir]))
    filling = load_corpus([corpus_dir], cache=True)
    assert database_file([corpus_dir]).is_file()
    assert state(filling) == plain
    assert state(load_corpus([corpus_dir], cache=True)) == plain
    assert state(load_corpus([corpus_dir], workers=2)) == plain  # parsed in two processes
    database_file([corpus_dir]).unlink()
    assert state(load_corpus([corpus_dir], cache=True, workers=2)) == plain


def test_events_merged_by_the_worker_processes_are_written_whole_and_in_order(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Blocks of three events: many more than the processes are given at a time (see
    # loader._Processes.spread), each written with the rowids and search ids of its place.
    monkeypatch.setattr("spacenews.index.fresh.MERGE_BLOCK", 3)
    here, there = load_corpus([corpus_dir]), load_corpus([corpus_dir], workers=2)
    assert state(there) == state(here)
    assert _merged_rows(there) == _merged_rows(here)


def _merged_rows(corpus: Any) -> list[list[tuple[Any, ...]]]:
    db = corpus.view.db
    queries = (
        "SELECT rowid, * FROM events ORDER BY rowid",
        "SELECT rowid, * FROM ties ORDER BY rowid",
        "SELECT * FROM units ORDER BY id",
        "SELECT rowid, text FROM search ORDER BY rowid",
    )
    return [db.execute(query).fetchall() for query in queries]


def test_a_load_tells_how_far_it_is(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "CHUNK_FILES", 20)
    monkeypatch.setattr("spacenews.index.fresh.MERGE_BLOCK", 25)
    told: list[tuple[str, int, int]] = []

    def steps(what: str) -> list[tuple[int, int]]:
        return [(done, total) for doing, done, total in told if doing == what]

    for cache in (False, True):  # in memory, then into the database
        corpus = load_corpus([corpus_dir], cache=cache, progress=lambda *step: told.append(step))
        parsed, merged = steps("Parsing files"), steps("Merging events")
        assert len(parsed) > 2 and parsed == sorted(parsed) and parsed[-1] == (FILES, FILES)
        assert len(merged) > 2 and merged[-1] == (len(corpus.events),) * 2
        told.clear()
    (corpus_dir / "new.md").write_text("### [2031-01-1](/news/2031/01/1/index.md)\n\n# New.\n")
    load_corpus([corpus_dir], cache=True, progress=lambda *step: told.append(step))
    assert steps("Parsing files") == [(1, 1)]  # only the new file
    assert steps("Merging events") == [(1, 1)]  # and its one event
    told.clear()
    load_corpus([corpus_dir], cache=True, progress=lambda *step: told.append(step))
    assert told == []  # nothing changed


def test_json_is_the_same_from_the_database(corpus_dir: Path, reads: list[str]) -> None:
    runner = CliRunner()
    command = ["timeline", "--entity", "NASA", "--mentions"]
    for output in ["--json", "--jsonl"]:
        plain = runner.invoke(app, ["--corpus", str(corpus_dir), "--no-cache", *command, output])
        assert plain.exit_code == 0 and plain.stdout.count("NASA") > 10
        cached = ["--corpus", str(corpus_dir), *command, output]
        assert runner.invoke(app, cached).stdout == plain.stdout  # fills the database
        reads.clear()
        assert runner.invoke(app, cached).stdout == plain.stdout
        assert reads == []


def test_only_changed_added_and_removed_files_are_read_again(
    corpus_dir: Path, reads: list[str]
) -> None:
    load_corpus([corpus_dir], cache=True)
    assert len(reads) == FILES
    reads.clear()
    load_corpus([corpus_dir], cache=True)
    assert reads == []

    page = corpus_dir / "001_b02bc1e1bd4a287c.txt"
    page.write_text(page.read_text().replace("joint mission", "shared mission"))
    (corpus_dir / "new.md").write_text(
        "### [2030-01-01](/news/2030/01/1/index.md)\n\n# A new event.\n"
    )
    (corpus_dir / "000_76f20314677eaf20.txt").unlink()
    corpus = load_corpus([corpus_dir], cache=True)
    assert sorted(reads) == ["001_b02bc1e1bd4a287c.txt", "new.md"]
    launch = next(e for e in corpus.events if e.date.isoformat() == "2016-03-14")
    assert "shared mission" in launch.body
    assert any(e.headline == "A new event." for e in corpus.events)
    assert not any(e.headline.startswith("Europe launches") for e in corpus.events)
    with closing(sqlite3.connect(database_file([corpus_dir]))) as db, db:
        paths = {path for (path,) in db.execute("SELECT path FROM files")}
    assert "000_76f20314677eaf20.txt" not in paths and "new.md" in paths
    assert state(corpus) == state(load_corpus([corpus_dir]))


def _foreign(path: Path) -> None:
    path.unlink()
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE notes(text)")


def _foreign_with_meta(path: Path) -> None:  # as a browser's history is: not removed
    path.unlink()
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('version', '1')")


def _other_version(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE meta SET value = 'older' WHERE key = 'fingerprint'")


def _dropped(path: Path) -> None:  # as another program, or a hand with sqlite3, may do
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("DROP INDEX events_texts")
        db.execute("DROP TABLE ties")


def _checkpointed(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_a_database_that_cannot_be_opened_is_one_error(tmp_path: Path) -> None:
    # Its connection, never opened, has nothing to close when it goes (no error ignored
    # in __del__, which the test run reports as unraisable).
    with pytest.raises(sqlite3.OperationalError):
        sqlite3.connect(tmp_path / "no folder" / "index.sqlite", factory=store.Connection)
    gc.collect()


@pytest.mark.parametrize("cache", [True, False])
def test_a_database_stays_open_while_held_and_closes_when_let_go(
    corpus_dir: Path, cache: bool
) -> None:
    db = load_corpus([corpus_dir], cache=cache).view.db  # type: ignore[union-attr]
    gc.collect()  # the corpus is gone: what a user took of it is not
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ResourceWarning (Python 3.13), nor any other
        db.__del__()  # what Python calls when the last holder lets it go
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda path: path.write_bytes(b"\x00garbage\xff" * 10), "not a database"),
        (lambda path: path.write_bytes(b"\x00" * path.stat().st_size), "not a database"),
        (lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]), "it is"),
        (_foreign, "not a spacenews index"),
        (_foreign_with_meta, "not a spacenews index"),
        (_other_version, "another version"),
        (lambda path: path.chmod(0o666), "others may write to it"),
        (_dropped, "it is damaged (events_texts, ties, ties_event, ties_name missing)"),
    ],
    ids=[
        "garbage",
        "zeroed",
        "truncated",
        "foreign",
        "foreign with meta",
        "old version",
        "writable by others",
        "a table dropped",
    ],
)
def test_a_bad_database_is_set_aside_and_rebuilt(
    corpus_dir: Path, spoil: Any, reason: str, reads: list[str]
) -> None:
    first = load_corpus([corpus_dir], cache=True)
    expected = state(first)
    assert first.view is not None
    first.view.db.close()  # what it kept for the next run is in the log: emptied by the last
    path = database_file([corpus_dir])
    _checkpointed(path)
    spoil(path)
    reads.clear()
    corpus = load_corpus([corpus_dir], cache=True)
    assert state(corpus) == expected
    assert len(reads) == FILES  # everything read again
    (notice,) = corpus.notices
    assert reason in notice and notice.count("\n") == 0
    # An outdated index holds nothing to look at: it goes; any other is kept to look at.
    outdated = reason == "another version"
    aside = path.with_name(path.name + ".broken")
    done = "removed" if outdated else f"set aside as {aside}"
    assert f"index {path} {done} and rebuilt: " in notice
    assert aside.exists() != outdated
    assert load_corpus([corpus_dir], cache=True).notices == ()  # rebuilt, usable again


@pytest.mark.parametrize("name", ["order", "units", "names", "entities"])
@pytest.mark.parametrize("value", [b"\x01\x02", "{", "[1,2,33]"], ids=["bytes", "text", "json"])
def test_a_kept_value_that_cannot_be_read_is_derived_again(
    corpus_dir: Path, name: str, value: bytes | str
) -> None:
    # What commands keep for the next run is derived again when its row holds something it
    # cannot be (edited by hand, say, in Datasette), then kept anew, also by a write.
    runner = CliRunner()
    commands = [["search", "mission", "-n", "3"], ["entities", "-n", "5"], ["related", "NASA"]]
    commands += [["timeline", "-n", "5"]]
    for command in commands:  # keeps every value
        runner.invoke(app, ["--corpus", str(corpus_dir), *command])
    path = database_file([corpus_dir])
    with closing(sqlite3.connect(path)) as db, db:
        assert db.execute("UPDATE kept SET value = ? WHERE name = ?", (value, name)).rowcount
    page = corpus_dir / "001_b02bc1e1bd4a287c.txt"
    for change in [False, True]:
        if change:
            page.write_text(page.read_text().replace("joint mission", "shared mission"))
        for command in commands:
            base = ["--corpus", str(corpus_dir), *command, "--json"]
            cached = runner.invoke(app, base)
            assert (cached.exit_code, cached.stdout) == (0, _uncached(base, change))
    with closing(sqlite3.connect(path)) as db:
        (kept,) = db.execute("SELECT value FROM kept WHERE name = ?", (name,)).fetchone()
    assert isinstance(kept, bytes) and kept != value


_UNCACHED: dict[tuple[str, ...], str] = {}


def _uncached(args: list[str], changed: bool) -> str:
    """What the command prints without the cache: the same for each of the cases above, whose
    corpora differ only in where they are, which the JSON does not say; so made once each."""
    key = (*args[2:], str(changed))
    if key not in _UNCACHED:
        _UNCACHED[key] = CliRunner().invoke(app, [*args, "--no-cache"]).stdout
    return _UNCACHED[key]


def test_a_database_damaged_inside_fails_in_one_line(corpus_dir: Path, private_cache: Path) -> None:
    load_corpus([corpus_dir], cache=True)
    path = database_file([corpus_dir])
    _checkpointed(path)
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xc1" * (len(data) - 4096)  # every page but the first
    path.write_bytes(bytes(data))
    command = [sys.executable, "-m", "spacenews", "--corpus", str(corpus_dir), "timeline"]
    env = {**os.environ, "SPACENEWS_CACHE_DIR": str(private_cache)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 3), done.stderr
    assert "Traceback" not in done.stderr
    if done.returncode == 3:
        assert done.stderr.count("\n") == 1 and "spacenews cache clear" in done.stderr
        assert "or remove the file given to --db" in done.stderr
    else:  # found unusable on opening: set aside, with one line, and rebuilt
        assert done.stderr.count(" and rebuilt: ") == 1 and ".broken and rebuilt" in done.stderr


@pytest.mark.parametrize("value", [b"\xfe", b"{not json", 7, b"{}", b"[]", b"null", b"[1]"])
def test_a_row_damaged_inside_fails_in_one_line(
    corpus_dir: Path, private_cache: Path, value: object
) -> None:
    # Found by a newcomer's try-out: an event's data that was no JSON (sqlite3 "update
    # events set data = X'FE'") crashed every command (exit 3, UnicodeDecodeError).
    load_corpus([corpus_dir], cache=True)
    path = database_file([corpus_dir])
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE events SET data = ?", (value,))
    for args in (["timeline"], ["show", "2016"], ["search", "crew"], ["export", "-f", "csv"]):
        command = [sys.executable, "-m", "spacenews", "--corpus", str(corpus_dir), *args]
        env = {**os.environ, "SPACENEWS_CACHE_DIR": str(private_cache)}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert (done.returncode, done.stdout) == (3, ""), done.stderr
        assert done.stderr.startswith("spacenews: error: the index is damaged (a ")
        assert done.stderr.count("\n") == 1 and "run `spacenews cache clear`" in done.stderr


def test_concurrent_runs_never_corrupt_the_index(corpus_dir: Path, private_cache: Path) -> None:
    command = [sys.executable, "-m", "spacenews", "--corpus", str(corpus_dir), "timeline", "--json"]
    env = {**os.environ, "SPACENEWS_CACHE_DIR": str(private_cache)}
    for round_ in range(3):
        day = round_ + 1
        page = f"### [2031-01-{day}](/news/2031/01/{day}/index.md)\n\n# Round {round_}.\n"
        (corpus_dir / f"round{round_}.md").write_text(page)
        runs = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(4)
        ]
        outputs = [run.communicate() for run in runs]
        assert all(run.returncode == 0 for run in runs), outputs[0][1]
        assert len({out for out, _ in outputs}) == 1  # every run saw the same corpus
        assert all(err == b"" for _, err in outputs), [err for _, err in outputs]
        assert f"Round {round_}.".encode() in outputs[0][0]
    with closing(sqlite3.connect(database_file([corpus_dir], private_cache))) as db, db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (count,) = db.execute("SELECT count(*) FROM files WHERE path = 'round2.md'").fetchone()
    assert count == 1


def test_cache_is_never_written_inside_the_corpus(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sorted(p.name for p in corpus_dir.rglob("*"))
    monkeypatch.setenv("SPACENEWS_CACHE_DIR", str(corpus_dir / "cache"))
    corpus = load_corpus([corpus_dir], cache=True)
    assert "inside the corpus" in corpus.notices[0]
    assert sorted(p.name for p in corpus_dir.rglob("*")) == before


@pytest.mark.parametrize(
    "args",
    [
        ["--corpus", "C", "--no-cache", "timeline", "--json"],
        ["--corpus", "C", "timeline", "--json", "--no-cache"],  # after the command's options
        ["timeline", "--no-cache", "--json", "--corpus", "C"],
    ],
)
def test_no_cache_flag_and_environment(
    corpus_dir: Path, private_cache: Path, args: list[str]
) -> None:
    runner = CliRunner()
    args = [str(corpus_dir) if arg == "C" else arg for arg in args]
    assert runner.invoke(app, args).exit_code == 0
    assert not database_file([corpus_dir], private_cache).exists()
    env = {"SPACENEWS_NO_CACHE": "1", "SPACENEWS_CACHE_DIR": str(private_cache)}
    assert (
        runner.invoke(app, ["--corpus", str(corpus_dir), "timeline", "--json"], env=env).exit_code
        == 0
    )
    assert not database_file([corpus_dir], private_cache).exists()
    result = runner.invoke(app, ["--corpus", str(corpus_dir), "timeline", "--json"])
    assert result.exit_code == 0 and database_file([corpus_dir], private_cache).exists()


def test_cache_info_path_and_clear(corpus_dir: Path, private_cache: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["--corpus", str(corpus_dir), "timeline", "--json"])
    info = json.loads(runner.invoke(app, ["cache", "info", "--json"]).stdout)
    assert info["folder"] == str(private_cache)
    lines = runner.invoke(app, ["cache", "info", "--jsonl"]).stdout.splitlines()
    assert [json.loads(line) for line in lines] == info["caches"] and '":' in lines[0]
    (row,) = info["caches"]
    assert row["roots"] == [os.path.realpath(corpus_dir)] and row["files"] == FILES
    assert row["kind"] == "index" and row["bytes"] > 0
    table = runner.invoke(app, ["cache", "info"]).stdout
    assert f"{os.path.realpath(corpus_dir)}: {FILES} files, " in table
    where = runner.invoke(app, ["--corpus", str(corpus_dir), "cache", "path"]).stdout.strip()
    assert where == row["path"] == str(database_file([corpus_dir], private_cache))
    with closing(sqlite3.connect(where)) as db, db:  # the user's own queries
        (events,) = db.execute("SELECT count(*) FROM events").fetchone()
    assert events == len(load_corpus([corpus_dir]).events)
    # A database of ours that cannot be read is listed as such, and removed by clear. The
    # files of other programs (the cache folder may be ~/.cache) are neither listed nor
    # removed, whatever their names.
    (private_cache / f"{'0' * 32}.sqlite").write_bytes(b"\x92\x81")
    others = ["\x1b[2Jtorn.sqlite", "other-app.sqlite", f"{'0' * 32}.sqlite.bak", "a.sqlite-wal"]
    for name in others:
        (private_cache / name).write_bytes(b"theirs")
    (private_cache / f"{'1' * 32}.sqlite").mkdir()
    table = runner.invoke(app, ["cache", "info"]).stdout
    assert "unreadable index: 2 bytes" in table and "\x1b" not in table
    assert "other-app" not in table and table.count(".sqlite)") == 2
    cleared = runner.invoke(app, ["cache", "clear"])
    assert "removed 2 cache files" in cleared.stderr
    left = sorted(path.name for path in private_cache.iterdir())
    assert left == sorted([*others, f"{'1' * 32}.sqlite"])
    assert all((private_cache / name).read_bytes() == b"theirs" for name in others)


def test_cache_clear_gone_removes_only_the_indexes_of_corpora_gone(
    corpus_dir: Path, private_cache: Path, tmp_path: Path
) -> None:
    # As git worktree prune: a corpus moved or deleted leaves its index, marked in info.
    # Kept: one of two corpus paths gone, an index that cannot be read, one set aside.
    runner = CliRunner()
    other, half = tmp_path / "other", tmp_path / "half"
    shutil.copytree(corpus_dir, other)
    (half / "notes").mkdir(parents=True)
    for corpus in ([corpus_dir], [other], [corpus_dir, half / "notes"]):
        args = [arg for path in corpus for arg in ("--corpus", str(path))]
        runner.invoke(app, [*args, "entities", "-n", "1"])  # writes the log too
    shutil.rmtree(other)
    shutil.rmtree(half)
    (private_cache / f"{'0' * 32}.sqlite").write_bytes(b"torn")
    (private_cache / f"{'1' * 32}.sqlite.broken").write_bytes(b"aside")
    info = json.loads(runner.invoke(app, ["cache", "info", "--json"]).stdout)
    gone = {str(row["roots"]): row["gone"] for row in info["caches"]}
    assert sorted(gone.values()) == [False, False, False, True]
    Draft202012Validator(SCHEMAS["cache info"]).validate(info)  # an unreadable one too
    assert gone[str([os.path.realpath(other)])] is True
    listed = runner.invoke(app, ["cache", "info"]).stdout
    assert listed.count("its corpus paths are gone") == 1
    ours = sorted(path.name for path in private_cache.iterdir())
    cleared = runner.invoke(app, ["cache", "clear", "--gone"])
    assert "removed 1 cache file" in cleared.stderr
    went = database_file([other], private_cache).name
    left = sorted(path.name for path in private_cache.iterdir())
    assert left == [name for name in ours if not name.startswith(went)] != ours
    assert runner.invoke(app, ["--corpus", str(corpus_dir), "timeline", "--json"]).exit_code == 0


def test_cache_info_reads_the_indexes_of_a_cache_folder_named_from_here(
    corpus_dir: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # $SPACENEWS_CACHE_DIR=cache, relative: info called the index just made unreadable (its
    # path made no file: URI), and clear --gone kept it with its corpus gone (found while
    # extending the differential fuzz to cache info --jsonl)
    monkeypatch.chdir(private_cache.parent)
    monkeypatch.setenv("SPACENEWS_CACHE_DIR", private_cache.name)
    runner = CliRunner()
    assert runner.invoke(app, ["--corpus", str(corpus_dir), "entities", "-n", "1"]).exit_code == 0
    (row,) = [
        json.loads(line)
        for line in runner.invoke(app, ["cache", "info", "--jsonl"]).stdout.splitlines()
    ]
    assert row["roots"] == [os.path.realpath(corpus_dir)] and row["files"] == FILES
    shutil.rmtree(corpus_dir)
    assert "removed 1 cache file" in runner.invoke(app, ["cache", "clear", "--gone"]).stderr
    assert list(private_cache.iterdir()) == []


def test_cache_path_names_the_database_the_commands_use(
    corpus_dir: Path, private_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The loader alone decides where an index lives; cache path loads the corpus as a command
    # does, and so agrees with it, and names a database brought up to date, ready to query.
    runner = CliRunner()
    kept = runner.invoke(app, ["--corpus", str(corpus_dir), "cache", "path"])
    assert kept.stdout == f"{database_file([corpus_dir], private_cache)}\n"
    with closing(sqlite3.connect(kept.stdout.strip())) as db:
        (events,) = db.execute("SELECT count(*) FROM events").fetchone()
    assert events == len(load_corpus([corpus_dir]).events) > 0
    small = tmp_path / "small"
    small.mkdir()
    (small / "a.md").write_text("Notes\n\nText.\n")
    before = sorted(private_cache.iterdir())
    for args in (["--corpus", str(small)], ["--corpus", str(corpus_dir), "--no-cache"], []):
        result = runner.invoke(app, [*args, "cache", "path"])
        assert (result.stdout, result.exit_code) == ("", 2), args
        assert "has no database: it is indexed at each run" in result.stderr
        assert "; --db FILE keeps one" in result.stderr  # found by a newcomer's try-out
        runner.invoke(app, [*args, "timeline"])
        assert sorted(private_cache.iterdir()) == before  # nor do the commands keep one
    monkeypatch.setenv("SPACENEWS_CACHE_DIR", str(corpus_dir / ".cache"))  # never written
    assert runner.invoke(app, ["--corpus", str(corpus_dir), "cache", "path"]).exit_code == 2
    # A cache folder that is a file: said so, where mkdir said "File exists".
    (tmp_path / "a-file").write_text("mine")
    monkeypatch.setenv("SPACENEWS_CACHE_DIR", str(tmp_path / "a-file"))
    result = runner.invoke(app, ["--corpus", str(corpus_dir), "cache", "path"])
    assert result.exit_code == 2 and "cannot be written); --db FILE" in result.stderr
    assert f"index not kept in {tmp_path / 'a-file'}/" in result.stderr
    assert f": {tmp_path / 'a-file'} is no folder\n" in result.stderr


def test_a_database_file_given_with_db(corpus_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "mine.sqlite"
    base = ["--corpus", str(corpus_dir), "--db", str(target)]
    first = runner.invoke(app, [*base, "timeline", "--json"])
    assert first.exit_code == 0 and target.is_file()
    plain = runner.invoke(app, ["--corpus", str(corpus_dir), "--no-cache", "timeline", "--json"])
    assert runner.invoke(app, [*base, "timeline", "--json"]).stdout == plain.stdout
    assert runner.invoke(app, [*base, "cache", "path"]).stdout.strip() == str(target)
    after = ["--corpus", str(corpus_dir), "timeline", "--json", f"--db={target}"]
    assert runner.invoke(app, after).stdout == plain.stdout  # a global option, anywhere


def _others_database(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE notes(text)")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: path.mkdir(mode=0o777), "it is not a file"),
        (lambda path: path.write_text("my notes\n"), "it is not a database"),
        (_others_database, "it is not a spacenews index"),
        (lambda path: (path.write_text("mine"), path.chmod(0o666)), "others may write to it"),
    ],
    ids=["folder", "text", "other database", "writable by others"],
)
def test_db_never_moves_a_file_that_is_not_a_spacenews_index(
    corpus_dir: Path, tmp_path: Path, make: Callable[[Path], object], reason: str
) -> None:
    # --db names a file of the user's choosing: one that is not an index of spacenews's is
    # the user's own, and left as it is (a folder others may write to, such as /tmp, was
    # once set aside as NAME.broken, and an earlier NAME.broken replaced).
    target = tmp_path / "target"
    make(target)
    (tmp_path / "target.broken").write_text("kept")
    before = snapshot(tmp_path)
    result = CliRunner().invoke(app, ["--corpus", str(corpus_dir), "--db", str(target), "timeline"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1 and f" is not used: {reason};" in result.stderr
    assert snapshot(tmp_path) == before


def test_db_sets_aside_an_index_of_other_corpus_paths_beside_what_is_there(
    corpus_dir: Path, tmp_path: Path
) -> None:
    # An index of spacenews's made for other corpus paths is set aside and made anew, as
    # in the cache folder, but a NAME.old already there is the user's: kept. It is sound:
    # named .old, not .broken (found by a newcomer's try-out, who had reused --db).
    target = tmp_path / "mine.sqlite"
    runner = CliRunner()
    other = tmp_path / "other"
    shutil.copytree(corpus_dir, other)
    assert (
        runner.invoke(app, ["--corpus", str(other), "--db", str(target), "timeline"]).exit_code == 0
    )
    (tmp_path / "mine.sqlite.old").write_text("kept")
    result = runner.invoke(app, ["--corpus", str(corpus_dir), "--db", str(target), "timeline"])
    assert result.exit_code == 0 and "it belongs to another corpus" in result.stderr
    assert (tmp_path / "mine.sqlite.old").read_text() == "kept"
    assert (tmp_path / "mine.sqlite.old-2").stat().st_size > 0
    assert f"set aside as {tmp_path / 'mine.sqlite.old-2'} and rebuilt" in result.stderr
    assert not list(tmp_path.glob("*.broken*"))


def test_a_damaged_db_index_is_set_aside_and_rebuilt(corpus_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "mine.sqlite"
    args = ["--corpus", str(corpus_dir), "--db", str(target), "timeline", "--json"]
    before = CliRunner().invoke(app, args).stdout
    _dropped(target)
    result = CliRunner().invoke(app, args)
    assert (result.exit_code, result.stdout) == (0, before)
    assert f"set aside as {target}.broken and rebuilt: it is damaged (" in result.stderr


def test_db_never_removes_a_file_that_looks_like_an_outdated_index(
    corpus_dir: Path, tmp_path: Path
) -> None:
    # Another program's database may hold a meta table with a fingerprint: under --db it is
    # set aside, not removed as an index of another version of spacenews would be.
    target = tmp_path / "theirs.sqlite"
    with closing(sqlite3.connect(target)) as db, db:
        db.execute("CREATE TABLE meta(key, value)")
        db.execute("INSERT INTO meta VALUES ('fingerprint', 'theirs'), ('notes', 'kept')")
    result = CliRunner().invoke(app, ["--corpus", str(corpus_dir), "--db", str(target), "timeline"])
    assert result.exit_code == 0 and "another version" in result.stderr
    assert f"set aside as {target}.old and rebuilt" in result.stderr
    with closing(sqlite3.connect(tmp_path / "theirs.sqlite.old")) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'notes'").fetchone() == ("kept",)


def test_db_inside_a_corpus_path_is_refused(corpus_dir: Path) -> None:
    # The corpus is never written: not by an index the user asks for there either.
    runner = CliRunner()
    page = corpus_dir / "001_b02bc1e1bd4a287c.txt"
    for corpus, target in [(corpus_dir, corpus_dir / "index.sqlite"), (page, page)]:
        before = snapshot(corpus_dir)
        for command in (["timeline"], ["cache", "path"]):
            args = ["--corpus", str(corpus), "--db", str(target), *command]
            result = runner.invoke(app, args)
            assert (result.exit_code, result.stdout) == (2, ""), args
            assert " lies in the corpus path " in result.stderr and "--db " in result.stderr
        assert snapshot(corpus_dir) == before


def test_a_run_that_writes_leaves_little_in_the_write_ahead_log(
    corpus_dir: Path, tmp_path: Path
) -> None:
    # A run ends without closing the database: the next one opens the log it left, and reads
    # it whole. A fill leaves it empty; entities, which keeps what each event names while
    # it still reads, leaves only those rows in it, a small part of the database.
    db, wal = tmp_path / "index.sqlite", tmp_path / "index.sqlite-wal"
    base = [sys.executable, "-m", "spacenews", "--db", str(db), "--corpus", str(corpus_dir)]
    subprocess.run([*base, "timeline"], check=True, capture_output=True)
    assert wal.stat().st_size == 0
    subprocess.run([*base, "entities"], check=True, capture_output=True)
    assert 0 < wal.stat().st_size < db.stat().st_size / 4
    with closing(sqlite3.connect(db)) as kept:
        assert kept.execute("SELECT count(*) FROM event_entities").fetchone()[0] > 80


def test_entities_keeps_nothing_while_another_run_writes(corpus_dir: Path, tmp_path: Path) -> None:
    # What entities keeps is written on a connection of its own, never waiting: not while
    # another run holds the database, nor after another run wrote files' rows since this
    # one began. Either way this run answers from its own unchanged view of the database.
    db = tmp_path / "index.sqlite"
    expected = [info.to_dict() for info in entities(load_corpus([corpus_dir]))]

    def kept() -> int:
        with closing(sqlite3.connect(db)) as reader:
            return int(reader.execute("SELECT count(*) FROM event_entities").fetchone()[0])

    for other in ("holds", "wrote"):
        corpus = load_corpus([corpus_dir], db=db)
        with closing(sqlite3.connect(db, isolation_level=None)) as another:
            another.execute("BEGIN IMMEDIATE")
            another.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
            if other == "wrote":
                another.execute("COMMIT")
            assert [info.to_dict() for info in entities(corpus)] == expected
            assert len(list(corpus.events)) == len(load_corpus([corpus_dir]).events)
        assert kept() == 0
    corpus = load_corpus([corpus_dir], db=db)
    assert [info.to_dict() for info in entities(corpus)] == expected
    assert kept() == len(corpus.events)


def test_without_the_cache_a_large_index_is_in_a_file_removed_at_once(corpus_dir: Path) -> None:
    # An index in memory takes as much memory as it would on disk (1.2 GB at 100,000 files):
    # from CACHE_MIN_FILES files up it goes to a file SQLite removes itself.
    def journal(corpus: Any) -> str:
        return str(corpus.view.db.execute("PRAGMA journal_mode").fetchone()[0])

    assert journal(load_corpus()) == "memory"
    large = load_corpus([corpus_dir])
    assert journal(large) == "delete"
    assert state(large) == state(load_corpus([corpus_dir], db=corpus_dir.parent / "kept.db"))


def test_the_seeds_are_never_cached(private_cache: Path) -> None:
    CliRunner().invoke(app, ["timeline", "--json"])
    assert not list(private_cache.iterdir())


def test_the_loader_alone_chooses_where_the_index_is(
    corpus_dir: Path, private_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # cache=None is the commands' choice: the cache folder for a corpus of CACHE_MIN_FILES
    # files or more, memory for the seeds alone, a smaller corpus or $SPACENEWS_NO_CACHE.
    kept = database_file([corpus_dir], private_cache)
    load_corpus([corpus_dir], cache=False)
    assert not kept.exists()
    monkeypatch.setenv("SPACENEWS_NO_CACHE", "yes")
    load_corpus([corpus_dir], cache=None)
    assert not kept.exists()
    load_corpus([corpus_dir], cache=True)  # asked for by name: the environment is the CLI's
    assert kept.exists()
    kept.unlink()
    monkeypatch.setenv("SPACENEWS_NO_CACHE", "0")
    load_corpus([corpus_dir], cache=None)
    assert kept.exists()
    small = tmp_path / "small"
    small.mkdir()
    for number in range(CACHE_MIN_FILES - 1):
        (small / f"{number}.md").write_text(f"### [2020-01-{1 + number % 28:02}](/x)\n\n# E.\n")
    load_corpus([small], cache=None)
    monkeypatch.setattr(loader, "CACHE_MIN_FILES", 1)
    load_corpus(cache=None)  # the built-in seeds, however few files a cache is kept for
    assert sorted(private_cache.glob("*.sqlite")) == [kept]
    monkeypatch.setattr(loader, "CACHE_MIN_FILES", CACHE_MIN_FILES)
    (small / "one-more.md").write_text("### [2021-01-01](/x)\n\n# E.\n")
    load_corpus([small], cache=None)
    assert database_file([small], private_cache).exists()
    mine = tmp_path / "mine.sqlite"
    load_corpus(cache=False, db=mine)  # a file named is used whatever cache says
    assert mine.is_file()


def test_a_few_large_files_have_their_index_kept(private_cache: Path, tmp_path: Path) -> None:
    # Found by a newcomer's try-out: one page of 9.7 MB was parsed again on every run
    # (2.4 s), as the cache was kept only from CACHE_MIN_FILES files up.
    few = tmp_path / "few"
    few.mkdir()
    sentence = "Mars Express finds water ice near the south pole of Mars. "
    (few / "a.txt").write_text("Notes\n\n" + sentence * (CACHE_MIN_BYTES // len(sentence) // 2))
    load_corpus([few], cache=None)
    assert not database_file([few], private_cache).exists()  # under CACHE_MIN_BYTES
    (few / "b.txt").write_text("More notes\n\n" + sentence * (CACHE_MIN_BYTES // len(sentence)))
    load_corpus([few], cache=None)
    assert database_file([few], private_cache).exists()


def test_completion_loads_as_the_command_does(corpus_dir: Path, private_cache: Path) -> None:
    env = {"_SPACENEWS_COMPLETE": "complete_bash", "COMP_CWORD": "4"}
    words = f"spacenews --corpus {corpus_dir} related Mars"
    for extra, environment in (("--no-cache ", {}), ("", {"SPACENEWS_NO_CACHE": "1"})):
        told = {**env, **environment, "COMP_WORDS": words.replace("related", extra + "related")}
        told["COMP_CWORD"] = str(len(told["COMP_WORDS"].split()) - 1)
        result = CliRunner(env=told).invoke(app, [], prog_name="spacenews")
        assert "Mars\\ Express" in result.stdout.splitlines()
        assert not database_file([corpus_dir], private_cache).exists()
    result = CliRunner(env={**env, "COMP_WORDS": words}).invoke(app, [], prog_name="spacenews")
    assert "Mars\\ Express" in result.stdout.splitlines()
    assert database_file([corpus_dir], private_cache).exists()


@pytest.mark.parametrize("reverse", [False, True])
def test_a_timeline_from_the_database_is_the_one_made_in_memory(
    reverse: bool, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("spacenews.listing.PASS_BLOCK", 7)
    built = load_corpus([corpus_dir])
    load_corpus([corpus_dir], cache=True)
    corpus = load_corpus([corpus_dir], cache=True)
    query = Query(mentions=True, reverse=reverse)
    items = list(select(corpus, query))
    assert items == list(select(built, query)) and len(items) > 7


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes: Linux")
def test_file_names_that_are_not_utf8_stay_apart(tmp_path: Path) -> None:
    # Names whose odd bytes differ are two files in the index, as on disk.
    folder = tmp_path / "corpus"
    folder.mkdir()
    for odd in (b"\xff", b"\xfe"):
        name = os.fsdecode(b"page " + odd + b".md")
        day = 10 + odd[0] % 2
        (folder / name).write_text(
            f"### [2020-01-{day}](/news/2020/01/{day}/index.md)\n\n# E{day}.\n"
        )
    target = tmp_path / "index.sqlite"
    kept = load_corpus([folder], db=target)
    assert state(kept) == state(load_corpus([folder])) and len(kept.events) == 2
    with closing(sqlite3.connect(target)) as db, db:
        assert db.execute("SELECT count(*) FROM files").fetchone() == (2,)


def test_the_acronyms_a_corpus_defines_are_known_from_the_database(tmp_path: Path) -> None:
    # A prose page defines JRI; an event names the institute in full: JRI finds it, from
    # the index in memory and from a database file alike.
    from spacenews import related

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "about.md").write_text(
        "# About\n\nThe Jovian Research Institute (JRI) was founded in 1990 in Leiden.\n"
    )
    (folder / "opens.md").write_text(
        "### [2020-01-10](/news/2020/01/10/index.md)\n\n# The Jovian Research Institute opens.\n"
    )
    for corpus in (load_corpus([folder]), load_corpus([folder], db=tmp_path / "i.sqlite")):
        found = [match.item for match in related(corpus, "JRI")]
        assert any(getattr(item, "headline", "").endswith("Institute opens.") for item in found)


KEPT_ASKS = [
    ["timeline", "--json"],
    ["show", "1950", "--json"],
    ["entities", "--json"],
    ["related", "Quaoar Lander", "--json"],
    ["search", "mission observes", "--json"],
    ["search", "quaoar", "--json"],
]


def test_what_a_run_keeps_for_the_next_follows_the_corpus(corpus_dir: Path, tmp_path: Path) -> None:
    # A run keeps what it derives from the tables (the events' order, the gazetteer's names,
    # the entities' counts, the units' lengths) for the next one, which answers from it; after
    # a change, it is made again, never used as it was.
    runner = CliRunner()
    target = tmp_path / "index.sqlite"
    cached = ["--corpus", str(corpus_dir), "--db", str(target)]
    plain = ["--corpus", str(corpus_dir), "--no-cache"]

    def same_answers() -> None:
        for ask in KEPT_ASKS:
            expected = runner.invoke(app, [*plain, *ask])
            for _ in range(2):  # the first run keeps, the second answers from what was kept
                answer = runner.invoke(app, [*cached, *ask])
                assert (answer.exit_code, answer.stdout) == (expected.exit_code, expected.stdout)

    same_answers()
    with closing(sqlite3.connect(target)) as db:
        kept = {name for (name,) in db.execute("SELECT name FROM kept")}
    assert kept == {"order", "names", "entities", "units"}
    view = load_corpus([corpus_dir], db=target).view
    assert view is not None and view.names() == names(view.db)  # read from its row
    (corpus_dir / "new.md").write_text(
        "### [1950-01-01](/news/1950/01/1/index.md)\n\n"
        "# The Quaoar Lander mission 1 observes Quaoar.\n\n"
        "Officials said the Quaoar Lander team was pleased.\n\n### Related:\n\n"
        "1. [The NASA mission 2 launches Mars.](/news/1951/01/1/x.md) _Context: Quaoar Lander_\n"
    )
    (corpus_dir / "000_76f20314677eaf20.txt").unlink()
    same_answers()


def _contents(db: sqlite3.Connection) -> list[Any]:
    """What a database holds that its use depends on: its tables and indexes, its meta rows,
    its settings."""
    schema = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
    meta = db.execute("SELECT key, value FROM meta ORDER BY key")
    settings = [db.execute(f"PRAGMA {name}").fetchone() for name in ("user_version", "page_size")]
    return [schema.fetchall(), meta.fetchall(), settings]


@pytest.mark.parametrize("can_copy", [True, False])
def test_the_index_in_memory_is_a_copy_of_what_the_schema_makes(
    can_copy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its image is derived from the schema: SPACENEWS_UPDATE_GOLDEN=1 writes it anew. Where
    # SQLite cannot copy it, the tables are made.
    if os.environ.get("SPACENEWS_UPDATE_GOLDEN"):
        store.EMPTY_IMAGE.write_bytes(store.empty_image())
    monkeypatch.setattr(store, "_CAN_COPY", can_copy)
    made, copied = store.connect(store.TEMPORARY, []), store.connect(store.MEMORY, [])
    with closing(made), closing(copied):
        assert _contents(copied) == _contents(made)
        assert len(_contents(made)[0]) > 30 and _contents(made)[1] == [("generation", "0")]


def test_the_seeds_start_from_a_copy_of_their_index(monkeypatch: pytest.MonkeyPatch) -> None:
    # Their image is what indexing them makes (SPACENEWS_UPDATE_GOLDEN=1 writes it anew):
    # a run copies it and parses nothing; every table is as a run that parses them makes it.
    if os.environ.get("SPACENEWS_UPDATE_GOLDEN"):
        store.SEEDS_IMAGE.write_bytes(loader.seeds_image())
    parsed = _parsing(monkeypatch)
    copied = load_corpus()
    assert parsed == []
    monkeypatch.setattr(store, "SEEDS_IMAGE", Path("no such image"))
    made = load_corpus()
    assert len(parsed) == 4
    assert state(copied) == state(made)
    assert copied.view is not None and made.view is not None
    assert _tables(copied.view.db) == _tables(made.view.db)


@pytest.mark.parametrize(
    "change", ["edit", "edit at mtime 0", "add", "remove", "rename", "subfolder", "unlisted"]
)
def test_seeds_that_changed_are_parsed_again_over_the_copy(
    change: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seeds edited where they are installed: only the files not as shipped are parsed, and
    # every answer is that of a run that parses them all.
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for seed in loader.seeds_path().iterdir():
        (seeds / seed.name).write_bytes(seed.read_bytes())
    monkeypatch.setattr(loader, "seeds_path", lambda: seeds)
    page = seeds / "001_b02bc1e1bd4a287c.txt"
    if change.startswith("edit"):  # the same size: only the bytes tell
        page.write_text(page.read_text().replace("joint mission", "jOINT mission"))
        if change.endswith("0"):  # as a file from an archive may have it
            os.utime(page, ns=(0, 0))
    elif change == "add":
        (seeds / "004.md").write_text("### [2020-01-01](/news/2020/01/1/index.md)\n# Added.\n")
    elif change == "remove":
        page.unlink()
    elif change == "rename":
        page.rename(seeds / "005.txt")
    elif change == "subfolder":
        (seeds / "sub").mkdir()
        page.rename(seeds / "sub" / page.name)
    else:  # the folder cannot be listed: none of its files is there
        real = walk._scan
        monkeypatch.setattr(
            walk, "_scan", lambda *a: _unlisted() if a[0] == str(seeds) else real(*a)
        )
    parsed = _parsing(monkeypatch)
    copied = load_corpus()
    told = {"add": ["004.md"], "rename": ["005.txt"], "subfolder": [page.name]}
    told = told | {"edit": [page.name], "edit at mtime 0": [page.name]}
    assert [Path(path).name for path in parsed] == told.get(change, [])
    searches = [_searched(words) for words in ("mars", "joint mission", "added", "esa")]
    monkeypatch.setattr(store, "SEEDS_IMAGE", Path("no such image"))
    assert state(copied) == state(load_corpus())
    assert searches == [_searched(words) for words in ("mars", "joint mission", "added", "esa")]


def _unlisted() -> Any:
    raise PermissionError(13, "Permission denied")


def _searched(words: str) -> tuple[str, int]:
    answer = CliRunner().invoke(app, ["search", words, "--json"])
    return answer.stdout, answer.exit_code


def _parsing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = reading.parse_file
    monkeypatch.setattr(
        reading, "parse_file", lambda file, *rest: parsed.append(file.path) or real(file, *rest)
    )
    return parsed


def _tables(db: sqlite3.Connection) -> dict[str, list[Any]]:
    """Every row of every table (the meta rows of the seeds' image aside), in a stable order."""
    tables = db.execute(  # the full-text tables' by their own tables
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
    )
    rows = {
        name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        for (name,) in tables.fetchall()
    }
    rows["meta"] = [row for row in rows["meta"] if not row[0].startswith(loader.SHIPPED)]
    return rows


def test_an_index_of_this_run_only_in_a_file_has_a_page_cache_to_be_made_in() -> None:
    # With SQLite's default (2 MiB), the pages of a large index are written out and read
    # back over and over while it is made.
    with closing(store.connect(store.TEMPORARY, [])) as made:
        (size,) = made.execute("PRAGMA cache_size").fetchone()
    assert size == -store.WRITING_CACHE_KIB and store.WRITING_CACHE_KIB >= 32 * 1024


def test_a_kept_index_has_that_page_cache_while_files_rows_are_written_only(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes: list[int] = []
    real = fresh.merge_again

    def merging(db: sqlite3.Connection, *rest: Any) -> None:
        sizes.append(db.execute("PRAGMA cache_size").fetchone()[0])
        real(db, *rest)

    monkeypatch.setattr(fresh, "merge_again", merging)
    corpus = load_corpus([corpus_dir], cache=True)
    assert corpus.view is not None and store.file_of(corpus.view.db) is not None
    assert sizes == [-store.WRITING_CACHE_KIB]
    assert corpus.view.db.execute("PRAGMA cache_size").fetchone()[0] == -2000  # the default


def test_a_run_on_the_seeds_writes_nothing_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The seeds are indexed in memory (copied in, which SQLite names "x"): what a command
    # keeps for the next run stays there, not in a file of the current folder.
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for command in [["entities"], ["related", "NASA"], ["search", "mars"], ["show", "2016"]]:
        assert runner.invoke(app, command).exit_code == 0
    assert list(tmp_path.iterdir()) == []
