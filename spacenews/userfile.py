"""A corpus root's own spacenews.toml: its alias table, its front-matter fields and what
its walk leaves out, each mistake in it a problem that check lists."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacenews.model import Problem
from spacenews.walk import NOTHING, USER_FILE, Exclude

if TYPE_CHECKING:
    from spacenews.entities import AliasTable
    from spacenews.parse.fields import Fields


def _line_of(reason: str, data: bytes) -> int:
    """The line a TOML error is at, as tomllib says it (its lineno is Python 3.14's): "(at
    line 3, column 9)", or the last line for "(at end of document)"; 0 when it says none."""
    import re

    found = re.search(r"\(at line (\d+), column \d+\)", reason)
    if found:
        return int(found[1])
    return data.count(b"\n") + (not data.endswith(b"\n")) if "end of document" in reason else 0


def read_user_file(
    path: Path, problems: list[Problem]
) -> tuple[AliasTable | None, Fields | None, Exclude]:
    """A spacenews.toml's alias table, fields and exclude, each None (NOTHING) when it
    cannot be used (which problems are told)."""
    import tomllib

    from spacenews.entities import AliasFileError, alias_table_of
    from spacenews.parse.fields import FieldsError, fields_of

    table = settings = None
    data = b""
    try:
        data = path.read_bytes()
        document = tomllib.loads(data.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        problems.append(Problem(USER_FILE, _line_of(str(error), data), f"not used: {error}"))
        return None, None, NOTHING
    problems += (Problem(USER_FILE, 0, reason) for reason in _unread_keys(document))
    try:
        table = alias_table_of(_without_top_keys(document))
        problems += (Problem(USER_FILE, 0, reason) for reason in _doubtful_names(table))
    except AliasFileError as error:
        problems.append(Problem(USER_FILE, 0, f"alias file not used: {error}"))
    if "frontmatter" in document:
        try:
            settings, reasons = fields_of(document["frontmatter"])
            problems += (Problem(USER_FILE, 0, reason) for reason in reasons)
        except FieldsError as error:
            problems.append(Problem(USER_FILE, 0, f"{error}: the defaults are used"))
    patterns = document.get("exclude", [])
    if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
        problems.append(Problem(USER_FILE, 0, "exclude must be a list of patterns: not used"))
        return table, settings, NOTHING
    return table, settings, Exclude.of(patterns)


def _doubtful_names(table: AliasTable) -> list[str]:
    """What check says of names that cannot be what their writer meant: an empty one, which
    names nothing, and one given to two entities, which only the first keeps."""
    from spacenews.text import fold

    reasons: list[str] = []
    owners: dict[str, str] = {}  # folded name or alias -> the entity it names first
    for section, entries in (("aliases", table.aliases), ("parts", table.parts)):
        for name, others in entries.items():
            if not fold(name) or not all(map(fold, others)):
                reasons.append(f"[{section}] {name!r}: an empty name names nothing")
    for name, others in table.aliases.items():
        for spelling in (name, *others):
            owner = owners.setdefault(fold(spelling), name)
            if fold(owner) != fold(name) and fold(spelling):
                reasons.append(
                    f"[aliases] {spelling!r} is a name of {owner!r} and of {name!r}:"
                    f" {owner!r}, written first, keeps it"
                )
    return reasons


_USER_TABLES = ("aliases", "parts", "frontmatter")  # the tables a spacenews.toml may hold


def _unread_keys(document: dict[str, Any]) -> list[str]:
    """Why each key of a spacenews.toml that nothing reads is not read: one unknown at its
    top level, or one of the top level that TOML read into [aliases] or [parts], the table
    written above it."""
    from spacenews.parse.fields import TOP_KEYS, no_key
    from spacenews.text import printable

    known = ", ".join((*TOP_KEYS, *(f"[{name}]" for name in _USER_TABLES)))
    reasons = []
    for key, value in document.items():
        if key not in _USER_TABLES and key not in TOP_KEYS:
            what = f"table [{printable(key)}]" if isinstance(value, dict) else f"key {key!r}"
            reasons.append(f"unknown {what} (known: {known}): not read")
    for name in ("aliases", "parts"):
        table = document.get(name)
        if isinstance(table, dict):
            reasons += (no_key(name, key, ()) for key in table if key in TOP_KEYS)
    return reasons


def _without_top_keys(document: dict[str, Any]) -> dict[str, Any]:
    """A spacenews.toml without the keys of the top level that TOML read into [aliases] or
    [parts] (see _unread_keys): ``exclude`` names no entity, whatever its value."""
    from spacenews.parse.fields import TOP_KEYS

    kept = dict(document)
    for name in ("aliases", "parts"):
        if isinstance(table := document.get(name), dict):
            kept[name] = {key: value for key, value in table.items() if key not in TOP_KEYS}
    return kept
