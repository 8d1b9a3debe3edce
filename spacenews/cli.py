"""Typer commands: options become a query, the library answers it, one output function shows it.

Every command only wires: its options (spacenews.options) become a query value, the library
answers it, and spacenews.terminal, the one module that writes to the streams, shows the
answer (results on stdout, everything else on stderr) and ends the process.

It has no ``from __future__ import annotations``: Typer reads the annotations of every command
on each start, and evaluating hundreds of them from strings costs milliseconds that start-up
cannot spare. The names imported only for type checking are quoted instead.
"""

from typing import TYPE_CHECKING

import typer

from spacenews import options as opt
from spacenews import usage
from spacenews.render.plain import caption, plural
from spacenews.terminal import ExitCode, fail, output, say, stop, use_color

if TYPE_CHECKING:
    from rich.console import RenderableType

    from spacenews.corpus import Corpus
    from spacenews.query import Query

app = typer.Typer(
    name="spacenews",
    cls=usage.GlobalsAnywhere,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _global(
    ctx: typer.Context,
    corpus: opt.CorpusOption = None,
    pager: opt.PagerFlag = False,
    no_cache: opt.NoCacheFlag = False,
    db: opt.DbOption = None,
    color: opt.ColorOption = opt.Color.auto,
    version: opt.VersionFlag = False,
) -> None:
    """Explore space news: a timeline of events, a day in detail, everything about an entity.

    Examples:

        spacenews timeline --from 2010 --entity Mars

        spacenews show 2016-03-14

        spacenews related "Mars Express"

        spacenews --corpus ~/news search "red planet"
    """
    ctx.obj = opt.settings_of(corpus, pager, no_cache, db)
    use_color(color.value)


@app.command(cls=usage.Command)
def timeline(
    ctx: typer.Context,
    period: opt.PeriodArgument = None,
    start: opt.FromOption = None,
    end: opt.ToOption = None,
    entity: opt.EntityOption = None,
    on: opt.OnOption = None,
    limit: opt.LimitOption = None,
    reverse: opt.ReverseOption = False,
    with_mentions: opt.MentionsFlag = False,
    by: opt.ChartOption = None,
    json_: opt.JsonFlag = False,
    jsonl: opt.JsonlFlag = False,
) -> None:
    """List events in date order, or chart how many there are per period.

    A chart (--by) covers the period asked for; --reverse puts its newest period first and
    --limit keeps that many periods.

    Examples:

        spacenews timeline

        spacenews timeline --from 2010 --entity Mars

        spacenews timeline 2016-03..2016-06 --mentions

        spacenews timeline --on 03-14

        spacenews timeline --by year

        spacenews timeline --reverse --limit 5 --json
    """
    from spacenews.listing import chart, select

    fmt = opt.output_format(json_, jsonl)
    filters = {"entity": entity, "on": on, "limit": limit, "reverse": reverse}
    query = opt.query_of(period, start, end, **filters, mentions=with_mentions)
    corpus = opt.load(ctx)
    noun = "item" if with_mentions else "event"
    if by is not None:
        periods = chart(corpus, query, by.value)
        # Every period counted, none holding an event: the zeros are printed, and exit 1.
        empty = _no_events(corpus, query) if not any(p.total for p in periods) else ""

        def bars() -> "RenderableType":
            from spacenews.render.plain import chart_caption
            from spacenews.render.table import bar_chart

            caption = chart_caption(periods, noun, by.value)
            return bar_chart(periods, caption, f"{noun.capitalize()}s")

        output(periods, fmt, bars, pager=opt.settings(ctx).pager)  # the zeros too
        if empty:
            say(empty)
            stop(ExitCode.NO_RESULTS)
        return
    items = select(corpus, query)
    empty = _no_events(corpus, query) if not items else ""
    title = caption(len(items), noun, query.start, query.end, items.matched)

    def table() -> "RenderableType":
        from spacenews.render.table import timeline_table

        return timeline_table(items, title)

    output(items, fmt, table, empty, pager=opt.settings(ctx).pager)


def _no_events(corpus: "Corpus", query: "Query") -> str:
    """What timeline and export tell when no event matched: the filters that narrowed it."""
    from spacenews.known import nothing_found  # only then: start-up time counts

    return nothing_found(corpus, "no events match", query.entity, query.start, query.end, query.on)


@app.command(cls=usage.Command)
def export(
    ctx: typer.Context,
    period: opt.PeriodArgument = None,
    fmt: opt.ExportFormatOption = opt.ExportFormat.ics,
    start: opt.FromOption = None,
    end: opt.ToOption = None,
    entity: opt.EntityOption = None,
    on: opt.OnOption = None,
    limit: opt.LimitOption = None,
    reverse: opt.ReverseOption = False,
    file: opt.OutputOption = None,
    json_: opt.JsonFlag = False,
    jsonl: opt.JsonlFlag = False,
) -> None:
    """Export the events of a timeline as a calendar (ics), a spreadsheet (csv), a report
    (markdown) or JSON.

    Takes the same filters as timeline; --json and --jsonl are --format json and jsonl,
    which write what timeline --json and --jsonl print.

    Examples:

        spacenews export --format ics > space.ics

        spacenews export 2016 --format csv --entity ExoMars > exomars.csv

        spacenews export --format markdown --from 2003 --to 2004 > report.md

        spacenews export --format csv -o events.csv
    """
    from spacenews.listing import events
    from spacenews.render import export as exporters

    if json_ or jsonl:
        asked = opt.ExportFormat(opt.output_format(json_, jsonl))
        source = ctx.get_parameter_source("fmt")
        if source is not None and source.name != "DEFAULT" and fmt is not asked:
            fail(f"--{asked} and --format {fmt} cannot be used together")
        fmt = asked
    query = opt.query_of(period, start, end, entity=entity, on=on, limit=limit, reverse=reverse)
    corpus = opt.load(ctx)
    found = events(corpus, query)

    def text() -> str:
        if fmt in (opt.ExportFormat.json, opt.ExportFormat.jsonl):
            return exporters.to_json(found, lines_only=fmt is opt.ExportFormat.jsonl)
        if fmt is opt.ExportFormat.ics:
            return exporters.to_ics(found)
        if fmt is opt.ExportFormat.csv:
            return exporters.to_csv(found)
        return exporters.to_markdown(found, caption(len(found), "event", query.start, query.end))

    empty = _no_events(corpus, query) if not found else ""
    output(found, "text", text, empty, file=None if str(file) == "-" else file)


@app.command(cls=usage.Command)
def show(
    ctx: typer.Context,
    day: opt.DateArgument,
    start: opt.FromOption = None,
    end: opt.ToOption = None,
    entity: opt.EntityOption = None,
    json_: opt.JsonFlag = False,
    jsonl: opt.JsonlFlag = False,
) -> None:
    """Show every event of a day, month or year in full, and the prose that mentions it.

    Each event comes with its body, entities, sources and related events; then, under
    "Also mentioned", the sentences of prose pages that give a date in that period.
    --from and --to narrow the period; --entity keeps the events tied to the entity or
    naming it, and the sentences naming it.

    Examples:

        spacenews show 2003-06-2

        spacenews show 2016-03

        spacenews show 2016-03..2016-06

        spacenews show 2016-03-14 --json

        spacenews show 2016 --entity ExoMars
    """
    from spacenews.dates import Range
    from spacenews.listing import events
    from spacenews.query import mentions

    fmt = opt.output_format(json_, jsonl)
    opt.parse_date_argument(day)  # its own message when it is wrong
    query = opt.query_of(day, start, end, entity=entity)
    period = Range(query.start, query.end)
    corpus = opt.load(ctx)
    found = events(corpus, query)
    mentioned = mentions(corpus, query.start, query.end, entity)

    def details() -> "RenderableType":
        from spacenews.render.table import event_details

        return event_details(found, mentioned)

    empty = f"nothing happened or is mentioned in {period}"
    if not found and not mentioned:  # spacenews.known imported only then: start-up time counts
        from spacenews.known import nothing_found

        empty = nothing_found(corpus, empty, entity)
    output([*found, *mentioned], fmt, details, empty, pager=opt.settings(ctx).pager)


@app.command(cls=usage.Command)
def related(
    ctx: typer.Context,
    entity: opt.EntityArgument,
    period: opt.InOption = None,
    start: opt.FromOption = None,
    end: opt.ToOption = None,
    also: opt.EntityOption = None,
    sort: opt.SortOption = opt.Sort.score,
    limit: opt.ResultLimitOption = None,
    json_: opt.JsonFlag = False,
    jsonl: opt.JsonlFlag = False,
) -> None:
    """List the events and documents tied to an entity or naming it, strongest first.

    VIA says how each is tied: context (a _Context:_ line), tag (front matter), mention (the
    text names it), source (the name of one of the event's sources names it), and alias or
    part when it was through another name of the entity or through one of its parts. --in,
    --from and --to keep the events of a period (documents have no date: they are left
    out); --entity keeps what is tied to that entity too.

    Examples:

        spacenews related Mars Express

        spacenews related roscosmos --limit 5

        spacenews related ExoMars --jsonl

        spacenews related Mars --from 2016 --entity ESA --sort date
    """
    from spacenews.known import nothing_found, unheard_of, unknown_entity
    from spacenews.query import related as run

    fmt = opt.output_format(json_, jsonl)
    name = opt.name_of(entity)
    query = opt.query_of(period, start, end, entity=also, limit=limit, sort=sort.value)
    corpus = opt.load(ctx)
    matches = run(corpus, name, query)
    title = caption(len(matches), "result", query.start, query.end)

    def table() -> "RenderableType":
        from spacenews.render.table import related_table

        return related_table(matches, title)

    # A name nothing could match is told first; then, the filters that narrowed it.
    empty = ""
    if not matches and (not (query.start or query.end or also) or unheard_of(corpus, name)):
        empty = unknown_entity(corpus, name)
    elif not matches:
        empty = nothing_found(corpus, "no results match", also, query.start, query.end)
    output(matches, fmt, table, empty, pager=opt.settings(ctx).pager)


@app.command(cls=usage.Command)
def entities(
    ctx: typer.Context,
    limit: opt.ResultLimitOption = None,
    json_: opt.JsonFlag = False,
    jsonl: opt.JsonlFlag = False,
) -> None:
    """List every entity with its aliases, how many events and documents name it, and when,
    most events first.

    Examples:

        spacenews entities --limit 10

        spacenews entities --json | jq '.[] | select(.aliases | length > 0)'
    """
    from spacenews.known import entities as run

    fmt = opt.output_format(json_, jsonl)
    rows = run(opt.load(ctx))[:limit]

    def table() -> "RenderableType":
        from spacenews.render.table import entity_table

        return entity_table(rows, plural(len(rows), "entity", "entities"))

    output(rows, fmt, table, "the corpus names no entity", pager=opt.settings(ctx).pager)


@app.command(cls=usage.Command)
def search(
    ctx: typer.Context,
    query: opt.WordsArgument,
    period: opt.InOption = None,
    start: opt.FromOption = None,
    end: opt.ToOption = None,
    entity: opt.EntityOption = None,
    sort: opt.SortOption = opt.Sort.score,
    limit: opt.ResultLimitOption = 10,
    json_: opt.JsonFlag = False,
    jsonl: opt.JsonlFlag = False,
) -> None:
    """Search the text of every event and document, best match first (BM25).

    Case and accents do not matter: "planete rouge" finds "planète rouge". A quoted phrase must
    appear as written; explor* finds every word that starts with explor; NOT water leaves out
    what holds water (a result holds any other word, the more the better). --in, --from and
    --to keep the events of a period (documents have no date: they are left out); --entity
    keeps what is tied to the entity or names it.

    Examples:

        spacenews search Olympus Mons

        spacenews search planete rouge

        spacenews search '"red planet"' water --limit 3

        spacenews search mars NOT water

        spacenews search Schiaparelli --json

        spacenews search water --from 2000 --entity Mars --sort date
    """
    from spacenews.query import search as run

    fmt = opt.output_format(json_, jsonl)
    text = " ".join(query)
    wanted = opt.query_of(period, start, end, entity=entity, limit=limit, sort=sort.value)
    corpus = opt.load(ctx)
    results = run(corpus, text, wanted)

    def table() -> "RenderableType":
        from spacenews.render.table import search_table

        return search_table(results, caption(len(results), "result", wanted.start, wanted.end))

    from spacenews.text import echo

    empty = f"nothing matches {echo(text)}"  # a long query, cut as usage cuts it
    if not results:
        from spacenews.known import nothing_found

        empty = nothing_found(corpus, empty, entity, wanted.start, wanted.end)
    output(results, fmt, table, empty, pager=opt.settings(ctx).pager)


@app.command(cls=usage.Command)
def check(
    ctx: typer.Context,
    json_: opt.JsonFlag = False,
    jsonl: opt.JsonlFlag = False,
) -> None:
    """List every problem met while reading the corpus, as path:line: reason, each path as
    it opens from the current folder.

    Exits 0 when the corpus is clean, 1 when there is any problem or no readable document.

    Examples:

        spacenews check

        spacenews --corpus ~/news check --json
    """
    fmt = opt.output_format(json_, jsonl)
    corpus = opt.load(ctx, summary=False, empty=True)

    def lines() -> "RenderableType":
        from spacenews.render.table import problem_lines

        return problem_lines(corpus.problems)

    output(corpus.problems, fmt, lines, None, pager=opt.settings(ctx).pager)
    empty = opt.nothing_readable(ctx, corpus)
    if empty:
        say(empty)
    if corpus.problems or empty:
        stop(ExitCode.NO_RESULTS)
    events = plural(len(corpus.events), "event")
    say(f"no problems in {events} and {plural(len(corpus.documents), 'document')}")


@app.command("open", cls=usage.Command)
def open_command(
    ctx: typer.Context,
    target: opt.TargetArgument,
    paths_only: opt.PathsFlag = False,
) -> None:
    """Open the files behind events or a document in your editor ($VISUAL, else $EDITOR).

    DATE opens the files every event of that day, month, year or range was read from; an
    event's id or a document's path (the id and path fields of --json) opens that one's
    files. All of them go to one call of the editor, as zk edit does. Exits 1 when nothing
    matches or the editor fails, 2 when no editor is set.

    Examples:

        spacenews open 2016-03-14

        spacenews open 2016-03 --path

        spacenews open 002_efe6a678f375d53d.txt
    """
    from spacenews.loader import corpus_file, locate
    from spacenews.query import QueryError, files_behind
    from spacenews.terminal import edit

    corpus = opt.load(ctx)
    if (file := corpus_file(opt.settings(ctx).corpus, target)) is not None:
        paths = [file]
    else:
        try:
            names = files_behind(corpus, target)
        except QueryError as error:
            fail(f"{error.reason}; nor is it an event id, a document path or a corpus file")
        paths = [found for name in names for found in locate(opt.settings(ctx).corpus, name)]
    if not paths:
        from spacenews.known import nothing_behind

        say(f"{nothing_behind(corpus, target)}: nothing to open")
        stop(ExitCode.NO_RESULTS)
    if paths_only:
        import sys

        from spacenews.text import printable

        # Names are data: their own bytes to a file or a pipe (as find prints them), so that
        # they name the files; escaped to a terminal, to which \x1b is a control.
        shown = printable if sys.stdout.isatty() else str
        output((), "text", lambda: "".join(f"{shown(str(path))}\n" for path in paths))
        return
    edit(paths)


cache_app = typer.Typer(
    cls=usage.OneLineErrors,
    help="Look at or clear the index databases of the cache folder.",
    no_args_is_help=True,
)
app.add_typer(cache_app, name="cache")


@cache_app.command("info", cls=usage.Command)
def cache_info(json_: opt.CacheJsonFlag = False, jsonl: opt.CacheJsonlFlag = False) -> None:
    """Show where the cache lives and what it holds: an index database per set of corpus
    paths (--jsonl: one per line).

    Examples:

        spacenews cache info

        spacenews cache info --json

        spacenews cache info --jsonl | jq -r 'select(.gone) | .path'
    """
    from spacenews.index.store import cache_dir, describe
    from spacenews.render.plain import cache_lines

    fmt = opt.output_format(json_, jsonl)
    rows = describe()
    if fmt != "table":
        import json

        document = {"folder": str(cache_dir()), "caches": rows}
        if fmt == "json":
            output((), "text", lambda: json.dumps(document, indent=2) + "\n")
        else:
            lines = [json.dumps(row, separators=(",", ":")) + "\n" for row in rows]  # compact
            output((), "text", lambda: "".join(lines))
        return
    output((), "text", lambda: cache_lines(cache_dir(), rows))
    if not rows:
        say("the cache is empty")


@cache_app.command("path", cls=usage.Command)
def cache_path(ctx: typer.Context) -> None:
    """Bring the index database of the corpus (--corpus, $SPACENEWS_CORPUS, or --db) up to
    date, and print where it is, to open it with sqlite3, sqlite-utils or Datasette. The
    built-in seeds, a corpus of fewer than 50 files and --no-cache have none.

    Examples:

        spacenews --corpus ~/news cache path

        sqlite3 "$(spacenews --corpus ~/news cache path)" 'SELECT count(*) FROM events'
    """
    from spacenews.index.store import file_of

    corpus = opt.load(ctx, summary=False, empty=True)
    where = None if corpus.view is None else file_of(corpus.view.db)
    if where is None:
        fail(
            "this corpus has no database: it is indexed at each run (the built-in seeds, fewer"
            " than 50 files under 512 KiB, --no-cache, or a cache folder inside it or that"
            " cannot be written); --db FILE keeps one"
        )
    output((), "text", lambda: f"{where}\n")


@cache_app.command("clear", cls=usage.Command)
def cache_clear(gone: opt.GoneFlag = False) -> None:
    """Remove every index database; the next run parses every file again.

    Examples:

        spacenews cache clear

        spacenews cache clear --gone
    """
    from spacenews.index.store import cache_dir, clear

    removed = clear(gone=gone)
    say(f"removed {plural(removed, 'cache file')} from {cache_dir()}")


@app.command(cls=usage.Command)
def schema(
    command: opt.SchemaArgument,
) -> None:
    """Print the JSON Schema of what a command prints with --json.

    Examples:

        spacenews schema timeline

        spacenews schema related > related.schema.json

        spacenews schema cache info
    """
    import json

    from spacenews.schema import SCHEMAS

    name = " ".join(command)  # cache info
    if name not in SCHEMAS:
        fail(f"no schema for {name!r}: choose from {', '.join(SCHEMAS)}")
    output((), "text", lambda: json.dumps(SCHEMAS[name], indent=2) + "\n")


@app.command("fetch", cls=usage.Command)
def fetch_command(
    urls: opt.UrlsArgument,
    into: opt.IntoOption = None,
    timeout: opt.TimeoutOption = 20.0,
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
    from spacenews.terminal import fetch_progress

    for url in urls:
        try:
            fetching.check_url(url)
        except fetching.FetchError as error:
            fail(str(error))
    folder = into if into is not None else fetching.default_folder()
    with fetch_progress(len(urls)) as done:
        outcomes = fetching.fetch_all(urls, folder, timeout=timeout, done=done)
    if any(isinstance(outcome, fetching.FetchError) for outcome in outcomes):
        stop(ExitCode.FETCH_FAILED)


def main() -> None:
    """The console script: run the app, turning a crash into one line and exit code 3."""
    import sys

    from spacenews.terminal import run

    run(usage.for_arguments(app, sys.argv[1:]))
