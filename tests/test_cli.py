"""The commands, through typer's CliRunner: what they print, where, and with which exit code."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews import terminal
from spacenews.cli import app, main
from spacenews.fetch import default_folder
from spacenews.index.store import cache_dir
from spacenews.jsonbytes import encode, encode_all
from spacenews.usage import command_of, for_arguments, globals_first

from .conftest import CONSOLE_SCRIPT, FIXTURES, generate_module, run, run_json, shell_env

SEED_002 = "002_efe6a678f375d53d.txt"
SEED_003 = "003_e1b96d0c7dd0baf8.txt"
MARS_EXPRESS = ["2003-06-02", "2003-12-19", "2004-01-19", "2004-01-23"]
FIELDS = {
    "kind",
    "id",
    "date",
    "headline",
    "body",
    "sources",
    "entities",
    "names",
    "related",
    "documents",
    "date_source",
    "story",
    "end_date",
    "published",
    "translations",
}


def test_timeline_lists_the_ten_seed_events_in_order(runner: CliRunner) -> None:
    events = run_json(runner, "timeline")
    dates = [event["date"] for event in events]
    assert len(events) == 10
    assert dates == sorted(dates)
    assert len({event["id"] for event in events}) == 10
    assert all(set(event) == FIELDS for event in events)


def test_timeline_table(runner: CliRunner) -> None:
    result = run(runner, "timeline", "--limit", "2")
    assert result.exit_code == 0
    assert "2003-06-02" in result.stdout and "2003-12-19" in result.stdout
    assert "2004-01-19" not in result.stdout
    assert "2 of 10 events" in result.stdout
    assert result.stderr == ""


def test_timeline_filters(runner: CliRunner) -> None:
    dates = [e["date"] for e in run_json(runner, "timeline", "--from", "2004", "--to", "2014-04")]
    assert dates == ["2004-01-19", "2004-01-23", "2012-12-19", "2013-07-02", "2014-04-16"]
    mars = run_json(runner, "timeline", "--entity", "mars express", "--reverse", "--limit", "3")
    assert [e["date"] for e in mars] == ["2004-01-23", "2004-01-19", "2003-12-19"]


def test_timeline_unknown_entity_suggests(runner: CliRunner) -> None:
    result = run(runner, "timeline", "--entity", "Mars Expres", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert "did you mean 'Mars Express'" in result.stderr


def test_timeline_rejects_an_inverted_range(runner: CliRunner) -> None:
    result = run(runner, "timeline", "--from", "2016", "--to", "2010")
    assert result.exit_code == 2
    assert "--from 2016 is after --to 2010" in result.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["show", "2016", "--from", "2017"], "2016 and --from 2017 share no day"),
        (["search", "mars", "--in", "2003", "--to", "2002"], "2003 and --to 2002 share no day"),
        (["export", "2003", "--from", "2004", "--to", "2005"], "and --from 2004 and --to 2005"),
        (["timeline", "2016-03", "--from", "2016-04-01"], "2016-03 and --from 2016-04-01 share"),
    ],
)
def test_a_period_and_dates_that_share_no_day_are_a_usage_error(
    runner: CliRunner, args: list[str], said: str
) -> None:
    # As --from after --to is: nothing could ever match, whatever the corpus.
    result = run(runner, *args)
    assert (result.exit_code, result.stdout) == (2, "") and said in result.stderr


def test_a_period_and_dates_that_share_a_day_keep_it(runner: CliRunner) -> None:
    listed = run_json(runner, "timeline", "2016", "--from", "2016-03-14", "--to", "2016-03-14")
    assert [event["date"] for event in listed] == ["2016-03-14"]


@pytest.mark.parametrize("day", ["2003-06-2", "2003-06-02"])
def test_show_day_padded_or_not(runner: CliRunner, day: str) -> None:
    events = run_json(runner, "show", day)
    assert [(e["kind"], e["date"]) for e in events] == [("event", "2003-06-02")]
    assert "Mars Express probe launches" in events[0]["headline"]


def events_only(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for item in items if item["kind"] == "event"]


def test_show_carries_body_sources_and_related(runner: CliRunner) -> None:
    (event,) = events_only(run_json(runner, "show", "2016-03-14"))
    assert event["body"] == "Europe and Russia have launched a joint mission to the Red Planet."
    assert [s["url"] for s in event["sources"]] == [
        "http://www.bbc.com/news/science-environment-35800975",
        "http://ichef-1.bbci.co.uk/news/1024/cpsprodpb/B603/production/_88759564_88759563.jpg",
    ]
    assert len(event["related"]) == 5
    assert event["related"][0]["context"] == [  # by main names, as the page's entities
        "Baikonur Cosmodrome",
        "European Space Agency",
        "Roscosmos",
    ]
    assert "Roscosmos" in event["entities"] and "Roscosmos" not in event["names"]
    assert event["documents"] == ["000_76f20314677eaf20.txt", "001_b02bc1e1bd4a287c.txt"]


def test_show_table_prints_body_sources_and_related(runner: CliRunner) -> None:
    result = run(runner, "show", "2016-03-14")
    assert result.exit_code == 0
    for text in (
        "Europe and Russia",
        "Sources",
        "http://www.bbc.com/news",
        "Related",
        "2015-12-15",
    ):
        assert text in result.stdout


def test_show_month_and_year(runner: CliRunner) -> None:
    march = [(e["kind"], e["date"]) for e in run_json(runner, "show", "2016-03")]
    assert march == [("event", "2016-03-14"), ("mention", "2016-03-14")]
    year = [e["date"] for e in events_only(run_json(runner, "show", "2016"))]
    assert year == ["2016-03-14", "2016-10-16"]


def test_show_empty_period_exits_1(runner: CliRunner) -> None:
    result = run(runner, "show", "2016-03-15", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert "nothing happened or is mentioned in 2016-03-15" in result.stderr


@pytest.mark.parametrize(
    ("command", "told"),
    [
        (["show", "2016", "--entity", "mars expres"], "no entity named 'mars expres'; did you"),
        (["show", "2016", "--entity", "nosuch"], "no entity named 'nosuch'\n"),
        (
            ["show", "2016", "--entity", "Mars Express"],
            "nothing happened or is mentioned in 2016-01-01 to 2016-12-31"
            " with --entity 'Mars Express'\n",
        ),
        (
            ["search", "water", "--in", "2030"],
            "nothing matches 'water' in 2030-01-01 to 2030-12-31\n",
        ),
        (["search", "water", "--entity", "nosuch"], "no entity named 'nosuch'\n"),
        (
            ["search", "water", "--entity", "Soyuz", "--to", "2020"],
            "nothing matches 'water' in … to 2020-12-31 with --entity 'Soyuz'\n",
        ),
        # A name the corpus does not know but names (2012-12-19) is no unknown entity.
        (
            ["timeline", "2016", "--entity", "Hadfield"],
            "no events match in 2016-01-01 to 2016-12-31 with --entity 'Hadfield'\n",
        ),
        (
            ["show", "2016", "--entity", "hadfield"],
            "nothing happened or is mentioned in 2016-01-01 to 2016-12-31"
            " with --entity 'hadfield'\n",
        ),
        (
            ["search", "water", "--entity", "Hadfield"],
            "nothing matches 'water' with --entity 'Hadfield'\n",
        ),
        (["related", "Hadfield", "--in", "2016"], "no results match in 2016-01-01 to 2016-12-31\n"),
        (
            ["related", "Mars", "--from", "2016", "--entity", "Hadfield"],
            "no results match in 2016-01-01 to … with --entity 'Hadfield'\n",
        ),
        (["related", "Hadfeld", "--in", "2016"], "no entity named 'Hadfeld'"),
        (["related", "Universe", "--in", "2016"], "no results match in 2016-01-01 to 2016-12-31\n"),
        (["timeline", "--by", "year", "--entity", "Hadfeld"], "no entity named 'Hadfeld'"),
        (
            ["timeline", "--on", "03-15", "--entity", "Mars"],
            "no events match on 03-15 with --entity 'Mars'\n",
        ),
        (["timeline", "2030", "--by", "year"], "no events match in 2030-01-01 to 2030-12-31\n"),
        # A name the corpus knows (the shipped table's) but nothing names: no filter could
        # keep anything, as related says with none.
        (["timeline", "2016", "--entity", "Hubble"], "nothing names 'Hubble'\n"),
        (["related", "Hubble", "--in", "2016"], "nothing names 'Hubble'\n"),
        (["search", "water", "--entity", "hubble", "--to", "2020"], "nothing names 'hubble'\n"),
        (["show", "2016", "--entity", "Hubble"], "nothing names 'Hubble'\n"),
    ],
)
def test_nothing_found_tells_the_filters_that_narrowed_it(
    runner: CliRunner, command: list[str], told: str
) -> None:
    # Found by a newcomer's try-out: show 2016 --entity nosuchthing said that nothing happened
    # in 2016, and search water --in 2030 that nothing matched water, which both do.
    result = run(runner, *command)
    # A chart of a period asked for (not left open) has its periods, each 0.
    charted = "--by" in command and command[1] == "2030"
    assert result.exit_code == 1 and (result.stdout == "") != charted
    assert result.stderr.startswith("spacenews: " + told)  # whole, where it ends with \n


def test_related_with_no_filter_does_not_ask_twice_whether_anything_names_it(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With no filter, related has looked at every event and document already: a name it
    # found nothing for is told at once, not searched for again (known.unheard_of).
    from spacenews import known

    def asked(*args: Any) -> bool:
        raise AssertionError("searched again")

    monkeypatch.setattr(known, "unheard_of", asked)
    result = run(runner, "related", "Hadfeld")
    assert result.exit_code == 1
    assert result.stderr.startswith("spacenews: no entity named 'Hadfeld'")


@pytest.mark.parametrize("day", ["2016-13-45", "2016-02-30", "16-03-14", "soon"])
def test_show_invalid_date_is_one_line_usage_error(runner: CliRunner, day: str) -> None:
    result = run(runner, "show", day)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("spacenews: error: invalid date")


@pytest.mark.parametrize("name", ["Mars Express", "mars express", "MARS  EXPRESS"])
def test_related_mars_express(runner: CliRunner, name: str) -> None:
    matches = run_json(runner, "related", name)
    events = events_only(matches)
    assert sorted(m["date"] for m in events) == MARS_EXPRESS
    via = {m["date"]: m["via"] for m in events}
    assert via["2003-12-19"] == ["context", "mention", "part"]  # it names Beagle 2, a part
    assert via["2004-01-19"] == via["2004-01-23"] == ["context", "mention"]
    assert set(events[0]) == FIELDS | {"via", "score"}
    assert matches[: len(events)] == events  # events tied by context rank above documents


@pytest.mark.parametrize(
    "args",
    [
        ["Mars", "Express", "--limit", "3"],
        ["mars", "EXPRESS", "--limit", "3"],
        ["--limit", "3", "Mars", "Express"],
        ["Mars", "--limit", "3", "Express"],
        ["--limit", "3", "--", "Mars", "Express"],
    ],
)
def test_related_joins_the_words_of_a_name(runner: CliRunner, args: list[str]) -> None:
    asked = run_json(runner, "related", "Mars Express", "--limit", "3")
    assert len(asked) == 3
    assert json.loads(run(runner, "related", "--json", *args).stdout) == asked


def test_related_words_of_an_unknown_name_are_one_name(runner: CliRunner) -> None:
    result = run(runner, "related", "internatonal", "space", "station")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "no entity named 'internatonal space station'; did you mean " in result.stderr
    assert run(runner, "related", "  ", " ").exit_code == 2  # spaces alone are no name


def test_related_table(runner: CliRunner) -> None:
    result = run(runner, "related", "Kazakhstan")
    assert result.exit_code == 0
    assert "context" in result.stdout and "2014-04-16" in result.stdout


def test_related_unknown_entity(runner: CliRunner) -> None:
    result = run(runner, "related", "mars expres")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no entity named 'mars expres'; did you mean 'Mars Express'" in result.stderr


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("roscosmo", "'Roscosmos'"),
        ("baikonour", "'Baikonur Cosmodrome' (as 'Baikonur')"),
        ("internatonal space station", "'International Space Station'"),
    ],
)
def test_related_suggests_names_aliases_and_alias_table_names(
    runner: CliRunner, typed: str, meant: str
) -> None:
    result = run(runner, "related", typed)
    assert (result.exit_code, result.stdout) == (1, "")
    assert f"no entity named {typed!r}; did you mean {meant}" in result.stderr


def test_an_entity_typed_without_its_accents_is_the_one_written_with_them(
    runner: CliRunner,
) -> None:
    # The shipped alias table names the European Space Agency in French, with accents.
    result = run(runner, "related", "agence spatiale europeenne", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == run_json(runner, "related", "Agence spatiale européenne")
    assert run_json(runner, "timeline", "--entity", "AGENCE Spatiale  Europeenne") == run_json(
        runner, "timeline", "--entity", "European Space Agency"
    )


def _accented_corpus(folder: Path, *names: str) -> Path:
    folder.mkdir()
    for day, name in enumerate(names, 1):
        (folder / f"{day}.md").write_text(
            f"### [2020-01-{day}](/news/2020/01/{day}/index.md)\n# A launch {day}.\n\n"
            f"### Related:\n\n1. [Other](/news/2020/02/{day}/x.md) _Context: {name}_\n"
        )
    return folder


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_corpus_name_is_found_without_its_accents_unless_two_differ_only_by_them(
    runner: CliRunner, tmp_path: Path, cache: list[str]
) -> None:
    corpus = _accented_corpus(tmp_path / "c", "Agência Espacial Brasileira", "Bézier", "Bèzier")
    args = [*cache, "-c", str(corpus), "related"]
    found = run_json(runner, *args, "agencia espacial brasileira")
    assert [item["date"] for item in found] == ["2020-01-01", "2020-02-01"]
    # Typed with its accents, a name is the one written so, though another differs by them.
    found = run_json(runner, *args, "BÈZIER")
    assert [item["date"] for item in found] == ["2020-01-03", "2020-02-03"]
    # Two names differ only in their accents: typed without them, neither is meant.
    result = run(runner, *args, "bezier")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("spacenews: no entity named 'bezier'; did you mean")


def test_related_on_a_known_entity_that_nothing_names(runner: CliRunner) -> None:
    result = run(runner, "related", "James Webb Space Telescope")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "spacenews: nothing names 'James Webb Space Telescope'\n"


def test_jsonl_prints_one_object_per_line(runner: CliRunner) -> None:
    result = run(runner, "timeline", "--entity", "Mars Express", "--jsonl")
    lines = result.stdout.splitlines()
    assert [json.loads(line)["date"] for line in lines] == MARS_EXPRESS


def test_json_and_jsonl_together_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, "timeline", "--json", "--jsonl")
    assert result.exit_code == 2
    assert "cannot be used together" in result.stderr


def test_corpus_option_and_environment(runner: CliRunner, tmp_path: Path) -> None:
    post = FIXTURES / "parse" / "front_matter_post.md"
    by_option = run_json(runner, "--corpus", str(post), "timeline")
    assert [e["headline"] for e in by_option] == ["ISS crew tests ham radio"]
    env = {"SPACENEWS_CORPUS": f"{post}:{FIXTURES / 'parse' / 'day_page.md'}"}
    result = runner.invoke(app, ["timeline", "--json"], env=env)
    assert len(json.loads(result.stdout)) == 3


def test_a_path_that_starts_with_a_tilde_starts_at_home(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where the shell leaves ~ as it is: after an =, and in quotes.
    (tmp_path / "news").mkdir()
    post = FIXTURES / "parse" / "front_matter_post.md"
    (tmp_path / "news" / post.name).write_bytes(post.read_bytes())
    monkeypatch.setenv("HOME", str(tmp_path))
    for args, env in [(["--corpus=~/news"], {}), ([], {"SPACENEWS_CORPUS": "~/news"})]:
        result = runner.invoke(app, [*args, "timeline", "--json"], env=env)
        assert [e["headline"] for e in json.loads(result.stdout)] == ["ISS crew tests ham radio"]
    monkeypatch.setenv("SPACENEWS_CACHE_DIR", "~/cache")
    monkeypatch.setenv("SPACENEWS_DATA_DIR", "~/data")
    assert (cache_dir(), default_folder()) == (tmp_path / "cache", tmp_path / "data" / "feeds")


def test_a_tilde_of_no_user_is_left_as_it_is(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As the shell leaves ~nobody-such/news: a path that does not exist, not a crash (exit 3).
    nowhere = "~spacenews-no-such-user/news"
    for args, env in [(["--corpus", nowhere], {}), ([], {"SPACENEWS_CORPUS": nowhere})]:
        result = runner.invoke(app, [*args, "timeline"], env=env)
        assert result.exit_code == 2 and "does not exist" in result.stderr, args
    monkeypatch.setenv("SPACENEWS_CACHE_DIR", "~spacenews-no-such-user/cache")
    monkeypatch.setenv("SPACENEWS_DATA_DIR", "~spacenews-no-such-user/data")
    assert cache_dir() == Path("~spacenews-no-such-user/cache")
    assert default_folder() == Path("~spacenews-no-such-user/data/feeds")


def test_global_options_may_follow_the_command(runner: CliRunner) -> None:
    post = str(FIXTURES / "parse" / "front_matter_post.md")
    before = run(runner, "--corpus", post, "-c", post, "timeline", "--json")
    after = run(runner, "timeline", "--corpus", post, "--json", f"--corpus={post}")
    assert after.exit_code == 0 and after.stdout == before.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-c", "a", "timeline", "--json"], ["-c", "a", "timeline", "--json"]),
        (["timeline", "--json", "--no-cache"], ["--no-cache", "timeline", "--json"]),
        (
            ["show", "2016", "--corpus", "a", "--pager"],
            ["--corpus", "a", "--pager", "show", "2016"],
        ),
        (["--corpus=a", "search", "x", "-c", "b"], ["--corpus=a", "-c", "b", "search", "x"]),
        (["search", "--", "--no-cache", "-c"], ["search", "--", "--no-cache", "-c"]),
        (["search", "-c"], ["search", "-c"]),  # left for click to say the value is missing
    ],
)
def test_globals_first(args: list[str], expected: list[str]) -> None:
    assert globals_first(args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["timeline", "--json"], "timeline"),
        (["-c", "show", "--no-cache", "--corpus=x", "--db", "y", "related", "x"], "related"),
        (["--color", "never", "--pager", "cache", "clear"], "cache"),
        (["--", "timeline"], None),
        (["--no-cache"], None),
        ([], None),
    ],
)
def test_command_of(args: list[str], expected: str | None) -> None:
    assert command_of(args) == expected


def _commands(args: list[str]) -> list[str]:
    kept = for_arguments(app, args)
    names = [info.name or info.callback.__name__ for info in kept.registered_commands]
    return names + [str(info.name) for info in kept.registered_groups]


def test_a_run_builds_only_the_commands_its_arguments_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for var in [var for var in os.environ if var.endswith("_COMPLETE")]:
        monkeypatch.delenv(var)
    assert _commands(["timeline", "--json"]) == ["timeline"]
    # A global option's value may be a command's name too: every command named is kept.
    assert _commands(["--db", "show", "search", "x", "--corpus=a"]) == ["show", "search"]
    assert _commands(["cache", "clear"]) == ["cache"]
    everything = _commands(["--no-cache"])
    assert {"timeline", "open", "fetch", "cache"} <= set(everything) and len(everything) == 11
    # Help lists every command, and a name that is none gets suggestions from all of them.
    for args in (["--help", "show"], ["show", "-h"], ["shwo", "timeline"], ["--", "show"]):
        assert _commands(args) == everything
    monkeypatch.setenv("_SPACENEWS_COMPLETE", "complete_bash")
    assert _commands(["timeline"]) == everything


def test_the_console_script_runs_the_app_its_arguments_need(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: list[Any] = []
    monkeypatch.setattr(terminal, "run", ran.append)
    monkeypatch.setattr(sys, "argv", ["spacenews", "show", "2016"])
    main()
    assert [info.callback.__name__ for info in ran[0].registered_commands] == ["show"]


def test_the_console_script_suggests_among_every_command(tmp_path: Path) -> None:
    args = ["--corpus", str(tmp_path), "timelin", "show"]
    done = subprocess.run([*CONSOLE_SCRIPT, *args], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "No such command 'timelin'. Did you mean 'timeline'?" in done.stderr


def test_missing_corpus_path_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "--corpus", str(tmp_path / "nowhere"), "timeline")
    assert result.exit_code == 2
    assert "corpus path does not exist" in result.stderr


def test_problems_are_summed_up_on_stderr_and_listed_by_check(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "good.md").write_bytes((FIXTURES / "parse" / "day_page.md").read_bytes())
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01binary")
    result = run(runner, "--corpus", str(tmp_path), "timeline", "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 2
    assert "2 files skipped: run `spacenews check` for details" in result.stderr
    check = run(runner, "--corpus", str(tmp_path), "check")
    assert check.exit_code == 1
    assert check.stdout.splitlines() == [  # tmp_path is not under the current folder
        f"{tmp_path / 'blob.bin'}:0: binary file (it holds NUL bytes) (skipped)",
        f"{tmp_path / 'empty.txt'}:0: empty file (skipped)",
    ]
    problems = run_json(runner, "--corpus", str(tmp_path), "check")
    assert {p["path"] for p in problems} == {
        str(tmp_path / "blob.bin"),
        str(tmp_path / "empty.txt"),
    }


def test_a_chinese_edition_gives_its_stories_sources_links_and_entities(
    runner: CliRunner, tmp_path: Path
) -> None:
    for name in ("event_page_zh.md", "day_page_zh.md"):
        (tmp_path / name).write_bytes((FIXTURES / "parse" / name).read_bytes())
    events = run_json(runner, "--corpus", str(tmp_path), "timeline", "--from", "2016-03-14")
    told = [(e["story"], len(e["sources"]), len(e["related"]), e["entities"][:2]) for e in events]
    assert told == [
        ("朱諾號", 0, 0, ["朱諾號", "美国国家航空航天局"]),
        ("朱諾號", 0, 0, ["朱諾號", "木星"]),
        ("歐洲太空總署", 2, 2, ["歐洲太空總署", "拜科努尔航天发射场"]),
        ("歐洲太空總署", 0, 0, ["歐洲太空總署", "欧洲太空总署"]),
        ("", 0, 0, ["欧洲太空总署", "微量气体轨道器"]),
    ]
    related = run_json(runner, "--corpus", str(tmp_path), "related", "歐洲太空總署")
    assert [e["story"] for e in related] == ["歐洲太空總署", "歐洲太空總署"]


def test_check_on_clean_corpus(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "check")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no problems in 10 events and 2 documents" in result.stderr
    page = tmp_path / "page.md"
    page.write_text("### [2020-01-02](/news/2020/01/2/index.md)\n\n# One event.\n")
    (tmp_path / "note.txt").write_text("One document.\n")
    alone = run(runner, "--corpus", str(tmp_path), "check")
    assert "no problems in 1 event and 1 document" in alone.stderr


def test_document_text_is_never_markup(runner: CliRunner, tmp_path: Path) -> None:
    page = "### [2020-01-02](/news/2020/01/2/index.md)\n\n# [bold red]Boom[/] \x1b[31mred\n"
    (tmp_path / "page.md").write_text(page)
    result = run(runner, "--corpus", str(tmp_path), "timeline")
    assert "[bold red]Boom[/] red" in result.stdout
    assert "\x1b" not in result.stdout


def test_piped_output_has_no_colour(runner: CliRunner) -> None:
    result = CliRunner(env={"NO_COLOR": None, "COLUMNS": "100"}).invoke(app, ["show", "2016-03-14"])
    assert "\x1b" not in result.stdout


def test_version_and_help(runner: CliRunner) -> None:
    assert run(runner, "--version").stdout.startswith("spacenews ")
    help_text = run(runner, "--help").stdout
    for command in ("timeline", "show", "related", "check"):
        assert command in help_text


def _console(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script's code, as a shell would."""
    env = shell_env() | {"SPACENEWS_CORPUS": "", "NO_COLOR": "1"}
    return subprocess.run(
        [*CONSOLE_SCRIPT, *args], capture_output=True, text=True, check=False, env=env
    )


@pytest.mark.parametrize("output", [[], ["--jsonl"]])
def test_a_reader_that_stops_early_ends_the_command_quietly(
    output: list[str], tmp_path: Path
) -> None:
    generate_module.generate(600, tmp_path)  # an answer far longer than a pipe holds
    args = ["--corpus", str(tmp_path), "timeline", *output]
    env = shell_env() | {"NO_COLOR": "1"}
    with subprocess.Popen(
        [*CONSOLE_SCRIPT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(100)  # as head -c 100 reads, then leaves
        process.stdout.close()
        assert process.stderr.read() == b""
        assert process.wait() == 1


@pytest.mark.parametrize("closed", [">&-", "2>&-"])
def test_a_stream_closed_before_the_start_is_no_crash(closed: str) -> None:
    # A shell can start a command with stdout or stderr closed: no results can be written
    # then (said on stderr, code 1, as a reader gone), or no message (results as always).
    command = ["sh", "-c", f'"$@" {closed}', "sh", *CONSOLE_SCRIPT, "timeline", "--json"]
    env = shell_env() | {"SPACENEWS_CORPUS": "", "NO_COLOR": "1"}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if closed == ">&-":
        assert (done.returncode, done.stdout) == (1, "")
        assert done.stderr == (
            "spacenews: error: standard output is closed: the results have nowhere to go\n"
        )
    else:
        assert (done.returncode, done.stderr) == (0, "")
        assert done.stdout == _console("timeline", "--json").stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["timeline"],
        ["timeline", "--json"],
        ["timeline", "--jsonl"],
        ["export", "--format", "csv", "--limit", "1"],  # short: written when flushed
        ["--version"],
        ["--help"],  # written by the option parser
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "PYTHONUNBUFFERED"])
def test_a_stdout_that_cannot_be_written_is_one_line_and_exit_2(
    args: list[str], unbuffered: str, tmp_path: Path
) -> None:
    # `> /dev/full`, a full disk: as a file export -o cannot write, and no crash (exit 3).
    # Unbuffered, the help's write itself fails, not the flush at the end (it was exit 3).
    generate_module.generate(60, tmp_path)  # a long answer too, written as it is made
    env = shell_env() | {"SPACENEWS_CORPUS": str(tmp_path), "NO_COLOR": "1"}
    env |= {"PYTHONUNBUFFERED": unbuffered} if unbuffered else {}
    with Path("/dev/full").open("wb") as full:  # opened for writing, never replaced
        done = subprocess.run(
            [*CONSOLE_SCRIPT, *args], stdout=full, stderr=subprocess.PIPE, env=env, check=False
        )
    assert (done.returncode, done.stderr.decode()) == (
        2,
        "spacenews: error: cannot write standard output: No space left on device\n",
    )


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="no /dev/stdout")
@pytest.mark.parametrize("output", [[], ["-o", "-"], ["-o", "/dev/stdout"]], ids=str)
def test_export_to_a_reader_gone_is_quiet_and_exit_1(output: list[str]) -> None:
    # `export -o /dev/stdout | head`, as `export | head`: a reader gone ends the answer, with
    # no message; -o /dev/stdout said 'cannot write /dev/stdout: Broken pipe', exit 2.
    args = ["export", "--format", "csv", *output]
    process = subprocess.Popen(
        [*CONSOLE_SCRIPT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before spacenews has started: every write finds no reader
    said = process.stderr.read()
    process.stderr.close()
    assert (process.wait(), said) == (1, b"")


def test_the_console_script_says_everything_before_it_leaves(runner: CliRunner) -> None:
    # Once a corpus is loaded, main() ends the process at once (os._exit): what was written
    # must all come out, and the exit codes stay those of the table in the README.
    for args in (["timeline", "--jsonl"], ["export", "--format", "csv"]):
        done = _console(*args)
        assert done.returncode == 0 and done.stderr == ""
        assert done.stdout == run(runner, *args).stdout
    nobody = _console("timeline", "--entity", "Nobody")
    assert (nobody.returncode, nobody.stdout) == (1, "")
    assert nobody.stderr == "spacenews: no entity named 'Nobody'\n"
    assert _console("show", "soon").returncode == 2


def test_the_collector_is_back_on_after_a_command(runner: CliRunner, tmp_path: Path) -> None:
    # It is off while a command answers (see options.load), and must come back for whatever runs
    # next in the process, as the next tests do here, even when the command fails.
    assert gc.isenabled()
    run(runner, "timeline", "--json")
    assert gc.isenabled()
    run(runner, "--corpus", str(tmp_path / "nowhere"), "timeline")
    assert gc.isenabled()


def test_real_front_matter_corpora(runner: CliRunner) -> None:
    events = run_json(runner, "--corpus", str(FIXTURES / "corpus"), "timeline")
    by_date = {event["date"]: event for event in events}
    # Every dated post is an event, whatever its date field or file name looks like.
    assert len(events) == 8
    assert by_date["2016-03-14"]["date_source"] == "launch_date"  # "March 14, 2016" and "14 Mart"
    assert len(by_date["2016-03-14"]["documents"]) == 2  # the English and Turkish pages merge
    assert by_date["2016-03-14"]["body"].startswith("The ExoMars Orbiter")  # in English
    assert by_date["2018-05-05"]["headline"] == "InSight"  # a Turkish CRLF file
    assert len(by_date["2018-08-12"]["translations"]) == 1  # Parker, titled in each language
    assert by_date["2024-08-08"]["documents"] == ["arw/2024-08-8-m17-activity-day.md"]
    assert "copy.md" in by_date["2023-05-28"]["documents"][0]
    assert by_date["2023-05-07"]["sources"][0]["title"] == "AMSAT"
    assert "post" not in by_date["2023-05-07"]["entities"]
    amsat = run_json(runner, "--corpus", str(FIXTURES / "corpus"), "related", "amsat")
    assert [(m["date"], m["via"]) for m in amsat] == [("2023-05-07", ["mention", "source", "tag"])]


def test_show_lists_mentions_of_the_period(runner: CliRunner) -> None:
    items = run_json(runner, "show", "2016-03-14")
    (mention,) = [item for item in items if item["kind"] == "mention"]
    assert "ExoMars liftoff" in mention["snippet"] and "09:31 GMT" in mention["snippet"]
    assert mention["document"] == "003_e1b96d0c7dd0baf8.txt"
    rover = run(runner, "show", "2016-04-29")
    assert rover.exit_code == 0
    assert rover.stdout.startswith("Also mentioned\n")  # no blank line first: no event
    assert "Rover driving done!" in rover.stdout


def test_timeline_mentions_are_marked(runner: CliRunner) -> None:
    items = run_json(runner, "timeline", "--mentions", "--from", "2016-04", "--to", "2016-05")
    assert [(i["kind"], i["date"]) for i in items] == [
        ("mention", "2016-04-29"),
        ("mention", "2016-05-24"),
    ]
    table = run(runner, "timeline", "--mentions", "--from", "2016-04", "--to", "2016-05").stdout
    assert "mentioned: On 29 April 2016" in table


@pytest.mark.parametrize(
    ("entity", "expected"),
    [
        ("ExoMars", {"2016-03-14", "2016-10-16", SEED_002, SEED_003}),
        ("Tim Peake", {"2015-12-15", SEED_003}),
        ("Roscosmos", {"2015-12-15", "2016-03-14", "2016-10-16", SEED_002}),
    ],
)
def test_related_reaches_documents(runner: CliRunner, entity: str, expected: set[str]) -> None:
    found = {m.get("path") or m["date"] for m in run_json(runner, "related", entity)}
    assert found == expected


_JSON_TEXT = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from("\x00\x1b\x7f\x85\u2028\u202e\ud800")
)


@given(st.lists(st.dictionaries(st.text(max_size=3), _JSON_TEXT | st.lists(_JSON_TEXT))))
def test_the_quick_json_encoder_gives_the_same_bytes(items: list[dict[str, Any]]) -> None:
    assert encode_all(items) == [encode(item) for item in items]


@pytest.mark.parametrize("query", [["--entity", "European Space Agency"], ["--mentions"]])
def test_timeline_without_the_cache_answers_as_with_it(
    runner: CliRunner, corpus_dir: Path, query: list[str]
) -> None:
    # From the database kept, read again, or made in memory: the same answer.
    base = ["--corpus", str(corpus_dir), "timeline", *query]
    cached = run_json(runner, *base)
    assert run_json(runner, *base) == cached  # the database kept, read again
    assert run_json(runner, *base, "--no-cache") == cached
    assert any(item["kind"] == "mention" for item in cached) == ("--mentions" in query)


# Every usage error, the option parser's as well as spacenews' own: the command line and the
# help that the one line on stderr points to.
USAGE_ERRORS = [
    (["timeline", "--limit", "abc"], "spacenews timeline"),  # a bad value
    (["related"], "spacenews related"),  # a missing argument
    (["search"], "spacenews search"),
    (["bogus"], "spacenews"),  # an unknown command
    (["cache", "bogus"], "spacenews cache"),
    (["timeline", "--by", "week"], "spacenews timeline"),  # a bad choice
    (["export", "--format", "pdf"], "spacenews export"),
    (["timeline", "--bogus"], "spacenews timeline"),  # an unknown option
    (["--bogus", "timeline"], "spacenews"),
    (["cache", "info", "--bogus"], "spacenews cache info"),
    (["timeline", "--limit"], "spacenews timeline"),  # an option without its value
    (["cache", "info", "--json=x"], "spacenews cache info"),  # a flag given a value
    (["--corpus", "/nonexistent/spacenews-nowhere", "timeline"], "spacenews timeline"),
    (["--corpus", "", "timeline"], "spacenews"),  # an empty path is not the current folder
    (["--db", "", "timeline"], "spacenews"),
    (["export", "-o", ""], "spacenews export"),
    (["fetch", "http://127.0.0.1:9/feed.xml", "--into", ""], "spacenews fetch"),
    (["related", ""], "spacenews related"),  # empty names and queries
    (["related", "  "], "spacenews related"),
    (["search", ""], "spacenews search"),
    (["search", "", " "], "spacenews search"),
    (["show", ""], "spacenews show"),
    (["timeline", "--entity", ""], "spacenews timeline"),
    (["export", "-e", ""], "spacenews export"),
    (["timeline", "--json", "--jsonl"], "spacenews timeline"),  # spacenews' own
    (["show", "2016-13"], "spacenews show"),
    (["schema", "nope"], "spacenews schema"),
]


@pytest.mark.parametrize(("args", "command"), USAGE_ERRORS)
def test_a_usage_error_is_one_line_with_a_hint(
    runner: CliRunner, args: list[str], command: str
) -> None:
    result = run(runner, *args)
    assert (result.exit_code, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert line.startswith("spacenews: error: ")
    assert line.endswith(f" (see {command} --help)")


def test_a_usage_error_says_what_is_wrong(runner: CliRunner) -> None:
    said = {
        ("timeline", "--limit", "abc"): "'abc' is not a valid int",
        ("related",): "Missing argument 'ENTITY'",
        ("bogus",): "No such command 'bogus'",
        ("timeline", "--by", "week"): "'week' is not one of 'year', 'month', 'decade'",
        ("related", ""): "an entity name cannot be empty",
        ("search", ""): "the words to search for cannot be empty",
        ("--corpus", "", "timeline"): "Invalid value for '--corpus' / '-c': the path is empty",
        ("--db", "", "timeline"): "Invalid value for '--db': the path is empty",
        ("export", "-o", ""): "Invalid value for '--output' / '-o': the path is empty",
    }
    for args, message in said.items():
        assert message in run(runner, *args).stderr


def test_a_usage_error_shortens_the_long_values_it_echoes(runner: CliRunner) -> None:
    value = "9" * 50 + "x" * 50
    for args in (["timeline", "--limit", value], ["timeline", f"--limit={value}"], [value]):
        line = run(runner, *args).stderr
        assert value not in line
        assert f"'{value[:59]}…'" in line
    option = "--" + "o" * 100
    assert f"No such option: {option[:59]}… " in run(runner, "timeline", option).stderr


def test_nothing_found_shortens_a_long_query_or_name_as_a_usage_error_does(
    runner: CliRunner,
) -> None:
    words = " ".join(["zzqx"] * 800)  # a page pasted as a query
    for args in (["search", words], ["related", words], ["timeline", "--entity", words]):
        result = run(runner, *args)
        assert result.exit_code == 1 and words not in result.stderr, args
        assert f"'{words[:59]}…'" in result.stderr, args


def test_a_usage_error_echoes_no_control_character(runner: CliRunner) -> None:
    result = run(runner, "--corpus", "/nonexistent/\x1b[2Jnowhere", "timeline")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\\x1b[2Jnowhere" in result.stderr


@pytest.mark.parametrize("args", [[], ["cache"]], ids=str)
def test_no_arguments_shows_the_help_on_stdout_as_help_does(
    runner: CliRunner, args: list[str]
) -> None:
    # Found by a newcomer's try-out: spacenews | less showed nothing, click 8.2 writing
    # this help to stderr with exit 2.
    result = run(runner, *args)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == run(runner, *args, "--help").stdout
    assert result.stdout.startswith(f"Usage: spacenews {' '.join(args)}")


def test_the_console_script_says_a_usage_error_in_one_line() -> None:
    done = _console("timeline", "--by", "week")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "spacenews: error: Invalid value for '--by': 'week' is not one of 'year', 'month', "
        "'decade'. (see spacenews timeline --help)\n"
    )


# One event, one entry

PROBES = FIXTURES / "corpus" / "probes"
PARKER_TR = "tr/2018-08-11-parker.markdown"


def test_show_gives_a_translated_page_as_one_event_with_its_translations(
    runner: CliRunner,
) -> None:
    (event,) = run_json(runner, "--corpus", str(PROBES), "show", "2018-08-12")
    assert (event["id"], event["headline"]) == ("2018-08-12/parker", "Parker Solar Probe")
    assert event["body"].startswith("The Parker Solar Probe is studying the Sun")
    assert event["documents"] == ["en/2018-08-11-parker.markdown", PARKER_TR]
    ((translation),) = event["translations"]
    assert (translation["lang"], translation["headline"]) == ("tr", "Parker Güneş Sondası")
    assert translation["body"].startswith("Parker Güneş Sondası, Güneş'i en yakından")
    assert translation["document"] == PARKER_TR


def test_show_lists_the_files_of_a_merged_event_only(runner: CliRunner) -> None:
    env = {"COLUMNS": "100", "NO_COLOR": "1"}
    shown = runner.invoke(app, ["--corpus", str(PROBES), "show", "2018-08-12"], env=env).stdout
    assert "\nTranslations\n  tr  Parker Güneş Sondası\n" in shown
    assert (
        "\nFiles\n  en/2018-08-11-parker.markdown\n  tr/2018-08-11-parker.markdown  (tr)\n"
    ) in shown
    alone = runner.invoke(app, ["--corpus", str(PROBES), "show", "2003-06-02"], env=env).stdout
    assert "Files" not in alone and "Translations" not in alone


def test_search_finds_a_translated_event_by_either_language(runner: CliRunner) -> None:
    for words in (["Sondası"], ["solar", "probe"]):
        found = run_json(runner, "--corpus", str(PROBES), "search", *words)
        assert [item["id"] for item in found if item["kind"] == "event"][:1] == [
            "2018-08-12/parker"
        ]


STORY_PAGE = """## [2014-11-12](/news/2014/11/12/index.md)

### [Rosetta mission. The Philae lander touches down on comet 67P.](/news/2014/11/12/a.md)

_Context: Rosetta mission, Philae_

### [Rosetta mission. The lander bounces twice.](/news/2014/11/12/b.md)

##### Rosetta mission

### [The Philae lander touches down on comet 67P.](/news/2014/11/12/c.md)

### [Rosetta mission. The orbiter watches.](/news/2014/11/12/d.md)

### [The orbiter watches.](/news/2014/11/12/e.md)

## [2014-11-13](/news/2014/11/13/index.md)

##### Rosetta mission

### [The Philae lander touches down on comet 67P.](/news/2014/11/13/c.md)
"""


def test_an_item_written_with_its_story_title_is_one_event(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "days.md").write_text(STORY_PAGE, "utf-8")
    events = run_json(runner, "--corpus", str(tmp_path), "timeline")
    assert len(events) == 4  # of six items: two are written twice
    found = {(e["id"], e["headline"], e["story"], len(e["documents"])) for e in events}
    assert found == {
        (
            "2014-11-12/the-philae-lander-touches-down-on-comet-67p",
            "Rosetta mission. The Philae lander touches down on comet 67P.",
            "Rosetta mission",
            1,
        ),
        # No story heading above it, and no name of its context for a title: it stays whole.
        (
            "2014-11-12/rosetta-mission-the-lander-bounces-twice",
            "Rosetta mission. The lander bounces twice.",
            "",
            1,
        ),
        (
            "2014-11-12/the-orbiter-watches",
            "Rosetta mission. The orbiter watches.",
            "Rosetta mission",
            1,
        ),
        # The same item on another day is another event.
        (
            "2014-11-13/the-philae-lander-touches-down-on-comet-67p",
            "The Philae lander touches down on comet 67P.",
            "Rosetta mission",
            1,
        ),
    }


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["related", "x\x1by"], "no entity named 'x\\x1by'"),
        (["timeline", "--entity", "x\x1by"], "no entity named 'x\\x1by'"),
        (
            ["related", "Mars", "--in", "2030", "--entity", "x\u202ey"],
            "no entity named 'x\\u202ey'",
        ),
        (["search", "x\x1byzzq"], "nothing matches 'x\\x1byzzq'"),
    ],
)
def test_a_name_or_words_given_are_echoed_escaped_once(
    runner: CliRunner, args: list[str], said: str
) -> None:
    # Found by a newcomer's try-out: related $'x\ey' said 'x\\x1by' (escaped, then repr'd
    # again) where search said 'x\x1byzzq'.
    result = run(runner, *args)
    assert result.exit_code == 1 and result.stderr.startswith(f"spacenews: {said}")


@pytest.mark.parametrize(
    "args",
    [
        ["related", "."],
        ["related", "🚀", "…"],
        ["related", "_"],
        ["timeline", "--entity", "..."],
        ["search", "mars", "-e", "!!"],
        ["show", "2016", "--entity", "-"],
    ],
    ids=str,
)
def test_a_name_of_punctuation_alone_is_a_usage_error(runner: CliRunner, args: list[str]) -> None:
    # Found by a newcomer's try-out: related . listed a document "via mention" (its "...")
    # where search . is a usage error.
    result = run(runner, *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "give a name: punctuation and symbols alone name nothing" in result.stderr
