"""Web pages saved as HTML: their text without what lies around it, their title and date."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews.cli import app
from spacenews.loader import load_corpus
from spacenews.parse import handler_for, parse_text
from spacenews.parse.htmlpage import PUBLISHED_META
from spacenews.parse.plaintext import TITLE_CHARS
from spacenews.reading import MAX_LINE_CHARS
from spacenews.text import shorten

from .conftest import FIXTURES, run_json

PAGES = FIXTURES / "parse"
_WORDS = st.lists(st.sampled_from(["Mars", "orbiter", "ESA", "lands", "été", "火星", "1969"]))
_INLINE = st.sampled_from(["{}", "<b>{}</b>", "<a href='/x'>{}</a>", "<span>\n{}\n</span>"])


def _page(head: str, body: str) -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>{body}</body></html>"


def test_a_page_is_read_as_html_whatever_its_name() -> None:
    for name in ["page_esa_article.html", "page_jsonld.html", "page_undated.htm"]:
        text = (PAGES / name).read_text("utf-8")
        assert handler_for(text).name == "html", name
    # A page may leave out <html>, and <head> too.
    for page in ["<head><title>T</title></head><body><p>x</p>", "<BODY>\n<p>x</p></BODY>"]:
        assert handler_for(page).name == "html", page
    # A fragment without a root is no page: prose, as before.
    assert handler_for("<p>Mars Express reaches Mars.</p>").name == "text"


@given(st.lists(st.lists(st.tuples(_WORDS, _INLINE), min_size=1, max_size=4), max_size=5))
def test_a_page_s_text_is_its_paragraphs_whatever_its_inline_tags_and_line_ends(
    paragraphs: list[list[tuple[list[str], str]]],
) -> None:
    html = "\n".join(
        "<p>" + "\n".join(inline.format(" ".join(words)) for words, inline in parts) + "</p>"
        for parts in paragraphs
    )
    expected = [
        " ".join(word for words, _ in parts for word in words)
        for parts in paragraphs
        if any(words for words, _ in parts)
    ]
    (document,) = parse_text(_page("", "<nav>Menu</nav>" + html), "p.html").documents
    assert [p.text for p in document.paragraphs] == expected
    # No title: its first line, cut short.
    assert document.title == (shorten(expected[0], TITLE_CHARS) if expected else "p.html")


def test_what_lies_around_a_page_s_text_is_left_out() -> None:
    body = (
        "<header>Site <nav>Home News</nav></header><script>var x = '<p>code</p>';</script>"
        "<article><h1>Juice flies by</h1><p>Juice flew by Venus.</p>"
        "<aside>Share this</aside><form><button>Send</button></form></article>"
        "<footer>Copyright</footer><svg><title>icon</title></svg>"
    )
    (document,) = parse_text(_page("<style>p {}</style>", body), "p.html").documents
    assert document.title == "Juice flies by"
    assert [p.text for p in document.paragraphs] == ["Juice flew by Venus."]


def test_every_article_is_the_text_and_a_banner_s_heading_is_no_title() -> None:
    # A listing (a blog's page 2, saved by wget) holds several: each is the page's.
    body = (
        "<header><h1>Orbital Notes</h1><svg><title>logo</title></svg></header>"
        "<article><p>Juice flew by Venus.</p><article><p>Quoted.</p></article></article>"
        "<p>Comments: 3</p><article><p>Next post.</p></article>"
    )
    (document,) = parse_text(_page("", body), "p.html").documents
    assert document.title == "Juice flew by Venus."  # its first line: no title, no h1
    assert [p.text for p in document.paragraphs] == [
        "Juice flew by Venus.",
        "Quoted.",
        "Next post.",
    ]
    # The main element holds the page's own: articles outside it are others' (cards).
    page = _page("", "<article><p>Teaser.</p></article><main><p>Story.</p></main>")
    assert [p.text for p in parse_text(page, "p.html").documents[0].paragraphs] == ["Story."]


def test_an_article_s_own_header_is_its_text_and_clutter_is_not() -> None:
    # WordPress's markup: the h1 in the article's header; a share bar and comments in it.
    body = (
        '<div class="cookie-consent" role="dialog">We use cookies.</div>'
        '<article><header class="entry-header"><h1 class="entry-title">Psyche is on its way'
        '</h1><p class="byline">By A. Writer</p></header><p>Psyche lifted off.</p>'
        '<div class="sharedaddy sd-sharing-enabled">Share this: Twitter</div>'
        '<section id="comments">Great post!</section><div hidden>Later.</div>'
        '<div aria-hidden="true">Icons</div><div class="entry-content"><p>Onward.</p></div>'
        '<footer class="entry-footer">Posted in Missions</footer>'
        '<div class="main-content menu-closed"><p>Content, whatever else it says.</p></div>'
        '<div role="navigation">Skip to</div></article>'
        '<div class="widget related-posts"><p>Read next: Lucy</p></div>'
    )
    head = "<title>Psyche is on its way – My Space Blog</title>"
    page = _page(head, body).replace("<body>", '<body class="single comments-open">')
    (document,) = parse_text(page, "p.html").documents
    assert document.title == "Psyche is on its way"
    assert [p.text for p in document.paragraphs] == [
        "By A. Writer",
        "Psyche lifted off.",
        "Onward.",
        "Posted in Missions",
        "Content, whatever else it says.",
    ]
    # An element left open ends with the one it is in: a menu, and what it leaves out.
    page = _page("", "<div><nav>Menu<div>Links</div></div><p>After the menu.</p>")
    assert [p.text for p in parse_text(page, "p.html").documents[0].paragraphs] == [
        "After the menu."
    ]


def test_a_preformatted_block_keeps_its_lines() -> None:
    body = "<article><p>Passes:</p><pre>ZARYA  10:02\nNext pass:<br>11:40\n\nEnd</pre></article>"
    (document,) = parse_text(_page("", body), "p.html").documents
    assert [p.text for p in document.paragraphs] == [
        "Passes:", "ZARYA 10:02", "Next pass:", "11:40", "End"
    ]  # fmt: skip


def test_a_redirect_is_no_document_but_a_slow_refresh_is() -> None:
    for content in ["0; url=https://x.org/new", "0", " 0.0 ;URL='/new'", "0,/new"]:
        head = f'<meta http-equiv="refresh" content="{content}"><title>Redirecting…</title>'
        assert parse_text(_page(head, "<p>Redirecting…</p>"), "p.html").documents == [], content
    head = '<meta http-equiv="refresh" content="300"><title>Live</title>'
    assert parse_text(_page(head, "<p>Countdown.</p>"), "p.html").documents
    # Nor is a page that sends elsewhere only a browser without scripts (a social site's).
    head = '<noscript><meta http-equiv="refresh" content="0; url=/nojs"></noscript><title>S</title>'
    assert parse_text(_page(head, "<p>Starship flew.</p>"), "p.html").documents


def test_without_an_article_the_whole_body_is_the_text_but_its_menus() -> None:
    body = "<nav>Home</nav><div><h1>Rosetta</h1><p>It reached the comet.</p></div><p>Notes.</p>"
    (document,) = parse_text(_page("<title>Rosetta | ESA</title>", body), "p.html").documents
    assert document.title == "Rosetta"  # the first h1, without the site's name
    assert [p.text for p in document.paragraphs] == ["It reached the comet.", "Notes."]


def test_a_page_that_says_when_it_was_published_is_an_event_on_the_day_it_writes() -> None:
    # The publisher's own day, which the page's text gives: not the UTC day of the stamp.
    for name in PUBLISHED_META:
        head = f'<meta name="{name}" content="2024-05-01T22:30:00-04:00"><title>Launch</title>'
        parsed = parse_text(_page(head, "<p>Text.</p>"), "p.html")
        (record,) = parsed.records
        assert (record.date.isoformat(), record.headline, parsed.documents) == (
            "2024-05-01",
            "Launch",
            [],
        ), name
    head = '<meta name="date" content="March 5, 2019">'  # in prose, to the day
    assert parse_text(_page(head, ""), "p.html").records[0].date.isoformat() == "2019-03-05"
    # The first stamp that is a date: a meta tag, then JSON-LD, then a <time> element.
    head = (
        '<meta property="article:published_time" content="someday">'
        '<script type="application/ld+json">{"datePublished": "2016-03-14"}</script>'
    )
    page = _page(head, '<time datetime="2020-01-01">then</time><p>Text.</p>')
    assert parse_text(page, "p.html").records[0].date.isoformat() == "2016-03-14"
    page = _page("", '<p>On <time datetime="2020-01-02">2 January</time>.</p>')
    assert parse_text(page, "p.html").records[0].date.isoformat() == "2020-01-02"
    # Not a menu's, a sidebar's nor a banner's time: the article's first, else the text's.
    for around in ["<aside>", "<nav>", '<div class="sidebar">', "<header>"]:
        end = f"</{around[1:].split()[0].rstrip('>')}>"
        body = f'{around}<time datetime="2025-01-01">news</time>{end}<div><p>Text.</p>'
        body += '<article><time datetime="2023-10-13">launch</time><p>Psyche.</p></article>'
        page = _page("", body + '<time datetime="2020-01-02">x</time></div>')
        assert parse_text(page, "p.html").records[0].date.isoformat() == "2023-10-13", around
        page = _page("", body.split("<article>")[0] + '<time datetime="2020-01-02">x</time>')
        assert parse_text(page, "p.html").records[0].date.isoformat() == "2020-01-02", around
    body = '<p>Updated <time datetime="2024-02-02">then</time></p><article><p>Lucy.</p>'
    page = _page("", body + '<time datetime="2021-10-16">launch</time></article>')
    assert parse_text(page, "p.html").records[0].date.isoformat() == "2021-10-16"


def test_a_date_of_publication_that_is_no_date_is_told() -> None:
    # No day, none to the day, or the zero time of Go and .NET: a Hugo site's page without a
    # date (its list of tags) says 0001-01-01, and was an event of the year 1.
    for stamp in ["2016-13-45", "March 2019", "0001-01-01T00:00:00+00:00", "9999-12-31"]:
        head = f'<meta property="article:published_time" content="{stamp}"><title>T</title>'
        parsed = parse_text(_page(head, "<p>Text.</p>"), "p.html")
        assert [d.title for d in parsed.documents] == ["T"]
        assert [(p.line, p.reason, p.skipped) for p in parsed.problems] == [
            (0, f"its date of publication is no date ({stamp!r}): read as undated", False)
        ]


def test_a_published_page_names_its_site_as_its_source_and_its_tags_as_entities() -> None:
    head = (
        '<meta property="article:published_time" content="2016-03-14">'
        '<link rel="canonical" href="https://www.esa.int/exomars?utm_source=rss&amp;id=7">'
        '<meta property="article:tag" content=" ExoMars ">'
        '<meta property="article:tag" content="ESA">'
        '<meta name="keywords" content="best space website, breaking news">'
    )
    (record,) = parse_text(_page(head, "<h1>Lift-off</h1><p>Text.</p>"), "p.html").records
    assert [(s.title, s.url) for s in record.sources] == [
        ("esa.int", "https://www.esa.int/exomars?id=7")
    ]
    assert list(record.entities) == ["ExoMars", "ESA"]  # a search engine's keywords are none
    for url in ["/exomars", "http://[bad", "javascript:x"]:
        head = f'<meta name="date" content="2016-03-14"><meta property="og:url" content="{url}">'
        (record,) = parse_text(_page(head, "<p>Text.</p>"), "p.html").records
        expected = [("http://[bad", "http://[bad")] if url.startswith("http") else []
        assert [(s.title, s.url) for s in record.sources] == expected, url


def test_a_page_s_text_is_data_never_markup_nor_escape_sequences(
    runner: CliRunner, tmp_path: Path
) -> None:
    head = '<meta name="date" content="2016-03-14"><title>[bold red]Alarm[/] \x1b[2J</title>'
    page = _page(head, "<p>Ring \x07 the [link=x]bell[/link] \x9b31m.</p>")
    (tmp_path / "p.html").write_text(page, "utf-8")
    args = ["--corpus", str(tmp_path), "--color", "always", "show", "2016-03-14"]
    shown = runner.invoke(app, args).stdout
    assert "[bold red]Alarm[/]" in shown and "[link=x]bell[/link]" in shown
    assert not any(code in shown for code in ("\x1b[2J", "\x07", "\x9b"))


def test_a_minified_page_is_read_whole_not_cut_at_its_long_line(tmp_path: Path) -> None:
    # A page saved as one line (a site's bundle of data first) is no line to cut.
    data = '<script>var d = "' + "x" * MAX_LINE_CHARS + '";</script>'
    page = _page(f"<title>Min</title>{data}", "<article><p>Electron lifts off.</p></article>")
    (tmp_path / "m.html").write_text(page, "utf-8")
    corpus = load_corpus([tmp_path])
    assert corpus.problems == ()
    assert [p.text for p in corpus.documents[0].paragraphs] == ["Electron lifts off."]


@given(st.text(alphabet="<>/=\"'&;#!- \nabhtmlpedvy1é", max_size=80))
def test_any_page_is_read_without_error(text: str) -> None:
    for start in ("<!DOCTYPE html>", "<html>", "<html><body><article>", "<html><head><title>"):
        parse_text(start + text, "p.html")


def test_a_folder_of_pages_answers_every_command(runner: CliRunner, tmp_path: Path) -> None:
    for name in ["page_esa_article.html", "page_jsonld.html", "page_undated.htm"]:
        (tmp_path / name).write_bytes((PAGES / name).read_bytes())
    corpus = ["--corpus", str(tmp_path)]
    timeline = run_json(runner, *corpus, "timeline")
    assert [(e["date"], e["headline"]) for e in timeline] == [
        ("2016-03-14", "ExoMars on its way to solve the Red Planet’s mysteries"),
        ("2024-06-06", "Starliner docks"),
    ]
    (shown,) = run_json(runner, *corpus, "show", "2016-03-14")
    assert shown["sources"][0]["title"] == "European Space Agency"
    found = run_json(runner, *corpus, "search", "Philae")
    assert [(r["kind"], r["path"], r["title"]) for r in found] == [
        ("document", "page_undated.htm", "Rosetta")
    ]
    related = run_json(runner, *corpus, "related", "Roscosmos")
    assert [r["id"] for r in related] == [timeline[0]["id"]]
    mentions = run_json(runner, *corpus, "timeline", "2014", "--mentions")
    assert {m["date"] for m in mentions} == {"2014-08-01", "2014-11-12"}
    assert json.loads(json.dumps(timeline)) == run_json(runner, *corpus, "timeline", "--no-cache")


def test_a_text_of_many_comments_is_told_from_a_page_or_feed_at_once() -> None:
    # A comment that could run on into the next (.*?) had 2 ** 60 ways of grouping these
    # tried, by the feed's detect and the page's, before the text was found neither: a hang.
    code = (
        "from spacenews.parse import handler_for\n"
        "for end in ('x', '<html>', '<rss>'): print(handler_for('<!---->' * 60 + end).name)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert done.stdout.split() == ["text", "html", "feed"]


def test_a_class_that_says_clutter_hides_no_page_s_own_text() -> None:
    # A class or an id read as clutter on an element that holds the page's heading or main
    # element, or all of its text: a wrapper "has-sidebar", an old WordPress theme's post div
    # with its category among its classes. The page was left without a title or a word.
    bodies = {
        '<div class="site has-sidebar"><h1>Juice flies by</h1><p>Juice flew by Venus.</p>'
        '<div class="widget">Archives</div></div><a class="skip-link">Skip to content</a>':
            ("Juice flies by", ["Juice flew by Venus.", "Archives", "Skip to content"]),
        '<div class="wrap with-sidebar"><main><p>Juice flew by Venus.</p></main>'
        '<div class="sidebar">Archives</div></div>':
            ("Juice flew by Venus.", ["Juice flew by Venus."]),
        '<div id="post-5" class="post type-post hentry category-commentary">'
        '<h2>Why Venus</h2><div class="entry-content"><p>Juice flew by Venus.</p></div></div>':
            ("Why Venus", ["Why Venus", "Juice flew by Venus."]),
    }  # fmt: skip
    for body, (title, text) in bodies.items():
        (document,) = parse_text(_page("", body), "p.html").documents
        assert (document.title, [p.text for p in document.paragraphs]) == (title, text), body
    # Elsewhere, clutter is clutter still: comments (holding articles) and share bars; a menu
    # bar's h1 (the book's title, in mdBook's pages) beside a main element.
    body = '<div class="menu-bar"><h1>The Book</h1></div><main><h1>Venus</h1><p>Juice.</p></main>'
    (document,) = parse_text(_page("", body), "p.html").documents
    assert (document.title, [p.text for p in document.paragraphs]) == ("Venus", ["Juice."])
    # Elsewhere, clutter is clutter still: comments (holding articles) and share bars.
    body = (
        '<main><h1>Juice flies by</h1><p>Juice flew by Venus.</p><div class="share">Share</div>'
        '<div id="comments"><article class="comment-body"><p>Great!</p></article></div></main>'
    )
    (document,) = parse_text(_page("", body), "p.html").documents
    assert [p.text for p in document.paragraphs] == ["Juice flew by Venus."]


def test_an_element_left_open_ends_where_a_browser_ends_it() -> None:
    # HTML lets a page leave out </p>, </li>, </dd>, </td>: the next start ends them. A share
    # bar or a sidebar so left open hid the rest of the page (a browser shows it), and an
    # article, main or pre left open inside a div ran on past the div's end.
    bodies = {
        "<article><p class=share-links>Share<p>Juice flew by Venus.<p>It took photos.</article>":
            ["Juice flew by Venus.", "It took photos."],
        "<main><ul><li class=share><p>Tweet<li>Juice flew by Venus.<li>It took photos.</ul>"
        "</main>": ["Juice flew by Venus.", "It took photos."],
        "<main><dl><dt class=related>Related<dt>Juice<dd>It flew by Venus.</dl></main>":
            ["Juice", "It flew by Venus."],
        "<table><tr><td class=sidebar>Home<br>News<td>Juice flew by Venus.</table>":
            ["Juice flew by Venus."],
        "<main><ul><li class=menu>Home<ul><li>News</ul>Blog<li>Juice flew by.</ul></main>":
            ["Juice flew by."],
        "<div><article><p>Juice flew by Venus.</div><div>Subscribe now</div>":
            ["Juice flew by Venus."],
        "<main><div><pre>T+1\nT+2</div><p>Juice\nflew by.</main>": ["T+1", "T+2", "Juice flew by."],
    }  # fmt: skip
    for body, expected in bodies.items():
        (document,) = parse_text(_page("<title>Flyby</title>", body), "p.html").documents
        assert [p.text for p in document.paragraphs] == expected, body


def test_a_page_of_ends_without_starts_is_read_in_linear_time() -> None:
    # Each end was looked for down the whole stack of open elements: 100,000 paragraphs left
    # open (as HTML allows), each ended by a </br> (a common slip), took minutes.
    code = (
        "from spacenews.parse import parse_text\n"
        "page = '<!DOCTYPE html><html><body><p>Juno</br>' * 100_000\n"
        "print(len(parse_text(page, 'p.html').documents[0].paragraphs))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.stdout.split() == ["100000"]


def test_a_page_whose_head_is_left_open_has_its_body_read() -> None:
    # HTML lets a page leave out </head> (and <head>, <body>): its body begins at its first
    # element that no head holds, as a browser shows it.
    for head in [
        "<head><title>Juno</title><body>",
        "<head><meta charset=utf-8><title>Juno</title><script>x</script>",
        "<title>Juno</title>",
        "<head><title>Juno</title></head><body>",
    ]:
        page = f"<!DOCTYPE html><html>{head}<p>Juno reached Jupiter.</p></html>"
        (document,) = parse_text(page, "p.html").documents
        assert (document.title, document.text) == ("Juno", "Juno reached Jupiter."), head


def test_an_article_in_a_menu_an_aside_or_a_template_is_not_the_page_s() -> None:
    for around in [
        "<nav><article>Menu</article></nav>",
        "<aside><article><p>Related.</p></article></aside>",
        "<header><main>Banner</main></header>",
        "<template><article>Card</article></template>",
    ]:
        body = f"{around}<div>Sidebar.</div><article><p>Juice flew by Venus.</p></article><p>3</p>"
        (document,) = parse_text(_page("", body), "p.html").documents
        assert [p.text for p in document.paragraphs] == ["Juice flew by Venus."], around


def test_a_page_held_in_one_form_is_read_and_a_search_box_is_not() -> None:
    # ASP.NET wraps a whole page in one form: its text is the page's.
    body = (
        "<form id='aspnetForm'><nav>Home</nav><h1>Rosetta</h1><p>It reached the comet.</p>"
        "<p>It landed Philae on 12 November 2014.</p></form>"
    )
    (document,) = parse_text(_page("", body), "p.html").documents
    assert document.title == "Rosetta"
    assert [p.text for p in document.paragraphs] == [
        "It reached the comet.",
        "It landed Philae on 12 November 2014.",
    ]
    body = "<form><article><p>It reached the comet.</p></article></form>"
    (document,) = parse_text(_page("", body), "p.html").documents
    assert [p.text for p in document.paragraphs] == ["It reached the comet."]
    body = "<form><label>Search the site</label><input></form><p>It reached the comet.</p>"
    (document,) = parse_text(_page("", body), "p.html").documents
    assert [p.text for p in document.paragraphs] == ["It reached the comet."]


def test_a_line_break_is_a_space_however_it_is_written() -> None:
    for br in ["<br>", "<br/>", "<br />", "<BR/>"]:
        page = _page("", f"<article><h1>Juno{br}at Io</h1><p>Juno flew{br}past Io.</p></article>")
        (document,) = parse_text(page, "p.html").documents
        assert document.title == "Juno at Io", br
        assert [p.text for p in document.paragraphs] == ["Juno flew past Io."], br


def test_a_heading_ends_at_any_heading_s_end_as_in_a_browser() -> None:
    for heading in ["<h1>Rosetta</h2>", "<h1>Rosetta<h2>", "<h1>Rosetta</h1>"]:
        page = _page("", f"{heading}<p>It reached the comet.</p><p>It landed.</p>")
        (document,) = parse_text(page, "p.html").documents
        assert document.title == "Rosetta", heading
        assert [p.text for p in document.paragraphs] == ["It reached the comet.", "It landed."]


def test_only_a_json_ld_script_gives_a_headline_and_a_date() -> None:
    # Not the data of another script (a related story's), nor a code sample in the text.
    head = (
        '<script id="__NEXT_DATA__" type="application/json">'
        '{"related": [{"headline": "Starliner delayed", "datePublished": "2019-01-01"}]}</script>'
        '<script type="application/ld+json">'
        '{"headline": "Juno reaches Jupiter", "datePublished": "2016-07-05"}</script>'
    )
    (record,) = parse_text(_page(head, "<p>Juno entered orbit.</p>"), "p.html").records
    assert (record.date.isoformat(), record.headline) == ("2016-07-05", "Juno reaches Jupiter")
    sample = '<pre>{"headline": "Your headline", "datePublished": "2020-01-01"}</pre>'
    parsed = parse_text(_page("<title>Marking up news</title>", sample), "p.html")
    assert parsed.records == [] and parsed.documents[0].title == "Marking up news"


def test_a_page_s_entities_are_decoded_once_as_a_browser_shows_them() -> None:
    head = (
        "<title>Using &amp;lt;canvas&amp;gt; at AT&amp;amp;T</title>"
        '<meta property="article:tag" content="R&amp;amp;D">'
    )
    page = _page(head, "<p>Using &amp;lt;canvas&amp;gt; at AT&amp;amp;T</p><p>Text.</p>")
    (document,) = parse_text(page, "p.html").documents
    assert (document.title, document.tags) == ("Using &lt;canvas&gt; at AT&amp;T", ("R&amp;D",))
    assert [p.text for p in document.paragraphs] == ["Text."]  # the title, once
    (record,) = parse_text(
        page.replace("<head>", '<head><meta name="date" content="2020-01-02">'), "p.html"
    ).records
    assert record.headline == "Using &lt;canvas&gt; at AT&amp;T"
    # JSON-LD, which no parser decodes, is read as a feed's text: its entities decoded.
    head = '<script type="application/ld+json">{"headline": "Q&amp;A with ESA"}</script>'
    assert parse_text(_page(head, "<p>x</p>"), "p.html").documents[0].title == "Q&A with ESA"


def test_a_page_s_address_and_site_name_are_decoded_once() -> None:
    head = (
        '<meta name="date" content="2020-01-02">'
        '<meta property="og:url" content="https://example.com/s?id=5&amp;region=eu&amp;copy=1">'
        '<meta property="og:site_name" content="AT&amp;amp;T News">'
    )
    (record,) = parse_text(_page(head, "<p>Text.</p>"), "p.html").records
    (source,) = record.sources
    assert source.url == "https://example.com/s?id=5&region=eu&copy=1"
    assert source.title == "AT&amp;T News"
    # An entity the page shows in its address stays one: "&amp;amp;" is "&amp;", once.
    (record,) = parse_text(
        _page(head.replace("&amp;region", "&amp;amp;region"), ""), "p.html"
    ).records
    assert record.sources[0].url == "https://example.com/s?id=5&amp;region=eu&copy=1"


def test_an_undated_page_s_text_is_decoded_once_as_a_dated_one_s() -> None:
    text = "<p>Title</p><p>Use &amp;lt;canvas&amp;gt; at AT&amp;amp;T, &amp;copy; R&amp;D.</p>"
    (document,) = parse_text(_page("<title>Title</title>", text), "p.html").documents
    assert [p.text for p in document.paragraphs] == ["Use &lt;canvas&gt; at AT&amp;T, &copy; R&D."]
    dated = _page('<title>Title</title><meta name="date" content="2020-01-02">', text)
    (record,) = parse_text(dated, "p.html").records
    assert record.body == document.paragraphs[0].text
