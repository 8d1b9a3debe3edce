"""spacenews: explore a corpus of space-news documents.

The library works without the command line::

    from spacenews import Query, load_corpus, timeline

    corpus = load_corpus()  # the built-in seeds
    for event in timeline(corpus, Query(entity="Mars Express")):
        print(event.date, event.headline)
"""

from spacenews.corpus import Corpus, CorpusError, load_corpus
from spacenews.dates import DateError, Period, parse_period
from spacenews.model import Document, Event, Problem, Related, Source
from spacenews.query import Match, Query, related, suggest, timeline

__version__ = "0.1.0"

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
    "Related",
    "Source",
    "__version__",
    "load_corpus",
    "parse_period",
    "related",
    "suggest",
    "timeline",
]
