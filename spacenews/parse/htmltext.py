"""HTML read as text by the standard library's parser, in its own module so that html.parser
(about 6 ms of a start) is imported only when a text holds a tag or an entity."""

from __future__ import annotations

import re
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


# What a page holds besides its text: menus, banners, footers (left out of its text; a
# header or a footer of an article or of the main element is its own, and stays); its forms'
# text is left out too, unless they hold most of it (see PageReader.text).
_AROUND = frozenset({"nav", "aside", "noscript", "svg", "button"})
_BANNERS = frozenset({"header", "footer"})  # around, outside an article or the main element
# Elements whose role says they are around the text (WAI-ARIA's landmarks and dialogs).
_AROUND_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog"}
)
# Classes and ids of what pages put around their text: as Mozilla's Readability reads
# them (its "unlikely candidates", but for those it keeps when they also say "content").
_CLUTTER = re.compile(
    r"-ad-|breadcrumb|comment|consent|cookie|disqus|footer|gdpr|menu|newsletter|pager|"
    r"pagination|popup|promo|related|share|sharing|shoutbox|sidebar|skyscraper|social|"
    r"sponsor|subscribe",
    re.IGNORECASE,
)
_MAYBE_TEXT = re.compile(r"article|body|column|content|main", re.IGNORECASE)
_NEVER_CLUTTER = frozenset({"html", "body", "article", "main", "a", "h1"})
# Elements that never have an end: never on the stack of open elements.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip
# What a page's head holds: any other element begins its body, as where </head> is left out
# (HTML lets a page leave out </head> and <body>: a browser shows what follows).
_HEAD = frozenset({"base", "link", "meta", "noscript", "script", "style", "template", "title"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})  # any of whose ends ends one
# Elements a start ends, as a browser ends them (HTML lets a page leave out </p>, </li>,
# </dt>, </dd>, </tr>, </td>, </th>): by the start, each time those it ends and those below
# which it looks for them no further (a list, a table, a cell...).
_Ends = tuple[frozenset[str], frozenset[str]]
_P: _Ends = (frozenset({"p"}), frozenset({"table", "td", "th", "caption", "button", "template"}))
_IMPLIED_ENDS: dict[str, tuple[_Ends, ...]] = {
    **dict.fromkeys(
        ["address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
         "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
         "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
         *_HEADINGS],
        (_P,),
    ),
    "li": ((frozenset({"li"}), frozenset({"ul", "ol", "menu", "table", "td", "th"})), _P),
    **dict.fromkeys(
        ["dt", "dd"], ((frozenset({"dt", "dd"}), frozenset({"dl", "table", "td", "th"})), _P)
    ),
    **dict.fromkeys(["td", "th"], ((frozenset({"td", "th"}), frozenset({"tr", "table"})),)),
    "tr": ((frozenset({"tr", "td", "th"}), frozenset({"table", "thead", "tbody", "tfoot"})),),
    **dict.fromkeys(
        ["thead", "tbody", "tfoot"],
        ((frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),),
    ),
}  # fmt: skip
_LOOK_DOWN = 64  # open elements looked through for one a start ends (a page may nest more)


class PageReader(TextCollector):
    """A whole page: its text (that of its main element, else of its articles, when it has
    them), without what lies around it; its title, first heading, meta tags, canonical
    address and first time stamp."""

    def __init__(self, exempt: frozenset[int] | None = frozenset()) -> None:
        """exempt: the elements (by their place among the page's starts) whose class or id
        says nothing of them (None: any's); see PageReader.held."""
        super().__init__()
        self.exempt = exempt
        self.title = ""
        self.heading = ""  # the first h1's text, outside what lies around the page's own
        self.canonical = ""
        self.time = ""  # the first <time datetime>'s, outside what lies around the text
        self.main_time = ""  # ... in the main element or an article
        self.metas: dict[str, list[str]] = {}  # by name, property or http-equiv, lower-cased
        # The open elements: tag, whether around the text, whether it is one of the main
        # element or the articles that main_depth or article_depth count, its place among
        # the starts.
        self.open: list[tuple[str, bool, bool, int]] = []
        self.opened: dict[str, int] = {}  # how many of them have each tag
        self.starts = 0  # how many elements began so far
        # The open elements around the text by their class or id alone (by their place among
        # the starts), those of them that hold the page's heading or main element, and
        # whether any text was left out as theirs.
        self.named: list[int] = []
        self.held: set[int] = set()
        self._held = 0  # how many of named are in held already
        self.named_text = False
        self.around = 0  # how many of them are around the text
        self.main: list[str] | None = None  # the parts of the first main element
        self.articles: list[str] = []  # the parts of the articles (not one in another)
        self.main_depth = 0  # depth in the main element (0: out of it)
        self.article_depth = 0  # depth in articles
        self.main_form = self.article_form = 0  # the depth in forms where they began
        self.pre = 0  # depth in pre elements, whose lines stay lines
        self._in = ""  # "title" or "h1" while in the first of these
        self.head = False  # in the head: its text is none of the page's
        self.form = 0  # depth in forms
        self.every: list[str] = []  # the text, its forms' included
        self.linked: list[str] = []  # its JSON-LD scripts' text (schema.org's data)
        self._linked = False  # in such a script

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <img/>, <div/>: a start alone (a void element never ends; another's end
        # would be lost, as it is to a browser, which reads <div/> as <div>).
        self.handle_starttag(tag, attrs)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self.head = True
            return
        self.head = self.head and tag in _HEAD
        for ends, below in _IMPLIED_ENDS.get(tag, ()):
            self._end_implied(ends, below)
        if self._in == "h1" and tag in _HEADINGS:  # a heading in a heading: the first ended
            self._in = ""
        if tag == "br":  # a line break within a paragraph, as a space: no paragraph of its own
            self.handle_data("\n" if self.pre else " ")
            return
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            self._linked = values.get("type", "").strip().lower() == "application/ld+json"
        elif tag == "meta":
            key = next(
                (
                    values[k]
                    for k in ("property", "name", "itemprop", "http-equiv")
                    if values.get(k)
                ),
                "",
            )
            # Not a noscript's: a refresh there sends elsewhere a browser without scripts.
            if key and "content" in values and not self.opened.get("noscript"):
                self.metas.setdefault(key.strip().lower(), []).append(values["content"])
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href", "").strip()
        elif tag == "time" and not self.around and not self.head:
            stamp = values.get("datetime", "").strip()
            self.time = self.time or stamp
            if self.main_depth or self.article_depth:
                self.main_time = self.main_time or stamp
        elif not self.around and (tag, "") in (("title", self.title), ("h1", self.heading)):
            self._in = tag  # the first title, the first h1: not an svg's title, nor a menu's
        if tag in ("h1", "main") and self.named and self.around == len(self.named):
            # A heading or a main element in what only a class or an id says is clutter
            # ("has-sidebar", "category-commentary"): the page's own.
            self.held.update(self.named[self._held :])
            self._held = len(self.named)
        if tag not in _VOID:
            around = self._is_around(tag, values)
            if around is None:  # by its class or id
                around = True
                self.named.append(self.starts)
            self.open.append((tag, around, False, self.starts))
            self.starts += 1
            self.opened[tag] = self.opened.get(tag, 0) + 1
            self.around += around
            self.pre += tag == "pre"
            self.form += tag == "form"
        # The main element and the articles of the page's own: not a menu's, an aside's
        # cards, a template's (whose text is left out, and would leave the page none).
        outside = not (self.around or self.hidden or self.head)
        if tag == "main" and (self.main_depth or (self.main is None and outside)):
            if self.main is None:
                self.main, self.main_form = [], self.form
            self.main_depth += 1
            self.open[-1] = (tag, self.open[-1][1], True, self.open[-1][3])
        elif tag == "article" and (self.article_depth or outside):
            self.article_form = self.article_form if self.article_depth else self.form
            self.article_depth += 1
            self.open[-1] = (tag, self.open[-1][1], True, self.open[-1][3])
        super().handle_starttag(tag, attrs)
        if tag in _BLOCKS:
            self._add("\n")

    def _is_around(self, tag: str, values: dict[str, str]) -> bool | None:
        """Whether an element is around the page's text: a menu, a banner, a cookie notice,
        a share bar, a comments section; or hidden. None when only its class or id says so
        (not of an element exempt)."""
        if tag in _AROUND or "hidden" in values or values.get("aria-hidden") == "true":
            return True
        if tag in _BANNERS:
            return not (self.main_depth or self.article_depth)
        if values.get("role", "").strip().lower() in _AROUND_ROLES:
            return True
        if tag in _NEVER_CLUTTER or self.exempt is None or self.starts in self.exempt:
            return False
        names = f"{values.get('class', '')} {values.get('id', '')}"
        cluttered = _CLUTTER.search(names) is not None and _MAYBE_TEXT.search(names) is None
        return None if cluttered else False

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.head = False
            return
        if tag == "script":
            self._linked = False
        if tag == self._in or (self._in == "h1" and tag in _HEADINGS):  # <h1>A</h2>: as a browser
            self._in = ""
        # The element ends, and every element opened in it and left open (<p> without </p>);
        # an end without a start is none, found so without a look down the stack (a page of
        # paragraphs left open, each with a </br>, took a time that grew with its squared
        # length).
        super().handle_endtag(tag)
        if tag in _BLOCKS:
            self._add("\n")
        if self.opened.get(tag):
            while self._close() != tag:
                pass

    def _end_implied(self, ends: frozenset[str], below: frozenset[str]) -> None:
        """End the open element that a start ends (with those opened in it), if any: the
        first of ends above any of below."""
        if not any(self.opened.get(tag) for tag in ends):
            return
        for at in range(len(self.open) - 1, max(-1, len(self.open) - 1 - _LOOK_DOWN), -1):
            tag = self.open[at][0]
            if tag in ends:
                while len(self.open) > at:
                    self._close()
                return
            if tag in below:
                return

    def _close(self) -> str:
        """End the last open element: its tag."""
        tag, around, counted, start = self.open.pop()
        self.opened[tag] -= 1
        self.around -= around
        if self.named and self.named[-1] == start:
            self.named.pop()
            self._held = min(self._held, len(self.named))
        self.pre -= tag == "pre"
        self.form -= tag == "form"
        if counted and tag == "main":
            self.main_depth -= 1
        elif counted:
            self.article_depth -= 1
        return tag

    def handle_data(self, data: str) -> None:
        if self._linked:
            self.linked.append(data)
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.heading += data
        if self.hidden or self.head:
            return
        if not self.pre:
            data = data.replace("\n", " ")  # a line's end in the source is a space in a page
        self._add(data)

    def _add(self, data: str) -> None:
        """Text, or a block's line end, where it belongs: unless it is around the text."""
        if self.around:
            self.named_text |= self.around == len(self.named) and not data.isspace()
            return
        self.every.append(data)
        if not self.form:
            self.parts.append(data)
        # Not a form in them (a search box); a page held in one form (ASP.NET's) is read.
        if self.main_depth and self.form <= self.main_form:
            self._main().append(data)
        if self.article_depth and self.form <= self.article_form:
            self.articles.append(data)

    def _main(self) -> list[str]:
        assert self.main is not None  # in it: it began
        return self.main

    def meta(self, name: str) -> str:
        """The first content of a meta tag of this name or property; "" when none."""
        return next((value.strip() for value in self.metas.get(name, []) if value.strip()), "")

    def tags(self) -> list[str]:
        """The page's tags: its article:tag metas (its keywords are a search engine's, and
        name no entity: "breaking news")."""
        return self.metas.get("article:tag", [])

    def own_text(self) -> str:
        """The text of its main element when that holds any, else of its articles; else ""."""
        for part in (self.main or [], self.articles):
            if (text := "".join(part)).strip():
                return text
        return ""

    def text(self) -> str:
        """The page's text: its main element's when that holds any, else its articles';
        else all of it but its forms (a search box, a sign-up), unless they hold most of it:
        an ASP.NET page is one form."""
        if text := self.own_text():
            return text
        text, every = "".join(self.parts), "".join(self.every)
        return every if _letters(every) > 2 * _letters(text) else text


def _letters(text: str) -> int:
    """How many characters of a text are not white space."""
    return sum(map(len, text.split()))
