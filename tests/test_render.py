"""The renderables for people: show's sections lay out as a grid would, and a long answer is
printed as it is made."""

from __future__ import annotations

import io
import string

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from spacenews.cli import _print
from spacenews.render.table import _Rows

_WORDS = st.text(string.ascii_letters + "-", min_size=1, max_size=14)
_CELLS = st.lists(_WORDS, min_size=1, max_size=30).map(" ".join)


def _lines(renderable: Padding | _Rows, width: int) -> list[str]:
    output = io.StringIO()
    Console(file=output, width=width, color_system=None).print(renderable)
    return [line.rstrip() for line in output.getvalue().splitlines()]


def _grid(rows: list[list[Text]]) -> Padding:
    """What show's sections used to be: a Rich grid, indented."""
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
    assert _lines(_Rows(cells), width) == _lines(_grid(cells), width)


@given(st.lists(_CELLS, min_size=1), st.integers(min_value=20, max_value=160))
def test_rows_of_one_cell_are_laid_out_as_a_grid(texts: list[str], width: int) -> None:
    cells = [[Text(text)] for text in texts]
    assert _lines(_Rows(cells), width) == _lines(_grid(cells), width)


@given(
    st.lists(st.tuples(_CELLS, _CELLS), min_size=1, max_size=8),
    st.integers(min_value=8, max_value=120),  # below, the indent and gap leave no room
)
def test_rows_never_pass_the_width_nor_lose_a_character(
    rows: list[tuple[str, str]], width: int
) -> None:
    lines = _lines(_Rows([[Text(label), Text(text)] for label, text in rows]), width)
    assert all(len(line) <= width for line in lines)
    printed = sorted("".join(lines).replace(" ", ""))
    assert printed == sorted("".join(label + text for label, text in rows).replace(" ", ""))


def test_styles_of_cells_are_kept() -> None:
    output = io.StringIO()
    console = Console(file=output, width=60, color_system="standard", force_terminal=True)
    console.print(_Rows([[Text("2016-03-14", style="cyan"), Text("launch", style="bold")]]))
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
    _print(Console(file=output, width=40), Group(Text("first"), _Seen(output, seen)), whole=False)
    assert seen == ["first\n"]
    assert output.getvalue() == "first\nlater\n"
