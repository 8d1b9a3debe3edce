"""The index's rows (index.codec) and the words of its full-text table (index.terms)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from spacenews import load_corpus
from spacenews.index.codec import (
    DamagedRow,
    document_of,
    document_row,
    event_of,
    event_row,
    mention_of,
    mention_row,
    pack,
    packer,
    problems_of,
    record_of,
    record_row,
    unpack,
    unpacker,
)
from spacenews.index.terms import has_cjk, terms, word_terms
from spacenews.jsonbytes import MANY
from spacenews.model import (
    Document,
    Event,
    EventRecord,
    Mention,
    Paragraph,
    Problem,
    Related,
    Source,
    Translation,
)

from .conftest import FIXTURES

ODD_NAME = "caf\udce9.md"  # the name of a Latin-1 file: its byte 0xE9 kept as a lone surrogate
LINK = Related("1969-07-20/apollo-11", date(1969, 7, 20), "Apollo 11 lands", ("Apollo", "NASA"))
MENTION = Mention(
    date(2016, 3, 14), "day", "ExoMars left on 14 March.", "exomars.md", "Launch", "en"
)


def _stored(row: list[Any]) -> Any:
    """A row as the index gives it back: packed, then unpacked."""
    return unpack(pack(row))


def _fields(record: EventRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in EventRecord.__slots__}


# pack / unpack


def test_pack_is_compact_utf8_json() -> None:
    assert pack({"a": [1, "é"], "b": None}) == '{"a":[1,"é"],"b":null}'.encode()


def test_pack_keeps_a_lone_surrogate_as_its_utf8_bytes() -> None:
    assert pack([ODD_NAME]) == b'["caf\xed\xb3\xa9.md"]'


def test_unpack_reads_a_lone_surrogate_back() -> None:
    assert unpack(b'["caf\xed\xb3\xa9.md"]') == [ODD_NAME]


# Any text a file name or a file can give: a lone surrogate, controls, separators.
_TEXT = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from("\x00\x7f\u2028\ud800\udce9")
)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT, lambda inner: st.lists(inner), max_leaves=8
)


@given(st.lists(_VALUES, min_size=1))
@example([ODD_NAME, ["\ud800", "\x00", 7, None]])
def test_the_quick_packer_gives_packs_bytes_and_the_quick_unpacker_reads_them(
    values: list[Any],
) -> None:
    quick, read = packer(MANY), unpacker(MANY)
    assert packer(MANY - 1) is pack and unpacker(MANY - 1) is unpack
    assert [quick(value) for value in values] == [pack(value) for value in values]
    assert [read(pack(value)) for value in values] == values


@pytest.mark.parametrize("value", [b"\xfe", b"{not json", b"", 7, "text"])
@pytest.mark.parametrize("count", [1, MANY])
def test_a_value_that_pack_never_wrote_is_a_damaged_row(value: Any, count: int) -> None:
    # sqlite3.DatabaseError, which a command tells as "the index is damaged" (exit 3)
    with pytest.raises(DamagedRow, match="a value that is no JSON"):
        unpacker(count)(value)


@pytest.mark.parametrize(
    ("read", "value"),
    [
        (event_of, {}),
        (record_of, []),
        (document_of, [1]),
        (mention_of, None),
        (problems_of, b"[1]"),
    ],
)
def test_a_row_of_another_shape_is_a_damaged_row(read: Any, value: Any) -> None:
    # What a hand-edited index holds ({} where a list was written): told as damaged.
    with pytest.raises(DamagedRow, match="a row it never wrote"):
        read(value)


# records


def test_a_record_row_holds_every_field_and_comes_back_whole() -> None:
    record = EventRecord(
        date(1969, 7, 20),
        "Apollo 11 lands",
        "Armstrong steps out.",
        [Source("NASA", "https://nasa.gov/a11")],
        ["Apollo", "Moon"],
        [LINK],
        ODD_NAME,
        "tag",
        "eventdate",
        "Apollo program",
        date(1969, 7, 24),
        date(1969, 7, 1),
        "en",
        "apollo-11",
    )
    assert record_row(record) == [
        "1969-07-20",
        "Apollo 11 lands",
        "Armstrong steps out.",
        [["NASA", "https://nasa.gov/a11"]],
        ["Apollo", "Moon"],
        [["1969-07-20/apollo-11", "1969-07-20", "Apollo 11 lands", ["Apollo", "NASA"]]],
        ODD_NAME,
        "tag",
        "eventdate",
        "Apollo program",
        "1969-07-24",
        "1969-07-01",
        "en",
        "apollo-11",
    ]
    back = record_of(_stored(record_row(record)))
    assert _fields(back) == {
        "date": date(1969, 7, 20),
        "headline": "Apollo 11 lands",
        "body": "Armstrong steps out.",
        "sources": [Source("NASA", "https://nasa.gov/a11")],
        "entities": ["Apollo", "Moon"],
        "related": [LINK],
        "document": ODD_NAME,
        "via": "tag",
        "date_source": "eventdate",
        "story": "Apollo program",
        "end_date": date(1969, 7, 24),
        "published": date(1969, 7, 1),
        "lang": "en",
        "ref": "apollo-11",
    }


# events

EVENT = Event(
    "1969-07-20/apollo-11-lands",
    date(1969, 7, 20),
    "Apollo 11 lands",
    "Armstrong steps out.",
    (Source("NASA", "https://nasa.gov/a11"), Source("ESA", "https://esa.int")),
    ("Apollo", "Moon"),
    (LINK,),
    ("a.md", ODD_NAME),
    "heading",
    (("Apollo", "context"), ("Moon", "tag")),
    "Apollo program",
    ("apollo", "Moon"),
    date(1969, 7, 24),
    date(1969, 7, 1),
    (Translation("tr", "Apollo 11 iniyor", "Armstrong dışarı çıkıyor.", "tr/a.md"),),
)


def test_event_row_holds_every_field_and_its_ties() -> None:
    assert event_row(EVENT) == [
        "1969-07-20/apollo-11-lands",
        "1969-07-20",
        "Apollo 11 lands",
        "Armstrong steps out.",
        [["NASA", "https://nasa.gov/a11"], ["ESA", "https://esa.int"]],
        ["Apollo", "Moon"],
        [["1969-07-20/apollo-11", "1969-07-20", "Apollo 11 lands", ["Apollo", "NASA"]]],
        ["a.md", ODD_NAME],
        "heading",
        [["Apollo", "context"], ["Moon", "tag"]],
        "Apollo program",
        ["apollo", "Moon"],
        "1969-07-24",
        "1969-07-01",
        [["tr", "Apollo 11 iniyor", "Armstrong dışarı çıkıyor.", "tr/a.md"]],
    ]


def test_an_event_comes_back_whole_from_its_stored_row() -> None:
    assert event_of(_stored(event_row(EVENT))) == EVENT


# documents and mentions

DOCUMENT = Document(
    ODD_NAME,
    "Mars missions",
    "prose",
    "ExoMars left on 14 March.",
    ("mars", "esa"),
    (Paragraph("ExoMars left on 14 March.", "en", "Launch", "caption"),),
    (MENTION,),
    ("Mars", "European Space Agency"),
)


def test_document_row_holds_its_paragraphs_and_mentions() -> None:
    assert document_row(DOCUMENT) == [
        ODD_NAME,
        "Mars missions",
        "prose",
        "ExoMars left on 14 March.",
        ["mars", "esa"],
        [["ExoMars left on 14 March.", "en", "Launch", "caption"]],
        [["2016-03-14", "day", "ExoMars left on 14 March.", "exomars.md", "Launch", "en"]],
        ["Mars", "European Space Agency"],
    ]


def test_a_document_comes_back_whole_from_its_stored_row() -> None:
    assert document_of(_stored(document_row(DOCUMENT))) == DOCUMENT


def test_mention_row_is_its_day_then_the_other_fields() -> None:
    assert mention_row(MENTION) == [
        "2016-03-14",
        "day",
        "ExoMars left on 14 March.",
        "exomars.md",
        "Launch",
        "en",
    ]


def test_a_mention_comes_back_from_its_row() -> None:
    assert mention_of(
        ["2016-03-14", "day", "ExoMars left.", "x.md", "Launch", "en"]
    ) == MENTION._replace(snippet="ExoMars left.", document="x.md")


def test_problems_come_back_from_their_packed_rows() -> None:
    data = pack([[ODD_NAME, 3, "no date", False], ["b.md", 0, "unreadable", True]])
    assert problems_of(data) == [
        Problem(ODD_NAME, 3, "no date", False),
        Problem("b.md", 0, "unreadable", True),
    ]


# terms


def test_has_cjk_of_nothing_is_false() -> None:
    assert has_cjk("") is False


def test_has_cjk_is_false_for_text_without_cjk() -> None:
    assert has_cjk("Planète rouge, système — “ok” ⁂") is False


def test_has_cjk_from_the_first_cjk_character_on() -> None:
    assert has_cjk("\u2e80") is True  # the first of the CJK radicals: the lowest CJK character
    assert has_cjk("\u2e7f") is False
    assert has_cjk("mars 火星") is True
    assert has_cjk("한국") is True
    assert has_cjk("\U00020000") is True  # CJK extension B, beyond the basic plane


def test_a_word_without_cjk_is_its_own_term() -> None:
    assert word_terms("mars") == ["mars"]


def test_a_cjk_run_becomes_its_overlapping_pairs() -> None:
    assert word_terms("火星探测") == ["火星", "星探", "探测"]


def test_a_lone_cjk_character_stays_a_term() -> None:
    assert word_terms("火") == ["火"]
    assert word_terms("a火") == ["a", "火"]


def test_the_latin_piece_of_a_mixed_word_stays_whole_beside_the_pairs() -> None:
    assert word_terms("abc火星探") == ["abc", "火星", "星探"]
    assert word_terms("火星abc探测12") == ["火星", "abc", "探测", "12"]


def test_terms_are_the_words_in_order() -> None:
    assert terms("red planet, 2016: mars") == ["red", "planet", "2016", "mars"]


def test_terms_cut_cjk_words_into_pairs_in_order() -> None:
    assert terms("mars 火星探测 rover 月") == ["mars", "火星", "星探", "探测", "rover", "月"]


def test_text_words_holds_the_words_of_each_plain_text_and_no_other() -> None:
    # The fixtures hold plain texts and others (French, Chinese): each plain event's and
    # document's words are its texts' runs of word characters, in lower case.
    corpus = load_corpus([FIXTURES])
    assert corpus.view is not None
    db = corpus.view.db
    db.execute("CREATE VIRTUAL TABLE temp.held USING fts5vocab(main, text_words, instance)")
    held: dict[int, set[str]] = {}
    for unit, term in db.execute("SELECT doc, term FROM temp.held"):
        held.setdefault(unit, set()).add(term)
    texts = db.execute(
        "SELECT u.id, e.texts, e.plain FROM units u JOIN events e ON e.id = u.event UNION ALL"
        " SELECT u.id, d.texts, d.plain FROM units u JOIN documents d USING (file, seq)"
    ).fetchall()
    expected = {
        unit: {w.lower() for w in re.findall(r"\w+", text)} for unit, text, plain in texts if plain
    }
    assert held == expected
    assert sum(plain for _, _, plain in texts) > 20 and sum(not plain for *_, plain in texts) > 5
