"""Prose: paragraphs, the items of a listing page, their language, and the dates they mention."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from spacenews.dates import DateError, Precision, make_date
from spacenews.model import Paragraph
from spacenews.text import clean_inline, shorten

# Month names of the languages the corpora are written in (English, French, German, Spanish,
# Italian, Turkish), folded to lower case without accents where the corpora drop them.
MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january janvier januar enero gennaio ocak jan",
        "february février fevrier februar febrero febbraio şubat subat feb",
        "march mars märz marz marzo mart mar",
        "april avril abril aprile nisan apr",
        "may mai mayo maggio mayıs mayis",
        "june juin juni junio giugno haziran jun",
        "july juillet juli julio luglio temmuz jul",
        "august août aout agosto ağustos agustos aug",
        "september septembre septiembre settembre eylül eylul sep sept",
        "october octobre oktober octubre ottobre ekim oct",
        "november novembre noviembre kasım kasim nov",
        "december décembre decembre dezember diciembre dicembre aralık aralik dec",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_MONTH = r"(?P<{}>[^\W\d_]{{3,9}})\.?"
_DAY_MONTH_YEAR = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th|er|\.)?\s+(?:of\s+)?"
    + _MONTH.format("month")
    + r",?\s+(?P<year>\d{4})\b"
)
_MONTH_DAY_YEAR = re.compile(
    r"\b" + _MONTH.format("month") + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b"
)
_MONTH_YEAR = re.compile(r"\b" + _MONTH.format("month") + r"\s+(?P<year>\d{4})\b")
# A day written as ISO 8601 does it ("On 2016-03-14", "(2020-07-30)"), not inside a longer
# run of digits and dashes, nor a word (a file name such as 2016-03-14-exomars.md).
_ISO_DAY = re.compile(
    r"(?<![\w-])(?P<year>[0-9]{4})-(?P<number>[0-9]{2})-(?P<day>[0-9]{2})(?![\w-])"
)  # digits as ISO 8601 writes them, not fullwidth or any other script's
_IN_YEAR = re.compile(r"\b(?:in|en|since|depuis|im|seit|nel)\s+(?P<year>\d{4})\b", re.IGNORECASE)
# A sentence ends at a full stop, but one that ends a month's short name ("Mar. 14, 2016").
_SHORT_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
)
# ... nor one that ends an abbreviation that a sentence goes on after ("e.g. NASA").
_GOES_ON = ("e.g", "E.g", "i.e", "I.e", "cf", "Cf", "vs", "Dr", "Mr", "Mrs", "Ms", "Prof")
_SENTENCE_END = re.compile(
    r"(?<=[.!?])"
    + "".join(rf"(?<!\b{re.escape(short)}\.)" for short in (*_SHORT_MONTHS, *_GOES_ON))
    + r"\s+(?=[A-Z0-9(«\"'])"
    + r"|\n[^\S\n]*\n\s*"  # a blank line: a heading or a paragraph without a stop ends there
)
_CREDIT = re.compile(r"\bCredit:", re.IGNORECASE)
YEARS = range(1000, 3000)  # a four-digit number outside these is not taken for a year
SNIPPET_CHARS = 300

_STOPWORDS = {
    "en": "the and of to in is that for with on as are was from by this it be at an have will",
    "fr": "le la les des et est une un du que en dans pour sur au aux par qui avec sont ce de l d",
    "de": "der die das und ist nicht mit den von zu ein eine im dem auf für sich des",
    "es": "el la los las y es una por con para del que en se al lo su como",
    "it": "il la le gli e è una per con del della che di un sono nel alla",
    "tr": "ve bir bu ile için da de olan olarak ilk en çok gibi daha sonra",
}
_LANGS = tuple(_STOPWORDS)
_LANGS_OF: dict[str, list[int]] = {}  # a common word -> the languages it is common in
for _number, _words in enumerate(_STOPWORDS.values()):
    for _word in _words.split():
        _LANGS_OF.setdefault(_word, []).append(_number)
_WORD = re.compile(r"[^\W\d_]+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_ASCII_WORD = re.compile(r"[a-z]+")  # the same, in lower-case ASCII text, and quicker
# Where a year can stand in a date: every pattern above has white space before its year and
# a word boundary after, but an ISO day's, which starts it.
_YEAR_PLACE = re.compile(r"(?<=\s)\d{4}\b|(?<![\w-])[0-9]{4}(?=-[0-9]{2}-[0-9]{2}(?![\w-]))")
_PATTERNS: tuple[tuple[re.Pattern[str], Precision], ...] = (
    (_ISO_DAY, "day"),
    (_DAY_MONTH_YEAR, "day"),
    (_MONTH_DAY_YEAR, "day"),
    (_MONTH_YEAR, "month"),
    (_IN_YEAR, "year"),
)


class DateMatch(NamedTuple):
    """A date written in prose."""

    date: date
    precision: Precision
    sentence: str


def paragraphs(text: str, *, decoded: bool = False) -> list[Paragraph]:
    """Split prose into paragraphs, grouped into the items of a listing where it is one, each
    with its language; each line cleaned (clean_inline), its entities decoded unless decoded
    says a parser did (a page's "&amp;lt;" is the "&lt;" it shows).

    A heading is a short line that does not end a sentence; a caption carries a ``Credit:``.
    Captions come before the post they illustrate, so they take the title of the next heading.
    A line with no letter or digit (a rule such as ``---``) is no paragraph.
    """
    blocks = [clean_inline(block, decoded=decoded) for block in re.split(r"\n", text)]
    blocks = [block for block in blocks if _LETTER_OR_DIGIT.search(block)]
    kinds = [_kind(block) for block in blocks]
    titles = _titles(blocks, kinds)
    return [
        Paragraph(block, language(block), title, kind)
        for block, kind, title in zip(blocks, kinds, titles, strict=True)
    ]


def language(text: str) -> str:
    """The language whose common words the text uses most; "und" when none stands out."""
    scores = [0] * len(_LANGS)
    lowered = text.lower()
    words = (_ASCII_WORD if lowered.isascii() else _WORD).findall(lowered)
    for word in filter(_LANGS_OF.__contains__, words):
        for lang in _LANGS_OF[word]:
            scores[lang] += 1
    best = max(scores)
    return _LANGS[scores.index(best)] if best >= 2 and scores.count(best) == 1 else "und"


def find_dates(text: str) -> Iterator[DateMatch]:
    """Every date written in prose in the text, most precise reading first for each place."""
    years = [match.start() for match in _YEAR_PLACE.finditer(text)]
    taken: list[range] = []
    for pattern, precision in _PATTERNS:
        # Each date holds one of the years: once each is in a date found, no other can be.
        if all(any(year in span for span in taken) for year in years):
            return
        for match in pattern.finditer(text):
            span = range(*match.span())
            if any(span.start < other.stop and other.start < span.stop for other in taken):
                continue
            day = _date(match.groupdict(), precision)
            if day is not None:
                taken.append(span)
                yield DateMatch(day, precision, sentence_at(text, span.start))


def parse_prose_date(text: str) -> tuple[date, Precision] | None:
    """A date written alone in prose ("March 14, 2016", "14 Mart 2016"), or None."""
    found = next(find_dates(text), None)
    return (found.date, found.precision) if found else None


def sentence_at(text: str, offset: int) -> str:
    """The sentence around an offset, cut to a snippet's length."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > offset:
            return _cut(text[start : match.start()])
        start = match.end()
    return _cut(text[start:])


def _cut(sentence: str) -> str:
    return shorten(sentence.strip(), SNIPPET_CHARS)


def _date(parts: dict[str, str | None], precision: str) -> date | None:
    month = 1
    if parts.get("number") is not None:  # a month by its number
        month = int(parts["number"] or 0)
    elif parts.get("month") is not None:
        month_name = (parts["month"] or "").lower()
        if month_name not in MONTHS:
            return None
        month = MONTHS[month_name]
    year = int(parts["year"] or 0)
    if year not in YEARS:
        return None
    try:
        return make_date(year, month, int(parts.get("day") or 1) if precision == "day" else 1)
    except DateError:
        return None


def _kind(block: str) -> str:
    if _CREDIT.search(block):
        return "caption"
    words = block.split()
    if len(block) <= 80 and len(words) <= 12 and not block.endswith((".", ":", ",", ";")):
        return "heading"
    return "text"


def _titles(blocks: list[str], kinds: list[str]) -> list[str]:
    """Each block's item title: the last heading before the item's first text."""
    titles = [""] * len(blocks)
    title, pending = "", []
    for index, (block, kind) in enumerate(zip(blocks, kinds, strict=True)):
        if kind == "heading":
            title = block
        pending.append(index)
        if kind == "text":
            for waiting in pending:
                titles[waiting] = title
            pending = []
    for waiting in pending:
        titles[waiting] = title
    return titles
