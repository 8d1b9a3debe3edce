"""Typer commands: options become a query, the library answers it, a renderer shows the answer.

This is the one module that writes to the streams: results to stdout, everything else to stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Protocol

import typer

from spacenews import __version__
from spacenews.dates import DateError, Period, parse_period

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from spacenews.corpus import Corpus

ENV_CORPUS = "SPACENEWS_CORPUS"


class ExitCode(IntEnum):
    """What the exit status says, as grep says it."""

    OK = 0  # results were found
    NO_RESULTS = 1  # the command ran but found nothing (or `check` found problems)
    USAGE = 2  # the command line or a corpus path is wrong
    INTERNAL = 3  # a bug in spacenews: please report it


class _Dict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Settings:
    """The global options, shared by every command."""

    corpus: tuple[Path, ...]  # empty: the built-in seeds


app = typer.Typer(
    name="spacenews",
    help="Explore space news: a timeline of events, a day in detail, everything about an entity.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print results as a JSON array.")]
JsonlFlag = Annotated[bool, typer.Option("--jsonl", help="Print one JSON object per line.")]


def _version(value: bool) -> None:
    if value:
        print(f"spacenews {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    corpus: Annotated[
        list[Path] | None,
        typer.Option(
            "--corpus",
            "-c",
            metavar="PATH",
            help=f"A file or folder to read (repeatable). Default: ${ENV_CORPUS} "
            "(paths separated by the OS path separator), else the built-in seeds.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Explore space news: a timeline of events, a day in detail, everything about an entity."""
    paths = corpus or [Path(p) for p in os.environ.get(ENV_CORPUS, "").split(os.pathsep) if p]
    ctx.obj = Settings(tuple(paths))


@app.command()
def timeline(
    ctx: typer.Context,
    start: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="Earliest period (YYYY[-MM[-DD]]).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="Latest period, included whole.")
    ] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", "-e", help="Only events tied to this entity.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=0, help="At most this many events.")
    ] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")] = False,
    json_: JsonFlag = False,
    jsonl: JsonlFlag = False,
) -> None:
    """List events in date order.

    Examples:

        spacenews timeline

        spacenews timeline --from 2004 --to 2014-04 --entity Mars

        spacenews timeline --reverse --limit 5 --json
    """
    from spacenews.query import Query
    from spacenews.query import timeline as run

    fmt = _format(json_, jsonl)
    first = _period(start, "--from date").start if start else None
    last = _period(end, "--to date").end if end else None
    if first and last and first > last:
        _fail(f"--from {start} is after --to {end}")
    corpus = _load(ctx)
    events = run(corpus, Query(first, last, entity, limit, reverse))
    empty = "no events match"
    if not events and entity is not None and not corpus.with_entity(entity):
        empty = _unknown(corpus, entity)
    caption = _caption(len(events), "event", first, last)

    def table() -> RenderableType:
        from spacenews.render.table import timeline_table

        return timeline_table(events, caption)

    _emit(events, fmt, table, empty)


@app.command()
def show(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD.")],
    json_: JsonFlag = False,
    jsonl: JsonlFlag = False,
) -> None:
    """Show every event of a day, month or year in full: body, sources and related events.

    Examples:

        spacenews show 2003-06-2

        spacenews show 2016-03

        spacenews show 2016-03-14 --json
    """
    from spacenews.query import Query, timeline

    fmt = _format(json_, jsonl)
    period = _period(day, "date")
    events = timeline(_load(ctx), Query(period.start, period.end))

    def details() -> RenderableType:
        from spacenews.render.table import event_details

        return event_details(events)

    _emit(events, fmt, details, f"no events in {period}")


@app.command()
def related(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="An entity name, in any case.")],
    json_: JsonFlag = False,
    jsonl: JsonlFlag = False,
) -> None:
    """List the events tied to an entity, and how each is tied.

    Examples:

        spacenews related "Mars Express"

        spacenews related kazakhstan --jsonl
    """
    from spacenews.query import related as run

    fmt = _format(json_, jsonl)
    corpus = _load(ctx)
    matches = run(corpus, entity)
    caption = _caption(len(matches), "event", None, None)

    def table() -> RenderableType:
        from spacenews.render.table import related_table

        return related_table(matches, caption)

    _emit(matches, fmt, table, "" if matches else _unknown(corpus, entity))


@app.command()
def check(
    ctx: typer.Context,
    json_: JsonFlag = False,
    jsonl: JsonlFlag = False,
) -> None:
    """List every problem met while reading the corpus, as path:line: reason.

    Exits 0 when the corpus is clean, 1 when there is any problem.

    Examples:

        spacenews check

        spacenews --corpus ~/news check --json
    """
    fmt = _format(json_, jsonl)
    corpus = _load(ctx, summary=False)

    def lines() -> RenderableType:
        from spacenews.render.table import problem_lines

        return problem_lines(corpus.problems)

    _emit(corpus.problems, fmt, lines, None)
    if corpus.problems:
        raise typer.Exit(ExitCode.NO_RESULTS)
    _say(f"no problems in {len(corpus.events)} events and {len(corpus.documents)} documents")


def main() -> None:
    """The console script: run the app, turning a crash into one line and exit code 3."""
    try:
        app()
    except Exception as error:
        if os.environ.get("SPACENEWS_DEBUG"):
            raise
        name = type(error).__name__
        _stderr().print(f"spacenews: internal error ({name}): {error}", markup=False)
        sys.exit(ExitCode.INTERNAL)


def _load(ctx: typer.Context, *, summary: bool = True) -> Corpus:
    from spacenews.corpus import CorpusError, load_corpus

    settings: Settings = ctx.ensure_object(Settings) if ctx.obj is None else ctx.obj
    try:
        corpus = load_corpus(settings.corpus)
    except CorpusError as error:
        _fail(str(error))
    if summary and corpus.problems:
        skipped = sum(problem.skipped for problem in corpus.problems)
        warned = len(corpus.problems) - skipped
        counts = [_plural(skipped, "file") + " skipped"] if skipped else []
        counts += [_plural(warned, "warning")] if warned else []
        _say(f"{', '.join(counts)}: run `spacenews check` for details")
    return corpus


def _emit(
    items: Sequence[_Dict],
    fmt: str,
    table: Callable[[], RenderableType],
    empty: str | None,
) -> None:
    """The one output switch: a table for people, JSON or JSON Lines for programs.

    No items means exit 1 with the ``empty`` message on stderr, unless ``empty`` is None.
    """
    if fmt == "table" and items:
        _stdout().print(table())
    elif fmt != "table":
        from spacenews.render.data import to_json, to_jsonl

        dump = to_json if fmt == "json" else to_jsonl
        text = dump(item.to_dict() for item in items)
        if text:
            sys.stdout.write(text + "\n")
    if not items and empty is not None:
        _say(empty)
        raise typer.Exit(ExitCode.NO_RESULTS)


def _unknown(corpus: Corpus, entity: str) -> str:
    """The message for an entity the corpus does not know, with the names closest to it."""
    from spacenews.query import suggest
    from spacenews.text import printable

    hints = suggest(corpus, entity)
    message = f"no entity named {printable(entity)!r}"
    if hints:
        message += "; did you mean " + ", ".join(repr(hint) for hint in hints) + "?"
    return message


def _format(json_: bool, jsonl: bool) -> str:
    if json_ and jsonl:
        _fail("--json and --jsonl cannot be used together")
    return "json" if json_ else "jsonl" if jsonl else "table"


def _period(text: str, name: str) -> Period:
    try:
        return parse_period(text)
    except DateError as error:
        _fail(f"invalid {name}: {error}")


def _caption(count: int, noun: str, first: object, last: object) -> str:
    caption = _plural(count, noun)
    if first or last:
        caption += f", {first or '…'} to {last or '…'}"
    return caption


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _say(message: str) -> None:
    from rich.text import Text

    _stderr().print(Text(f"spacenews: {message}"))


def _fail(message: str) -> NoReturn:
    _say(f"error: {message}")
    raise typer.Exit(ExitCode.USAGE)


def _stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, markup=False, emoji=False)


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, markup=False, emoji=False)
