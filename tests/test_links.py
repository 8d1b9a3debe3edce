"""Merge keys: items of one day that share a link are one event, whatever their headline."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spacenews.links import (
    PUBLISHED,
    mark_translations,
    merge_key,
    normalise_url,
    own_headline,
    translation,
)
from spacenews.loader import index_results
from spacenews.model import EventRecord, Source, event_id
from spacenews.parse import Parsed, frontmatter
from spacenews.text import headline_slug

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


# One event, one entry: translations and story titles

PARKER = date(2018, 8, 12)


def _page(document: str, headline: str, day: date = PARKER, **more: str) -> EventRecord:
    """The record of a page of one event, marked as the index marks it."""
    record = EventRecord(day, headline, "body", document=document, date_source="launch", **more)
    mark_translations([record])
    return record


def test_the_items_of_a_day_page_in_a_language_folder_stay_apart() -> None:
    items = [_item(f"Item {n}", "", source="link") for n in (1, 2)]
    for item in items:
        item.document = "zh/2024-05-01-day.md"
    mark_translations(items)
    assert [(item.lang, item.ref) for item in items] == [("", ""), ("", "")]
    events = index_results([Parsed(items)]).events
    assert [e.id for e in events] == ["2024-05-01/item-1", "2024-05-01/item-2"]


@pytest.mark.parametrize(
    ("english", "turkish"),
    [
        ("en/2018-08-11-parker.markdown", "tr/2018-08-11-parker.markdown"),
        ("_i18n/en/_posts/2018-08-11-parker.md", "_i18n/tr/_posts/2018-08-11-parker.md"),
        ("site/en/parker.md", "site/tr/parker.md"),
    ],
)
def test_pages_of_one_name_in_language_folders_share_a_key(english: str, turkish: str) -> None:
    en, tr = _page(english, "Parker Solar Probe"), _page(turkish, "Parker Güneş Sondası")
    assert merge_key(en) == merge_key(tr) == "2018-08-12/parker"
    assert (translation(en)[0], translation(tr)[0]) == ("en", "tr")


def test_pages_outside_language_folders_keep_their_headline_ids() -> None:
    assert translation(_page("posts/2018-08-11-parker.md", "Parker")) == ("", "")
    assert merge_key(_page("posts/2018-08-11-parker.md", "Parker")) == "2018-08-12/parker"
    assert merge_key(_page("_posts/x.md", "Parker Solar Probe")) == "2018-08-12/parker-solar-probe"


def test_a_front_matter_ref_and_lang_beat_the_path() -> None:
    page = _page("en/2018-08-11-parker.md", "Parker", lang="fr", ref="Sonde Parker")
    assert translation(page) == ("fr", "Sonde Parker")
    assert merge_key(page) == "2018-08-12/sonde-parker"


def test_front_matter_gives_lang_and_ref() -> None:
    text = "---\ntitle: Sonde Parker\ndate: 2018-08-12\nlang: FR\ntranslationKey: parker\n---\nx\n"
    (record,) = frontmatter.parse(text, "posts/parker.md").records
    assert (record.lang, record.ref) == ("fr", "parker")
    text = text.replace("translationKey", "ref")
    assert frontmatter.parse(text, "posts/parker.md").records[0].ref == "parker"


PHILAE = "The Philae lander touches down on comet 67P."


@pytest.mark.parametrize(
    ("headline", "story", "entities", "key"),
    [
        (f"Rosetta mission. {PHILAE}", "Rosetta mission", (), PHILAE),
        (f"ROSETTA MISSION. {PHILAE}", "Rosetta mission", (), PHILAE),
        (PHILAE, "Rosetta mission", (), PHILAE),
        (f"Rosetta mission. {PHILAE}", "", ("Philae", "Rosetta mission"), PHILAE),
        # Without a story or a name saying so, a first sentence may be news: it stays.
        (f"Rosetta mission. {PHILAE}", "", ("Rosetta",), f"Rosetta mission. {PHILAE}"),
        (f"Rosetta mission. {PHILAE}", "Juno", ("Rosetta mission",), f"Rosetta mission. {PHILAE}"),
        ("Europe goes to Mars. ESA flies.", "", ("Mars",), "Europe goes to Mars. ESA flies."),
        ("Rosetta mission. ", "Rosetta mission", (), "Rosetta mission. "),
        ("Mars. The rover drives.", "Juno", ("Juno",), "Mars. The rover drives."),
    ],
)
def test_a_story_title_before_the_headline_does_not_count(
    headline: str, story: str, entities: tuple[str, ...], key: str
) -> None:
    record = EventRecord(DAY, headline, story=story, entities=entities)
    assert own_headline(record) == key
    assert merge_key(record) == event_id(DAY, key)


_WORDS = st.from_regex(r"[A-Z][a-z]{1,8}( [a-z0-9]{1,8}){0,4}", fullmatch=True)


@st.composite
def _items(draw: st.DrawFn) -> tuple[str, EventRecord]:
    """An item as the portal writes it, perhaps under a story heading, perhaps with a title
    before its own headline; and the headline it is known by: its own when the title is its
    story's, or (with no story) a name it gives, else the whole headline."""
    own = draw(_WORDS) + "."
    story = draw(st.sampled_from(["", "Rosetta mission", "Juno"]))
    title = draw(st.sampled_from(["", story, "Rosetta mission", "Mars Express", "Mars"]))
    tied = draw(st.booleans())  # the item's context names the title
    headline = f"{title}. {own}" if title else own
    record = EventRecord(
        draw(st.sampled_from([DAY, date(2024, 5, 2)])),
        headline,
        story=story,
        entities=(title,) if title and tied else (),
    )
    dropped = title and (title == story or (tied and not story))
    return (own if dropped else headline), record


@given(_items(), _items())
def test_two_items_share_a_key_only_when_they_are_one_item_of_one_day(
    first: tuple[str, EventRecord], second: tuple[str, EventRecord]
) -> None:
    (known_a, a), (known_b, b) = first, second
    assert merge_key(a) == event_id(a.date, known_a)
    same = a.date == b.date and headline_slug(known_a) == headline_slug(known_b)
    assert (merge_key(a) == merge_key(b)) == same


@given(
    st.sampled_from(["en", "tr", "fr", "pt-br"]),
    st.sampled_from(["en", "tr", "fr", "pt-br"]),
    st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True),
    st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True),
    st.sampled_from([PARKER, date(2018, 8, 13)]),
)
def test_translated_pages_share_a_key_only_with_one_name_on_one_day(
    lang_a: str, lang_b: str, name_a: str, name_b: str, day: date
) -> None:
    a = _page(f"_i18n/{lang_a}/_posts/2018-08-11-{name_a}.md", "Parker Solar Probe")
    b = _page(f"_i18n/{lang_b}/_posts/2018-08-11-{name_b}.md", "Parker Güneş Sondası", day)
    assert (merge_key(a) == merge_key(b)) == (name_a == name_b and day == PARKER)
