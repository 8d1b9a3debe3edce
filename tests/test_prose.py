"""Prose: paragraphs, listing items, languages and dates written in words."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from spacenews.prose import (
    SNIPPET_CHARS,
    find_dates,
    language,
    paragraphs,
    parse_prose_date,
    sentence_at,
)

from .conftest import SEEDS


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("liftoff from Baikonur, 14 March 2016, 09:31 GMT", (date(2016, 3, 14), "day")),
        ("On 29 April 2016, ESA astronaut Tim Peake", (date(2016, 4, 29), "day")),
        ("launch of Soyuz flight VS15 on 24 May 2016.", (date(2016, 5, 24), "day")),
        ("Launched in 2003, ESA's Mars Express", (date(2003, 1, 1), "year")),
        ("Lancée en 2003, la mission", (date(2003, 1, 1), "year")),
        ("launch_date: March 14, 2016", (date(2016, 3, 14), "day")),
        ("14 Mart 2016", (date(2016, 3, 14), "day")),
        ("3 Aralık 2015", (date(2015, 12, 3), "day")),
        ("le 19 octobre 2016", (date(2016, 10, 19), "day")),
        ("in March 2016 it flew", (date(2016, 3, 1), "month")),
        ("the 2nd of June 2003", (date(2003, 6, 2), "day")),
        ("On 2016-03-14, the probe launched", (date(2016, 3, 14), "day")),
        ("Update (2020-07-30): launched", (date(2020, 7, 30), "day")),
        ("Another launch happened Mar. 14, 2016.", (date(2016, 3, 14), "day")),
    ],
)
def test_prose_dates(text: str, found: tuple[date, str]) -> None:
    assert parse_prose_date(text) == found


@pytest.mark.parametrize(
    "text",
    [
        *["UPDATE 31 March: the call", "2m-diameter", "in 12345", "Room 2016", "Smarch 2016", ""],
        *["see 2016-03-14-exomars.md", "12016-03-14", "2016-03-145", "2016-13-01", "x2016-03-14"],
        "run 1999-2016-03-14",
        "on １２３４-03-14 y",
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_prose_date(text) is None


def test_an_impossible_day_still_names_its_month() -> None:
    assert parse_prose_date("30 February 2016") == (date(2016, 2, 1), "month")


def test_a_year_not_yet_in_a_date_is_still_sought_by_the_less_precise_patterns() -> None:
    found = list(find_dates("On 14 March 2016, 3 May 2016 and in 1999."))
    assert [(m.date, m.precision) for m in found] == [
        (date(2016, 3, 14), "day"),
        (date(2016, 5, 3), "day"),
        (date(1999, 1, 1), "year"),
    ]


def test_each_place_is_read_once() -> None:
    found = list(find_dates("On 14 March 2016 and in March 2016."))
    assert [(m.date, m.precision) for m in found] == [
        (date(2016, 3, 14), "day"),
        (date(2016, 3, 1), "month"),
    ]


def test_listing_items_take_their_post_title() -> None:
    found = paragraphs((SEEDS / "003_e1b96d0c7dd0baf8.txt").read_text())
    rover = next(p for p in found if p.text.startswith("On 29 April 2016"))
    assert rover.title == "Rover driving done!"
    caption = found[0]
    assert caption.kind == "caption" and caption.title == "Behind the scenes at a rocket launch"


def test_languages_of_the_bilingual_page() -> None:
    found = paragraphs((SEEDS / "002_efe6a678f375d53d.txt").read_text())
    olympus = [p.lang for p in found if p.text.startswith("Olympus Mons")]
    assert olympus == ["fr", "en"]
    assert language("Bu sonda Mars için ilk ve en önemli görevdir") == "tr"
    assert language("Mars") == "und"


@given(st.text())
def test_prose_never_fails(text: str) -> None:
    for paragraph in paragraphs(text):
        assert paragraph.text and "\n" not in paragraph.text
    for match in find_dates(text):
        assert 1000 <= match.date.year < 3000


# A year no date can hold ("0000" is no year), after a sentence's end: with it, find_dates
# cannot stop before every pattern has run over the whole text. The same without the year
# (a word "0000x") keeps the sentences and lets find_dates stop once every year is in a date.
_NO_YEAR = "\n. 0000"
_NO_YEAR_PLACE = "\n. 0000x"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("14 March 2016 in 1999", [(date(2016, 3, 14), "day"), (date(1999, 1, 1), "year")]),
        ("in 1999, 14 March 2016", [(date(2016, 3, 14), "day"), (date(1999, 1, 1), "year")]),
        ("in 1999 May 2016", [(date(2016, 5, 1), "month"), (date(1999, 1, 1), "year")]),
    ],
)
def test_a_year_is_read_once_other_dates_took_the_other_years(
    text: str, found: list[tuple[date, str]]
) -> None:
    assert [(match.date, match.precision) for match in find_dates(text)] == found


_DATE_WORDS = st.sampled_from(
    ["14", "3", "2016", "1999", "12345", "0999", "2nd", "of", "in", "en", "since", "March",
     "mars", "Mart", "Aralık", "sept", "Smarch", "May", "ESA", "٢٠١٦", "x2016", "2016x",
     "2016-03-14", "1999-12-31", "2016-02-30", "03", "-03-14"]
)  # fmt: skip
_GAPS = st.sampled_from([" ", "  ", ", ", ". ", ".", "\n", "\t", "\u00a0", "", "-", "("])


@given(st.lists(st.tuples(_DATE_WORDS, _GAPS), max_size=12))
@example([("14", " "), ("March", " "), ("2016", " "), ("in", " "), ("1999", "")])
# two dates found by the first pattern, a year left for the last
@example([("14", " "), ("March", " "), ("2016", " "), ("3", " "), ("May", " "), ("2016", " "),
          ("in", " "), ("1999", "")])  # fmt: skip
# the first year read by the last pattern; a year after a line break
@example([("in", " "), ("1999", " "), ("14", " "), ("March", " "), ("2016", "")])
@example([("14", " "), ("March", " "), ("2016", " "), ("in", "\n"), ("1999", "")])
def test_dates_are_those_every_pattern_finds_over_the_whole_text(
    parts: list[tuple[str, str]],
) -> None:
    # find_dates stops once every place a year can stand is in a date found: the same dates
    # as when it cannot stop (see _NO_YEAR).
    text = "".join(word + gap for word, gap in parts)
    assert list(find_dates(text + _NO_YEAR_PLACE)) == list(find_dates(text + _NO_YEAR))


_COMMON_WORDS = st.sampled_from(["the", "The", "and", "le", "la", "de", "en", "il", "ve", "çok"])
_BETWEEN = st.sampled_from([" ", ", ", "2", "_", "é"])
_LANGS = ["en", "fr", "de", "es", "it", "tr"]  # the languages prose knows the common words of
_COMMON_IN = {  # the languages each of the words above is a common word of
    "the": ["en"],
    "and": ["en"],
    "le": ["fr", "it"],
    "la": ["fr", "es", "it"],
    "de": ["fr", "tr"],
    "en": ["fr", "es", "tr"],
    "il": ["it"],
    "ve": ["tr"],
    "çok": ["tr"],
}


@given(st.lists(st.tuples(_COMMON_WORDS, _BETWEEN), max_size=9))
def test_the_language_is_the_one_whose_common_words_stand_out(
    parts: list[tuple[str, str]],
) -> None:
    text = "".join(word + gap for word, gap in parts)
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {lang: sum(lang in _COMMON_IN.get(word, ()) for word in words) for lang in _LANGS}
    ranked = sorted(scores.values(), reverse=True)
    best = max(scores, key=lambda lang: scores[lang])
    assert language(text) == (best if ranked[0] >= 2 and ranked[0] > ranked[1] else "und")


def test_the_sentence_at_an_offset_is_the_one_that_holds_it() -> None:
    text = "One is here. Two starts at 13. Three ends it."
    assert sentence_at(text, 0) == "One is here."
    assert sentence_at(text, 12) == "One is here."
    assert sentence_at(text, 13) == "Two starts at 13."
    assert sentence_at(text, 31) == "Three ends it."


def test_a_blank_line_ends_a_sentence() -> None:
    # A heading, or a paragraph without a stop, is no part of the sentence after it.
    text = "A gravity assist \n \n ESA's Juice flew by Venus. It was fast.\nline two.\n\nEnd"
    assert sentence_at(text, 2) == "A gravity assist"
    assert sentence_at(text, 22) == "ESA's Juice flew by Venus."
    assert sentence_at(text, 50) == "It was fast.\nline two."  # one line break ends none
    assert sentence_at(text, len(text) - 1) == "End"


def test_an_abbreviation_a_sentence_goes_on_after_ends_none() -> None:
    text = "Cubesats (e.g. NASA's) fly. Ask Dr. Smith, i.e. Jane. It vs. Mars. Then E.g. Venus."
    assert sentence_at(text, 0) == "Cubesats (e.g. NASA's) fly."
    assert sentence_at(text, 30) == "Ask Dr. Smith, i.e. Jane."
    assert sentence_at(text, 60) == "It vs. Mars."
    assert sentence_at(text, len(text) - 1) == "Then E.g. Venus."
    assert sentence_at("Buy eggs. Then go.", 0) == "Buy eggs."  # a word ending so: it ends


def test_a_month_written_short_ends_no_sentence() -> None:
    text = "It flew Mar. 14, 2016. DeMar. Then Sept. 3 came."
    assert sentence_at(text, 0) == "It flew Mar. 14, 2016."
    assert sentence_at(text, 23) == "DeMar."
    assert sentence_at(text, 30) == "Then Sept. 3 came."


def test_a_snippet_is_cut_at_its_length_with_an_ellipsis() -> None:
    exact = "a" * SNIPPET_CHARS
    assert sentence_at(exact, 0) == exact
    assert sentence_at(exact + "b", 0) == "a" * (SNIPPET_CHARS - 1) + "…"


@pytest.mark.parametrize(
    ("block", "kind"),
    [
        ("A short line without a full stop", "heading"),
        ("x" * 80, "heading"),
        ("x" * 81, "text"),
        ("one two three four five six seven eight nine ten eleven twelve", "heading"),
        ("one two three four five six seven eight nine ten eleven twelve thirteen", "text"),
        ("Ends with a stop.", "text"),
        ("Ends with a colon:", "text"),
        ("Ends with a comma,", "text"),
        ("Ends with a semicolon;", "text"),
        ("A launch. Credit: ESA", "caption"),
    ],
)
def test_a_short_line_that_ends_no_sentence_is_a_heading(block: str, kind: str) -> None:
    [paragraph] = paragraphs(block)
    assert paragraph.kind == kind


def test_paragraphs_before_any_heading_belong_to_no_item() -> None:
    found = paragraphs("A first paragraph that ends.\n\nA Heading\n\nIts text ends here.")
    assert [(p.title, p.kind) for p in found] == [
        ("", "text"),
        ("A Heading", "heading"),
        ("A Heading", "text"),
    ]


def test_a_rule_line_is_no_paragraph_and_no_title() -> None:
    found = paragraphs("Mission notes\n\nThe probe flew.\n\n---\n\n* * *\n\nIt landed.\n")
    assert [(p.text, p.title) for p in found] == [
        ("Mission notes", "Mission notes"),
        ("The probe flew.", "Mission notes"),
        ("It landed.", "Mission notes"),
    ]


def test_headings_after_the_last_text_are_titled_by_the_last_heading() -> None:
    found = paragraphs("Notes\n\nThe probe flew.\n\nMore soon\n\nStay tuned")
    assert [p.title for p in found] == ["Notes", "Notes", "Stay tuned", "Stay tuned"]
