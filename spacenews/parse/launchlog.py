"""J. McDowell's launch log: fixed-width rows, one per payload, the first of each launch
giving the launch's columns (tag, UTC date, vehicle, site, success)::

    # Launch     Launch Date (UTC)    COSPAR  ...  LV Type   LV S/N   Site          Suc  Ref
    #            #                    #       ...  #         #        #             #    #
    1959 GAM     1959 Apr 13 2118:39  1959 GAM ... Thor Agena A ...   V   75-3-4    S    NRO3E24
                                      1959 GAM ... SRV (a second payload: launch columns blank)

Each launch is one event on its UTC day: the vehicle carried the payloads from the site, and
succeeded or failed. The vehicle, the payloads and the site are its entities; site codes are
named by the ``[sites]`` table of the shipped ``data/entities.toml``.
"""

from __future__ import annotations

import functools
import re
from datetime import date

from spacenews.model import EventRecord, Problem
from spacenews.parse import Handler, Parsed
from spacenews.text import clean_inline

# The header's second line marks where each column starts with a "#"; these are the sample's.
_COLUMNS = (0, 13, 34, 55, 86, 112, 121, 144, 160, 193, 198)
_TAG, _DATE, _COSPAR, _NAME, _ORIGINAL, _SATCAT = range(6)  # the columns, by position
_VEHICLE, _SERIAL, _SITE, _SUCCESS, _REF = range(6, 11)
_HEADER = re.compile(r"#\s*Launch[ _]*(?:Tag)?\s+Launch[ _]Date.*COSPAR", re.IGNORECASE)
_WHEN = re.compile(r"(\d{4}) ([A-Z][a-z]{2}) +(\d{1,2})(?: +(\d{2})(\d{2})(?::(\d{2}))?)?")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_OUTCOMES = {"S": "reached orbit", "F": "failed"}


def detect(text: str) -> bool:
    """A header line naming the launch tag, launch date and COSPAR columns."""
    return text.startswith("#") and _HEADER.match(text[:400]) is not None


def parse(text: str, path: str) -> Parsed:
    """One event per launch."""
    lines = text.split("\n")
    columns = _columns(lines)
    parsed = Parsed()
    launch: list[str] | None = None
    payloads: list[list[str]] = []
    start = 0
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = _fields(line, columns)
        if fields[_TAG]:  # a new launch: the last one is complete
            _add(parsed, launch, payloads, path, start)
            launch, payloads, start = fields, [fields], number
        elif launch is not None:
            payloads.append(fields)
        else:
            parsed.problems.append(Problem(path, number, "a payload row before any launch"))
    _add(parsed, launch, payloads, path, start)
    return parsed


def _columns(lines: list[str]) -> tuple[int, ...]:
    """Where each column starts: at the "#" marks of the header's second line, if it has as
    many as there are columns."""
    for line in lines[:5]:
        if line.startswith("#") and not line[1:].strip(" #"):
            marks = tuple(n for n, char in enumerate(line) if char == "#")
            if len(marks) >= len(_COLUMNS):
                return marks[: len(_COLUMNS)]
    return _COLUMNS


def _fields(line: str, columns: tuple[int, ...]) -> list[str]:
    ends = (*columns[1:], None)
    fields = [line[start:end].strip() for start, end in zip(columns, ends, strict=True)]
    # The log is plain text: control characters are all there is to clean, and rare.
    return fields if line.isprintable() else [clean_inline(field) for field in fields]


def _add(
    parsed: Parsed, launch: list[str] | None, payloads: list[list[str]], path: str, line: int
) -> None:
    if launch is None:
        return
    day, time = _when(launch[_DATE])
    if day is None:
        reason = f"launch {launch[_TAG]}: no UTC date in {launch[_DATE]!r}"
        parsed.problems.append(Problem(path, line, reason))
        return
    parsed.records.append(_record(day, time, launch, payloads, path))


def _record(
    day: date, time: str, launch: list[str], payloads: list[list[str]], path: str
) -> EventRecord:
    vehicle, outcome = launch[_VEHICLE] or "An unnamed vehicle", launch[_SUCCESS]
    code, _, pad = launch[_SITE].partition(" ")
    site = site_names().get(code, code)
    names = [row[_NAME] or row[_ORIGINAL] or row[_COSPAR] for row in payloads]
    carried = _join_names(names) or "no named payload"
    where = f" from {site}" if site else ""
    if outcome == "F":
        headline = f"{vehicle} fails to orbit {carried}{where}"
    else:
        headline = f"{vehicle} launches {carried}{where}"
    serial = f" (serial {launch[_SERIAL]})" if launch[_SERIAL] else ""
    body = " ".join(
        part
        for part in (
            f"Launch {launch[_TAG]}{time}: {vehicle}{serial} carried",
            _join_names([_payload(row) for row in payloads]) or carried,
            f"from {site}{_pad(pad)}." if site else "from an unknown site.",
            f"It {_OUTCOMES.get(outcome, 'has no recorded outcome')}.",
        )
    )
    entities = list(dict.fromkeys(name for name in (launch[_VEHICLE], *names, site) if name))
    return EventRecord(
        day, headline, body, entities=entities, document=path, via="tag", date_source="launch"
    )


def _when(text: str) -> tuple[date | None, str]:
    """The UTC day, and " at HH:MM[:SS] UTC" when the log gives the time."""
    match = _WHEN.match(text)
    if match is None or match.group(2) not in _MONTHS:
        return None, ""
    year, month, day, hours, minutes, seconds = match.groups()
    try:
        when = date(int(year), _MONTHS[month], int(day))
    except ValueError:
        return None, ""
    if hours is None:
        return when, ""
    return when, f" at {hours}:{minutes}{':' + seconds if seconds else ''} UTC"


def _payload(row: list[str]) -> str:
    name, original, cospar = row[_NAME], row[_ORIGINAL], row[_COSPAR]
    # Without a name, the original name is the one shown: not said twice.
    said = [original if name and original != name else "", f"COSPAR {cospar}" if cospar else ""]
    details = ", ".join(part for part in said if part)
    shown = name or original or cospar
    return f"{shown} ({details})" if details and shown else shown


def _pad(pad: str) -> str:
    return f" (pad {' '.join(pad.split())})" if pad.strip() else ""


def _join_names(names: list[str]) -> str:
    names = [name for name in names if name]
    if len(names) < 3:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@functools.cache
def site_names() -> dict[str, str]:
    """Each site code of the shipped table's [sites], with the name of its place."""
    from spacenews.entities import shipped_document

    sites = shipped_document().get("sites", {})
    return {code: place for place, codes in sites.items() for code in codes}


HANDLER = Handler("launch-log", detect, parse)
