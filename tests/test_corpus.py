"""Loading: walking the paths, reading any bytes, merging records into events."""

from __future__ import annotations

import ast
import io
import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from spacenews import loader, reading, terminal, walk
from spacenews.cli import app
from spacenews.corpus import Corpus, CorpusError, event_parts, merge
from spacenews.links import translation
from spacenews.listing import events
from spacenews.loader import index_results, load_corpus
from spacenews.model import Event, EventRecord, Problem, Related, Source, Translation
from spacenews.parse import Parsed
from spacenews.prose import language
from spacenews.query import Query
from spacenews.reading import Unreadable, read_bytes
from spacenews.reading import decode_bytes as decode
from spacenews.text import fold
from spacenews.walk import walk_files

from .conftest import FIXTURES, SEEDS


def test_seeds_hold_ten_distinct_events() -> None:
    corpus = load_corpus()
    assert len(corpus.events) == 10
    assert len({event.id for event in corpus.events}) == 10
    assert [d.path for d in corpus.documents] == [
        "002_efe6a678f375d53d.txt",
        "003_e1b96d0c7dd0baf8.txt",
    ]
    assert corpus.problems == ()


def _on(corpus: Corpus, day: date) -> list[Event]:
    return events(corpus, Query(start=day, end=day))


def test_an_event_seen_twice_keeps_what_each_place_said() -> None:
    corpus = load_corpus([SEEDS])
    (launch,) = _on(corpus, date(2016, 3, 14))
    assert launch.body.startswith("Europe and Russia")
    assert len(launch.sources) == 2 and len(launch.related) == 5
    # Kazakhstan comes from seed 000's related link, the rest from the page's own links.
    assert "Kazakhstan" in launch.entities and "Roscosmos" in launch.entities
    assert "Russian Federal Space Agency" in launch.names
    assert launch.documents == ("000_76f20314677eaf20.txt", "001_b02bc1e1bd4a287c.txt")


def test_context_gives_entities_to_both_linked_events() -> None:
    corpus = load_corpus([SEEDS])
    (mars_express,) = _on(corpus, date(2003, 6, 2))
    assert set(mars_express.entities) == {
        "European Space Agency",
        "Mars",
        "Mars Express",
        "Kazakhstan",
    }
    (beagle,) = _on(corpus, date(2003, 12, 19))
    assert set(beagle.entities) == {"European Space Agency", "Mars", "Mars Express"}


def test_day_page_and_event_page_merge(tmp_path: Path) -> None:
    (tmp_path / "day.md").write_bytes((FIXTURES / "parse" / "day_page.md").read_bytes())
    (tmp_path / "page.txt").write_bytes((SEEDS / "001_b02bc1e1bd4a287c.txt").read_bytes())
    corpus = load_corpus([tmp_path])
    found = _on(corpus, date(2016, 3, 14))
    assert len(found) == 2
    launch = next(e for e in found if e.headline.startswith("The joint"))
    assert launch.documents == ("day.md", "page.txt")
    assert len(launch.sources) == 2


def test_merge_unions_case_insensitively() -> None:
    day = date(2020, 1, 1)
    link = Related("2020-01-02/x", date(2020, 1, 2), "x")
    records = [
        EventRecord(day, "Same  headline", entities=["ESA", "Mars"], document="a"),
        EventRecord(day, "Same headline!", "Body", entities=["esa"], related=[link], document="b"),
    ]
    event, linked = index_results([Parsed(records=records)]).events
    assert (linked.id, linked.documents, linked.date_source) == ("2020-01-02/x", ("b",), "link")
    assert event.names == ("ESA", "Mars")  # by main name, ESA is the shipped table's
    assert event.entities == ("European Space Agency", "Mars")
    assert event.body == "Body" and event.headline == "Same headline!"
    assert event.related == (link,) and event.documents == ("a", "b")


_PARKER = date(2018, 8, 12)
_TEXTS = {
    "en": ("Parker Solar Probe", "The probe studies the Sun."),
    "tr": ("Parker Güneş Sondası", "Sonda Güneş'i inceliyor."),
    "fr": ("Sonde Parker", "La sonde étudie le Soleil."),
}


def _translated(lang: str, entities: tuple[str, ...] = ()) -> EventRecord:
    headline, body = _TEXTS[lang]
    path = f"_i18n/{lang}/_posts/2018-08-11-parker.md"
    return EventRecord(_PARKER, headline, body, entities=entities, document=path)


def _pages(records: list[EventRecord]) -> list[Event]:
    """The events of these records, each read from a file of its own (a page)."""
    return list(index_results([Parsed(records=[record]) for record in records]).events)


def test_translations_are_one_event_in_english_with_the_other_texts() -> None:
    records = [_translated("tr", ("Güneş",)), _translated("en", ("NASA",))]
    (event,) = _pages(records)
    assert (event.id, event.headline, event.body) == ("2018-08-12/parker", *_TEXTS["en"])
    assert event.translations == (Translation("tr", *_TEXTS["tr"], records[0].document),)
    assert event.documents == (records[0].document, records[1].document)
    assert (event.names or event.entities) == ("Güneş", "NASA")  # every language's
    assert event.to_dict()["translations"] == [
        {
            "lang": "tr",
            **dict(zip(("headline", "body"), _TEXTS["tr"], strict=True)),
            "document": records[0].document,
        }
    ]


def test_a_language_gives_one_translation_its_first_page() -> None:
    second = _translated("tr")
    second.headline, second.document = "Parker", "tr/news/2018-08-11-parker.md"
    records = [_translated("en"), _translated("tr"), second]
    (event,) = _pages(records)
    assert [(t.lang, t.headline) for t in event.translations] == [("tr", _TEXTS["tr"][0])]
    assert event.documents[-1] == "tr/news/2018-08-11-parker.md"


def test_one_language_alone_has_no_translations() -> None:
    (event,) = _pages([_translated("tr")])
    assert (event.id, event.headline, event.translations) == (
        "2018-08-12/parker",
        _TEXTS["tr"][0],
        (),
    )


@given(st.permutations(["en", "tr", "fr"]), st.integers(2, 3))
def test_the_main_text_of_translations_does_not_depend_on_the_order_of_files(
    langs: list[str], count: int
) -> None:
    # English when one of the pages is; else the first language met.
    chosen = langs[:count]
    records = [_translated(lang) for lang in chosen]
    for record in records:
        record.lang = lang_of(record)
    event = merge("k", records)
    main = "en" if "en" in chosen else chosen[0]
    assert (event.headline, event.body) == _TEXTS[main]
    assert [t.lang for t in event.translations] == [lang for lang in chosen if lang != main]
    assert {t.headline for t in event.translations} | {event.headline} == {
        _TEXTS[lang][0] for lang in chosen
    }


def lang_of(record: EventRecord) -> str:
    return translation(record)[0]


def test_walk_is_sorted_skips_hidden_and_does_not_follow_folder_links(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.md").write_text("two")
    (tmp_path / "c.md").write_text("three")
    (tmp_path / "a.md").write_text("one")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x").write_text("hidden")
    (tmp_path / ".hidden.md").write_text("hidden")
    (tmp_path / "loop").symlink_to(tmp_path)
    problems: list[Problem] = []
    names = [file.relative for file in walk_files(tmp_path, 0, problems)]
    assert names == ["a.md", "c.md", "b/2.md"] and problems == []


def _tree(root: Path, sizes: list[int]) -> None:
    """Folders of these many files, one inside the other every third, with what the walk
    skips or cannot stat beside them."""
    folder = root
    for number, size in enumerate(sizes):
        folder = (folder if number % 3 else root) / f"f{number}"
        folder.mkdir()
        for file in range(size):
            (folder / f"{file}.md").write_text("x" * (number + file))
        (folder / ".hidden.md").write_text("hidden")
    (root / "f0" / "gone.md").symlink_to(root / "nowhere")  # cannot be stat-ed
    (root / "f0" / "loop").symlink_to(root)
    (root / "top.md").write_text("top")


def _stated(root: Path) -> list[tuple[str, str, list[str], list[int]]]:
    """What walk_folders finds under root, each file's key checked against its own stat."""
    found = []
    for folder in walk.walk_folders(root, 0, []):
        keys = zip(folder.keys[::2], folder.keys[1::2], strict=True)
        for name, key in zip(folder.names, keys, strict=True):
            path = Path(folder.path, name)
            known = path.stat() if path.exists() else None
            assert key == ((known.st_size, known.st_mtime_ns) if known else walk.NO_KEY)
        found.append((folder.relative, folder.path, folder.names, list(folder.keys)))
    return found


needs_fork = pytest.mark.skipif(not walk._FORK, reason="the walk shares its stats on Linux only")


@needs_fork
@pytest.mark.parametrize("sizes", [[1], [0, 9], [5, 0, 0, 4], [2, 3, 1, 7, 1], [12, 1]])
def test_a_walk_shared_with_a_helper_finds_what_one_walk_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sizes: list[int]
) -> None:
    _tree(tmp_path, sizes)
    alone = _stated(tmp_path)
    forks: list[int] = []
    fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or fork())
    monkeypatch.setattr(walk, "SHARE_FROM", 1)
    assert _stated(tmp_path) == alone
    assert forks == ([1] if _alone() else [])
    monkeypatch.setattr(walk, "_may_fork", lambda: True)  # a test runner's threads fork safely
    parent, stat_all, stated = os.getpid(), walk._stat_all, []

    def watched(pieces: list[tuple[str, list[str]]]) -> Any:
        if os.getpid() == parent:
            stated.extend(name for _, names in pieces for name in names)
        return stat_all(pieces)

    monkeypatch.setattr(walk, "_stat_all", watched)
    assert _stated(tmp_path) == alone
    assert forks[-1:] == [1]
    files = sum(len(names) for _, _, names, _ in alone)
    assert len(stated) == files // 2  # the helper's half came back from it
    assert [folder for folder, *_ in alone][:3] == ["", "f0", "f0/f1"][: len(sizes) + 1]


@needs_fork
def test_a_helper_reaped_by_the_system_is_no_error(tmp_path: Path) -> None:
    # A process that ignores SIGCHLD (as a launcher may leave it) has its children reaped
    # for it: there is none left to wait for.
    _tree(tmp_path, [5, 5])
    script = (
        "import signal, sys\n"
        "from spacenews import walk\n"
        "signal.signal(signal.SIGCHLD, signal.SIG_IGN)\n"
        "walk.SHARE_FROM = 1\n"
        "print(sum(len(f.names) for f in walk.walk_folders(walk.Path(sys.argv[1]), 0, [])))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "12\n", "")


@needs_fork
@pytest.mark.parametrize("failure", ["exit", "short", "interrupted", "no fork"])
def test_a_helper_that_fails_leaves_its_half_to_the_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    # The helper ends before it writes, writes too little, is interrupted, or cannot start.
    _tree(tmp_path, [3, 6, 2])
    alone = _stated(tmp_path)
    parent, stat_all = os.getpid(), walk._stat_all

    def failing(pieces: list[tuple[str, list[str]]]) -> Any:
        if os.getpid() == parent:
            return stat_all(pieces)
        if failure == "exit":
            os._exit(0)
        if failure == "short":
            return stat_all(pieces)[:-2]
        raise KeyboardInterrupt

    if failure == "no fork":
        monkeypatch.setattr(os, "fork", _no_fork)
    else:
        monkeypatch.setattr(walk, "_stat_all", failing)
    monkeypatch.setattr(walk, "SHARE_FROM", 1)
    monkeypatch.setattr(walk, "_may_fork", lambda: True)
    assert _stated(tmp_path) == alone


@needs_fork
def test_a_process_that_runs_threads_walks_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, [4, 4])
    forks: list[int] = []
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or _no_fork())
    monkeypatch.setattr(walk, "SHARE_FROM", 1)
    done = threading.Event()
    waiting = threading.Thread(target=done.wait)
    waiting.start()
    try:
        assert not walk._may_fork()
        folders = walk.walk_folders(tmp_path, 0, [])
    finally:
        done.set()
        waiting.join()
    assert [folder.relative for folder in folders] == ["", "f0", "f0/f1"] and forks == []


def test_the_load_bar_starts_after_the_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a terminal, the bar's drawing thread would keep the walk from sharing its stats
    # (walk._may_fork): it starts with the first thing the bar shows, after the walk.
    from spacenews.terminal import load_progress

    for number in range(3):
        day = number + 1
        page = f"### [2020-01-0{day}](/news/2020/01/{day}/index.md)\n# News\n"
        (tmp_path / f"{number}.md").write_text(page)
    threads, seen = threading.active_count(), []
    monkeypatch.setattr(walk, "SHARE_FROM", 1)
    monkeypatch.setattr(walk, "_may_fork", lambda: seen.append(threading.active_count()) and 0)
    shown = _Terminal()
    monkeypatch.setattr(sys, "stderr", shown)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(loader, "CHUNK_FILES", 1)  # a report for each file
    monkeypatch.setattr(terminal, "PROGRESS_AFTER", 0)
    with load_progress() as progress:
        assert progress is not None
        assert len(load_corpus([tmp_path], progress=progress).events) == 3
    assert seen == [threads]
    assert "Parsing files" in shown.getvalue()


@pytest.mark.parametrize(("after", "chunk"), [(0.5, 1), (0, 500)])
def test_no_bar_flashes_for_a_load_done_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: float, chunk: int
) -> None:
    # Found by a newcomer's try-out: one file drew and cleared its bars on every run. None
    # shows before PROGRESS_AFTER, nor for a step whose first report is its last.
    from spacenews.terminal import load_progress

    for number in range(3):
        (tmp_path / f"{number}.md").write_text(f"---\ntitle: Post {number}\n---\nText\n")
    shown = _Terminal()
    monkeypatch.setattr(sys, "stderr", shown)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(loader, "CHUNK_FILES", chunk)
    monkeypatch.setattr(terminal, "PROGRESS_AFTER", after)
    with load_progress() as progress:
        assert len(load_corpus([tmp_path], progress=progress).documents) == 3
    assert shown.getvalue() == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _alone() -> bool:
    return threading.active_count() == 1


def _no_fork() -> int:
    raise OSError(11, "Resource temporarily unavailable")


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus([tmp_path / "missing"])


@pytest.mark.parametrize(
    ("data", "text", "warning"),
    [
        (b"plain", "plain", ""),
        (b"\xef\xbb\xbfBOM", "BOM", ""),
        (b"a\r\nb\rc", "a\nb\nc", ""),
        ("planète".encode(), "planète", ""),
        ("planète".encode("cp1252"), "planète", "not UTF-8: read as Windows-1252"),
        ("planète ".encode() + b"\xff\xfe", "planète \ufffd\ufffd", "invalid UTF-8 bytes replaced"),
        # Not UTF-8, in the encoding a page or an XML file declares, as browsers read it.
        *[
            (f"{head}Союз МС-22".encode("cp1251"), f"{head}Союз МС-22", "")
            for head in ['<meta charset="windows-1251">', "<META CHARSET=cp1251>"]
        ],
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">H3①'.encode(
                "cp932"
            ),
            '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">H3①',
            "",
        ),
        (
            '<?xml version="1.0" encoding="KOI8-R"?>Запуск'.encode("koi8-r"),
            '<?xml version="1.0" encoding="KOI8-R"?>Запуск',
            "",
        ),
        (
            '<meta charset="iso-8859-1">décollé €'.encode("cp1252"),
            '<meta charset="iso-8859-1">décollé €',
            "",
        ),
        ("\ufeff<html>PSLV\r\n".encode("utf-16-le"), "<html>PSLV\n", ""),
        ("\ufeff<html>PSLV".encode("utf-16-be"), "<html>PSLV", ""),
        # Bytes that are not all in the encoding declared: replaced, and said.
        ("\ufeffPSLV".encode("utf-16-le") + b"!", "PSLV\ufffd", "invalid UTF-16 bytes replaced"),
        (
            b'<meta charset="windows-1253">a\xaa',
            '<meta charset="windows-1253">a\ufffd',
            "invalid cp1253 bytes replaced",
        ),
        # The five bytes Windows-1252 leaves undefined are read as browsers read them: their
        # C1 controls (which the text drops), no error (found by a review).
        (b'<meta charset="windows-1252">a\x81\x8d', '<meta charset="windows-1252">a\x81\x8d', ""),
        (b"caf\xe9 \x90\x9d", "café \x90\x9d", "not UTF-8: read as Windows-1252"),
        (
            '<meta charset="windows-874">ดาวอังคาร'.encode("cp874"),
            '<meta charset="windows-874">ดาวอังคาร',
            "",
        ),
        # Declared as UTF-8, or as an encoding Python does not know: as any other bytes.
        (
            b'<meta charset="utf-8">d\xe9j\xe0',
            '<meta charset="utf-8">déjà',
            "not UTF-8: read as Windows-1252",
        ),
        (
            b'<meta charset="x-klingon">d\xe9j\xe0',
            '<meta charset="x-klingon">déjà',
            "not UTF-8: read as Windows-1252",
        ),
        (
            b"<p>filler</p>" * 100 + b'<meta charset="cp1251">\xd1',
            b"<p>filler</p>".decode() * 100 + '<meta charset="cp1251">Ñ',
            "not UTF-8: read as Windows-1252",
        ),
    ],
)
def test_decode(data: bytes, text: str, warning: str) -> None:
    assert decode(data) == (text, warning)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\n", "empty file"),
        (b"GIF89a\x00\x01", "binary file (it holds NUL bytes)"),
    ],
)
def test_unreadable_content_is_skipped_with_a_reason(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    path = tmp_path / "f"
    path.write_bytes(data)
    (problem,) = load_corpus([tmp_path]).problems
    assert (problem.path, problem.reason, problem.skipped) == (str(path), reason, True)


@pytest.mark.parametrize(
    "label", ["rot13", "base64", "zlib", "undefined", "idna", "unicode_escape", "utf-7", "palmos"]
)
def test_a_declared_encoding_browsers_do_not_know_is_none(tmp_path: Path, label: str) -> None:
    # Python's codecs know these names, but no browser reads a page in them: some are no text
    # encoding at all (bytes.decode raised LookupError, an internal error of every command),
    # some turn "\\x1b" or "+ADw-" into an escape or a tag.
    data = f'<meta charset="{label}"><p>caf\xe9 \\x1b[2J +ADw-b+AD4-</p>'.encode("cp1252")
    assert decode(data) == (data.decode("cp1252"), "not UTF-8: read as Windows-1252")
    (tmp_path / "page.html").write_bytes(data)
    result = CliRunner().invoke(app, ["--no-cache", "--corpus", str(tmp_path), "timeline"])
    assert result.exit_code == 1, result.output  # nothing found, not an internal error


def test_a_declaration_in_a_text_that_is_no_page_says_nothing_of_its_encoding() -> None:
    # A note in UTF-8 with one bad byte that quotes a page's <meta charset>: the note is
    # UTF-8, not KOI8-R (it was read whole as KOI8-R, "Tässä" as "Tц╓ssц╓", and no warning).
    note = '---\ntitle: Tässä — Mars\n---\n\nIts head said <meta charset="koi8-r">.\n'
    data = note.encode() + b"\xff\n"
    assert decode(data) == (note + "\ufffd\n", "invalid UTF-8 bytes replaced")
    # A page or an XML file opens with its markup, after white space: its own declaration.
    page = '\n <?xml version="1.0" encoding="KOI8-R"?><rss>Запуск</rss>'
    assert decode(page.encode("koi8-r")) == (page, "")


def test_a_page_saved_as_utf_16_is_read_not_taken_for_a_binary_file(tmp_path: Path) -> None:
    page = '<!DOCTYPE html><html><head><meta charset="utf-16"><title>PSLV flies</title>'
    for codec in ("utf-16-le", "utf-16-be"):
        (tmp_path / "page.html").write_bytes(("\ufeff" + page).encode(codec))
        corpus = load_corpus([tmp_path])
        assert (corpus.problems, [d.title for d in corpus.documents]) == ((), ["PSLV flies"])
    (tmp_path / "page.html").write_bytes(page.encode("utf-16-le"))  # no mark: binary
    assert load_corpus([tmp_path]).problems[0].reason == "binary file (it holds NUL bytes)"


def _fstat_says(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Make fstat give a size the file no longer has, as if it changed in between."""
    real = os.fstat

    def fstat(fd: int) -> os.stat_result:
        fields = list(real(fd))
        fields[6] = size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", fstat)


@pytest.mark.parametrize("told", [0, 10, 99, 101, 1000])
def test_a_file_that_changed_after_fstat_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, told: int
) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    _fstat_says(monkeypatch, told)
    assert read_bytes(str(path), 1000) == b"x" * 100


def test_a_file_that_grew_past_the_limit_after_fstat_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    _fstat_says(monkeypatch, 10)
    with pytest.raises(Unreadable, match="grew"):
        read_bytes(str(path), 50)


def test_dangling_link_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    corpus = load_corpus([tmp_path])
    (problem,) = corpus.problems
    assert (
        problem.path == str(tmp_path / "gone")
        and problem.skipped
        and "cannot read" in problem.reason
    )


def test_real_jekyll_post(tmp_path: Path) -> None:
    corpus = load_corpus([FIXTURES / "corpus"])
    (post,) = [e for e in corpus.events if "AMSAT" in e.entities]
    assert post.date == date(2023, 5, 7) and post.headline == "AMSAT at Hamvention 2023"
    assert post.sources[0].title == "AMSAT"


_ENGLISH = "The probe is in orbit around the planet."
_TURKISH = "Bu uzay aracı ve bu gezegen için çok önemli bir görevdir, bir de uydusu var."
_NAMES = st.sampled_from(["ESA", "esa", "E S A", "Mars", "MARS ", "Moon", "İzmir", "izmir"])
_RECORDS = st.lists(
    st.builds(
        EventRecord,
        st.sampled_from([date(2020, 1, 1), date(2020, 1, 2)]),
        st.sampled_from(["A", "B"]),
        st.sampled_from(["", "short", "longer", "equal!", _ENGLISH, _TURKISH]),
        st.lists(st.builds(Source, st.sampled_from(["t1", "t2"]), st.sampled_from(["u1", "u2"]))),
        st.lists(_NAMES, max_size=4),
        st.lists(
            st.builds(
                Related,
                st.sampled_from(["2020-01-03/x", "2020-01-04/y"]),
                st.just(date(2020, 1, 3)),
                st.sampled_from(["x", "y"]),
            ),
            max_size=2,
        ),
        st.sampled_from(["", "a.md", "b.md"]),
        st.sampled_from(["context", "tag"]),
        st.sampled_from(["heading", "link", "date"]),
        st.sampled_from(["", "Apollo", "Artemis"]),
    ),
    min_size=1,
    max_size=5,
)


@given(_RECORDS)
def test_merge_keeps_the_first_telling_record_and_everything_once(
    records: list[EventRecord],
) -> None:
    def unique(items: list[Any], key: Callable[[Any], object]) -> tuple[Any, ...]:
        seen: dict[object, Any] = {}
        for item in items:
            seen.setdefault(key(item), item)
        return tuple(seen.values())

    main = next((r for r in records if r.body or r.sources or r.related), records[0])
    # The longest body (the first of them), of the English ones when bodies differ: a site
    # may tell one event in English and in Turkish, the Turkish the longer.
    english = [r.body for r in records if r.body and language(r.body) == "en"]
    english = english if len({r.body for r in records if r.body}) > 1 else []
    expected = Event(
        "key",
        main.date,
        main.headline,
        max(english or [r.body for r in records], key=len),
        unique([s for r in records for s in r.sources], lambda s: s.url),
        unique([n for r in records for n in r.entities], fold),
        unique([link for r in records for link in r.related], lambda link: link.id),
        tuple(dict.fromkeys(r.document for r in records if r.document)),
        main.date_source,
        tuple(dict.fromkeys((fold(n), r.via) for r in records for n in r.entities)),
        next((r.story for r in records if r.story), ""),  # the first story given
    )
    event = merge("key", records)
    assert event == expected and event.ties == expected.ties


def test_the_index_finds_each_events_texts(corpus_dir: Path) -> None:
    corpus = load_corpus([corpus_dir])
    index = corpus.index
    for position, event in enumerate(corpus.events):
        start, texts = index.starts[position], index.texts(position)
        assert texts == "\0".join(event_parts(event))
        assert index.holder(start) == index.holder(start + len(texts)) == position  # its NUL


def _record(headline: str, **fields: Any) -> EventRecord:
    via = fields.pop("via", "context")
    record = EventRecord(date(2016, 3, 14), headline, **fields)
    record.via = via
    return record


def test_merge_takes_its_headline_from_the_first_record_that_tells_something() -> None:
    records = [
        _record("exomars lifts off"),  # a link's record: it tells nothing of its own
        _record("ExoMars lifts off (sources)", sources=[Source("ESA", "https://esa.int")]),
        _record("ExoMars lifts off (body)", body="The orbiter flew."),
    ]
    event = merge("2016-03-14/exomars-lifts-off", records)
    assert (event.headline, event.body) == ("ExoMars lifts off (sources)", "The orbiter flew.")
    related = Related("2016-03-15/x", date(2016, 3, 15), "X.")
    event = merge("k", [_record("a"), _record("b", related=[related]), _record("c", body="C.")])
    assert (event.headline, event.related) == ("b", (related,))
    assert merge("k", [_record("a"), _record("b")]).headline == "a"


def test_merge_ties_each_name_once_for_each_way_it_was_given() -> None:
    # Names and ways no other test uses, so that nothing remembered from before helps.
    name, first, second = (f"{kind} {uuid.uuid4().hex}" for kind in ("Name", "way", "way"))
    records = [
        _record("a", entities=[name], via=first),
        _record("a", entities=[name.upper()], via=second),
        _record("a", entities=[name], via=first),
    ]
    event = merge("k", records)
    assert event.entities == (name,)
    assert event.ties == ((fold(name), first), (fold(name), second))


def test_parse_results_are_merged_into_events_in_date_order_with_progress() -> None:
    told: list[tuple[str, int, int]] = []
    link = Related("2016-03-13/the-day-before", date(2016, 3, 13), "The day before.")
    parsed = [
        Parsed(records=[_record("Launch day.", body="It flew.", related=[link], document="a")]),
        Parsed(records=[_record("launch day", body="It flew well.", document="b")]),
    ]
    corpus = index_results(parsed, progress=lambda *args: told.append(args))
    assert [(e.id, e.headline, e.documents) for e in corpus.events] == [
        ("2016-03-13/the-day-before", "The day before.", ("a",)),
        ("2016-03-14/launch-day", "Launch day.", ("a", "b")),
    ]
    assert corpus.events[1].body == "It flew well."
    assert told == [("Merging events", 2, 2)]


def test_the_json_of_events_is_their_to_dict_cached_or_not(corpus_dir: Path) -> None:
    for cache in (False, True, True):  # parsed, then filling the cache, then from it
        corpus = load_corpus([corpus_dir], cache=cache)
        positions = list(range(len(corpus.events)))
        encoded = [json.loads(bytes(data)) for data in corpus.encode(positions)]
        assert encoded == [event.to_dict() for event in corpus.events]
        assert [e.date for e in corpus.event_texts()] == [e.date for e in corpus.events]


def test_a_mention_of_a_month_lies_within_a_period_only_whole(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("Notes\n\nThe rocket flew in March 2016 from the pad.\n")
    corpus = load_corpus([tmp_path])
    assert corpus.mentions_within(date(2016, 3, 1), date(2016, 3, 15)) == []
    [mention] = corpus.mentions_within(date(2016, 3, 1), date(2016, 3, 31))
    assert (mention.date, mention.precision) == (date(2016, 3, 1), "month")


def test_each_way_of_a_tie_is_its_own_when_no_name_was_tied_before() -> None:
    # In a process of its own, where no merge has tied a name yet.
    code = (
        "from datetime import date\n"
        "from spacenews.corpus import merge\n"
        "from spacenews.model import EventRecord\n"
        "records = [EventRecord(date(2016, 3, 14), 'a', entities=['ESA']) for _ in 'ab']\n"
        "records[0].via, records[1].via = 'context', 'tag'\n"
        "print(merge('k', records).ties)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ast.literal_eval(done.stdout) == (("esa", "context"), ("esa", "tag"))


@pytest.mark.parametrize(("long", "said"), [(1, "1 line longer than"), (2, "2 lines longer than")])
def test_lines_too_long_are_cut_and_counted(tmp_path: Path, long: int, said: str) -> None:
    line = "x" * (reading.MAX_LINE_CHARS + 1)
    (tmp_path / "page.txt").write_text("A title\n\n" + f"{line}\n" * long + "Short.\n")
    (problem,) = load_corpus([tmp_path]).problems
    verb = "was" if long == 1 else "were"
    assert problem.reason == f"{said} {reading.MAX_LINE_CHARS} characters {verb} cut"


def test_exclude_patterns_leave_out_names_folders_and_paths(tmp_path: Path) -> None:
    for relative in [
        "_posts/a.md", "_site/a.md", "x/_site/b.md", "assets/css/main.css", "assets/logo.txt",
        "Gemfile", "docs/Gemfile", "notes/_site", "drafts/old/c.md", "drafts/new/d.md",
        "logs/old", "logs/new/e.md",
    ]:  # fmt: skip
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("Notes\n\nText.\n")
    patterns = ["_site/", "*.css", "/Gemfile", "drafts/old", "/assets/*.txt", "logs/*/"]
    folders = walk.walk_folders(tmp_path, 0, [], walk.Exclude.of(patterns))
    walked = sorted(file.relative for folder in folders for file, _ in folder.files())
    # "_site/" is a folder's name: a file so named stays; "drafts/old" and "/Gemfile" are
    # paths from the root; "logs/*/" one of folders alone (the file logs/old stays).
    assert walked == ["_posts/a.md", "docs/Gemfile", "drafts/new/d.md", "logs/old", "notes/_site"]
    every = walk.walk_folders(tmp_path, 0, [])
    assert sum(len(folder.names) for folder in every) == 12


def test_exclude_in_the_corpus_file_follows_its_changes_with_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "CACHE_MIN_FILES", 1)
    (tmp_path / "_site").mkdir()
    post = "---\ntitle: Artemis II flies\ndate: 2026-04-01\n---\nThe crew flew.\n"
    (tmp_path / "post.md").write_text(post)
    (tmp_path / "_site" / "copy.md").write_text(post.replace("Artemis II", "Artemis III"))
    (tmp_path / "main.css").write_text("body { color: red; }\n")
    user_file = tmp_path / "spacenews.toml"
    runner = CliRunner()
    seen = []
    for exclude in ['["_site/", "*.css"]', '["*.css"]', "[]", '"_site"', '["_site/", "*.css"]']:
        user_file.write_text(f"exclude = {exclude}\n")
        base = ["--corpus", str(tmp_path)]
        cached = runner.invoke(app, [*base, "timeline", "--json"])
        plain = runner.invoke(app, [*base, "--no-cache", "timeline", "--json"])
        assert cached.stdout == plain.stdout
        checked = runner.invoke(app, [*base, "check"])
        seen.append((len(json.loads(cached.stdout)), "exclude must be" in checked.stdout))
        seen[-1] += (runner.invoke(app, [*base, "search", "color"]).exit_code,)
    # Both events, and the stylesheet a document, unless left out; a bad exclude is said.
    assert seen == [(1, False, 1), (2, False, 1), (2, False, 0), (2, True, 0), (1, False, 1)]
