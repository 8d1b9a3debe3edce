"""The parse cache: only what changed is read again, a bad cache is rebuilt, same results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews import cache as cache_module
from spacenews import corpus as corpus_module
from spacenews import loader, survey
from spacenews.cache import cache_file, parser_fingerprint, snapshot_file
from spacenews.cli import app
from spacenews.loader import CACHE_MIN_FILES, load_corpus
from spacenews.query import Mentioned, Query, select
from spacenews.walk import SourceFile, walk_files

from .conftest import generate_module, state


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the loader reads, in order."""
    seen: list[str] = []
    real = loader.read_bytes

    def counting(path: str, limit: int) -> bytes:
        seen.append(Path(path).name)
        return real(path, limit)

    monkeypatch.setattr(loader, "read_bytes", counting)
    return seen


def test_results_are_identical_with_and_without_cache(corpus_dir: Path) -> None:
    plain = state(load_corpus([corpus_dir]))
    filling = load_corpus([corpus_dir], cache=True)
    assert cache_file(corpus_dir).is_file()
    assert state(filling) == plain
    assert state(load_corpus([corpus_dir], cache=True)) == plain
    assert state(load_corpus([corpus_dir], workers=2)) == plain  # parsed in two processes
    assert state(load_corpus([corpus_dir], cache=True, workers=2)) == plain  # surveyed in two


def test_a_load_tells_how_far_it_is(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "CHUNK_FILES", 20)
    monkeypatch.setattr(corpus_module, "MERGE_STEP", 25)
    monkeypatch.setattr(cache_module, "WRITE_BLOCK", 25)
    told: list[tuple[str, int, int]] = []

    def steps(what: str) -> list[tuple[int, int]]:
        return [(done, total) for doing, done, total in told if doing == what]

    files = len(list(walk_files(corpus_dir, 0, [])))
    for cache in (False, True):  # parsed alone, then parsed to fill the cache
        corpus = load_corpus([corpus_dir], cache=cache, progress=lambda *step: told.append(step))
        parsed, merged = steps("Parsing files"), steps("Merging events")
        assert len(parsed) > 2 and parsed == sorted(parsed) and parsed[-1] == (files, files)
        assert len(merged) > 2 and merged[-1] == (len(corpus.events),) * 2
        written = steps("Writing the snapshot")  # each event as MessagePack, then as JSON
        if cache:
            assert len(written) > 4 and written == sorted(written)
            assert written[-1] == (2 * len(corpus.events),) * 2
        else:
            assert written == []
        told.clear()
    (corpus_dir / "new.md").write_text("### [2031-01-1](/news/2031/01/1/index.md)\n\n# New.\n")
    load_corpus([corpus_dir], cache=True, progress=lambda *step: told.append(step))
    assert steps("Parsing files") == [(1, 1)]  # only the new file; the snapshot refreshed
    assert not steps("Reading the cache") and not steps("Merging events")
    told.clear()
    snapshot_file([corpus_dir]).unlink()  # without a snapshot, every event is merged again
    (corpus_dir / "new.md").unlink()
    load_corpus([corpus_dir], cache=True, progress=lambda *step: told.append(step))
    assert steps("Parsing files") == []
    assert steps("Reading the cache")[-1] == (files, files)
    assert steps("Merging events")


def test_json_is_the_same_from_a_snapshot(corpus_dir: Path, reads: list[str]) -> None:
    runner = CliRunner()
    command = ["timeline", "--entity", "NASA", "--mentions"]
    for output in ["--json", "--jsonl"]:
        plain = runner.invoke(app, ["--corpus", str(corpus_dir), "--no-cache", *command, output])
        assert plain.exit_code == 0 and plain.stdout.count("NASA") > 10
        cached = ["--corpus", str(corpus_dir), *command, output]
        assert runner.invoke(app, cached).stdout == plain.stdout  # fills the cache
        cache_file(corpus_dir).unlink(missing_ok=True)  # so that only the snapshot can answer
        reads.clear()
        assert runner.invoke(app, cached).stdout == plain.stdout
        assert reads == []


def test_the_survey_gives_the_manifest_of_the_walk(corpus_dir: Path, tmp_path: Path) -> None:
    (corpus_dir / "deep" / "er").mkdir(parents=True)
    (corpus_dir / "deep" / "er" / "page.md").write_text("# A page.\n")
    (corpus_dir / "empty").mkdir()
    other = tmp_path / "other.txt"
    other.write_text("Another root, a file.\n")
    roots = [corpus_dir, other]

    def walked() -> str:
        files = _walked(roots)
        return survey.manifest(files, survey.keys(files))

    before = walked()
    assert {_surveyed(roots, processes).digest for processes in [1, 2, 3]} == {before}
    (corpus_dir / "empty" / "inner").mkdir()  # no file: nothing changed
    assert _surveyed(roots, 2).digest == before
    os.utime(corpus_dir / "deep" / "er" / "page.md", ns=(1, 1))
    assert _surveyed(roots, 2).digest == walked() != before


def _walked(roots: list[Path]) -> list[SourceFile]:
    return [file for index, root in enumerate(roots) for file in walk_files(root, index, [])]


def _surveyed(roots: list[Path], processes: int) -> survey.Survey:
    found = survey.start(roots, processes)()
    assert found is not None
    return found


_SURVEY_CHANGES = st.lists(
    st.tuples(
        st.sampled_from(["touch", "add", "delete", "new folder", "file to folder", "empty"]),
        st.integers(0, 1000),
    ),
    max_size=5,
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=_SURVEY_CHANGES)
def test_the_files_of_unchanged_entries_come_from_the_earlier_walk(
    changes: list[tuple[str, int]], tmp_path: Path
) -> None:
    # After changes anywhere, the files and keys of a walk that takes the unchanged entries
    # at the top from an earlier walk are those of a walk afresh, in the same order.
    with tempfile.TemporaryDirectory(dir=tmp_path) as temporary:
        folder = Path(temporary) / "corpus"
        for name in ["a/1.md", "a/b/2.md", "a/b/3.md", "c/4.md", "5.md", "6.md", "d/e/7.md"]:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(name)
        single = Path(temporary) / "single.md"
        single.write_text("a root that is a file")
        roots = [folder, single]
        files = _walked(roots)
        earlier = [
            (f.root, f.relative, *key) for f, key in zip(files, survey.keys(files), strict=True)
        ]
        for number, (kind, pick) in enumerate(changes):
            everything = sorted(path for path in folder.rglob("*") if path.is_file())
            path = everything[pick % len(everything)] if everything else folder / "x.md"
            if kind == "touch" and path.exists():
                os.utime(path, ns=(number, number))
            elif kind == "add":
                (path.parent / f"new{number}.md").write_text("new")
            elif kind == "delete" and path.exists():
                path.unlink()
            elif kind == "new folder":
                (folder / f"f{number}" / "g").mkdir(parents=True)
                (folder / f"f{number}" / "g" / "8.md").write_text("deep")
            elif kind == "file to folder" and (folder / "5.md").is_file():
                (folder / "5.md").unlink()
                (folder / "5.md").mkdir()
                (folder / "5.md" / "9.md").write_text("was a file")
            elif kind == "empty" and (folder / "c" / "4.md").exists():
                (folder / "c" / "4.md").unlink()
        fresh = _walked(roots)
        now = [(f.root, f.relative, *key) for f, key in zip(fresh, survey.keys(fresh), strict=True)]
        found = _surveyed(roots, 2)
        walked: list[str] = []
        real = survey._entry_files
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(survey, "_entry_files", lambda e: walked.append(e.relative) or real(e))
            assert found.walk(earlier) == (fresh, survey.keys(fresh))
        # ... and only the entries whose files changed, or that had none, were walked again
        changed = [
            entry.relative
            for entry in found.tops
            if not _top(earlier, entry) or _top(earlier, entry) != _top(now, entry)
        ]
        assert walked == changed


def _top(files: list[tuple[int, str, int, int]], entry: Any) -> list[tuple[int, str, int, int]]:
    """The files of a walk under an entry at the top of a root."""
    return [f for f in files if (f[0], f[1].split("/", 1)[0]) == (entry.root, entry.relative)]


def test_only_changed_added_and_removed_files_are_read_again(
    corpus_dir: Path, reads: list[str]
) -> None:
    load_corpus([corpus_dir], cache=True)
    assert len(reads) == CACHE_MIN_FILES + 34
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
    entries = msgspec.msgpack.decode(cache_file(corpus_dir).read_bytes())[1]
    assert "000_76f20314677eaf20.txt" not in entries and "new.md" in entries


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda path: path.write_bytes(b"\x00garbage\xff" * 10), "corrupt"),
        (lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]), "corrupt"),
        (
            lambda path: path.write_bytes(msgspec.msgpack.encode([{"format": "x"}, {}])),
            "not a spacenews cache",
        ),
        (lambda path: path.write_bytes(msgspec.msgpack.encode([1, 2, 3])), "corrupt"),
        (
            lambda path: path.write_bytes(
                msgspec.msgpack.encode(
                    [{"format": "spacenews parse cache", "fingerprint": "old"}, {}]
                )
            ),
            "another version",
        ),
        (lambda path: path.chmod(0o666), "others may write to it"),
    ],
    ids=["garbage", "truncated", "foreign", "wrong shape", "old version", "writable by others"],
)
def test_a_bad_cache_is_ignored_and_rebuilt(
    corpus_dir: Path, spoil: Any, reason: str, reads: list[str]
) -> None:
    expected = state(load_corpus([corpus_dir], cache=True))
    path = cache_file(corpus_dir)
    spoil(path)
    snapshot_file([corpus_dir]).unlink()  # so that the parse cache is read
    reads.clear()
    corpus = load_corpus([corpus_dir], cache=True)
    assert state(corpus) == expected
    assert len(reads) == CACHE_MIN_FILES + 34  # everything read again
    (notice,) = corpus.notices
    assert "ignored and rebuilt" in notice and reason in notice
    path.chmod(0o600)
    assert load_corpus([corpus_dir], cache=True).notices == ()  # rebuilt, usable again


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda path: path.write_bytes(b"\x00garbage\xff" * 10), "not a spacenews snapshot"),
        (
            lambda path: path.write_bytes(path.read_bytes()[:40] + b"\x00garbage\xff" * 10),
            "corrupt",
        ),
        (lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]), "corrupt"),
        (lambda path: path.write_bytes(path.read_bytes() + b"\x00"), "corrupt"),
        (
            lambda path: path.write_bytes(msgspec.msgpack.encode(({"format": "x"}, b""))),
            "not a spacenews snapshot",
        ),
        (lambda path: path.write_bytes(b""), "not a spacenews snapshot"),
        (lambda path: path.chmod(0o666), "others may write to it"),
    ],
    ids=[
        "garbage",
        "garbage head",
        "truncated",
        "too long",
        "foreign",
        "empty",
        "writable by others",
    ],
)
def test_a_bad_snapshot_is_ignored_and_rebuilt(
    corpus_dir: Path, spoil: Any, reason: str, reads: list[str]
) -> None:
    expected = state(load_corpus([corpus_dir], cache=True))
    path = snapshot_file([corpus_dir])
    spoil(path)
    reads.clear()
    corpus = load_corpus([corpus_dir], cache=True)
    assert state(corpus) == expected
    assert reads == []  # the parse cache still serves every file
    (notice,) = corpus.notices
    assert "snapshot" in notice and "ignored and rebuilt" in notice and reason in notice
    path.chmod(0o600)
    assert load_corpus([corpus_dir], cache=True).notices == ()


def test_an_unchanged_corpus_comes_from_its_snapshot(corpus_dir: Path, reads: list[str]) -> None:
    expected = state(load_corpus([corpus_dir], cache=True))
    cache_file(corpus_dir).unlink()  # the parse cache is not even needed
    reads.clear()
    assert state(load_corpus([corpus_dir], cache=True)) == expected
    assert reads == []
    (corpus_dir / "001_b02bc1e1bd4a287c.txt").touch()  # a new mtime: the snapshot is stale
    assert state(load_corpus([corpus_dir], cache=True)) == expected
    # The parse cache was gone: the snapshot is refreshed from the touched file and the one
    # other file that tells of its event (seed 000 links to it), read again; no other.
    assert sorted(reads) == ["000_76f20314677eaf20.txt", "001_b02bc1e1bd4a287c.txt"]


def test_entries_of_the_wrong_shape_never_crash(corpus_dir: Path) -> None:
    load_corpus([corpus_dir], cache=True)
    snapshot_file([corpus_dir]).unlink()
    path = cache_file(corpus_dir)
    header, entries = msgspec.msgpack.decode(path.read_bytes())
    name = next(iter(entries))
    entries[name][2] = [[["not", "a", "record"]], [], []]
    path.write_bytes(msgspec.msgpack.encode([header, entries]))
    corpus = load_corpus([corpus_dir], cache=True)
    assert any("cache entry unreadable" in problem.reason for problem in corpus.problems)


def test_concurrent_runs_never_corrupt_the_cache(corpus_dir: Path, private_cache: Path) -> None:
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
        assert all(b"cache" not in err for _, err in outputs)
    header, entries = msgspec.msgpack.decode(cache_file(corpus_dir).read_bytes())
    assert header["fingerprint"] == parser_fingerprint() and "round2.md" in entries
    assert not list(private_cache.glob(".tmp-*"))  # no temporary file left behind


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
        ["--corpus", "C", "timeline", "--json", "--no-cache"],  # as the benchmark's issue has it
        ["timeline", "--no-cache", "--json", "--corpus", "C"],
    ],
)
def test_no_cache_flag_and_environment(
    corpus_dir: Path, private_cache: Path, args: list[str]
) -> None:
    runner = CliRunner()
    args = [str(corpus_dir) if arg == "C" else arg for arg in args]
    assert runner.invoke(app, args).exit_code == 0
    assert not cache_file(corpus_dir, private_cache).exists()
    env = {"SPACENEWS_NO_CACHE": "1", "SPACENEWS_CACHE_DIR": str(private_cache)}
    assert (
        runner.invoke(app, ["--corpus", str(corpus_dir), "timeline", "--json"], env=env).exit_code
        == 0
    )
    assert not cache_file(corpus_dir, private_cache).exists()
    result = runner.invoke(app, ["--corpus", str(corpus_dir), "timeline", "--json"])
    assert result.exit_code == 0 and cache_file(corpus_dir, private_cache).exists()


def test_cache_info_and_clear(corpus_dir: Path, private_cache: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["--corpus", str(corpus_dir), "timeline", "--json"])
    info = json.loads(runner.invoke(app, ["cache", "info", "--json"]).stdout)
    assert info["folder"] == str(private_cache)
    row, snapshot = info["caches"]
    assert row["root"] == str(corpus_dir) and row["files"] == CACHE_MIN_FILES + 34
    assert snapshot["kind"] == "snapshot" and snapshot["bytes"] > 0
    table = runner.invoke(app, ["cache", "info"]).stdout
    assert f"{corpus_dir}: {CACHE_MIN_FILES + 34} files, " in table
    # A cache file that is not ours, or not whole, is listed without its bytes reaching the
    # terminal as escape sequences.
    header = {"format": "x", "root": "\x1b[2Jgone"}
    (private_cache / "foreign.msgpack").write_bytes(msgspec.msgpack.encode([header, {"a": 1}]))
    (private_cache / "torn.msgpack").write_bytes(b"\x92\x81")
    table = runner.invoke(app, ["cache", "info"]).stdout
    assert "\\x1b[2Jgone: 1 file, " in table and "\x1b" not in table
    assert "unreadable parse cache: 2 bytes" in table
    cleared = runner.invoke(app, ["cache", "clear"])
    assert "removed 4 cache files" in cleared.stderr
    assert not list(private_cache.iterdir())


def test_the_seeds_are_never_cached(private_cache: Path) -> None:
    CliRunner().invoke(app, ["timeline", "--json"])
    assert not list(private_cache.iterdir())


def test_a_snapshot_damaged_in_its_events_fails_in_one_line(
    corpus_dir: Path, private_cache: Path
) -> None:
    load_corpus([corpus_dir], cache=True)
    path = snapshot_file([corpus_dir])
    data = bytearray(path.read_bytes())
    events = len(b"spacenews corpus snapshot\n")  # the first section
    data[events : events + 64] = b"\xc1" * 64  # a byte MessagePack never uses
    path.write_bytes(bytes(data))
    command = [sys.executable, "-m", "spacenews", "--corpus", str(corpus_dir), "timeline"]
    env = {**os.environ, "SPACENEWS_CACHE_DIR": str(private_cache)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "snapshot is corrupt" in done.stderr and "spacenews cache clear" in done.stderr


def test_a_snapshot_of_another_version_is_rebuilt_quietly_whatever_its_layout(
    corpus_dir: Path,
) -> None:
    expected = state(load_corpus([corpus_dir], cache=True))
    path = snapshot_file([corpus_dir])
    head = msgspec.msgpack.encode([{"format": "spacenews", "fingerprint": "older"}, [1], 2])
    path.write_bytes(b"spacenews corpus snapshot\n" + head + len(head).to_bytes(8, "little"))
    corpus = load_corpus([corpus_dir], cache=True)
    assert corpus.notices == () and state(corpus) == expected


@pytest.mark.parametrize("count", [0, 1, 15, 16, 65_535, 65_536, 70_000])
def test_a_cache_written_in_blocks_is_the_one_written_whole(count: int, tmp_path: Path) -> None:
    # The cache is written a block at a time, behind a map head of its own making: the bytes
    # are those of the cache encoded at once, whatever the number of entries.
    cache = cache_module.ParseCache(cache_file(Path("root"), tmp_path), "root")
    for number in range(count):
        cache.put(f"{number}.txt", number, 7, msgspec.msgpack.encode([[], [], []]))
    cache_module.save_cache(cache, "print")
    header = {"format": cache_module.FORMAT, "fingerprint": "print", "root": "root"}
    assert cache.path.read_bytes() == msgspec.msgpack.encode([header, cache.entries])
    assert len(cache_module.open_cache(Path("root"), "print", tmp_path).entries) == count


def _resident_kib(path: Path) -> int:
    """How much of the mappings of path is in this process's memory (Linux), in KiB."""
    lines = Path("/proc/self/smaps").read_text().splitlines()
    total, inside = 0, False
    for line in lines:
        if line[:1].isdigit() or line[:1] in "abcdef":  # a mapping's first line
            inside = line.endswith(os.fspath(path))
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="Linux only")
def test_a_pass_over_a_snapshot_lets_its_pages_go(corpus_dir: Path) -> None:
    # A pass over every event of a large snapshot keeps only the last pages it read.
    generate_module.generate(3000, corpus_dir / "more")
    expected = state(load_corpus([corpus_dir]))
    load_corpus([corpus_dir], cache=True)
    path = snapshot_file([corpus_dir])
    snapshot = cache_module.load_snapshot(path, cache_module.snapshot_fingerprint())
    assert snapshot is not None
    events = snapshot.events
    before = _resident_kib(path)
    assert sum(1 for _ in snapshot.told()) == len(events) > 2 * cache_module.LET_GO_ITEMS
    size = len(events.raw._buffer) // 1024  # type: ignore[attr-defined]
    assert size > 1000  # KiB of events: far more than is kept
    assert _resident_kib(path) - before < size // 2
    assert [event.to_dict() for event in events] == expected["events"]  # and read again


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="Linux only")
@pytest.mark.parametrize("positions", [None, range(0, 10**9, 2)])
def test_a_pass_over_a_warm_corpus_keeps_neither_the_items_nor_their_pages(
    positions: range | None, corpus_dir: Path
) -> None:
    # A command that reads many events (related) or every document (entities, search) once
    # builds each afresh and lets the pages it read go, as it goes: it keeps what it keeps.
    generate_module.generate(3000, corpus_dir / "more")
    built = load_corpus([corpus_dir])
    load_corpus([corpus_dir], cache=True)
    corpus = load_corpus([corpus_dir], cache=True)
    events = corpus.events
    assert isinstance(events, cache_module._Decoded)
    path = snapshot_file([corpus_dir])
    before = _resident_kib(path)
    if positions is None:
        read, expected = list(events), built.events
    else:
        wanted = positions[: -(-len(events) // 2)]
        read, expected = list(corpus.events_at(wanted)), [built.events[p] for p in wanted]
    assert read == expected and len(read) > cache_module.LET_GO_ITEMS
    size = len(events.raw._buffer) // 1024
    assert size > 1000  # KiB of events: far more than is kept
    assert _resident_kib(path) - before < size // 2
    assert events._items == [None] * len(events)  # nothing kept
    assert list(corpus.documents) == list(built.documents)
    assert corpus.documents._items == [None] * len(built.documents)  # type: ignore[attr-defined]
    assert events[5] is events[5] and list(events)[5] is events[5]  # an item looked at is kept


@pytest.mark.parametrize("reverse", [False, True])
def test_a_timeline_read_through_keeps_none_of_its_events(
    reverse: bool, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A timeline's table reads its selection once, in order: each block of events is built
    # for it and let go, mentions in their places, newest first when asked.
    monkeypatch.setattr("spacenews.query.PASS_BLOCK", 7)
    built = load_corpus([corpus_dir])
    load_corpus([corpus_dir], cache=True)
    corpus = load_corpus([corpus_dir], cache=True)
    assert isinstance(corpus.events, cache_module._Decoded)
    query = Query(mentions=True, reverse=reverse)
    selection = select(corpus, query)
    items = list(selection)
    assert items == list(select(built, query))
    assert len(items) > 7 and any(isinstance(item, Mentioned) for item in items)
    assert corpus.events._items == [None] * len(corpus.events)  # nothing kept


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="Linux only")
@pytest.mark.parametrize("run", ["first", "warm", "changed"])
def test_the_json_written_out_lets_its_pages_go(
    run: str, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The answer's JSON is mapped from the snapshot, block by block: once a block is written,
    # its pages leave the process, whether the snapshot was just written or read.
    monkeypatch.setattr("spacenews.render.data.BLOCK", 500)
    generate_module.generate(3000, corpus_dir / "more")
    if run != "first":
        load_corpus([corpus_dir], cache=True)
    if run == "changed":
        (corpus_dir / "001_b02bc1e1bd4a287c.txt").touch()
    corpus = load_corpus([corpus_dir], cache=True)
    path = snapshot_file([corpus_dir])
    before = _resident_kib(path)
    written = [bytes(item) for item in corpus.encoded(range(len(corpus.events)))]
    size = sum(map(len, written)) // 1024
    assert size > 1000  # KiB of JSON: far more than is kept
    assert _resident_kib(path) - before < size // 2
    assert written == [
        bytes(item) for item in load_corpus([corpus_dir]).encoded(range(len(written)))
    ]
