"""Merge keys: items of one day that share a link are one event, whatever their headline."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spacenews.links import PUBLISHED, merge_key, normalise_url
from spacenews.loader import index_results
from spacenews.model import EventRecord, Source
from spacenews.parse import Parsed

DAY = date(2024, 5, 1)


@pytest.mark.parametrize(
    "url",
    [
        "https://spacenews.com/spacex-launches-starlink/",
        "http://www.spacenews.com/spacex-launches-starlink",
        "https://SpaceNews.com:443/spacex-launches-starlink#comments",
        "https://spacenews.com/spacex-launches-starlink?utm_source=rss&utm_medium=feed",
    ],
)
def test_links_to_one_page_normalise_alike(url: str) -> None:
    assert normalise_url(url) == "spacenews.com/spacex-launches-starlink"


def test_what_names_another_page_stays() -> None:
    assert normalise_url("https://x.org/a?b=2&a=1") == normalise_url("https://x.org/a?a=1&b=2")
    assert normalise_url("https://x.org/a?id=1") != normalise_url("https://x.org/a?id=2")
    assert normalise_url("https://x.org:8080/a") != normalise_url("https://x.org/a")
    assert normalise_url("https://x.org/A") != normalise_url("https://x.org/a")
    assert normalise_url("mailto:someone@x.org") == ""
    assert normalise_url("https://[::1") == ""


def _item(headline: str, url: str, day: date = DAY, source: str = PUBLISHED) -> EventRecord:
    return EventRecord(
        day, headline, "body", [Source("Feed", url)], document="f", date_source=source
    )


def test_published_items_sharing_a_link_on_a_day_are_one_event_with_each_source() -> None:
    records = [
        _item("SpaceX launches Starlink", "https://spacenews.com/starlink/"),
        _item("Starlink batch up", "http://www.spacenews.com/starlink?utm_source=x"),
        _item("Starlink batch up", "https://spacenews.com/starlink", date(2024, 5, 2)),
    ]
    records[1].sources = [Source("Other feed", records[1].sources[0].url)]
    events = index_results([Parsed(records)]).events
    assert [(e.date.day, e.headline, len(e.sources)) for e in events] == [
        (1, "SpaceX launches Starlink", 2),
        (2, "Starlink batch up", 1),
    ]
    assert events[0].id == "2024-05-01/spacenews-com-starlink"


def test_other_records_keep_their_headline_ids() -> None:
    page = _item("SpaceX launches Starlink", "https://spacenews.com/starlink", source="heading")
    assert merge_key(page) == "2024-05-01/spacex-launches-starlink"
    assert merge_key(_item("No link", "")) == "2024-05-01/no-link"


@given(st.text())
def test_any_text_normalises_or_gives_nothing(text: str) -> None:
    assert isinstance(normalise_url(text), str)


@given(
    st.from_regex(r"/[a-z0-9_-]{0,12}(/[a-z0-9_-]{1,12}){0,3}", fullmatch=True),
    st.sampled_from(["?utm_source=rss", "?utm_medium=x&fbclid=1", "#top", "/", "?ref=feed"]),
)
def test_tracking_fragments_and_final_slashes_never_change_a_link(path: str, tail: str) -> None:
    plain = f"https://spacenews.com{path}"
    assert normalise_url(plain + tail) == normalise_url(plain) != ""


@pytest.mark.parametrize("url", ["ftp://x.org/a", "https:///a", "http://"])
def test_only_a_web_address_with_a_host_normalises(url: str) -> None:
    assert normalise_url(url) == ""


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("http://x.org:80/a", "x.org/a"),
        ("https://x.org:81/a", "x.org:81/a"),
        ("https://x.org/a?draft=&b=1", "x.org/a?b=1&draft="),
        ("https://x.org/BOX/", "x.org/BOX"),
    ],
)
def test_a_default_port_goes_and_blank_parameters_and_the_path_s_letters_stay(
    url: str, normal: str
) -> None:
    assert normalise_url(url) == normal
