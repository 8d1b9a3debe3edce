"""Entities agree everywhere: what ``entities`` counts for a name is what ``related`` and
``timeline --entity`` list for it, for every entity of a corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews.corpus import Corpus
from spacenews.entities import AliasTable, Gazetteer, finder, read_alias_table
from spacenews.known import entities
from spacenews.listing import select
from spacenews.loader import load_corpus
from spacenews.model import Event
from spacenews.query import Query, related
from tests.conftest import FIXTURES, SEEDS, run_json

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"
CORPORA = [
    SEEDS,
    FIXTURES / "corpus" / "arw",
    FIXTURES / "corpus" / "probes",
    FIXTURES / "launchlog",
]


def _disagreements(corpus: Corpus) -> list[tuple[str, int, int, int, int, int]]:
    wrong = []
    for info in entities(corpus):
        found = related(corpus, info.name)
        events = sum(isinstance(match.item, Event) for match in found)
        listed = len(select(corpus, Query(entity=info.name)))
        if not info.events == events == listed or info.documents != len(found) - events:
            wrong.append((info.name, info.events, events, listed, info.documents, len(found)))
    return wrong


@pytest.mark.parametrize("path", CORPORA, ids=lambda path: path.name)
def test_entities_counts_what_related_and_timeline_list(path: Path, tmp_path: Path) -> None:
    on_disk = load_corpus([path], db=tmp_path / "index.sqlite")
    in_memory = Corpus(list(on_disk.events), on_disk.documents)
    assert entities(on_disk), "a corpus with entities"
    assert _disagreements(on_disk) == []
    assert _disagreements(in_memory) == []


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared corpora are not on this machine")
@pytest.mark.parametrize("name", ["arw-daily", "spaceprobes", "launchlog-sample"])
def test_entities_agree_on_the_shared_corpora(name: str, tmp_path: Path) -> None:
    corpus = load_corpus([SHARED / name], db=tmp_path / "index.sqlite")
    assert _disagreements(corpus) == []


def test_the_counts_agree_through_the_commands(runner: CliRunner) -> None:
    corpus = ["-c", str(FIXTURES / "corpus" / "arw")]
    listed = run_json(runner, *corpus, "entities")
    assert listed
    for info in listed:
        events = run_json(runner, *corpus, "timeline", "--entity", info["name"])
        found = run_json(runner, *corpus, "related", info["name"])
        assert len(events) == info["events"]
        assert [m["kind"] for m in found].count("event") == info["events"]
        assert [m["kind"] for m in found].count("document") == info["documents"]


_WORDS = [
    "Mars",
    "MARS",
    "mars",
    "Express",
    "Mars Express",
    "Orbiter",
    "ESA",
    "esa",
    "European Space Agency",
    "Agency",
    "Soyuz-U",
    "Soyuz",
    "the",
    ",",
    "-",
]


@given(
    st.lists(st.sampled_from(_WORDS), max_size=12),
    st.lists(st.sampled_from(_WORDS[:-3]), min_size=1, max_size=6),
)
def test_the_gazetteer_finds_an_entity_where_its_own_names_are_found(
    words: list[str], names: list[str]
) -> None:
    gazetteer = Gazetteer()
    gazetteer.add_table(AliasTable({"European Space Agency": ["ESA"]}, {"Mars": ["Mars Express"]}))
    for name in names:
        gazetteer.add(name)
    text = " ".join(words)
    found = set(gazetteer.find(text))
    found |= {whole for name in found for whole in gazetteer.wholes(name)}
    known = {gazetteer.resolve(name) for name in [*names, *_WORDS[:5], "European Space Agency"]}
    expected = {
        name for name in known if name and finder(gazetteer.forms(name)).pattern.search(text)
    }
    assert found == expected


def test_an_entity_counts_the_events_that_name_only_its_parts(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    table = '[parts]\n"Kepler Team" = ["Zond Crew"]\n'
    (corpus_dir / "spacenews.toml").write_text(table)
    (corpus_dir / "a.md").write_text(
        "### [2020-01-01](/news/2020/01/1/index.md)\n# The Zond Crew flew.\n"
    )
    (corpus_dir / "b.md").write_text("---\ntitle: Notes\n---\nThe Zond Crew wrote.\n")
    corpus = load_corpus([corpus_dir], db=tmp_path / "index.sqlite")
    counts = {info.name: (info.events, info.documents) for info in entities(corpus)}
    assert counts["Kepler Team"] == counts["Zond Crew"] == (1, 1)
    assert _disagreements(corpus) == []
    tables = [read_alias_table(table.encode())]
    in_memory = Corpus(list(corpus.events), corpus.documents, alias_tables=tables)
    assert {i.name: (i.events, i.documents) for i in entities(in_memory)} == counts


def _page(day: int, headline: str, context: str) -> str:
    return (
        f"### [2020-01-{day}](/news/2020/01/{day}/index.md)\n# {headline}\n\n"
        f"### Related:\n\n1. [Other](/news/2020/02/1/x.md) _Context: {context}_\n"
    )


def test_events_give_their_entities_by_main_name_and_keep_the_names_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "a.md").write_text(_page(1, "A docking.", "ISS, Nasa"))
    (corpus_dir / "b.md").write_text(_page(2, "A launch.", "NASA, Zond Crew"))
    args = ["-c", str(corpus_dir), "timeline"]
    for cache in ([], ["--no-cache"], ["--db", str(tmp_path / "index.sqlite")]):
        events = run_json(runner, *cache, *args)[:2]  # and the event the pages link to
        assert [(e["entities"], e["names"]) for e in events] == [
            (["International Space Station", "NASA"], ["ISS", "Nasa"]),
            (["NASA", "Zond Crew"], ["NASA", "Zond Crew"]),
        ]
        assert events[0]["related"][0]["context"] == ["International Space Station", "NASA"]
    # A page written again is merged again, and named as before.
    (corpus_dir / "a.md").write_text(_page(1, "A docking.", "ISS, Nasa, Mir"))
    events = run_json(runner, "--db", str(tmp_path / "index.sqlite"), *args)
    assert events[0]["entities"] == ["International Space Station", "NASA", "Mir"]
    # The user's table makes a new main name: the kept index follows, with no file changed.
    (corpus_dir / "spacenews.toml").write_text('[aliases]\n"Kepler Team" = ["Zond Crew"]\n')
    for cache in (["--db", str(tmp_path / "index.sqlite")], ["--no-cache"]):
        events = run_json(runner, *cache, *args)
        assert events[1]["entities"] == ["NASA", "Kepler Team"]
        assert events[1]["names"] == ["NASA", "Zond Crew"]
        listed = run_json(runner, *cache, *args, "--entity", "Kepler Team")
        assert [e["headline"] for e in listed] == ["A launch.", "Other"]
    (corpus_dir / "spacenews.toml").unlink()
    events = run_json(runner, "--db", str(tmp_path / "index.sqlite"), *args)
    assert events[1]["entities"] == ["NASA", "Zond Crew"]


def test_documents_give_their_tags_entities_by_main_name(runner: CliRunner, tmp_path: Path) -> None:
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "notes.md").write_text("---\ntitle: Notes\ntags: [ISS, Mir]\n---\nText.\n")
    args = ["-c", str(corpus_dir), "related", "International Space Station"]
    db = ["--db", str(tmp_path / "index.sqlite")]
    for cache in (db, ["--no-cache"]):
        [document] = run_json(runner, *cache, *args)
        assert (document["tags"], document["entities"]) == (
            ["ISS", "Mir"],
            ["International Space Station", "Mir"],
        )
    (corpus_dir / "spacenews.toml").write_text('[aliases]\n"Mir station" = ["Mir"]\n')
    [document] = run_json(runner, *db, *args)
    assert document["entities"] == ["International Space Station", "Mir station"]
    (corpus_dir / "spacenews.toml").unlink()
    [document] = run_json(runner, *db, *args)
    assert document["entities"] == ["International Space Station", "Mir"]
