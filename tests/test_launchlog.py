"""The launch-log handler: one event per launch, its payloads, its site by name."""

from __future__ import annotations

import shutil
from itertools import pairwise
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews.loader import load_corpus
from spacenews.model import Problem
from spacenews.parse import handlers, parse_text
from spacenews.parse.launchlog import site_names

from .conftest import FIXTURES, run_json

SAMPLE = FIXTURES / "parse" / "launchlog_sample.txt"
HEADER = SAMPLE.read_text("utf-8").split("\n")[:2]


def _launches(text: str) -> int:
    return sum(1 for line in text.split("\n") if line[:1] not in ("", " ", "#"))


def test_the_log_is_told_by_its_header_not_its_name(tmp_path: Path) -> None:
    renamed = tmp_path / "log.md"
    shutil.copy(SAMPLE, renamed)
    text = renamed.read_text("utf-8")
    assert next(h.name for h in handlers() if h.detect(text)) == "launch-log"
    assert next(h.name for h in handlers() if h.detect("# Launch\n" + text)) != "launch-log"


def test_each_launch_is_one_event_with_its_payloads() -> None:
    text = SAMPLE.read_text("utf-8")
    parsed = parse_text(text, "log.txt")
    # One launch of the fixture has a date that is no day: a problem, not an event.
    assert len(parsed.records) == _launches(text) - 1
    assert [(p.line, p.reason[:16]) for p in parsed.problems] == [(20, "launch 1962-X99:")]
    poppy = next(r for r in parsed.records if r.date.isoformat() == "1962-12-13")
    assert poppy.entities == [
        "Thor Agena D",
        "NRL PL120",
        "Injun 3",
        "Calsphere 1",
        "SURCAL 2",
        "NRL PL121",
        "WILD BILL 2",
        "Vandenberg",
    ]
    assert poppy.body.endswith("from Vandenberg (pad 75-1-1). It reached orbit.")


def test_a_failure_says_so_and_a_launch_without_time_keeps_its_day() -> None:
    parsed = parse_text(SAMPLE.read_text("utf-8"), "log.txt")
    by_day = {r.date.isoformat(): r for r in parsed.records}
    assert by_day["1959-04-14"].headline.startswith("Vanguard fails to orbit Vanguard and")
    assert by_day["1959-04-14"].body.endswith("It failed.")
    assert by_day["1958-07-25"].body.startswith("Launch 1958-F07: Project Pilot (serial 1)")
    assert " at 19:28:34 UTC: " in by_day["1957-10-04"].body


def test_site_codes_are_named_by_the_shipped_table() -> None:
    sites = site_names()
    assert sites["NIIP-5"] == sites["GIK-5"] == "Baikonur Cosmodrome"
    assert sites["CC"] == "Cape Canaveral"
    first = parse_text(SAMPLE.read_text("utf-8"), "log.txt").records[0]
    assert first.headline == "Sputnik 8K71PS launches 1-y ISZ from Baikonur Cosmodrome"


def test_columns_are_where_the_header_marks_them() -> None:
    # A log laid out with every column two characters wider than the sample's.
    marks = [n for n, char in enumerate(HEADER[1]) if char == "#"]
    wide = [mark + 2 * index for index, mark in enumerate(marks)]
    row = ["2020-001", "2020 Jan  7 0219:21", "2020-001A", "Starlink v1.0 L2 1", "Starlink"]
    row += ["S44914", "Falcon 9", "B1049.4", "CC  SLC40", "S", "Ref"]
    line = "".join(
        value.ljust(wide[i + 1] - wide[i]) if i + 1 < len(wide) else value
        for i, value in enumerate(row)
    )
    header = "".join(
        "#".ljust(wide[i + 1] - wide[i]) if i + 1 < len(wide) else "#" for i in range(len(wide))
    )
    (record,) = parse_text(f"{HEADER[0]}\n{header}\n{line}\n", "log.txt").records
    assert record.headline == "Falcon 9 launches Starlink v1.0 L2 1 from Cape Canaveral"
    assert "(serial B1049.4)" in record.body


def test_the_whole_sample_loads_one_event_per_launch_and_related_finds_sites(
    runner: CliRunner,
) -> None:
    # The first 402 lines of the log as published (1957-1962), copied whole.
    log = FIXTURES / "launchlog" / "launchlog-1957-1962.txt"
    corpus = load_corpus([log])
    assert len(corpus.events) == _launches(log.read_text("utf-8")) == 233
    assert corpus.problems == ()
    found = run_json(runner, "--corpus", str(SAMPLE), "related", "Baikonur")
    assert {match["date"] for match in found} == {"1957-10-04", "1957-11-03"}
    assert run_json(runner, "--corpus", str(SAMPLE), "related", "NIIP-5") == found


@given(st.lists(st.text(alphabet=" #0123456789ABCFJSanOct:-\n", max_size=60), max_size=10))
def test_any_rows_under_the_header_parse(rows: list[str]) -> None:
    parsed = parse_text("\n".join([*HEADER, *rows]), "log.txt")
    assert all(record.headline for record in parsed.records)


def test_text_in_the_columns_is_cleaned_and_a_blank_vehicle_is_no_entity() -> None:
    lines = SAMPLE.read_text("utf-8").split("\n")
    row = lines[2][:55] + "\x1b[2J1-y ISZ\x07".ljust(31) + lines[2][86:121] + " " * 23
    (record,) = parse_text("\n".join([*HEADER, row + lines[2][144:]]), "log.txt").records
    assert record.headline == "An unnamed vehicle launches 1-y ISZ from Baikonur Cosmodrome"
    assert record.entities == ["1-y ISZ", "Baikonur Cosmodrome"]


def _log(*rows: tuple[str, ...]) -> str:
    """The sample's header, then a row for each tuple of column values, laid out under it."""
    marks = [n for n, char in enumerate(HEADER[1]) if char == "#"]
    widths = [end - start for start, end in pairwise(marks)]
    lines = ["".join(v.ljust(w) for v, w in zip(row, widths, strict=False)) for row in rows]
    return "\n".join([*HEADER, *(line.rstrip() for line in lines)])


def _told(text: str) -> list[tuple[str, str, str, list[str]]]:
    records = parse_text(text, "log.txt").records
    return [(r.date.isoformat(), r.headline, r.body, list(r.entities)) for r in records]


def test_a_launch_without_name_site_serial_or_outcome_says_so_in_words() -> None:
    text = _log(("2020-001", "2020 Jan  7", "2020-001A", "", "Starlink", "", "Falcon 9"))
    assert _told(text) == [
        (
            "2020-01-07",
            "Falcon 9 launches Starlink",
            "Launch 2020-001: Falcon 9 carried Starlink (COSPAR 2020-001A) from an unknown site."
            " It has no recorded outcome.",
            ["Falcon 9", "Starlink"],
        )
    ]


def test_three_payloads_are_listed_with_commas_and_a_final_and() -> None:
    text = _log(
        ("2020-002", "2020 Jan  8 1200", "", "A", "A", "", "Delta II", "D-1", "CC", "S"),
        ("", "", "", "B", "B"),
        ("", "", "", "C", "C"),
    )
    assert _told(text) == [
        (
            "2020-01-08",
            "Delta II launches A, B and C from Cape Canaveral",
            "Launch 2020-002 at 12:00 UTC: Delta II (serial D-1) carried A, B and C"
            " from Cape Canaveral. It reached orbit.",
            ["Delta II", "A", "B", "C", "Cape Canaveral"],
        )
    ]


def test_a_launch_whose_payloads_have_no_name_carries_no_named_payload() -> None:
    text = _log(("2020-003", "2020 Jan  9", "", "", "", "S99999", "Atlas", "", "CC  SLC41", "F"))
    assert _told(text) == [
        (
            "2020-01-09",
            "Atlas fails to orbit no named payload from Cape Canaveral",
            "Launch 2020-003: Atlas carried no named payload from Cape Canaveral (pad SLC41)."
            " It failed.",
            ["Atlas", "Cape Canaveral"],
        )
    ]


def test_a_payload_row_before_any_launch_and_a_launch_on_no_day_are_problems() -> None:
    text = _log(
        ("", "", "2020-000A", "Lost"),
        ("2020-F01", "2020 Feb 30", "2020-F01", "Nothing", "", "", "Vanguard"),
        ("2020-004", "2020 Jan 10", "2020-004A", "Kept", "", "", "Vega"),
    )
    parsed = parse_text(text, "log.txt")
    assert parsed.problems == [
        Problem("log.txt", 3, "a payload row before any launch"),
        Problem("log.txt", 4, "launch 2020-F01: no UTC date in '2020 Feb 30'"),
    ]
    assert [r.headline for r in parsed.records] == ["Vega launches Kept"]
