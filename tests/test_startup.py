"""The start-up on the built-in seeds: what ``spacenews timeline --json`` imports.

Its time is measured by benchmarks/run.py (against ``python -c "import typer"``), never here;
these tests keep the modules it was freed of from coming back, each of them milliseconds of
every start: a module imported at the top of a file again fails them.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import CONSOLE_SCRIPT, shell_env

# Imported only by what needs them, which the seeds' timeline does not.
NOT_AT_START = [
    "html.parser",  # HTML in a feed or a front-matter post (parse.htmltext)
    # The parsers of formats the seeds do not hold (see parse.handler_for).
    "spacenews.parse.frontmatter",
    "spacenews.parse.feed",
    "spacenews.parse.htmlpage",
    "spacenews.parse.jsonfeed",
    "spacenews.parse.snapi",
    "spacenews.parse.launchlog",
    "hashlib",  # digests of a kept index, and of a corpus's own alias tables (index.mains)
    "tomllib",  # a corpus's spacenews.toml (the shipped table is read from its JSON copy)
    "dataclasses",  # search's units (entities.AliasTable is a named tuple)
    # The cache folder; the data folder's is fetch.user_data_dir's rule, on Linux.
    *(["platformdirs"] if sys.platform == "linux" else []),
    "encodings.utf_8_sig",  # files are decoded as UTF-8, a byte-order mark dropped by hand
    "spacenews.known",  # what a corpus knows of an entity: timeline --entity
    "spacenews.completion",  # when a shell asks for completions
    # What indexing the seeds needs: a run starts from a copy of their index (loader._adopt).
    "spacenews.parse.markup",
    "spacenews.prose",
    "spacenews.entities",
    "spacenews.index.terms",
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every module the seeds' timeline imports, as ``python -X importtime`` lists them, but
    those Python's own start imports (from 3.13, its site reads .pth files as utf_8_sig)."""
    unset = ("SPACENEWS_CORPUS", "SPACENEWS_DATA_DIR")  # the user data folder is looked for
    env = {k: v for k, v in shell_env().items() if k not in unset}
    # Set here: the autouse fixtures that set them come after a fixture of the module.
    env["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("data"))
    env["SPACENEWS_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    command = [*CONSOLE_SCRIPT[1:], "timeline", "--json"]
    stdout, modules = _imports(command, env)
    assert stdout.startswith("[\n{") and len(modules) > 100
    return modules - _imports(["-c", "pass"], env)[1]


def _imports(arguments: list[str], env: dict[str, str]) -> tuple[str, set[str]]:
    command = [sys.executable, "-X", "importtime", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    return done.stdout, {line.rpartition("|")[2].strip() for line in lines}


@pytest.mark.parametrize("module", NOT_AT_START)
def test_the_seeds_timeline_does_without(imported: set[str], module: str) -> None:
    assert module not in imported


def test_what_it_imports_is_seen(imported: set[str]) -> None:
    assert {"typer", "sqlite3", "spacenews.loader", "spacenews.index.view"} <= imported


COLLECTIONS = """
import gc, sys
during = []  # the generation of each collection started while spacenews.cli was imported

def seen(phase, info):
    cli = sys.modules.get("spacenews.cli")
    if phase == "start" and cli is not None and not hasattr(cli, "main"):
        during.append(info["generation"])

gc.callbacks.append(seen)
sys.argv = ["spacenews", "--version"]
from spacenews.__main__ import main
try:
    main()
except SystemExit:
    print(during, gc.isenabled(), gc.get_freeze_count() > 0)
"""


def test_the_console_script_imports_the_command_line_without_collecting() -> None:
    done = subprocess.run(
        [sys.executable, "-c", COLLECTIONS], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[] True True"
