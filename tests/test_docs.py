"""The README keeps up with the code: set-up commands first, every command and JSON field shown."""

from __future__ import annotations

import os
import re
import shlex
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from spacenews.cli import app
from spacenews.model import Event

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")


def _commands(typer_app: typer.Typer, prefix: str = "") -> dict[str, Any]:
    """Every command line the app has ("timeline", "cache info", ...) with its function."""
    found = {
        prefix + (info.name or info.callback.__name__): info.callback
        for info in typer_app.registered_commands
        if info.callback is not None
    }
    for group in typer_app.registered_groups:
        assert group.typer_instance is not None and group.name
        found.update(_commands(group.typer_instance, f"{prefix}{group.name} "))
    return found


COMMANDS = _commands(app)


def test_readme_opens_with_the_two_setup_commands() -> None:
    block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    assert block.splitlines() == [
        "pip install . && spacenews timeline",
        "pip install -e '.[test]' && pytest",
    ]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_and_has_help(command: str) -> None:
    assert f"spacenews {command}" in README
    assert COMMANDS[command].__doc__ and "Examples:" in COMMANDS[command].__doc__
    result = CliRunner().invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0 and "Examples:" in result.stdout


def _help_examples() -> list[str]:
    """Every example of the commands' help that runs on the built-in seeds as it is written:
    not those of a corpus of the user's (~/news), nor those that go online, open an editor,
    remove the cache or need a database (the seeds have none); shell pipes and redirections cut."""
    found = []
    for function in COMMANDS.values():
        for line in function.__doc__.split("Examples:", 1)[1].splitlines():
            line = line.strip().split(" |")[0].split(" >")[0]
            skipped = ("~", "fetch", "cache clear", "cache path", "open 2016-03-14", ".txt")
            if line.startswith("spacenews ") and not any(word in line for word in skipped):
                found.append(line)
    return found


@pytest.mark.parametrize("example", _help_examples())
def test_every_help_example_answers_on_the_seeds(
    example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by a newcomer's try-out: search's example (water --from 2010 --entity Mars) found
    # nothing on the seeds, the corpus a newcomer tries first.
    monkeypatch.chdir(tmp_path)  # export -o writes here
    runner = CliRunner(env={"SPACENEWS_CORPUS": None, "SPACENEWS_CACHE_DIR": str(tmp_path)})
    result = runner.invoke(app, shlex.split(example)[1:])
    assert result.exit_code == 0, result.output


def test_every_link_within_the_readme_leads_to_one_of_its_headings() -> None:
    # As GitHub makes a heading's anchor: lower case, spaces as -, punctuation dropped.
    outside = re.sub(r"```.*?```", "", README, flags=re.S)  # the examples' own headings
    headings = re.findall(r"^#{2,4} (.+)$", outside, re.M)
    anchors = {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}
    links = re.findall(r"\]\(#([^)]+)\)", README)
    assert len(links) > 15 and set(links) <= anchors
    assert {"a-short-tour", "the-index", "development"} <= set(links)  # the contents


def test_every_json_field_is_documented() -> None:
    fields = Event(id="x", date=date(2000, 1, 1), headline="h").to_dict()
    for name in [*fields, "via", "score", "snippet"]:
        assert f"| `{name}` |" in README


def test_there_are_commands() -> None:
    assert {"timeline", "show", "related", "check", "cache info", "cache clear"} <= set(COMMANDS)
    assert isinstance(app, typer.Typer)


def _console_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the body of every ```console block."""
    return [(m.start(1), m.end(1)) for m in re.finditer(r"```console\n(.*?)```", text, re.S)]


def _transcript(block: str) -> str:
    """The block as the commands it shows print them now, 90 columns wide."""
    runner = CliRunner(env={"COLUMNS": "90", "NO_COLOR": "1", "SPACENEWS_CORPUS": None})
    out = []
    for line in block.splitlines():
        if line.startswith("$ spacenews "):
            out.append(line)
            result = runner.invoke(app, shlex.split(line)[2:])
            out += [printed.rstrip() for printed in result.output.splitlines()]
    return "".join(f"{line}\n" for line in out)


def test_readme_shows_real_output() -> None:
    """Every console transcript in the README is what the command prints today.

    Set SPACENEWS_UPDATE_README=1 to rewrite them, then read the diff.
    """
    text = README
    for start, end in reversed(_console_blocks(text)):
        text = text[:start] + _transcript(text[start:end]) + text[end:]
    if os.environ.get("SPACENEWS_UPDATE_README"):
        (Path(__file__).parent.parent / "README.md").write_text(text, "utf-8")
    assert text == README


def test_the_library_examples_of_the_readme_run() -> None:
    from spacenews import parse_query

    section = README.split("## Using it as a library", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {})  # the README's own example
    calls = re.findall(r"`(parse_query\([^`]*\))`", section)
    assert calls
    for call in calls:
        assert eval(call, {"parse_query": parse_query}).entity == "Mars"


def test_related_help_and_the_readme_name_every_way_a_result_is_tied() -> None:
    # Found by a newcomer's try-out: related --help left out "source", which the README lists.
    row = next(line for line in README.splitlines() if line.startswith("| `via` |"))
    ways = re.findall(r"`(\w+)`", row.split("|")[3])
    assert {"context", "tag", "mention", "source", "alias", "part"} <= set(ways)
    told = " ".join(COMMANDS["related"].__doc__.split())
    assert all(re.search(rf"\b{way}\b", told) for way in ways)
