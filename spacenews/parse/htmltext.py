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


# What a page holds besides its text: menus, banners, footers (left out of its text); its
# forms' text is left out too, unless they hold most of it (see PageReader.text).
_AROUND = frozenset({"nav", "header", "footer", "aside", "noscript", "svg", "button"})
_MAIN = frozenset({"article", "main"})  # where a page's own text is, when it says
# What a page's head holds: any other element begins its body, as where </head> is left out
# (HTML lets a page leave out </head> and <body>: a browser shows what follows).
_HEAD = frozenset({"base", "link", "meta", "noscript", "script", "style", "template", "title"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})  # any of whose ends ends one


class PageReader(TextCollector):
    """A whole page: its text (that of its first article or main element when it has one),
    without what lies around it; its title, first heading, meta tags, canonical address and
    first time stamp."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.heading = ""  # the first h1's text
        self.canonical = ""
        self.time = ""  # the first <time datetime>'s
        self.metas: dict[str, list[str]] = {}  # by name or property, lower-cased
        self.around = 0  # depth in elements left out
        self.main: list[str] | None = None  # the parts of the first article or main element
        self.main_depth = 0  # depth in it (0: out of it)
        self._in = ""  # "title" or "h1" while in the first of these
        self.head = False  # in the head: its text is none of the page's
        self.form = 0  # depth in forms
        self.main_form = 0  # the depth in forms where the main element began
        self.every: list[str] = []  # the text, its forms' included
        self.linked: list[str] = []  # its JSON-LD scripts' text (schema.org's data)
        self._linked = False  # in such a script

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self.head = True
            return
        self.head = self.head and tag in _HEAD
        if self._in == "h1" and tag in _HEADINGS:  # a heading in a heading: the first ended
            self._in = ""
        if tag == "br":  # a line break within a paragraph, as a space: no paragraph of its own
            self.handle_data(" ")
            return
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            self._linked = values.get("type", "").strip().lower() == "application/ld+json"
        elif tag == "meta":
            key = values.get("property") or values.get("name") or values.get("itemprop", "")
            if key and "content" in values:
                self.metas.setdefault(key.strip().lower(), []).append(values["content"])
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href", "").strip()
        elif tag == "time" and not self.time:
            self.time = values.get("datetime", "").strip()
        elif not self.around and (tag, "") in (("title", self.title), ("h1", self.heading)):
            self._in = tag  # the first title, the first h1: not an svg's title
        self.around += tag in _AROUND
        # The first article or main element of the page's own: not a menu's, an aside's card,
        # a template's (whose text is left out, and would leave the page none).
        outside = not (self.around or self.hidden or self.head)
        if tag in _MAIN and (self.main_depth or (self.main is None and outside)):
            if self.main is None:
                self.main, self.main_form = [], self.form
            self.main_depth += 1
        self.form += tag == "form"
        super().handle_starttag(tag, attrs)
        if tag in _BLOCKS:
            self.every.append("\n")
            if self.main_depth:
                self._main().append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # <br/> is a start and an end: its start was the space
            return
        if tag == "head":
            self.head = False
            return
        if tag == "script":
            self._linked = False
        if tag == self._in or (self._in == "h1" and tag in _HEADINGS):  # <h1>A</h2>: as a browser
            self._in = ""
        if tag in _AROUND:
            self.around = max(0, self.around - 1)
        if tag == "form":
            self.form = max(0, self.form - 1)
        super().handle_endtag(tag)
        if tag in _BLOCKS:
            self.every.append("\n")
            if self.main_depth:
                self._main().append("\n")
        if tag in _MAIN and self.main_depth:
            self.main_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._linked:
            self.linked.append(data)
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.heading += data
        if self.hidden or self.around or self.head:
            return
        data = data.replace("\n", " ")  # a line's end in the source is a space in a page
        self.every.append(data)
        if not self.form:
            self.parts.append(data)
        if self.main_depth and self.form <= self.main_form:  # not a form within it
            self._main().append(data)

    def _main(self) -> list[str]:
        assert self.main is not None  # in it: it began
        return self.main

    def meta(self, name: str) -> str:
        """The first content of a meta tag of this name or property; "" when none."""
        return next((value.strip() for value in self.metas.get(name, []) if value.strip()), "")

    def tags(self) -> list[str]:
        """The page's tags: its article:tag metas, then its keywords (comma-separated)."""
        keywords = [word for value in self.metas.get("keywords", []) for word in value.split(",")]
        return [*self.metas.get("article:tag", []), *keywords]

    def text(self) -> str:
        """The page's text: its first article's or main element's when that holds any; else
        all of it but its forms (a search box, a sign-up), unless they hold most of it: an
        ASP.NET page is one form."""
        main = "".join(self.main or [])
        if main.strip():
            return main
        text, every = "".join(self.parts), "".join(self.every)
        return every if _letters(every) > 2 * _letters(text) else text


def _letters(text: str) -> int:
    """How many characters of a text are not white space."""
    return sum(map(len, text.split()))
