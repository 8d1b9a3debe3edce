"""The gazetteer: aliases, parts, acronyms, the user's alias file, and finding names in text."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews import corpus as corpus_module
from spacenews import load_corpus
from spacenews.corpus import Corpus
from spacenews.entities import (
    AliasFileError,
    AliasTable,
    Gazetteer,
    acronyms,
    finder,
    fold_case,
    pattern,
    read_alias_table,
    shipped_table,
)
from spacenews.model import Event, Source
from spacenews.query import entities
from spacenews.text import fold

from .conftest import SEEDS, run, run_json


def test_acronyms_need_matching_initials() -> None:
    text = (
        "The European Space Agency (ESA) is here. Yuri Malenchenko (RSA), "
        "the International Space Station (ISS), the Agence spatiale (ASX)"
    )
    assert list(acronyms(text)) == [
        ("European Space Agency", "ESA"),
        ("International Space Station", "ISS"),
    ]


def test_aliases_and_parts() -> None:
    gazetteer = Gazetteer()
    gazetteer.add_table(shipped_table())
    assert gazetteer.resolve("roskosmos") == "Roscosmos"
    assert gazetteer.resolve("Russian Federal Space Agency") == "Roscosmos"
    assert gazetteer.resolve("TGO") == "ExoMars Trace Gas Orbiter"
    assert "ExoMars Trace Gas Orbiter" in gazetteer.parts("ExoMars")
    assert gazetteer.forms("ExoMars")["TGO"] == "part"


def test_one_word_names_keep_their_case() -> None:
    found = pattern(["Mars", "Mars Express"]).findall("Mars, MARS EXPRESS, le 14 mars, Marseille")
    assert found == ["Mars", "MARS EXPRESS"]


def test_gazetteer_counts_longest_names() -> None:
    gazetteer = Gazetteer()
    gazetteer.add_table(shipped_table())
    gazetteer.add("Mars")
    counts = gazetteer.find("Mars Express orbits Mars; ESA’s TGO too.")
    assert counts == {
        "Mars Express": 1,
        "Mars": 1,
        "European Space Agency": 1,
        "ExoMars Trace Gas Orbiter": 1,
    }


def test_user_alias_file_wins_and_bad_one_is_reported(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_bytes((SEEDS / "003_e1b96d0c7dd0baf8.txt").read_bytes())
    (tmp_path / "spacenews.toml").write_text('[aliases]\n"Bridget" = ["rover nicknamed Bridget"]\n')
    corpus = load_corpus([tmp_path])
    assert corpus.gazetteer.resolve("rover nicknamed bridget") == "Bridget"
    assert [d.path for d in corpus.documents] == ["page.txt"]  # the alias file is no document
    (tmp_path / "spacenews.toml").write_text("[aliases]\nBridget = 3\n")
    (problem,) = load_corpus([tmp_path]).problems
    assert problem.path == "spacenews.toml" and "must be a list of strings" in problem.reason


@pytest.mark.parametrize("data", [b"[aliases", b"aliases = 1", b"\xff\xfe"])
def test_read_alias_table_rejects_bad_files(data: bytes) -> None:
    with pytest.raises(AliasFileError):
        read_alias_table(data)


def test_read_alias_table() -> None:
    assert read_alias_table(b'[parts]\nA = ["B"]\n') == AliasTable({}, {"A": ["B"]})


def test_entities_command(runner: CliRunner) -> None:
    rows = {row["name"]: row for row in run_json(runner, "entities")}
    esa = rows["European Space Agency"]
    assert "ESA" in esa["aliases"]
    assert (esa["first"], esa["last"]) == ("2003-06-02", "2016-10-16")
    assert rows["Mars Express"]["events"] == 4 and rows["Mars Express"]["documents"] == 2
    assert "ExoMars Trace Gas Orbiter" in rows["ExoMars"]["parts"]
    table = run(runner, "entities").stdout
    assert "European Space Agency" in table and "Roskosmos" in table
    everyone = run_json(runner, "entities")
    assert run_json(runner, "entities", "--limit", "2") == everyone[:2]  # the most told of
    assert everyone[0]["events"] >= everyone[1]["events"] >= everyone[-1]["events"]
    assert "2 entities" in run(runner, "entities", "-n", "2").stdout


def test_a_name_matched_through_the_regex_engines_own_cases(
    runner: CliRunner, tmp_path: Path
) -> None:
    # "M\u0131ssion" (a dotless i) matches "Mission" ignoring case, but casefolds apart: the
    # lookup of its canonical name raised KeyError, and entities ended in an internal error.
    (tmp_path / "page.md").write_text(
        "### [2020-01-02](/news/2020/01/2/index.md)\n\n# A test of M\u0131ssion Control.\n\n"
        "### Related:\n\n1. [Other](/news/2020/01/3/x.md) _Context: Mission Control_\n"
    )
    (row,) = run_json(runner, "--corpus", str(tmp_path), "entities")
    assert (row["name"], row["events"]) == ("Mission Control", 2)
    gazetteer = Gazetteer()
    gazetteer.add("Mission Control")
    assert gazetteer.find("M\u0131ssion control, MISSION CONTROL") == {"Mission Control": 2}


def _flat(names: list[str]) -> re.Pattern[str]:
    """The plain alternation the trie replaces: slow, obviously right."""
    spaced = sorted({" ".join(n.split()) for n in names if n.split()}, key=len, reverse=True)
    multi = [r"\s+".join(map(re.escape, n.lower().split())) for n in spaced if " " in n]
    single = [re.escape(n) for n in spaced if " " not in n]
    branches = (["(?i:" + "|".join(multi) + ")"] if multi else []) + (
        ["|".join(single)] if single else []
    )
    return re.compile(r"(?<!\w)(?:" + "|".join(branches) + r")(?!\w)")


_NAME = st.text(alphabet="abcAB -", min_size=1, max_size=8).filter(lambda n: n.split())


@given(
    names=st.lists(_NAME, min_size=1, max_size=8), text=st.text(alphabet="abcAB -.", max_size=60)
)
def test_trie_finds_what_a_plain_alternation_finds(names: list[str], text: str) -> None:
    assert pattern(names).findall(text) == _flat(names).findall(text)


# Letters whose cases the regex engine matches in its own ways: the dotless and dotted i, the
# long s, the Kelvin sign, the final sigma, the micro sign, and a combining dot.
_TRICKY = "aeiksIKSıİſKσςΣµμ\u0307"
_WORDS = st.text(alphabet=_TRICKY + "ab", min_size=1, max_size=5)
_TEXT = st.text(alphabet=_TRICKY + "ab .-_\n", max_size=40)


def _event(headline: str, body: str, titles: list[str]) -> Event:
    sources = tuple(Source(title, f"https://example.org/{n}") for n, title in enumerate(titles))
    return Event(f"2020-01-01/{headline}", date(2020, 1, 1), headline, body, sources)


@given(
    names=st.lists(st.lists(_WORDS, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=4),
    texts=st.lists(st.tuples(_TEXT, _TEXT, st.lists(_TEXT, max_size=2)), max_size=6),
    any_case=st.booleans(),
    places_per_scan=st.sampled_from([1, 30, 10_000]),
)
def test_the_index_finds_the_events_a_search_of_each_finds(
    names: list[str],
    texts: list[tuple[str, str, list[str]]],
    any_case: bool,
    places_per_scan: int,
) -> None:
    events = [_event(*text) for text in texts]
    found = finder(names, any_case=any_case)
    expected = {
        position
        for position, event in enumerate(events)
        if any(
            found.pattern.search(text)
            for text in [event.headline, event.body, *(s.title for s in event.sources)]
        )
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(corpus_module, "PLACES_PER_SCAN", places_per_scan)
        assert Corpus(events).naming(found) == expected


def _entities_event_by_event(corpus: Corpus) -> dict[str, tuple[int, date, date]]:
    """What the entities command counts, found by building and searching every event."""
    gazetteer = corpus.gazetteer
    found: dict[str, list[date]] = {}
    for event in corpus.events:
        names = {gazetteer.resolve(name) or name for name in event.entities}
        names |= set(gazetteer.find(event.headline)) | set(gazetteer.find(event.body))
        for name in names:
            found.setdefault(name, []).append(event.date)
    return {name: (len(days), min(days), max(days)) for name, days in found.items()}


# Few words, so that the names turn up in the texts, across their ends and in any case.
_WORD = st.sampled_from(["ab", "Ab", "AB", "ıs", "IS", "ſk", "K", "σς"])
_PHRASE = st.lists(st.one_of(_WORD, st.sampled_from(["\n", ".", "-", "a-b"])), max_size=8)


@given(
    names=st.lists(st.lists(_WORD, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=4),
    events=st.lists(
        st.tuples(
            st.dates(date(2000, 1, 1), date(2000, 12, 31)),
            _PHRASE.map(" ".join).filter(str.strip),
            _PHRASE.map(" ".join),
            st.lists(_PHRASE.map(" ".join), max_size=2),
            st.lists(st.integers(0, 3), max_size=2),
        ),
        max_size=6,
    ),
)
def test_entities_from_the_index_are_those_of_each_event(
    names: list[str], events: list[tuple[date, str, str, list[str], list[int]]]
) -> None:
    built = []
    for n, (day, headline, body, titles, tied) in enumerate(sorted(events)):
        event = _event(headline, body, titles)
        tags = tuple(dict.fromkeys(names[i % len(names)] for i in tied))
        ties = tuple(dict.fromkeys((fold(tag), "context") for tag in tags))
        built.append(event._replace(id=f"{n}", date=day, entities=tags, ties=ties))
    corpus = Corpus(built)
    rows = {row.name: (row.events, row.first, row.last) for row in entities(corpus)}
    assert rows == _entities_event_by_event(corpus)


@given(_TEXT)
def test_fold_case_keeps_places_and_case_blind_matches(text: str) -> None:
    folded = fold_case(text)
    if folded is None:
        return
    assert len(folded) == len(text)
    for place, char in enumerate(text):
        assert re.fullmatch(f"(?i:{re.escape(folded[place])})", char)
