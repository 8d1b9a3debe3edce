"""spacenews: explore a corpus of space-news documents.

The library works without the command line::

    from spacenews import Query, load_corpus, timeline

    corpus = load_corpus()  # the built-in seeds
    for event in timeline(corpus, Query(entity="Mars Express")):
        print(event.date, event.headline)

Names are imported on first use, so that ``import spacenews`` (and the command line's
start-up) stays quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_HOMES = {
    "Corpus": "spacenews.corpus",
    "CorpusError": "spacenews.corpus",
    "DateError": "spacenews.dates",
    "Period": "spacenews.dates",
    "parse_period": "spacenews.dates",
    "Document": "spacenews.model",
    "Event": "spacenews.model",
    "Problem": "spacenews.model",
    "Related": "spacenews.model",
    "Source": "spacenews.model",
    "load_corpus": "spacenews.loader",
    "Match": "spacenews.query",
    "Query": "spacenews.query",
    "QueryError": "spacenews.query",
    "parse_query": "spacenews.query",
    "related": "spacenews.query",
    "suggest": "spacenews.known",
    "timeline": "spacenews.listing",
}

if TYPE_CHECKING:
    from spacenews.corpus import Corpus, CorpusError
    from spacenews.dates import DateError, Period, parse_period
    from spacenews.known import suggest
    from spacenews.listing import timeline
    from spacenews.loader import load_corpus
    from spacenews.model import Document, Event, Problem, Related, Source
    from spacenews.query import Match, Query, QueryError, parse_query, related


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'spacenews' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)


__all__ = [
    "Corpus",
    "CorpusError",
    "DateError",
    "Document",
    "Event",
    "Match",
    "Period",
    "Problem",
    "Query",
    "QueryError",
    "Related",
    "Source",
    "__version__",
    "load_corpus",
    "parse_period",
    "parse_query",
    "related",
    "suggest",
    "timeline",
]
