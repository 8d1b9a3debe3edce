"""The pure query functions, on the built-in seeds."""

from __future__ import annotations

from datetime import date

import pytest

from spacenews import Event, Match, Query, load_corpus, related, suggest, timeline
from spacenews.corpus import Corpus
from spacenews.query import events, mentions


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
