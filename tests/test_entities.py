"""The gazetteer: aliases, parts, acronyms, the user's alias file, and finding names in text."""

from __future__ import annotations

import os
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
    Suggestion,
    acronyms,
    build_gazetteer,
    closest,
    defined_acronyms,
    finder,
    pattern,
    read_alias_table,
    shipped_json,
    shipped_path,
    shipped_table,
)
from spacenews.index import fresh, store
from spacenews.index.codec import pack
from spacenews.index.view import View
from spacenews.jsonbytes import encode
from spacenews.known import entities
from spacenews.model import Event, Source
from spacenews.text import fold

from .conftest import FIXTURES, SEEDS, fold_only_ascii, run, run_json


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


def test_names_are_found_in_text_written_without_spaces() -> None:
    # Chinese and Japanese put no space between words, Korean none before a particle: a name
    # stands anywhere in a run of their characters, and so does a Latin name among them. A
    # Latin name inside a Latin word is still none ("Mars" in "ExoMars").
    names = ["火星", "ExoMars", "Mars", "화성"]
    text = "天问一号着陆火星乌托邦平原。研制的ExoMars微量气体。ExoMarsは火星へ。화성에 착륙"
    assert pattern(names).findall(text) == ["火星", "ExoMars", "ExoMars", "火星", "화성"]
    assert pattern(names).findall("ExoMarsX, MarsExpress, 2Mars, Mars_1") == []


def test_related_finds_a_chinese_name_inside_a_sentence(runner: CliRunner, tmp_path: Path) -> None:
    text = "天问一号火星探测任务\n\n2021年5月15日，天问一号着陆器成功着陆火星乌托邦平原南部。\n"
    (tmp_path / "chinese.md").write_text(text, "utf-8")
    found = run_json(runner, "--corpus", str(tmp_path), "related", "火星")
    assert [(match["path"], match["via"]) for match in found] == [("chinese.md", ["mention"])]
    # Events' headlines and bodies too: "...开始为期三天的火星下降。", "...前往火星的任务。"
    page = FIXTURES / "parse" / "event_page_zh.md"
    found = run_json(runner, "--corpus", str(page), "related", "火星")
    dates = [(match["date"], match["via"]) for match in found]
    assert dates == [("2016-10-16", ["mention"]), ("2016-03-14", ["mention"])]


def test_gazetteer_counts_every_name_related_finds_even_inside_a_longer_one() -> None:
    gazetteer = Gazetteer()
    gazetteer.add_table(shipped_table())
    gazetteer.add("Mars")
    counts = gazetteer.find("Mars Express orbits Mars; ESA’s TGO too.")
    assert counts == {
        "Mars Express": 1,
        "Mars": 2,
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
    assert (
        problem.path == str(tmp_path / "spacenews.toml")
        and "must be a list of strings" in problem.reason
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[aliases]\n"Q" = ["Juice"\n', 2),  # "(at end of document)"
        ('[aliases]\n"Q" = ["Juice"]', 2),  # fine: no problem
        ("[aliases]\n\nQ = 1 2\n\n\n", 3),  # "(at line 3, column 7)", not the last
        ("[aliases", 1),
        ("\n\n[aliases", 3),
    ],
)
def test_a_spacenews_toml_that_is_no_toml_is_told_at_its_line(
    tmp_path: Path, text: str, line: int
) -> None:
    # Found by a newcomer's try-out: spacenews.toml:0, where tomllib says the line.
    (tmp_path / "page.txt").write_bytes((SEEDS / "003_e1b96d0c7dd0baf8.txt").read_bytes())
    (tmp_path / "spacenews.toml").write_text(text)
    problems = [(p.line, p.reason[:9]) for p in load_corpus([tmp_path]).problems]
    assert problems == ([] if text.endswith("]") else [(line, "not used:")])


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
    # "M\u0131ssion" (a dotless i) matches "Mission" ignoring case, but casefolds apart: its
    # canonical name must still be found, or entities ends in an internal error.
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


# Plain words and marks (see text.plain_words), and characters that are not plain: letters,
# and a combining accent and a private-use character, which end a word for the regex engine
# but not for SQLite.
_NOT_PLAIN = "\u00e9\u212a\u0301\ue000"
_PLAIN_WORDS = st.text(alphabet="abAB_1.-\u2019\u2122" + _NOT_PLAIN, min_size=1, max_size=4)


@given(
    names=st.lists(st.lists(_PLAIN_WORDS, min_size=1, max_size=3).map(" ".join), max_size=4),
    any_case=st.booleans(),
    data=st.data(),
)
def test_the_database_finds_the_events_a_search_of_each_finds(
    names: list[str], any_case: bool, data: st.DataObject
) -> None:
    # Texts made of the names, in their case or upper case, and of characters around them.
    pieces = [*names, *map(str.upper, names), *"abAB_1 .-\n\u00a0\u2019\u2122", *_NOT_PLAIN]
    text = st.lists(st.sampled_from(pieces), max_size=8).map("".join)
    texts = data.draw(st.lists(st.tuples(text, text, st.lists(text, max_size=2)), max_size=6))
    _assert_the_database_finds_as_a_search(names, any_case, texts)


@pytest.mark.parametrize("mark", [*_NOT_PLAIN, "\u00a0", "\u2019", "\u2122", "_", "."])
@pytest.mark.parametrize("any_case", [False, True])
def test_the_database_finds_a_name_beside_any_mark_as_a_search_does(
    mark: str, any_case: bool
) -> None:
    texts = [
        f"ab{mark}",
        f"{mark}ab",
        f"AB{mark}cd ab",
        f"a{mark}b",
        f"Ab cd{mark}",
        f"ab  cd{mark}x",
    ]
    found = _assert_the_database_finds_as_a_search(
        ["ab", "ab cd"], any_case, [(text, "", []) for text in texts]
    )
    assert len(found) >= 2  # a test that finds nothing would prove little


def _assert_the_database_finds_as_a_search(
    names: list[str], any_case: bool, texts: list[tuple[str, str, list[str]]]
) -> set[int]:
    """The events of these headlines, bodies and titles that View.naming finds are those in
    which the regex finds a name (the plain texts by their words in text_words, the others by
    their texts); their rows."""
    db = store.connect(store.MEMORY, [])
    rows = fresh._EventRows()
    found = finder(names, any_case=any_case)
    naming = set()
    for row, (headline, body, titles) in enumerate(texts, 1):
        event = _event(headline, body, titles)._replace(id=f"2020-01-01/{row}")
        rows.add(event, pack, encode)  # its rowid is row
        naming |= {row} if any(map(found.pattern.search, [headline, body, *titles])) else set()
    rows.write(db, 0, 0)
    view = View(db)
    assert view.naming(found) == view.positions(naming)
    return naming


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


# The rules the README states about entities and aliases, one test each.


def test_an_acronym_the_corpus_defines_is_an_alias_of_its_long_name() -> None:
    assert list(acronyms("The European Space Agency (ESA) said so.")) == [
        ("European Space Agency", "ESA")
    ]
    gazetteer = build_gazetteer([], [], defined_acronyms(["The Amateur Radio Relay Group (ARRG)"]))
    assert gazetteer.resolve("ARRG") == "Amateur Radio Relay Group"
    assert gazetteer.aliases("Amateur Radio Relay Group") == ["ARRG"]


def test_a_two_letter_acronym_is_an_acronym() -> None:
    assert list(acronyms("talks with the European Union (EU) and NASA")) == [
        ("European Union", "EU")
    ]


def test_an_acronym_of_one_letter_or_one_word_is_none() -> None:
    assert list(acronyms("the Agency (A) and the Agency (AG) and Mars (M)")) == []


def test_initials_skip_of_for_and_the() -> None:
    text = (
        "the Office for Outer Space Affairs (OOSA), the Institute of Space Research (ISR), "
        "the Centre de Recherche (CR), the Bank And Trust (BT), The Moon Agency (MA), "
        "the Centre National d'Etudes Spatiales (CNES)"
    )
    assert list(acronyms(text)) == [
        ("Office for Outer Space Affairs", "OOSA"),
        ("Institute of Space Research", "ISR"),
        ("Centre de Recherche", "CR"),
        ("Bank And Trust", "BT"),
        ("Moon Agency", "MA"),
    ]


def test_an_acronym_names_the_words_its_initials_spell_from_the_first_that_fits() -> None:
    # "Said" is capitalised but no initial of ESA: the long name starts where they fit.
    assert list(acronyms("Yesterday Said The European Space Agency (ESA)")) == [
        ("European Space Agency", "ESA")
    ]
    assert list(acronyms("Of The European Space Agency (OTESA)")) == []


def test_a_users_alias_table_wins_over_the_shipped_one() -> None:
    mine = AliasTable({"Tim Peake": ["ESA"]}, {})
    gazetteer = build_gazetteer([mine], [], [])
    assert gazetteer.resolve("ESA") == "Tim Peake"
    assert gazetteer.aliases("European Space Agency") == ["Agence spatiale européenne"]
    assert gazetteer.aliases("Tim Peake") == ["ESA", "Timothy Peake"]


def test_the_shipped_table_wins_over_the_corpus_acronyms_and_names() -> None:
    gazetteer = build_gazetteer(
        [], ["esa", "Mars"], [("Earth Sciences Association", "ESA"), ("Mars Society", "MS")]
    )
    assert gazetteer.resolve("ESA") == "European Space Agency"
    assert gazetteer.resolve("MS") == "Mars Society"
    assert gazetteer.resolve("Earth Sciences Association") == "Earth Sciences Association"
    assert gazetteer.resolve("mars") == "Mars"


def test_the_first_spelling_of_a_name_stays_the_main_name() -> None:
    gazetteer = Gazetteer()
    assert gazetteer.add("Mars Express") == "Mars Express"
    assert gazetteer.add("MARS  express", ["MEX"]) == "Mars Express"
    assert gazetteer.add("mars express") == "Mars Express"
    assert gazetteer.resolve("Mex") == "Mars Express"
    assert gazetteer.forms("Mars Express") == {"Mars Express": "name", "MEX": "alias"}
    assert gazetteer.aliases("mars EXPRESS") == ["MEX"]


def test_an_alias_already_known_keeps_its_entity() -> None:
    gazetteer = Gazetteer()
    gazetteer.add("European Space Agency", ["ESA"])
    gazetteer.add("Earth Sciences Association", ["esa", "ESAss"])
    assert gazetteer.resolve("ESA") == "European Space Agency"
    assert gazetteer.aliases("Earth Sciences Association") == ["ESAss"]


def test_names_compare_ignoring_case_and_spacing() -> None:
    gazetteer = Gazetteer()
    gazetteer.add("International Space Station", ["ISS"])
    for name in ["international space station", " International\t Space\nStation ", "iss"]:
        assert gazetteer.resolve(name) == "International Space Station"
    assert gazetteer.resolve("International Space") is None
    assert gazetteer.resolve(" ") is None


def test_any_run_of_white_space_matches_between_words() -> None:
    found = pattern(["Mars Express"]).findall("Mars  Express, Mars\nExpress, Mars\t \nexpress")
    assert found == ["Mars  Express", "Mars\nExpress", "Mars\t \nexpress"]
    assert pattern(["Mars  Express"]).findall("Mars Express") == ["Mars Express"]


def test_a_one_word_name_must_match_its_case_and_a_longer_one_need_not() -> None:
    assert pattern(["Mars", "Mars Express"]).findall("mars MARS Mars mars express") == [
        "Mars",
        "mars express",
    ]
    assert pattern(["Mars"], any_case=True).findall("mars MARS Mars") == ["mars", "MARS", "Mars"]


def test_names_are_found_on_word_boundaries() -> None:
    found = pattern(["ESA", "Mars Express"]).findall("ESA, ESAs, UESA, ESA_x, (ESA) Mars Expressed")
    assert found == ["ESA", "ESA"]


def test_parts_of_parts_belong_to_the_whole_and_a_whole_is_no_part_of_itself() -> None:
    gazetteer = Gazetteer()
    gazetteer.add_table(
        AliasTable(
            {"Mars Express": ["MEX"]},
            {"Mars": ["Mars Express", "Mars"], "Mars Express": ["Beagle 2", "Mars Express"]},
        )
    )
    assert gazetteer.parts("Mars") == ["Mars Express", "Beagle 2"]
    assert gazetteer.parts("Mars Express") == ["Beagle 2"]
    assert gazetteer.parts("Beagle 2") == []
    assert gazetteer.forms("Mars") == {
        "Mars": "name",
        "Mars Express": "part",
        "MEX": "part",
        "Beagle 2": "part",
    }


def test_a_blank_name_is_a_usage_error(runner: CliRunner) -> None:
    for name in [" ", ""]:
        result = run(runner, "related", name)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert "an entity name cannot be empty" in result.stderr


def test_a_finder_knows_the_words_its_matches_start_with() -> None:
    names = ["Mars Express", "ESA", "Kosmos İstanbul", "x" * 200, "y" * 201, "a\0b c", ""]
    found = finder(names)
    assert found.exact == {"ESA", "x" * 200}
    assert found.folded == {"mars", "kosmos"}
    assert found.pattern.findall("esa ESA MARS EXPRESS " + "y" * 201) == ["ESA", "MARS EXPRESS"]
    assert finder(["Mars"]).pattern.findall("mars Mars") == ["Mars"]
    nothing = finder(["", "\0"])
    assert (nothing.exact, nothing.folded) == (frozenset(), frozenset())
    assert nothing.pattern.search("x") is None


def test_a_longer_name_matches_its_letters_as_written_in_any_case() -> None:
    # "ß" upper-cased is "SS", which the regex engine never takes for "ß": names are laid out
    # lower-cased.
    found = finder(["Großer Wagen"])
    assert found.pattern.findall("der GROßER wagen, der Großer  Wagen") == [
        "GROßER wagen",
        "Großer  Wagen",
    ]
    assert found.folded == {"großer"}


def test_where_fold_case_cannot_fold_a_first_word_every_place_may_start_a_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fold_only_ascii(monkeypatch)
    found = finder(["Baïkonour Cosmodrome", "ESA"])
    assert found.folded == {""}  # no first word to look for: every text is searched
    assert found.pattern.findall("the baïkonour cosmodrome of ESA") == [
        "baïkonour cosmodrome",
        "ESA",
    ]


def test_a_name_and_a_longer_name_it_starts_are_both_found() -> None:
    assert pattern(["ESA", "ESAC", "ESOC"]).findall("ESA ESAC ESOC ESACS") == [
        "ESA",
        "ESAC",
        "ESOC",
    ]
    assert pattern(["Mars", "Mars Express", "Mars Express Orbiter"]).findall(
        "Mars, mars express, Mars Express Orbiter, Mars Express Orbiters"
    ) == ["Mars", "mars express", "Mars Express Orbiter", "Mars Express"]


def test_an_empty_gazetteer_finds_nothing_and_knows_no_alias() -> None:
    gazetteer = Gazetteer()
    assert gazetteer.find("Mars Express") == {}
    assert gazetteer.aliases("Nobody") == []
    assert gazetteer.parts("Nobody") == []


def test_the_shipped_json_is_the_shipped_toml() -> None:
    # The TOML is what people edit, the JSON what spacenews reads: SPACENEWS_UPDATE_GOLDEN=1
    # writes the JSON anew from the TOML.
    derived = shipped_json(shipped_path("entities.toml").read_bytes())
    kept = shipped_path("entities.json")
    if os.environ.get("SPACENEWS_UPDATE_GOLDEN"):
        kept.write_text(derived, "utf-8")
    assert kept.read_text("utf-8") == derived


def test_shipped_json_keeps_every_table_and_its_order() -> None:
    derived = shipped_json('[b]\n"Z" = ["y"]\nA = []\n[a]\n"é" = ["x", "w"]\n'.encode())
    lines = ["{", ' "b": {', '  "Z": [', '   "y"', "  ],", '  "A": []', " },", ' "a": {']
    lines += ['  "é": [', '   "x",', '   "w"', "  ]", " }", "}", ""]
    assert derived == "\n".join(lines)


def test_the_shipped_table_is_read_whole() -> None:
    table = shipped_table()
    assert table.aliases["Roscosmos"][:2] == ["Russian Federal Space Agency", "Roskosmos"]
    assert list(table.aliases)[:2] == ["European Space Agency", "Roscosmos"]
    assert "ExoMars Trace Gas Orbiter" in table.parts["ExoMars"]


def test_a_bad_alias_table_says_what_is_wrong() -> None:
    with pytest.raises(AliasFileError, match=r"^\[aliases\] must be a table$"):
        read_alias_table(b"aliases = 1")
    with pytest.raises(AliasFileError, match=r"^\[parts\] 'A' must be a list of strings$"):
        read_alias_table(b"[parts]\nA = [1]")
    with pytest.raises(AliasFileError, match="Expected '=' after a key"):
        read_alias_table(b"[aliases]\nA B")
    assert read_alias_table(b'\xef\xbb\xbf[aliases]\nA = ["B"]') == AliasTable({"A": ["B"]}, {})


def test_closest_ranks_whole_names_by_likeness_then_names_holding_the_words() -> None:
    names = {
        "Sentinel-1": "Sentinel-1",
        "Sentinel-2A": "Sentinel-2A",
        "Sentinel programme": "Copernicus",
        "Copernicus": "Copernicus",
    }
    # One letter more in eleven is closer than one other in ten.
    assert [hint.name for hint in closest("sentinel-2", names)] == ["Sentinel-2A", "Sentinel-1"]
    assert closest("Sentinel", names) == [
        Suggestion("Sentinel-1", "Sentinel-1", 0.8, True),
        Suggestion("Copernicus", "Sentinel programme", 1.0, False),  # a word of an alias
    ]
    assert closest("Sentinel", names, count=1) == closest("Sentinel", names)[:1]
    assert closest("", names) == closest("   ", names) == []
