"""A corpus with nothing readable says so, and check names files as they open from the
current folder, one name per file across several corpora."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spacenews.loader import load_corpus
from tests.conftest import SEEDS, run, run_json

BINARY = b"GIF89a\x00\x01"


def only_non_documents(folder: Path) -> Path:
    """A folder holding only files that are no documents."""
    folder.mkdir()
    (folder / "x.png").write_bytes(BINARY)
    (folder / "blank.txt").write_text("  \n")
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["timeline"],
        ["timeline", "--json"],
        ["search", "mars"],
        ["related", "Mars"],
        ["show", "2016"],
        ["entities"],
        ["export"],
    ],
)
@pytest.mark.parametrize("kind", ["empty", "non-documents"])
def test_a_corpus_with_nothing_readable_says_so(
    runner: CliRunner, tmp_path: Path, command: list[str], kind: str
) -> None:
    folder = tmp_path / "news"
    folder.mkdir() if kind == "empty" else only_non_documents(folder)
    result = run(runner, "--corpus", str(folder), *command)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1] == f"spacenews: no readable documents in {folder}"
    assert "match" not in result.stderr


def test_check_says_so_and_fails(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(runner, "--corpus", str(empty), "check")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"spacenews: no readable documents in {empty}\n"
    folder = only_non_documents(tmp_path / "news")
    result = run(runner, "--corpus", str(folder), "check")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2  # its problems are listed too
    assert result.stderr == f"spacenews: no readable documents in {folder}\n"
    result = run(runner, "--corpus", str(folder), "--corpus", str(empty), "check", "--json")
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == 2
    assert result.stderr == f"spacenews: no readable documents in {folder}, {empty}\n"


def test_one_readable_corpus_is_enough(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(runner, "--corpus", str(empty), "--corpus", str(SEEDS), "timeline")
    assert result.exit_code == 0
    assert "10 events" in result.stdout


@pytest.mark.parametrize("order", ["outer first", "inner first"])
def test_a_corpus_path_inside_another_is_read_once(
    runner: CliRunner, tmp_path: Path, order: str
) -> None:
    # Its files are the other's: read twice, each event and document would be told twice,
    # by two names. The same path given twice is read once too.
    (tmp_path / "news").mkdir()
    shutil.copytree(SEEDS, tmp_path / "news" / "seeds")
    (tmp_path / "link").symlink_to(tmp_path / "news")  # the paths are compared as they are
    outer, inner = tmp_path / "link", tmp_path / "news" / "seeds"
    alone = run(runner, "--corpus", str(outer), "timeline", "--json")
    paths = [outer, inner] if order == "outer first" else [inner, outer]
    both = run(runner, "--corpus", str(paths[0]), "--corpus", str(paths[1]), "timeline", "--json")
    assert (both.exit_code, both.stdout) == (0, alone.stdout)
    assert (
        both.stderr == f"spacenews: corpus path {inner} lies in {outer}: its files are read once\n"
    )
    twice = run(runner, "--corpus", str(inner), "--corpus", str(inner), "timeline", "--json")
    assert twice.stdout == run(runner, "--corpus", str(inner), "timeline", "--json").stdout
    assert twice.stderr == f"spacenews: corpus path {inner} given twice: read once\n"


@pytest.mark.parametrize("inner", [".drafts", "_site", "notes/_site", "notes/old"])
def test_a_corpus_path_inside_another_that_its_walk_leaves_out_is_read(
    runner: CliRunner, tmp_path: Path, inner: str
) -> None:
    # A hidden folder, or one the outer path's exclude leaves out, is not read by its walk:
    # named on its own, it is a corpus path of its own.
    outer = tmp_path / "news"
    (outer / inner).mkdir(parents=True)
    (outer / "spacenews.toml").write_text('exclude = ["_site/", "notes/old"]\n')
    (outer / "a.txt").write_text("Outer notes\n\nThe zebrafinch flew.\n")
    (outer / inner / "h.txt").write_text("Inner notes\n\nThe zebrafinch sang.\n")
    both = ["--corpus", str(outer), "--corpus", str(outer / inner)]
    found = run_json(runner, *both, "search", "zebrafinch")
    assert sorted(result["path"] for result in found) == ["a.txt", "h.txt"]
    assert "read once" not in run(runner, *both, "search", "zebrafinch").stderr


def test_a_missing_corpus_stays_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "--corpus", str(tmp_path / "nowhere"), "check")
    assert result.exit_code == 2
    assert result.stderr.startswith("spacenews: error: corpus path does not exist")
    assert "SPACENEWS_CORPUS" not in result.stderr
    # A path from the environment says so: the command line shows none.
    runner = CliRunner(env={"SPACENEWS_CORPUS": str(tmp_path / "nowhere")})
    result = run(runner, "check")
    assert result.exit_code == 2
    assert " (from $SPACENEWS_CORPUS)" in result.stderr
    result = run(runner, "--corpus", str(tmp_path / "elsewhere"), "check")  # it wins
    assert result.exit_code == 2 and "SPACENEWS_CORPUS" not in result.stderr


def test_check_names_what_a_spacenews_toml_holds_that_nothing_reads(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("Notes on Mars\n\nWe exclude nothing.\n")
    toml = tmp_path / "spacenews.toml"
    parts = '[parts]\n"Mars" = ["Phobos"]\n'
    # An exclude of any value there (a string, which no part holds) leaves [parts] read.
    toml.write_text(f'exlude = ["*.css"]\n[alias]\n"Mars" = ["Red Planet"]\n{parts}exclude = "x"\n')
    checked = run(runner, "--corpus", str(tmp_path), "check")
    known = "(known: exclude, [aliases], [parts], [frontmatter]): not read"
    assert (checked.exit_code, checked.stdout.splitlines()) == (
        1,
        [
            f"{toml}:0: unknown key 'exlude' {known}",
            f"{toml}:0: unknown table [alias] {known}",
            f"{toml}:0: [parts] has no key 'exclude': put exclude = [...] before the first [table]",
        ],
    )
    # What TOML read as a part named "exclude" names no entity; the rest of [parts] is read.
    entities = run_json(runner, "--corpus", str(tmp_path), "entities")
    assert [(entity["name"], entity["parts"]) for entity in entities] == [("Mars", ["Phobos"])]
    toml.write_text(f'exclude = ["*.css"]\n[aliases]\n"Mars" = ["Red Planet"]\n{parts}')
    assert run(runner, "--corpus", str(tmp_path), "check").exit_code == 0


def test_check_names_a_name_that_names_nothing_or_two_entities(
    runner: CliRunner, tmp_path: Path
) -> None:
    # Found by a newcomer's try-out: "Q" = ["Juice"] and "R" = ["Juice"] passed check, and
    # related R said that nothing names it; empty names passed too.
    (tmp_path / "a.txt").write_text("Notes on Juice\n\nThe JUICE probe flies.\n")
    toml = tmp_path / "spacenews.toml"
    toml.write_text(
        '[aliases]\n"Q" = ["Juice"]\n"R" = ["juice ", "Jupiter Icy Moons Explorer"]\n'
        '"" = ["y"]\n"Z" = [" "]\n[parts]\n"W" = [""]\n'
    )
    checked = run(runner, "--corpus", str(tmp_path), "check")
    assert (checked.exit_code, checked.stdout.splitlines()) == (
        1,
        [
            f"{toml}:0: [aliases] '': an empty name names nothing",
            f"{toml}:0: [aliases] 'Z': an empty name names nothing",
            f"{toml}:0: [parts] 'W': an empty name names nothing",
            f"{toml}:0: [aliases] 'juice ' is a name of 'Q' and of 'R': 'Q', written first,"
            " keeps it",
        ],
    )
    toml.write_text('[aliases]\n"Q" = ["Juice"]\n"R" = ["Jupiter Icy Moons Explorer"]\n')
    assert run(runner, "--corpus", str(tmp_path), "check").exit_code == 0


def test_an_unknown_table_of_spacenews_toml_is_named_without_its_controls(
    runner: CliRunner, tmp_path: Path
) -> None:
    # A table's name may hold any character, escaped in TOML: it reached the terminal raw.
    (tmp_path / "a.txt").write_text("Notes on Mars\n\nNothing more.\n")
    (tmp_path / "spacenews.toml").write_text('["\\u001b[31mred"]\nx = 1\n')
    checked = run(runner, "--corpus", str(tmp_path), "check")
    assert checked.exit_code == 1 and "\x1b" not in checked.stdout
    assert "unknown table [\\x1b[31mred] (known:" in checked.stdout


def two_corpora(top: Path) -> tuple[Path, Path]:
    """Two corpora, each with a bad file of the same name beside a good page."""
    folders = top / "a", top / "b" / "deep"
    for folder in folders:
        folder.mkdir(parents=True)
        (folder / "x.md").write_bytes(BINARY)
        (folder / "page.txt").write_bytes((SEEDS / "003_e1b96d0c7dd0baf8.txt").read_bytes())
    return folders


def test_check_paths_open_from_the_current_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = two_corpora(tmp_path / "work")
    monkeypatch.chdir(tmp_path / "work")
    reason = ":0: binary file (it holds NUL bytes) (skipped)"
    for given in ([str(a), str(b)], ["a", "b/deep"], ["./a", "b/../b/deep"]):
        args = [arg for path in given for arg in ("--corpus", path)]
        result = run(runner, *args, "check")
        assert result.stdout.splitlines() == ["a/x.md" + reason, "b/deep/x.md" + reason]
        problems = json.loads(run(runner, *args, "check", "--json").stdout)
        assert [problem["path"] for problem in problems] == ["a/x.md", "b/deep/x.md"]
    # From inside one corpus, the other one's file is outside: it gets an absolute path.
    monkeypatch.chdir(a)
    result = run(runner, "--corpus", ".", "--corpus", "../b/deep", "check")
    assert result.stdout.splitlines() == ["x.md" + reason, f"{b / 'x.md'}{reason}"]
    for line in result.stdout.splitlines():
        assert Path(line.split(":")[0]).read_bytes() == BINARY  # each opens from here


def test_check_path_of_a_corpus_file_given_alone(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "x.md").write_bytes(BINARY)
    monkeypatch.chdir(tmp_path)
    result = run(runner, "--corpus", "x.md", "--corpus", str(SEEDS), "check", "--json")
    assert [problem["path"] for problem in json.loads(result.stdout)] == ["x.md"]


def test_a_corpus_of_documents_alone_is_readable(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_bytes((SEEDS / "003_e1b96d0c7dd0baf8.txt").read_bytes())
    result = run(runner, "--corpus", str(tmp_path), "search", "rocket")
    assert result.exit_code == 0 and "Behind the scenes" in result.stdout
    assert run(runner, "--corpus", str(tmp_path), "check").exit_code == 0


def _shut(real: Any) -> Any:
    """os.open or os.scandir, refusing a folder named shut."""

    def shut(path: Any, *rest: Any) -> Any:
        if isinstance(path, str) and path.endswith("shut"):
            raise PermissionError(13, "Permission denied")
        return real(path, *rest)

    return shut


def test_a_folder_that_cannot_be_listed_is_named_as_it_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "shut").mkdir()
    (tmp_path / "page.txt").write_bytes((SEEDS / "003_e1b96d0c7dd0baf8.txt").read_bytes())
    for name in ["open", "scandir"]:  # the walk opens each folder, or lists it by its path
        monkeypatch.setattr(os, name, _shut(getattr(os, name)))
    (problem,) = load_corpus([tmp_path]).problems
    assert (problem.path, problem.reason) == (
        str(tmp_path / "shut"),
        "cannot list folder: Permission denied",
    )


def test_the_summary_counts_a_folder_skipped_as_a_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by a newcomer's try-out: a locked folder and a locked file were "2 files skipped".
    (tmp_path / "shut").mkdir()
    (tmp_path / "page.txt").write_bytes((SEEDS / "003_e1b96d0c7dd0baf8.txt").read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01" * 40)
    for name in ["open", "scandir"]:
        monkeypatch.setattr(os, name, _shut(getattr(os, name)))
    result = run(runner, "--corpus", str(tmp_path), "--no-cache", "timeline")
    assert "spacenews: 1 folder and 2 files skipped: run `spacenews check`" in result.stderr
    (tmp_path / "empty.txt").unlink()
    result = run(runner, "--corpus", str(tmp_path), "--no-cache", "timeline")
    assert "spacenews: 1 folder and 1 file skipped: run" in result.stderr
