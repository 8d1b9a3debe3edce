"""Pages of the current-events news corpus: one event per page, or every event of a day.

An event page::

    ### [2003-06-2](/news/2003/06/2/index.md)
    ##### Mars Express
    # headline
    body paragraphs
    ### Sources:
    1. [BBC](http://...)
    ### Related:
    1. [headline](/news/2004/01/23/slug.md) _Context: Mars, Mars Express_

A day page opens with ``## [2016-03-14](...)`` and lists the day's events as
``### [headline](/news/.../slug.md)``, each followed by a body line or a ``_Context: ..._`` line.

The format is published in other languages, so it is read by its structure: a ``#####``
heading is the story of the headline or of the day page's items under it; a heading followed
by a list of links is a list of sources or of related events, told by its label when LABELS
knows it, else by its first link (to a ``/news/`` page: related events; to the web: sources);
``_Label: names_`` after a link, or on a day page's line, names entities whatever the label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from spacenews.dates import DateError, make_date
from spacenews.model import EventRecord, Problem, Related, Source, event_id, link_record
from spacenews.parse import Handler, Parsed
from spacenews.text import clean_inline, fold

_DATE_HEADING = re.compile(
    r"(#{2,3})\s*\[\s*(\d{1,5})-(\d{1,2})-(\d{1,2})\s*\]\(\s*/?news/(\d{1,5})/(\d{1,2})/(\d{1,2})/"
)
# "Formats: [HTML](...) [JSON](...)" above the date heading, in any language. (The full-width
# colon is kept out by a lookahead rather than in the class: a class of several characters,
# one beyond Latin-1, costs re about a millisecond to compile, at every start.)
_FORMATS_LINE = re.compile(r"(?:(?!：)[^#\[\]()\n:]){1,30}[:：]\s*\[")
_HEADLINE = re.compile(r"#(?!#)\s*(.*)")
_STORY = re.compile(r"#####(?!#)\s*(.*?)\s*$")
_SECTION = re.compile(r"#{2,6}(?!#)\s*(.*?)\s*[:：]?\s*$")
_ITEM = re.compile(r"\s*(?:\d+[.)]|[-*+])\s+(.*)")
_LINK = re.compile(r"\[([^\]]*)\]\(\s*([^)\s]*)[^)]*\)")
_NEWS_LINK = re.compile(r"\[(.*)\]\(\s*/?news/(\d{1,5})/(\d{1,2})/(\d{1,2})/([^)\s]*)\s*\)(.*)")
# "_Context: A, B_", "_消息: A、B_": a label (a letter first, a few words at most), a colon
# (or a full-width one), the names. The closing _ may be missing.
_CONTEXT = re.compile(r"_\s*[^\W\d_](?:(?!：)[^_:\[\]]){0,30}?\s*[:：]\s*(.*?)\s*_?\s*$")
_WEB_LINK = re.compile(r"\s*https?://", re.IGNORECASE)
_DAY_ITEM = re.compile(r"###(?!#)\s*(\[.*)")
MAX_LINKS = 1000  # links read from one list; a page with more is cut, with a warning

# The section labels of the format's editions (case-folded, without their colon) and the
# kind of list each heads: "sources", "related" events, or "other" lists that name no event.
# A label not here is told by the first link of its list.
_SOURCE_LABELS = (
    *("source", "sources"),  # English, French
    *("信息来源", "信息來源", "来源", "來源", "消息来源", "消息來源"),  # Chinese
    *("fuente", "fuentes", "quelle", "quellen"),  # Spanish, German
    *("出典", "情報源", "ソース", "источник", "источники"),  # Japanese, Russian
    *("fonte", "fonti", "fontes", "kaynak", "kaynaklar"),  # Italian, Portuguese, Turkish
)
_RELATED_LABELS = (
    *("related", "see also"),  # English
    *("有关", "有關", "相关", "相關", "相关新闻", "相關新聞"),  # Chinese
    *("voir aussi", "articles liés", "événements liés"),  # French
    *("relacionado", "relacionados", "relacionadas", "véase también", "ver también"),  # Spanish
    *("verwandt", "verwandte", "siehe auch"),  # German
    *("関連", "関連記事", "関連項目"),  # Japanese
    *("связанные", "связанные события", "см. также", "по теме"),  # Russian
    *("correlati", "vedi anche", "ver também", "ilgili", "ilgili haberler"),  # It., Pt., Tr.
)
_OTHER_LABELS = (
    *("gallery", "images", "photos", "galerie", "bilder", "galería", "fotos", "galleria"),
    *("图库", "圖庫", "图片", "圖片", "ギャラリー", "写真", "галерея"),
)
LABELS: dict[str, str] = {
    **dict.fromkeys(_SOURCE_LABELS, "sources"),
    **dict.fromkeys(_RELATED_LABELS, "related"),
    **dict.fromkeys(_OTHER_LABELS, "other"),
}


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
        reason = f"the date heading {_written_date(lines[start].strip())} names no real day"
        parsed.problems.append(Problem(path, start + 1, reason))
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
    story, headline, body = "", "", []
    sources: list[Source] = []
    related: list[Related] = []
    section, dropped = "body", 0
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if line[:1] == "#":  # what the patterns below need: they run on few lines
            if not headline and (match := _HEADLINE.match(line)):
                headline = clean_inline(match.group(1))
                continue
            if not headline and (match := _STORY.match(line)):
                story = _story(match.group(1))  # the nearest above the headline
                continue
            if section_match := _SECTION.match(line):
                section = _section_name(section_match.group(1))
                continue
        if section == "unknown" and (item := _item(line)):
            section = _list_kind(item)
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
    names = [story] if story else []
    names += (name for link in related for name in link.context)
    if headline:
        # The events it links to are told by its related list: index.fresh.file_rows gives
        # each link a record of its own, merged into the event linked to.
        text = "\n\n".join(body)
        entities = list(dict.fromkeys(names))
        page = EventRecord(day, headline, text, sources, entities, related, path, story=story)
        parsed.records.append(page)
    else:
        parsed.records.extend(link_record(link, path) for link in related)


def _parse_day_page(lines: Iterator[tuple[int, str]], path: str, parsed: Parsed) -> None:
    """The day's items: each item's own link gives its day, and a ``#####`` story heading
    above items gives them their story."""
    current: EventRecord | None = None
    story = ""
    for number, line in lines:
        if item := _DAY_ITEM.match(line):
            current = None
            link = _news_link(item.group(1), path, number, parsed)
            if link is not None:
                # A _Context:_ written on the item's own line names its entities too.
                names = [story, *link.context] if story else link.context
                current = EventRecord(link.date, link.headline, entities=names, story=story)
                current.document, current.date_source = path, "link"
                parsed.records.append(current)
        elif line.startswith("#"):
            # "## [Previous Day...]" and any other heading end the item, and the story
            current = None
            story = _story(match.group(1)) if (match := _STORY.match(line)) else ""
        elif current is not None and (context := _CONTEXT.match(line)):
            names = [*current.entities, *_names(context.group(1))]
            current.entities = list(dict.fromkeys(names))
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


def _written_date(line: str) -> str:
    """The heading's date as written, and its link's when that is another
    (``2016-02-30 (linked as 2016/02/31)``)."""
    match = _DATE_HEADING.match(line)
    assert match is not None
    written, linked = match.group(2, 3, 4), match.group(5, 6, 7)
    text = "-".join(written)
    if [int(part) for part in written] == [int(part) for part in linked]:
        return text
    return f"{text} (linked as {'/'.join(linked)})"


def _story(heading: str) -> str:
    """The name a story heading gives, a link read as its text."""
    return clean_inline(_LINK.sub(r"\1", heading) if "](" in heading else heading)


def _section_name(title: str) -> str:
    """The kind of list a label heads, "unknown" when LABELS does not say."""
    return LABELS.get(fold(title), "unknown")


def _list_kind(item: str) -> str:
    """The kind of list under an unknown label, told by its first link: to a /news/ page,
    related events; to the web, sources; "unknown" while no item has a link."""
    link = _LINK.search(item)
    if link is None:
        return "unknown"
    if _NEWS_LINK.match(item):
        return "related"
    return "sources" if _WEB_LINK.match(link.group(2)) else "other"


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
    # Commas, and the full-width and ideographic ones of Chinese and Japanese pages.
    names = (clean_inline(name) for name in text.replace("，", ",").replace("、", ",").split(","))
    return list(dict.fromkeys(name for name in names if name))


HANDLER = Handler("event-page", detect, parse)
