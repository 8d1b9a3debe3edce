"""HTML and Markdown read as text: what a feed's summaries and contents say, without their
tags; what a page's first heading says, without its marks."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from spacenews.text import clean_inline, without_scripts

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


def html_text(html: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, a paragraph per block,
    white space folded within each."""
    if "<" not in html and "&" not in html:
        return folded_paragraphs(html)
    from spacenews.parse.htmltext import TextCollector

    parser = TextCollector()
    parser.feed(html)
    parser.close()
    return folded_paragraphs("".join(parser.parts))


def html_parts(html: str) -> list[tuple[str, bool]]:
    """The text of an HTML fragment in parts, white space folded: each block's, and each
    link's on its own, with whether it is a link's (``<a href=...>NASA</a> / <a href=...>JPL</a>``
    is ("NASA", True), ("/", False), ("JPL", True))."""
    from spacenews.parse.htmltext import LinkCollector

    parser = LinkCollector()
    parser.feed(html)
    parser.close()
    return [(" ".join(text.split()), link) for text, link in parser.pieces if text.strip()]


def folded_paragraphs(text: str) -> str:
    """Each line of text with a word in it as a paragraph, white space folded within it."""
    return "\n\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


# What can make a line Markdown (or HTML) rather than plain text: without any, no parsing.
_MARKS = re.compile(r"[*_`\[\]<>&\\~!]")
_HEADING = re.compile(r"\A\s*#+\s*")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")


@functools.cache
def markdown_parser() -> MarkdownIt:
    """CommonMark with HTML, tables and strikethrough, as the corpora's sites write it
    (markdown-it-py, imported on first need: it costs tens of milliseconds)."""
    from markdown_it import MarkdownIt

    class Reader(MarkdownIt):
        def validateLink(self, url: str) -> bool:  # markdown-it-py's name
            """Every link is a link, its text shown (a javascript: or data: one was left as
            raw Markdown): where a link is shown, only web addresses are followed or said
            (render.markdown.link_style)."""
            return True

    return Reader("commonmark", {"html": True}).enable(["table", "strikethrough"])


def has_marks(text: str) -> bool:
    """Whether the text may hold Markdown or HTML: the cheap test before parsing it."""
    return _MARKS.search(text) is not None


def inline_text(markdown: str) -> str:
    """A line of Markdown as clean plain text (see text.clean_inline): emphasis, code and
    HTML tags dropped, a link or an image as its text, escapes and entities read."""
    if not has_marks(markdown):
        return clean_inline(markdown)
    (line,) = markdown_parser().parseInline(markdown)
    return clean_inline("".join(_token_text(token) for token in line.children or []))


def _token_text(token: Token) -> str:
    if token.type in ("text", "code_inline"):
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return " "
    if token.type == "image":  # its alt text is its children's
        return "".join(_token_text(child) for child in token.children or [])
    return ""


def heading_text(line: str) -> str:
    """A line that may head a page, as a title: without a heading's marks nor any markup;
    "" when it is a site's banner (a link to the site, named after its address), which many
    pages of a site start with and which names none of them."""
    line = _CLOSING_HASHES.sub("", _HEADING.sub("", line, count=1))
    text = inline_text(without_scripts(line))  # the words a reader sees
    return "" if text and _is_banner(line, text) else text


def _is_banner(line: str, text: str) -> bool:
    """Whether the line is one link, whose text is its address or the address's host."""
    if not has_marks(line):
        return False
    (inline,) = markdown_parser().parseInline(line)
    links = [token for token in inline.children or [] if token.type == "link_open"]
    if len(links) != 1:
        return False
    address = str(links[0].attrs.get("href", ""))
    host = host_of(address)
    name = text.casefold().removeprefix("www.").rstrip("/")
    return bool(host) and name in {host, address.casefold().rstrip("/")}


def host_of(url: str) -> str:
    """The host of an address, without www.; "" when it has none or is no address."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # "http://[bad"
        return ""
    return host.removeprefix("www.")
