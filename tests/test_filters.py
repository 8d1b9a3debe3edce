"""The same filters on every listing: --in (a period), --from, --to and --entity on search,
related and show, --sort on the ranked ones. Each filtered answer is checked against the
unfiltered one filtered by hand, from a kept database (--db) and a run's own (--no-cache) alike,
and the library's corpus made in memory answers as the database does."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spacenews.corpus import Corpus
from spacenews.listing import counts
from spacenews.loader import load_corpus
from spacenews.query import Query, related, search
from tests.conftest import SEEDS, run, run_json


@pytest.fixture(params=["run-only", "kept"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    """The global options that read the seeds into an index for this run or a kept one."""
    where = ["--no-cache"] if request.param == "run-only" else ["--db", str(tmp_path / "x.db")]
    return ["--corpus", str(SEEDS), *where]


def key(item: dict[str, Any]) -> str:
    """What names a result: an event's id or a document's path."""
    return str(item.get("id") or item["path"])


def keys(items: list[dict[str, Any]]) -> list[str]:
    return [key(item) for item in items]


def within(item: dict[str, Any], low: str, high: str) -> bool:
    return item.get("kind") == "event" and low <= item["date"] <= high


DATE_FILTERS = [
    (["--from", "2016"], "2016-01-01", "9999-12-31"),
    (["--to", "2004-01-20"], "0001-01-01", "2004-01-20"),
    (["--in", "2003..2004"], "2003-01-01", "2004-12-31"),
    (["--in", "2016-03", "--to", "2016-10"], "2016-03-01", "2016-03-31"),
]


@pytest.mark.parametrize(("args", "low", "high"), DATE_FILTERS)
def test_search_keeps_the_events_of_the_period(
    runner: CliRunner, store: list[str], args: list[str], low: str, high: str
) -> None:
    everything = run_json(runner, *store, "search", "the", "--limit", "100")
    found = run_json(runner, *store, "search", "the", "--limit", "100", *args)
    assert found, "the period holds matches"
    assert found == [item for item in everything if within(item, low, high)]
    assert len(found) < len(everything)


@pytest.mark.parametrize(("args", "low", "high"), DATE_FILTERS)
def test_related_keeps_the_events_of_the_period(
    runner: CliRunner, store: list[str], args: list[str], low: str, high: str
) -> None:
    everything = run_json(runner, *store, "related", "European Space Agency")
    found = run_json(runner, *store, "related", "European Space Agency", *args)
    assert found, "the period holds matches"
    assert found == [item for item in everything if within(item, low, high)]
    assert len(found) < len(everything)


def test_search_entity_keeps_what_is_related_to_it(runner: CliRunner, store: list[str]) -> None:
    everything = run_json(runner, *store, "search", "the", "--limit", "100")
    tied = set(keys(run_json(runner, *store, "related", "ExoMars")))
    found = run_json(runner, *store, "search", "the", "--limit", "100", "--entity", "exomars")
    assert {item["kind"] for item in found} == {"event", "document"}
    assert found == [item for item in everything if key(item) in tied]
    assert len(found) < len(everything)


def test_related_entity_keeps_what_is_related_to_both(runner: CliRunner, store: list[str]) -> None:
    everything = run_json(runner, *store, "related", "European Space Agency")
    tied = set(keys(run_json(runner, *store, "related", "Baikonur Cosmodrome")))
    found = run_json(
        runner, *store, "related", "European Space Agency", "--entity", "baikonur cosmodrome"
    )
    assert found, "some results are tied to both"
    assert found == [item for item in everything if key(item) in tied]
    assert len(found) < len(everything)


@pytest.mark.parametrize("command", [["search", "the", "--limit", "100"], ["related", "ESA"]])
def test_filters_combine(runner: CliRunner, store: list[str], command: list[str]) -> None:
    by_entity = run_json(runner, *store, *command, "--entity", "Kazakhstan")
    by_date = run_json(runner, *store, *command, "--to", "2004")
    found = run_json(runner, *store, *command, "--entity", "Kazakhstan", "--to", "2004")
    assert found == [item for item in by_entity if within(item, "0001-01-01", "2004-12-31")]
    assert found and len(found) < min(len(by_entity), len(by_date))


QUERIES = [
    Query(),
    Query(entity="ExoMars"),
    Query(entity="Baikonur Cosmodrome"),
    Query(entity="kazakhstan", end=date(2004, 12, 31)),
    Query(start=date(2016, 1, 1), sort="date"),
    Query(entity="Mars", sort="date", limit=4),
]


@pytest.mark.parametrize("query", QUERIES)
def test_a_corpus_made_in_memory_answers_as_the_database(query: Query) -> None:
    """The library's own corpus, made without a database, numbers its search units itself."""
    loaded = load_corpus([SEEDS], cache=False)
    made = Corpus(list(loaded.events), list(loaded.documents))
    assert made.view is None

    def answers(corpus: Corpus, query: Query) -> list[Any]:
        found = search(corpus, "the", query)
        return [result.to_dict() for result in found] + [
            match.to_dict() for match in related(corpus, "European Space Agency", query)
        ]

    assert answers(made, query) == answers(loaded, query)
    if query != Query():
        assert answers(made, query) != answers(made, Query())


def date_order(item: dict[str, Any]) -> tuple[bool, str]:
    return item.get("date") is None, item.get("date") or "", -item["score"]


@pytest.mark.parametrize("command", [["search", "the"], ["related", "ESA"]])
def test_sort_by_date(runner: CliRunner, store: list[str], command: list[str]) -> None:
    by_score = run_json(runner, *store, *command, "--limit", "100")
    by_date = run_json(runner, *store, *command, "--limit", "100", "--sort", "date")
    assert by_date != by_score
    assert by_date == sorted(by_score, key=date_order)  # sorted() is stable: ties keep their order
    assert run_json(runner, *store, *command, "--limit", "100", "--sort", "score") == by_score
    # The limit counts after ordering: the oldest, not the best, when sorted by date.
    assert run_json(runner, *store, *command, "--limit", "3", "--sort", "date") == by_date[:3]


def shown(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(item["kind"], item["date"]) for item in items]


def test_show_entity_narrows_events_and_mentions(runner: CliRunner, store: list[str]) -> None:
    everything = run_json(runner, *store, "show", "2016")
    found = run_json(runner, *store, "show", "2016", "--entity", "exomars")
    timeline = run_json(runner, *store, "timeline", "2016", "--mentions", "--entity", "exomars")
    assert {"event", "mention"} <= {item["kind"] for item in found}
    assert sorted(shown(found)) == sorted(shown(timeline))
    assert len(found) < len(everything)


def test_show_from_and_to_narrow_the_period(runner: CliRunner, store: list[str]) -> None:
    everything = run_json(runner, *store, "show", "2016")
    found = run_json(runner, *store, "show", "2016", "--from", "2016-04", "--to", "2016-04-30")
    assert found == [item for item in everything if "2016-04-01" <= item["date"] <= "2016-04-30"]
    assert found and len(found) < len(everything)


@pytest.mark.parametrize(
    "args",
    [
        ["search", "the", "--from", "2016-13"],
        ["related", "ESA", "--in", "soon"],
        ["related", "ESA", "--from", "2016", "--to", "2015"],
        ["show", "2016", "--to", "x"],
        ["search", "the", "--sort", "size"],
        ["search", "the", "--entity", ""],
    ],
)
def test_bad_filters_are_usage_errors(runner: CliRunner, args: list[str]) -> None:
    result = run(runner, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("spacenews: error: ")
    assert result.stderr.count("\n") == 1


def test_tables_say_the_period(runner: CliRunner) -> None:
    for command in (["search", "the"], ["related", "ESA"]):
        result = run(runner, *command, "--in", "2016")
        assert "2016-01-01 to 2016-12-31" in result.stdout.replace("\n", " ")
        assert "2003-06-02" not in result.stdout


def test_unknown_filter_entity_is_told(runner: CliRunner) -> None:
    result = run(runner, "related", "ESA", "--entity", "Marz Expres")
    assert result.exit_code == 1
    assert "no entity named 'Marz Expres'" in result.stderr


def periods(counts: list[dict[str, Any]]) -> list[str]:
    return [count["period"] for count in counts]


@pytest.mark.parametrize(
    ("args", "first", "last", "size"),
    [
        (["--by", "month", "2016"], "2016-01", "2016-12", 12),
        (["--by", "year", "--from", "2001", "--to", "2005"], "2001", "2005", 5),
        (["--by", "year", "..2005"], "2003", "2005", 3),  # open start: from the first event
        (["--by", "decade", "2014.."], "2010s", "2010s", 1),
    ],
)
def test_a_chart_covers_the_period_asked_for(
    runner: CliRunner, args: list[str], first: str, last: str, size: int
) -> None:
    counts = run_json(runner, "timeline", *args)
    assert len(counts) == size
    assert (periods(counts)[0], periods(counts)[-1]) == (first, last)
    listed = run_json(runner, "timeline", *args[2:])
    assert sum(count["count"] for count in counts) == len(listed)


@pytest.mark.parametrize(
    ("args", "counted"),
    [
        (["--by", "year", "2005..2006"], ["2005", "2006"]),
        (
            ["--by", "month", "2015-01..2015-03", "--entity", "Mars"],
            ["2015-01", "2015-02", "2015-03"],
        ),
        (["--by", "year", "2030.."], []),  # a side open and no event: no period to count
    ],
)
def test_a_chart_of_no_event_counts_its_periods_as_zero_and_exits_1(
    runner: CliRunner, args: list[str], counted: list[str]
) -> None:
    # Found by a newcomer's try-out: 2004..2006 gave 2, 0, 0, but 2005..2006 gave [], where
    # a zero-filled report wants its zeros.
    result = run(runner, "timeline", *args, "--json")
    assert result.exit_code == 1 and result.stderr.startswith("spacenews: no events match in")
    assert json.loads(result.stdout) == [{"period": p, "count": 0} for p in counted]


def test_a_chart_caption_says_what_was_counted(runner: CliRunner) -> None:
    table = run(runner, "timeline", "--by", "month", "2016").stdout
    assert "2 events by month, 2016-01 to 2016-12" in table
    table = run(runner, "timeline", "--by", "year", "--mentions", "--from", "2016").stdout
    assert "5 items by year, 2016" in [line.strip() for line in table.splitlines()]


def test_reverse_and_limit_order_and_count_the_periods(runner: CliRunner) -> None:
    every = run_json(runner, "timeline", "--by", "year")
    assert run_json(runner, "timeline", "--by", "year", "--limit", "3") == every[:3]
    newest = run_json(runner, "timeline", "--by", "year", "--reverse", "--limit", "3")
    assert newest == every[::-1][:3]
    assert periods(newest) == ["2016", "2015", "2014"]
    table = run(runner, "timeline", "--by", "year", "--reverse", "--limit", "3").stdout
    assert "4 events by year, 2014 to 2016" in table


def test_counts_run_over_the_bounds_given() -> None:
    days = [date(2016, 3, 14), date(2016, 10, 16)]
    found = counts(days, "month", date(2016, 1, 1), date(2016, 12, 31))
    assert [count.total for count in found] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0]
    assert [count.period for count in counts(days, "month")][::7] == ["2016-03", "2016-10"]


@pytest.mark.parametrize(
    "args",
    [["2016"], ["--from", "2013"], ["--to", "2004-01-20"], ["--entity", "kazakhstan"]],
)
def test_export_and_timeline_filter_alike(runner: CliRunner, args: list[str]) -> None:
    import csv
    import io

    rows = csv.DictReader(io.StringIO(run(runner, "export", "-f", "csv", *args).stdout))
    exported = [row["id"] for row in rows]
    listed = keys(run_json(runner, "timeline", *args))
    assert exported == listed
    assert 0 < len(exported) < len(run_json(runner, "timeline"))


def test_a_chart_counts_each_mention_in_the_period_that_lists_it(runner: CliRunner) -> None:
    # A mention lies in a period only whole: "Launched in 2003" is counted in 2003's bar, as
    # 2003's timeline lists it, and in no month's (it once stood in January's).
    months = run_json(runner, "timeline", "--by", "month", "2003", "--mentions")
    assert len(months) == 12
    for count in months:
        assert count["count"] == len(run_json(runner, "timeline", count["period"], "--mentions"))
    (year,) = run_json(runner, "timeline", "--by", "year", "2003", "--mentions")
    listed = run_json(runner, "timeline", "2003", "--mentions")
    assert year["count"] == len(listed) == sum(count["count"] for count in months) + 1
