"""Plain text for people, without Rich (cheap to import at start-up): counts with their noun,
and what the cache holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spacenews.dates import Range

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path


def plural(count: int, noun: str, nouns: str = "") -> str:
    """count noun, or count nouns (noun + s unless told)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def caption(count: int, noun: str, start: date | None = None, end: date | None = None) -> str:
    """A count of results, and the days they were chosen from when those have a bound."""
    text = plural(count, noun)
    if start or end:
        text += f", {Range(start, end)}"
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
            lines.append(f"{roots}: {plural(row['files'], 'file')}, {where}")
    return "".join(line + "\n" for line in lines)
