"""HTML read as text: what a feed's summaries and contents say, without their tags."""

from __future__ import annotations

from html.parser import HTMLParser

# Elements that end a line of text, and those whose content is no text at all.
_BLOCKS = frozenset([
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
])  # fmt: skip
_HIDDEN = frozenset({"script", "style", "template", "head", "title"})


class _TextCollector(HTMLParser):
    def __init__(self, breaks: frozenset[str] = _BLOCKS) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.breaks = breaks  # the elements that end a line

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in self.breaks:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.breaks:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, a paragraph per block,
    white space folded within each."""
    if "<" not in html and "&" not in html:
        return "\n\n".join(_paragraphs(html))
    parser = _TextCollector()
    parser.feed(html)
    parser.close()
    return "\n\n".join(_paragraphs("".join(parser.parts)))


def html_parts(html: str) -> list[str]:
    """The text of an HTML fragment in parts: each block's, and each link's on its own
    (``<a href=...>NASA</a> / <a href=...>JPL</a>`` is "NASA", "/", "JPL")."""
    parser = _TextCollector(_BLOCKS | {"a"})
    parser.feed(html)
    parser.close()
    return _paragraphs("".join(parser.parts))


def _paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]
