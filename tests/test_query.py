"""The pure query functions, on the built-in seeds."""

from __future__ import annotations

import json
import os
import string
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from spacenews import (
    Document,
    Event,
    Match,
    Query,
    QueryError,
    Source,
    load_corpus,
    parse_query,
    related,
    suggest,
    timeline,
)
from spacenews import corpus as corpus_module
from spacenews.corpus import Corpus
from spacenews.dates import period_of
from spacenews.known import entities, knows, unheard_of, unknown_entity
from spacenews.listing import counts, events, select
from spacenews.query import Relation, mentions

from .conftest import SEEDS, fold_only_ascii


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def test_timeline_is_in_date_order(corpus: Corpus) -> None:
    days = [event.date for event in events(corpus, Query())]
    assert days == sorted(days) and len(days) == 10


def test_timeline_bounds_are_inclusive(corpus: Corpus) -> None:
    events = timeline(corpus, Query(start=date(2004, 1, 19), end=date(2014, 4, 16)))
    assert [e.date.isoformat() for e in events] == [
        "2004-01-19",
        "2004-01-23",
        "2012-12-19",
        "2013-07-02",
        "2014-04-16",
    ]


def test_limit_counts_after_ordering(corpus: Corpus) -> None:
    newest = timeline(corpus, Query(reverse=True, limit=2))
    assert [e.date.isoformat() for e in newest] == ["2016-10-16", "2016-03-14"]
    assert timeline(corpus, Query(limit=0)) == []


def test_entity_filter_ignores_case(corpus: Corpus) -> None:
    # 2003-06-02 names "Baikonur", an alias, in its headline.
    events = timeline(corpus, Query(entity="BAIKONUR cosmodrome"))
    assert [e.date.year for e in events] == [2003, 2012, 2013, 2014, 2015, 2016]


def test_related_says_via(corpus: Corpus) -> None:
    matches = [m for m in related(corpus, "Mars Express") if isinstance(m.item, Event)]
    assert sorted(m.item.date.isoformat() for m in matches) == [
        "2003-06-02",
        "2003-12-19",
        "2004-01-19",
        "2004-01-23",
    ]
    # Beagle 2, named in the 2003-12-19 headline, is a part of Mars Express.
    assert {m.via for m in matches} == {("context", "mention"), ("context", "mention", "part")}
    assert related(corpus, "Baikonurr") == []


def test_related_through_aliases_and_parts(corpus: Corpus) -> None:
    roscosmos = {_key(m): m.via for m in related(corpus, "Roscosmos")}
    assert "alias" in roscosmos["2015-12-15"] and "context" in roscosmos["2015-12-15"]
    assert roscosmos["2016-10-16"] == ("mention",)
    assert "002_efe6a678f375d53d.txt" in roscosmos
    exomars = {_key(m): m.via for m in related(corpus, "exomars")}
    assert "part" in exomars["2016-03-14"] and "part" in exomars["2016-10-16"]
    assert {"002_efe6a678f375d53d.txt", "003_e1b96d0c7dd0baf8.txt"} <= set(exomars)


def test_the_name_asked_for_is_no_alias_of_itself(corpus: Corpus) -> None:
    # As the README says (a newcomer's try-out read "whichever name you typed" otherwise):
    # alias marks a name that is neither the main one nor the one asked for.
    by_alias = {_key(m): m.via for m in related(corpus, "ESA")}
    by_name = {_key(m): m.via for m in related(corpus, "European Space Agency")}
    assert by_alias.keys() == by_name.keys()
    assert not any("alias" in via for via in by_alias.values())
    assert "alias" in by_name["2015-12-15"]  # "Tim Peake (ESA)"
    niip = {_key(m): m.via for m in related(corpus, "NIIP-5")}
    assert "alias" in niip["2003-06-02"] and "alias" not in niip["2016-03-14"]


def test_related_finds_names_the_corpus_does_not_list(corpus: Corpus) -> None:
    found = {_key(m) for m in related(corpus, "tim peake")}
    assert found == {"2015-12-15", "003_e1b96d0c7dd0baf8.txt"}
    assert {_key(m) for m in related(corpus, "new norcia")} == {"003_e1b96d0c7dd0baf8.txt"}


def test_mentions(corpus: Corpus) -> None:
    march = mentions(corpus, date(2016, 3, 1), date(2016, 3, 31))
    assert [m.mention.snippet[:15] for m in march] == ["ExoMars liftoff"]
    assert "Baikonur Cosmodrome" in march[0].entities
    # A year given in prose belongs to the year, not to any one day of it.
    assert mentions(corpus, date(2003, 6, 2), date(2003, 6, 2)) == []
    assert [m.date.year for m in mentions(corpus, date(2003, 1, 1), date(2003, 12, 31))] == [2003]


def test_timeline_with_mentions(corpus: Corpus) -> None:
    items = timeline(corpus, Query(start=date(2016, 1, 1), mentions=True, entity="Tim Peake"))
    assert [type(item).__name__ for item in items] == ["Mentioned"]


def _key(match: Match) -> str:
    item = match.item
    return item.date.isoformat() if isinstance(item, Event) else item.path


def test_suggest(corpus: Corpus) -> None:
    assert suggest(corpus, "mars expres")[0] == "Mars Express"
    assert "Baikonur Cosmodrome" in suggest(corpus, "baikonur")
    assert suggest(corpus, "zzzz") == []


def _ranked(corpus: Corpus, entity: str) -> list[tuple[str, tuple[str, ...], float]]:
    return [(_key(m), m.via, round(m.score, 3)) for m in related(corpus, entity)]


# Scores: a tie the corpus states 3, a naming in the text 1, one in the headline or title 1
# more, each further naming 0.25; strongest first, then by date, documents last.
def test_related_scores_and_explains_each_match(corpus: Corpus) -> None:
    assert _ranked(corpus, "Mars Express") == [
        ("2003-12-19", ("context", "mention", "part"), 5.25),
        ("2003-06-02", ("context", "mention"), 5.0),
        ("2004-01-19", ("context", "mention"), 5.0),
        ("2004-01-23", ("context", "mention"), 5.0),
        ("002_efe6a678f375d53d.txt", ("mention",), 1.75),
        ("003_e1b96d0c7dd0baf8.txt", ("mention",), 1.0),
    ]
    assert _ranked(corpus, "Roscosmos") == [
        ("2016-03-14", ("alias", "context", "mention"), 5.0),
        ("2015-12-15", ("alias", "context"), 3.0),
        ("2016-10-16", ("mention",), 2.0),
        ("002_efe6a678f375d53d.txt", ("alias", "mention"), 1.5),
    ]
    assert _ranked(corpus, "exomars") == [
        ("2016-10-16", ("context", "mention", "part"), 5.25),
        ("2016-03-14", ("context", "mention", "part"), 5.0),
        ("003_e1b96d0c7dd0baf8.txt", ("mention", "part"), 3.0),
        ("002_efe6a678f375d53d.txt", ("mention", "part"), 1.75),
    ]


def test_related_by_an_alias_explains_the_name_asked_as_the_name(corpus: Corpus) -> None:
    assert _ranked(corpus, "Roskosmos") == _ranked(corpus, "Roscosmos")
    assert [via for _, via, _ in _ranked(corpus, "ESA")] == [
        *[("context", "mention")] * 7,
        ("mention",),
        ("mention",),
    ]


def test_a_tie_named_in_a_source_title_counts_once(corpus: Corpus) -> None:
    event = Event(
        "2016-03-14/x",
        date(2016, 3, 14),
        "Launch day.",
        "Mars Express Mars Express",
        (Source("Mars Express blog", "https://example.com"),),
        (),
        (),
    )
    [match] = [m for e in [event] if (m := Relation(corpus, "Mars Express").event(e))]
    assert (match.via, match.score) == (("mention", "source"), 1.0 + 0.25 + 1.0)


def test_suggest_gives_close_names_best_first(corpus: Corpus) -> None:
    assert suggest(corpus, "mars expres") == ["Mars Express"]
    assert suggest(corpus, "baikonur") == ["Baikonur Cosmodrome"]
    # The name itself, then one that holds it among other words.
    assert suggest(corpus, "Mars") == ["Mars", "Mars Express"]
    assert suggest(corpus, "Mars", count=1) == ["Mars"]
    assert suggest(corpus, "zzzz") == []


def test_suggestions_come_from_every_name_alias_and_alias_table(corpus: Corpus) -> None:
    # Typos, transposed and missing letters, missing words; by canonical name, at most three.
    assert suggest(corpus, "roscosmo") == ["Roscosmos"]
    assert suggest(corpus, "baikonour") == ["Baikonur Cosmodrome"]  # by its alias Baikonur
    assert suggest(corpus, "internatonal space station")[0] == "International Space Station"
    assert suggest(corpus, "Mras Express") == ["Mars Express"]
    assert suggest(corpus, "webb telescope") == ["James Webb Space Telescope"]  # shipped only
    assert suggest(corpus, "kuorou") == ["Guiana Space Centre"]
    # A typo of a whole name comes before names holding the word; three at most.
    assert suggest(corpus, "space") == ["SpaceX", "European Space Agency", "Guiana Space Centre"]


def _one_edit(name: str) -> st.SearchStrategy[str]:
    """The name with one letter deleted, two neighbours swapped, or one replaced."""
    places = st.integers(0, len(name) - 1)
    deleted = places.map(lambda i: name[:i] + name[i + 1 :])
    swapped = st.integers(0, len(name) - 2).map(
        lambda i: name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    )
    letters = st.sampled_from(string.ascii_letters + string.digits + " ")
    replaced = st.tuples(places, letters).map(lambda x: name[: x[0]] + x[1] + name[x[0] + 1 :])
    return deleted | swapped | replaced


@given(st.data())
def test_one_edit_of_a_name_suggests_its_entity(corpus: Corpus, data: st.DataObject) -> None:
    names = corpus.gazetteer.names()  # every name and alias of the seeds, with its entity
    name = data.draw(st.sampled_from(sorted(name for name in names if len(name) >= 5)))
    edited = data.draw(_one_edit(name))
    assume(not knows(corpus, edited))  # an edit may give another known name: nothing to suggest
    assert names[name] in suggest(corpus, edited)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        last, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            last, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, last + (x != y))
    return row[-1]


@given(st.text(string.ascii_lowercase, min_size=4, max_size=12))
def test_a_word_far_from_every_name_gets_no_suggestion(corpus: Corpus, word: str) -> None:
    keys = {key for name in corpus.gazetteer.names() for key in [name, *name.split()]}
    # Far: more than half of its letters or of a name's (or word's) must change to go between.
    far = all(_edits(word, key.casefold()) > max(len(word), len(key)) / 2 for key in keys)
    assume(far)
    assert suggest(corpus, word) == []


@pytest.mark.parametrize(
    ("days", "by", "expected"),
    [
        (
            ["2016-03-31", "2016-01-31", "2016-03-01"],
            "month",
            [("2016-01", 1), ("2016-02", 0), ("2016-03", 2)],
        ),
        (["2015-12-31", "2016-01-01"], "month", [("2015-12", 1), ("2016-01", 1)]),
        (["2003-01-31", "2005-03-01"], "year", [("2003", 1), ("2004", 0), ("2005", 1)]),
        (["2009-01-31", "2021-03-01"], "decade", [("2000s", 1), ("2010s", 0), ("2020s", 1)]),
        (["2016-03-14"], "month", [("2016-03", 1)]),
        ([], "year", []),
    ],
)
def test_a_chart_counts_every_period_from_the_first_to_the_last(
    days: list[str], by: str, expected: list[tuple[str, int]]
) -> None:
    found = counts([date.fromisoformat(day) for day in days], by)
    assert [(count.period, count.total) for count in found] == expected
    assert [count.to_dict() for count in found] == [
        {"period": period, "count": total} for period, total in expected
    ]


def test_on_this_day_lists_that_day_of_every_year(corpus: Corpus) -> None:
    assert [e.date.isoformat() for e in events(corpus, Query(on=(12, 19)))] == [
        "2003-12-19",
        "2012-12-19",
    ]
    assert events(corpus, Query(on=(2, 29))) == []


def test_reverse_and_limit_take_the_newest(corpus: Corpus) -> None:
    found = events(corpus, Query(start=date(2004, 1, 1), reverse=True, limit=3))
    assert [e.date.isoformat() for e in found] == ["2016-10-16", "2016-03-14", "2015-12-15"]
    found = events(corpus, Query(end=date(2004, 1, 19), reverse=True))
    assert [e.date.isoformat() for e in found] == ["2004-01-19", "2003-12-19", "2003-06-02"]


# The JSON forms are a public contract: each field, exactly.


def test_a_related_document_in_json(corpus: Corpus) -> None:
    [event, document] = [match.to_dict() for match in related(corpus, "Tim Peake")]
    assert (event["kind"], event["date"], event["via"], event["score"]) == (
        "event",
        "2015-12-15",
        ["mention"],
        2.0,
    )
    assert list(event) == [
        *("kind", "id", "date", "headline", "body", "sources", "entities", "names", "related"),
        *("documents", "date_source", "story", "end_date", "published", "translations"),
        *("via", "score"),
    ]
    assert document == {
        "kind": "document",
        "path": "003_e1b96d0c7dd0baf8.txt",
        "title": "Behind the scenes at a rocket launch",
        "format": "text",
        "tags": [],
        "entities": [],
        "via": ["mention"],
        "score": 1.0,
        "snippet": "On 29 April 2016, ESA astronaut Tim Peake controlled, from the International "
        "Space Station, a rover nicknamed Bridget at Airbus Defence and Space in Stevenage as "
        "part of an international experiment to prepare for human–robotic missions to...",
    }


def test_a_score_in_json_has_three_decimals() -> None:
    document = Document("a.md", "A", "text")
    assert Match(document, ("mention",), 1.23456).to_dict()["score"] == 1.235


def test_a_mention_in_json(corpus: Corpus) -> None:
    [march] = mentions(corpus, date(2016, 3, 1), date(2016, 3, 31))
    assert march.to_dict() == {
        "kind": "mention",
        "date": "2016-03-14",
        "precision": "day",
        "title": "To catch a signal",
        "snippet": "ExoMars liftoff on board a Proton launcher from Baikonur Cosmodrome, "
        "14 March 2016, 09:31 GMT / 10:31 CET Credit: ESA",
        "document": "003_e1b96d0c7dd0baf8.txt",
        "entities": ["ExoMars", "Proton", "Baikonur Cosmodrome", "European Space Agency"],
    }


def test_an_entity_in_json(corpus: Corpus) -> None:
    rows = {row.name: row.to_dict() for row in entities(corpus)}
    assert rows["Mars Express"] == {
        "name": "Mars Express",
        "aliases": [],
        "parts": ["Beagle 2"],
        "events": 4,
        "documents": 2,
        "first": "2003-06-02",
        "last": "2004-01-23",
    }
    assert rows["Kazakhstan"]["documents"] == 0


def test_a_document_tagged_with_the_entity_is_tied_to_it(tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text(
        "---\ntitle: Field notes\ntags: [Tim Peake, Mars]\n---\nNotes on Timothy Peake.\n"
    )
    [match] = related(load_corpus([tmp_path]), "Tim Peake")
    # A tag (3), a naming by an alias in the text (1), none in the title.
    assert (match.via, match.score, match.snippet) == (
        ("alias", "mention", "tag"),
        4.0,
        "Notes on Timothy Peake.",
    )
    (tmp_path / "note.md").write_text(
        "---\ntitle: Tim Peake in orbit\n---\nNothing here.\n\nTim Peake flew. Tim Peake, again.\n"
    )
    [match] = related(load_corpus([tmp_path]), "Tim Peake")
    # Two namings in the text (1 + 0.25), the title names him too (1).
    assert (match.via, match.score, match.snippet) == (("mention",), 2.25, "Tim Peake flew.")


def _corpus_of(folder: Path, **files: str) -> Corpus:
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    return load_corpus([folder])


def test_a_known_one_word_name_keeps_its_case_and_an_unknown_name_need_not(
    tmp_path: Path,
) -> None:
    corpus = _corpus_of(
        tmp_path,
        page="Notes\n\nA Proton flew. The proton beam. A Zeppelin flew. The ZEPPELIN landed.\n",
    )
    [proton] = related(corpus, "Proton")
    assert (proton.via, proton.score) == (("mention",), 1.0)
    [zeppelin] = related(corpus, "zeppelin")
    assert (zeppelin.via, zeppelin.score) == (("mention",), 1.25)


def test_a_name_the_regex_engine_reads_through_its_own_cases_is_still_the_name(
    tmp_path: Path,
) -> None:
    corpus = _corpus_of(tmp_path, page="Notes.\n\nThe INTERNATİONAL SPACE STATİON flew over.\n")
    [match] = related(corpus, "International Space Station")
    assert match.via == ("mention",)


def test_a_snippet_is_taken_from_the_english_paragraph_first(tmp_path: Path) -> None:
    corpus = _corpus_of(
        tmp_path,
        page="Proton\n\n"
        "Le lancement de la fusée Proton a eu lieu le 14 mars depuis le cosmodrome.\n\n"
        "The Proton launch took place on 14 March from the cosmodrome and it was fine.\n",
    )
    [match] = related(corpus, "Proton")
    assert match.snippet.startswith("The Proton launch")


def test_an_event_that_does_not_name_the_entity_is_no_match(corpus: Corpus) -> None:
    relation = Relation(corpus, "Mars Express")
    assert relation.event(Event("2001-01-01/x", date(2001, 1, 1), "Nothing at all.")) is None


def test_equal_scores_rank_events_by_date_then_headline_and_documents_last(
    tmp_path: Path,
) -> None:
    post = "---\ntitle: {title}\n{date}tags: [Zeppelin]\n---\nNothing named here.\n"
    corpus = _corpus_of(
        tmp_path,
        a=post.format(title="A note", date=""),
        b=post.format(title="Later", date="date: 2016-03-15\n"),
        c=post.format(title="Beta", date="date: 2016-03-14\n"),
        d=post.format(title="Alpha", date="date: 2016-03-14\n"),
    )
    assert _ranked(corpus, "Zeppelin") == [
        ("2016-03-14", ("tag",), 3.0),
        ("2016-03-14", ("tag",), 3.0),
        ("2016-03-15", ("tag",), 3.0),
        ("a", ("tag",), 3.0),
    ]
    assert [m.item.headline for m in related(corpus, "Zeppelin")[:2]] == ["Alpha", "Beta"]  # type: ignore[union-attr]


def test_a_selection_gives_its_items_dates_precisions_and_json(corpus: Corpus) -> None:
    selection = select(corpus, Query(start=date(2016, 1, 1), mentions=True))
    items = list(selection)
    assert [(type(item).__name__, item.date.isoformat()) for item in items] == [
        ("Event", "2016-03-14"),
        ("Mentioned", "2016-03-14"),
        ("Mentioned", "2016-04-29"),
        ("Mentioned", "2016-05-24"),
        ("Event", "2016-10-16"),
    ]
    assert [selection[n] for n in range(len(selection))] == items == selection[0:]
    assert selection.dates() == [item.date for item in items]
    assert [json.loads(bytes(data)) for data in selection.encode()] == [
        item.to_dict() for item in items
    ]
    assert select(corpus, Query(mentions=True)).precisions() == {"day", "year"}
    assert select(corpus, Query(end=date(2004, 1, 1))).precisions() == {"day"}


def test_mentions_keep_to_the_period_asked(corpus: Corpus) -> None:
    found = timeline(corpus, Query(start=date(2016, 3, 1), end=date(2016, 4, 30), mentions=True))
    assert [(type(i).__name__, i.date.isoformat()) for i in found] == [
        ("Event", "2016-03-14"),
        ("Mentioned", "2016-03-14"),
        ("Mentioned", "2016-04-29"),
    ]


def test_on_this_day_lists_only_mentions_of_that_very_day(corpus: Corpus) -> None:
    found = timeline(corpus, Query(on=(3, 14), mentions=True))
    assert [(type(i).__name__, i.date.isoformat()) for i in found] == [
        ("Event", "2016-03-14"),
        ("Mentioned", "2016-03-14"),
    ]
    # "In 2003" stands for the whole year, not for its first day.
    assert timeline(corpus, Query(on=(1, 1), mentions=True)) == []


def test_entities_rank_by_events_then_documents_then_name(tmp_path: Path) -> None:
    corpus = _corpus_of(
        tmp_path,
        a="---\ntitle: A\ntags: [roskosmos, zeta]\n---\nNothing.\n",
        b="---\ntitle: B\ntags: [Zeta, alpha]\n---\nNothing.\n",
        c="---\ntitle: C\ntags: [Beta]\n---\nNothing.\n",
    )
    assert [(row.name, row.events, row.documents) for row in entities(corpus)] == [
        ("zeta", 0, 2),
        ("alpha", 0, 1),
        ("Beta", 0, 1),
        ("Roscosmos", 0, 1),
    ]


def test_a_name_known_only_to_the_corpus_is_known_when_asked_for(tmp_path: Path) -> None:
    # The corpus names Zorbulon in a context line: a known one-word name keeps its case.
    corpus = _corpus_of(
        tmp_path,
        **{
            "a.md": "### [2016-03-14](/news/2016/03/14/index.md)\n# A probe flew.\n\n"
            "### Related:\n1. [Another flew.](/news/2016/03/15/another.md) _Context: Zorbulon_\n",
            "b.txt": "Notes\n\nThe zorbulon was seen. The Zorbulon flew.\n",
        },
    )
    assert [(m.via, m.score) for m in related(corpus, "Zorbulon") if m.event is None] == [
        (("mention",), 1.0)
    ]


def test_an_acronym_the_texts_define_is_the_name_it_stands_for(tmp_path: Path) -> None:
    corpus = _corpus_of(
        tmp_path,
        **{
            "a.txt": "Notes\n\nThe Zorbulon Orbital Platform (ZOP) flew in 2016.\n",
            "b.txt": "More notes\n\nThe Zorbulon Orbital Platform is large.\n",
        },
    )
    found = related(corpus, "ZOP")
    assert [(m.item.path, m.via, m.score) for m in found if isinstance(m.item, Document)] == [
        ("a.txt", ("mention",), 1.25),
        ("b.txt", ("mention",), 1.0),  # by the long name alone
    ]


def test_a_name_from_the_users_table_is_known_in_the_corpus(tmp_path: Path) -> None:
    corpus = _corpus_of(
        tmp_path,
        **{
            "spacenews.toml": '[aliases]\n"Zorbulon Orbital Platform" = ["Big Zed"]\n',
            "b.txt": "Notes\n\nThe Zorbulon Orbital Platform is large.\n",
        },
    )
    assert [(m.to_dict()["path"], m.via) for m in related(corpus, "big zed")] == [
        ("b.txt", ("mention",))  # by the main name, not by an alias
    ]


def _answers(corpus: Corpus, names: list[str], periods: list[tuple[date, date]]) -> list[Any]:
    """What the queries a user can ask give on the corpus, as JSON."""
    answers: list[Any] = []
    for start, end in [(None, None), *periods]:
        selection = select(corpus, Query(start=start, end=end, mentions=True))
        answers.append([json.loads(bytes(data)) for data in selection.encode()])
        answers.append([item.to_dict() for item in mentions(corpus, start, end)])
    for name in names:
        answers.append([match.to_dict() for match in related(corpus, name)])
        answers.append([e.to_dict() for e in events(corpus, Query(entity=name))])
    answers.append([list(text) for text in corpus.event_texts()])
    answers.append([info.to_dict() for info in entities(corpus)])
    answers.append([suggest(corpus, name, count=10) for name in ["mars", "esa", "baikonour"]])
    return answers


@pytest.mark.parametrize(
    ("places_per_scan", "folds_all"), [(1, True), (30, True), (10_000, True), (10_000, False)]
)
def test_a_corpus_made_of_events_answers_as_its_database_does(
    places_per_scan: int, folds_all: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Corpus(events, documents) is the library's corpus in memory, without a database: every
    # answer is the database's, however it looks for names (a regex over the whole text, or
    # tried only where a name's first word stands, in the text as written or case-folded).
    # Periods start on a mention's day and end on its period's end, or a day short of them.
    monkeypatch.setattr(corpus_module, "PLACES_PER_SCAN", places_per_scan)
    if not folds_all:  # as if fold_case could fold no text but what folds to ASCII
        fold_only_ascii(monkeypatch)
    (tmp_path / "page.md").write_text(
        "### [2016-03-15](/news/2016/03/15/index.md)\n# A Proton flies from Baïkonour.\n\n"
        "The Baikonur Cosmodrome sent a Proton up, as the European Space Agency watched.\n",
        "utf-8",
    )
    (tmp_path / "a.txt").write_text("Notes\n\nThe Zorbulon Orbital Platform (ZOP) flew.\n")
    (tmp_path / "b.txt").write_text("More notes\n\nThe ZOP is large.\n")
    (tmp_path / "z.md").write_text(  # the last event, without sources: its body ends the text
        "### [2030-01-01](/news/2030/01/01/index.md)\n# A last flight.\n\n"
        "Mars Express and the Zorbulon Orbital Platform flew.\n"
    )
    corpus = load_corpus([SEEDS, tmp_path])
    made = Corpus(list(corpus.events), list(corpus.documents))
    assert made.notices == ()
    [express] = [info for info in entities(corpus) if info.name == "Mars Express"]
    assert express.last == date(2030, 1, 1)  # named in the body that ends the index text
    names = ["Mars Express", "ESA", "roscosmos", "Mars", "Tim Peake", "Kazakhstan", "exomars"]
    names += ["Baikonur Cosmodrome", "Baïkonour", "european space agency", "ZOP"]
    periods = [(m.date, period_of(m.date, m.precision).end) for m in corpus.mentions]
    day = timedelta(days=1)
    periods += [(start + day, end) for start, end in periods] + [
        (start, end - day) for start, end in periods
    ]
    assert made.view is None
    assert _answers(made, names, periods) == _answers(corpus, names, periods)


def test_the_first_spelling_in_the_corpus_order_is_an_entitys_name(tmp_path: Path) -> None:
    # Of the spellings of one name, the gazetteer keeps the first in the corpus's order: the
    # events' in date order, then the documents' tags in the walk's. Alphabetically the
    # first spelling is neither the least nor the greatest.
    for day, spelling in [(3, "zond crew"), (1, "Zond Crew"), (2, "ZOND CREW")]:
        (tmp_path / f"e{day}.md").write_text(
            f"### [2020-01-0{day}](/news/2020/01/{day}/index.md)\n# Flight {day}.\n\n"
            f"### Related:\n\n1. [Other](/news/2020/02/{day}/x.md) _Context: {spelling}_\n"
        )
    tagged = [("b.md", "KEPLER TEAM"), ("a.md", "Kepler Team"), ("c.md", "kepler team")]
    for name, tag in [*tagged, ("0.md", "ZOND CREW")]:
        (tmp_path / name).write_text(f"---\ntitle: {name}\ntags: [{tag}]\n---\nText.\n")
    on_disk = load_corpus([tmp_path], db=tmp_path.with_name(tmp_path.name + ".sqlite"))
    in_memory = load_corpus([tmp_path])
    for corpus in (on_disk, in_memory, Corpus(list(on_disk.events), list(on_disk.documents))):
        names = {info.name for info in entities(corpus)}
        assert {"Zond Crew", "Kepler Team"} <= names, names
        assert not names & {"zond crew", "ZOND CREW", "KEPLER TEAM", "kepler team"}


def test_documents_of_equal_score_rank_by_title_with_no_snippet_when_only_tagged(
    tmp_path: Path,
) -> None:
    post = "---\ntitle: {title}\ntags: [Zeppelin]\n---\nNothing named here.\n"
    corpus = _corpus_of(tmp_path, a=post.format(title="Zulu"), b=post.format(title="Alpha"))
    found = related(corpus, "Zeppelin")
    assert [(m.item.title, m.to_dict()["snippet"]) for m in found] == [  # type: ignore[union-attr]
        ("Alpha", ""),
        ("Zulu", ""),
    ]


def test_an_entity_named_only_in_a_source_title_counts_as_related_lists_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.md").write_text(
        "### [2020-01-01](/news/2020/01/1/index.md)\n# A flight.\n\nThe Zond Crew flew.\n\n"
        "### Source:\n\n1. [Kepler Team press kit](https://example.org/k)\n\n"
        "### Related:\n\n1. [Other](/news/2020/02/1/x.md) _Context: Zond Crew, Kepler Team_\n"
    )
    (tmp_path / "b.md").write_text(
        "### [2020-03-01](/news/2020/03/1/index.md)\n# A landing.\n\nWith no one.\n\n"
        "### Source:\n\n1. [Zond Crew and Kepler Team notes](https://example.org/z)\n"
    )
    db = tmp_path.with_name(tmp_path.name + ".sqlite")
    for corpus in (load_corpus([tmp_path]), load_corpus([tmp_path], db=db)):
        counts = {info.name: (info.events, info.last) for info in entities(corpus)}
        assert counts["Zond Crew"] == counts["Kepler Team"] == (3, date(2020, 3, 1))
        assert [m.via for m in related(corpus, "Kepler Team")][-1] == ("source",)
        assert len(related(corpus, "Kepler Team")) == 3


def test_documents_tied_in_score_and_title_keep_the_walks_order(tmp_path: Path) -> None:
    # The walk meets a folder's files before its folders, each by name.
    post = "---\ntitle: Same\ntags: [Zeppelin]\n---\nThe Zeppelin flew.\n"
    folder = tmp_path / "corpus"
    for path in ["b/x.md", "a/y.md", "a/x.md", "m.md"]:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(post)
    for corpus in (load_corpus([folder]), load_corpus([folder], db=tmp_path / "i.db")):
        found = [match.to_dict()["path"] for match in related(corpus, "Zeppelin")]
        assert found == ["m.md", "a/x.md", "a/y.md", "b/x.md"]


def test_suggestions_are_three_unless_asked_for_more(tmp_path: Path) -> None:
    corpus = _corpus_of(
        tmp_path,
        **{
            "a.md": "### [2016-03-14](/news/2016/03/14/index.md)\n# A probe flew.\n\n"
            "### Related:\n1. [Another flew.](/news/2016/03/15/another.md) "
            "_Context: Maru, Mart, Marx, Mark, Mary_\n"
        },
    )
    assert suggest(corpus, "marz") == ["Mark", "Mart", "Maru"]  # equally close: by name
    assert suggest(corpus, "marz", count=5) == ["Mark", "Mart", "Maru", "Marx", "Mary"]


def test_parse_query_reads_dates_as_text_each_period_whole() -> None:
    assert parse_query() == Query()
    assert parse_query("2016") == Query(date(2016, 1, 1), date(2016, 12, 31))
    assert parse_query(start="2010", end="2014-02") == Query(date(2010, 1, 1), date(2014, 2, 28))
    within = parse_query("2010..2016", start="2012-03", end="2020")
    assert (within.start, within.end) == (date(2012, 3, 1), date(2016, 12, 31))
    assert parse_query(on="03-14", entity="Mars", limit=2, reverse=True) == Query(
        entity="Mars", limit=2, reverse=True, on=(3, 14)
    )
    assert parse_query("2016", start="2016-06-02", end="2016-06-02").start == date(2016, 6, 2)


@pytest.mark.parametrize(
    ("args", "what", "reason"),
    [
        ({"period": "soon"}, "period", "'soon' is not a date"),
        ({"start": "2016-13"}, "start", "month 13"),
        ({"end": "x"}, "end", "'x' is not a date"),
        ({"on": "13-45"}, "on", "month 13 does not exist"),
        ({"start": "2016", "end": "2010"}, "range", "2016 is after 2010"),
    ],
)
def test_parse_query_names_the_part_that_is_wrong(
    args: dict[str, str], what: str, reason: str
) -> None:
    with pytest.raises(QueryError) as error:
        parse_query(**args)
    assert error.value.what == what and reason in error.value.reason


def test_an_unknown_entity_is_told_with_the_names_closest_to_it(corpus: Corpus) -> None:
    assert knows(corpus, "mars express") and knows(corpus, "Baikonur Cosmodrome")
    assert not knows(corpus, "marz") and not knows(corpus, "Nobody")
    assert unknown_entity(corpus, "marz") == "no entity named 'marz'; did you mean 'Mars'?"
    assert unknown_entity(corpus, "Nobody") == "no entity named 'Nobody'"
    # The alias that was close is said when it is not the entity's name.
    assert unknown_entity(corpus, "baikonour") == (
        "no entity named 'baikonour'; did you mean 'Baikonur Cosmodrome' (as 'Baikonur')?"
    )
    # A known entity that nothing names is no unknown one.
    said = unknown_entity(corpus, "james webb space telescope")
    assert said == "nothing names 'james webb space telescope'"
    assert "\x1b" not in unknown_entity(corpus, "x\x1b[31m")  # a name is text, never a code


def test_the_events_a_name_finds_are_looked_for_once_a_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # timeline 2030 --entity NAME finds nothing, then asks whether anything names NAME at
    # all (known.unheard_of): the second question must not search the text again, which on
    # a large corpus doubled the run.
    corpus = load_corpus()
    searched: list[object] = []
    asked = corpus.view if corpus.view is not None else corpus  # the view, in memory too
    naming = asked.naming

    def counted(*args: Any, **kwargs: Any) -> set[int]:
        searched.append(args)
        return naming(*args, **kwargs)

    monkeypatch.setattr(asked, "naming", counted)
    first = Relation(corpus, "Hadfield").positions(corpus)
    assert first and Relation(corpus, "Hadfield").positions(corpus) == first
    assert Relation(corpus, "Soyuz").positions(corpus) != first
    assert len(searched) == 2  # Hadfield once, Soyuz once


def test_whether_anything_names_a_name_is_told_without_building_documents(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # known.unheard_of, asked when nothing was found: from the database it reads the
    # documents' texts and tags alone, as related scores them; building every document
    # whose words a name starts with ("the zzqx") made timeline 2030 --entity 'the zzqx'
    # 1.6x as long at 100,000 documents.
    (corpus_dir / "zz_note.txt").write_text("A note on the Zorblax array.\n", "utf-8")
    corpus = load_corpus([corpus_dir])
    assert corpus.view is not None

    def built(*args: Any) -> None:
        raise AssertionError("documents built")

    monkeypatch.setattr(corpus.view, "documents_for", built)
    monkeypatch.setattr(corpus.view, "units_for", built)
    assert not unheard_of(corpus, "zorblax")  # only a document names it
    assert unheard_of(corpus, "the Zorblaxx")
    assert not unheard_of(corpus, "Mars")


def test_related_with_a_limit_builds_only_the_items_shown(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # From the database, the events are scored from their texts and ties, the documents from
    # their texts, tags and titles, and only those shown are built: the answers are those of
    # a corpus in memory, which builds them all.
    from spacenews.index.view import View

    loaded = load_corpus([corpus_dir])
    in_memory = Corpus(list(loaded.events), loaded.documents)
    built: list[Any] = []
    events_at, documents_at = Corpus.events_at, View.documents_at

    def spy(self: Corpus, positions: Any) -> Any:
        wanted = list(positions)
        built.extend(wanted)
        return events_at(self, wanted)

    def spy_documents(self: View, keys: Any) -> Any:
        wanted = list(keys)
        built.extend(wanted)
        return documents_at(self, wanted)

    monkeypatch.setattr(Corpus, "events_at", spy)
    monkeypatch.setattr(View, "documents_at", spy_documents)
    kinds = set()
    for name in ("European Space Agency", "Mars", "Tim Peake", "ESA", "ExoMars"):
        for query in (
            Query(limit=3),
            Query(limit=1, sort="date"),
            Query(limit=40),
            Query(limit=40, sort="date"),
            Query(limit=40, entity="Mars"),
        ):
            built.clear()
            found = [match.to_dict() for match in related(loaded, name, query)]
            assert len(built) <= (query.limit or 0)
            assert found == [match.to_dict() for match in related(in_memory, name, query)]
            assert found
            kinds |= {match["kind"] for match in found}
    assert kinds == {"event", "document"}


def test_related_with_a_limit_orders_documents_of_one_score_by_the_titles_shown(
    tmp_path: Path,
) -> None:
    # Documents of one score come by title: the one shown, which is a title from its text
    # when three documents share theirs (see index.titles), or one with a file name's odd
    # byte (a lone surrogate, which the title column holds escaped). The walk's order differs.
    def page(name: str | bytes, title: str, text: str) -> None:
        path = os.fsdecode(os.fsencode(tmp_path) + b"/" + os.fsencode(name))
        Path(path).write_text(f"---\ntitle: {title}\ntags: [Mars]\n---\n{text}\n")

    page("a.md", "Zeta report", "Mars is red.")
    page("b.md", "Alpha report", "Mars is red.")
    for name, text in [("c.md", "Yonder Mars."), ("d.md", "Aardvark Mars."), ("e.md", "Mars.")]:
        page(name, "Space Blog", text)
    page(b"f\xe9.md", "", "")  # titled by its file name
    page("g.md", "fz", "")
    loaded = load_corpus([tmp_path])
    in_memory = Corpus(list(loaded.events), loaded.documents)
    found = [match.to_dict() for match in related(loaded, "Mars", Query(limit=10))]
    assert found == [match.to_dict() for match in related(in_memory, "Mars", Query(limit=10))]
    titles = [match["title"] for match in found]
    assert titles == [  # the titles naming Mars add to the score
        "Aardvark Mars.",
        "Mars.",
        "Yonder Mars.",
        "Alpha report",
        "Zeta report",
        "fz",
        "f\udce9",
    ]


def test_related_builds_an_event_whose_texts_cannot_be_cut_in_parts(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spacenews.index.view import View

    loaded = load_corpus([corpus_dir])
    expected = [match.to_dict() for match in related(loaded, "Mars", Query(limit=5))]
    parts = View.event_parts

    def uncut(self: View, positions: Any, names: Any) -> Any:
        return ((position, None, ties) for position, _, ties in parts(self, positions, names))

    monkeypatch.setattr(View, "event_parts", uncut)
    assert [match.to_dict() for match in related(loaded, "Mars", Query(limit=5))] == expected
