"""The command line's options: the global settings and the corpus they name, the options
commands share, shell completion, and the query the date options describe (a usage error when
they are wrong). How the line is read and its help written is usage.py's.

Without ``from __future__ import annotations``, as cli.py: Typer reads the annotations of
every option callback on each start.
"""

import os
import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from spacenews.terminal import (
    ExitCode,
    Format,
    fail,
    output,
    say,
    stop,
)

if TYPE_CHECKING:
    from spacenews.corpus import Corpus
    from spacenews.dates import Range
    from spacenews.query import Query

ENV_CORPUS = "SPACENEWS_CORPUS"
_NAMELESS = re.compile(r"[\W_]+")  # no letter nor digit of any script


class Settings(NamedTuple):
    """The global options, shared by every command."""

    corpus: tuple[Path, ...]  # empty: the built-in seeds
    pager: bool = False  # page long tables on a terminal
    cache: bool | None = None  # False: --no-cache; None: the loader chooses (load_corpus)
    db: Path | None = None  # keep it in this database file instead


class Chart(StrEnum):
    """The periods of a timeline chart."""

    year = "year"
    month = "month"
    decade = "decade"


class Color(StrEnum):
    """When output is styled (--color)."""

    auto = "auto"
    always = "always"
    never = "never"


class Sort(StrEnum):
    """The order of ranked results."""

    score = "score"
    date = "date"


class ExportFormat(StrEnum):
    """What export writes."""

    ics = "ics"
    csv = "csv"
    markdown = "markdown"
    json = "json"  # what timeline --json prints, to a file with -o
    jsonl = "jsonl"


def settings_of(
    corpus: list[Path] | None, pager: bool, no_cache: bool, db: Path | None
) -> Settings:
    """The settings the global options give, with the environment's defaults."""
    return Settings(corpus_paths(corpus), pager, False if no_cache else None, db)


def settings(ctx: typer.Context) -> Settings:
    """The settings of the command being run."""
    found = ctx.find_object(Settings)
    return found if found is not None else settings_of(None, False, False, None)


def corpus_paths(given: list[Path] | None) -> tuple[Path, ...]:
    """--corpus, else $SPACENEWS_CORPUS, else nothing (the seeds)."""
    if given:
        return tuple(given)
    return tuple(
        Path(os.path.expanduser(p))  # noqa: PTH111 (see _path)
        for p in os.environ.get(ENV_CORPUS, "").split(os.pathsep)
        if p
    )


def output_format(json_: bool, jsonl: bool) -> Format:
    """The format --json and --jsonl ask for: a table when neither."""
    if json_ and jsonl:
        fail("--json and --jsonl cannot be used together")
    return "json" if json_ else "jsonl" if jsonl else "table"


def parse_date_argument(text: str) -> "Range":
    """The days a DATE argument names (a period or a range); a usage error, never a guess,
    when it is wrong."""
    from spacenews.dates import parse_range
    from spacenews.query import QueryError, parse_filter

    try:
        return parse_filter(parse_range, text, "date")
    except QueryError as error:
        fail(f"invalid date: {error.reason}")


def query_of(period: str | None, start: str | None, end: str | None, **filters: Any) -> "Query":
    """The query that the shared timeline options describe; a usage error when they are wrong."""
    from spacenews.query import QueryError, parse_query

    names = {"period": "period", "start": "--from date", "end": "--to date", "on": "--on day"}
    bounds = [("--from", start), ("--to", end)]
    try:
        return parse_query(period, start, end, **filters)
    except QueryError as error:
        if error.what == "range":
            fail(f"--from {start} is after --to {end}")
        if error.what == "apart":
            given = " and ".join(f"{flag} {value}" for flag, value in bounds if value)
            fail(f"{period} and {given} share no day")
        fail(f"invalid {names[error.what]}: {error.reason}")


def load(ctx: typer.Context, *, summary: bool = True, empty: bool = False) -> "Corpus":
    """The corpus of the command's paths, its problems and notices said on stderr. A corpus
    without a readable document ends the command with exit code 1, saying so, unless it
    may be empty (see nothing_readable)."""
    from spacenews.corpus import CorpusError
    from spacenews.loader import load_corpus
    from spacenews.terminal import keep_until_exit, load_progress, pause_collector, tell_problems

    given = settings(ctx)
    pause_collector(ctx.call_on_close)
    try:
        with load_progress() as progress:
            corpus = load_corpus(given.corpus, cache=given.cache, progress=progress, db=given.db)
    except CorpusError as error:
        fail(f"{error}{_from_environment(ctx)}")
    keep_until_exit(corpus)
    tell_problems(corpus, summary)
    if not empty and (message := nothing_readable(ctx, corpus)):
        say(message)
        stop(ExitCode.NO_RESULTS)
    return corpus


def _from_environment(ctx: typer.Context) -> str:
    """Where the corpus paths came from, when not from the command line."""
    given = ctx.find_root().params.get("corpus")
    return f" (from ${ENV_CORPUS})" if not given and os.environ.get(ENV_CORPUS) else ""


def nothing_readable(ctx: typer.Context, corpus: "Corpus") -> str | None:
    """What to say of a corpus that holds no event and no document: no file of its paths
    could be read as one (an empty folder, or only files that are no documents)."""
    if len(corpus.events) or corpus.documents:
        return None
    from spacenews.text import printable

    paths = ", ".join(printable(str(path)) for path in settings(ctx).corpus)
    return f"no readable documents in {paths or 'the built-in corpus'}"


def complete_entity(ctx: typer.Context, incomplete: str) -> list[str]:
    """Entity names of the corpus that start with what was typed, in any case, for shell
    completion of a one-value option: each starts as typed ("baik" gives "baikonur
    Cosmodrome", which names it as well), as Typer keeps only those, and shells too."""
    return _complete_name(ctx, [], incomplete)


def complete_entity_words(ctx: typer.Context, incomplete: str) -> list[str]:
    """As complete_entity, for the name given as words (EntityArgument): what follows the
    words already typed ("Cosmodrome" after "Baikonur"), the rest of the name at once."""
    return _complete_name(ctx, list(ctx.params.get("entity") or ()), incomplete)


def _complete_name(ctx: typer.Context, typed: list[str], incomplete: str) -> list[str]:
    from spacenews.known import entities

    corpus = _completion_corpus(ctx)
    before = " ".join(typed).casefold().split()
    wanted = incomplete.casefold()
    found = []
    for row in entities(corpus) if corpus else ():
        words = row.name.split()  # and no other white space than one space between them
        rest = " ".join(words[len(before) :])
        same = [word.casefold() for word in words[: len(before)]] == before
        if same and rest and rest.casefold().startswith(wanted):
            start = rest[: len(incomplete)]
            found.append(
                incomplete + rest[len(incomplete) :] if start.casefold() == wanted else rest
            )
    return found


def complete_date(ctx: typer.Context, incomplete: str) -> list[str]:
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

    # The root's options as click read them (strings): Typer makes them paths only for a command.
    params = ctx.find_root().params
    corpus = [Path(path) for path in params.get("corpus") or ()]
    db = Path(params["db"]) if params.get("db") else None
    given = settings_of(corpus, False, bool(params.get("no_cache")), db)
    try:
        return load_corpus(given.corpus, cache=given.cache, db=given.db)
    except CorpusError:
        return None


def _name(value: str | None) -> str | None:
    """An entity name as given: a usage error when it is empty (or only spaces), or holds
    no letter nor digit (punctuation alone names nothing; search's words alike)."""
    if value is not None and not value.strip():
        raise typer.BadParameter("an entity name cannot be empty")
    if value is not None and _NAMELESS.fullmatch(value):
        raise typer.BadParameter("give a name: punctuation and symbols alone name nothing")
    return value


def _limit(value: int | None) -> int | None:
    """A --limit: 0 means no limit (None); a usage error when it is below 0."""
    if value is not None and value < 0:
        raise typer.BadParameter(f"{value} is below 0 (0 means no limit)")
    return value or None


def _timeout(value: float) -> float:
    """A --timeout: a usage error below a tenth of a second."""
    if value < 0.1:
        raise typer.BadParameter(f"{value} is below 0.1 second")
    return value


def _words(value: list[str]) -> list[str]:
    """The words of a search: a usage error when there are none but spaces, none but
    those it leaves out (NOT water), or no word at all, only punctuation (\"\", *, -)."""
    words = _some_words(value, "the words to search for cannot be empty")
    from spacenews.search import SearchQuery

    query = SearchQuery.parse(" ".join(words))
    if query.excluded and not query.terms:
        raise typer.BadParameter("give a word to look for: NOT and - only leave out")
    if all(_NAMELESS.fullmatch(term.rstrip("*")) for term in query.terms):  # none, or "_"
        raise typer.BadParameter(
            "give a word to look for: punctuation, symbols and quotes alone find nothing"
        )
    return words


def _name_words(value: list[str]) -> list[str]:
    """The words of an entity name: a usage error when there are none but spaces (or no
    letter nor digit, as _name)."""
    _name(" ".join(_some_words(value, "an entity name cannot be empty")))
    return value


def _some_words(value: list[str], empty: str) -> list[str]:
    if not "".join(value).strip():
        raise typer.BadParameter(empty)
    return value


def name_of(words: list[str]) -> str:
    """The entity name that EntityArgument's words make: they need no quotes."""
    return " ".join(words)


JsonFlag = Annotated[bool, typer.Option("--json", help="Print results as a JSON array.")]
JsonlFlag = Annotated[bool, typer.Option("--jsonl", help="Print one JSON object per line.")]
CacheJsonFlag = Annotated[
    bool, typer.Option("--json", help="Print the folder and its databases as one JSON object.")
]
CacheJsonlFlag = Annotated[
    bool, typer.Option("--jsonl", help="Print one JSON object per database, a line each.")
]
PeriodArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="[PERIOD]",
        help="A period or a range: 2016, 2016-03, 2016-03..2016-06, ..2014, 2010.., "
        "or a relative date: today, yesterday, this week, last month, 3 days ago, 2016..today.",
        show_default=False,
        autocompletion=complete_date,
    ),
]
DateArgument = Annotated[
    str,
    typer.Argument(
        metavar="DATE",
        help="YYYY, YYYY-MM or YYYY-MM-DD, a relative date (today, yesterday, this or last "
        "week|month|year, N days ago), or a range: 2016-03..2016-06, ..2014, 2010..",
        autocompletion=complete_date,
    ),
]
EntityArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="ENTITY",
        help="An entity name or alias, in any case; its words need no quotes.",
        autocompletion=complete_entity_words,
        callback=_name_words,
    ),
]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        "--since",  # git log's name
        metavar="DATE",
        help="Earliest period (YYYY[-MM[-DD]], or today, last week, ...), included whole.",
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option(
        "--to",
        "--until",  # git log's name
        metavar="DATE",
        help="Latest period, included whole: --to 2014-04 reaches April 30.",
    ),
]
EntityOption = Annotated[
    str | None,
    typer.Option(
        "--entity",
        "-e",
        metavar="ENTITY",
        help="Only what is tied to this entity or names it.",
        autocompletion=complete_entity,
        callback=_name,
    ),
]
InOption = Annotated[
    str | None,
    typer.Option(
        "--in",
        metavar="PERIOD",
        help="Only events of this period or range: 2016, 2016-03..2016-06, ..2014, 2010.. "
        "(documents have no date: any date filter leaves them out).",
        autocompletion=complete_date,
    ),
]
SortOption = Annotated[
    Sort,
    typer.Option(
        "--sort",
        metavar="ORDER",
        help="score: best match first; date: oldest first, documents last.",
        case_sensitive=False,
    ),
]
OnOption = Annotated[
    str | None, typer.Option("--on", metavar="MM-DD", help="Only this day of the year, any year.")
]
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit", "-n", metavar="N", callback=_limit, help="At most N items; 0: no limit."
    ),
]
ResultLimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit", "-n", metavar="N", callback=_limit, help="At most N results; 0: no limit."
    ),
]
ReverseOption = Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")]


def _version(value: bool) -> None:
    if value:
        from spacenews import __version__

        output((), "text", lambda: f"spacenews {__version__}\n")
        raise typer.Exit()


def _path(text: str) -> Path:
    """A path given on the command line, a ~ that opens it read as the shell reads it (it
    leaves ~ as it is after an =, in `--corpus=~/news`). An empty one is refused, as Path("")
    is the current folder, which the user did not name (an unset `--corpus "$DIR"`)."""
    if not text:
        raise typer.BadParameter("the path is empty")
    # os.path's expanduser leaves ~nobody/x as it is, as the shell does: Path's raises
    # RuntimeError (an internal error, exit 3).
    return Path(os.path.expanduser(text))  # noqa: PTH111


CorpusOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--corpus",
        "-c",
        metavar="PATH",
        parser=_path,
        help=f"A file or folder to read (repeatable). Default: ${ENV_CORPUS} "
        "(paths separated by the OS path separator), else the built-in seeds.",
        show_default=False,
    ),
]
PagerFlag = Annotated[
    bool, typer.Option("--pager", help="Show tables through a pager, on a terminal.")
]
ColorOption = Annotated[
    Color,
    typer.Option(
        "--color",
        metavar="WHEN",
        help="When to style output (colour, bold, links): auto (on a terminal or with "
        "$FORCE_COLOR set; no colour with $NO_COLOR set), always or never, which beat both.",
        case_sensitive=False,
    ),
]
NoCacheFlag = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Index every file for this run only, without the cache (also $SPACENEWS_NO_CACHE=1).",
    ),
]
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="FILE",
        parser=_path,
        help="Keep the index in this SQLite file rather than in the cache folder.",
        show_default=False,
    ),
]
VersionFlag = Annotated[
    bool,
    typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
]
MentionsFlag = Annotated[
    bool, typer.Option("--mentions", "-m", help="Also list dates that prose pages mention.")
]
ChartOption = Annotated[
    Chart | None,
    typer.Option(
        "--by",
        metavar="UNIT",
        help="Count events per year, month or decade, as a chart.",
        case_sensitive=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        parser=_path,
        help="Write to this file, whole or not at all, rather than to stdout (-: stdout).",
        show_default=False,
    ),
]
ExportFormatOption = Annotated[
    ExportFormat,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="ics (a calendar), csv, markdown, json or jsonl (as timeline --json).",
        case_sensitive=False,
    ),
]
TargetArgument = Annotated[
    str,
    typer.Argument(
        metavar="DATE|ID",
        help="A date, period or range (as show takes), an event's id or a document's path, "
        "as --json shows them.",
        autocompletion=complete_date,
    ),
]
GoneFlag = Annotated[
    bool, typer.Option("--gone", help="Only those whose corpus paths are all gone.")
]
PathsFlag = Annotated[
    bool, typer.Option("--path", help="Print the files' paths, one per line, instead.")
]
WordsArgument = Annotated[
    list[str],
    typer.Argument(metavar="WORDS...", help='Words, and "quoted phrases".', callback=_words),
]
SchemaArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="COMMAND",
        help="timeline, show, related, search, entities, check or cache info.",
        show_default=False,
    ),
]
UrlsArgument = Annotated[
    list[str], typer.Argument(metavar="URL...", help="Feeds to fetch (http or https).")
]
IntoOption = Annotated[
    Path | None,
    typer.Option(
        "--into",
        metavar="DIR",
        parser=_path,
        help="The corpus folder to save into (made if missing). Default: the feeds folder "
        "of the user data folder, read with the seeds when no corpus is given.",
        show_default=False,
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        metavar="SECONDS", callback=_timeout, help="Seconds to wait for a server to answer."
    ),
]
