"""Long tables: laid out as Rich lays out a table, but a row at a time, and printed as they go.

Rich's Table measures every cell, then renders each through several layers, and prints
nothing until the last row is laid out: a long timeline would wait seconds for its first
line. A Listing sizes its columns once, from the console's
width and the cells' plain text, lays out each row's lines itself in the same box, and
comes in parts that are printed one after another. The text is a Table's (the tests hold it
to that); where the columns cannot fit as a Table would fit them, a Table is printed.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from math import ceil
from typing import Literal, NamedTuple

from rich import box
from rich.cells import cell_len
from rich.console import (
    Console,
    ConsoleOptions,
    JustifyMethod,
    OverflowMethod,
    RenderableType,
    RenderResult,
)
from rich.containers import Lines
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from spacenews.text import has_cjk

ROWS_PER_PART = 200  # rows laid out and printed at a time
PADDING = 1  # spaces on each side of a cell, as in a Table


class Column(NamedTuple):
    """A column: its header, the style of its cells, and how it lays them out."""

    header: str
    style: str = ""
    justify: Literal["left", "right"] = "left"
    no_wrap: bool = False
    ratio: int | None = None  # a share of the width the other columns leave
    width: int | None = None  # for a column with no ratio: its cells' width, when known
    # Narrower than this, the listing sets the column's cells (and header) under those of
    # the column before it, in its style, rather than squeeze both (0: never).
    under: int = 0


class Listing:
    """A table of rows, in a Table's box, a line between rows when lines is set (rows of
    several lines read better apart).

    The rows may come one by one (any iterable): each is made when its part is printed,
    and let go after, as long as every column has a ratio or a width. A column with
    neither is as wide as its widest cell, so the rows are all made first to measure it.
    A listing is printed once.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Text | str]],
        caption: str,
        *,
        lines: bool = False,
    ) -> None:
        self._given = list(columns)
        self._widest_under = max((column.under for column in self._given[1:]), default=0)
        self.caption = caption
        self.lines = lines
        # The widest cell of each column (its header's too), for those measured: a column
        # without a ratio nor a width, and those that may be set under one.
        self._widest: dict[int, int] = {}
        measured = [
            n for n, column in enumerate(columns) if column.ratio is None and column.width is None
        ]
        if measured:
            rows = list(rows)
            for n, column in enumerate(columns):
                if n in measured or (n and column.under):
                    cells = (_text(row[n]) for row in rows)
                    self._widest[n] = max([cell_len(column.header), *map(widest, cells)])
        # The widest cell of each column with a ratio among the first rows, when several
        # have one: a column whose cells are all narrower than its share gives the rest up.
        self._needs: dict[int, int] = {}
        if sum(column.ratio is not None for column in columns) > 1:
            rows = iter(rows)
            first = list(islice(rows, ROWS_PER_PART))
            for n, column in enumerate(columns):
                if column.ratio is not None or (n and column.under):
                    cells = (_text(row[n]) for row in first)
                    self._needs[n] = max([cell_len(column.header), *map(widest, cells)])
            rows = chain(first, rows)
        self._rows = iter(rows)
        self._widths: dict[int, list[int] | None] = {}  # max width -> the columns' widths
        self.started = False  # whether a row was printed

    def shown(self, max_width: int, measure: bool = True) -> list[Column]:
        """The columns as printed at this width: each with those set under it (see
        Column.under) in its header, and as wide as its widest cell and theirs when it is
        measured (unless not measure: a Table measures its own)."""
        kept: list[tuple[Column, int | None]] = []
        needs: list[int] = []  # the widest cell of each, and of those set under it
        for number, column in enumerate(self._given):
            need = self._needs.get(number, 0)
            if number and max_width < column.under:
                above, width = kept[-1]
                header = f"{above.header}\n{column.header}"
                if width is not None:  # measured: as wide as the cells under it too
                    width = max(width, self._widest[number])
                kept[-1] = (above._replace(header=header), width)
                needs[-1] = max(needs[-1], need)
            else:
                measured = column.ratio is None and column.width is None
                kept.append((column, self._widest.get(number) if measured else None))
                needs.append(need)
        columns = [
            column if width is None else column._replace(width=width) for column, width in kept
        ]
        ratios = self._fitted(columns, needs, max_width) if self._needs else None
        return [
            column._replace(
                width=column.width if measure or width is None else given.width,
                ratio=column.ratio if ratios is None or column.ratio is None else ratios[n],
            )
            for n, (column, (given, width)) in enumerate(zip(columns, kept, strict=True))
        ]

    @staticmethod
    def _fitted(columns: list[Column], needs: list[int], max_width: int) -> list[int] | None:
        """Ratios for the columns that share the room out as theirs do, but that give none
        more than its widest cell needs while another needs more: its spare goes to those,
        by their ratios. None when the room is too little to share (see _share_room)."""
        room = _flexible(columns, max_width - len(columns) - 1)
        least = 1 + 2 * PADDING
        ratios = [column.ratio or 0 for column in columns]
        widths = list(ratios)
        open_ = [n for n, ratio in enumerate(ratios) if ratio]
        if room < least * len(open_):
            return None
        while open_:
            shares = _distribute(room, [ratios[n] for n in open_], least)
            fit = [
                n for n, share in zip(open_, shares, strict=True) if needs[n] + 2 * PADDING <= share
            ]
            if not fit or len(fit) == len(open_):  # all short of room, or all with room
                for n, share in zip(open_, shares, strict=True):
                    widths[n] = share
                break
            for n in fit:
                widths[n] = needs[n] + 2 * PADDING
                room -= widths[n]
            open_ = [n for n in open_ if n not in fit]
        return widths

    def row(self, cells: Sequence[Text | str], max_width: int) -> list[Text | str]:
        """A row as printed at this width: a column's cell under the one before when the
        column is set under it, in the column's style."""
        if max_width >= self._widest_under:  # as wide as no column goes under another
            return list(cells)
        laid: list[Text | str] = []
        for number, (cell, column) in enumerate(zip(cells, self._given, strict=True)):
            if not number or max_width >= column.under:
                laid.append(cell)
                continue
            below = _text(cell).copy()
            if below.plain:
                # Its own style, or the terminal's: not that of the column it is set in.
                below.stylize_before(column.style or "default")
                laid[-1] = Text.assemble(_text(laid[-1]), "\n", below)
        return laid

    def parts(self) -> Iterator[RenderableType]:
        """The listing in parts, to be printed one after another: its head, its rows a few
        hundred at a time (made as they are asked for), its foot."""
        yield _Part(self, "head")
        while block := list(islice(self._rows, ROWS_PER_PART)):
            yield _Part(self, "rows", block)
        yield _Part(self, "foot")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.parts()

    def table(self, max_width: int = 0) -> Table:
        """The rows not printed yet, as a Rich Table, its columns as shown at this width (0:
        the widest, each column on its own)."""
        table = Table(
            caption=self.caption,
            caption_justify="left",
            header_style="bold",
            expand=True,
            show_lines=self.lines,
        )
        # (Widths measured here are the Table's to measure.)
        for column in self.shown(max_width or sys.maxsize, measure=False):
            table.add_column(
                column.header,
                style=column.style or None,
                justify=column.justify,
                no_wrap=column.no_wrap,
                ratio=column.ratio,
                width=column.width if column.ratio is None else None,
            )
        for row in self._rows:
            table.add_row(*map(_text, self.row(row, max_width or sys.maxsize)))  # never markup
        return table

    def widths(self, max_width: int) -> list[int] | None:
        """Each column's width, padding included, as a Table with expand set gives them;
        None when the columns without a ratio leave too little room for those with one."""
        if max_width not in self._widths:
            columns = self.shown(max_width)
            self._widths[max_width] = self._share_room(columns, max_width - len(columns) - 1)
        return self._widths[max_width]

    @staticmethod
    def _share_room(columns: list[Column], room: int) -> list[int] | None:
        ratios = [column.ratio for column in columns if column.ratio]
        fixed = [(column.width or 0) + 2 * PADDING for column in columns if not column.ratio]
        flexible = _flexible(columns, room)
        least = 1 + 2 * PADDING
        if not ratios or flexible < least * len(ratios):
            return None
        shared = _distribute(flexible, ratios, least)
        if sum(shared) > flexible:  # the least shares took more than there is
            return None
        shares, widths = iter(shared), iter(fixed)
        return [next(shares) if column.ratio else next(widths) for column in columns]


class _Part:
    """One part of a listing: its head (top edge and headers), a block of its rows, or its
    foot (bottom edge and caption)."""

    def __init__(
        self,
        listing: Listing,
        kind: Literal["head", "rows", "foot"],
        rows: Sequence[Sequence[Text | str]] = (),
    ) -> None:
        self.listing, self.kind, self.rows = listing, kind, rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        listing = self.listing
        widths = listing.widths(options.max_width)
        if widths is None:  # too narrow to share out: a Table, whole, from the head
            if self.kind == "head":
                yield listing.table(options.max_width)
            return
        columns = listing.shown(options.max_width)
        edges = box.HEAVY_HEAD.substitute(options, safe=console.safe_box)
        if self.kind == "head":
            yield Segment(edges.get_top(widths) + "\n")
            headers = [column.header for column in columns]
            sides = (edges.head_left, edges.head_vertical, edges.head_right)
            bold = [console.get_style("bold")] * len(widths)
            yield from _row(console, columns, widths, bold, headers, sides, head=True)
            yield Segment(edges.get_row(widths, "head") + "\n")
        elif self.kind == "rows":
            # A Table draws its last row with the box's foot sides: in every box it may
            # use (this one, and the ASCII and Windows ones it may become) they are these.
            sides = (edges.mid_left, edges.mid_vertical, edges.mid_right)
            styles = [console.get_style(column.style) for column in columns]
            for number, row in enumerate(self.rows):
                if listing.lines and (number or listing.started):
                    yield Segment(edges.get_row(widths, "row") + "\n")
                cells = listing.row(row, options.max_width)
                yield from _row(console, columns, widths, styles, cells, sides)
            listing.started = True
        else:
            yield Segment(edges.get_bottom(widths) + "\n")
            if listing.caption:
                caption = Text(listing.caption, style="table.caption")
                width = sum(widths) + len(widths) + 1
                for line in caption.wrap(console, width, justify="left"):
                    yield from render_line(console, line)
                    yield Segment.line()


def _row(
    console: Console,
    columns: Sequence[Column],
    widths: list[int],
    styles: list[Style],
    cells: Sequence[Text | str],
    sides: tuple[str, str, str],
    *,
    head: bool = False,
) -> Iterator[Segment]:
    """The lines of one row: each cell wrapped in its column and padded, in its style,
    between borders. Headers line up at the bottom, cells at the top."""
    laid = [
        _cell(console, cell, column, width, style)
        for cell, column, width, style in zip(cells, columns, widths, styles, strict=True)
    ]
    height = max(map(len, laid))
    left, vertical, right = (Segment(side) for side in sides)
    merge = console.color_system is None  # no styles to print: a line is one segment
    for number in range(height):
        line = [left]
        for n, lines in enumerate(laid):
            if n:
                line.append(vertical)
            index = number - (height - len(lines) if head else 0)
            if 0 <= index < len(lines):
                line += lines[index]
            else:
                line.append(Segment(" " * widths[n], styles[n]))
        line.append(right)
        if merge:
            yield Segment("".join(segment.text for segment in line) + "\n")
        else:
            yield from line
            yield Segment.line()


def _cell(
    console: Console, cell: Text | str, column: Column, width: int, style: Style
) -> list[list[Segment]]:
    """The lines of a cell, each padded to the column's width, in the cell's style (a
    string is plain text, never markup)."""
    inner = width - 2 * PADDING
    pad = " " * PADDING
    text, spans = (cell, False) if isinstance(cell, str) else (cell.plain, bool(cell.spans))
    if not spans and (plain := _plain_lines(text, inner, column)) is not None:
        # The common case, plain words in one style: what wrapping gives, made at once.
        if isinstance(cell, Text) and cell.style:
            style = style + console.get_style(cell.style)
        if column.justify == "right":
            return [[Segment(f"{pad}{line:>{inner}}{pad}", style)] for line in plain]
        return [[Segment(f"{pad}{line:<{inner}}{pad}", style)] for line in plain]
    whole = _text(cell)
    overflow = whole.overflow or "ellipsis"  # as a Table has it: the text's own first
    wrapped = whole.wrap(
        console, inner, justify=column.justify, overflow=overflow, no_wrap=column.no_wrap
    )
    return [
        [
            Segment(pad, style),
            *Segment.apply_style(render_line(console, line), style),
            Segment(" " * (inner - cell_len(line.plain)) + pad, style),
        ]
        for line in wrapped
    ]


class _Unspaced(Text):
    """Text written without spaces (CJK), which Rich takes for one word and folds anywhere.
    Here a line breaks at a space where it can, as Rich breaks one; a word longer than a
    line (a sentence written without spaces) breaks between two of its characters, as such
    text may, but not inside a word of another script ("ExoMars" in 微量ExoMars轨道 stays
    whole); what is still longer than a line is folded, as Rich folds it."""

    def wrap(
        self,
        console: Console,
        width: int,
        *,
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        tab_size: int = 8,
        no_wrap: bool | None = None,
    ) -> Lines:
        if no_wrap or (no_wrap is None and self.no_wrap):
            return super().wrap(console, width, justify=justify, overflow=overflow, no_wrap=True)
        lines = Lines()
        for line in self.split("\n", allow_blank=True):
            cuts: list[int] = []
            used, spaces = 0, 0  # cells of the line so far, and of the spaces after them
            words = False  # whether the line holds a word yet (or only spaces that indent it)
            for word in _WORD.finditer(line.plain):
                size = cell_len(word.group())
                if word.group().isspace():
                    spaces += size
                elif used + spaces + size <= width:
                    used, spaces, words = used + spaces + size, 0, True
                elif words and size <= width:  # on a line of its own
                    cuts.append(word.start())
                    used, spaces = size, 0
                else:  # a sentence: its characters fill the line, then the next ones
                    used, spaces = used + spaces, 0
                    for atom in _unspaced_atoms().finditer(word.group()):
                        size = cell_len(atom.group())
                        if words and used + size > width:
                            cuts.append(word.start() + atom.start())
                            used = 0
                        used, words = used + size, True
            for piece in line.divide(cuts):
                piece.rstrip()
                lines.extend(Text.wrap(piece, console, width, justify=justify, overflow="fold"))
        return lines


_WORD = re.compile(r"\S+|\s+")


@functools.cache
def _unspaced_atoms() -> re.Pattern[str]:
    """What a word of text written without spaces breaks between: each of its characters
    with the punctuation that may not start a line after it (。 」) and that may not end one
    before it (「), as CJK typography breaks lines; each run of other characters."""
    from spacenews.text import CJK_CHARS

    around = f"[{_OPENING}]*[{CJK_CHARS}][{_CLOSING}]*"
    return re.compile(f"{around}|[^{CJK_CHARS}]+")


_OPENING = "（「『【〔〈《〖［｛"  # no line ends with these
_CLOSING = "。，、．！？）」』】〕〉》〗］｝：；・ー々〜"  # nor starts


def render_line(console: Console, line: Text) -> Iterator[Segment]:
    """A line of text, its own style under its spans' (Text.render leaves it out)."""
    if not line.style:
        return iter(line.render(console))
    return iter(Segment.apply_style(line.render(console), console.get_style(line.style)))


def _plain_lines(plain: str, width: int, column: Column) -> list[str] | None:
    """The lines Rich wraps a text of printable ASCII into, each as long as it is wide;
    None for any other text, or one with a word too long for a line (Rich cuts those).

    In such a text only spaces part words. Rich breaks a line before the first word that
    would end past the width: just after the last space at or before it."""
    if not (plain.isascii() and plain.isprintable()):
        return None
    if len(plain) <= width:
        return [plain.rstrip() if column.justify == "right" else plain]
    if column.no_wrap or column.justify != "left":
        return None
    lines: list[str] = []
    start, end = 0, len(plain.rstrip())  # spaces at the very end never make a line
    while end - start > width:
        space = plain.rfind(" ", start, start + width + 1)
        if space == -1 or plain[start:space].isspace() or space == start:
            return None  # a word longer than a line
        after = space + 1
        while plain[after] == " ":
            after += 1
        lines.append(plain[start:after])
        start = after
    lines.append(plain[start:])
    # White space past the width is cut from the end of a line, as Text.rstrip_end does.
    return [line[: max(width, len(line.rstrip()))] for line in lines]


def _text(cell: Text | str) -> Text:
    """The cell as Text. Text written without spaces (CJK) is one word to Rich, cut short at
    the column's width: it is folded instead, as such text may break between characters."""
    return unspaced(Text(cell) if isinstance(cell, str) else cell)


def unspaced(text: Text) -> Text:
    """The text, wrapped as text written without spaces is (see _Unspaced) when it holds
    some; not one that says how it overflows."""
    if text.overflow is not None or not has_cjk(text.plain):
        return text
    return _Unspaced(
        text.plain,
        text.style,
        justify=text.justify,
        overflow="fold",
        no_wrap=text.no_wrap,
        end=text.end,
        spans=text.spans,
    )


def widest(cell: Text) -> int:
    """The width of a cell's longest line."""
    plain = cell.plain
    return cell_len(plain) if "\n" not in plain else max(map(cell_len, plain.split("\n")))


def _flexible(columns: list[Column], room: int) -> int:
    """What the columns with a ratio share of the room: what those without leave."""
    return room - sum((c.width or 0) + 2 * PADDING for c in columns if not c.ratio)


def _distribute(total: int, ratios: list[int], least: int) -> list[int]:
    """total shared out by ratio, each share at least least, as Rich shares out a table."""
    shares = []
    left, weight = total, sum(ratios)
    for ratio in ratios:
        share = max(least, ceil(ratio * left / weight)) if weight > 0 else left
        shares.append(share)
        weight -= ratio
        left -= share
    return shares
