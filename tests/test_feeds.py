"""Feeds (RSS, Atom, RSS 1.0), JSON Feed and Spaceflight News API responses: detected from
their content, read as events on their UTC day, merged across formats by their link."""

from __future__ import annotations

import json
import subprocess
import sys
from html import escape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews.loader import load_corpus
from spacenews.model import Problem, Source
from spacenews.parse import handlers, parse_text
from spacenews.parse.items import utc_day
from spacenews.parse.markup import html_text
from spacenews.parse.plaintext import TITLE_CHARS
from spacenews.reading import decode_bytes

from .conftest import FIXTURES, run, run_json

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
    page = text.startswith("<!DOCTYPE html>")  # a web page, read as one
    assert next(h.name for h in handlers() if h.detect(text)) == ("html" if page else "text")


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


def test_a_dated_item_without_a_title_or_text_is_headed_by_its_link_else_skipped() -> None:
    # Found by a review: such items were events with an empty headline ("2016-03-14/").
    date = "<pubDate>Mon, 14 Mar 2016 09:31:00 GMT</pubDate>"
    items = [f"<item><link>https://example.org/a</link>{date}</item>", f"<item>{date}</item>"]
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>{"".join(items)}'
    parsed = parse_text(feed + "</channel></rss>", "f.rss")
    assert [record.headline for record in parsed.records] == ["https://example.org/a"]
    assert parsed.problems == [
        Problem("f.rss", 0, "an item of 2016-03-14 has no title, text nor link: skipped")
    ]


def test_a_broken_feed_is_a_problem_and_keeps_what_it_could_read() -> None:
    text = _text("feed_esa_rss2.xml").replace("</channel>", "")
    parsed = parse_text(text, "esa.rss")
    assert parsed.problems and parsed.problems[0].reason.startswith("not a well-formed feed")
    assert not parsed.problems[0].skipped
    empty = parse_text('<?xml version="1.0"?><rss><channel><title>x</ti', "bad.rss")
    assert empty.problems[0].skipped


def test_a_broken_feed_is_told_by_check_and_no_document_is_titled_by_its_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("Notes\n\nThe feed below is cut.\n")
    (tmp_path / "broken.rss").write_text("<rss><channel><title>x</title><item><title>Cut off")
    checked = run(runner, "-c", str(tmp_path), "check")
    reason = "not a well-formed feed: no element found (skipped)"
    assert checked.stdout.splitlines() == [f"{tmp_path / 'broken.rss'}:1: {reason}"]
    assert run(runner, "-c", str(tmp_path), "search", "broken").exit_code == 1  # no such title


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


def _told(text: str, path: str) -> list[tuple[str, str, str, list[str], list[Source]]]:
    records = parse_text(text, path).records
    return [
        (r.date.isoformat(), r.headline, r.body, list(r.entities), list(r.sources)) for r in records
    ]


def test_an_item_without_title_or_link_is_headed_by_its_first_line_and_has_no_source() -> None:
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Red Planet Daily</title><item>'
        "<description>&lt;p&gt;Rover  wakes up&lt;/p&gt;&lt;p&gt;More news.&lt;/p&gt;"
        "</description><pubDate>Mon, 01 Sep 2025 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    # Its first line, the headline, is not said again in the body (found by a try-out).
    assert _told(rss, "f.rss") == [("2025-09-01", "Rover wakes up", "More news.", [], [])]
    alone = rss.replace("&lt;p&gt;More news.&lt;/p&gt;", "")
    assert _told(alone, "f.rss") == [("2025-09-01", "Rover wakes up", "", [], [])]
    long = rss.replace("Rover  wakes up", "Rover wakes up " * 20)  # cut as a headline: kept
    ((_, headline, body, _, _),) = _told(long, "f.rss")
    assert headline.endswith("…") and body.startswith("Rover wakes up Rover")


def test_an_entry_is_dated_when_published_not_when_updated_and_blank_categories_drop() -> None:
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        '<entry><title>T</title><link href="https://x.org/t"/>'
        '<category scheme="https://x.org/s"/><category term="Moon"/>'
        "<published>2025-01-01T10:00:00Z</published><updated>2025-02-03T10:00:00Z</updated>"
        "</entry></feed>"
    )
    assert _told(atom, "f.atom") == [
        ("2025-01-01", "T", "", ["Moon"], [Source("A", "https://x.org/t")])
    ]


def test_hidden_elements_nest_and_each_one_closes() -> None:
    assert html_text("<head><title>T</title>Hidden</head><p>Shown</p>") == "Shown"
    assert html_text("<script>a</script>b<script>c</script>d") == "bd"


def test_text_without_tags_is_still_read_as_html_paragraphs() -> None:
    assert html_text("Tom &amp; Jerry") == "Tom & Jerry"
    assert html_text("one\n two  words\n\nthree") == "one\n\ntwo words\n\nthree"


def _rss(channel: str, item: str) -> str:
    """An RSS 2.0 feed of one item published on 2025-09-01."""
    return (
        f'<?xml version="1.0"?>\n<rss version="2.0">\n<channel>{channel}\n<item>{item}'
        "<pubDate>Mon, 01 Sep 2025 10:00:00 GMT</pubDate></item>\n</channel></rss>"
    )


def test_a_feed_declared_in_another_encoding_is_read_as_the_text_it_was_decoded_to() -> None:
    # A KOI8-R feed converted to UTF-8 on the way, its declaration kept as it was.
    text = _rss("<title>Новости</title>", "<title>Запуск</title><link>https://x.org/a</link>")
    text = text.replace('version="1.0"?>', 'version="1.0" encoding="KOI8-R"?>')
    assert _told(text, "f.rss") == [
        ("2025-09-01", "Запуск", "", [], [Source("Новости", "https://x.org/a")])
    ]


def test_text_in_hidden_elements_of_an_item_is_not_read() -> None:
    html = "<p>A</p><template>Hidden</template><title>Hid</title><section>S</section>"
    text = _rss("<title>X</title>", f"<title>T</title><description>{escape(html)}</description>")
    assert _told(text, "f.rss") == [("2025-09-01", "T", "A\n\nS", [], [])]


def test_a_broken_feed_gives_the_line_and_the_complaint_of_the_xml_parser() -> None:
    text = _rss("<title>X</title>", "<title>T</title>").removesuffix("</rss>")
    parsed = parse_text(text, "f.rss")
    assert parsed.problems == [Problem("f.rss", 5, "not a well-formed feed: no element found")]
    assert [r.headline for r in parsed.records] == ["T"]


@pytest.mark.parametrize(
    ("channel", "name"),
    [("<link>https://x.org/</link>", "https://x.org/"), ("", "https://x.org/a")],
)
def test_a_feed_without_a_title_is_named_by_its_link_else_by_the_item_s(
    channel: str, name: str
) -> None:
    text = _rss(channel, "<title>T</title><link>https://x.org/a</link>")
    assert _told(text, "f.rss") == [("2025-09-01", "T", "", [], [Source(name, "https://x.org/a")])]


_V1 = "https://jsonfeed.org/version/1.1"


@pytest.mark.parametrize("feed", [{"version": _V1, "title": "X"}, {"version": _V1, "items": {}}])
def test_a_json_feed_without_a_list_of_items_is_one_skipped_problem(feed: dict[str, Any]) -> None:
    parsed = parse_text(json.dumps(feed), "x.json")
    assert (parsed.records, parsed.documents) == ([], [])
    assert parsed.problems == [Problem("x.json", 0, "a JSON Feed without items", skipped=True)]


def test_json_feed_that_does_not_parse_names_the_file_and_the_place() -> None:
    parsed = parse_text('{"version": "https://jsonfeed.org/version/1", "items": [}', "x.json")
    reason = "not valid JSON: Expecting value: line 1 column 57 (char 56)"
    assert parsed.problems == [Problem("x.json", 1, reason, skipped=True)]


def test_a_json_feed_summary_is_plain_text_and_an_item_without_url_has_no_source() -> None:
    feed = {"version": _V1, "home_page_url": "https://x.org/", "items": [
        {"id": "1", "title": "T", "url": "https://x.org/1",
         "summary": "Tags like <b> are shown as written", "date_published": "2025-01-01T00:00Z"},
        {"id": "2", "title": "U", "summary": "S", "date_published": "2025-01-02T00:00:00Z"},
    ]}  # fmt: skip
    assert _told(json.dumps(feed), "x.json") == [
        ("2025-01-01", "T", "Tags like <b> are shown as written", [],
         [Source("https://x.org/", "https://x.org/1")]),
        ("2025-01-02", "U", "S", [], []),
    ]  # fmt: skip


def test_an_api_result_that_is_no_object_is_a_problem_named_by_its_place() -> None:
    good = {"title": "T", "news_site": "S", "summary": "Tags like <b> are shown as written",
            "published_at": "2025-01-01T00:00:00Z"}  # fmt: skip
    parsed = parse_text(json.dumps({"results": [1, good, "x"]}), "api.json")
    assert parsed.problems == [
        Problem("api.json", 0, "result 1 is not an object"),
        Problem("api.json", 0, "result 3 is not an object"),
    ]
    # The summary is plain text; without a url the result has no source.
    assert _told(json.dumps([good]), "api.json") == [
        ("2025-01-01", "T", "Tags like <b> are shown as written", [], [])
    ]


def test_api_json_that_does_not_parse_names_the_file_and_the_place() -> None:
    parsed = parse_text('{"news_site": "x", "published_at": ', "api.json")
    reason = "not valid JSON: Expecting value: line 1 column 36 (char 35)"
    assert parsed.problems == [Problem("api.json", 1, reason, skipped=True)]


def test_an_undated_api_result_is_a_document_with_its_dated_mentions() -> None:
    result = {"title": "Undated", "news_site": "S", "published_at": None,
              "summary": "Artemis II flew on 6 April 2026. It was late."}  # fmt: skip
    (document,) = parse_text(json.dumps(result), "api.json").documents
    assert (document.title, document.format) == ("Undated", "snapi")
    assert [(m.date.isoformat(), m.snippet) for m in document.mentions] == [
        ("2026-04-06", "Artemis II flew on 6 April 2026.")
    ]


def test_an_undated_item_is_a_document_titled_by_its_first_line_else_by_its_file() -> None:
    feed = {"version": _V1, "items": [
        {"id": "1", "content_text": "Artemis II flew on 6 April 2026.\nIt was late.",
         "tags": ["Mars", "Mars", " "]},
        {"id": "2"},
    ]}  # fmt: skip
    parsed = parse_text(json.dumps(feed), "x.json")
    first = "Artemis II flew on 6 April 2026."
    assert [(d.title, d.format, d.tags) for d in parsed.documents] == [
        (first, "json-feed", ("Mars",)),
        ("x.json", "json-feed", ()),
    ]
    mentions = [(m.date.isoformat(), m.snippet) for m in parsed.documents[0].mentions]
    assert mentions == [("2026-04-06", first)]


def test_an_untitled_item_is_headed_by_its_first_line_cut_to_the_title_length() -> None:
    fits, cut = "a" * TITLE_CHARS, "b" * (TITLE_CHARS + 1)
    feed = {"version": _V1, "items": [
        {"id": str(n), "content_text": f"{line}\nsecond\nthird", "date_published": "2025-01-01"}
        for n, line in enumerate([fits, cut])
    ]}  # fmt: skip
    records = parse_text(json.dumps(feed), "x.json").records
    assert [r.headline for r in records] == [fits, "b" * (TITLE_CHARS - 1) + "…"]


def test_json_with_a_number_too_long_to_read_is_a_problem_of_the_whole_file() -> None:
    text = '{"news_site": "x", "published_at": ' + "1" * 5000 + "}"
    reason = (
        "not valid JSON: Exceeds the limit (4300 digits) for integer string conversion:"
        " value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit"
    )
    assert parse_text(text, "api.json").problems == [Problem("api.json", 0, reason, True)]


@pytest.mark.parametrize(
    ("stamp", "day"),
    [("2025-08-12T22:37:00", "2025-08-12"), ("2025-08-12T22:37-04:00", "2025-08-13")],
)
def test_the_day_does_not_depend_on_the_machine_s_time_zone(
    monkeypatch: pytest.MonkeyPatch, stamp: str, day: str
) -> None:
    import time

    monkeypatch.setenv("TZ", "Etc/GMT+12")  # twelve hours behind UTC
    time.tzset()
    try:
        assert str(utc_day(stamp)) == day
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(("name", "handler"), FORMATS.items())
def test_a_format_is_detected_after_blank_lines(name: str, handler: str) -> None:
    text = "\n \n" + _text(name)
    assert next(h.name for h in handlers() if h.detect(text)) == handler


def test_a_broken_feed_without_an_xml_declaration_gives_its_own_line() -> None:
    text = _rss("<title>X</title>", "<title>T</title>").split("\n", 1)[1].removesuffix("</rss>")
    assert parse_text(text, "f.rss").problems == [
        Problem("f.rss", 4, "not a well-formed feed: no element found")
    ]


def test_an_undated_item_s_text_is_decoded_once_as_a_dated_one_s() -> None:
    said = "<description>Use &amp;amp;lt;canvas&amp;amp;gt; at AT&amp;amp;amp;T.</description>"
    items = (
        f"<item><title>Dated</title><pubDate>Fri, 01 May 2020 10:00:00 GMT</pubDate>{said}</item>"
        f"<item><title>Undated</title>{said}</item>"
    )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>{items}</channel></rss>'
    )
    parsed = parse_text(feed, "feed.xml")
    (record,), (document,) = parsed.records, parsed.documents
    assert record.body == "Use &lt;canvas&gt; at AT&amp;T."
    assert [p.text for p in document.paragraphs] == [record.body]


def test_an_item_s_address_keeps_parameters_named_as_entities() -> None:
    # The XML reader decoded "&amp;": "&region=eu" is a parameter of the address, not "®ion".
    link = "<link>https://example.com/s?id=5&amp;region=eu&amp;copy=1&amp;amp;x=2</link>"
    day = "<pubDate>Fri, 01 May 2020 10:00:00 GMT</pubDate>"
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>'
        f"<item><title>T</title>{link}{day}</item></channel></rss>"
    )
    (record,) = parse_text(feed, "feed.xml").records
    assert record.sources[0].url == "https://example.com/s?id=5&region=eu&copy=1&x=2"
