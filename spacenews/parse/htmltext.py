"""HTML read as text by the standard library's parser, in its own module so that html.parser
(about 6 ms of a start) is imported only when a text holds a tag or an entity."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

# Elements that end a line of text, and those whose content is no text at all.
_BLOCKS = frozenset([
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
])  # fmt: skip
_HIDDEN = frozenset({"script", "style", "template", "head", "title"})


class TextCollector(HTMLParser):
    """The text in parts: tags dropped, a line end at each block, hidden elements left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


class LinkCollector(TextCollector):
    """The text in parts, each link's on its own: a list of [text, whether a link's]."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[list[Any]] = [["", False]]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        if tag == "a" or tag in _BLOCKS:
            self.pieces.append(["", tag == "a"])

    def handle_endtag(self, tag: str) -> None:
        super().handle_endtag(tag)
        if tag == "a" or tag in _BLOCKS:
            self.pieces.append(["", False])

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.pieces[-1][0] += data
