"""Which front-matter fields say what: a corpus's ``[frontmatter]`` table in its
spacenews.toml, or the defaults, which suit the sites read so far (see frontmatter).

Apart from the parser, so that a run reading its index only knows the fields without
importing the parsers.
"""

from __future__ import annotations

from typing import NamedTuple

TOP_KEYS = ("exclude",)  # spacenews.toml's keys that are no table's: before its first table


class FieldsError(ValueError):
    """A ``[frontmatter]`` that cannot be used at all: it is no table."""


class Fields(NamedTuple):
    """Which front-matter fields say what, field names as the YAML writes them."""

    # Fields whose values name the post's entities.
    entity_fields: tuple[str, ...] = ("tags", "categories", "teams", "people", "primary_target")
    # Fields that date the event itself, in order of preference; the post's own date
    # ("date", else a date opening the file name) dates it when none is there.
    date_fields: tuple[str, ...] = ("eventdate", "event_date", "start_date", "launch_date")
    # Fields that give the day the event ends, in order of preference: read only with one
    # of date_fields, and only when later than it.
    end_date_fields: tuple[str, ...] = (
        "eventdateend",
        "event_date_end",
        "end_date",
        "arrival_date",
    )
    # Names no entity field gives, in any case: tags that sort posts rather than name a
    # topic (Jekyll's and Eleventy's collections, an events listing), and a YAML writer's
    # placeholder for no value.
    drop_tags: tuple[str, ...] = ("post", "posts", "event", "events", "None")

    def key(self) -> str:
        """What decides how a post is read, as text: two Fields with one key read alike."""
        return repr(tuple(self))


DEFAULT_FIELDS = Fields()


def fields_of(table: object) -> tuple[Fields, list[str]]:
    """The Fields a ``[frontmatter]`` table sets (a key left out keeps its default), and why
    each of its keys that is unknown, or whose value is no list of names, is not read (that
    key alone keeps its default); FieldsError when it is no table."""
    if not isinstance(table, dict):
        raise FieldsError("[frontmatter] must be a table")
    values: dict[str, tuple[str, ...]] = {}
    reasons: list[str] = []
    for key, value in table.items():
        if key not in Fields._fields:
            reasons.append(f"{no_key('frontmatter', key, Fields._fields)}: not read")
        elif not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            reasons.append(
                f"[frontmatter] {key} must be a list of non-empty strings: its default is used"
            )
        else:
            values[key] = tuple(value)
    return Fields(**values), reasons


def no_key(table: str, key: str, known: tuple[str, ...]) -> str:
    """Why a table of spacenews.toml does not read a key; for a key of the top level, which
    TOML reads into the table above it, where it belongs."""
    if key in TOP_KEYS:
        return f"[{table}] has no key {key!r}: put {key} = [...] before the first [table]"
    return f"[{table}] has no key {key!r} (known: {', '.join(known)})"
