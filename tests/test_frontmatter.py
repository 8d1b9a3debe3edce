"""Front matter read in full: entity fields, event-date fields, the post's own date kept as
published, noise tags, and a corpus's [frontmatter] table in spacenews.toml."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from spacenews.index.store import database_file
from spacenews.loader import CACHE_MIN_FILES
from spacenews.parse.fields import DEFAULT_FIELDS, Fields, FieldsError, fields_of
from spacenews.parse.frontmatter import entity_names, post_dates
from spacenews.schema import SCHEMAS
from spacenews.text import fold

from .conftest import FIXTURES, run, run_json

PROBES = [
    "2016-03-14-exomarsorbiter.markdown",
    "2019-07-13-spektrrg.markdown",
    "2016-09-08-osirisrex.markdown",
    "1997-10-15-cassini.markdown",
]
WORKSHOP = "2024-01-09-cubesat-developers-workshop-2024.md"
COLONIES = "2025-05-25-13-colonies-special-event-july-1-7.md"


def _corpus(folder: Path, *names: str, toml: str | None = None) -> Path:
    """A corpus folder holding these fixtures (copied from the shared corpora), and a
    spacenews.toml when given."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(FIXTURES / "parse" / name, folder / name)
    if toml is not None:
        (folder / "spacenews.toml").write_text(toml, "utf-8")
    return folder


def _events(runner: CliRunner, folder: Path, *args: str) -> dict[str, dict[str, Any]]:
    events = run_json(runner, "-c", str(folder), "timeline", *args)
    return {event["headline"]: event for event in events}


def test_related_finds_a_probe_by_its_team(runner: CliRunner, tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "probes", *PROBES)
    found = run_json(runner, "-c", str(folder), "related", "Roscosmos")
    # ExoMars lists Roscosmos in a link of its own, Spektr-RG as "Roscosmos and ESA".
    assert {(m["headline"], "tag" in m["via"]) for m in found} == {
        ("ExoMars Orbiter", True),
        ("Spektr-RG", True),
    }
    Draft202012Validator(SCHEMAS["related"]).validate(found)


def test_team_links_and_joined_names_are_read_as_names(runner: CliRunner, tmp_path: Path) -> None:
    events = _events(runner, _corpus(tmp_path / "probes", *PROBES))
    # "<a>NASA</a> / <a>JPL</a>", "<a>NASA</a> and <a>University of Arizona</a>"
    assert events["Cassini"]["names"][:4] == ["NASA", "JPL", "ESA", "ASI"]
    assert events["Cassini"]["entities"][1] == "Jet Propulsion Laboratory"  # its main name
    assert "University of Arizona" in events["OSIRIS-REx"]["entities"]
    assert "Bennu" in events["OSIRIS-REx"]["entities"]  # primary_target
    assert not any("<" in name for event in events.values() for name in event["entities"])


def test_a_probe_is_one_event_from_launch_to_arrival(runner: CliRunner, tmp_path: Path) -> None:
    events = _events(runner, _corpus(tmp_path / "probes", *PROBES))
    exomars = events["ExoMars Orbiter"]  # launch_date: March 14, 2016 (prose)
    assert (exomars["date"], exomars["date_source"]) == ("2016-03-14", "launch_date")
    assert exomars["end_date"] == "2016-10-19"  # arrival_date: October 19, 2016


def test_an_event_is_on_the_timeline_at_its_own_date(runner: CliRunner, tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "arw", WORKSHOP, COLONIES)
    [workshop] = run_json(runner, "-c", str(folder), "timeline", "2024-04-23")
    assert workshop["headline"] == "CubeSat Developers Workshop 2024"
    assert (workshop["date_source"], workshop["published"]) == ("eventdate", "2024-01-09")
    assert workshop["end_date"] is None
    assert "event" not in workshop["entities"]  # a noise tag, dropped by default
    nothing = run(runner, "-c", str(folder), "timeline", "2024-01-09")
    assert nothing.exit_code == 1
    colonies = _events(runner, folder)["13 Colonies Special Event July 1 – 7"]
    assert (colonies["date"], colonies["end_date"]) == ("2025-07-01", "2025-07-07")
    Draft202012Validator(SCHEMAS["timeline"]).validate(list(_events(runner, folder).values()))


def test_show_gives_the_days_of_an_event_and_when_it_was_published(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = _corpus(tmp_path / "arw", WORKSHOP, COLONIES)
    workshop = run(runner, "-c", str(folder), "show", "2024-04-23").stdout
    assert "2024-04-23  CubeSat Developers Workshop 2024  (published 2024-01-09)" in workshop
    colonies = run(runner, "-c", str(folder), "show", "2025-07-01").stdout
    assert "2025-07-01..2025-07-07  13 Colonies Special Event" in colonies
    # Published the day it happened: said in the JSON, not in the heading (a newcomer's
    # try-out found "(published 2024-04-23)" beside 2024-04-23).
    same = (folder / WORKSHOP).read_text("utf-8").replace("date: 2024-01-09", "date: 2024-04-23")
    (folder / WORKSHOP).write_text(same, "utf-8")
    [event] = run_json(runner, "-c", str(folder), "show", "2024-04-23")
    assert (event["date"], event["published"]) == ("2024-04-23", "2024-04-23")
    heading = run(runner, "-c", str(folder), "show", "2024-04-23").stdout.splitlines()[0]
    assert heading.rstrip() == "2024-04-23  CubeSat Developers Workshop 2024"


def test_a_post_dated_by_its_own_date_has_no_published(runner: CliRunner) -> None:
    events = run_json(runner, "-c", str(FIXTURES / "corpus" / "arw"), "timeline")
    hamvention = next(e for e in events if e["headline"] == "AMSAT at Hamvention 2023")
    assert (hamvention["date_source"], hamvention["published"]) == ("date", None)


def test_spacenews_toml_sets_the_fields(runner: CliRunner, tmp_path: Path) -> None:
    toml = """
[frontmatter]
date_fields = []
entity_fields = ["teams", "source"]
drop_tags = ["esa"]  # in any case
"""
    folder = _corpus(tmp_path / "c", WORKSHOP, *PROBES, toml=toml)
    events = _events(runner, folder)
    workshop = events["CubeSat Developers Workshop 2024"]
    # No event-date field: the post's own date dates it, and no end date is read.
    assert (workshop["date"], workshop["date_source"]) == ("2024-01-09", "date")
    assert (workshop["published"], workshop["end_date"]) == (None, None)
    assert workshop["entities"] == ["CubeSat"]  # its source, no tags
    assert events["Spektr-RG"]["entities"] == ["Roscosmos"]  # ESA dropped, no primary_target
    assert events["Spektr-RG"]["date_source"] == "filename"
    assert run(runner, "-c", str(folder), "check").exit_code == 0


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ('date_fields = "eventdate"', "[frontmatter] date_fields must be a list of non-empty"),
        ('entity_fields = ["tags", 3]', "[frontmatter] entity_fields must be a list of non-empty"),
        ('date_fields = [""]', "[frontmatter] date_fields must be a list of non-empty strings"),
        ('date_field = ["x"]', "[frontmatter] has no key 'date_field' (known: entity_fields,"),
        ('exclude = ["*.css"]', "[frontmatter] has no key 'exclude': put exclude = [...] before"),
    ],
)
def test_a_bad_key_of_a_frontmatter_table_is_one_line_and_the_others_are_read(
    runner: CliRunner, tmp_path: Path, table: str, reason: str
) -> None:
    # The good key beside it is read: a newcomer's try-out found the whole table dropped.
    toml = f'[frontmatter]\ndrop_tags = ["cubesat developers workshop"]\n{table}\n'
    folder = _corpus(tmp_path / "c", WORKSHOP, toml=toml)
    checked = run(runner, "-c", str(folder), "check")
    assert checked.exit_code == 1
    [line] = checked.stdout.splitlines()
    assert line.startswith(f"{folder / 'spacenews.toml'}:0: {reason}")  # a path one can open
    said = ": not read" if "has no key" in reason else ": its default is used"
    assert line.endswith(said)
    event = _events(runner, folder)["CubeSat Developers Workshop 2024"]
    assert event["date"] == "2024-04-23" and event["entities"] == ["post", "event"]


# Posts whose date fields name no real day, and the line check gives each.
IMPOSSIBLE = {
    "front_matter_date_month_13.md": "4: date 2020-13-01 names no real day",
    "front_matter_eventdate_february_30.md": "4: eventdate 2020-02-30 names no real day",
    "front_matter_date_five_digits.md": "3: date 12020-01-05 names no real day",
    "hugo-toml-impossible-date.md": "3: date 2020-02-30T10:00:00Z names no real day",
}


def test_check_names_each_impossible_date_and_the_post_stays(
    runner: CliRunner, corpus_dir: Path
) -> None:
    folder = _corpus(corpus_dir, *IMPOSSIBLE)
    expected = [f"{folder / name}:{line}" for name, line in IMPOSSIBLE.items()]
    for options in ([], [], ["--no-cache"]):  # made, then read from the kept index; none
        checked = run(runner, *options, "-c", str(folder), "check")
        assert checked.exit_code == 1
        assert sorted(line for line in checked.stdout.splitlines() if "no real day" in line) == (
            sorted(expected)
        )
    events = _events(runner, folder)
    # The field alone is not read: the post's own date dates it, or it is a document.
    assert events["An event on February 30"]["date_source"] == "date"
    found = run_json(runner, "-c", str(folder), "search", "thirteen", "digits", "TOML")
    assert {result["title"] for result in found} == {
        "Month thirteen",
        "Five digits",
        "A TOML post on no day",
    }


@pytest.mark.parametrize(
    ("written", "day", "said"),
    [
        ("2024/05/23", "2024-05-23", ""),  # year first, as Hugo reads it
        ("'2024.05.23'", "2024-05-23", ""),
        ("23/05/2024", None, "date '23/05/2024' is no day (write YYYY-MM-DD): not read"),
        ("tomorrow", None, "date 'tomorrow' is no day (write YYYY-MM-DD): not read"),
        ("May 2024", None, "date 'May 2024' is no day (write YYYY-MM-DD): not read"),
        ("2024", None, "date '2024' is no day (write YYYY-MM-DD): not read"),
        ("2024/13/45", None, "date 2024/13/45 names no real day"),
        ("''", None, ""),
    ],
)
def test_a_date_field_that_is_no_day_is_a_line_of_check(
    runner: CliRunner, tmp_path: Path, written: str, day: str | None, said: str
) -> None:
    # Found by a newcomer's try-out: date: 2024/05/23 made the post undated, and check
    # said nothing.
    (tmp_path / "post.md").write_text(f"---\ntitle: A post\ndate: {written}\n---\nText.\n")
    checked = run(runner, "-c", str(tmp_path), "check")
    assert checked.stdout == (f"{tmp_path / 'post.md'}:3: {said}\n" if said else "")
    events = run_json(runner, "-c", str(tmp_path), "timeline")
    assert [event["date"] for event in events] == ([day] if day else [])


def test_each_mistake_of_a_frontmatter_table_is_a_line(runner: CliRunner, tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "c", WORKSHOP, toml='[frontmatter]\ndate_fields = "x"\nbogus = 1\n')
    checked = run(runner, "-c", str(folder), "check")
    toml = folder / "spacenews.toml"
    assert checked.stdout.splitlines() == [
        f"{toml}:0: [frontmatter] date_fields must be a list of non-empty strings: its default"
        " is used",
        f"{toml}:0: [frontmatter] has no key 'bogus' (known: {', '.join(Fields._fields)}):"
        " not read",
    ]


def test_each_corpus_path_is_read_with_its_own_fields(runner: CliRunner, tmp_path: Path) -> None:
    mine = _corpus(tmp_path / "mine", WORKSHOP, toml="[frontmatter]\ndate_fields = []\n")
    theirs = _corpus(tmp_path / "theirs", COLONIES)
    events = run_json(runner, "-c", str(mine), "-c", str(theirs), "timeline")
    assert {e["date"]: e["date_source"] for e in events} == {
        "2024-01-09": "date",  # mine: no event-date field
        "2025-07-01": "eventdate",  # theirs: the defaults
    }


def test_a_calendar_event_spans_the_days_up_to_its_end(runner: CliRunner, tmp_path: Path) -> None:
    from icalendar import Calendar

    folder = _corpus(tmp_path / "arw", WORKSHOP, COLONIES)
    result = run(runner, "-c", str(folder), "export", "--format", "ics")
    days = {
        str(entry["SUMMARY"]): (entry.decoded("DTSTART"), entry.decoded("DTEND"))
        for entry in Calendar.from_ical(result.stdout).walk("VEVENT")
    }
    assert days == {
        "CubeSat Developers Workshop 2024": (date(2024, 4, 23), date(2024, 4, 24)),
        "13 Colonies Special Event July 1 – 7": (date(2025, 7, 1), date(2025, 7, 8)),
    }


def test_a_calendar_event_on_the_last_day_a_date_holds_is_exported(
    runner: CliRunner, tmp_path: Path
) -> None:
    # found by the differential fuzz: date + 1 day overflowed, an internal error (exit 3)
    from icalendar import Calendar

    folder = tmp_path / "hugo"
    folder.mkdir()
    (folder / "end.md").write_text('+++\ntitle = "End"\ndate = 9999-12-31T23:59:59Z\n+++\n\nB.\n')
    (folder / "span.md").write_text("---\ntitle: Span\neventdate: 9999-12-30\n"
                                    "eventdateend: 9999-12-31\n---\n\nB.\n")  # fmt: skip
    result = run(runner, "-c", str(folder), "export", "--format", "ics")
    assert result.exit_code == 0, result.stderr
    days = {
        str(entry["SUMMARY"]): (entry.decoded("DTSTART"), entry.get("DTEND"), entry.get("DURATION"))
        for entry in Calendar.from_ical(result.stdout).walk("VEVENT")
    }
    assert {title: (start, end, d and d.dt) for title, (start, end, d) in days.items()} == {
        "End": (date(9999, 12, 31), None, timedelta(days=1)),  # RFC 5545: DURATION in its place
        "Span": (date(9999, 12, 30), None, timedelta(days=2)),
    }


@pytest.mark.parametrize(
    ("team", "names"),
    [  # as the spaceprob.es pages write them, in English and Turkish
        (
            '<a href="http://www.nasa.gov/osiris-rex">NASA</a> ve '
            '<a href="http://www.asteroidmission.org/">Arizona Üniversitesi</a>',
            ["NASA", "Arizona Üniversitesi"],
        ),
        (
            '<a href="http://en.hit.edu.cn/news/3117">Harbin Institute of Technology</a>.',
            ["Harbin Institute of Technology"],
        ),
        ("China Academy of Space Technology.", ["China Academy of Space Technology"]),
        ("Roscosmos and ESA", ["Roscosmos", "ESA"]),
        ('<a href = "http://voyager.jpl.nasa.gov/">NASA / JPL</a>', ["NASA", "JPL"]),
        ("U.S. Navy & <a href=x>JHU/APL</a>", ["U.S. Navy", "JHU/APL"]),
        ("Caltech / U.S.", ["Caltech", "U.S."]),  # an abbreviation keeps its dots
        ("<a href=x>ESA</a> (*)", ["ESA"]),  # no letter, no name
    ],
)
def test_a_team_as_written_gives_its_names(team: str, names: list[str]) -> None:
    assert list(entity_names({"teams": [team]})) == names


def test_a_frontmatter_key_must_be_a_table(tmp_path: Path) -> None:
    with pytest.raises(FieldsError, match=r"^\[frontmatter\] must be a table$"):
        fields_of(["tags"])


def test_an_edited_spacenews_toml_is_read_by_a_cached_run(
    runner: CliRunner, corpus_dir: Path
) -> None:
    """The fields decide what the index holds: a cached run after an edit of spacenews.toml
    answers as a run without the cache does."""
    _corpus(corpus_dir, WORKSHOP, *PROBES)
    assert sum(path.is_file() for path in corpus_dir.rglob("*")) >= CACHE_MIN_FILES
    tables = [
        None,
        '[frontmatter]\ndate_fields = []\nentity_fields = ["teams"]\n',
        '[frontmatter]\ndrop_tags = ["NASA"]\n',
        '[aliases]\n"Zed" = ["Zorb"]\n[frontmatter]\ndrop_tags = ["NASA"]\n',
        None,
    ]
    answers = []
    for table in tables:
        toml = corpus_dir / "spacenews.toml"
        toml.unlink(missing_ok=True)
        if table is not None:
            toml.write_text(table, "utf-8")
        cached = run(runner, "-c", str(corpus_dir), "timeline", "--json")
        fresh = run(runner, "--no-cache", "-c", str(corpus_dir), "timeline", "--json")
        assert json.loads(cached.stdout) == json.loads(fresh.stdout)
        answers.append(json.loads(cached.stdout))
    assert database_file([corpus_dir]).exists()  # the cached runs read a kept index
    assert answers[0] != answers[1] != answers[2]  # each table was read
    assert answers[0] == answers[4]


def _names(lists: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(lists, max_size=6)


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
# Plain names: words without the marks that join or tag names.
_NAME = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 .'-]{0,18}[A-Za-z0-9]", fullmatch=True).filter(
    lambda name: " and " not in f" {name} " and "  " not in name
)


@given(_names(_TEXT), _names(_TEXT))
def test_no_entity_name_is_a_dropped_tag_or_empty(tags: list[str], drop: list[str]) -> None:
    fields = Fields(drop_tags=tuple(name for name in drop if name))
    names = entity_names({"tags": tags, "teams": tags}, fields)
    assert all(name and name == name.strip() for name in names)
    assert not {fold(name) for name in names} & {fold(name) for name in fields.drop_tags}
    assert len(set(names)) == len(names)


@given(_names(_NAME), st.sampled_from(["", " ", " / ", " and ", " ve ", ", ", "<br>"]))
def test_every_link_text_of_a_team_is_a_name(teams: list[str], between: str) -> None:
    linked = between.join(f'<a href="https://example.org/{n}">{n}</a>' for n in teams)
    dropped = {fold(name) for name in DEFAULT_FIELDS.drop_tags}
    expected = [name for name in dict.fromkeys(teams) if fold(name) not in dropped]
    assert list(entity_names({"teams": [linked]})) == expected
    # One tag is one name, even when it reads like two ("Ham Radio and More").
    assert list(entity_names({"tags": [" and ".join(teams)]}, Fields(drop_tags=()))) == (
        [" and ".join(teams)] if teams else []
    )


_DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(_DAYS, _DAYS, st.none() | _DAYS)
def test_an_event_date_field_dates_the_event_and_keeps_the_post_date(
    published: date, day: date, end: date | None
) -> None:
    header: dict[str, object] = {"date": published.isoformat(), "eventdate": day.isoformat()}
    if end is not None:
        header["arrival_date"] = end.isoformat()
    dating = post_dates(header, "post.md")
    assert (dating.day, dating.source, dating.published) == (day, "eventdate", published)
    assert dating.end == (end if end is not None and end > day else None)
    assert post_dates(header, "post.md", Fields(date_fields=())) == (published, "date", None, None)


@given(
    st.dictionaries(
        st.sampled_from(["entity_fields", "date_fields", "end_date_fields", "drop_tags"]),
        st.lists(st.text(min_size=1, max_size=8), max_size=4),
    )
)
def test_a_frontmatter_table_sets_the_keys_it_gives_and_leaves_the_others(
    table: dict[str, list[str]],
) -> None:
    fields, reasons = fields_of(table)
    assert reasons == []
    for key in ("entity_fields", "date_fields", "end_date_fields", "drop_tags"):
        expected = tuple(table[key]) if key in table else getattr(DEFAULT_FIELDS, key)
        assert getattr(fields, key) == expected
    assert (fields.key() == DEFAULT_FIELDS.key()) == (fields == DEFAULT_FIELDS)


def test_a_date_of_more_digits_than_python_reads_is_no_real_day() -> None:
    # int() refuses a number of more than 4,300 digits (ValueError): the post was skipped,
    # 'could not be parsed', where a date field that names no real day is left out.
    from spacenews.parse.frontmatter import parse

    year = "9" * 5000
    parsed = parse(f"---\ntitle: Big\ndate: {year}-01-01\n---\nAbout Mars.\n", "big.md")
    assert [document.title for document in parsed.documents] == ["Big"]
    assert [problem.line for problem in parsed.problems] == [3]
    assert "names no real day" in parsed.problems[0].reason


@pytest.mark.parametrize(
    ("header", "sources"),
    [
        (
            "source: https://example.org/a",
            [{"title": "https://example.org/a", "url": "https://example.org/a"}],
        ),
        ("source: ESA\nsourceurl: https://esa.int/", [{"title": "ESA", "url": "https://esa.int/"}]),
        ("source: ESA", []),  # a name, no address: no source to link
        ("source: javascript:alert(1)", []),
    ],
)
def test_a_source_is_its_url_or_a_source_that_is_one(
    runner: CliRunner, tmp_path: Path, header: str, sources: list[dict[str, str]]
) -> None:
    # Found by a newcomer's try-out: source: https://... alone was dropped without a word.
    (tmp_path / "s.md").write_text(f"---\ntitle: S\ndate: 2024-01-01\n{header}\n---\nx\n")
    (event,) = run_json(runner, "-c", str(tmp_path), "timeline")
    assert event["sources"] == sources
