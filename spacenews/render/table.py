"""Rich renderables for people. Every string from a document goes in as Text, or as a plain
string to a Listing, never as markup."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.rule import Rule
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from spacenews.dates import period_of
from spacenews.known import EntityInfo
from spacenews.listing import Count, Selection
from spacenews.model import Event, Mention, Problem, Related, Source
from spacenews.query import Match, Mentioned
from spacenews.render.listing import Column, Listing, render_line, unspaced, widest
from spacenews.render.markdown import body, inline, link_style, title
from spacenews.text import printable

if TYPE_CHECKING:
    from spacenews.search import Result

DATE_STYLE = "cyan"
ENTITY_STYLE = "green"
QUIET_STYLE = "dim"
MENTION_STYLE = "magenta"
HIGHLIGHT_STYLE = "bold yellow"
SNIPPET_STYLE = "italic"
BAR_STYLE = "blue"
LINK_LOOK = Style(color="blue")
BAR_WIDTH = 40  # characters for the longest bar of a chart
# Narrower than this, a table sets a secondary column under the one before it (the entities
# under a headline, the aliases under their entity) rather than squeeze both.
NARROW = 80


def timeline_table(items: Selection, caption: str) -> Listing:
    """Date, headline and entities, one row per event; mentions marked as such. The rows are
    made as they are printed: the width of their dates is known before."""
    date_width = max((len(str(period_of(date.min, p))) for p in items.precisions()), default=0)
    columns = [
        Column("Date", DATE_STYLE, no_wrap=True, width=date_width),
        Column("Headline", ratio=3),
        Column("Entities", ENTITY_STYLE, ratio=1, under=NARROW),
    ]
    return Listing(columns, map(_timeline_row, items), caption)


def _timeline_row(item: Event | Mentioned) -> list[Text | str]:
    if isinstance(item, Event):
        return [item.date.isoformat(), title(item.headline), ", ".join(item.entities)]
    return [_mention_date(item.mention), _mention_text(item.mention), ", ".join(item.entities)]


def bar_chart(counts: Sequence[Count], caption: str, heading: str = "Events") -> Table:
    """One bar per period, as long as its count is large."""
    table = Table(caption=caption, caption_justify="left", header_style="bold")
    table.add_column("Period", style=DATE_STYLE, no_wrap=True)
    table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("", overflow="crop")  # wraps, to Rich: the first column it narrows
    most = max((count.total for count in counts), default=0) or 1
    for count in counts:
        table.add_row(count.period, str(count.total), _Bar(count.total / most))
    return table


class _Bar:
    """A bar as long as its share of the longest bar, which fills the column: BAR_WIDTH
    cells, or fewer in a narrow terminal (all of a chart's bars shrink alike)."""

    def __init__(self, share: float) -> None:
        self.share = share

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, BAR_WIDTH)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = min(options.max_width, BAR_WIDTH)
        length = round(width * self.share) or (1 if self.share else 0)
        yield Text("█" * length, style=BAR_STYLE)


def related_table(matches: Sequence[Match], caption: str) -> Listing:
    """Date, headline or title, and why each event or document matched."""
    columns = [
        Column("Date", DATE_STYLE, no_wrap=True),
        Column("Headline or document", ratio=3),
        Column("Via", QUIET_STYLE, under=NARROW),
    ]
    rows: list[list[Text | str]] = []
    for match in matches:
        item = match.item
        if isinstance(item, Event):
            rows.append([item.date.isoformat(), title(item.headline), ", ".join(match.via)])
        else:
            cell = _titled(item.title, item.path)
            snippet = inline(match.snippet)
            if not _told(snippet, cell):
                cell.append("\n")
                cell.append_text(snippet)
            rows.append(["", cell, ", ".join(match.via)])
    return Listing(columns, rows, caption, lines=True)


def entity_table(rows: Sequence[EntityInfo], caption: str) -> Listing:
    """Every entity with its aliases, counts and first and last dates."""
    columns = [
        Column("Entity", ENTITY_STYLE, ratio=2),
        Column("Aliases", ratio=2, under=NARROW),
        Column("Events", justify="right"),
        Column("Docs", justify="right", under=NARROW),
        Column("First", DATE_STYLE, no_wrap=True),
        Column("Last", DATE_STYLE, no_wrap=True, under=NARROW),
    ]
    cells: list[list[Text | str]] = [
        [
            row.name,
            ", ".join(row.aliases),
            str(row.events),
            str(row.documents),
            row.first.isoformat() if row.first else "",
            row.last.isoformat() if row.last else "",
        ]
        for row in rows
    ]
    return Listing(columns, cells, caption)


def _told(snippet: Text, cell: Text) -> bool:
    """Whether the cell already says the snippet: a sentence of the title, or the title
    itself cut short ("... at …")."""
    return snippet.plain.removesuffix("…").rstrip() in cell.plain


def search_table(results: Sequence[Result], caption: str) -> Listing:
    """Each result's date, title and snippet, the query's words highlighted."""
    from spacenews.search import highlights  # only here: the other tables need no search

    columns = [
        Column("Date", DATE_STYLE, no_wrap=True),
        Column("Result", ratio=1),
        Column("Score", QUIET_STYLE, justify="right"),
    ]
    rows: list[list[Text | str]] = []
    for result in results:
        path = result.unit.key if result.unit.kind == "document" else ""
        cell = _titled(result.unit.title, path)
        snippet = inline(result.snippet, SNIPPET_STYLE)
        if not _told(snippet, cell):
            for start, end in highlights(snippet.plain, result.query):
                snippet.stylize(HIGHLIGHT_STYLE, start, end)
            cell.append("\n")
            cell.append_text(snippet)
        else:
            for start, end in highlights(cell.plain, result.query):
                cell.stylize(HIGHLIGHT_STYLE, start, end)
        day = result.unit.date.isoformat() if result.unit.date else ""
        rows.append([day, cell, f"{result.score:.2f}"])
    return Listing(columns, rows, caption, lines=True)


def _titled(text: str, path: str) -> Text:
    """A title in bold, followed by the path of its file when it has one."""
    cell = inline(text, "bold")
    if path:
        cell.append(f"  {_shown_path(path)}", style=QUIET_STYLE)
    return cell


def event_details(events: Sequence[Event], mentions: Sequence[Mentioned] = ()) -> Group:
    """Each event in full: headline, body, entities, sources and related events; then the
    mentions of the period."""
    parts: list[RenderableType] = []
    for index, event in enumerate(events):
        if index:
            parts.append(Rule(style=QUIET_STYLE))
        parts.extend(_event(event))
    if mentions:
        if parts:
            parts.append(Rule(style=QUIET_STYLE))
        rows = [[_mention_date(m.mention), _mention_source(m.mention)] for m in mentions]
        parts.append(_section("Also mentioned", rows, first=not parts))
    return Group(*parts)


def _mention_date(mention: Mention) -> Text:
    return Text(str(period_of(mention.date, mention.precision)), style=DATE_STYLE)


def _mention_text(mention: Mention) -> Text:
    text = Text("mentioned: ", style=MENTION_STYLE)
    text.append_text(inline(mention.snippet))
    return text


def _mention_source(mention: Mention) -> Text:
    text = _titled(mention.title, mention.document)
    text.append("\n")
    text.append_text(inline(mention.snippet))
    return text


def problem_lines(problems: Sequence[Problem]) -> Text:
    """One ``path:line: reason`` line per problem, as grep and editors expect."""
    text = Text()
    for problem in problems:
        text.append(f"{_shown_path(problem.path)}:{problem.line}: ", style=QUIET_STYLE)
        text.append(problem.reason + (" (skipped)" if problem.skipped else ""))
        text.append("\n")
    text.rstrip()
    return text


def _event(event: Event) -> list[RenderableType]:
    days = event.date.isoformat()
    if event.end_date:  # written as a range is everywhere else (dates.py)
        days += f"..{event.end_date.isoformat()}"
    heading = Text.assemble((days, f"bold {DATE_STYLE}"), "  ")
    heading.append_text(inline(event.headline, "bold"))
    if event.published and event.published != event.date:  # the same day says nothing more
        heading.append(f"  (published {event.published.isoformat()})", style="dim")
    # In a group: console.print joins the Text objects it is given into one of its own.
    parts: list[RenderableType] = [Group(unspaced(heading))]
    if event.body:
        parts.append(Padding(body(event.body), (1, 0, 0, 2), expand=False))
    if event.entities:
        parts.append(_section("Entities", [[Text(", ".join(event.entities), style=ENTITY_STYLE)]]))
    if event.sources:
        parts.append(_section("Sources", [_source(source) for source in event.sources]))
    if event.related:
        parts.append(_section("Related", [_format_related(link) for link in event.related]))
    if event.translations:
        rows = [
            [Text(printable(t.lang), style=QUIET_STYLE), inline(t.headline)]
            for t in event.translations
        ]
        parts.append(_section("Translations", rows))
    if len(event.documents) > 1:  # a merge: the files that made the event
        parts.append(_section("Files", [_file(event, path) for path in event.documents]))
    return parts


def _file(event: Event, path: str) -> list[Text]:
    """A file of an event, with the language of the translation it gives, if any."""
    text = Text(_shown_path(path))
    lang = next((t.lang for t in event.translations if t.document == path), "")
    if lang:
        text.append(f"  ({printable(lang)})", style=QUIET_STYLE)
    return [text]


def _shown_path(path: str) -> str:
    """A file's path as a terminal shows it: its control characters escaped, and the odd
    bytes of a name that is not UTF-8, kept as lone surrogates, as \xff escapes."""
    shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return printable(shown)


def _section(title: str, rows: list[list[Text]], *, first: bool = False) -> Group:
    """A titled section, after a blank line unless it comes first."""
    return Group(*([] if first else [Text("")]), Text(title, style="bold"), Rows(rows))


class Rows:
    """Rows of one cell, or of two side by side, indented, each cell wrapped in its column:
    the layout of a grid, without a table's measuring of every cell (a year's events in full
    have thousands of rows, each measured by a grid). A word too long for its
    column (an address, a path) is folded onto the next line, where a grid cut it short:
    show is for reading all of it. Public: a renderable of its own, tested against the grid
    it stands in for."""

    INDENT = 2
    GAP = 2  # between two cells

    def __init__(self, rows: list[list[Text]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width - self.INDENT, 1)
        indent, new_line = Segment(" " * self.INDENT), Segment.line()
        if len(self.rows[0]) == 1:
            for (cell,) in self.rows:
                for line in unspaced(cell).wrap(console, width, overflow="fold"):
                    yield indent
                    yield from render_line(console, line)
                    yield new_line
            return
        left, right = _columns(
            width - self.GAP,
            max(widest(first) for first, _ in self.rows),
            max(widest(second) for _, second in self.rows),
        )
        blank = Text()
        for first, second in self.rows:
            labels = unspaced(first).wrap(console, left, overflow="fold")
            lines = unspaced(second).wrap(console, right, overflow="fold")
            for number in range(max(len(labels), len(lines))):
                label = labels[number] if number < len(labels) else blank
                yield indent
                yield from render_line(console, label)
                if number < len(lines):
                    yield Segment(" " * (max(left - label.cell_len, 0) + self.GAP))
                    yield from render_line(console, lines[number])
                yield new_line


def _columns(width: int, left: int, right: int) -> tuple[int, int]:
    """The widths of two columns whose widest lines are left and right wide, in width: the
    wider column gives way first, down to the other's width, then both do, as in a grid."""
    if left + right <= width:
        return max(left, 1), max(right, 1)
    narrow = min(left, right)
    if narrow * 2 <= width:
        wide = width - narrow
        return (narrow, wide) if left <= right else (wide, narrow)
    return max(width - width // 2, 1), max(width // 2, 1)


def _source(source: Source) -> list[Text]:
    return [inline(source.title), Text(source.url, style=link_style(source.url, LINK_LOOK))]


def _format_related(link: Related) -> list[Text]:
    text = inline(link.headline)
    if link.context:
        text.append(f"  ({', '.join(link.context)})", style=ENTITY_STYLE)
    return [Text(link.date.isoformat(), style=DATE_STYLE), text]
