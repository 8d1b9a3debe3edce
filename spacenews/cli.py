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
        str | None,
        typer.Option("--entity", "-e", help="Only events tied to this entity or naming it."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=0, help="At most this many items.")
    ] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")] = False,
    with_mentions: Annotated[
        bool, typer.Option("--mentions", "-m", help="Also list dates that prose pages mention.")
    ] = False,
    json_: JsonFlag = False,
    jsonl: JsonlFlag = False,
) -> None:
    """List events in date order.

    Examples:

        spacenews timeline

        spacenews timeline --from 2004 --to 2014-04 --entity Mars

        spacenews timeline --mentions --entity ExoMars

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
    items = run(corpus, Query(first, last, entity, limit, reverse, with_mentions))
    empty = "no events match"
    if not items and entity is not None and not _known(corpus, entity):
        empty = _unknown(corpus, entity)
    caption = _caption(len(items), "item" if with_mentions else "event", first, last)

    def table() -> RenderableType:
        from spacenews.render.table import timeline_table

        return timeline_table(items, caption)

    _emit(items, fmt, table, empty)


@app.command()
def show(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD.")],
    json_: JsonFlag = False,
    jsonl: JsonlFlag = False,
) -> None:
    """Show every event of a day, month or year in full, and the prose that mentions it.

    Each event comes with its body, entities, sources and related events; then, under
    "Also mentioned", the sentences of prose pages that give a date in that period.

    Examples:

        spacenews show 2003-06-2

        spacenews show 2016-03

        spacenews show 2016-03-14 --json
    """
    from spacenews.query import Query, events, mentions

    fmt = _format(json_, jsonl)
    period = _period(day, "date")
    corpus = _load(ctx)
    found = events(corpus, Query(period.start, period.end))
    mentioned = mentions(corpus, period.start, period.end)

    def details() -> RenderableType:
        from spacenews.render.table import event_details

        return event_details(found, mentioned)

    _emit([*found, *mentioned], fmt, details, f"nothing happened or is mentioned in {period}")


@app.command()
def related(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="An entity name or alias, in any case.")],
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=0, help="At most this many results.")
    ] = None,
    json_: JsonFlag = False,
    jsonl: JsonlFlag = False,
) -> None:
    """List the events and documents tied to an entity or naming it, strongest first.

    VIA says how each is tied: context (a _Context:_ line), tag (front matter), mention (the
    text names it), and alias or part when it was through another name of the entity or
    through one of its parts.

    Examples:

        spacenews related "Mars Express"

        spacenews related roscosmos --limit 5

        spacenews related ExoMars --jsonl
    """
    from spacenews.query import related as run

    fmt = _format(json_, jsonl)
    corpus = _load(ctx)
    matches = run(corpus, entity)[:limit]
    caption = _caption(len(matches), "result", None, None)

    def table() -> RenderableType:
        from spacenews.render.table import related_table

        return related_table(matches, caption)

    _emit(matches, fmt, table, "" if matches else _unknown(corpus, entity))


@app.command()
def entities(
    ctx: typer.Context,
    json_: JsonFlag = False,
    jsonl: JsonlFlag = False,
) -> None:
    """List every entity with its aliases, how many events and documents name it, and when.

    Examples:

        spacenews entities

        spacenews entities --json | jq '.[] | select(.aliases | length > 0)'
    """
    from spacenews.query import entities as run

    fmt = _format(json_, jsonl)
    rows = run(_load(ctx))

    def table() -> RenderableType:
        from spacenews.render.table import entity_table

        return entity_table(rows, _plural(len(rows), "entity"))

    _emit(rows, fmt, table, "the corpus names no entity")


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help='Words, and "quoted phrases".')],
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=0, help="At most this many results.")
    ] = 10,
    json_: JsonFlag = False,
    jsonl: JsonlFlag = False,
) -> None:
    """Search the text of every event and document, best match first (BM25).

    Case and accents do not matter: "planete rouge" finds "planète rouge". A quoted phrase must
    appear as written.

    Examples:

        spacenews search Olympus Mons

        spacenews search planete rouge

        spacenews search '"red planet"' water --limit 3

        spacenews search Schiaparelli --json
    """
    from spacenews.search import SearchIndex

    fmt = _format(json_, jsonl)
    text = " ".join(query)
    results = SearchIndex.of(_load(ctx)).search(text, limit)

    def table() -> RenderableType:
        from spacenews.render.table import search_table

        return search_table(results, _plural(len(results), "result"))

    _emit(results, fmt, table, f"nothing matches {text!r}")


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
        skipped = {problem.path for problem in corpus.problems if problem.skipped}
        warned = {problem.path for problem in corpus.problems} - skipped
        counts = [_plural(len(skipped), "file") + " skipped"] if skipped else []
        counts += [_plural(len(warned), "file") + " with warnings"] if warned else []
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
        from rich.text import Text

        rendered = table()
        # Plain lines (check's path:line: reason) stay whole, for grep and editors.
        _stdout().print(rendered, soft_wrap=isinstance(rendered, Text))
    elif fmt != "table":
        from spacenews.render.data import to_json, to_jsonl

        dump = to_json if fmt == "json" else to_jsonl
        text = dump(item.to_dict() for item in items)
        if text:
            sys.stdout.write(text + "\n")
    if not items and empty is not None:
        _say(empty)
        raise typer.Exit(ExitCode.NO_RESULTS)


def _known(corpus: Corpus, entity: str) -> bool:
    return corpus.gazetteer.resolve(entity) is not None


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

    # Messages are one line each, however narrow the terminal: never wrapped.
    return Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)
