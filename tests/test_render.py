"""The renderables for people: show's sections lay out as a grid would, listings as a Rich
table would, and a long answer is printed as it is made."""

from __future__ import annotations

import io
import re
import string
from collections.abc import Iterator
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from spacenews.cli import app
from spacenews.render import listing as listing_module
from spacenews.render.listing import Column, Listing
from spacenews.render.table import Rows
from spacenews.terminal import print_parts

from .conftest import FIXTURES

_WORDS = st.text(string.ascii_letters + "-", min_size=1, max_size=14)
_CELLS = st.lists(_WORDS, min_size=1, max_size=30).map(" ".join)


def _lines(renderable: RenderableType, width: int) -> list[str]:
    """What the renderable prints, width wide, without colour or trailing spaces."""
    output = io.StringIO()
    Console(file=output, width=width, color_system=None).print(renderable)
    return [line.rstrip() for line in output.getvalue().splitlines()]


def _grid(rows: list[list[Text]]) -> Padding:
    """The layout Rows stands in for: a Rich grid, indented."""
    grid = Table.grid(padding=(0, 2))
    for _ in rows[0]:
        grid.add_column()
    grid.columns[-1].ratio = 1
    for row in rows:
        grid.add_row(*row)
    return Padding(grid, (0, 0, 0, 2), expand=False)


@given(
    st.lists(st.tuples(st.text(string.digits + "-", min_size=1, max_size=10), _CELLS), min_size=1),
    st.integers(min_value=40, max_value=160),
)
def test_rows_beside_short_labels_are_laid_out_as_a_grid(
    rows: list[tuple[str, str]], width: int
) -> None:
    cells = [[Text(label), Text(text)] for label, text in rows]
    assert _lines(Rows(cells), width) == _lines(_grid(cells), width)


@given(st.lists(_CELLS, min_size=1), st.integers(min_value=20, max_value=160))
def test_rows_of_one_cell_are_laid_out_as_a_grid(texts: list[str], width: int) -> None:
    cells = [[Text(text)] for text in texts]
    assert _lines(Rows(cells), width) == _lines(_grid(cells), width)


@given(
    st.lists(st.tuples(_CELLS, _CELLS), min_size=1, max_size=8),
    st.integers(min_value=8, max_value=120),  # below, the indent and gap leave no room
)
def test_rows_never_pass_the_width_nor_lose_a_character(
    rows: list[tuple[str, str]], width: int
) -> None:
    lines = _lines(Rows([[Text(label), Text(text)] for label, text in rows]), width)
    assert all(len(line) <= width for line in lines)
    printed = sorted("".join(lines).replace(" ", ""))
    assert printed == sorted("".join(label + text for label, text in rows).replace(" ", ""))


def test_styles_of_cells_are_kept() -> None:
    output = io.StringIO()
    console = Console(file=output, width=60, color_system="standard", force_terminal=True)
    console.print(Rows([[Text("2016-03-14", style="cyan"), Text("launch", style="bold")]]))
    assert "\x1b[36m2016-03-14" in output.getvalue() and "\x1b[1mlaunch" in output.getvalue()


class _Seen:
    """A part that records what the console had written when it was rendered."""

    def __init__(self, file: io.StringIO, seen: list[str]) -> None:
        self.file, self.seen = file, seen

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        self.seen.append(self.file.getvalue())
        yield Text("later")


def test_a_group_is_written_part_by_part() -> None:
    output = io.StringIO()
    seen: list[str] = []
    print_parts(
        Console(file=output, width=40), Group(Text("first"), _Seen(output, seen)), whole=False
    )
    assert seen == ["first\n"]
    assert output.getvalue() == "first\nlater\n"


_PIECES = st.sampled_from(
    ["Mars", "ESA", "a", "Baikonur,", "Cosmodrome", "2016-03-14", "é", "中文"]
)
_PLAIN = st.lists(_PIECES | _WORDS, max_size=30).map(" ".join)
_SPACED = st.lists(_PIECES | _WORDS | st.sampled_from(["  ", "\n", " "]), max_size=20).map("".join)
_CELL = _PLAIN | _SPACED | _SPACED.map(lambda text: Text(text, style="bold"))
_COLUMNS = st.lists(
    st.builds(
        Column,
        header=st.sampled_from(["Date", "Headline or document", "Via", "Score"]),
        style=st.sampled_from(["", "cyan"]),
        justify=st.sampled_from(["left", "right"]),
        no_wrap=st.booleans(),
        ratio=st.sampled_from([None, None, 1, 2, 3]),
        width=st.sampled_from([None, None, 4, 10]),
        under=st.sampled_from([0, 0, 40, 100]),
    ),
    min_size=1,
    max_size=4,
)


@given(_COLUMNS, st.data(), st.integers(min_value=8, max_value=160), st.booleans())
def test_a_listing_prints_what_a_rich_table_prints(
    columns: list[Column], data: st.DataObject, width: int, lines: bool
) -> None:
    rows = data.draw(st.lists(st.lists(_CELL, min_size=len(columns), max_size=len(columns))))
    listing = Listing(columns, rows, "caption", lines=lines)
    table = Listing(columns, rows, "caption", lines=lines).table(width)
    assert _lines(listing, width) == _lines(table, width)


def test_a_column_of_cells_of_several_lines_is_as_wide_as_their_longest_line() -> None:
    columns = [Column("Via"), Column("Headline", ratio=1)]
    rows = [["alias, context\nmention", "launch"], ["tag", "landing"]]
    listing = Listing(columns, rows, "")
    assert listing.widths(80) is not None
    printed = _lines(listing, 80)
    assert printed == _lines(Listing(columns, rows, "").table(), 80)
    assert printed[3].startswith("│ alias, context │ launch")


def test_a_listing_is_laid_out_by_itself_where_it_fits() -> None:
    # The comparison above is only worth its salt if the listing lays itself out: it does
    # for the tables the commands print, at a terminal's width.
    columns = [Column("Date", no_wrap=True, width=10), Column("Headline", ratio=3)]
    listing = Listing(columns, [["2016-03-14", "launch"]], "1 event")
    assert listing.widths(80) == [12, 65]
    assert Listing(columns, [], "").widths(15) is None  # no room left: a Table lays it out


def test_a_listing_makes_its_rows_as_they_are_lines() -> None:
    made: list[int] = []

    def rows() -> Iterator[list[str]]:
        for number in range(1000):
            made.append(number)
            yield ["2016-03-14", f"event {number}"]

    columns = [Column("Date", no_wrap=True, width=10), Column("Headline", ratio=1)]
    parts = Listing(columns, rows(), "1000 events").parts()
    output = io.StringIO()
    console = Console(file=output, width=60, color_system=None)
    console.print(next(parts))  # the head
    console.print(next(parts))  # the first rows
    assert len(made) == listing_module.ROWS_PER_PART
    assert "event 0" in output.getvalue() and "event 999" not in output.getvalue()
    for part in parts:
        console.print(part)
    assert len(made) == 1000 and output.getvalue().rstrip().endswith("1000 events")


def test_text_in_a_listing_is_never_markup() -> None:
    columns = [Column("Headline", ratio=1)]
    for text in ("[bold]Boom[/]", "[bold]Boöm[/]"):  # laid out at once, then by wrapping
        listing = Listing(columns, [[text]], "")
        assert any(text in line for line in _lines(listing, 60))
        assert any(text in line for line in _lines(Listing(columns, [[text]], "").table(), 60))


def test_a_timeline_dates_column_is_as_wide_as_its_widest_date() -> None:
    # Known before a row is made: a day for an event, a mention's own precision for it.
    runner = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1", "SPACENEWS_CORPUS": None})
    only_a_year = runner.invoke(app, ["timeline", "2003", "--mentions", "--entity", "red planet"])
    assert only_a_year.stdout.splitlines()[3].startswith("│ 2003 │ mentioned: Launched in 2003")
    with_events = runner.invoke(app, ["timeline", "2003", "--mentions"])
    assert with_events.stdout.splitlines()[3].startswith("│ 2003       │ mentioned:")


def test_plain_counts_and_captions() -> None:
    from datetime import date

    from spacenews.render.plain import caption, plural

    assert plural(1, "entity", "entities") == "1 entity"
    assert plural(0, "entity", "entities") == "0 entities"
    assert plural(2, "event") == "2 events"
    assert caption(3, "event") == "3 events"
    assert (
        caption(1, "item", date(2016, 1, 1), date(2016, 12, 31))
        == "1 item, 2016-01-01 to 2016-12-31"
    )
    assert caption(2, "event", None, date(2014, 4, 30)) == "2 events, … to 2014-04-30"
    assert caption(2, "event", date(2016, 3, 14), date(2016, 3, 14)) == "2 events, 2016-03-14"
    assert caption(1, "item", matched=5) == "1 of 5 items"
    assert caption(5, "item", matched=5) == caption(5, "item", matched=None) == "5 items"


def test_text_written_without_spaces_wraps_whole() -> None:
    # Rich takes a run of CJK characters for one word, and cut it short at the column's width
    # ("…轨道 …"): it is folded between characters instead, as such text may be.
    runner = CliRunner(env={"COLUMNS": "90", "NO_COLOR": "1", "SPACENEWS_CORPUS": None})
    page = FIXTURES / "parse" / "event_page_zh.md"
    shown = runner.invoke(app, ["--corpus", str(page), "timeline", "2016-03-14"]).stdout
    assert "…" not in shown
    cells = [line.split("│")[2].strip() for line in shown.splitlines() if line.startswith("│")]
    headline = "欧洲太空总署与俄罗斯联邦航天局联合研制的ExoMars微量气体轨道器"
    headline += "从哈萨克斯坦拜科努尔航天发射场升空。"
    assert "".join(cells) == headline and len(cells) > 1


def test_a_secondary_column_goes_under_the_one_before_on_a_narrow_terminal() -> None:
    columns = [
        Column("Date", no_wrap=True, width=10),
        Column("Headline", ratio=3),
        Column("Entities", "green", ratio=1, under=80),
    ]
    rows = [["2016-03-14", "ExoMars lifts off", "ESA, Roscosmos"], ["2016-10-19", "Landing", ""]]
    narrow = _lines(Listing(columns, rows, ""), 79)
    assert narrow[1:3] == [
        "┃            ┃ Headline" + " " * 55 + "┃",
        "┃ Date       ┃ Entities" + " " * 55 + "┃",
    ]
    assert [line[15:35].rstrip() for line in narrow[4:7]] == [
        "ExoMars lifts off",
        "ESA, Roscosmos",
        "Landing",
    ]
    wide = _lines(Listing(columns, rows, ""), 80)
    assert "┃ Date       ┃ Headline" in wide[1] and "┃ Entities" in wide[1] and len(wide) == 6
    # In the column's style, under the other's own.
    output = io.StringIO()
    console = Console(file=output, width=60, force_terminal=True, color_system="standard")
    console.print(Listing(columns, [["2016-03-14", Text("Lift-off", style="bold"), "ESA"]], ""))
    assert "\x1b[1mLift-off" in output.getvalue() and "\x1b[32mESA" in output.getvalue()
    # A column without a style of its own is in the terminal's: not the other column's green.
    columns = [Column("Entity", "green", ratio=2), Column("Aliases", ratio=2, under=80)]
    output = io.StringIO()
    console = Console(file=output, width=60, force_terminal=True, color_system="standard")
    console.print(Listing(columns, [["Cape Canaveral", "CCSFS"]], ""))
    assert "\x1b[39mCCSFS" in output.getvalue()


def test_a_measured_column_is_as_wide_as_the_cells_set_under_it() -> None:
    columns = [
        Column("Name", ratio=1),
        Column("First", no_wrap=True),
        Column("Last", no_wrap=True, under=50),
    ]
    rows = [["Sputnik", "1957", "1962-12-13"]]
    assert Listing(columns, rows, "").widths(49)[1:] == [12]  # type: ignore[index]
    assert Listing(columns, rows, "").widths(50)[1:] == [7, 12]  # type: ignore[index]


def test_a_chart_shows_every_period_that_has_items_with_a_bar() -> None:
    from rich.console import Console

    from spacenews.listing import Count
    from spacenews.render.table import bar_chart

    console = Console(width=80, record=True, color_system=None)
    console.print(bar_chart([Count("2001", 1), Count("2002", 0), Count("2003", 400)], "c"))
    bars = [line.count("█") for line in console.export_text().splitlines() if "│" in line]
    assert bars == [1, 0, 40]  # 1 of 400 still shows; none shows nothing


def test_related_sets_why_under_the_headline_on_a_narrow_terminal() -> None:
    # Found by a newcomer's try-out: at 60 columns "alias, context, mention" kept 25 of them
    # and squeezed the headline to 17, a row of 20 lines.
    runner = CliRunner(env={"COLUMNS": "60", "NO_COLOR": "1", "SPACENEWS_CORPUS": None})
    table = runner.invoke(app, ["related", "roscosmos"]).stdout
    assert "┃ Via " in table and "│            │ alias, context, mention" in table
    assert table.splitlines()[0].count("┳") == 1  # two columns: Date, then headline and why


_HAN = st.sampled_from(list("欧洲太空总署与俄罗斯联邦航天局火星"))
_LATIN = st.sampled_from(["ExoMars火", "TMA-19M号", "ESA的", "2016年"])  # written so
_MARKS = st.sampled_from(["。", "，", "」", "「"])
_UNSPACED = st.lists(_HAN | _HAN | _HAN | _LATIN | _MARKS | st.just(", "), min_size=1, max_size=60)


@given(_UNSPACED, st.integers(min_value=10, max_value=40), st.sampled_from(["", " ", "   "]))
def test_text_written_without_spaces_breaks_between_its_characters_not_inside_a_word(
    pieces: list[str], width: int, indent: str
) -> None:
    # Found by a newcomer's try-out: at 60 columns a timeline showed "…联合研制的Exo" on one
    # line and "Mars微量气体…" on the next.
    from rich.console import Console

    from spacenews.render.listing import unspaced

    text = indent + "火" + "".join(pieces)
    console = Console(width=80, color_system=None)
    lines = [line.plain for line in unspaced(Text(text)).wrap(console, width)]
    assert all(line.strip() for line in lines)  # no line left empty by a break
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost or added
    for line in lines:  # a word of another script whole
        assert not re.search(r"^(?:xoMars|oMars|Mars|ars|rs|MA-19M|19M|SA|016)", line)
        assert not re.search(r"(?:Ex|Exo|ExoM|ExoMa|ExoMar|TMA|E|201)$", line)
    # Nor a stop after a break between characters (where the character and its stops fit).
    if not re.search(r"(?:^|\s)[。，」]|「(?:\s|$)|[。，」「]{3}", text):
        assert not any(line.startswith(("。", "，", "」")) for line in lines[1:])
        assert not any(line.endswith("「") for line in lines[:-1])
    if ", " in text:  # names break at the spaces between them, where each fits a line
        names = [name for name in re.split(r", ", text) if name and cell_len(name) <= width - 1]
        assert all(any(name in line for line in lines) for name in names)


def test_show_breaks_a_headline_written_without_spaces_between_its_characters() -> None:
    zh = str(Path(__file__).parent / "fixtures" / "parse" / "event_page_zh.md")
    for width in range(30, 61, 3):
        runner = CliRunner(env={"COLUMNS": str(width), "NO_COLOR": "1"})
        shown = runner.invoke(app, ["--corpus", zh, "show", "2016-03-14"]).stdout
        assert "ExoMars" in shown and "歐洲太空總署" in shown, width  # heading; Entities
    rows = Rows([[Text("欧洲太空总署与俄罗斯联邦航天局联合研制的ExoMars微量气体轨道器")]])
    for width in range(12, 40):
        console = Console(width=width, record=True, color_system=None)
        console.print(rows)
        assert "ExoMars" in console.export_text(), width


_PROBES = [Column("Date", width=10), Column("Headline", ratio=3), Column("Entities", ratio=1)]


def test_a_column_of_short_cells_gives_its_room_to_one_whose_cells_wrap() -> None:
    rows = [
        ["1977-08-20", "Voyager 2", "NASA, Jet Propulsion Laboratory, the outer solar system"],
        ["1994-11-01", "Wind", "NASA, a halo orbit at the Earth-Sun L1 point, Dünya-Güneş L1"],
    ]
    listing = Listing(_PROBES, rows, "")
    # The headlines need 9 of the 3/4 of 84 their ratio gives them: the entities take it.
    assert listing.widths(100) == [12, 11, 73]
    printed = _lines(listing, 100)
    assert printed[3] == f"│ 1977-08-20 │ Voyager 2 │ {rows[0][2]:<71} │"
    assert printed == _lines(Listing(_PROBES, rows, "").table(100), 100)


def test_columns_whose_cells_all_wrap_keep_their_ratios() -> None:
    rows = [["2016-03-14", "ExoMars launches " * 8, "European Space Agency, Roscosmos " * 3]]
    table = Table(expand=True, header_style="bold")
    for column in _PROBES:
        table.add_column(column.header, ratio=column.ratio, width=column.width)
    table.add_row(*rows[0])
    assert Listing(_PROBES, rows, "").widths(100) == [12, 63, 21]
    assert _lines(Listing(_PROBES, rows, ""), 100) == _lines(table, 100)


def test_a_column_set_under_another_needs_the_room_of_its_cells_there() -> None:
    columns = [Column("A", ratio=1), Column("B", ratio=1, under=60), Column("C", ratio=1)]
    rows = [["x", "a long line of words here", "another long line of words here too"]]
    # At 50, B is set under A: A's one letter does not leave B's words too little room.
    assert Listing(columns, rows, "").widths(50) == [24, 23]
    assert Listing(columns, [["x", "b", rows[0][2]]], "").widths(50) == [3, 44]


def test_entities_sets_docs_under_events_on_a_narrow_terminal() -> None:
    # Found by a newcomer's try-out: at 40 columns the counts kept 8 and 6 of them and the
    # names were cut to "Europe…".
    runner = CliRunner(env={"COLUMNS": "40", "NO_COLOR": "1", "SPACENEWS_CORPUS": None})
    table = runner.invoke(app, ["entities", "--limit", "1"]).stdout.splitlines()
    assert table[1:3] == [
        "┃ Entity         ┃ Events ┃ First      ┃",
        "┃ Aliases        ┃   Docs ┃ Last       ┃",
    ]
    assert table[4] == "│ European Space │      7 │ 2003-06-02 │"
    assert table[5] == "│ Agency         │      2 │ 2016-10-16 │"
