"""Plain text for people, without Rich (cheap to import at start-up): counts with their noun,
and what the cache holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spacenews.dates import Range

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date
    from pathlib import Path

    from spacenews.listing import Count


def plural(count: int, noun: str, nouns: str = "") -> str:
    """count noun, or count nouns (noun + s unless told)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def caption(
    count: int,
    noun: str,
    start: date | None = None,
    end: date | None = None,
    matched: int | None = None,
) -> str:
    """A count of results (``5 of 736 events`` when a limit left out some of those matched),
    and the days they were chosen from when those have a bound."""
    text = plural(count, noun)
    if matched is not None and matched > count:
        text = f"{count} of {plural(matched, noun)}"
    if start or end:
        text += f", {Range(start, end)}"
    return text


def chart_caption(counts: Sequence[Count], noun: str, by: str) -> str:
    """What a chart counted: ``10 events by month, 2016-01 to 2016-12`` (not "per", which
    reads as a rate)."""
    text = f"{plural(sum(count.total for count in counts), noun)} by {by}"
    periods = sorted(count.period for count in counts)
    if periods:
        text += f", {periods[0]}" + (f" to {periods[-1]}" if len(periods) > 1 else "")
    return text


def cache_lines(folder: Path, rows: list[dict[str, Any]]) -> str:
    """The cache folder, then a line for each index database it holds (``describe``'s rows).
    A database names paths, maybe another's: every one is made printable."""
    from spacenews.text import printable

    lines = [f"folder: {printable(str(folder))}"]
    for row in rows:
        where = f"{row['bytes']} bytes ({printable(row['path'])})"
        if row["files"] is None:
            lines.append(f"unreadable index: {where}")
        else:
            roots = ", ".join(printable(root) for root in row["roots"])
            gone = ", its corpus paths are gone" if row["gone"] else ""
            lines.append(f"{roots}: {plural(row['files'], 'file')}, {where}{gone}")
    return "".join(line + "\n" for line in lines)
