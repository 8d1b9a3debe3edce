"""Shared fixtures: paths to the test corpora and a CLI runner."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from spacenews.cli import app

# CI runs a modest number of examples; HYPOTHESIS_PROFILE=long runs a long fuzz session.
settings.register_profile("ci", max_examples=100, deadline=None)
settings.register_profile("long", max_examples=20_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test caches into a folder of its own, never the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("SPACENEWS_CACHE_DIR", str(folder))
    monkeypatch.delenv("SPACENEWS_NO_CACHE", raising=False)
    return folder


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
