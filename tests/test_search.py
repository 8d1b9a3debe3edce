"""Ranked search over events and documents."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews import load_corpus
from spacenews import search as search_module
from spacenews.cli import app
from spacenews.corpus import Corpus
from spacenews.search import (
    SearchIndex,
    SearchQuery,
    Unit,
    _hits,
    highlights,
    snippet,
    words,
)

from .conftest import run, run_json

SEED_002 = "002_efe6a678f375d53d.txt"
SEED_003 = "003_e1b96d0c7dd0baf8.txt"


def test_query_parsing() -> None:
    query = SearchQuery.parse('"Red  Planet" water "x')
    assert query.terms == ("red", "planet", "water", "x")
    assert query.phrases == (("red", "planet"),)
    query = SearchQuery.parse('Launch* "red plan*" * a*b Mars-Expr** é*')
    assert query.terms == ("launch*", "red", "plan", "a", "b", "mars", "expr*", "e*")
    # Words written as one, punctuation between them, are a phrase: its last may be a start.
    assert query.phrases == (("red", "plan"), ("a", "b"), ("mars", "expr*"))
    assert SearchQuery.parse("QMR-KWT-2 ESA's (Mars)").phrases == (
        ("qmr", "kwt", "2"),
        ("esa", "s"),
    )


def test_not_or_a_dash_before_a_word_or_a_phrase_leaves_it_out() -> None:
    query = SearchQuery.parse('mars NOT water -"red  planet" -ice* not Mars-Exp - NOT')
    assert query.terms == ("mars", "not", "exp")  # "not" is a word: FTS5's NOT is capital
    assert query.excluded == (("water",), ("red", "planet"), ("ice*",))
    assert query.phrases == (("mars", "exp"),)
    assert SearchQuery.parse("mars water").excluded == ()


def test_search_leaves_out_what_holds_a_word_or_phrase_after_not(runner: CliRunner) -> None:
    # Found by a newcomer's try-out: "mars NOT water" ranked first an event holding water,
    # as sqlite-utils search and notmuch users would not expect.
    every = run_json(runner, "search", "mars", "--limit", "0")
    left = run_json(runner, "search", "mars", "NOT", "water", "--limit", "0")
    water = {result["title"] for result in run_json(runner, "search", "water", "--limit", "0")}
    assert left and len(every) > len(left) and water
    assert [r for r in every if r["title"] not in water] == left  # scores and order kept
    dashed = run(runner, "search", "--limit", "0", "--json", "--", "mars", "-water")
    assert json.loads(dashed.stdout) == left
    phrase = run_json(runner, "search", "mars", "NOT", '"liquid water"', "--limit", "0")
    assert len(left) < len(phrase) < len(every)  # "water ice" is no "liquid water"
    # A limit counts what is left: the best that hold no water.
    assert run_json(runner, "search", "mars", "NOT", "water", "--limit", "2") == left[:2]
    alone = run(runner, "search", "NOT", "water")
    assert alone.exit_code == 2 and "give a word to look for" in alone.stderr


@pytest.mark.parametrize(
    "words", [['""'], ["*"], ["-"], ["NOT", '""'], ["🚀", "…"], ["_"], ["__*"]], ids=str
)
def test_a_search_of_no_word_is_a_usage_error_as_an_empty_one(
    runner: CliRunner, words: list[str]
) -> None:
    # Found by a newcomer's try-out: search '""' said that nothing matched (exit 1), when
    # search '' is a usage error (exit 2): neither gives a word to look for.
    result = run(runner, "search", *words)
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        "give a word to look for: punctuation, symbols and quotes alone find nothing"
        in result.stderr
    )


def test_a_word_ending_with_a_star_finds_every_word_that_starts_so(tmp_path: Path) -> None:
    # As FTS5 reads "explor*": every word starting so counts as the one word of the query.
    index = _index(
        tmp_path,
        **{
            "a.txt": "Notes one\n\nThey explore Mars. Nothing else here.\n",
            "b.txt": "Notes two\n\nSee it. Exploration and exploring of Mars.\n",
            "c.txt": "Notes three\n\nAn explorer? No: explosions only.\n",
        },
    )
    found = index.search("explor*")
    assert [(r.unit.key, r.snippet) for r in found] == [
        ("b.txt", "Exploration and exploring of Mars."),
        ("c.txt", "An explorer?"),  # shorter than a.txt
        ("a.txt", "They explore Mars."),
    ]
    assert index.search("explor") == []  # no word is "explor" itself
    assert highlights("Exploration and exploring", ("explor*",)) == [(0, 11), (16, 25)]
    # The sentence shown holds the most of the query's words, each start counted once.
    unit = Unit("document", "d", None, "T", ("Exploring and exploration.", "Explore Mars."))
    assert snippet(unit, SearchQuery.parse("explor* mar*")) == "Explore Mars."
    unit = Unit("document", "d", None, "T", ("Éxploring and explorátion.", "Explore Märs."))
    assert snippet(unit, SearchQuery.parse("explor* mar*")) == "Explore Märs."
    # Text written without spaces: its terms are pairs of characters, found by their start.
    (tmp_path / "d.txt").write_text(
        "注记\n\n着陆火星乌托邦平原。研制的ExoMars微量气体。\n", "utf-8"
    )
    index = _index(tmp_path)
    for query in ["火*", "火星乌*", "exomars微*", "exomars*"]:
        found = [(r.unit.key, r.snippet) for r in index.search(query)]
        assert found == [("d.txt", "着陆火星乌托邦平原。研制的ExoMars微量气体。")], query
    assert index.search("火星平*") == [] and index.search("exomars量*") == []
    text = "着陆火星乌托邦平原"
    assert highlights(text, ("火星乌*",)) == [(2, 5)] and highlights(text, ("火*",)) == [(2, 3)]


def test_olympus_mons_ranks_the_esa_page_first(runner: CliRunner) -> None:
    results = run_json(runner, "search", "Olympus Mons")
    assert results[0]["path"] == SEED_002
    assert "Olympus Mons" in results[0]["snippet"]
    assert set(results[0]) == {"kind", "path", "date", "title", "snippet", "score"}


def test_search_ignores_diacritics(runner: CliRunner) -> None:
    for query in (["planète rouge"], ["planete", "rouge"]):
        assert run_json(runner, "search", *query)[0]["path"] == SEED_002


def test_schiaparelli_finds_the_blog_and_the_event(runner: CliRunner) -> None:
    results = run_json(runner, "search", "Schiaparelli")
    keys = {result.get("path") or result.get("id") for result in results}
    assert SEED_003 in keys
    assert any(key.startswith("2016-10-16/") for key in keys)


def test_phrases_must_appear_as_written() -> None:
    index = SearchIndex.of(load_corpus())
    assert index.search('"red planet"')
    assert index.search('"planet red"') == []
    assert len(index.search("mars", limit=2)) == 2


def test_words_written_as_one_must_appear_as_written(tmp_path: Path) -> None:
    # A designation is one thing: "QMR-KWT-2" does not find every text holding a 2.
    index = _index(
        tmp_path,
        **{
            "a.txt": "Launch log\n\nSoyuz carries QMR-KWT-2 to orbit.\n",
            "b.txt": "Launch two\n\nAtlas launches Samos 2 and KWT 2 spares.\n",
            "c.txt": "Mars notes\n\nMars Express reaches Mars. Mars-Expo opens.\n",
        },
    )
    assert [r.unit.key for r in index.search("QMR-KWT-2")] == ["a.txt"]
    assert [r.unit.key for r in index.search("kwt-2 samos")] == ["b.txt", "a.txt"]
    assert [r.unit.key for r in index.search("Mars-Exp*")] == ["c.txt"]
    assert index.search("2-KWT") == [] and index.search("Mars-Expl*") == []


def test_search_table_and_no_match(runner: CliRunner) -> None:
    result = run(runner, "search", "Olympus")
    assert result.exit_code == 0 and "Olympus Mons" in result.stdout
    missing = run(runner, "search", "zzzzqqq")
    assert missing.exit_code == 1 and "nothing matches 'zzzzqqq'" in missing.stderr


def test_highlights() -> None:
    assert highlights("La planète rouge", ("planete",)) == [(3, 10)]


def test_a_phrase_s_words_count_and_show_where_they_stand_as_the_phrase() -> None:
    query = SearchQuery.parse("ESA's")
    text = "Europe’s gateway to ESA missions; ESA’s Mars Express."
    assert highlights(text, query) == [(34, 37), (38, 39)]  # not Europe's s, nor ESA alone
    unit = Unit("document", "d", None, "T", ("Europe’s gateway to ESA missions.", text))
    assert snippet(unit, query) == "Europe’s gateway to ESA missions; ESA’s Mars Express."
    assert highlights("ESA is s, ESA’s", query) == [(10, 13), (14, 15)]  # as written only
    query = SearchQuery.parse("ESA's mars orbiter venus")
    unit = Unit("document", "d", None, "T", ("Mars orbiter to Venus.", "ESA’s probe."))
    assert snippet(unit, query) == "ESA’s probe."  # the phrase first, then the most words
    # A word given alone as well shows everywhere; a quoted phrase's words where it stands.
    query = SearchQuery.parse('mars "red mars" water')
    text = "Mars is red. The red Mars had water, red water."
    spans = [text[start:end] for start, end in highlights(text, query)]
    assert spans == ["Mars", "red", "Mars", "water", "water"]
    query = SearchQuery.parse('"mission* control"')  # quoted: the * is no start
    assert highlights("mission control, missions", query) == [(0, 7), (8, 15)]


def test_the_snippet_is_the_sentence_of_the_phrase_not_of_a_word_before_it() -> None:
    # The paragraph holding the phrase is chosen; its sentence is the phrase's, not that of
    # a word given alone which the paragraph holds first.
    unit = Unit("document", "d", None, "T", ("T", "Mars is far away. The red planet is cold."))
    assert snippet(unit, SearchQuery.parse('mars "red planet"')) == "The red planet is cold."
    unit = Unit("document", "d", None, "T", ("An orbit. Then ESA’s probe. Red planet.",))
    assert snippet(unit, SearchQuery.parse("orbit red ESA's")) == "Then ESA’s probe."


def test_a_phrase_stands_wherever_its_words_do() -> None:
    def shown(query: str, text: str) -> list[str]:
        return [text[start:end] for start, end in highlights(text, SearchQuery.parse(query))]

    # A word is every term it may be, not only the first: "Express" is ex* and expr*, "Mars"
    # mars and mar* (given alone: shown everywhere).
    assert shown("ex* Mars-Expr*", "Mars Express flew.") == ["Mars", "Express"]
    assert shown('mar* "mars express"', "Later, Mars looked red.") == ["Mars"]
    # In text written without spaces a word given alone may stand inside a phrase's word.
    text = "这是火星探测 mission 的报告。"
    assert shown('探测 "火星探测 mission"', text) == ["火星探测", "探测", "mission"]
    unit = Unit("document", "d", None, "探测笔记", ("探测笔记", text))
    assert snippet(unit, SearchQuery.parse('探测 "火星探测 mission"')) == text
    assert shown('"go go"', "go go go, go") == ["go", "go", "go", "go"]
    assert shown('"mars express"', "Mars the Express; Mars, Express") == ["Mars", "Express"]


@given(st.text(max_size=40))
def test_search_takes_any_query(text: str) -> None:
    index = SearchIndex.of(load_corpus())
    for result in index.search(text, limit=3):
        assert result.score > 0


def _start(word: str) -> str:
    """A query for every word starting as the word's first letters: "Pla*"."""
    return word[:3] + "*"


def _inverted_index_search(units: list[Unit], text: str) -> list[tuple[str, float]]:
    """BM25 over an inverted index of every word: slower, and obviously right."""
    query = SearchQuery.parse(text)
    tokens = [words("\n".join(unit.paragraphs)) for unit in units]
    average = sum(map(len, tokens)) / len(units)
    scores: dict[int, float] = {}
    for term in query.terms:
        if term.endswith("*"):  # every word that starts so
            counts = [sum(word.startswith(term[:-1]) for word in t) for t in tokens]
            postings = {i: count for i, count in enumerate(counts) if count}
        else:
            postings = {i: Counter(t)[term] for i, t in enumerate(tokens) if term in t}
        idf = math.log(1 + (len(units) - len(postings) + 0.5) / (len(postings) + 0.5))
        for i, count in postings.items():
            norm = 1.2 * (1 - 0.75 + 0.75 * len(tokens[i]) / (average or 1))
            scores[i] = scores.get(i, 0.0) + idf * count * 2.2 / (count + norm)

    def holds(t: list[str], phrase: tuple[str, ...]) -> bool:  # the last may be a start
        *whole, last = phrase
        return any(
            t[at : at + len(whole)] == whole
            and (
                t[at + len(whole)].startswith(last[:-1])
                if last.endswith("*")
                else t[at + len(whole)] == last
            )
            for at in range(len(t) - len(whole))
        )

    kept = [
        (i, score)
        for i, score in scores.items()
        if all(holds(tokens[i], phrase) for phrase in query.phrases)
    ]
    return [(units[i].key, score) for i, score in sorted(kept, key=lambda p: (-p[1], p[0]))]


# Few words, in several spellings, so that queries find them, whole or in part.
_SPELLING = st.sampled_from(
    ["Planète", "planete", "PLANET", "rouge", "rouges", "ſun", "Sun", "a_b"]
)
_GLUE = st.sampled_from(["", " ", "  ", ", ", "\n", "-", "'", "é", "\u0301"])
_PROSE = st.lists(st.tuples(_SPELLING, _GLUE), max_size=8).map(lambda p: "".join(map("".join, p)))


@given(
    texts=st.lists(st.lists(_PROSE, min_size=1, max_size=3), min_size=1, max_size=6),
    query=st.lists(
        st.one_of(
            _SPELLING,
            _SPELLING.map(lambda w: f'"{w} rouge"'),
            _SPELLING.map(_start),
            st.tuples(_SPELLING, _SPELLING).map("-".join),  # written as one: a phrase
            st.tuples(_SPELLING, _SPELLING.map(_start)).map("'".join),
        ),
        max_size=3,
    ),
)
def test_search_finds_what_an_inverted_index_finds(
    texts: list[list[str]], query: list[str]
) -> None:
    units = [Unit("event", str(n), None, p[0], tuple(p)) for n, p in enumerate(texts)]
    found = SearchIndex(units).search(" ".join(query))
    assert [(r.unit.key, r.score) for r in found] == _inverted_index_search(units, " ".join(query))


def test_words_written_without_spaces_are_found_inside_sentences(tmp_path: Path) -> None:
    # Chinese and Japanese sentences hold their words without spaces: search finds the
    # two-character 火星 (Mars) inside them, by the pairs of characters the index keeps.
    pages = {
        "zh.md": "### [2020-07-23](/news/2020/07/23/index.md)\n\n# 天问一号发射\n\n"
        "中国首次火星探测任务天问一号在文昌发射成功。\n",
        "ja.md": "### [2021-02-10](/news/2021/02/10/index.md)\n\n# 探査機の到着\n\n"
        "探査機は火星の周回軌道に入った。\n",
        "other.md": "### [2021-02-11](/news/2021/02/11/index.md)\n\n# 月面着陆\n\n"
        "嫦娥五号在月球着陆。星火燎原。\n",
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text)
    index = SearchIndex.of(load_corpus([tmp_path]))
    found = index.search("火星")
    assert {result.unit.date.isoformat() for result in found if result.unit.date} == {
        "2020-07-23",
        "2021-02-10",
    }
    assert all("火星" in result.snippet for result in found)
    (longer,) = index.search("火星探测")  # its pairs 火星 星探 探测, in a row
    assert longer.unit.title == "天问一号发射"
    assert index.search("探测火星") == []  # the same characters, not in that order
    assert highlights("中国首次火星探测", ("火星",)) == [(4, 6)]


def _index(folder: Path, **files: str) -> SearchIndex:
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    return SearchIndex.of(load_corpus([folder]))


_PAGES = {
    "a.md": "### [2016-03-14](/news/2016/03/14/index.md)\n# The red planet gets an orbiter.\n"
    "The orbiter reached the red planet after a long trip.\n",
    "b.txt": "Planet notes\n\nLa planète rouge est loin.\n\n"
    "The red planet is far away. It is red.\n",
    "c.txt": "Other notes\n\nNothing about it here at all, just words.\n",
}


def test_search_scores_by_bm25_and_gives_each_result_in_json(tmp_path: Path) -> None:
    index = _index(tmp_path, **_PAGES)
    assert [result.to_dict() for result in index.search("red planet")] == [
        {
            "kind": "document",
            "path": "b.txt",
            "date": None,
            "title": "Planet notes",
            "snippet": "The red planet is far away.",
            "score": 1.328,
        },
        {
            "kind": "event",
            "id": "2016-03-14/the-red-planet-gets-an-orbiter",
            "date": "2016-03-14",
            "title": "The red planet gets an orbiter.",
            "snippet": "The red planet gets an orbiter.",
            "score": 1.277,
        },
    ]
    assert [(r.unit.key, round(r.score, 3)) for r in index.search("orbiter")] == [
        ("2016-03-14/the-red-planet-gets-an-orbiter", 1.332)
    ]
    [french] = index.search("planete")
    assert (french.snippet, round(french.score, 3)) == ("La planète rouge est loin.", 0.916)


def test_a_phrase_never_runs_from_one_item_into_the_next(tmp_path: Path) -> None:
    index = _index(
        tmp_path, **{"x1.txt": "Colour notes\n\nThe sky is red", "x2.txt": "Planet notes\n\nNo."}
    )
    assert index.search('"red planet"') == []
    assert [r.unit.key for r in index.search('"sky is red"')] == ["x1.txt"]


def test_equal_scores_keep_the_corpus_order(tmp_path: Path) -> None:
    index = _index(
        tmp_path, **{"b.txt": "Same words\n\nA comet.", "a.txt": "Same words\n\nA comet."}
    )
    assert [r.unit.key for r in index.search("comet")] == ["a.txt", "b.txt"]


def test_a_snippet_is_the_sentence_with_the_most_of_the_words_else_the_title(
    tmp_path: Path,
) -> None:
    index = _index(
        tmp_path,
        **{"p.txt": "Notes\n\nA comet passed.\n\nThe comet and the planet met. Then nothing.\n"},
    )
    [result] = index.search("comet planet")
    assert result.snippet == "The comet and the planet met."
    unit = Unit("document", "q", None, "The title", ("The title", "Nothing here."))
    assert snippet(unit, SearchQuery.parse("absent")) == "The title"


def test_an_empty_index_finds_nothing() -> None:
    assert SearchIndex([]).search("anything") == []


def _day_page(day: str, *headlines: str, context: str = "") -> str:
    """A day page of the news site: its items, each a linked headline."""
    path = day.replace("-", "/")
    items = "".join(f"### [{title}](/news/{path}/{n}.md)\n\n" for n, title in enumerate(headlines))
    return f"## [{day}](/news/{path}/index.md)\n\n{items}{context}"


def test_an_event_reads_each_of_its_entities_as_words_of_their_own(tmp_path: Path) -> None:
    page = _day_page("2016-03-14", "A probe reaches orbit.", context="_Context: Mars, Roscosmos_\n")
    index = _index(tmp_path, **{"day.md": page, "c.txt": _PAGES["c.txt"]})
    [found] = index.search("roscosmos")
    assert (found.unit.key, found.snippet, round(found.score, 3)) == (
        "2016-03-14/a-probe-reaches-orbit",
        "Mars, Roscosmos",
        0.803,
    )


def test_a_page_said_twice_shows_its_english_sentence(tmp_path: Path) -> None:
    page = (
        "Olympus notes\n\n"
        "Olympus Mons est le plus grand volcan du système solaire, sur la planète Mars.\n\n"
        "Olympus Mons is the largest volcano of the solar system, on the planet Mars.\n"
    )
    [found] = _index(tmp_path, **{"b.txt": page}).search("mons")
    assert found.snippet == (
        "Olympus Mons is the largest volcano of the solar system, on the planet Mars."
    )


def test_equal_scores_put_events_before_documents_and_events_by_date(tmp_path: Path) -> None:
    pages = {
        "a.txt": "Big comet seen.\n",  # its title and its paragraph: six words, two comets
        "day1.md": _day_page("2016-03-14", "Zeta comet seen near a comet."),
        "day2.md": _day_page("2016-03-15", "Alpha comet seen near a comet."),
    }
    found = _index(tmp_path, **pages).search("comet")
    assert [(r.unit.key, round(r.score, 3)) for r in found] == [
        ("2016-03-14/zeta-comet-seen-near-a-comet", 0.184),
        ("2016-03-15/alpha-comet-seen-near-a-comet", 0.184),
        ("a.txt", 0.184),
    ]


def test_equal_scores_keep_the_order_of_the_corpus_paths(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "z.txt").write_text("A comet.\n")
    (second / "a.txt").write_text("A comet.\n")
    found = SearchIndex.of(load_corpus([first, second])).search("comet")
    assert [r.unit.key for r in found] == ["z.txt", "a.txt"]


def test_a_tie_among_a_thousand_results_keeps_the_corpus_order(tmp_path: Path) -> None:
    # The order (and the lengths) of the units are read in blocks of 500: each is read.
    page = _day_page("2016-03-14", *(f"Comet {n:04} seen." for n in range(1000)))
    found = _index(tmp_path, **{"day.md": page}).search("comet", limit=2)
    assert [(r.unit.title, round(r.score, 6)) for r in found] == [
        ("Comet 0000 seen.", 0.0005),
        ("Comet 0001 seen.", 0.0005),
    ]


def test_a_word_in_a_thousand_units_is_scored_in_all_of_them() -> None:
    # Their lengths are read in blocks of 500: each unit gets its own.
    units = [Unit("event", str(n), None, "t", ("comet " * (1 + n % 3),)) for n in range(1000)]
    found = SearchIndex(units).search("comet")
    assert len(found) == 1000
    assert [(r.unit.key, round(r.score, 6)) for r in found[:2]] == [
        ("2", 0.000709),
        ("5", 0.000709),
    ]


def test_a_limit_shows_the_best_scores_wherever_they_stand() -> None:
    # The best are neither the first units nor the last ones.
    texts = ["comet", "comet comet", "comet comet comet comet", "comet comet comet"]
    units = [Unit("event", str(n), None, "t", (text, "a b c d e")) for n, text in enumerate(texts)]
    units.append(Unit("event", "none", None, "t", ("nothing",)))
    found = SearchIndex(units).search("comet", limit=3)
    assert [(r.unit.key, round(r.score, 3)) for r in found] == [
        ("2", 0.452),
        ("3", 0.426),
        ("1", 0.382),
    ]


def test_a_corpus_made_in_memory_is_searched_as_its_index_would_be(tmp_path: Path) -> None:
    for name, text in _PAGES.items():
        (tmp_path / name).write_text(text, "utf-8")
    loaded = load_corpus([tmp_path])
    assert loaded.view is not None
    in_memory = SearchIndex.of(Corpus(list(loaded.events), loaded.documents))
    expected = [(r.unit, r.score, r.snippet) for r in SearchIndex.of(loaded).search("red planet")]
    assert [(r.unit, r.score, r.snippet) for r in in_memory.search("red planet")] == expected
    assert [r.unit.key for r in in_memory.search("red planet")] == [
        "b.txt",
        "2016-03-14/the-red-planet-gets-an-orbiter",
    ]


def test_a_word_without_spaces_counts_where_its_pairs_stand_in_a_row(tmp_path: Path) -> None:
    pages = {
        "x.md": _day_page("2020-07-23", "火星探测."),
        "y.md": _day_page("2020-07-24", "火星和星探."),  # both pairs of 火星探, not in a row
    }
    found = _index(tmp_path, **pages).search("火星探")
    assert [(r.unit.title, round(r.score, 3)) for r in found] == [("火星探测.", 0.693)]


def test_places_in_a_word_without_spaces() -> None:
    assert highlights("火星和火星和火星", ("火星",)) == [(0, 2), (3, 5), (6, 8)]
    assert highlights("星星星", ("星星",)) == [(0, 2), (1, 3)]  # overlapping, both
    # a word whose folding changes its length (ﬁ is fi): places would be wrong, none shown
    assert highlights("ﬁ火星", ("火星",)) == []


def test_common_words_are_counted_only_where_the_best_may_be(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "mission" is in most units: when the other words' scores show that a unit holding
    # only it cannot be among the best, its postings are read for the other units only.
    # The answers are those of every posting (a corpus in memory reads them all).
    loaded = load_corpus([corpus_dir], cache=True)
    in_memory = SearchIndex.of(Corpus(list(loaded.events), loaded.documents))
    narrowed: list[str] = []
    counts = SearchIndex._counts

    def spy(self: SearchIndex, term: str, units: str | None = None) -> dict[int, int]:
        if units is not None:
            narrowed.append(term)
        return counts(self, term, units)

    monkeypatch.setattr(SearchIndex, "_counts", spy)
    asks = [
        ("mission observes", 3),
        ("observes mission", 1),
        ("mission observes", None),  # no limit: every unit is shown
        ("mission quaoar", 3),  # no unit holds the other word: each holding mission counts
        ("mission launches", 2000),  # fewer units hold the other word than are asked for
    ]
    for text, limit in asks:
        found = SearchIndex.of(loaded).search(text, limit)
        expected = in_memory.search(text, limit)
        assert [(r.unit.key, r.score) for r in found] == [(r.unit.key, r.score) for r in expected]
        assert found
        narrowed.append(f"{text} {limit}")
    assert narrowed == [
        "mission",
        "mission observes 3",
        "mission",
        "observes mission 1",
        "mission observes None",
        "mission quaoar 3",
        "mission launches 2000",
    ]


def test_a_common_word_counts_everywhere_when_it_may_outscore_the_others(tmp_path: Path) -> None:
    # "alpha" is in most units, "beta" in one long one only, where it weighs less than
    # "alpha" may weigh elsewhere: every unit holding "alpha" is scored.
    filler = " ".join(f"word{n}" for n in range(300))
    pages = {f"p{n}.md": _day_page(f"2020-01-{n + 1:02d}", "Alpha alpha alpha.") for n in range(9)}
    pages["long.md"] = _day_page("2020-02-01", f"Beta {filler}.")
    pages["other.md"] = _day_page("2020-02-02", "Gamma.")
    found = _index(tmp_path, **pages).search("alpha beta", 1)
    assert [(r.unit.title, str(r.unit.date)) for r in found] == [
        ("Alpha alpha alpha.", "2020-01-01")
    ]


_ASCII_TEXT = st.text(st.sampled_from("abcAB1_ .,-'\n\t"), max_size=60)


@given(_ASCII_TEXT, st.lists(st.text(st.sampled_from("abcAB1_é火星*"), min_size=1, max_size=4)))
def test_words_of_an_ascii_text_are_found_as_word_by_word(text: str, extra: list[str]) -> None:
    # Snippets and highlights find the query's words in an ASCII text with one regex; each
    # word of the text, normalised and looked for in turn (as other texts are), finds the same.
    query = SearchQuery.parse(" ".join([*words(text)[:3], *extra]))
    by_word = [hit for m in search_module._WORD.finditer(text) for hit in _hits(m, query.terms)]
    assert search_module._text_hits(text, query.terms) == by_word
    assert highlights(text, query.terms) == [(start, end) for start, end, _ in by_word]


def test_a_quoted_phrase_of_words_written_without_spaces_is_found_run_together(
    tmp_path: Path,
) -> None:
    # "火星 探测": two words the text writes as one run (火星探测), or apart.
    index = _index(
        tmp_path,
        **{
            "a.txt": "笔记\n\n中国的火星探测任务。\n",
            "b.txt": "笔记二\n\n火星 探测 任务。\n",
            "c.txt": "笔记三\n\n火星的探测。\n",
            "d.txt": "Notes\n\nMars probe 火星 launched.\n",
            "e.txt": "Blog\n\nThe redplanet blog: red, not a planet.\n",
        },
    )
    found = [(r.unit.key, r.snippet) for r in index.search('"火星 探测"')]
    assert found == [("a.txt", "中国的火星探测任务。"), ("b.txt", "火星 探测 任务。")]
    assert [r.unit.key for r in index.search('"火星 任务"')] == []
    assert [r.unit.key for r in index.search('"probe 火星"')] == ["d.txt"]  # not run together
    assert index.search('"red planet"') == []  # other words never are
    assert highlights("中国的火星探测任务。", SearchQuery.parse('"火星 探测"')) == [(3, 5), (5, 7)]


@pytest.mark.parametrize("columns", ["80", "250"])
def test_a_snippet_that_is_the_title_cut_short_is_not_shown_again(columns: str) -> None:
    # Found by a newcomer's try-out: search crew showed the Soyuz headline, then the same
    # sentence cut at "... at …" under it.
    result = CliRunner(env={"COLUMNS": columns}).invoke(app, ["search", "crew"])
    assert result.exit_code == 0
    assert result.stdout.count("The Soyuz TMA-19M") == 1 and " at …" not in result.stdout
    (found,) = run_json(CliRunner(), "search", "crew")
    assert found["snippet"].endswith(" at …")  # the JSON keeps the sentence it was given
