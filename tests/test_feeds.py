"""Feeds (RSS, Atom, RSS 1.0), JSON Feed and Spaceflight News API responses: detected from
their content, read as events on their UTC day, merged across formats by their link."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews.loader import decode_bytes, load_corpus
from spacenews.model import Source
from spacenews.parse import handlers, parse_text
from spacenews.parse.items import utc_day
from spacenews.parse.markup import html_text

from .conftest import FIXTURES, run_json

PARSE = FIXTURES / "parse"
FORMATS = {
    "feed_esa_rss2.xml": "feed",
    "feed_nasa_atom.xml": "feed",
    "feed_rss1_rdf.xml": "feed",
    "jsonfeed_planetary.jsonfeed": "json-feed",
    "snapi_articles.snapi": "snapi",
    "snapi_one_blog.snapi": "snapi",
}


def _text(name: str) -> str:
    return decode_bytes((PARSE / name).read_bytes())[0]


@pytest.mark.parametrize(("name", "handler"), FORMATS.items())
def test_each_format_is_detected_from_its_content(name: str, handler: str) -> None:
    text = _text(name)
    assert next(h.name for h in handlers() if h.detect(text)) == handler


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><head><title>Not found</title></head><body>feed</body></html>",
        '{"version": "1.1", "items": []}',
        '{"title": "published_at", "news_site": 1}'[:30],
        "<p>An article that mentions <rss> in passing.</p>",
    ],
)
def test_lookalikes_are_not_taken_for_feeds(text: str) -> None:
    assert next(h.name for h in handlers() if h.detect(text)) == "text"


@pytest.mark.parametrize("name", FORMATS)
def test_timeline_reads_each_format_where_it_lies(runner: CliRunner, name: str) -> None:
    events = run_json(runner, "--corpus", str(PARSE / name), "timeline")
    expected = parse_text(_text(name), name).records
    assert sorted(e["headline"] for e in events) == sorted(r.headline for r in expected)
    assert all(e["date_source"] == "published" for e in events)


def test_a_story_in_a_feed_and_in_the_api_is_one_event_with_both_sources() -> None:
    corpus = load_corpus([PARSE / "feed_esa_rss2.xml", PARSE / "snapi_articles.snapi"])
    ariane = [e for e in corpus.events if "Ariane" in e.headline]
    assert len(ariane) == 1
    assert [source.title for source in ariane[0].sources] == ["ESA Top News", "ESA"]
    assert ariane[0].documents == ("feed_esa_rss2.xml", "snapi_articles.snapi")
    assert ariane[0].date.isoformat() == "2025-08-12"  # 00:37 at +02:00 is the 12th in UTC
    assert len(corpus.events) == 2 + 2 - 1


def test_items_without_a_date_are_documents() -> None:
    parsed = parse_text(_text("jsonfeed_planetary.jsonfeed"), "p.json")
    assert [(d.title, d.format) for d in parsed.documents] == [("Support our work", "json-feed")]
    parsed = parse_text(_text("feed_esa_rss2.xml"), "esa.rss")
    assert [(d.title, d.format) for d in parsed.documents] == [("About ESA", "feed")]


def test_a_broken_feed_is_a_problem_and_keeps_what_it_could_read() -> None:
    text = _text("feed_esa_rss2.xml").replace("</channel>", "")
    parsed = parse_text(text, "esa.rss")
    assert parsed.problems and parsed.problems[0].reason.startswith("not a well-formed feed")
    assert not parsed.problems[0].skipped
    empty = parse_text('<?xml version="1.0"?><rss><channel><title>x</ti', "bad.rss")
    assert empty.problems[0].skipped


def test_html_is_read_as_text_and_scripts_are_dropped() -> None:
    html = "<h2>Title</h2><p>One &amp; <b>two</b></p><script>alert(1)</script><p>three</p>"
    assert html_text(html) == "Title\n\nOne & two\n\nthree"


@pytest.mark.parametrize(
    ("stamp", "day"),
    [
        ("2025-08-13T00:37:00+02:00", "2025-08-12"),
        ("2025-08-12T22:37:00Z", "2025-08-12"),
        ("2025-08-12T22:37:00-04:00", "2025-08-13"),
        ("2025-08-12T22:37:00", "2025-08-12"),
        ("2025-08-12", "2025-08-12"),
    ],
)
def test_the_day_is_the_utc_day(stamp: str, day: str) -> None:
    assert str(utc_day(stamp)) == day


@given(st.one_of(st.none(), st.text(), st.integers(), st.datetimes().map(str)))
def test_any_time_stamp_gives_a_day_or_none(stamp: Any) -> None:
    utc_day(stamp)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
_KEYS = st.sampled_from(["title", "url", "summary", "published_at", "news_site", "tags"])


@given(st.lists(st.dictionaries(_KEYS, _JSON), max_size=4))
def test_any_api_results_parse(results: list[dict[str, Any]]) -> None:
    text = json.dumps({"results": [{"news_site": "x", "published_at": None}, *results]})
    assert parse_text(text, "api.json").problems == []


@given(st.lists(_JSON, max_size=4))
def test_any_json_feed_items_parse(items: list[Any]) -> None:
    text = json.dumps({"version": "https://jsonfeed.org/version/1", "items": items})
    for record in parse_text(text, "feed.json").records:
        assert record.headline or not record.body


@given(st.text(alphabet="<>/ rsitemlchanpubDt&;x", max_size=80))
def test_any_text_in_a_feed_parses(inside: str) -> None:
    parse_text(f'<?xml version="1.0"?><rss version="2.0"><channel>{inside}', "f.rss")


def test_reading_the_seeds_imports_neither_feedparser_nor_http() -> None:
    code = (
        "import sys; from spacenews.loader import load_corpus; load_corpus();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('feedparser', 'http')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_an_item_title_is_data_not_markup(tmp_path: Path, runner: CliRunner) -> None:
    feed = tmp_path / "x.rss"
    title = "[bold red]Launch[/] \x1b[2J&lt;b&gt;"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>X</title><item>'
        f"<title>{title}</title><link>https://x.org/a</link>"
        "<pubDate>Mon, 01 Sep 2025 10:00:00 GMT</pubDate></item></channel></rss>",
        "utf-8",
    )
    (event,) = run_json(runner, "--corpus", str(feed), "timeline")
    assert event["headline"] == "[bold red]Launch[/]"


@pytest.mark.parametrize(
    "text", ['{"news_site": "x", "published_at": ', '{"version": "https://jsonfeed.org/version/1"']
)
def test_json_that_does_not_parse_is_one_skipped_problem(text: str) -> None:
    parsed = parse_text(text, "x.json")
    assert [(p.reason[:14], p.skipped) for p in parsed.problems] == [("not valid JSON", True)]


@pytest.mark.parametrize(("command", "args"), [("related", ["ESA"]), ("timeline", [])])
def test_news_output_follows_the_schema(
    runner: CliRunner, tmp_path: Path, command: str, args: list[str]
) -> None:
    from jsonschema import Draft202012Validator

    from spacenews.schema import SCHEMAS

    for name in FORMATS:
        (tmp_path / name).write_bytes((PARSE / name).read_bytes())
    output = run_json(runner, "-c", str(tmp_path), command, *args)
    assert "feed" in {item.get("format") for item in output} or command == "timeline"
    Draft202012Validator(SCHEMAS[command]).validate(output)


def test_a_page_saved_on_one_long_line_is_read_whole(tmp_path: Path) -> None:
    results = [
        {"title": f"Story {n}", "url": f"https://x.org/{n}", "news_site": "X",
         "summary": "s" * 200, "published_at": "2025-01-01T00:00:00Z"}
        for n in range(600)
    ]  # fmt: skip
    page = tmp_path / "articles.json"
    page.write_text(json.dumps({"count": 600, "next": None, "results": results}), "utf-8")
    assert len(page.read_text("utf-8")) > 100_000 and "\n" not in page.read_text("utf-8")
    corpus = load_corpus([page])
    assert len(corpus.events) == 600 and corpus.problems == ()


def test_an_api_site_name_is_cleaned_like_any_text() -> None:
    result = {"title": "T", "url": "https://x.org/\x1b[2Ja", "news_site": "Site\x1b]8;;x\x07",
              "published_at": "2025-01-01T00:00:00Z"}  # fmt: skip
    (record,) = parse_text(json.dumps(result), "one.json").records
    assert list(record.sources) == [Source("Site", "https://x.org/a")]


def test_a_refreshed_snapshot_merges_by_link_as_a_full_build_does(tmp_path: Path) -> None:
    from .conftest import state

    def page(number: int, extra: tuple[dict[str, Any], ...] = ()) -> str:
        results = [
            {"title": f"Story {number}-{n}", "url": f"https://x.org/{(number + n) % 30}",
             "news_site": f"Site {number}", "published_at": f"2025-09-0{1 + n % 3}T10:00:00Z"}
            for n in range(5)
        ]  # fmt: skip
        return json.dumps({"results": [*results, *extra]})

    for number in range(50):  # enough files to be cached
        (tmp_path / f"p{number:02}.json").write_text(page(number), "utf-8")
    load_corpus([tmp_path], cache=True)
    extra = {"title": "Told again", "url": "http://www.x.org/7/?utm_source=a",
             "news_site": "Late", "published_at": "2025-09-01T23:00:00Z"}  # fmt: skip
    (tmp_path / "p05.json").write_text(page(5, (extra,)), "utf-8")
    (tmp_path / "p07.json").unlink()
    refreshed = load_corpus([tmp_path], cache=True)
    assert state(refreshed) == state(load_corpus([tmp_path]))
    told = next(e for e in refreshed.events if any(s.title == "Late" for s in e.sources))
    assert len(told.sources) > 1
