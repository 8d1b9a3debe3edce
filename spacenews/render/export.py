"""Exports: a calendar (iCalendar, RFC 5545), a spreadsheet (CSV), a Markdown report and JSON."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from spacenews import __version__
from spacenews.model import Event
from spacenews.text import is_web_address

CSV_COLUMNS = ["date", "headline", "entities", "url", "body", "id", "documents", "end_date"]
# Inside a list item only these can start a link, emphasis, code or HTML.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def to_ics(events: Sequence[Event]) -> str:
    """A calendar with one all-day VEVENT per event; UIDs come from the event ids, so they
    stay the same from one export to the next."""
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    calendar = Calendar()
    calendar.add("prodid", f"-//spacenews//spacenews {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "spacenews")
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", f"{event.id}@spacenews")
        # DTSTAMP is required; the event's own day keeps exports identical run after run.
        entry.add("dtstamp", datetime.combine(event.date, time(), UTC))
        entry.add("dtstart", event.date)
        last = event.end_date or event.date
        if last < last.max:
            entry.add("dtend", last + timedelta(days=1))  # exclusive
        else:  # no day follows the last a date holds: RFC 5545's DURATION says as much
            entry.add("duration", last - event.date + timedelta(days=1))
        entry.add("summary", event.headline)
        if description := _description(event):
            entry.add("description", description)
        if event.sources and is_web_address(event.sources[0].url):
            entry.add("url", event.sources[0].url)
        if event.entities:
            entry.add("categories", list(event.entities))
        calendar.add_component(entry)
    ical: bytes = calendar.to_ical()
    return ical.decode("utf-8")


def _description(event: Event) -> str:
    parts = [event.body] if event.body else []
    parts += [f"{source.title}: {source.url}" for source in event.sources]
    return "\n\n".join(parts)


def to_json(events: Sequence[Event], *, lines_only: bool = False) -> str:
    """The events as timeline --json (an array, an event a line) or --jsonl prints them."""
    from spacenews.render.data import lines, write_json, write_jsonl

    out = io.BytesIO()
    (write_jsonl if lines_only else write_json)(out, lines(events))
    return out.getvalue().decode("utf-8")


def to_csv(events: Sequence[Event]) -> str:
    """One row per event under a header row; lists are joined with "; "."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for event in events:
        url = event.sources[0].url if event.sources else ""
        entities, documents = "; ".join(event.entities), "; ".join(event.documents)
        row = [
            event.date.isoformat(),
            event.headline,
            entities,
            url,
            event.body,
            event.id,
            documents,
            event.end_date.isoformat() if event.end_date else "",
        ]
        writer.writerow([_defuse(cell) for cell in row])
    return out.getvalue()


def _defuse(cell: str) -> str:
    # A cell that starts with = + - @ is a formula to a spreadsheet: keep it text.
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def to_markdown(events: Sequence[Event], caption: str) -> str:
    """A readable report: a heading per year, an entry per event with its sources."""
    lines = ["# Space news", "", f"_{caption}_"]
    year = None
    for event in events:
        if event.date.year != year:
            year = event.date.year
            lines += ["", f"## {year}", ""]
        days = event.date.isoformat() + (f"..{event.end_date}" if event.end_date else "")
        entry = f"- **{days}** {_escape(event.headline)}"
        if event.entities:
            entry += f" _({_escape(', '.join(event.entities))})_"
        lines.append(entry)
        for source in event.sources:
            lines.append(f"  - {_source(source.title, source.url)}")
    return "\n".join(lines) + "\n"


def _source(title: str, url: str) -> str:
    """A source as a link when its address is a web one; else its title and its address as
    text, which no Markdown viewer makes a link of (javascript:, file:)."""
    if is_web_address(url):
        return f"[{_escape(title)}](<{url.replace('>', '%3E')}>)"
    return f"{_escape(title)} ({_escape(url)})" if url else _escape(title)


def _escape(text: str) -> str:
    """Document text as literal Markdown: no link, emphasis or HTML can come from it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
