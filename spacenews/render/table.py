"""Rich renderables for people. Every string from a document goes in as Text, never as markup."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from spacenews.model import Event, Problem, Related, Source
from spacenews.query import Match
from spacenews.text import printable

DATE_STYLE = "cyan"
ENTITY_STYLE = "green"
QUIET_STYLE = "dim"


def timeline_table(events: Sequence[Event], caption: str) -> Table:
    """Date, headline and entities, one row per event."""
    table = _table(caption)
    table.add_column("Date", style=DATE_STYLE, no_wrap=True)
    table.add_column("Headline", ratio=3)
    table.add_column("Entities", style=ENTITY_STYLE, ratio=1)
    for event in events:
        table.add_row(event.date.isoformat(), Text(event.headline), Text(", ".join(event.entities)))
    return table


def related_table(matches: Sequence[Match], caption: str) -> Table:
    """Date, headline and why each event matched."""
    table = _table(caption)
    table.add_column("Date", style=DATE_STYLE, no_wrap=True)
    table.add_column("Headline", ratio=3)
    table.add_column("Via", style=QUIET_STYLE, no_wrap=True)
    for match in matches:
        row = (match.event.date.isoformat(), Text(match.event.headline), ", ".join(match.via))
        table.add_row(*row)
    return table


def event_details(events: Sequence[Event]) -> Group:
    """Each event in full: headline, body, entities, sources and related events."""
    parts: list[RenderableType] = []
    for index, event in enumerate(events):
        if index:
            parts.append(Rule(style=QUIET_STYLE))
        parts.extend(_event(event))
    return Group(*parts)


def problem_lines(problems: Sequence[Problem]) -> Text:
    """One ``path:line: reason`` line per problem, as grep and editors expect."""
    text = Text()
    for problem in problems:
        text.append(printable(f"{problem.path}:{problem.line}: "), style=QUIET_STYLE)
        text.append(problem.reason + (" (skipped)" if problem.skipped else ""))
        text.append("\n")
    text.rstrip()
    return text


def _event(event: Event) -> list[RenderableType]:
    heading = Text.assemble((event.date.isoformat(), f"bold {DATE_STYLE}"), "  ")
    heading.append(event.headline, style="bold")
    parts: list[RenderableType] = [heading]
    if event.body:
        parts.append(Padding(Text(event.body), (1, 0, 0, 2), expand=False))
    if event.entities:
        parts.append(_section("Entities", [[Text(", ".join(event.entities), style=ENTITY_STYLE)]]))
    if event.sources:
        parts.append(_section("Sources", [_source(source) for source in event.sources]))
    if event.related:
        parts.append(_section("Related", [_related(link) for link in event.related]))
    return parts


def _section(title: str, rows: list[list[Text]]) -> Group:
    grid = Table.grid(padding=(0, 2))
    for _ in rows[0]:
        grid.add_column()
    grid.columns[-1].ratio = 1
    for row in rows:
        grid.add_row(*row)
    return Group(Text(""), Text(title, style="bold"), Padding(grid, (0, 0, 0, 2), expand=False))


def _source(source: Source) -> list[Text]:
    return [Text(source.title), Text(source.url, style=_link_style(source.url))]


def _related(link: Related) -> list[Text]:
    text = Text(link.headline)
    if link.context:
        text.append(f"  ({', '.join(link.context)})", style=ENTITY_STYLE)
    return [Text(link.date.isoformat(), style=DATE_STYLE), text]


def _link_style(url: str) -> Style:
    # Only web addresses become terminal hyperlinks: a file:// or custom scheme link in a
    # document must not turn into something a click would open.
    if url.lower().startswith(("http://", "https://")):
        return Style(color="blue", link=url)
    return Style(color="blue")


def _table(caption: str) -> Table:
    return Table(caption=caption, caption_justify="left", header_style="bold", expand=False)
