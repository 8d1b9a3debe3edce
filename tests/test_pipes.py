"""Output to a pipe carries no padding: no line of any command's results ends in white space.
(csv and ics exports are data, their text as written; help is Typer's.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES, SEEDS, run

COMMANDS = [
    ["timeline"],
    ["timeline", "--mentions"],
    ["timeline", "--by", "year"],
    ["show", "2023"],
    ["show", "2016-03-14"],
    ["related", "ESA"],
    ["related", "DLARC"],
    ["entities"],
    ["search", "space", "probes"],
    ["search", "savetz"],
    ["check"],
    ["schema", "timeline"],
    ["export", "--format", "markdown"],
    ["cache", "info"],
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The seeds and the real pages of the reading fixtures, in one folder, with a file that
    check tells of."""
    for file in [*SEEDS.iterdir(), *(FIXTURES / "reading").iterdir()]:
        (tmp_path / file.name).write_bytes(file.read_bytes())
    (tmp_path / "empty.txt").write_text("", "utf-8")
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_piped_lines_end_without_white_space(
    runner: CliRunner, corpus: Path, command: list[str]
) -> None:
    result = run(runner, "-c", str(corpus), *command)
    assert result.stdout.strip(), result.stderr
    padded = [line for line in result.stdout.split("\n") if line != line.rstrip()]
    assert padded == []
