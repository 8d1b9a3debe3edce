"""The habits of a good command line, through the CLI: --limit 0, relative dates, --color,
export -o, open, and help written for people."""

from __future__ import annotations

import inspect
import json
import os
import re
import shlex
import stat
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spacenews import dates
from spacenews.cli import _global
from spacenews.usage import GLOBALS_POINTER

from .conftest import SEEDS, run, run_json
from .test_docs import COMMANDS

SEED_000 = "000_76f20314677eaf20.txt"
SEED_001 = "001_b02bc1e1bd4a287c.txt"
SEED_002 = "002_efe6a678f375d53d.txt"
EXOMARS_ID = (
    "2016-03-14/the-joint-european-space-agency-and-russian-federal-space-agency-exomars-"
    "trace-gas-orbiter-blasts-off-from-the-baikonur-cosmodrome-in-kazakh"
)


# --limit 0 means no limit.


@pytest.mark.parametrize(
    "args",
    [["timeline"], ["related", "mars"], ["entities"], ["search", "the"]],
)
def test_limit_0_is_no_limit(runner: CliRunner, args: list[str]) -> None:
    every = run_json(runner, *args, "--limit", "100")
    assert len(every) > 1
    result = run(runner, *args, "--limit", "0", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == every


def test_search_limit_0_lifts_its_default_of_10(runner: CliRunner) -> None:
    assert len(run_json(runner, "search", "the")) == 10
    assert len(run_json(runner, "search", "the", "--limit", "0")) == 11


def test_export_limit_0_is_no_limit(runner: CliRunner) -> None:
    every = run(runner, "export", "--format", "csv").stdout
    assert every.count("\n") == 11  # the header and the ten events
    assert run(runner, "export", "--format", "csv", "--limit", "0").stdout == every


def test_a_negative_limit_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, "timeline", "--limit", "-1")
    assert result.exit_code == 2
    assert "-1 is below 0 (0 means no limit)" in result.stderr


# Relative dates, "today" pinned.


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Today is Wednesday 16 March 2016, in the ISO week of the ExoMars launch (Monday 14)."""
    day = date(2016, 3, 16)
    monkeypatch.setattr(dates, "today", lambda: day)
    return day


def _dates(runner: CliRunner, *args: str) -> list[str]:
    return [item["date"] for item in run_json(runner, *args)]


def test_a_relative_period_names_the_days_it_covers(runner: CliRunner, today: date) -> None:
    assert _dates(runner, "timeline", "this week") == ["2016-03-14"]
    assert _dates(runner, "timeline", "last year") == ["2015-12-15"]
    assert _dates(runner, "timeline", "2015..today") == ["2015-12-15", "2016-03-14"]
    shown = run_json(runner, "show", "2 days ago")
    assert {(item["kind"], item["date"]) for item in shown} == {
        ("event", "2016-03-14"),
        ("mention", "2016-03-14"),
    }
    assert run(runner, "show", "yesterday").exit_code == 1
    exported = run(runner, "export", "this week", "--format", "csv").stdout
    assert exported.splitlines()[1].startswith("2016-03-14,")


def test_from_and_to_take_the_first_and_last_day_of_a_relative_date(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dates, "today", lambda: date(2016, 11, 5))
    assert _dates(runner, "timeline", "--from", "last month") == ["2016-10-16"]
    assert _dates(runner, "timeline", "--to", "last year", "--from", "2015") == ["2015-12-15"]
    # a relative period and --from/--to: the days both cover
    assert _dates(runner, "timeline", "this year", "--to", "2016-06") == ["2016-03-14"]


def test_a_wrong_relative_date_is_a_usage_error(runner: CliRunner, today: date) -> None:
    result = run(runner, "timeline", "--from", "3 weeks ago")
    assert result.exit_code == 2
    assert "'3 weeks ago' is not a date: use YYYY" in result.stderr


# --color

COLOUR = r"\x1b\[(?:\d+;)*3\dm"  # a foreground colour


def test_color_always_styles_piped_output_whatever_no_color_says() -> None:
    runner = CliRunner(env={"NO_COLOR": "1", "FORCE_COLOR": None, "COLUMNS": "100"})
    result = run(runner, "--color", "always", "show", "2016-03-14")
    assert re.search(COLOUR, result.stdout)  # colour, not only bold: NO_COLOR is beaten
    after = run(runner, "show", "2016-03-14", "--color=always")  # after the command too
    assert "\x1b[" in after.stdout


def test_color_never_gives_no_style_on_a_forced_terminal() -> None:
    runner = CliRunner(env={"NO_COLOR": None, "FORCE_COLOR": "1", "COLUMNS": "100"})
    assert "\x1b[" in run(runner, "show", "2016-03-14").stdout  # forced: styled
    result = run(runner, "show", "2016-03-14", "--color", "never")
    assert result.exit_code == 0 and "2016-03-14" in result.stdout
    assert "\x1b" not in result.stdout


# export -o


def test_export_to_a_file_writes_what_stdout_would_and_prints_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "space.ics"
    result = run(runner, "export", "2016", "--output", str(target))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    expected = run(runner, "export", "2016").stdout
    assert target.read_text("utf-8") == expected  # CliRunner gives \r\n as \n
    assert b"\r\n" in target.read_bytes()  # ics lines kept as written
    assert [p.name for p in tmp_path.iterdir()] == ["space.ics"]


def test_export_to_a_dash_writes_to_stdout(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As curl -o - and tar -f - have it: no file named "-" is made.
    monkeypatch.chdir(tmp_path)
    result = run(runner, "export", "2016", "-f", "csv", "-o", "-")
    assert (result.exit_code, result.stdout) == (
        0,
        run(runner, "export", "2016", "-f", "csv").stdout,
    )
    assert result.stdout.startswith("date,") and not list(tmp_path.iterdir())


def test_export_of_no_event_to_a_file_writes_the_header_and_exits_1(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "none.csv"
    result = run(runner, "export", "1990", "-f", "csv", "-o", str(target))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "spacenews: no events match in 1990-01-01 to 1990-12-31\n"
    assert target.read_text("utf-8") == "date,headline,entities,url,body,id,documents,end_date\n"


def test_export_to_a_file_it_cannot_write_is_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = Path("missing", "space.ics")
    result = run(runner, "export", "-o", str(target))
    assert (result.exit_code, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert line.startswith(f"spacenews: error: cannot write {target}: ")
    assert not target.parent.exists()


def test_export_failing_midway_leaves_no_file_and_no_temporary_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def disk_full(handle: int) -> None:
        seen.extend(path.name for path in tmp_path.iterdir())
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)  # once the data is written, before the rename
    result = run(runner, "export", "-o", str(tmp_path / "new.ics"))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "No space left on device" in result.stderr
    assert list(tmp_path.iterdir()) == []
    [temporary] = seen  # written beside the file, so that the rename never crosses a disk
    assert temporary.startswith(".new.ics.") and temporary.endswith(".tmp")
    # an existing file stays as it was: whole or not at all
    old = tmp_path / "old.csv"
    old.write_text("kept\n")
    assert run(runner, "export", "-f", "csv", "-o", str(old)).exit_code == 2
    assert [p.name for p in tmp_path.iterdir()] == ["old.csv"] and old.read_text() == "kept\n"


def test_export_over_a_file_keeps_its_permissions(runner: CliRunner, tmp_path: Path) -> None:
    old = tmp_path / "events.csv"
    old.write_text("old\n")
    old.chmod(0o640)
    assert run(runner, "export", "-f", "csv", "-o", str(old)).exit_code == 0
    assert old.read_text("utf-8").startswith("date,headline")
    assert old.stat().st_mode & 0o777 == 0o640


@pytest.mark.skipif(sys.platform == "win32", reason="a FIFO")
def test_export_into_a_fifo_writes_into_it(runner: CliRunner, tmp_path: Path) -> None:
    # As `> pipe.csv` writes: into the FIFO, which stays one, not a file renamed over it.
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []
    # Open for writing too (Linux allows it), so that the reader's open does not wait for
    # spacenews, and its read ends once this closes, whatever spacenews did.
    keeper = os.open(fifo, os.O_RDWR)
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    try:
        result = run(runner, "export", "2016", "-f", "csv", "-o", str(fifo))
    finally:
        os.close(keeper)
        reader.join(10)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert got == [run(runner, "export", "2016", "-f", "csv").stdout.encode()]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe.csv"]


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="no /dev/stdout")
@pytest.mark.parametrize("name", ["/dev/stdout", "/proc/self/fd/1", "/dev/fd/1"])
def test_export_into_dev_stdout_appended_to_a_file_appends(name: str, tmp_path: Path) -> None:
    # `export -o /dev/stdout >> log`: the results go where stdout goes, after what the log
    # held. Through the link, the log itself was replaced by a file holding the export alone.
    import subprocess

    from .conftest import CONSOLE_SCRIPT

    log = tmp_path / "log.csv"
    log.write_text("before\n")
    args = ["export", "2016", "-f", "csv"]
    with log.open("a") as appended:
        done = subprocess.run(
            [*CONSOLE_SCRIPT, *args, "-o", name], stdout=appended, stderr=subprocess.PIPE
        )
    assert (done.returncode, done.stderr) == (0, b"")
    exported = subprocess.run([*CONSOLE_SCRIPT, *args], capture_output=True, check=True).stdout
    assert log.read_bytes() == b"before\n" + exported
    assert [p.name for p in tmp_path.iterdir()] == ["log.csv"]


def test_export_into_a_device_that_fails_is_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file that is not a regular one (here a FIFO) is opened and written, and opening it
    # gives /dev/full (opened for writing, as `> /dev/full` opens it: never replaced).
    monkeypatch.chdir(tmp_path)  # a short name, said whole in the message
    device = Path("full")
    os.mkfifo(device)
    real_open = Path.open

    def full(self: Path, *args: Any, **kwargs: Any) -> Any:
        return real_open(Path("/dev/full") if self == device else self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", full)
    result = run(runner, "export", "-f", "csv", "-o", str(device))
    assert (result.exit_code, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert line.startswith("spacenews: error: cannot write full: No space left on device")
    assert line.endswith("No space left on device (see spacenews export --help)")
    assert stat.S_ISFIFO(device.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["full"]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_export_through_a_link_writes_its_target_and_keeps_the_link(
    runner: CliRunner, tmp_path: Path
) -> None:
    expected = run(runner, "export", "2016", "-f", "csv").stdout
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    (there / "target.txt").write_text("old\n")
    (there / "target.txt").chmod(0o640)
    (here / "link.csv").symlink_to(Path("..", "there", "target.txt"))
    (here / "new.csv").symlink_to(there / "new.csv")  # to a file not made yet
    for link in ("link.csv", "new.csv"):
        result = run(runner, "export", "2016", "-f", "csv", "-o", str(here / link))
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
        assert (here / link).is_symlink() and (here / link).read_text("utf-8") == expected
    assert (there / "target.txt").stat().st_mode & 0o777 == 0o640
    # written beside the target, then renamed: no temporary file left in either folder
    assert sorted(p.name for p in here.iterdir()) == ["link.csv", "new.csv"]
    assert sorted(p.name for p in there.iterdir()) == ["new.csv", "target.txt"]
    (here / "loop").symlink_to("loop")
    result = run(runner, "export", "-o", str(here / "loop"))
    assert result.exit_code == 2 and "Too many levels of symbolic links" in result.stderr
    assert (here / "loop").is_symlink()


# open


@pytest.fixture
def editor(tmp_path: Path) -> tuple[str, Path]:
    """A fake editor: a command line (with an argument of its own) that records the
    arguments it was called with, one per line."""
    record = tmp_path / "called.txt"
    script = tmp_path / "fake editor.py"
    script.write_text(
        "import sys\n"
        f"with open({str(record)!r}, 'a') as out:\n"
        "    out.write('\\n'.join(sys.argv[1:]) + '\\n---\\n')\n"
    )
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} --wait", record


def _calls(record: Path) -> list[list[str]]:
    return [call.strip("\n").split("\n") for call in record.read_text().split("---\n")[:-1]]


def test_open_a_date_opens_its_events_files_in_one_editor_call(
    editor: tuple[str, Path],
) -> None:
    command, record = editor
    runner = CliRunner(env={"SPACENEWS_CORPUS": None, "VISUAL": command, "EDITOR": "false"})
    result = run(runner, "open", "2016-03-14")
    assert (result.exit_code, result.stdout) == (0, "")
    seeds = [str(SEEDS / SEED_000), str(SEEDS / SEED_001)]
    assert _calls(record) == [["--wait", *seeds]]  # $VISUAL, split as a shell would


def test_open_falls_back_to_editor_and_opens_by_id(
    editor: tuple[str, Path],
) -> None:
    command, record = editor
    runner = CliRunner(env={"SPACENEWS_CORPUS": None, "VISUAL": "", "EDITOR": command})
    assert run(runner, "open", SEED_002).exit_code == 0
    assert run(runner, "open", EXOMARS_ID).exit_code == 0
    opened = [str(SEEDS / SEED_000), str(SEEDS / SEED_001)]
    assert _calls(record) == [["--wait", str(SEEDS / SEED_002)], ["--wait", *opened]]


def test_open_finds_a_file_given_as_the_corpus(runner: CliRunner) -> None:
    seed = SEEDS / SEED_002
    result = run(runner, "--corpus", str(seed), "open", SEED_002, "--path")
    assert result.stdout == f"{seed}\n"


def test_open_path_prints_the_paths_one_per_line(runner: CliRunner) -> None:
    result = run(runner, "open", "2016", "--path")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [str(SEEDS / SEED_000), str(SEEDS / SEED_001)]


def test_open_finds_the_file_in_the_corpus_given(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    page = tmp_path / "news" / "day.md"
    page.write_text("### [2020-05-30](/news/2020/05/30/index.md)\n\n# Crew Dragon launches.\n")
    corpora = ["--corpus", str(tmp_path), "--corpus", str(SEEDS)]
    result = run(runner, *corpora, "open", "2020-05-30", "--path")
    assert result.stdout == f"{page}\n"  # from the corpus path that holds it


def test_open_takes_a_corpus_file_by_its_path_from_here(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As check prints a file's path, absolute or from here: a feed, whose items are events,
    # is no document, and opens too; a file outside the corpus paths does not.
    news = tmp_path / "news"
    (news / "feeds").mkdir(parents=True)
    feed = news / "feeds" / "nasa.json"
    feed.write_text('{"version": "https://jsonfeed.org/version/1.1", "title": "NASA", "items": []}')
    (news / "note.txt").write_text("A note\n\nMars is red.\n")
    (tmp_path / "outside.txt").write_text("Outside\n\nNot in the corpus.\n")
    monkeypatch.chdir(tmp_path)
    for target in [str(feed), "news/feeds/nasa.json"]:
        result = run(runner, "--corpus", str(news), "open", target, "--path")
        assert (result.exit_code, result.stdout) == (0, f"{target}\n")
    result = run(runner, "--corpus", str(news), "open", "outside.txt", "--path")
    assert result.exit_code == 2 and "nor is it an event id, a document path or a corpus file" in (
        result.stderr
    )


def test_open_without_an_editor_is_one_line_and_exit_2() -> None:
    runner = CliRunner(env={"SPACENEWS_CORPUS": None, "VISUAL": None, "EDITOR": None})
    result = run(runner, "open", "2016-03-14")
    assert (result.exit_code, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert line.startswith("spacenews: error: no editor: set $VISUAL or $EDITOR")


def test_open_nothing_or_no_date_says_so(editor: tuple[str, Path]) -> None:
    command, record = editor
    runner = CliRunner(env={"SPACENEWS_CORPUS": None, "VISUAL": command})
    nothing = run(runner, "open", "1999")
    assert (nothing.exit_code, nothing.stdout) == (1, "")
    assert nothing.stderr == "spacenews: no events in 1999-01-01 to 1999-12-31: nothing to open\n"
    wrong = run(runner, "open", "2016-02-30")
    assert wrong.exit_code == 2 and "2016-02 has no day 30" in wrong.stderr
    assert not record.exists()


def test_an_editor_that_fails_gives_exit_1(runner: CliRunner) -> None:
    runner = CliRunner(env={"SPACENEWS_CORPUS": None, "VISUAL": "false"})
    result = run(runner, "open", "2016-03-14")
    assert result.exit_code == 1
    assert "the editor (false) exited with status 1" in result.stderr


# Help written for people.

PARSER_INTERNALS = re.compile(
    r"<[a-z]+(?: range)?>"  # <str>, <int range>, <ics|csv|markdown>
    r"|<[a-z|]+>"
    r"|\[x?[<>]=?"  # [x>=0]
    r"|[<>]=x"  # [0<=x<=9]
    r"|\{[a-zA-Z_.|]+\}"  # {entity}, {query}...
    r"|\bTEXT\b|\bINTEGER\b|\bFLOAT\b"
)
HELPS = ["", *COMMANDS, "cache"]


@pytest.mark.parametrize("command", HELPS)
def test_help_shows_no_parser_internals_and_points_to_the_global_options(
    runner: CliRunner, command: str
) -> None:
    result = run(runner, *command.split(), "--help")
    assert result.exit_code == 0
    assert PARSER_INTERNALS.findall(result.stdout) == []
    # nothing cut short: click ends a command's description with "..." where it is too long
    assert [line for line in result.stdout.splitlines()[1:] if line.endswith("...")] == []
    # the usage line names arguments by their metavars: ENTITY, [PERIOD], WORDS..., DATE|ID
    usage = result.stdout.splitlines()[0].split()[2 + len(command.split()) :]
    assert all(re.fullmatch(r"\[?[A-Z|]+\]?(\.\.\.)?", word) for word in usage), usage
    if command:
        assert GLOBALS_POINTER in result.stdout


def test_the_parser_internals_pattern_finds_them() -> None:
    internals = "<str>  <int range>  [x>=0]  {entity}  {query}...  <ics|csv|markdown>  TEXT"
    assert len(PARSER_INTERNALS.findall(internals)) == 7


def _examples(text: str) -> list[str]:
    """The lines under "Examples:", up to the next section."""
    lines = []
    for line in text.split("Examples:\n", 1)[1].splitlines():
        if line and not line.startswith(" "):
            break
        lines += [line] if line.strip() else []
    return lines


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_examples_are_laid_out_the_same_way_everywhere(runner: CliRunner, command: str) -> None:
    text = run(runner, *command.split(), "--help").stdout
    docstring = (COMMANDS[command] if command else _global).__doc__ or ""
    written = [line.strip() for line in _examples(inspect.cleandoc(docstring))]
    assert written
    # each example whole on its line, never wrapped, indented as every other one
    assert _examples(text) == [f"      {example}" for example in written]


def test_help_never_breaks_an_option_name_across_lines(runner: CliRunner) -> None:
    text = run(runner, "cache", "path", "--help").stdout
    assert "--no-cache have none" in " ".join(text.split())
    assert "--no-\n" not in text


@pytest.mark.parametrize(
    ("upper", "lower"),
    [
        (["export", "--format", "CSV"], ["export", "--format", "csv"]),
        (["timeline", "--by", "Year", "--json"], ["timeline", "--by", "year", "--json"]),
        (
            ["search", "mars", "--sort", "DATE", "--json"],
            ["search", "mars", "--sort", "date", "--json"],
        ),
        (["--color", "NEVER", "timeline"], ["--color", "never", "timeline"]),
    ],
    ids=lambda args: " ".join(args),
)
def test_a_choice_is_taken_in_any_case(
    runner: CliRunner, upper: list[str], lower: list[str]
) -> None:
    # Found by a newcomer's try-out: --format CSV was a usage error; no two choices differ
    # only in their case.
    asked = run(runner, *upper)
    assert (asked.exit_code, asked.stdout) == (0, run(runner, *lower).stdout)
