"""JSON Schemas (draft 2020-12) of what each command prints with ``--json``.

``--jsonl`` prints the items of the same arrays, one per line. ``spacenews schema COMMAND``
prints a schema; the tests check real output against them.
"""

from __future__ import annotations

from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_STRING = {"type": "string"}
_STRINGS = {"type": "array", "items": _STRING}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_NULLABLE_DATE = {"anyOf": [_DATE, {"type": "null"}]}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


EVENT_FIELDS: dict[str, Any] = {
    "kind": {"const": "event"},
    "id": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}/"},
    "date": _DATE,
    "headline": _STRING,
    "body": _STRING,
    "sources": {"type": "array", "items": _object({"title": _STRING, "url": _STRING})},
    "entities": _STRINGS,
    "names": _STRINGS,
    "related": {
        "type": "array",
        "items": _object({"id": _STRING, "date": _DATE, "headline": _STRING, "context": _STRINGS}),
    },
    "documents": _STRINGS,
    "date_source": _STRING,
    "story": _STRING,
    # Front matter: the day the event ends, and the post's own date when another field
    # (eventdate, launch_date, ...) dates the event; null otherwise.
    "end_date": _NULLABLE_DATE,
    "published": _NULLABLE_DATE,
    # The event in other languages, from translations of its page (the main text is English
    # when one of them is); [] when none.
    "translations": {
        "type": "array",
        "items": _object(
            {"lang": _STRING, "headline": _STRING, "body": _STRING, "document": _STRING}
        ),
    },
}
DOCUMENT_FIELDS: dict[str, Any] = {
    "kind": {"const": "document"},
    "path": _STRING,
    "title": _STRING,
    "format": {"enum": ["text", "front-matter", "feed", "json-feed", "snapi", "html"]},
    "tags": _STRINGS,
    "entities": _STRINGS,
}
MATCH_FIELDS: dict[str, Any] = {
    "via": {
        "type": "array",
        "items": {"enum": ["context", "tag", "mention", "source", "alias", "part"]},
    },
    "score": {"type": "number"},
}
EVENT = _object(EVENT_FIELDS)
MENTION = _object(
    {
        "kind": {"const": "mention"},
        "date": _DATE,
        "precision": {"enum": ["year", "month", "day"]},
        "title": _STRING,
        "snippet": _STRING,
        "document": _STRING,
        "entities": _STRINGS,
    }
)
COUNT = _object(
    {
        "period": {"type": "string", "pattern": r"^\d{4}(s|-\d{2})?$"},
        "count": {"type": "integer", "minimum": 0},
    }
)


def _array(item: dict[str, Any], title: str) -> dict[str, Any]:
    return {"$schema": DRAFT, "title": title, "type": "array", "items": item}


SCHEMAS: dict[str, dict[str, Any]] = {
    "timeline": _array(
        {"oneOf": [EVENT, MENTION, COUNT]},
        "spacenews timeline --json: events (and mentions with --mentions), or counts with --by",
    ),
    "show": _array({"oneOf": [EVENT, MENTION]}, "spacenews show --json: events, then mentions"),
    "related": _array(
        {
            "oneOf": [
                _object({**EVENT_FIELDS, **MATCH_FIELDS}),
                _object({**DOCUMENT_FIELDS, **MATCH_FIELDS, "snippet": _STRING}),
            ]
        },
        "spacenews related --json: events and documents, strongest first",
    ),
    "search": _array(
        {
            "oneOf": [
                _object(
                    {
                        "kind": {"const": "event"},
                        "id": _STRING,
                        "date": _DATE,
                        "title": _STRING,
                        "snippet": _STRING,
                        "score": {"type": "number"},
                    }
                ),
                _object(
                    {
                        "kind": {"const": "document"},
                        "path": _STRING,
                        "date": {"type": "null"},
                        "title": _STRING,
                        "snippet": _STRING,
                        "score": {"type": "number"},
                    }
                ),
            ]
        },
        "spacenews search --json: results, best first",
    ),
    "entities": _array(
        _object(
            {
                "name": _STRING,
                "aliases": _STRINGS,
                "parts": _STRINGS,
                "events": {"type": "integer", "minimum": 0},
                "documents": {"type": "integer", "minimum": 0},
                "first": _NULLABLE_DATE,
                "last": _NULLABLE_DATE,
            }
        ),
        "spacenews entities --json: entities, most events first",
    ),
    "check": _array(
        _object(
            {
                "path": _STRING,
                "line": {"type": "integer", "minimum": 0},
                "reason": _STRING,
                "skipped": {"type": "boolean"},
            }
        ),
        "spacenews check --json: every problem met while reading the corpus",
    ),
    "cache info": {
        "$schema": DRAFT,
        "title": "spacenews cache info --json: the cache folder and its index databases"
        " (--jsonl: the databases, one per line)",
        **_object(
            {
                "folder": _STRING,
                "caches": {
                    "type": "array",
                    "items": _object(
                        {
                            "kind": {"const": "index"},
                            "path": _STRING,
                            "bytes": {"type": "integer", "minimum": 0},
                            # null, as files, when the database cannot be read
                            "roots": {"anyOf": [_STRINGS, {"type": "null"}]},
                            "files": {"type": ["integer", "null"], "minimum": 0},
                            "gone": {"type": "boolean"},  # every one of its roots is gone
                        }
                    ),
                },
            }
        ),
    },
}
