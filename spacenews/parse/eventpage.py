"""Pages of the current-events news corpus: one event per page, or every event of a day.

An event page::

    ### [2003-06-2](/news/2003/06/2/index.md)
    # headline
    body paragraphs
    ### Sources:
    1. [BBC](http://...)
    ### Related:
    1. [headline](/news/2004/01/23/slug.md) _Context: Mars, Mars Express_

A day page opens with ``## [2016-03-14](...)`` and lists the day's events as
``### [headline](/news/.../slug.md)``, each followed by a body line or a ``_Context: ..._`` line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from spacenews.dates import DateError, make_date
from spacenews.model import EventRecord, Problem, Related, Source, event_id, link_record
from spacenews.parse import Handler, Parsed
from spacenews.text import clean_inline

_DATE_HEADING = re.compile(
    r"(#{2,3})\s*\[\s*(\d{1,5})-(\d{1,2})-(\d{1,2})\s*\]\(\s*/?news/(\d{1,5})/(\d{1,2})/(\d{1,2})/"
)
_FORMATS_LINE = re.compile(r"Formats:\s*\[", re.IGNORECASE)
_HEADLINE = re.compile(r"#(?!#)\s*(.*)")
_SECTION = re.compile(r"#{2,6}(?!#)\s*(.*?)\s*:?\s*$")
_ITEM = re.compile(r"\s*(?:\d+[.)]|[-*+])\s+(.*)")
_LINK = re.compile(r"\[([^\]]*)\]\(\s*([^)\s]*)[^)]*\)")
_NEWS_LINK = re.compile(r"\[(.*)\]\(\s*/?news/(\d{1,5})/(\d{1,2})/(\d{1,2})/([^)\s]*)\s*\)(.*)")
_CONTEXT = re.compile(r"_\s*Context:\s*(.*?)\s*_?\s*$", re.IGNORECASE)
_DAY_ITEM = re.compile(r"###(?!#)\s*(\[.*)")
MAX_LINKS = 1000  # links read from one list; a page with more is cut, with a warning


def detect(text: str) -> bool:
    """A date heading linking to ``/news/YYYY/MM/D/``, on the first line that says anything."""
    heading = _first_heading(text)
    return heading is not None and _DATE_HEADING.match(heading) is not None


def parse(text: str, path: str) -> Parsed:
    """Event records for the page's event and for every event it links to."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if _DATE_HEADING.match(line.strip()))
    parsed = Parsed()
    day = _heading_date(lines[start].strip())
    if day is None:
        parsed.problems.append(Problem(path, start + 1, "the date heading names no real day"))
        return parsed
    if any(
        line[:1] == "#" and _HEADLINE.match(line) and line.strip() != "#"
        for line in lines[start + 1 :]
    ):
        _parse_event_page(day, lines, start + 1, path, parsed)
    else:
        _parse_day_page(_number_lines(lines, start + 1), path, parsed)
        if not parsed.records:
            reason = "a date heading, but neither a # headline nor ### event items"
            parsed.problems.append(Problem(path, start + 1, reason))
    return parsed


def _number_lines(lines: list[str], start: int) -> Iterator[tuple[int, str]]:
    """The lines from index start on, stripped, with their 1-based numbers."""
    for index in range(start, len(lines)):
        yield index + 1, lines[index].strip()


def _parse_event_page(day: date, lines: list[str], start: int, path: str, parsed: Parsed) -> None:
    """The page's event from the lines after its date heading (the first is lines[start])."""
    headline, body = "", []
    sources: list[Source] = []
    related: list[Related] = []
    section, dropped = "body", 0
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if line[:1] == "#":  # what the two patterns below need: they run on few lines
            if not headline and (match := _HEADLINE.match(line)):
                headline = clean_inline(match.group(1))
                continue
            if section_match := _SECTION.match(line):
                section = _section_name(section_match.group(1))
                continue
        if section == "body":
            if headline and line:
                body.append(clean_inline(line))
        elif section == "sources":
            if item := _item(line):
                sources.extend(_sources(item, path, index + 1, parsed))
        elif section == "related" and (item := _item(line)):
            if len(related) < MAX_LINKS:
                related.extend(_parse_related(item, path, index + 1, parsed))
            else:
                dropped += 1
    if dropped:
        reason = f"{dropped} related links past the first {MAX_LINKS} were not read"
        parsed.problems.append(Problem(path, 0, reason))
    if not headline:
        parsed.problems.append(Problem(path, start, "event page without a headline"))
    related = list(dict.fromkeys(related))
    shared = list(dict.fromkeys(name for link in related for name in link.context))
    if headline:
        # The events it links to are told by its related list: index.fresh.file_rows gives
        # each link a record of its own, merged into the event linked to.
        page = EventRecord(day, headline, "\n\n".join(body), sources, shared, related, path)
        parsed.records.append(page)
    else:
        parsed.records.extend(link_record(link, path) for link in related)


def _parse_day_page(lines: Iterator[tuple[int, str]], path: str, parsed: Parsed) -> None:
    """The day's items: each item's own link gives its day."""
    current: EventRecord | None = None
    for number, line in lines:
        if item := _DAY_ITEM.match(line):
            current = None
            link = _news_link(item.group(1), path, number, parsed)
            if link is not None:
                # A _Context:_ written on the item's own line names its entities too.
                current = EventRecord(link.date, link.headline, entities=link.context)
                current.document, current.date_source = path, "link"
                parsed.records.append(current)
        elif line.startswith("#"):
            current = None  # "## [Previous Day...]" and any other heading end the item
        elif current is not None and (context := _CONTEXT.match(line)):
            current.entities = [*current.entities, *_names(context.group(1))]
        elif current is not None and line:
            text = clean_inline(line)
            current.body = f"{current.body}\n\n{text}" if current.body else text


def _first_heading(text: str) -> str | None:
    for line in text[:4096].splitlines():
        line = line.strip()
        if line and not _FORMATS_LINE.match(line):
            return line
    return None


def _heading_date(line: str) -> date | None:
    match = _DATE_HEADING.match(line)
    assert match is not None
    for parts in (match.group(2, 3, 4), match.group(5, 6, 7)):
        try:
            return make_date(*(int(part) for part in parts))
        except DateError:
            continue
    return None


def _section_name(title: str) -> str:
    name = title.strip().lower()
    if name in ("source", "sources"):
        return "sources"
    return "related" if name == "related" else "other"


def _item(line: str) -> str:
    match = _ITEM.match(line)
    return match.group(1).strip() if match else ""


def _sources(item: str, path: str, number: int, parsed: Parsed) -> list[Source]:
    links = [Source(clean_inline(title), clean_inline(url)) for title, url in _LINK.findall(item)]
    links = [link for link in links if link.url]
    if not links:
        parsed.problems.append(Problem(path, number, "source line without a link"))
    return links


def _parse_related(item: str, path: str, number: int, parsed: Parsed) -> list[Related]:
    link = _news_link(item, path, number, parsed)
    return [] if link is None else [link]


def _news_link(item: str, path: str, number: int, parsed: Parsed) -> Related | None:
    match = _NEWS_LINK.match(item)
    if match is None:
        parsed.problems.append(Problem(path, number, "link to an event without a /news/ address"))
        return None
    text, year, month, day_of_month, _slug, tail = match.groups()
    headline = clean_inline(text)
    try:
        day = make_date(int(year), int(month), int(day_of_month))
    except DateError as error:
        parsed.problems.append(Problem(path, number, f"link to an impossible date: {error}"))
        return None
    if not headline:
        parsed.problems.append(Problem(path, number, "link to an event without a headline"))
        return None
    context = _CONTEXT.search(tail) if "_" in tail else None
    names = _split_context(context.group(1)) if context else ()
    return Related(event_id(day, headline), day, headline, names)


def _split_context(text: str) -> tuple[str, ...]:
    """The names of a context line: a corpus repeats the same few context lines link after
    link, so each is read once."""
    names = _CONTEXT_NAMES.get(text)
    if names is None:
        if len(_CONTEXT_NAMES) >= MAX_CONTEXTS:
            _CONTEXT_NAMES.clear()
        names = _CONTEXT_NAMES[text] = tuple(_names(text))
    return names


_CONTEXT_NAMES: dict[str, tuple[str, ...]] = {}
MAX_CONTEXTS = 50_000  # context lines remembered at most


def _names(text: str) -> list[str]:
    names = (clean_inline(name) for name in text.split(","))
    return list(dict.fromkeys(name for name in names if name))


HANDLER = Handler("event-page", detect, parse)
