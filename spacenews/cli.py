"""Typer commands: options become a query, the library answers it, a renderer shows the answer.

This is the one module that writes to the streams: results to stdout, everything else to stderr.

It has no ``from __future__ import annotations``: Typer reads the annotations of every command
on each start, and evaluating hundreds of them from strings costs milliseconds that start-up
cannot spare. The names imported only for type checking are quoted instead.
"""

import gc
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import (
    IO,
    TYPE_CHECKING,
    Annotated,
    Any,
    NamedTuple,
    NoReturn,
    Protocol,
    TypeVar,
)

import typer
from typer.core import TyperGroup

from spacenews import __version__
from spacenews.dates import DateError, Range, parse_month_day, parse_period, parse_range

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from spacenews import fetch as fetch_module
    from spacenews.corpus import Corpus, Progress
    from spacenews.query import Query

ENV_CORPUS = "SPACENEWS_CORPUS"
T = TypeVar("T")


class ExitCode(IntEnum):
    """What the exit status says, as grep says it."""

    OK = 0  # results were found
    NO_RESULTS = 1  # the command ran but found nothing (or `check` found problems)
    USAGE = 2  # the command line or a corpus path is wrong
    INTERNAL = 3  # a bug in spacenews (please report it), or a damaged index
    FETCH_FAILED = 4  # fetch: a URL gave no news (an error status, no answer, no feed)


class _Dict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


class Settings(NamedTuple):
    """The global options, shared by every command."""

    corpus: tuple[Path, ...]  # empty: the built-in seeds
    pager: bool = False  # page long tables on a terminal
    cache: bool = True  # keep the index in the cache folder from run to run
    db: Path | None = None  # keep it in this database file instead


class Chart(StrEnum):
    """The periods of a timeline chart."""

    year = "year"
    month = "month"
    decade = "decade"


class ExportFormat(StrEnum):
    """What export writes."""

    ics = "ics"
    csv = "csv"
    markdown = "markdown"


_GLOBAL_FLAGS = ("--no-cache", "--pager")
_GLOBAL_VALUES = ("--corpus", "-c", "--db")  # the global options followed by a value


def globals_first(args: list[str]) -> list[str]:
    """The arguments with the global options moved in front, in their order, so that they may
    also come after the command (``spacenews timeline --json --no-cache``). What follows
    ``--`` is left alone: it is never an option."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg in _GLOBAL_FLAGS or arg.startswith(("--corpus=", "--db=")):
            front.append(arg)
        elif arg in _GLOBAL_VALUES and index + 1 < len(args):
            front += args[index : index + 2]
            index += 1
        else:
            rest.append(arg)
        index += 1
    return front + rest


class _Group(TyperGroup):
    """The app's command group: it reads the global options wherever they are."""

    # Any: the Context class is click's, vendored or not depending on the version of Typer.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, globals_first(args))


app = typer.Typer(
    name="spacenews",
    cls=_Group,
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
    pager: Annotated[
        bool, typer.Option("--pager", help="Show tables through a pager, on a terminal.")
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Index every file in memory, without the cache (also $SPACENEWS_NO_CACHE=1).",
        ),
    ] = False,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            metavar="FILE",
            help="Keep the index in this SQLite file rather than in the cache folder.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Explore space news: a timeline of events, a day in detail, everything about an entity.

    Examples:

        spacenews timeline --from 2010 --entity Mars

        spacenews show 2016-03-14

        spacenews related "Mars Express"

        spacenews --corpus ~/news search "red planet"
    """
    ctx.obj = Settings(_corpus_paths(corpus), pager, _cache_on(no_cache), db)


def _cache_on(no_cache: bool) -> bool:
    off = os.environ.get("SPACENEWS_NO_CACHE", "").strip().lower() not in ("", "0", "false", "no")
    return not no_cache and not off


def _corpus_paths(given: list[Path] | None) -> tuple[Path, ...]:
    """--corpus, else $SPACENEWS_CORPUS, else nothing (the seeds)."""
    if given:
        return tuple(given)
    return tuple(Path(p) for p in os.environ.get(ENV_CORPUS, "").split(os.pathsep) if p)


def _complete_entity(ctx: typer.Context, incomplete: str) -> list[str]:
    """Entity names of the corpus that start with what was typed, for shell completion."""
    from spacenews.query import entities

    corpus = _completion_corpus(ctx)
    wanted = incomplete.casefold()
    names = [row.name for row in entities(corpus)] if corpus else []
    return [name for name in names if name.casefold().startswith(wanted)]


def _complete_date(ctx: typer.Context, incomplete: str) -> list[str]:
    """Years, months and days that have events, for shell completion."""
    from datetime import date

    corpus = _completion_corpus(ctx)
    days = [date.fromordinal(day) for day in corpus.days] if corpus else []
    periods = {f"{day:%Y}" for day in days} | {f"{day:%Y-%m}" for day in days}
    periods |= {day.isoformat() for day in days}
    return sorted(period for period in periods if period.startswith(incomplete))


def _completion_corpus(ctx: typer.Context) -> "Corpus | None":
    from spacenews.corpus import CorpusError
    from spacenews.loader import load_corpus

    root = ctx.find_root()
    try:
        paths = _corpus_paths(root.params.get("corpus"))
        return load_corpus(paths, cache=bool(paths) and not root.params.get("no_cache"))
    except CorpusError:
        return None


PeriodArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="[PERIOD]",
        help="A period or a range: 2016, 2016-03, 2016-03..2016-06, ..2014, 2010..",
        show_default=False,
        autocompletion=_complete_date,
    ),
]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from", metavar="DATE", help="Earliest period (YYYY[-MM[-DD]]), included whole."
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option(
        "--to", metavar="DATE", help="Latest period, included whole: --to 2014-04 reaches April 30."
    ),
]
EntityOption = Annotated[
    str | None,
    typer.Option(
        "--entity",
        "-e",
        help="Only events tied to this entity or naming it.",
        autocompletion=_complete_entity,
    ),
]
OnOption = Annotated[
    str | None, typer.Option("--on", metavar="MM-DD", help="Only this day of the year, any year.")
]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=0, help="At most this many items.")
]
ResultLimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=0, help="At most this many results.")
]
ReverseOption = Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")]


def _query(
    period: str | None,
    start: str | None,
    end: str | None,
    **filters: Any,
) -> "tuple[Query, Range]":
    """The query and the date range that the shared timeline options describe."""
    from spacenews.dates import Range
    from spacenews.query import Query

    wanted = _parsed(parse_range, period, "period") if period else Range(None, None)
    bounds = Range(
        _parsed(parse_period, start, "--from date").start if start else None,
        _parsed(parse_period, end, "--to date").end if end else None,
    )
    if bounds.start and bounds.end and bounds.start > bounds.end:
        _fail(f"--from {start} is after --to {end}")
    wanted = wanted.intersect(bounds)
    if filters.get("on") is not None:
        filters["on"] = _parsed(parse_month_day, filters["on"], "--on day")
    return Query(wanted.start, wanted.end, **filters), wanted


@app.command()
def timeline(
    ctx: typer.Context,
    period: PeriodArgument = None,
    start: FromOption = None,
    end: ToOption = None,
    entity: EntityOption = None,
    on: OnOption = None,
    limit: LimitOption = None,
    reverse: ReverseOption = False,
    with_mentions: Annotated[
        bool, typer.Option("--mentions", "-m", help="Also list dates that prose pages mention.")
    ] = False,
    by: Annotated[
        Chart | None,
        typer.Option("--by", help="Count events per year, month or decade, as a chart."),
    ] = None,
    json_: JsonFlag = False,
    jsonl: JsonlFlag = False,
) -> None:
    """List events in date order, or chart how many there are per period.

    Examples:

        spacenews timeline

        spacenews timeline --from 2010 --entity Mars

        spacenews timeline 2016-03..2016-06 --mentions

        spacenews timeline --on 03-14

        spacenews timeline --by year

        spacenews timeline --reverse --limit 5 --json
    """
    from spacenews.query import counts, select

    fmt = _format(json_, jsonl)
    query, wanted = _query(
        period,
        start,
        end,
        entity=entity,
        on=on,
        limit=limit,
        reverse=reverse,
        mentions=with_mentions,
    )
    corpus = _load(ctx, detail=with_mentions)  # only mentions need the prose's dates
    items = select(corpus, query)
    empty = "no events match"
    if not items and entity is not None and not _known(corpus, entity):
        empty = _unknown(corpus, entity)
    noun = "item" if with_mentions else "event"
    caption = _caption(len(items), noun, wanted)
    if by is not None:
        chart = counts(items.dates(), by.value)

        def bars() -> "RenderableType":
            from spacenews.render.table import bar_chart

            return bar_chart(chart, caption)

        _emit(ctx, chart, fmt, bars, empty)
        return

    def table() -> "RenderableType":
        from spacenews.render.table import timeline_table

        return timeline_table(items, caption)

    _emit(ctx, items, fmt, table, empty)


@app.command()
def export(
    ctx: typer.Context,
    period: PeriodArgument = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="ics (a calendar), csv or markdown.")
    ] = ExportFormat.ics,
    start: FromOption = None,
    end: ToOption = None,
    entity: EntityOption = None,
    on: OnOption = None,
    limit: LimitOption = None,
    reverse: ReverseOption = False,
) -> None:
    """Export the events of a timeline as a calendar (ics), a spreadsheet (csv) or a report.

    Takes the same filters as timeline.

    Examples:

        spacenews export --format ics > space.ics

        spacenews export 2016 --format csv --entity ExoMars > exomars.csv

        spacenews export --format markdown --from 2003 --to 2004 > report.md
    """
    from spacenews.query import events
    from spacenews.render import export as exporters

    query, wanted = _query(period, start, end, entity=entity, on=on, limit=limit, reverse=reverse)
    found = events(_load(ctx, detail=False), query)
    if fmt is ExportFormat.ics:
        text = exporters.to_ics(found)
    elif fmt is ExportFormat.csv:
        text = exporters.to_csv(found)
    else:
        text = exporters.to_markdown(found, _caption(len(found), "event", wanted))
    sys.stdout.write(text)
    if not found:
        _say("no events match")
        raise typer.Exit(ExitCode.NO_RESULTS)


@app.command()
def show(
    ctx: typer.Context,
    day: Annotated[
        str,
        typer.Argument(
            metavar="DATE",
            help="YYYY, YYYY-MM or YYYY-MM-DD, or a range: 2016-03..2016-06, ..2014, 2010..",
            autocompletion=_complete_date,
        ),
    ],
    json_: JsonFlag = False,
    jsonl: JsonlFlag = False,
) -> None:
    """Show every event of a day, month or year in full, and the prose that mentions it.

    Each event comes with its body, entities, sources and related events; then, under
    "Also mentioned", the sentences of prose pages that give a date in that period.

    Examples:

        spacenews show 2003-06-2

        spacenews show 2016-03

        spacenews show 2016-03..2016-06

        spacenews show 2016-03-14 --json
    """
    from spacenews.query import Query, events, mentions

    fmt = _format(json_, jsonl)
    period = _parsed(parse_range, day, "date")
    corpus = _load(ctx)
    found = events(corpus, Query(period.start, period.end))
    mentioned = mentions(corpus, period.start, period.end)

    def details() -> "RenderableType":
        from spacenews.render.table import event_details

        return event_details(found, mentioned)

    _emit(ctx, [*found, *mentioned], fmt, details, f"nothing happened or is mentioned in {period}")


@app.command()
def related(
    ctx: typer.Context,
    entity: Annotated[
        str,
        typer.Argument(
            help="An entity name or alias, in any case.", autocompletion=_complete_entity
        ),
    ],
    limit: ResultLimitOption = None,
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
    caption = _caption(len(matches), "result")

    def table() -> "RenderableType":
        from spacenews.render.table import related_table

        return related_table(matches, caption)

    _emit(ctx, matches, fmt, table, "" if matches else _unknown(corpus, entity))


@app.command()
def entities(
    ctx: typer.Context,
    limit: ResultLimitOption = None,
    json_: JsonFlag = False,
    jsonl: JsonlFlag = False,
) -> None:
    """List every entity with its aliases, how many events and documents name it, and when,
    most events first.

    Examples:

        spacenews entities --limit 10

        spacenews entities --json | jq '.[] | select(.aliases | length > 0)'
    """
    from spacenews.query import entities as run

    fmt = _format(json_, jsonl)
    rows = run(_load(ctx))[:limit]

    def table() -> "RenderableType":
        from spacenews.render.table import entity_table

        return entity_table(rows, _plural(len(rows), "entity", "entities"))

    _emit(ctx, rows, fmt, table, "the corpus names no entity")


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help='Words, and "quoted phrases".')],
    limit: ResultLimitOption = 10,
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

    def table() -> "RenderableType":
        from spacenews.render.table import search_table

        return search_table(results, _plural(len(results), "result"))

    _emit(ctx, results, fmt, table, f"nothing matches {text!r}")


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

    def lines() -> "RenderableType":
        from spacenews.render.table import problem_lines

        return problem_lines(corpus.problems)

    _emit(ctx, corpus.problems, fmt, lines, None)
    if corpus.problems:
        raise typer.Exit(ExitCode.NO_RESULTS)
    events = _plural(len(corpus.events), "event")
    _say(f"no problems in {events} and {_plural(len(corpus.documents), 'document')}")


cache_app = typer.Typer(help="Look at or clear the parse cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info(json_: JsonFlag = False) -> None:
    """Show where the cache lives and what it holds: an index database per set of corpus
    paths.

    Examples:

        spacenews cache info

        spacenews cache info --json
    """
    import json

    from spacenews.index.store import cache_dir, describe

    rows = describe()
    if json_:
        sys.stdout.write(json.dumps({"folder": str(cache_dir()), "caches": rows}, indent=2) + "\n")
        return
    from spacenews.text import printable  # a database names paths, maybe another's

    print(f"folder: {printable(str(cache_dir()))}")
    for row in rows:
        where = f"{row['bytes']} bytes ({printable(row['path'])})"
        if row["files"] is None:
            print(f"unreadable index: {where}")
        else:
            roots = ", ".join(printable(root) for root in row["roots"])
            print(f"{roots}: {_plural(row['files'], 'file')}, {where}")
    if not rows:
        _say("the cache is empty")


@cache_app.command("path")
def cache_path(ctx: typer.Context) -> None:
    """Print where the index database of the corpus is (--corpus, $SPACENEWS_CORPUS, or --db),
    to open it with sqlite3, sqlite-utils or Datasette. The built-in seeds have none.

    Examples:

        spacenews --corpus ~/news cache path

        sqlite3 "$(spacenews --corpus ~/news cache path)" 'SELECT count(*) FROM events'
    """
    from spacenews.index.store import database_file

    settings = _settings(ctx)
    if settings.db is not None:
        print(settings.db)
        return
    if not settings.corpus:
        _fail("the built-in seeds are indexed in memory: give --corpus")
    print(database_file(list(settings.corpus)))


@cache_app.command("clear")
def cache_clear() -> None:
    """Remove every index database; the next run parses every file again.

    Examples:

        spacenews cache clear
    """
    from spacenews.index.store import cache_dir, clear

    removed = clear()
    _say(f"removed {_plural(removed, 'cache file')} from {cache_dir()}")


@app.command()
def schema(
    command: Annotated[
        str, typer.Argument(help="timeline, show, related, search, entities or check.")
    ],
) -> None:
    """Print the JSON Schema of what a command prints with --json.

    Examples:

        spacenews schema timeline

        spacenews schema related > related.schema.json
    """
    import json

    from spacenews.schema import SCHEMAS

    if command not in SCHEMAS:
        _fail(f"no schema for {command!r}: choose from {', '.join(SCHEMAS)}")
    sys.stdout.write(json.dumps(SCHEMAS[command], indent=2) + "\n")


@app.command("fetch")
def fetch_command(
    urls: Annotated[
        list[str], typer.Argument(metavar="URL...", help="Feeds to fetch (http or https).")
    ],
    into: Annotated[
        Path | None,
        typer.Option(
            "--into",
            metavar="DIR",
            help="The corpus folder to save into (made if missing). Default: the feeds folder "
            "of the user data folder, read with the seeds when no corpus is given.",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds to wait for a server to answer.")
    ] = 20.0,
) -> None:
    """Download feeds and save each response as a file of a corpus folder.

    RSS, Atom, JSON Feed, Spaceflight News API pages and launch logs are saved; an item is
    kept when it drops off the feed, and fetching again makes no duplicate events. A feed
    that did not change since the last fetch (ETag, Last-Modified) writes nothing. Prints
    the files written; exits 4 when any URL gave no news (an error, no answer, a page that
    is no feed), which writes nothing.

    Examples:

        spacenews fetch https://www.esa.int/rssfeed/TopNews

        spacenews fetch --into ~/news "https://api.spaceflightnewsapi.net/v4/articles/?limit=50"
    """
    from spacenews import fetch as fetching

    for url in urls:
        try:
            fetching.check_url(url)
        except fetching.FetchError as error:
            _fail(str(error))
    folder = into if into is not None else fetching.default_folder()
    with _fetch_progress(len(urls)) as done:
        outcomes = fetching.fetch_all(urls, folder, timeout=timeout, done=done)
    if any(isinstance(outcome, fetching.FetchError) for outcome in outcomes):
        raise typer.Exit(ExitCode.FETCH_FAILED)


@contextmanager
def _fetch_progress(
    count: int,
) -> "Iterator[Callable[[str, fetch_module.Fetched | fetch_module.FetchError], None]]":
    """What fetch tells of each URL: the file written on stdout, a line on stderr; and a
    progress bar on stderr while several URLs are fetched on a terminal."""
    from spacenews.text import printable

    def tell(url: str, outcome: "fetch_module.Fetched | fetch_module.FetchError") -> None:
        if isinstance(outcome, Exception):
            _say(f"error: {printable(str(outcome))}")
            return
        if outcome.saved is None:
            _say(f"{printable(url)}: not modified since the last fetch")
            return
        items = _plural(outcome.events, "event") + ", " + _plural(outcome.documents, "document")
        _say(f"{printable(url)}: {items}, saved")
        print(outcome.saved, flush=True)

    if count < 2 or not sys.stderr.isatty():
        yield tell
        return
    from rich.progress import Progress as Bar

    with Bar(console=_stderr(), transient=True) as bar:
        task = bar.add_task("Fetching", total=count)

        def report(url: str, outcome: "fetch_module.Fetched | fetch_module.FetchError") -> None:
            tell(url, outcome)
            bar.advance(task)

        yield report


def main() -> None:
    """The console script: run the app, turning a crash into one line and exit code 3."""
    try:
        app()
        code: int = ExitCode.OK  # not reached: the app ends with SystemExit
    except SystemExit as stop:
        if stop.code is not None and not isinstance(stop.code, int):
            raise
        code = stop.code or 0
    except Exception as error:
        if os.environ.get("SPACENEWS_DEBUG"):
            raise
        from sqlite3 import DatabaseError

        from spacenews.text import printable

        if isinstance(error, DatabaseError):  # an index damaged after it was opened
            reason = f"the index is damaged ({error}): run `spacenews cache clear`"
            _say(f"error: {printable(reason)}")
        else:
            name = type(error).__name__
            _say(f"internal error ({name}): {printable(str(error))}")
        code = ExitCode.INTERNAL
    _leave(code)


_loaded: "list[Corpus]" = []  # the corpus of the command, kept to the end: see _leave


def _leave(code: int) -> NoReturn:
    """End the process. Once a corpus was loaded, without freeing its objects one by one,
    which takes longer than many a query (0.5 s at 100,000 documents): the operating system
    takes the memory back whole. Only the streams need flushing; nothing else is pending.
    Under a profiler, tracer or debugger, the usual way, so that they can report."""
    if not _loaded or sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a reader gone, or a stream closed: nothing to do
            stream.flush()
    os._exit(code)


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.find_object(Settings)
    return (
        settings if settings is not None else Settings(_corpus_paths(None), cache=_cache_on(False))
    )


def _load(ctx: typer.Context, *, summary: bool = True, detail: bool = True) -> "Corpus":
    """The corpus of the command's paths, its problems and notices said on stderr. Without
    detail, a load without the cache gives prose no languages and no dated mentions: for
    commands that need neither."""
    from spacenews.corpus import CorpusError
    from spacenews.loader import load_corpus

    settings = _settings(ctx)
    # The built-in seeds parse quicker than a cache reads; the feeds fetched beside them not.
    cache = settings.cache and (bool(settings.corpus) or _fetched())
    # The corpus lives as long as the command and holds no cycles, nor does what the command
    # makes of it (events decoded, matches): the collector would walk them again and again for
    # nothing (related NASA at 100,000 documents: 3.5-3.9 s with it, 2.3 s without). It is
    # off until the command ends.
    if gc.isenabled():
        gc.disable()
        ctx.call_on_close(_collect_again)
    try:
        with _progress() as progress:
            corpus = load_corpus(
                settings.corpus, cache=cache, progress=progress, detail=detail, db=settings.db
            )
    except CorpusError as error:
        _fail(str(error))
    _loaded[:] = [corpus]  # one at most: tests run many commands in one process
    for notice in corpus.notices:
        _say(notice)
    if summary and corpus.problems:
        skipped = {problem.path for problem in corpus.problems if problem.skipped}
        warned = {problem.path for problem in corpus.problems} - skipped
        counts = [_plural(len(skipped), "file") + " skipped"] if skipped else []
        counts += [_plural(len(warned), "file") + " with warnings"] if warned else []
        _say(f"{', '.join(counts)}: run `spacenews check` for details")
    return corpus


def _fetched() -> bool:
    from spacenews.fetch import fetched_roots

    return bool(fetched_roots())


def _collect_again() -> None:
    # Frozen first: the first allocation would otherwise start a collection over everything
    # the command made (a full one took 1 s after a load of 100,000 documents).
    gc.freeze()
    gc.enable()


@contextmanager
def _progress() -> "Iterator[Progress | None]":
    """Progress bars on stderr while a corpus loads (files parsed, cached results read, events
    merged), only when stderr is a terminal."""
    if not sys.stderr.isatty():  # checked before importing rich: start-up time counts
        yield None
        return
    from rich.progress import Progress as Bar
    from rich.progress import TaskID

    console = _stderr()
    with Bar(console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}  # a bar for each thing the load does

        def report(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done, total=total)

        yield report


def _emit(
    ctx: typer.Context,
    items: Sequence[_Dict],
    fmt: str,
    table: "Callable[[], RenderableType]",
    empty: str | None,
) -> None:
    """The one output switch: a table for people, JSON or JSON Lines for programs.

    No items means exit 1 with the ``empty`` message on stderr, unless ``empty`` is None.
    """
    if fmt == "table" and items:
        from rich.text import Text

        rendered = table()
        console = _stdout()
        # Plain lines (check's path:line: reason) stay whole, for grep and editors.
        whole = isinstance(rendered, Text)
        pager = _pager_command() if _settings(ctx).pager and console.is_terminal else None
        if pager is not None:
            with _paged(pager, console) as paged:
                _print(paged, rendered, whole)
        else:
            _print(console, rendered, whole)
    elif fmt != "table":
        from spacenews.render.data import lines, write_json, write_jsonl

        write = write_json if fmt == "json" else write_jsonl
        sys.stdout.flush()
        write(sys.stdout.buffer, lines(items))
        sys.stdout.buffer.flush()
    if not items and empty is not None:
        _say(empty)
        raise typer.Exit(ExitCode.NO_RESULTS)


def _known(corpus: "Corpus", entity: str) -> bool:
    return corpus.gazetteer_for(entity).resolve(entity) is not None


def _unknown(corpus: "Corpus", entity: str) -> str:
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


def _parsed(parse: Callable[[str], T], text: str, name: str) -> T:
    """A date, period or range the user gave; a usage error, never a guess, when it is wrong."""
    try:
        return parse(text)
    except DateError as error:
        _fail(f"invalid {name}: {error}")


def _caption(count: int, noun: str, wanted: Range | None = None) -> str:
    caption = _plural(count, noun)
    if wanted is not None and (wanted.start or wanted.end):
        caption += f", {wanted}"
    return caption


def _plural(count: int, noun: str, nouns: str = "") -> str:
    """count noun, or count nouns (noun + s unless told)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def _say(message: str) -> None:
    from rich.text import Text

    _stderr().print(Text(f"spacenews: {message}"))


def _fail(message: str) -> NoReturn:
    _say(f"error: {message}")
    raise typer.Exit(ExitCode.USAGE)


def _pager_command() -> str | None:
    """The user's pager ($PAGER), else less if there is one."""
    import shutil

    return os.environ.get("PAGER") or ("less" if shutil.which("less") else None)


@contextmanager
def _paged(command: str, console: "Console") -> "Iterator[Console]":
    """A console writing to the pager as the answer is made, so that its first screen
    shows at once; quitting the pager early ends the answer, quietly, and the command ends
    when the pager does."""
    import subprocess

    from rich.console import Console

    os.environ.setdefault("LESS", "-R")  # let less show the colours, not their codes
    # The user's own $PAGER, run by the shell as pydoc runs it: it may hold options.
    process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE)
    assert process.stdin is not None
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    stream = _Unlinked(process.stdin, encoding)

    class Paged(Console):
        def on_broken_pipe(self) -> None:  # Rich's own ends the process, with status 1
            self.quiet = True
            raise BrokenPipeError

    # As the terminal's console (colours as the terminal and NO_COLOR say), but to the pager.
    paged = Paged(file=stream, force_terminal=True, width=console.width, **_TEXT_ONLY)
    try:
        yield paged
    # The pager was quit before the end; or Ctrl-C, which the pager takes too, left the
    # rest of the answer unwritten (as pydoc leaves it): the pager keeps the terminal.
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        with suppress(OSError):
            stream.close()
        while True:
            try:
                process.wait()
                break
            except KeyboardInterrupt:  # Ctrl-C is the pager's to handle
                continue


class _Unlinked(io.TextIOWrapper):
    """A text stream that leaves out terminal hyperlinks (OSC 8): a pager may show their
    codes as text."""

    def __init__(self, raw: "IO[bytes]", encoding: str) -> None:
        import re  # compiled here, not at every start-up: few runs page

        super().__init__(raw, encoding=encoding, errors="replace")
        self._link = re.compile("\x1b]8;[^\x1b\x07]*(?:\x1b\\\\|\x07)")

    def write(self, text: str) -> int:
        return super().write(self._link.sub("", text) if "\x1b]8" in text else text)


def _print(console: "Console", rendered: "RenderableType", whole: bool) -> None:
    """Print a renderable; a listing or a group part by part, each written as soon as it
    is made: a long answer (a year in full, a whole timeline) starts at once, and never
    stands in memory whole."""
    from rich.console import Group

    from spacenews.render.listing import Listing

    parts: Iterable[RenderableType] = [rendered]
    if isinstance(rendered, Listing):
        parts = rendered.parts()
    elif isinstance(rendered, Group):
        parts = rendered.renderables
    for part in parts:
        # A listing's lines are as wide as the console: cutting them again would only cost.
        console.print(part, soft_wrap=whole, crop=not isinstance(rendered, Listing))


# What every console of spacenews prints text as: text, never markup, emoji codes or
# highlighted numbers (text from a document is data).
_TEXT_ONLY: dict[str, Any] = {"highlight": False, "markup": False, "emoji": False}


def _stdout() -> "Console":
    from rich.console import Console

    return Console(**_TEXT_ONLY)


def _stderr() -> "Console":
    from rich.console import Console

    # Messages are one line each, however narrow the terminal: never wrapped.
    return Console(stderr=True, soft_wrap=True, **_TEXT_ONLY)
