"""The pure query functions, on the built-in seeds."""

from __future__ import annotations

from datetime import date

import pytest

from spacenews import Query, load_corpus, related, suggest, timeline
from spacenews.corpus import Corpus


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def test_timeline_is_in_date_order(corpus: Corpus) -> None:
    days = [event.date for event in timeline(corpus, Query())]
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
    events = timeline(corpus, Query(entity="BAIKONUR cosmodrome"))
    assert [e.date.year for e in events] == [2012, 2013, 2014, 2015, 2016]


def test_related_says_via(corpus: Corpus) -> None:
    matches = related(corpus, "Mars Express")
    assert [m.event.date.isoformat() for m in matches] == [
        "2003-06-02",
        "2003-12-19",
        "2004-01-19",
        "2004-01-23",
    ]
    assert {m.via for m in matches} == {("context",)}
    assert related(corpus, "Baikonur") == []


def test_suggest(corpus: Corpus) -> None:
    assert suggest(corpus, "mars expres")[0] == "Mars Express"
    assert "Baikonur Cosmodrome" in suggest(corpus, "baikonur")
    assert suggest(corpus, "zzzz") == []
