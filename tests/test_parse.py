"""Golden tests: every fixture in fixtures/parse has a .json beside it holding what it parses to.

Set SPACENEWS_UPDATE_GOLDEN=1 to write missing or changed golden files, then read the diff.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from spacenews.index.codec import (
    document_of,
    document_row,
    pack,
    problems_of,
    record_of,
    record_row,
    unpack,
)
from spacenews.model import Document, EventRecord
from spacenews.parse import (
    Parsed,
    eventpage,
    frontmatter,
    handler_for,
    handlers,
    parse_text,
    plaintext,
)
from spacenews.reading import decode_bytes as decode
from spacenews.text import clean_inline, fold

from .conftest import FIXTURES

CASES = sorted(p for p in (FIXTURES / "parse").iterdir() if p.suffix != ".json")


def as_data(parsed: Parsed) -> dict[str, Any]:
    """The whole parse result as plain data."""
    return {
        "records": [_record(record) for record in parsed.records],
        "documents": [_document(document) for document in parsed.documents],
        "problems": [problem.to_dict() for problem in parsed.problems],
    }


def _document(document: Document) -> dict[str, Any]:
    return {
        **document.to_dict(),
        "text": document.text,
        "paragraphs": [paragraph._asdict() for paragraph in document.paragraphs],
        "mentions": [mention.to_dict() for mention in document.mentions],
    }


def _record(record: EventRecord) -> dict[str, Any]:
    # The dates only front matter gives, only when given: other formats' goldens stay as they were.
    dates = {"end_date": record.end_date, "published": record.published}
    return {
        "date": record.date.isoformat(),
        "headline": record.headline,
        "body": record.body,
        "sources": [source.to_dict() for source in record.sources],
        "entities": list(record.entities),
        "related": [link.to_dict() for link in record.related],
        "document": record.document,
        "via": record.via,
        "date_source": record.date_source,
        # Only where there is one: the formats without stories keep their golden files as
        # they were.
        **({"story": record.story} if record.story else {}),
        **{name: day.isoformat() for name, day in dates.items() if day is not None},
    }


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_golden(path: Path) -> None:
    text, _ = decode(path.read_bytes())
    actual = as_data(parse_text(text, path.name))
    golden = path.with_name(path.name + ".json")
    if os.environ.get("SPACENEWS_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert golden.exists(), f"no golden file for {path.name}"
    assert actual == json.loads(golden.read_text("utf-8"))


def test_every_format_a_document_is_read_as_is_one_the_json_schema_names() -> None:
    from spacenews.schema import DOCUMENT_FIELDS

    formats = {
        document.format
        for path in CASES
        for document in parse_text(decode(path.read_bytes())[0], path.name).documents
    }
    assert "html" in formats and formats <= set(DOCUMENT_FIELDS["format"]["enum"])


@pytest.mark.parametrize(
    ("name", "handler"),
    [
        ("000_76f20314677eaf20.txt", "event-page"),
        ("001_b02bc1e1bd4a287c.txt", "event-page"),
        ("002_efe6a678f375d53d.txt", "text"),
        ("003_e1b96d0c7dd0baf8.txt", "text"),
        ("event_page_variants.md", "event-page"),
        ("day_page.md", "event-page"),
        ("event_page_zh.md", "event-page"),
        ("day_page_zh.md", "event-page"),
        ("event_page_fr.md", "event-page"),
        ("front_matter_post.md", "front-matter"),
        ("front_matter_undated.md", "front-matter"),
        ("feed_esa_rss2.xml", "feed"),
        ("page_esa_article.html", "html"),
        ("page_jsonld.html", "html"),
        ("page_undated.htm", "html"),
    ],
)
def test_format_is_detected_from_content(name: str, handler: str) -> None:
    text, _ = decode((FIXTURES / "parse" / name).read_bytes())
    assert next(h.name for h in handlers() if h.detect(text)) == handler


# The event-page patterns as first written, with the full-width characters in their classes.
_PLAIN_FORMATS_LINE = re.compile(r"[^#\[\]()\n:：]{1,30}[:：]\s*\[")
_PLAIN_CONTEXT = re.compile(r"_\s*[^\W\d_][^_:：\[\]]{0,30}?\s*[:：]\s*(.*?)\s*_?\s*$")


@given(st.text(alphabet="ab é#[]()\n:：_，、,1", max_size=60))
@example("Formats：a：[HTML](x)")
@example("_消息：甲：乙、丙，丁_")
@example("_a：x\nb：y")
def test_event_page_patterns_read_as_their_plain_classes(text: str) -> None:
    for line in (text, text.replace("\n", " ")):
        for new, plain in (
            (eventpage._FORMATS_LINE, _PLAIN_FORMATS_LINE),
            (eventpage._CONTEXT, _PLAIN_CONTEXT),
        ):
            found, expected = new.search(line), plain.search(line)
            assert (found and found.group()) == (expected and expected.group())
    names = [clean_inline(name) for name in re.split("[,，、]", text)]
    assert eventpage._names(text) == list(dict.fromkeys(name for name in names if name))


def _first_detecting(text: str) -> str:
    return next(h.name for h in handlers() if h.detect(text))


FILES = [
    *CASES,
    *sorted((FIXTURES / "launchlog").iterdir()),
    *sorted((FIXTURES / "hostile").iterdir()),
]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_handler_for_chooses_as_every_handler_asked_in_turn(path: Path) -> None:
    text, _ = decode(path.read_bytes())
    for variant in (text, " \n\t" + text, "x" + text):
        assert handler_for(variant).name == _first_detecting(variant)


_STARTS = [
    "",
    "x",
    "<rss>",
    '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
    '{"version": "https://jsonfeed.org/version/1.1", "items": []}',
    '{"news_site": "ESA", "published_at": "2024-01-01"}',
    '[{"news_site": "ESA", "published_at": "2024-01-01"}]',
    "---\ntitle: A post\ndate: 2024-01-02\n---\n",
    "#    Launch      Launch Date (UTC)      COSPAR\n",
    "### [2016-03-14](/news/2016/03/14/index.md)\n\n# A headline\n",
    "<!DOCTYPE html>\n<html><head><title>A page</title>",
    '<?xml version="1.0"?>\n<!-- saved --><html xmlns="http://www.w3.org/1999/xhtml">',
]


@given(st.sampled_from(["", " ", "\n\t", "\u3000"]), st.sampled_from(_STARTS), st.text(max_size=40))
def test_handler_for_chooses_as_handlers_for_any_start(space: str, start: str, rest: str) -> None:
    text = space + start + rest
    assert handler_for(text).name == _first_detecting(text)


@given(st.text())
def test_every_parser_survives_any_text(text: str) -> None:
    for handler in handlers():
        if handler.detect(text):
            handler.parse(text, "fuzz.txt")


_LINE = st.sampled_from(
    [
        "### [2016-03-14](/news/2016/03/14/index.md)",
        "## [2016-3-4](/news/2016/3/4/index.md)",
        "### [2016-02-30](/news/2016/02/30/index.md)",
        "# A headline",
        "#",
        "### Sources:",
        "### Related:",
        "1. [BBC](http://bbc.com)",
        "1. [x](/news/2016/10/16/x.md) _Context: A, B_",
        "1. [](/news/2016/10/16/x.md)",
        "### [y](/news/0000/13/40/y.md)",
        "_Context: _",
        "##### 歐洲太空總署",
        "#####",
        "### 信息来源:",
        "### 有关：",
        "### Coverage",
        "1. [x](/news/2016/10/16/x.md) _消息：甲、乙_",
        "_消息: 甲, 乙_",
        "格式: [HTML](/news/2016/03/14/index.html)",
        "---",
        "title: [",
        "date: 2023-05-08",
        "",
    ]
)


@given(st.lists(st.one_of(_LINE, st.text(max_size=20)), max_size=25))
def test_parsers_survive_shuffled_real_lines(lines: list[str]) -> None:
    parsed = parse_text("\n".join(lines), "fuzz.md")
    for record in parsed.records:
        assert record.headline


def _round_trip(parsed: Parsed, path: str) -> Parsed:
    """What the index keeps of a parse result (its rows), read back."""
    return Parsed(
        [record_of(unpack(pack(record_row(record)))) for record in parsed.records],
        [document_of(unpack(pack(document_row(document)))) for document in parsed.documents],
        problems_of(pack([list(problem) for problem in parsed.problems])),
    )


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_what_a_file_yields_comes_back_from_its_packed_form(path: Path) -> None:
    # The index keeps results as rows: nothing may change on the way.
    text, _ = decode(path.read_bytes())
    parsed = parse_text(text, path.name)
    assert as_data(_round_trip(parsed, path.name)) == as_data(parsed)


@given(st.lists(st.one_of(_LINE, st.text(max_size=20)), max_size=25))
def test_any_parse_result_comes_back_from_its_packed_form(lines: list[str]) -> None:
    post = "---\ntitle: T\ntags:\n- a\n- b\n---\n"  # undated: a document, with its tags
    for text in (
        "\n".join(lines),
        "\n\n".join(["On 14 March 2016, in 1999.", *lines]),
        post + "\n".join(lines),
    ):
        parsed = parse_text(text, "fuzz.md")
        assert as_data(_round_trip(parsed, "fuzz.md")) == as_data(parsed)


def _page(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_a_page_reads_its_first_thousand_related_links_and_says_how_many_it_left() -> None:
    links = [f"1. [Event {n}.](/news/2016/03/14/event-{n}.md)" for n in range(1003)]
    parsed = parse_text(
        _page("### [2016-03-14](/news/2016/03/14/index.md)", "# A page.", "### Related:", *links),
        "p",
    )
    [page] = [record for record in parsed.records if record.headline == "A page."]
    assert len(page.related) == 1000
    assert page.related[-1].headline == "Event 999."
    assert [p.to_dict() for p in parsed.problems] == [
        {
            "path": "p",
            "line": 0,
            "reason": "3 related links past the first 1000 were not read",
            "skipped": False,
        }
    ]


@pytest.mark.parametrize("marks", ["##", "###"])
def test_a_day_page_item_right_under_the_date_heading_is_read(marks: str) -> None:
    # A ### date heading looks like an item: it is the page's heading, not one of its items.
    parsed = parse_text(
        _page(
            f"{marks} [2016-03-14](/news/2016/03/14/index.md)",
            "### [First.](/news/2016/03/14/first.md)",
        ),
        "p",
    )
    assert [record.headline for record in parsed.records] == ["First."]


@pytest.mark.parametrize(("extra", "handler"), [(0, "event-page"), (1, "text")])
def test_the_date_heading_is_sought_in_the_first_4096_characters_only(
    extra: int, handler: str
) -> None:
    heading = "### [2016-03-14](/news/2016/03/14/"  # all the date heading pattern reads
    text = " " * (4096 - len(heading) + extra) + heading + "index.md)\n# A page.\n"
    assert next(h.name for h in handlers() if h.detect(text)) == handler


def test_a_context_line_met_for_the_first_time_names_its_entities() -> None:
    # A name no other test uses: the parser's memory of context lines cannot know it.
    name = f"Entity {uuid.uuid4().hex}"
    parsed = parse_text(
        _page(
            "### [2016-03-14](/news/2016/03/14/index.md)",
            "# A page.",
            "### Related:",
            f"1. [Other.](/news/2016/03/13/other.md) _Context: {name}, Mars_",
        ),
        "p",
    )
    assert [record.entities for record in parsed.records] == [[name, "Mars"]]
    assert parsed.records[0].related[0].context == (name, "Mars")


def test_plain_text_is_read_with_languages_and_dates() -> None:
    text = (
        "Notes\n\nThe rocket was launched on 14 March 2016 from the cosmodrome and it was fine.\n"
    )
    [document] = plaintext.parse(text, "p").documents
    assert [p.lang for p in document.paragraphs] == ["und", "en"]
    assert [(m.date.isoformat(), m.lang) for m in document.mentions] == [("2016-03-14", "en")]
    # prose_document reads as parse does.
    assert (
        plaintext.prose_document("p", "Notes", "text", text)
        == plaintext.parse(text, "p").documents[0]
    )


@pytest.mark.parametrize("header", ["title: Notes\n", "title: [\n"], ids=["undated", "invalid"])
def test_a_post_is_read_with_languages_and_dates(header: str) -> None:
    # An invalid header is read as plain text, with its languages and dates too.
    text = f"---\n{header}---\n\nThe rocket was launched on 14 March 2016 from the cosmodrome.\n"
    [document] = frontmatter.parse(text, "p.md").documents
    assert [(m.date.isoformat(), m.lang) for m in document.mentions] == [("2016-03-14", "en")]


def test_mentions_are_in_date_order_and_a_day_is_given_once_an_item() -> None:
    text = (
        "Notes\n\nB happened on 2 May 2016. A happened on 2 May 2016. C happened on 1 May 2016.\n"
    )
    [document] = plaintext.parse(text, "p").documents
    assert [(m.date.isoformat(), m.snippet) for m in document.mentions] == [
        ("2016-05-01", "C happened on 1 May 2016."),
        ("2016-05-02", "B happened on 2 May 2016."),  # the first to give the day
    ]


def test_mentions_of_one_date_are_in_snippet_order_whatever_their_precision() -> None:
    # The order is the snippets', not the text's, nor the precision's ("day" < "month").
    text = "Notes\n\nB launched on 1 May 2016. A review came in May 2016. C flew in 2016.\n"
    [document] = plaintext.parse(text, "p").documents
    assert [(m.date.isoformat(), m.precision, m.snippet) for m in document.mentions] == [
        ("2016-01-01", "year", "C flew in 2016."),
        ("2016-05-01", "month", "A review came in May 2016."),
        ("2016-05-01", "day", "B launched on 1 May 2016."),
    ]


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("The first sentence. The second one. A third.", "The first sentence."),
        ("A. Bc is what follows", "A."),
        (". Starts with a stop", ". Starts with a stop"),
        ("x" * 120, "x" * 120),
        ("x" * 121, "x" * 119 + "…"),
    ],
)
def test_a_text_is_titled_by_the_first_sentence_of_its_first_line(
    first_line: str, title: str
) -> None:
    [document] = parse_text(first_line + "\n\nMore text follows here.\n", "p").documents
    assert document.title == title


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (["A launch. Credit: ESA", "The launch", "Text follows it."], "The launch"),
        (["A launch. Credit: ESA", "Text one.", "Text two.", "A late heading"], "A launch."),
        (["A launch. Credit: ESA", "Text one.", "Text two."], "A launch."),
    ],
)
def test_a_page_opening_with_a_caption_is_titled_by_the_heading_close_after_it(
    lines: list[str], title: str
) -> None:
    [document] = parse_text("\n\n".join(lines) + "\n", "p").documents
    assert document.title == title


@pytest.mark.parametrize(
    ("content", "title"),
    [
        ("   # A spaced heading\n\nText.", "A spaced heading"),
        ("#Xenon lamps glow\n", "Xenon lamps glow"),
        ("\n\n", "2024-05-01-untitled"),
    ],
)
def test_a_post_without_a_title_is_titled_by_its_first_line_else_its_file(
    content: str, title: str
) -> None:
    parsed = parse_text(f"---\nlayout: post\n---\n{content}", "posts/2024-05-01-untitled.md")
    [record] = parsed.records
    assert record.headline == title


@pytest.mark.parametrize(
    ("header", "line", "reason"),
    [
        (
            "---\ntitle: a\nbad: x: y\n---\n",
            3,
            "invalid front matter, read as plain text: mapping values are not allowed",
        ),
        (
            "---\n- a list\n- not a mapping\n---\n",
            1,
            "invalid front matter, read as plain text: the header is a list, not a mapping",
        ),
        (  # TOML, as Hugo writes it
            '+++\ntitle = "a"\n\ndate = = 2016\n+++\n',
            4,
            "invalid front matter, read as plain text: Invalid value (at line 4, column 8)",
        ),
    ],
)
def test_front_matter_that_cannot_be_read_says_where_and_why(
    header: str, line: int, reason: str
) -> None:
    parsed = parse_text(f"{header}Body text here.\n", "p.md")
    [problem] = parsed.problems
    assert problem.line == line
    assert problem.reason.startswith(reason)
    assert [document.format for document in parsed.documents] == ["text"]


@pytest.mark.parametrize(
    "text",
    [
        "Note: [a link](https://example.com) opens this page.\n\nIt is prose about Mars.\n",
        "##### A small heading\n\n### Sources:\n\n1. [BBC](https://www.bbc.com/news)\n",
        "Formats: [HTML](/a.html)\n\nA line\n\n### [2016-03-14](/news/2016/03/14/index.md)\n",
    ],
    ids=["label-and-link", "sections-without-a-date-heading", "date-heading-not-first"],
)
def test_prose_with_labels_links_and_headings_is_not_an_event_page(text: str) -> None:
    assert next(h.name for h in handlers() if h.detect(text)) == "text"


_PAGE_HEAD = ("### [2016-03-14](/news/2016/03/14/index.md)", "# A page.")
# Labels: words of letters of any script, which the table of known labels may not hold.
_LABELS = st.text(st.characters(categories=["L"]), min_size=1, max_size=12)
_COLONS = st.sampled_from(["", ":", "：", " :"])


def _unknown(label: str) -> bool:
    return bool(label) and fold(label) not in eventpage.LABELS


@given(_LABELS.filter(_unknown), _COLONS, st.lists(_LABELS, min_size=1, max_size=4))
def test_any_label_over_a_list_of_links_to_event_pages_heads_related_events(
    label: str, colon: str, headlines: list[str]
) -> None:
    links = [f"{n}. [{h}](/news/2016/03/{n + 1}/x.md)" for n, h in enumerate(headlines)]
    parsed = parse_text(_page(*_PAGE_HEAD, f"### {label}{colon}", "", *links), "p")
    [page] = parsed.records
    assert [(link.headline, link.date.day) for link in page.related] == [
        (clean_inline(h), n + 1) for n, h in enumerate(headlines)
    ]
    assert (page.sources, parsed.problems) == ([], [])


@given(_LABELS.filter(_unknown), _COLONS, st.lists(_LABELS, min_size=1, max_size=4))
def test_any_label_over_a_list_of_web_links_heads_sources(
    label: str, colon: str, titles: list[str]
) -> None:
    links = [f"1. [{title}](https://example.com/{n})" for n, title in enumerate(titles)]
    [page] = parse_text(_page(*_PAGE_HEAD, f"### {label}{colon}", *links), "p").records
    assert [(s.title, s.url) for s in page.sources] == [
        (clean_inline(title), f"https://example.com/{n}") for n, title in enumerate(titles)
    ]
    assert page.related == []


# The labels the README names, in each language it names.
_NAMED_LABELS = {
    "sources": ["Sources", "信息来源", "来源", "Fuentes", "Quellen", "出典", "Источники"],
    "related": ["Related", "有关", "Voir aussi", "Relacionados", "Siehe auch", "関連", "Связанные"],
    "other": ["Gallery", "图片"],
}


@pytest.mark.parametrize(
    ("kind", "label"), [(kind, label) for kind, labels in _NAMED_LABELS.items() for label in labels]
)
def test_the_labels_of_the_editions_are_known(kind: str, label: str) -> None:
    assert eventpage.LABELS[fold(label)] == kind


@pytest.mark.parametrize("colon", [":", "：", ""])
@pytest.mark.parametrize("label", sorted(eventpage.LABELS))
def test_a_known_label_heads_its_kind_of_list_whatever_its_links(label: str, colon: str) -> None:
    # A link to an event page under a source label stays a source, and the other way round;
    # the labels are read in any case.
    kind = eventpage.LABELS[label]
    links = ["1. [ESA](/news/2016/03/13/esa.md)", "1. [BBC](https://www.bbc.com/news)"]
    parsed = parse_text(_page(*_PAGE_HEAD, f"### {label.upper()}{colon}", *links), "p")
    [page] = [record for record in parsed.records if record.headline == "A page."]
    assert [s.url for s in page.sources] == (
        ["/news/2016/03/13/esa.md", "https://www.bbc.com/news"] if kind == "sources" else []
    )
    assert [link.headline for link in page.related] == (["ESA"] if kind == "related" else [])


_NAMES = st.lists(
    st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=8), min_size=1, max_size=4
)


@given(_LABELS, st.sampled_from([":", "：", " :"]), _NAMES, st.sampled_from([", ", "，", "、"]))
def test_any_context_label_names_the_entities_of_a_link_and_of_a_day_page_item(
    label: str, colon: str, names: list[str], separator: str
) -> None:
    context = f"_{label}{colon} {separator.join(names)}_"
    expected = list(dict.fromkeys(clean_inline(name) for name in names))
    [page] = parse_text(
        _page(*_PAGE_HEAD, "### Related:", f"1. [x](/news/2016/03/13/x.md) {context}"), "p"
    ).records
    assert list(page.related[0].context) == expected
    day = _page("## [2016-03-14](/news/2016/03/14/index.md)", "### [x](/news/2016/03/14/x.md)")
    [item] = parse_text(day + context + "\n", "p").records
    assert list(item.entities) == expected


@given(_LABELS)
def test_a_story_heading_is_the_story_and_first_entity_of_what_is_under_it(story: str) -> None:
    name = clean_inline(story)
    [page] = parse_text(_page(_PAGE_HEAD[0], f"##### {story}", _PAGE_HEAD[1]), "p").records
    assert (page.story, page.entities) == (name, [name])
    items = parse_text(
        _page(
            "## [2016-03-14](/news/2016/03/14/index.md)",
            f"##### {story}",
            "### [x](/news/2016/03/14/x.md) _Context: Mars_",
            "### [y](/news/2016/03/14/y.md)",
        ),
        "p",
    ).records
    assert [(item.story, list(item.entities)) for item in items] == [
        (name, list(dict.fromkeys([name, "Mars"]))),
        (name, [name]),
    ]
