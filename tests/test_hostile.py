"""Hostile input: any file, any bytes. Never a traceback, never an injection, never a lost result.

The corpus mixes one fixture per kind of bad input (tests/fixtures/hostile, plus the kinds a
repository cannot hold, made here: huge files, long lines, thousands of links, links that loop
or dangle, unreadable files, FIFOs, names with control characters, very deep trees) with two
good event pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews import loader, reading, terminal
from spacenews.cli import app
from spacenews.loader import load_corpus
from spacenews.parse.eventpage import MAX_LINKS
from spacenews.reading import MAX_FILE_BYTES

from .conftest import FIXTURES

GOOD = ["Good event one reaches orbit.", "Good event two lands on the Moon."]
MARKUP_HEADLINE = "[bold red]Boom[/]"
DEPTH = 1100


def build_hostile(folder: Path) -> Path:
    """Copy the fixtures and add the kinds of bad input a repository cannot hold."""
    shutil.copytree(FIXTURES / "hostile", folder)
    (folder / "huge.txt").write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    long_line = "### [2020-04-01](/news/2020/04/1/index.md)\n\n# Long line.\n\n" + "[" * 300_000
    (folder / "long_line.txt").write_text(long_line)
    related = "\n".join(
        f"1. [Linked event {n}.](/news/2019/01/1/e{n}.md) _Context: Crowd_" for n in range(3000)
    )
    page = (
        f"### [2020-04-02](/news/2020/04/2/index.md)\n\n# Thousands.\n\n### Related:\n\n{related}\n"
    )
    (folder / "thousands_of_related.txt").write_text(page)
    (folder / "loop_a").symlink_to(folder / "loop_b")
    (folder / "loop_b").symlink_to(folder / "loop_a")
    (folder / "folder_loop").symlink_to(folder)
    (folder / "dangling").symlink_to(folder / "nowhere")
    (folder / "unreadable.txt").write_text("secret")
    (folder / "unreadable.txt").chmod(0)
    os.mkfifo(folder / "fifo")
    (folder / "bad\nname\x1b[31m.txt").write_bytes(
        (FIXTURES / "hostile" / "good_one.txt").read_bytes()
    )
    with contextlib.suppress(OSError):  # some file systems take UTF-8 names only
        (folder / os.fsdecode(b"not utf-8 \xff.txt")).write_bytes(
            (FIXTURES / "hostile" / "good_one.txt").read_bytes()
        )
    deep = folder
    for _ in range(DEPTH):  # deeper than Python's recursion limit; made without recursion
        deep = deep / "d"
        deep.mkdir()
    (deep / "deep.txt").write_text("A page at the bottom of a very deep tree.\n")
    return folder


def remove_deep_tree(folder: Path) -> None:
    """shutil.rmtree recurses; take the deep tree down from the bottom instead."""
    deep = folder.joinpath(*["d"] * DEPTH)
    (deep / "deep.txt").unlink()
    for _ in range(DEPTH):
        deep.rmdir()
        deep = deep.parent


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = build_hostile(tmp_path_factory.mktemp("hostile") / "corpus")
    yield folder
    remove_deep_tree(folder)


@pytest.fixture(autouse=True)
def unreadable_even_for_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 0 does not stop root: make the read fail as it would for anyone else."""
    real = reading.read_bytes

    def guarded(path: str, limit: int) -> bytes:
        if path.endswith("unreadable.txt"):
            raise PermissionError(13, "Permission denied")
        return real(path, limit)

    monkeypatch.setattr(reading, "read_bytes", guarded)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file's content hash and modification time, links not followed. Each folder is
    read by its descriptor: resolving the deep tree's 1,100 long paths took 0.5 s a call."""
    state = {}
    for fd, entry, path in _every_entry(str(folder)):
        info = entry.stat(follow_symlinks=False)
        if not entry.is_file(follow_symlinks=False) or entry.name in ("fifo", "unreadable.txt"):
            state[path] = ("", info.st_mtime_ns)
        else:
            with os.fdopen(os.open(entry.name, os.O_RDONLY, dir_fd=fd), "rb") as read:
                state[path] = (hashlib.file_digest(read, "sha256").hexdigest(), info.st_mtime_ns)
    return state


def _every_entry(folder: str) -> Iterator[tuple[int, os.DirEntry[int], str]]:
    """Each entry under the folder, with its folder's descriptor and its path."""
    stack = [(os.open(folder, os.O_RDONLY | os.O_DIRECTORY), folder)]
    while stack:
        fd, path = stack.pop()
        try:
            with os.scandir(fd) as entries:
                for entry in entries:
                    yield fd, entry, f"{path}/{entry.name}"
                    if entry.is_dir(follow_symlinks=False):
                        inner = os.open(entry.name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
                        stack.append((inner, f"{path}/{entry.name}"))
        finally:
            os.close(fd)


COMMANDS = [
    ["timeline"],
    ["timeline", "--mentions"],
    ["show", "2020"],
    ["show", "2020-01-02"],
    ["related", "Good Agency"],
    ["related", "nobody at all"],
    ["search", "good", "event"],
    ["entities"],
    ["check"],
]


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the hostile corpus for the commands below: the first fills it, the others
    answer from it, as a user's runs do (its walk and a load in memory cost 0.5 s a run)."""
    return tmp_path_factory.mktemp("hostile-index") / "index.sqlite"


@pytest.mark.parametrize("output", [[], ["--json"], ["--jsonl"]], ids=["table", "json", "jsonl"])
@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_survives_the_hostile_corpus(
    hostile: Path, hostile_index: Path, command: list[str], output: list[str]
) -> None:
    before = snapshot(hostile)
    base = ["--corpus", str(hostile), "--db", str(hostile_index)]
    result = CliRunner().invoke(app, [*base, *command, *output])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout
    if output == ["--json"]:
        json.loads(result.stdout)
    elif output == ["--jsonl"]:
        for line in result.stdout.splitlines():
            json.loads(line)
    assert snapshot(hostile) == before


def test_good_events_are_listed_and_markup_is_literal(hostile: Path) -> None:
    result = CliRunner().invoke(app, ["--corpus", str(hostile), "timeline", "--json"])
    headlines = [event["headline"] for event in json.loads(result.stdout)]
    assert set(GOOD) <= set(headlines)
    assert any(h.startswith(MARKUP_HEADLINE) for h in headlines)
    assert re.fullmatch(
        r"spacenews: \d+ files skipped, \d+ files with warnings: "
        r"run `spacenews check` for details\n",
        result.stderr,
    )
    table = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["--corpus", str(hostile), "timeline"])
    assert (
        MARKUP_HEADLINE in table.stdout and "[link=file:///etc/passwd]open[/link]" in table.stdout
    )


def test_check_names_every_bad_file(hostile: Path) -> None:
    result = CliRunner().invoke(app, ["--corpus", str(hostile), "check", "--json"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    reasons: dict[str, str] = {}
    for problem in problems:
        path = os.path.relpath(problem["path"], hostile)
        reasons[path] = reasons.get(path, "") + problem["reason"] + "; "
    expected = {
        "binary.png": "binary file",
        "nul_bytes.txt": "binary file",
        "empty.txt": "empty file",
        "whitespace_only.txt": "empty file",
        "huge.txt": "larger than 16 MiB",
        "long_line.txt": "1 line longer than 100000 characters was cut",
        "thousands_of_related.txt": f"past the first {MAX_LINKS} were not read",
        "invalid_utf8.txt": "invalid UTF-8 bytes replaced",
        "legacy_cp1252.txt": "read as Windows-1252",
        "date_february_30.txt": "names no real day",
        "date_month_13.txt": "names no real day",
        "date_year_0.txt": "names no real day",
        "date_five_digit_year.txt": "names no real day",
        "no_headline.txt": "neither a # headline",
        "malformed_lines.txt": "source line without a link",
        "yaml_invalid.md": "invalid front matter",
        "yaml_not_mapping.md": "invalid front matter",
        "yaml_python_tag.md": "invalid front matter",
        "loop_a": "cannot read",
        "dangling": "cannot read",
        "unreadable.txt": "cannot read: Permission denied",
        "fifo": "not a regular file",
    }
    for path, reason in expected.items():
        assert reason in reasons.get(path, ""), (path, reasons.get(path))
    lines = CliRunner().invoke(app, ["--corpus", str(hostile), "check"]).stdout.splitlines()
    assert all(line.count(":") >= 2 for line in lines)
    assert not Path("/tmp/spacenews-pwned").exists()


def test_the_strangest_files_still_answer(hostile: Path) -> None:
    corpus = load_corpus([hostile])
    paths = {p for e in corpus.events for p in e.documents} | {d.path for d in corpus.documents}
    assert "bad\nname\x1b[31m.txt" in paths
    assert "/".join(["d"] * DEPTH) + "/deep.txt" in paths
    headlines = {e.headline for e in corpus.events}
    assert "A BOM and CRLF page." in headlines
    assert "Bad bytes \ufffd\ufffd in a café headline." in headlines
    assert "Billion laughs" in headlines  # the aliases are never expanded
    assert "Wrong types everywhere." in {d.title for d in corpus.documents}
    thousands = next(e for e in corpus.events if e.headline == "Thousands.")
    assert len(thousands.related) == MAX_LINKS


def test_terminal_sees_no_escape_from_a_document(hostile: Path) -> None:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        app, ["--corpus", str(hostile), "show", "2020-03-10"]
    )
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "file:///etc/passwd" in result.stdout  # shown as text, never as a link


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_any_bytes_in_any_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    for event in load_corpus([path]).events:
        assert event.headline and "\x1b" not in event.headline


_PAGE_PARTS = st.sampled_from(
    [
        "### [2016-03-14](/news/2016/03/14/index.md)\n",
        "## [2016-03-14](/news/2016/03/14/index.md)\n",
        "---\n",
        "title: x\n",
        "date: 2016-99-99\n",
        "# headline\n",
        "### Related:\n",
        "1. [a](/news/2016/03/14/a.md) _Context: A, B_\n",
        "### [b](/news/2016/3/1/b.md)\n",
        "\r\n",
        "\x1b[31m",
        "&#39;''",
        "\ufeff",
    ]
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.one_of(_PAGE_PARTS, st.text(max_size=10)), max_size=30))
def test_any_mix_of_real_lines_as_bytes(tmp_path: Path, parts: list[str]) -> None:
    path = tmp_path / "fuzz.md"
    path.write_bytes("".join(parts).encode("utf-8", errors="surrogatepass"))
    load_corpus([path])


def test_loader_reads_files_in_one_place() -> None:
    # The tests above fail reads through read_bytes: the loader must have no other reader.
    source = Path(reading.__file__).read_text()
    assert source.count("open(") == 1 and "def read_bytes(" in source
    assert "open(" not in Path(loader.__file__).read_text()


def _odd_corpus(tmp_path: Path, files: dict[bytes, str]) -> Path:
    """A corpus of files whose names (as bytes) are not UTF-8; the test is skipped where the
    file system takes UTF-8 names only."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    try:
        for name, text in files.items():
            (folder / os.fsdecode(name)).write_text(text)
    except OSError:
        pytest.skip("the file system takes UTF-8 names only")
    return folder


@pytest.mark.parametrize(
    ("command", "written"),
    [
        (["export", "--format", "csv"], b",2020-01-02/flight-of-nasa,bad \xff.md,\n"),
        (
            ["export", "--format", "csv", "-o", "out.csv"],
            b",2020-01-02/flight-of-nasa,bad \xff.md,\n",
        ),
        (["open", "2020", "--path"], b"/bad \xff.md\n"),
    ],
)
def test_a_file_name_that_is_not_utf8_is_written_as_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], written: bytes
) -> None:
    # Found by the differential fuzz (tests/fuzz_cache.py): the csv export and open --path
    # wrote such a name as text to a UTF-8 stream that refuses lone surrogates, an internal
    # error (exit 3) whatever the locale for export -o, and on stdout in a UTF-8 locale.
    folder = _odd_corpus(
        tmp_path,
        {b"bad \xff.md": "### [2020-01-02](/news/2020/01/2/index.md)\n# Flight of NASA.\n"},
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["--corpus", str(folder), *command])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0
    out = tmp_path / "out.csv"
    assert (out.read_bytes() if "-o" in command else result.stdout_bytes).endswith(written)


@pytest.mark.parametrize(
    ("command", "code"),
    [(["search", "crew"], 0), (["related", "Mars"], 0), (["check"], 1)],
)
def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_a_table(
    tmp_path: Path, command: list[str], code: int
) -> None:
    # Found by the differential fuzz (tests/fuzz_cache.py): search and related (a document's
    # path beside its title) and check (each problem's path) wrote the name's lone surrogate
    # to the terminal, an internal error (exit 3) in a UTF-8 locale, as show's Files do not.
    notes = "Notes about Mars\n\nThe crew of Mars Express met.\n"
    folder = _odd_corpus(tmp_path, {b"\xe9t\xe9 notes.txt": notes, b"\xe9mpty.txt": ""})
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"})
    result = runner.invoke(app, ["--corpus", str(folder), *command])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == code
    assert ("\\xe9mpty.txt:0: empty file" if code else "\\xe9t\\xe9 notes.txt") in result.stdout


class _Terminal(io.TextIOWrapper):
    """A UTF-8 stream that refuses lone surrogates, and says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_file_name_that_is_not_utf8_reaches_a_terminal_escaped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Its raw bytes go to a file or a pipe, where they name the file; never to a terminal,
    # to which 0x9b, say, is a control.
    for errors in ("strict", "surrogateescape"):  # the second, C.UTF-8's and UTF-8 mode's
        raw = io.BytesIO()
        monkeypatch.setattr(sys, "stdout", _Terminal(raw, encoding="utf-8", errors=errors))
        terminal._write("bad " + os.fsdecode(b"\x9b\xff") + ".md 火\n")
        sys.stdout.flush()
        assert raw.getvalue() == "bad \\x9b\\xff.md 火\n".encode()
    # A stream whose encoding lacks a character (latin-1) escapes it rather than fail.
    for tty in (True, False):
        raw = io.BytesIO()
        stream = (_Terminal if tty else io.TextIOWrapper)(raw, encoding="latin-1")
        monkeypatch.setattr(sys, "stdout", stream)
        terminal._write("火 " + os.fsdecode(b"\xff") + "\n")
        sys.stdout.flush()
        assert raw.getvalue() == (b"\\u706b \\xff\n" if tty else b"\\u706b \\udcff\n")


def test_open_path_writes_a_name_with_controls_as_its_bytes_but_escapes_it_to_a_terminal(
    tmp_path: Path,
) -> None:
    # Found by a newcomer's try-out: open --path escaped such a name into a pipe too, where
    # "we\\x1bird.md" names no file (vim $(spacenews open ... --path), xargs).
    import pty
    import subprocess

    folder = _odd_corpus(
        tmp_path, {b"we\x1bird.md": "### [2020-01-02](/news/2020/01/2/index.md)\n# Flight.\n"}
    )
    command = [sys.executable, "-m", "spacenews", "--corpus", str(folder), "open", "2020"]
    env = {**os.environ, "SPACENEWS_CACHE_DIR": str(tmp_path / "cache")}
    piped = subprocess.run([*command, "--path"], capture_output=True, env=env, check=True)
    assert piped.stdout == os.fsencode(folder) + b"/we\x1bird.md\n"
    main, terminal_side = pty.openpty()
    try:
        subprocess.run(
            [*command, "--path"], stdout=terminal_side, stderr=subprocess.DEVNULL, env=env
        )
        shown = os.read(main, 4096)
    finally:
        os.close(main)
        os.close(terminal_side)
    assert shown.endswith(b"/we\\x1bird.md\r\n") and b"\x1b" not in shown
