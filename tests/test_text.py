import re

from hypothesis import given
from hypothesis import strategies as st

from spacenews.text import _SPACES, _UNCLEAN, clean_inline, printable, slugify, strip_controls


def test_clean_inline_decodes_entities_and_drops_wiki_emphasis() -> None:
    assert clean_inline("  ESA&#39;s ''Schiaparelli''  lander &amp; TGO ") == (
        "ESA's Schiaparelli lander & TGO"
    )


def test_strip_controls_removes_whole_escape_sequences() -> None:
    assert (
        strip_controls("a\x1b[31mred\x1b[0m b\x1b]8;;http://x\x07link\x1b]8;;\x07") == "ared blink"
    )
    assert (
        strip_controls("bell\x07 nul\x00 csi\x9b tab\tnewline\n") == "bell nul csi tab\tnewline\n"
    )


def test_slugify_matches_the_corpus_slugs() -> None:
    headline = (
        "The European Space Agency-Roscosmos operated Schiaparelli EDM lander successfully "
        "separates from the ExoMars Trace Gas Orbiter spacecraft, beginning a three-day descent"
    )
    assert slugify(headline) == (
        "the-european-space-agency-roscosmos-operated-schiaparelli-edm-lander-successfully-"
        "separates-from-the-exomars-trace-gas-orbiter-spacecraft-b"
    )


def test_printable_shows_controls() -> None:
    assert printable("a\nb\x1bc") == "a\\nb\\x1bc"


@given(st.text())
def test_cleaned_text_has_no_control_characters(text: str) -> None:
    for cleaned in (clean_inline(text), strip_controls(text)):
        assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in cleaned)
    assert "\n" not in clean_inline(text)


_MIXED = st.text() | st.text(alphabet=" a-Z\t\n\x85\xa0\u2028\u202e\u200b\ue000&'", max_size=12)


@given(_MIXED)
def test_slugify_is_the_corpus_rule(text: str) -> None:
    # Each run of anything but lower-case letters and digits becomes one hyphen, none at the ends.
    assert slugify(text) == re.sub(r"[^a-z0-9]+", "-", text[:140].lower()).strip("-")


@given(_MIXED)
def test_clean_inline_skips_the_search_only_when_it_would_find_nothing(text: str) -> None:
    expected = text
    if "&" in expected:
        from html import unescape

        expected = unescape(expected)
    expected = re.sub("'{2,}", "", expected) if "''" in expected else expected
    if _UNCLEAN.search(expected):
        expected = _SPACES.sub(" ", strip_controls(expected))
    assert clean_inline(text) == expected.strip()
