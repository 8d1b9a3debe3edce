"""Spaceflight News API v4 responses, saved as JSON: a page of results
(``{"count", "next", "previous", "results": [...]}``) of articles, blogs or reports, or one
of them alone. Each is an event on the UTC day of its ``published_at``, told by its
``news_site`` at its ``url``, its ``summary`` as the body."""

from __future__ import annotations

from typing import Any

from spacenews.model import Problem, Source
from spacenews.parse import Handler, Parsed
from spacenews.parse.items import (
    body_text,
    field,
    item_document,
    item_record,
    load_json,
    utc_day,
)


def detect(text: str) -> bool:
    """JSON whose objects have a ``news_site`` and a ``published_at``."""
    return text.lstrip()[:1] in ("{", "[") and '"news_site"' in text and '"published_at"' in text


def parse(text: str, path: str) -> Parsed:
    """An event per result; a result without a date is a document."""
    data = load_json(text, path)
    if isinstance(data, Problem):
        return Parsed(problems=[data])
    parsed = Parsed()
    for number, result in enumerate(_results(data), 1):
        if not isinstance(result, dict):
            parsed.problems.append(Problem(path, 0, f"result {number} is not an object"))
            continue
        _add(parsed, result, path)
    return parsed


def _results(data: object) -> list[Any]:
    results = data.get("results") if isinstance(data, dict) else None
    if isinstance(results, list):
        return results
    return data if isinstance(data, list) else [data]


def _add(parsed: Parsed, result: dict[str, Any], path: str) -> None:
    title, body = field(result, "title"), body_text(field(result, "summary"), html=False)
    day = utc_day(result.get("published_at"))
    if day is None:
        parsed.documents.append(item_document(path, title, body, "snapi", []))
        return
    url = field(result, "url")
    source = Source(field(result, "news_site") or url, url) if url else None
    parsed.records.append(item_record(day, title, body, source, [], path))


HANDLER = Handler("snapi", detect, parse)
