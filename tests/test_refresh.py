"""Keeping the index fresh: after files change, are added or removed, only their rows are
updated and only the events they tell of merged again, and every answer is the one a run
without the cache gives."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from array import array
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews import loader, reading
from spacenews.cli import app
from spacenews.corpus import Corpus
from spacenews.index import carried as carried_module
from spacenews.index import fresh, mains
from spacenews.index.view import View
from spacenews.known import entities
from spacenews.loader import load_corpus

from .conftest import FIXTURES, generate_module, state

_CHANGES = st.lists(
    st.tuples(
        st.sampled_from(
            ["edit", "retitle", "copy", "add", "delete", "touch", "rename", "move", "prune"]
        ),
        st.integers(0, 10_000),
        st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=6,
)

# Commands whose answers read every part of the index: events, ties, names, documents,
# mentions, the full-text table, problems.
_COMMANDS = [
    ["timeline", "--mentions"],
    ["timeline", "--entity", "NASA"],
    ["related", "Mars"],
    ["entities"],
    ["search", "mission", "new"],
    ["check"],
]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rounds=st.lists(_CHANGES, min_size=1, max_size=2))
def test_a_refreshed_index_answers_as_one_made_afresh(
    rounds: list[list[tuple[str, int, int]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Random files edited, added and removed between runs: each cached answer is the answer
    # without the cache, to the byte, and only the changed files are read again.
    monkeypatch.setattr(loader, "CACHE_MIN_FILES", 1)
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "corpus"
        generate_module.generate(40, folder, seed=7)  # pages that link to one another
        with monkeypatch.context() as patch:
            patch.setenv("SPACENEWS_CACHE_DIR", str(Path(temporary) / "cache"))
            load_corpus([folder], cache=True)
            for changes in rounds:
                _change(sorted(folder.rglob("*.txt")), changes)
                read: list[str] = []
                real = reading.read_bytes
                patch.setattr(reading, "read_bytes", _counting(read, real))
                corpus = load_corpus([folder], cache=True)
                patch.setattr(reading, "read_bytes", real)
                assert len(read) <= sum(kind != "delete" for kind, _, _ in changes)
                assert state(corpus) == state(load_corpus([folder]))
                _assert_kept_as_derived(corpus)
                for command in _COMMANDS:
                    base = ["--corpus", str(folder), *command, "--json"]
                    cached = runner.invoke(app, base)
                    plain = runner.invoke(app, [*base, "--no-cache"])
                    assert (cached.stdout, cached.exit_code) == (plain.stdout, plain.exit_code)


def _assert_kept_as_derived(corpus: Corpus) -> None:
    """The values a write carried to the generation it made (see index.carried.Carried) are those
    derived afresh from the rows."""
    assert corpus.view is not None
    db = corpus.view.db
    kept = corpus.view.kept("units")
    if kept is not None:
        held = {ident: count for ident, count in enumerate(array("q", kept)) if count != -1}
        assert held == dict(db.execute("SELECT id, words FROM units"))
    kept = corpus.view.kept("order")
    if kept is not None:
        rows = db.execute("SELECT rowid, day FROM events ORDER BY day, headline_fold, id")
        both = rows.fetchall()
        assert array("q", kept).tolist() == [*(row[0] for row in both), *(row[1] for row in both)]
    tables = corpus._alias_tables
    assert dict(db.execute("SELECT name, main FROM mains")) == mains._mains(db, tables)


def _counting(read: list[str], real: Callable[[str, int], bytes]) -> Callable[[str, int], bytes]:
    def counting(path: str, limit: int) -> bytes:
        read.append(path)
        return real(path, limit)

    return counting


def _change(paths: list[Path], changes: list[tuple[str, int, int]]) -> None:
    """Apply the changes to the files, each with a new mtime, so that the index sees them."""
    stamp = 2_000_000_000 * 10**9
    for number, (kind, first, second) in enumerate(changes):
        path, other = paths[first % len(paths)], paths[second % len(paths)]
        if not path.exists() or not other.exists():
            continue
        if kind == "edit":  # another file's events and links
            path.write_bytes(other.read_bytes())
        elif kind == "retitle":  # its event is another one
            path.write_text(path.read_text().replace("# The ", "# Another ", 1))
        elif kind == "copy":  # the same events told by two files
            path = path.with_name(f"copy{number}-{first}.txt")
            path.write_bytes(other.read_bytes())
        elif kind == "add":
            path = path.with_name(f"new{number}-{first}.txt")
            day = 1 + second % 28
            path.write_text(
                f"### [1990-01-{day}](/news/1990/01/{day}/index.md)\n\n# New event {first}.\n\n"
                f"### Related:\n\n1. [Linked](/news/1990/02/{day}/x.md) _Context: NASA_\n"
            )
        elif kind == "delete":
            path.unlink()
            continue
        elif kind == "rename":  # the same size and mtime, under another name
            path.rename(path.with_name(f"renamed{number}-{first}.txt"))
            continue
        elif kind == "move":  # ... in a folder of its own, made for it or not
            (path.parent / f"sub{second % 2}").mkdir(exist_ok=True)
            path.rename(path.parent / f"sub{second % 2}" / path.name)
            continue
        elif kind == "prune":  # a folder goes, with every file in it
            if path.parent.name.startswith("sub"):
                shutil.rmtree(path.parent)
            continue
        stamp += 10**9 * first
        os.utime(path, ns=(stamp + number, stamp + number))  # "touch": the same bytes


def test_only_the_events_a_changed_file_tells_of_are_merged_again(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_corpus([corpus_dir], cache=True)
    merged: list[set[str]] = []
    real = fresh.merge_again
    monkeypatch.setattr(
        fresh,
        "merge_again",
        lambda db, touched, *rest: merged.append(set(touched)) or real(db, touched, *rest),
    )
    assert load_corpus([corpus_dir], cache=True).notices == ()
    assert merged == []  # nothing changed: nothing written
    page = corpus_dir / "001_b02bc1e1bd4a287c.txt"
    page.write_text(page.read_text().replace("joint mission", "shared mission"))
    corpus = load_corpus([corpus_dir], cache=True)
    (touched,) = merged
    told = {e.id for e in corpus.events if "001_b02bc1e1bd4a287c.txt" in e.documents}
    assert touched == told and 0 < len(touched) < len(corpus.events) // 4
    assert state(corpus) == state(load_corpus([corpus_dir]))


def test_a_write_carries_the_values_kept_to_its_generation(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The units' words, and the events' order while few events change, are not derived
    # again from every row by the first run after a write.
    notes = corpus_dir / "notes.md"
    notes.write_text("Notes\n\nThe crew met.\n")
    before = load_corpus([corpus_dir], cache=True)
    assert before.view is not None
    before.view.unit_words()  # kept, as a search keeps it
    ordered: list[object] = []
    real = View._read_order
    monkeypatch.setattr(View, "_read_order", lambda self: ordered.append(self) or real(self))
    for text in ["Notes\n\nThe crew met again, twice.\n", "Notes\n\nWe met.\n\nAnd a crew.\n"]:
        notes.write_text(text)
        corpus = load_corpus([corpus_dir], cache=True)
        assert corpus.view is not None and corpus.view.kept("units") is not None
        _assert_kept_as_derived(corpus)
    assert ordered == []
    page = corpus_dir / "001_b02bc1e1bd4a287c.txt"
    moves = [("2016-03-14](/news/2016/03/14", "2031-07-01](/news/2031/07/1"), (" The ", " A ")]
    moves += [("2031-07-01](/news/2031/07/1", "1999-12-31](/news/1999/12/31")]
    for carried, (old, new) in zip([64, 64, 0], moves, strict=True):
        monkeypatch.setattr(carried_module, "ORDER_CARRIED", carried)  # events added or removed
        page.write_text(page.read_text().replace(old, new))  # an event moved, retitled
        corpus = load_corpus([corpus_dir], cache=True)
        assert corpus.view is not None and corpus.view.kept("units") is not None
        assert corpus.notices == ()  # not set aside and rebuilt
        _assert_kept_as_derived(corpus)
        assert len(ordered) == (0 if carried else 1)


@pytest.mark.parametrize(
    ("headline", "names", "again"),
    [
        ("Flight of the crew", "ISS, European Space Agency", False),  # as they were
        ("Flight of the crew", "ISS, Roscosmos", False),  # names other files give too
        ("Flight of the crew", "ISS, Zond Crew", True),  # a name no file gave
        ("Flight of the crew", "ISS, EUROPEAN SPACE AGENCY", True),  # another spelling
        ("Flight of the Zond Crew (ZC)", "ISS, European Space Agency", True),  # an acronym
    ],
)
def test_main_names_are_given_again_only_when_the_names_change(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch, headline: str, names: str, again: bool
) -> None:
    page = "### [2020-01-02](/news/2020/01/2/index.md)\n# {}.\n\nThe crew met.\n\n"
    page += "### Related:\n\n1. [Other](/news/2020/02/1/x.md) _Context: {}_\n"
    added = corpus_dir / "added.md"
    added.write_text(page.format("Flight of the crew", "ISS, European Space Agency"))
    load_corpus([corpus_dir], cache=True)
    given: list[object] = []
    real = mains._mains
    monkeypatch.setattr(mains, "_mains", lambda *args: given.append(1) or real(*args))
    added.write_text(page.format(headline, names))
    corpus = load_corpus([corpus_dir], cache=True)
    assert given == ([1] if again else [])
    monkeypatch.setattr(mains, "_mains", real)
    _assert_kept_as_derived(corpus)
    assert state(corpus) == state(load_corpus([corpus_dir]))


@pytest.mark.parametrize("spellings", [("Zond Crew", "ZOND CREW"), ("ZOND CREW", "Zond Crew")])
def test_main_names_follow_the_first_spelling_and_the_tables_through_a_write(
    corpus_dir: Path, spellings: tuple[str, str]
) -> None:
    # No name appears or vanishes, yet main names change: a spelling becomes the first in
    # the corpus's order, or the alias tables change in the run a file changed.
    page = "### [{0}](/news/{1}/index.md)\n# Flight of the {2}.\n\nThe crew met.\n\n"
    page += "### Related:\n\n1. [Other](/news/{4}/x.md) _Context: ISS, {3}_\n"  # 2040, 2020
    moved, other, notes = corpus_dir / "moved.md", corpus_dir / "other.md", corpus_dir / "n.md"
    moved.write_text(page.format("2030-01-02", "2030/01/2", "crew", spellings[0], "2040/02/1"))
    other.write_text(page.format("2025-01-02", "2025/01/2", "team", spellings[1], "2020/02/1"))
    notes.write_text("Notes\n\nThe crew met.\n")
    load_corpus([corpus_dir], cache=True)
    for change in ["first", "tables"]:
        if change == "first":  # now the first event of the corpus, and its spelling
            moved.write_text(
                page.format("1950-01-02", "1950/01/2", "crew", spellings[0], "2040/02/1")
            )
        else:  # with a file that names nothing
            (corpus_dir / "spacenews.toml").write_text('[aliases]\n"The Crew" = ["ISS"]\n')
            notes.write_text("Notes\n\nThe crew met again.\n")
        corpus = load_corpus([corpus_dir], cache=True)
        _assert_kept_as_derived(corpus)
        assert state(corpus) == state(load_corpus([corpus_dir]))
        first = corpus.events[0].to_dict() if change == "first" else None
        assert first is None or first["entities"][-1] == spellings[0]


def test_a_context_spelt_otherwise_than_its_events_name_follows_the_main_name(
    tmp_path: Path,
) -> None:
    # One event writes two spellings of a name, in two links' context: its own names keep
    # one (the merge keeps one spelling of a folded name), the contexts both. Each is
    # given its main name as --no-cache gives it, whichever spelling is first meanwhile.
    folder, db, runner = tmp_path / "corpus", tmp_path / "index.sqlite", CliRunner()
    folder.mkdir()
    (folder / "e.md").write_text(
        "### [2020-01-02](/news/2020/01/2/index.md)\n# Flight of the crew.\n\nThe crew met.\n\n"
        "### Related:\n\n1. [Other one](/news/2020/02/1/x.md) _Context: Zond Crew_\n"
        "2. [Other two](/news/2020/02/2/y.md) _Context: ZOND CREW_\n"
    )
    earlier = folder / "g.md"
    for step in ["first", "earlier", "gone"]:
        if step == "earlier":  # its spelling comes first now
            earlier.write_text(
                "### [2019-01-02](/news/2019/01/2/index.md)\n# Earlier.\n\n"
                "### Related:\n\n1. [Another](/news/2019/02/1/z.md) _Context: ZOND CREW_\n"
            )
        elif step == "gone":
            earlier.unlink()
        base = ["--corpus", str(folder), "timeline", "--json"]
        cached = runner.invoke(app, ["--db", str(db), *base])
        assert cached.stdout == runner.invoke(app, [*base, "--no-cache"]).stdout, step


def test_names_found_are_kept_for_the_gazetteer_they_were_found_with(tmp_path: Path) -> None:
    # entities keeps what each event names; kept names stand only while the gazetteer finds
    # the same: here one spelling of a name becomes the first in the corpus's order, and so
    # its main name, though no file that names it changed.
    folder, db, runner = tmp_path / "corpus", tmp_path / "index.sqlite", CliRunner()
    folder.mkdir()
    page = "### [2020-01-0{day}](/news/2020/01/{day}/index.md)\n# Flight.\n\nThe {name} flew.\n\n"
    page += "### Related:\n\n"
    page += "1. [Other](/news/2020/02/1/x.md) _Context: {name}_\n"
    (folder / "b.md").write_text(page.format(day=2, name="ZOND CREW"))
    (folder / "c.md").write_text("Notes\n\nThe zond crew met.\n")
    answers = []
    for day in [1, 3]:
        (folder / "a.md").write_text(page.format(day=day, name="Zond Crew"))
        cached = runner.invoke(
            app, ["--db", str(db), "--corpus", str(folder), "entities", "--json"]
        )
        plain = runner.invoke(app, ["--corpus", str(folder), "--no-cache", "entities", "--json"])
        assert cached.stdout == plain.stdout
        answers.append(json.loads(cached.stdout)[0]["name"])
    assert answers == ["Zond Crew", "ZOND CREW"]
    (folder / "d.md").write_text(  # the one event whose names are looked for
        "### [2020-03-05](/news/2020/03/5/index.md)\n# Later.\n\nThe ZOND CREW flew.\n"
    )
    cached = runner.invoke(app, ["--db", str(db), "--corpus", str(folder), "entities", "--json"])
    plain = runner.invoke(app, ["--corpus", str(folder), "--no-cache", "entities", "--json"])
    assert cached.stdout == plain.stdout
    assert json.loads(cached.stdout)[0]["last"] == "2020-03-05"


def test_names_found_are_forgotten_with_the_event_they_were_found_in(tmp_path: Path) -> None:
    # An event told again (its body edited, its id the same) is looked at again; and a run
    # that began before another refreshed the index keeps nothing of what it found.
    folder, db = tmp_path / "corpus", tmp_path / "index.sqlite"
    folder.mkdir()
    page = "### [2020-01-0{day}](/news/2020/01/{day}/index.md)\n# Flight {day}.\n\n{body}\n"
    (folder / "a.md").write_text(
        page.format(
            day=1,
            body="The Zond Crew flew.\n\n### Related:"
            "\n\n1. [Other](/news/2020/02/1/x.md) _Context: Zond Crew_",
        )
    )
    (folder / "b.md").write_text(page.format(day=2, body="Nobody flew."))

    def counted(corpus: Corpus) -> dict[str, int]:
        return {info.name: info.events for info in entities(corpus)}

    before = load_corpus([folder], db=db)  # a run that began before the edit below
    (folder / "b.md").write_text(page.format(day=2, body="The Zond Crew flew too."))
    load_corpus([folder], db=db)
    assert counted(before)["Zond Crew"] == 2  # what that run saw, and must not keep
    assert counted(load_corpus([folder], db=db))["Zond Crew"] == 3
    (folder / "b.md").write_text(page.format(day=2, body="Nobody flew again."))
    assert counted(load_corpus([folder], db=db))["Zond Crew"] == 2


@pytest.mark.parametrize(
    "change",
    [
        lambda folder: (folder / "a.md").rename(folder / "b.md"),
        lambda folder: (folder / "a.md").rename(folder / "sub" / "a.md"),
        lambda folder: shutil.rmtree(folder / "sub"),
        lambda folder: (folder / "sub" / "c.md").unlink(),
        lambda folder: (folder / "sub" / "deeper").mkdir(),
    ],
)
def test_a_folder_whose_files_changed_is_walked_again(
    tmp_path: Path, change: Callable[[Path], object]
) -> None:
    # Files renamed (keeping their size and mtime), moved, or gone with their folder: the
    # index finds what the walk finds, as a run without it does.
    folder, db = tmp_path / "corpus", tmp_path / "index.sqlite"
    (folder / "sub").mkdir(parents=True)
    page = "### [2020-01-0{day}](/news/2020/01/{day}/index.md)\n# Flight {day}.\n"
    (folder / "a.md").write_text(page.format(day=1))
    (folder / "sub" / "c.md").write_text(page.format(day=2))
    (folder / "sub" / "d.md").write_text(page.format(day=3))
    os.utime(folder / "a.md", ns=(10**18, 10**18))
    load_corpus([folder], db=db)
    change(folder)
    kept, afresh = load_corpus([folder], db=db), load_corpus([folder])
    assert state(kept) == state(afresh)
    generation = "SELECT value FROM meta WHERE key = 'generation'"
    with closing(sqlite3.connect(db)) as written:
        (before,) = written.execute(generation).fetchone()
    assert state(load_corpus([folder], db=db)) == state(afresh)
    with closing(sqlite3.connect(db)) as written:
        assert written.execute(generation).fetchone() == (before,)  # nothing more to write


def test_walk_keys_sort_as_the_walk_goes(tmp_path: Path) -> None:
    from spacenews.walk import walk_files

    for name in ["b.md", "a/z.md", "a/b/c.md", "a b/x.md", "ab.md", "a/a.md", "a!/q.md", "é/e.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    walked = [file.relative for file in walk_files(tmp_path, 0, [])]
    assert sorted(walked, key=fresh.walk_key) == walked
    assert walked[:2] == ["ab.md", "b.md"]  # a folder's files come before its folders


def test_adding_and_removing_a_translation_refreshes_as_a_fresh_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One language's page comes and goes between cached runs: the event it joins is merged
    # again, and every answer is the answer without the cache.
    monkeypatch.setattr(loader, "CACHE_MIN_FILES", 1)
    folder = tmp_path / "probes"
    shutil.copytree(FIXTURES / "corpus" / "probes", folder)
    turkish = folder / "tr" / "2018-08-11-parker.markdown"
    english = folder / "en" / "2018-08-11-parker.markdown"
    text = turkish.read_bytes()
    runner = CliRunner()
    commands = [["show", "2018-08-12"], ["search", "Sondası"], ["timeline"], ["entities"]]
    seen = []
    for step in ("both", "removed", "added", "alone"):
        if step == "removed":
            turkish.unlink()
        elif step == "added":
            turkish.write_bytes(text)
        elif step == "alone":
            english.unlink()
        for command in commands:
            base = ["--corpus", str(folder), *command, "--json"]
            cached = runner.invoke(app, base)
            plain = runner.invoke(app, [*base, "--no-cache"])
            assert (cached.stdout, cached.exit_code) == (plain.stdout, plain.exit_code)
        (event,) = json.loads(
            runner.invoke(app, ["--corpus", str(folder), "show", "2018-08-12", "--json"]).stdout
        )
        seen.append((event["id"], event["headline"], len(event["translations"])))
    assert seen == [
        ("2018-08-12/parker", "Parker Solar Probe", 1),
        ("2018-08-12/parker", "Parker Solar Probe", 0),
        ("2018-08-12/parker", "Parker Solar Probe", 1),
        ("2018-08-12/parker", "Parker Güneş Sondası", 0),
    ]


def test_a_run_that_wrote_meanwhile_leaves_no_row_of_a_file_gone(tmp_path: Path) -> None:
    # Run A walks when x.md is new, run B after it went; A writes x.md's rows between B's
    # reading of the rows and B's write: B removes them, as it finds them then.
    from spacenews.index import store

    folder, path = tmp_path / "corpus", tmp_path / "index.sqlite"
    folder.mkdir()
    page = "### [2020-01-0{day}](/news/2020/01/{day}/index.md)\n# Flight {day}.\n"
    (folder / "y.md").write_text(page.format(day=2))
    load_corpus([folder], db=path)

    def rows(todo: list[Any]) -> list[fresh.FileRows]:
        return [fresh.file_rows(reading.parse_file(file)) for file in todo]

    (folder / "x.md").write_text(page.format(day=3))
    os.utime(folder / "x.md", ns=(10**18, 10**18))
    walked_by_a = loader._walk([folder], [])
    (folder / "x.md").unlink()
    (folder / "y.md").write_text(page.format(day=4))
    os.utime(folder / "y.md", ns=(10**18, 10**18))

    def meanwhile(todo: list[Any]) -> list[fresh.FileRows]:
        with closing(store.connect(path, [folder])) as a:
            fresh.refresh(a, walked_by_a, rows)
        return rows(todo)

    with closing(store.connect(path, [folder])) as b:
        fresh.refresh(b, loader._walk([folder], []), meanwhile)
    assert state(load_corpus([folder], db=path)) == state(load_corpus([folder]))


@pytest.mark.parametrize(
    "change",
    [
        lambda folder: (folder / "sub").rename(folder / "subx"),
        lambda folder: shutil.rmtree(folder / "sub"),
    ],
)
def test_a_folder_gone_in_the_run_the_frontmatter_fields_change_leaves_no_rows(
    tmp_path: Path, change: Callable[[Path], object]
) -> None:
    # Found by the differential fuzz (tests/fuzz_cache.py): new [frontmatter] fields make every
    # file be read again, and a folder renamed or removed in that same run kept its files' rows
    # (a document found twice, under its old path and its new one).
    folder, db = tmp_path / "corpus", tmp_path / "index.sqlite"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "x.txt").write_text("Notes of the crew\n\nThe crew met on 13 July 1960.\n")
    (folder / "y.txt").write_text("Other notes\n\nNothing here.\n")
    load_corpus([folder], db=db)
    (folder / "spacenews.toml").write_text('[frontmatter]\ndate_fields = ["date"]\n')
    change(folder)
    assert state(load_corpus([folder], db=db)) == state(load_corpus([folder]))


def test_entity_counts_follow_a_parts_table_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by a differential fuzz of alias tables: the counts entities keeps were keyed by the
    # names the corpus knows, not by the [parts] tables, so a whole given new parts kept the
    # counts made without them (NASA: 1 event where --no-cache counts 7 with its parts').
    monkeypatch.setattr(loader, "CACHE_MIN_FILES", 1)
    folder = tmp_path / "seeds"
    shutil.copytree(FIXTURES.parent.parent / "seeds", folder)
    runner = CliRunner()
    base = ["--corpus", str(folder), "entities", "--json"]
    runner.invoke(app, base)
    (folder / "spacenews.toml").write_text('[parts]\n"NASA" = ["Mars Express"]\n')
    cached, plain = runner.invoke(app, base), runner.invoke(app, [*base, "--no-cache"])
    assert (cached.stdout, cached.exit_code) == (plain.stdout, plain.exit_code)
