"""The README keeps up with the code: set-up commands first, every command and JSON field shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import typer

from spacenews.cli import app
from spacenews.model import Event

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
COMMANDS = [
    info.name or (info.callback.__name__ if info.callback else "")
    for info in app.registered_commands
]


def test_readme_opens_with_the_two_setup_commands() -> None:
    block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    assert block.splitlines() == [
        "pip install . && spacenews timeline",
        "pip install -e '.[test]' && pytest",
    ]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_and_has_help(command: str) -> None:
    assert f"spacenews {command}" in README
    info = next(
        i for i in app.registered_commands if (i.callback and i.callback.__name__) == command
    )
    assert info.callback is not None and info.callback.__doc__
    assert "Examples:" in info.callback.__doc__


def test_every_json_field_is_documented() -> None:
    fields = Event(id="x", date=date(2000, 1, 1), headline="h").to_dict()
    for name in [*fields, "via", "score", "snippet"]:
        assert f"| `{name}` |" in README


def test_there_are_commands() -> None:
    assert {"timeline", "show", "related", "check"} <= set(COMMANDS)
    assert isinstance(app, typer.Typer)
