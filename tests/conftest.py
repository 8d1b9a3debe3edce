"""Shared fixtures: paths to the test corpora and a CLI runner."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from spacenews.cli import app
from spacenews.corpus import Corpus
from spacenews.loader import CACHE_MIN_FILES

# CI runs a modest number of examples, the same ones every run (derandomize), so that a test
# fails or passes for the code, not for the draw; HYPOTHESIS_PROFILE=long runs a long fuzz
# session with fresh random examples.
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True)
settings.register_profile("long", max_examples=20_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).parent.parent / "seeds"
# The installed console script's code, for a test to run in a process of its own.
CONSOLE_SCRIPT = [sys.executable, "-c", "from spacenews.__main__ import main; main()"]


def shell_env() -> dict[str, str]:
    """The environment as a user's shell gives it: without the test runner's unbuffering."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test caches into a folder of its own, never the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("SPACENEWS_CACHE_DIR", str(folder))
    monkeypatch.delenv("SPACENEWS_NO_CACHE", raising=False)
    return folder


@pytest.fixture(autouse=True)
def private_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test has a data folder of its own: what fetch saved by default is never read."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("SPACENEWS_DATA_DIR", str(folder))
    return folder


def fold_only_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make text.fold_case give None for any text that does not fold to ASCII, wherever it was
    imported: as it would on a Python whose lower case of some letter is longer than the letter
    (fold_case then cannot keep places), so that its users' way without it is tested."""
    from spacenews import text

    real = text.fold_case

    def ascii_only(value: str) -> str | None:
        folded = real(value)
        return folded if folded is not None and folded.isascii() else None

    for module in [m for name, m in sys.modules.items() if name.startswith("spacenews")]:
        if getattr(module, "fold_case", None) is real:
            monkeypatch.setattr(module, "fold_case", ascii_only)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"SPACENEWS_CORPUS": None, "NO_COLOR": "1", "COLUMNS": "100"})


def run(runner: CliRunner, *args: str) -> Result:
    """Invoke the app; the test fails on any crash, whatever the exit code."""
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def run_json(runner: CliRunner, *args: str) -> Any:
    """Invoke the app with --json and parse what it printed."""
    result = run(runner, *args, "--json")
    return json.loads(result.stdout)


_spec = importlib.util.spec_from_file_location(
    "generate", Path(__file__).parent.parent / "benchmarks" / "generate.py"
)
assert _spec and _spec.loader
generate_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate_module)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A generated corpus large enough to be cached, with the seeds in it."""
    folder = tmp_path / "corpus"
    generate_module.generate(CACHE_MIN_FILES + 30, folder)  # cached: 50 files or more
    for seed in SEEDS.iterdir():
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def state(corpus: Corpus) -> dict[str, Any]:
    """Everything a corpus holds, as plain data: two equal states are the same corpus."""
    return {
        "events": [event.to_dict() for event in corpus.events],
        "ties": [event.ties for event in corpus.events],
        "documents": [(d.to_dict(), d.text, d.paragraphs, d.mentions) for d in corpus.documents],
        "problems": [problem.to_dict() for problem in corpus.problems],
        "index": corpus.index,
        "names": corpus.names,
        "json": [bytes(data) for data in corpus.encode(range(len(corpus.events)))],
        "texts": list(corpus.event_texts()),
        "words": _words_held(corpus),
    }


def _words_held(corpus: Corpus) -> list[tuple[Any, ...]]:
    """What text_words holds (see index.store), each text by its event or document rather
    than by its unit's id (which the history of an index decides)."""
    if corpus.view is None:
        return []
    db = corpus.view.db
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.held USING fts5vocab(main, text_words, instance)"
    )
    query = (
        "SELECT h.term, u.event, f.root, f.path, u.seq FROM temp.held h"
        " LEFT JOIN units u ON u.id = h.doc LEFT JOIN files f ON f.id = u.file"
    )
    return sorted(db.execute(query), key=repr)
