"""The gazetteer: aliases, parts, acronyms, the user's alias file, and finding names in text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews import load_corpus
from spacenews.entities import (
    AliasFileError,
    AliasTable,
    Gazetteer,
    acronyms,
    pattern,
    read_alias_table,
    shipped_table,
)

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
