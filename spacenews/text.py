"""Cleaning text that came from a document before it is stored or shown, and folding its case."""

from __future__ import annotations

import functools
import re

# C0 and C1 control characters, DEL, and the bidi overrides that can disguise text on a terminal.
# Newline and tab survive: they are layout, not commands.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A whole escape sequence (CSI or OSC), so that its parameters do not remain as text. It and
# wiki emphasis are rare: compiled by re on first use (and kept in its cache), not each start.
_ESCAPE = r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])"
_WIKI_EMPHASIS = r"'{2,}"
# Anything clean_inline must fold or remove: a control character, or white space other than
# single spaces.
_UNCLEAN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|[^\\S ]|  ")
_SPACES = re.compile(r"\s+")
_SLUG_RUN = re.compile(r"[a-z0-9]+")
_WORD_RUN = re.compile(r"[^\W_]+")  # letters and digits of any script
# Typographic marks an English text often holds: no letter, digit or combining mark, no case,
# and a word's end for both SQLite's unicode61 and the regex engine (tests/test_text.py checks).
_PLAIN = frozenset(map(chr, range(128))).union(
    "\u00a0\u00a9\u00ab\u00ae\u00b0\u00b7\u00bb",  # no-break space, (c), <<, (r), degree, dot, >>
    map(chr, range(0x2010, 0x2016)),  # dashes
    map(chr, range(0x2018, 0x2020)),  # quotation marks
    "\u2022\u2026\u2122",  # bullet, ellipsis, trade mark
)
# The characters of languages written without spaces between words: Han (with its extensions
# and compatibility forms), Hiragana, Katakana, Hangul (whose words take their particles
# without a space), as a regex class's ranges.
CJK_CHARS = (
    "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3131-\u318e"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f"
)
SLUG_LENGTH = 140  # the news corpus cuts its slugs at this many characters of the headline


@functools.cache
def _cjk() -> re.Pattern[str]:
    # Compiled when first needed: the class of ranges costs milliseconds at every start.
    return re.compile(f"[{CJK_CHARS}]")


def has_cjk(text: str) -> bool:
    """Whether the text holds a character of a language written without spaces."""
    if text.isascii():  # most texts: known at once
        return False
    if len(text) > LONG_TEXT:  # a corpus's whole text, asked about for each entity in turn
        return _long_has_cjk(text)
    return _scan_cjk(text)


LONG_TEXT = 100_000  # characters from which has_cjk remembers what it found (its hash, kept)


def _scan_cjk(text: str) -> bool:
    return max(text) >= "\u2e80" and _cjk().search(text) is not None  # below: none can be


_long_has_cjk = functools.lru_cache(maxsize=4)(_scan_cjk)


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters, keeping newlines and tabs."""
    if "\x1b" in text:
        text = re.sub(_ESCAPE, "", text)
    return _CONTROL.sub("", text)


@functools.cache
def _code_or_script() -> re.Pattern[str]:
    """Markdown code, a fenced block or a code span (not across a blank line), which is text
    as written ("<script>" in it is shown, and no element); or a script or style element's
    opening tag. Made on first need: start-up time counts."""
    return re.compile(
        r"(?P<code>^ {0,3}(?P<fence>`{3,}|~{3,}).*?(?:^ {0,3}(?P=fence)[ \t]*$|\Z)"
        r"|(?P<ticks>`+)(?:[^\n]|\n(?![ \t]*\n))+?(?<!`)(?P=ticks)(?!`))"
        r"|<(?P<tag>script|style)\b[^>]*>",
        re.IGNORECASE | re.DOTALL | re.MULTILINE,
    )


def without_scripts(text: str) -> str:
    """Text without its HTML script and style elements, which no reader of the page sees.
    Only an element that is closed: a "<style>" alone is text a feed quoted, as the words
    after it; and Markdown code keeps what it shows (`<style>`)."""
    if "<" not in text:
        return text
    pieces, kept, at = [], 0, 0
    unclosed: set[str] = set()  # once a tag has no end, no later one of its name has
    while found := _code_or_script().search(text, at):
        at = found.end()
        tag = (found["tag"] or "").lower()
        end = None
        if tag and tag not in unclosed:  # its end, compiled once (re keeps the pattern)
            end = re.compile(rf"</{tag}\s*>", re.IGNORECASE).search(text, at)
        if end is not None:
            pieces.append(text[kept : found.start()])
            kept = at = end.end()
        elif tag:
            unclosed.add(tag)
    return "".join([*pieces, text[kept:]])


def is_web_address(url: str) -> bool:
    """Whether a document's address may become a link that a click or an app opens: http
    and https only (never javascript:, data:, file: or a custom scheme)."""
    return url.lower().startswith(("http://", "https://"))


def clean_inline(text: str, *, decoded: bool = False) -> str:
    """One line of document text: entities decoded (unless decoded says a parser did: a
    page's "&amp;lt;" is the "&lt;" it shows), wiki emphasis dropped, spaces folded."""
    # Each step runs only when a cheap test says it has work: this is the loader's hot path.
    if "&" in text and not decoded:
        from html import unescape  # on first need: its table of entities is slow to import

        text = unescape(text)
    if "''" in text:
        text = re.sub(_WIKI_EMPHASIS, "", text)
    # Every character _UNCLEAN finds but the double space is unprintable, and isprintable is
    # much quicker than the search: most lines are clean, and skip it.
    if (not text.isprintable() or "  " in text) and _UNCLEAN.search(text):
        text = _SPACES.sub(" ", strip_controls(text))
    return text.strip()


def slugify(text: str) -> str:
    """The URL slug the news corpus derives from a headline: its runs of lower-case letters
    and digits, joined by hyphens."""
    return "-".join(_SLUG_RUN.findall(text[:SLUG_LENGTH].lower()))


def headline_slug(text: str) -> str:
    """The slug of a headline: slugify's, unless most of its letters are of another script
    than Latin (Chinese, Russian, ...), which slugify would drop, giving two headlines of a day
    one slug: then its runs of letters and digits of any script, lower-cased, joined by
    hyphens. ("Space-π to transmit" keeps the corpus slug.)"""
    if text.isascii():
        return slugify(text)
    other = sum(map(_other_script, text))
    if not other or other <= sum(map(str.isalpha, text)) - other:
        return slugify(text)
    return "-".join(_WORD_RUN.findall(text[:SLUG_LENGTH].lower()))


def _other_script(char: str) -> bool:
    """Whether the character is a letter beyond the Latin blocks (Basic to Extended-B, and
    Extended Additional: what Western and Turkish headlines are written in)."""
    return char > "\u024f" and not "\u1e00" <= char <= "\u1eff" and char.isalpha()


ECHO_CHARS = 60  # what a message echoes of a value the user gave is cut to this length


def shorten(text: str, limit: int) -> str:
    """The text, or its first limit - 1 characters and an ellipsis when it is longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def echo(text: str) -> str:
    """A value the user gave as a message echoes it: cut to ECHO_CHARS and quoted, each
    control character, bidi mark and backslash escaped once, as Python writes a string."""
    return repr(shorten(text, ECHO_CHARS))


def printable(text: str) -> str:
    """Text with every control character shown as an escape, for names such as file paths."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text.replace("\n", "\\n"))


# Three foldings, one for each way text is compared: names (as keys), regex matches (by place)
# and search words (without accents). Each keeps what its use needs and no more, so their
# results differ ("Baïkonour": "baïkonour", "baïkonour", "baikonour"; "ß": "ß", "ß", "ss").


def fold(name: str) -> str:
    """The key under which names compare: case- and space-insensitive."""
    return " ".join(name.split()).casefold()


def bare(name: str) -> str:
    """A name folded (see fold) and without diacritics: the key under which a name typed
    without its accents ("agence spatiale europeenne") finds the one written with them."""
    return normalise(fold(name))


def fold_case(text: str) -> str | None:
    """The text with each character replaced by the one the regex engine's ignore-case
    matching takes it for, position for position: a (?i:...) match of a word can only start
    where the folded text holds the folded word. None when it cannot be done."""
    folded = text.replace("\u0130", "i") if "\u0130" in text else text
    folded = folded.lower()  # its one longer lower case form, of U+0130, is gone
    if len(folded) != len(text):
        return None
    if folded.isascii():  # known at once: the table below changes no ASCII letter
        return folded
    table, present = _regex_cases()
    return folded.translate(table) if present.search(folded) else folded


def plain_words(text: str) -> bool:
    """Whether SQLite's unicode61 tokenizer (its token characters: letters, digits, private
    use; here with "_") and the regex engine's \\w split the text into the same words, with
    no case but ASCII's: so when each character is ASCII or one of the common marks of
    _PLAIN. Then a name's regex can match in the text only where the ASCII words of its
    first word are words of the text (see index.finding)."""
    return text.isascii() or _PLAIN.issuperset(text)


def normalise(text: str) -> str:
    """Lower case without diacritics, for search: "Planète" and "planete" become the same."""
    if text.isascii():  # nothing to decompose or drop: most text, and search's hot path
        return text.lower()
    import unicodedata  # here, not at start-up: only search needs it

    decomposed = unicodedata.normalize("NFKD", text)
    # Each character asked about once, not at each place, and each mark dropped everywhere
    # at once: a text holds few kinds of marks.
    for mark in [c for c in set(decomposed) if unicodedata.combining(c)]:
        decomposed = decomposed.replace(mark, "")
    return decomposed.casefold()


# Lower-case letters that the regex engine's ignore-case matching takes for one another though
# they are not one another's lower case (the engine's own table is private: re._casefix).
# tests/test_text.py checks them against re itself, for every character.
_REGEX_SAME_LETTERS = (
    "i\u0131",  # i, dotless i
    "s\u017f",  # s, long s
    "\u00b5\u03bc",  # micro sign, mu
    "\u0345\u03b9\u1fbe",  # combining ypogegrammeni, iota, prosgegrammeni
    "\u0390\u1fd3",  # iota with dialytika and tonos, and with oxia
    "\u03b0\u1fe3",  # upsilon with dialytika and tonos, and with oxia
    "\u03b2\u03d0",  # beta, beta symbol
    "\u03b5\u03f5",  # epsilon, lunate epsilon
    "\u03b8\u03d1",  # theta, theta symbol
    "\u03ba\u03f0",  # kappa, kappa symbol
    "\u03c0\u03d6",  # pi, pi symbol
    "\u03c1\u03f1",  # rho, rho symbol
    "\u03c2\u03c3",  # final sigma, sigma
    "\u03c6\u03d5",  # phi, phi symbol
    "\u0432\u1c80",  # ve, rounded ve
    "\u0434\u1c81",  # de, long-legged de
    "\u043e\u1c82",  # o, narrow o
    "\u0441\u1c83",  # es, wide es
    "\u0442\u1c84\u1c85",  # te, tall te, three-legged te
    "\u044a\u1c86",  # hard sign, tall hard sign
    "\u0463\u1c87",  # yat, tall yat
    "\u1c88\ua64b",  # unblended uk, monograph uk
    "\u1e61\u1e9b",  # s with dot above, long s with dot above
    "\ufb05\ufb06",  # ligatures long s t, s t
)


@functools.cache
def _regex_cases() -> tuple[dict[int, int], re.Pattern[str]]:
    # Each letter of a group becomes its least, and a search tells whether a text holds any
    # (quicker than translating a long text that holds none).
    table = {ord(c): ord(min(group)) for group in _REGEX_SAME_LETTERS for c in group}
    table = {letter: least for letter, least in table.items() if letter != least}
    return table, re.compile("[" + "".join(re.escape(chr(letter)) for letter in table) + "]")
