"""Made for people: period grammar, on this day, charts, exports, completion, schemas, pager."""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from spacenews.cli import app
from spacenews.options import complete_date, complete_entity
from spacenews.schema import SCHEMAS

from .conftest import CONSOLE_SCRIPT, FIXTURES, generate_module, run, run_json


def dates(items: list[dict[str, Any]]) -> list[str]:
    return [item["date"] for item in items]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--from", "2004", "--to", "2014-04"],
            ["2004-01-19", "2004-01-23", "2012-12-19", "2013-07-02", "2014-04-16"],
        ),
        (["2004..2014-04"], ["2004-01-19", "2004-01-23", "2012-12-19", "2013-07-02", "2014-04-16"]),
        (["..2003"], ["2003-06-02", "2003-12-19"]),
        (["2016.."], ["2016-03-14", "2016-10-16"]),
        (["2016-3..2016-6"], ["2016-03-14"]),
        (["2010..", "--to", "2013"], ["2012-12-19", "2013-07-02"]),
        (["--on", "03-14"], ["2016-03-14"]),
        (["--on", "12-19"], ["2003-12-19", "2012-12-19"]),
    ],
)
def test_period_grammar(runner: CliRunner, args: list[str], expected: list[str]) -> None:
    assert dates(run_json(runner, "timeline", *args)) == expected


@pytest.mark.parametrize(
    "args",
    [["2016-13"], ["2016..2010"], [".."], ["--from", "soon"], ["--on", "02-30"], ["--on", "3/14"]],
)
def test_invalid_periods_are_errors_not_match_all(runner: CliRunner, args: list[str]) -> None:
    result = run(runner, "timeline", *args, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("spacenews: error: invalid")


def test_show_takes_ranges(runner: CliRunner) -> None:
    items = run_json(runner, "show", "2003-12..2004-01")
    assert dates(items) == ["2003-12-19", "2004-01-19", "2004-01-23"]


def test_caption_says_range_and_count(runner: CliRunner) -> None:
    result = run(runner, "timeline", "--from", "2004", "--to", "2014-04")
    assert "5 events, 2004-01-01 to 2014-04-30" in result.stdout
    # Found by a newcomer's try-out: with a limit it counted the events shown, not matched.
    limited = run(runner, "timeline", "--from", "2004", "--to", "2014-04", "--limit", "2")
    assert limited.stdout.rstrip().endswith("\n2 of 5 events, 2004-01-01 to 2014-04-30")
    assert run(runner, "timeline", "--limit", "10").stdout.rstrip().endswith("\n10 events")


@pytest.mark.parametrize("command", ["timeline", "show", "search", "related", "export"])
def test_since_and_until_are_from_and_to(runner: CliRunner, command: str) -> None:
    # Found by a newcomer's try-out: git log's --since 2016 was refused (did you mean --json?).
    asked = {"show": ["2016"], "search": ["European"], "related": ["ESA"]}.get(command, [])
    answer = {"export": ["--format", "csv"]}.get(command, ["--json"])
    given = run(runner, command, *asked, "--since", "2016-03", "--until", "2016-09", *answer)
    assert given.exit_code == 0 and given.stdout
    assert (
        given.stdout
        == run(runner, command, *asked, "--from", "2016-03", "--to", "2016-09", *answer).stdout
    )
    assert given.stdout != run(runner, command, *asked, *answer).stdout


@pytest.mark.parametrize("columns", [40, 60, 100])
def test_a_chart_keeps_its_headings_and_its_bars_proportions_when_narrow(columns: int) -> None:
    # Found by a newcomer's try-out: at 60 columns the bars kept 40 cells and the count's
    # heading was cut to "Eve…"; with --mentions it said "Events" of events and mentions.
    runner = CliRunner(env={"COLUMNS": str(columns), "NO_COLOR": "1", "SPACENEWS_CORPUS": None})
    table = runner.invoke(app, ["timeline", "--by", "decade"]).stdout
    assert "┃ Period ┃ Events ┃" in table and max(map(len, table.splitlines())) <= columns
    bars = [line.count("█") for line in table.splitlines() if "█" in line]
    assert bars[1] == min(40, columns - 22) and bars[0] == round(bars[1] * 4 / 6)  # 4 and 6
    mentions = runner.invoke(app, ["timeline", "2016", "--by", "year", "--mentions"]).stdout
    assert "┃ Period ┃ Items ┃" in mentions and "5 items by year" in mentions


def test_chart_by_year(runner: CliRunner) -> None:
    counts = run_json(runner, "timeline", "--by", "year")
    assert counts[0] == {"period": "2003", "count": 2}
    assert counts[-1] == {"period": "2016", "count": 2}
    assert len(counts) == 14  # 2003 to 2016, empty years included
    table = run(runner, "timeline", "--by", "year").stdout
    bars = [line for line in table.splitlines() if "█" in line]
    assert len(bars) == 7  # one bar per year that has events
    assert {"period": "2000s", "count": 4} in run_json(runner, "timeline", "--by", "decade")
    months = run_json(runner, "timeline", "--by", "month", "2016")
    assert [m["period"] for m in months][:3] == ["2016-01", "2016-02", "2016-03"]


def test_export_ics_is_a_valid_calendar(runner: CliRunner) -> None:
    result = run(runner, "export", "--format", "ics")
    assert result.exit_code == 0
    assert b"\r\n" in result.stdout_bytes  # RFC 5545 lines end in CRLF
    calendar = Calendar.from_ical(result.stdout)
    events = calendar.walk("VEVENT")
    assert len(events) == 10
    launch = next(e for e in events if str(e["UID"]).startswith("2016-03-14/"))
    assert launch.decoded("DTSTART").isoformat() == "2016-03-14"
    assert launch.decoded("DTEND").isoformat() == "2016-03-15"
    assert str(launch["URL"]) == "http://www.bbc.com/news/science-environment-35800975"
    again = run(runner, "export", "--format", "ics").stdout
    assert again == result.stdout  # stable UIDs and stamps


def test_export_csv(runner: CliRunner) -> None:
    rows = list(csv.reader(io.StringIO(run(runner, "export", "--format", "csv").stdout)))
    assert rows[0] == ["date", "headline", "entities", "url", "body", "id", "documents", "end_date"]
    assert len(rows) == 11
    assert rows[9][0] == "2016-03-14" and rows[9][3].startswith("http://www.bbc.com")


def test_export_takes_the_timeline_filters(runner: CliRunner) -> None:
    rows = list(
        csv.reader(
            io.StringIO(run(runner, "export", "-f", "csv", "--entity", "Mars Express").stdout)
        )
    )
    assert len(rows) == 5
    report = run(runner, "export", "--format", "markdown", "2016").stdout
    assert report.startswith("# Space news\n") and "## 2016" in report and "## 2003" not in report
    assert "[BBC](<http://www.bbc.com/news/science-environment-35800975>)" in report


def test_export_csv_and_markdown_defuse_document_text(runner: CliRunner, tmp_path: Any) -> None:
    page = (
        '### [2020-01-02](/news/2020/01/2/index.md)\n\n# =HYPERLINK("x") [click](http://evil) *x*\n'
    )
    (tmp_path / "p.md").write_text(page)
    rows = list(
        csv.reader(io.StringIO(run(runner, "-c", str(tmp_path), "export", "-f", "csv").stdout))
    )
    assert rows[1][1].startswith("'=")
    report = run(runner, "-c", str(tmp_path), "export", "-f", "markdown").stdout
    assert "\\[click\\]" in report and "\\*x\\*" in report


@pytest.mark.parametrize(
    "url", ["javascript:alert%281%29", "data:text/html;base64,PHM+", "file:///etc/passwd"]
)
def test_exports_link_only_web_sources(runner: CliRunner, tmp_path: Any, url: str) -> None:
    # Found by a newcomer's try-out: a source [Evil](javascript:...) became a live link in
    # the Markdown report and the calendar's URL, where show makes none.
    page = (
        "### [2020-01-02](/news/2020/01/2/index.md)\n\n# A launch\n\n"
        f"### Sources:\n\n1. [Evil]({url})\n2. [ESA](https://www.esa.int/a)\n"
    )
    (tmp_path / "p.md").write_text(page)
    report = run(runner, "-c", str(tmp_path), "export", "-f", "markdown").stdout
    assert f"- Evil ({url})\n" in report and f"]({url}" not in report
    assert f"<{url}>" not in report and "[ESA](<https://www.esa.int/a>)" in report
    calendar = run(runner, "-c", str(tmp_path), "export", "-f", "ics").stdout
    (entry,) = Calendar.from_ical(calendar).walk("VEVENT")
    assert "URL" not in entry and f"Evil: {url}" in str(entry["DESCRIPTION"])


@pytest.mark.parametrize(
    ("asked", "printed"),
    [
        (["--json"], ["--json"]),
        (["--jsonl", "--entity", "Mars"], ["--jsonl", "--entity", "Mars"]),
        (["-f", "JSON", "2016", "--reverse"], ["--json", "2016", "--reverse"]),
        (["--format", "jsonl", "--on", "03-14"], ["--jsonl", "--on", "03-14"]),
        (["--json", "2030"], ["--json", "2030"]),
    ],
)
def test_export_json_is_what_timeline_prints(
    runner: CliRunner, tmp_path: Any, asked: list[str], printed: list[str]
) -> None:
    # --json and --jsonl on every command, export too: its events as timeline gives them.
    exported, listed = run(runner, "export", *asked), run(runner, "timeline", *printed)
    assert (exported.exit_code, exported.stdout) == (listed.exit_code, listed.stdout)
    assert exported.stdout.strip() not in ("", "[]") or listed.exit_code == 1
    target = tmp_path / "events.json"
    saved = run(runner, "export", *asked, "-o", str(target))
    assert (saved.exit_code, saved.stdout) == (listed.exit_code, "")
    assert target.read_text("utf-8") == listed.stdout


@pytest.mark.parametrize(
    "args", [["--jsonl", "--format", "csv"], ["-f", "ics", "--json"], ["--json", "-f", "jsonl"]]
)
def test_export_json_with_another_format_is_a_usage_error(
    runner: CliRunner, args: list[str]
) -> None:
    # Found by a review: export --jsonl --format csv wrote JSON Lines, the --format given
    # dropped without a word.
    result = run(runner, "export", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert "cannot be used together" in result.stderr and len(result.stderr.splitlines()) == 1
    assert run(runner, "export", "--json", "-f", "json").exit_code == 0  # the same: no harm


def test_csv_and_markdown_exports_give_an_events_last_day(runner: CliRunner, tmp_path: Any) -> None:
    # Found by a newcomer's try-out: only ics and --json kept an end_date.
    post = "---\ntitle: Span\neventdate: 2025-07-01\nend_date: 2025-07-07\n---\nx\n"
    (tmp_path / "a.md").write_text(post)
    (tmp_path / "b.md").write_text("---\ntitle: Day\neventdate: 2025-07-02\n---\ny\n")
    rows = list(
        csv.DictReader(io.StringIO(run(runner, "-c", str(tmp_path), "export", "-f", "csv").stdout))
    )
    assert [(row["date"], row["end_date"]) for row in rows] == [
        ("2025-07-01", "2025-07-07"),
        ("2025-07-02", ""),
    ]
    report = run(runner, "-c", str(tmp_path), "export", "-f", "markdown").stdout
    assert "- **2025-07-01..2025-07-07** Span\n" in report and "- **2025-07-02** Day\n" in report


def test_completion_of_entities_and_dates(runner: CliRunner) -> None:
    ctx = app_context()
    assert "Mars Express" in complete_entity(ctx, "Mars")
    assert "mars express" in complete_entity(ctx, "mars e")  # as typed: Typer keeps only those
    assert complete_date(ctx, "2016-0") == ["2016-03", "2016-03-14"]


def test_completion_through_the_shell_protocol(runner: CliRunner) -> None:
    env = {
        "_SPACENEWS_COMPLETE": "complete_bash",
        "COMP_WORDS": "spacenews related Mars",
        "COMP_CWORD": "2",
    }
    result = CliRunner(env=env).invoke(app, [], prog_name="spacenews")
    assert "Mars\\ Express" in result.stdout.splitlines()  # one word to bash


def app_context() -> Any:
    import typer.main

    command = typer.main.get_command(app)
    return command.make_context("spacenews", ["timeline"], resilient_parsing=True)


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("timeline", []),
        ("timeline", ["--mentions"]),
        ("timeline", ["--by", "year"]),
        ("show", ["2016-03-14"]),
        ("related", ["ExoMars"]),
        ("search", ["Mars"]),
        ("entities", []),
        ("check", []),
    ],
)
def test_json_output_follows_its_schema(runner: CliRunner, command: str, args: list[str]) -> None:
    output = run_json(runner, command, *args)
    assert output or command == "check"
    Draft202012Validator(SCHEMAS[command]).validate(output)


def test_schemas_are_valid_and_printed(runner: CliRunner) -> None:
    for name, schema in SCHEMAS.items():
        Draft202012Validator.check_schema(schema)
        assert json.loads(run(runner, "schema", name).stdout) == schema
    assert run(runner, "schema", "nope").exit_code == 2
    assert json.loads(run(runner, "schema", "cache", "info").stdout) == SCHEMAS["cache info"]


def test_front_matter_output_follows_schema(runner: CliRunner) -> None:
    output = run_json(runner, "-c", str(FIXTURES / "corpus"), "related", "AMSAT")
    Draft202012Validator(SCHEMAS["related"]).validate(output)


def test_pager_only_on_a_terminal(runner: CliRunner) -> None:
    result = run(runner, "--pager", "timeline")
    assert result.exit_code == 0 and "2016-10-16" in result.stdout


def _paged(pager: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run the console script with stdout on a pseudo-terminal and the given $PAGER."""
    import pty

    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "SPACENEWS_CORPUS")}
    env |= {"PAGER": pager, "COLUMNS": "100", "TERM": "xterm-256color"}
    command = [*CONSOLE_SCRIPT, "--pager", *args]
    try:
        return subprocess.run(
            command, stdout=secondary, stderr=subprocess.PIPE, env=env, check=False
        )
    finally:
        os.close(secondary)
        os.close(primary)


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_the_pager_gets_the_answer_in_colour_without_links(tmp_path: Path) -> None:
    paged = tmp_path / "paged"
    result = _paged(f"cat > {shlex.quote(str(paged))}", "show", "2016-03-14")
    assert result.returncode == 0 and result.stderr == b""
    text = paged.read_text("utf-8")
    assert "\x1b[" in text and "http://www.bbc.com/news" in text  # coloured, sources shown
    assert "\x1b]8;" not in text  # a pager may show a hyperlink's codes as text


class _Pager:
    """A pager process that keeps what it is sent, open or closed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.stdin = _Kept()

    def wait(self) -> int:
        return 0


class _Kept(io.BytesIO):
    def close(self) -> None:
        pass


def test_the_pager_gets_each_part_as_it_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from spacenews.pager import open_pager
    from spacenews.render.listing import Column, Listing
    from spacenews.terminal import print_parts

    monkeypatch.setattr(subprocess, "Popen", _Pager)
    seen: list[bytes] = []

    def rows(stdin: io.BytesIO) -> Iterator[list[str]]:
        for number in range(1000):
            if number == 500:
                seen.append(stdin.getvalue())
            yield ["2016-03-14", f"event {number}"]

    columns = [Column("Date", no_wrap=True, width=10), Column("Headline", ratio=1)]
    with open_pager("less", Console(width=60)) as console:
        stdin = console.file.buffer  # type: ignore[attr-defined]
        print_parts(console, Listing(columns, rows(stdin), "1000 events"), whole=False)
    assert b"event 399" in seen[0] and b"event 500" not in seen[0]
    assert b"event 999" in stdin.getvalue()


@pytest.mark.skipif(sys.platform == "win32", reason="an executable file found on PATH")
def test_the_pager_is_pager_else_less_else_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from spacenews.pager import pager_command

    monkeypatch.setenv("PAGER", "most -s")
    assert pager_command() == "most -s"
    monkeypatch.delenv("PAGER")
    (tmp_path / "less").write_text("#!/bin/sh\n")
    (tmp_path / "less").chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert pager_command() == "less"
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert pager_command() is None  # then the answer is printed as without --pager


def test_ctrl_c_leaves_the_pager_in_charge(monkeypatch: pytest.MonkeyPatch) -> None:
    # Ctrl-C reaches the pager and spacenews alike: the rest of the answer is given up, and
    # the command waits for the pager, which keeps the terminal, before it ends.
    from rich.console import Console

    from spacenews.pager import open_pager

    waited: list[bool] = []
    monkeypatch.setattr(_Pager, "wait", lambda self: waited.append(True) or 0)
    monkeypatch.setattr(subprocess, "Popen", _Pager)
    try:
        with open_pager("less", Console(width=60)) as console:
            console.print("first")
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C went past the pager")
    assert waited == [True]
    assert console.file.buffer.getvalue() == b"first\n"  # type: ignore[attr-defined]


def _screen(pager: str | None, *args: str) -> tuple[int, str, str]:
    """Run the console script on a pseudo-terminal, with --pager and this $PAGER unless it is
    None: its exit code, what it said on stderr, and what the terminal shows (its lines
    without styles, links or trailing spaces)."""
    import pty
    import re
    import select

    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "SPACENEWS_CORPUS")}
    env |= {"PAGER": pager or "", "COLUMNS": "100", "TERM": "xterm-256color"}
    command = [*CONSOLE_SCRIPT, *(["--pager"] if pager is not None else []), *args]
    shown = bytearray()
    try:
        with subprocess.Popen(
            command, stdout=secondary, stderr=subprocess.PIPE, env=env
        ) as process:
            # Read as it comes, a moment longer once it ended (a terminal passes it on late).
            while True:
                if select.select([primary], [], [], 0.2)[0]:
                    shown += os.read(primary, 65536)
                elif process.poll() is not None:
                    break
            assert process.stderr is not None
            said = process.stderr.read().decode()
    finally:
        os.close(secondary)
        os.close(primary)
    text = re.sub(r"\x1b\[[0-9;]*m|\x1b]8;[^\x1b]*\x1b\\", "", shown.decode())
    return process.returncode, said, "\n".join(line.rstrip() for line in text.splitlines())


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
@pytest.mark.parametrize("pager", ["false", "no-such-pager-here"])
@pytest.mark.parametrize("size", ["short", "long"])
def test_a_pager_that_fails_at_once_leaves_the_answer_to_the_terminal(
    pager: str, size: str, tmp_path: Path
) -> None:
    # As git does when its pager cannot run: the answer is shown without it, said on stderr.
    # A long answer is more than a pipe holds: the pager's end is seen while writing it.
    generate_module.generate(600 if size == "long" else 3, tmp_path)
    args = ["--corpus", str(tmp_path), "timeline"]
    code, said, shown = _screen(pager, *args)
    assert code == 0 and shown == _screen(None, *args)[2]
    assert said.endswith(
        f"spacenews: the pager ({pager}) exited with status {1 if pager == 'false' else 127}:"
        " the answer is shown without it\n"
    )
    assert said.count("\n") == (1 if pager == "false" else 2)  # the shell's own "not found"


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
@pytest.mark.parametrize("pager", ["true", "head -c 100 > /dev/null"])
def test_quitting_the_pager_early_ends_the_answer_quietly(pager: str, tmp_path: Path) -> None:
    # A long answer: more than a pipe holds, so that writing to a pager gone fails.
    generate_module.generate(600, tmp_path)
    result = _paged(pager, "--corpus", str(tmp_path), "timeline")
    assert (result.returncode, result.stderr) == (0, b"")


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_a_pager_that_fails_after_it_was_read_does_not_show_the_answer_again(
    tmp_path: Path,
) -> None:
    # Found by a review: a pager that showed the answer, then ended with an error status
    # (less -K quit with Ctrl-C), had the answer shown a second time on the terminal.
    generate_module.generate(3, tmp_path)
    args = ["--corpus", str(tmp_path), "timeline"]
    code, said, shown = _screen("cat; sleep 1.5; exit 2", *args)
    assert (code, said) == (0, "")
    assert shown == _screen(None, *args)[2]  # once, by the pager
