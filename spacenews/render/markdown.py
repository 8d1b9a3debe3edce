"""Markdown and HTML from documents, rendered for people: emphasis as style, a link as its
text (with its address where that helps), lists, quotes, code and tables kept as such.

Document text is data: it only ever goes into Text objects (never read as Rich markup), its
control characters stripped after markdown-it-py has parsed it and read its entities.
rich.markdown is not used: it lets escape sequences through, drops HTML blocks, centres
headings in boxes and imports pygments; and a title or a snippet must stay one line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from spacenews.parse.markup import has_marks, html_text, markdown_parser
from spacenews.text import is_web_address, strip_controls

if TYPE_CHECKING:
    from markdown_it.token import Token
    from markdown_it.tree import SyntaxTreeNode

PARAGRAPHS_A_TEXT = 40  # see body
ADDRESS_STYLE = "dim"
LINK_LOOK = Style(underline=True)
CODE_STYLE = "bold"
MARGIN_STYLE = "dim"
QUOTE_MARGIN = "▌ "
CODE_MARGIN = "    "
BULLET = "• "
# Markdown's inline elements, and the HTML tags that say the same, as styles.
_STYLES = {
    "em": "italic",
    "i": "italic",
    "strong": "bold",
    "b": "bold",
    "s": "strike",
    "del": "strike",
    "u": "underline",
    "a": "underline",
    "code": CODE_STYLE,
}
_SPACES = re.compile(r"[ \t]{2,}|\t")  # a run of spaces or tabs, as a browser shows it
_PRE = re.compile(r"\s*<pre\b[^>]*>(.*?)(?:</pre\s*>\s*)?\Z", re.IGNORECASE | re.DOTALL)
_ANY_TAG = re.compile(r"<[^>]*>")
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
# The end of an excerpt cut inside a link: "[text](https://exam…" or "[text…".
_CUT_LINK = re.compile(r"!?\[([^\]]*)(?:\]\([^)]*)?…$")
# What opens a line of a heading or a quote: an excerpt taken from such a line starts with it.
_BLOCK_MARKS = re.compile(r"\A(?:#{1,6}|>)(?: +|\Z)")


def link_style(url: str, look: Style = LINK_LOOK) -> Style:
    """A link's style: only web addresses become terminal hyperlinks, so that a file:// or
    custom scheme link in a document cannot turn into something a click would open."""
    if is_web_address(url):
        return look + Style(link=url)
    return look


def inline(text: str, style: str = "") -> Text:
    """One line for people (a title, a headline, a snippet): Markdown's and HTML's inline
    marks as styles, a link as its text, line breaks as spaces, the marks of a heading or a
    quote it was taken from dropped."""
    text = _BLOCK_MARKS.sub("", " ".join(strip_controls(text).split()))
    if not has_marks(text):
        return Text(text, style=style)
    (line,) = markdown_parser().parseInline(_CUT_LINK.sub(r"\1…", text))
    out = Text(style=style)
    _append_inline(out, line.children or [], block=False)
    return out


def title(text: str) -> Text | str:
    """A title or headline as a table cell: the text itself when it holds no marks."""
    return inline(text) if has_marks(text) else text


def body(text: str) -> RenderableType:
    """A body of Markdown (and HTML) as blocks: paragraphs reflowed (a run of spaces or tabs as one,
    as a browser shows it), links followed by their address, lists, quotes, code and tables
    laid out."""
    if not has_marks(text) and "\n" not in text:
        return Text(_SPACES.sub(" ", strip_controls(text)))
    from markdown_it.tree import SyntaxTreeNode

    tree = SyntaxTreeNode(markdown_parser().parse(text))
    blocks = _blocks(tree.children, tight=False)
    texts = [block.content for block in blocks if not block.first and block.gap]
    if len(texts) == len(blocks) and all(isinstance(text, Text) for text in texts):
        # Paragraphs and headings only (most bodies): one Text, much quicker to lay out than
        # one each; but a Text a few paragraphs long, as Rich cuts a Text's lines in a time
        # that grows with its length squared (a page of 6,000 paragraphs took seconds).
        paragraphs = [text for text in texts if isinstance(text, Text)]
        joined = [
            Text("\n\n").join(paragraphs[low : low + PARAGRAPHS_A_TEXT])
            for low in range(0, len(paragraphs), PARAGRAPHS_A_TEXT)
        ]
        if len(joined) <= 1:
            return joined[0] if joined else Text()
        parts: list[RenderableType] = []
        for chunk in joined:
            parts += [Text(), chunk] if parts else [chunk]  # a blank line between
        return Group(*parts)
    return Blocks(blocks)


class Block(NamedTuple):
    """A block of a body: what leads its first line and its other lines, and its content."""

    first: str
    rest: str
    content: RenderableType
    gap: bool = True  # a blank line before it (unless it comes first)
    margin_style: str = MARGIN_STYLE


class Blocks:
    """Blocks one under another, each line led by its block's margin (a bullet, a quote's
    bar, the indent of code); the content is wrapped to the width the margin leaves."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = blocks

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for number, block in enumerate(self.blocks):
            if number and block.gap:
                yield Segment.line()
            width = max(options.max_width - cell_len(block.first), 1)
            lines = console.render_lines(block.content, options.update_width(width), pad=False)
            style = console.get_style(block.margin_style)
            for index, line in enumerate(lines):
                yield Segment(block.rest if index else block.first, style)
                yield from line
                yield Segment.line()


def _blocks(nodes: Sequence[SyntaxTreeNode], tight: bool) -> list[Block]:
    blocks: list[Block] = []
    for node in nodes:
        kind = node.type
        if kind in ("paragraph", "heading"):
            text = _inline_node(node)
            if kind == "heading":
                text.stylize("bold underline" if node.tag == "h1" else "bold")
            blocks.append(Block("", "", text, gap=not tight))
        elif kind in ("bullet_list", "ordered_list"):
            blocks.extend(_list(node, tight))
        elif kind == "blockquote":
            quoted = Blocks(_blocks(node.children, tight=False))
            blocks.append(Block(QUOTE_MARGIN, QUOTE_MARGIN, quoted, gap=not tight))
        elif kind in ("code_block", "fence"):
            code = Text(strip_controls(node.content.rstrip("\n")), style=CODE_STYLE)
            blocks.append(Block(CODE_MARGIN, CODE_MARGIN, code, gap=not tight))
        elif kind == "html_block" and (pre := _PRE.match(node.content)):  # as written
            import html

            written = html.unescape(_ANY_TAG.sub("", pre[1])).removeprefix("\n").rstrip()
            code = Text(strip_controls(written), style=CODE_STYLE)
            blocks.append(Block(CODE_MARGIN, CODE_MARGIN, code, gap=not tight))
        elif kind == "html_block":
            for paragraph in html_text(node.content).split("\n\n"):
                if paragraph:
                    blocks.append(Block("", "", Text(strip_controls(paragraph)), not tight))
        elif kind == "hr":
            blocks.append(Block("", "", Text("───", style=MARGIN_STYLE), gap=not tight))
        elif kind == "table":
            blocks.append(Block("", "", _table(node), gap=not tight))
    return blocks


def _list(node: SyntaxTreeNode, tight: bool) -> list[Block]:
    items = []
    start = int(str(node.attrs.get("start", 1)))
    # A tight list's paragraphs are hidden: its items follow one another without a gap.
    loose = any(not child.hidden for item in node.children for child in item.children[:1])
    for number, item in enumerate(node.children, start):
        marker = f"{number}. " if node.type == "ordered_list" else BULLET
        content = Blocks(_blocks(item.children, tight=not loose))
        gap = loose or (number == start and not tight)
        items.append(Block(marker, " " * len(marker), content, gap=gap))
    return items


def _table(node: SyntaxTreeNode) -> RenderableType:
    from rich import box
    from rich.table import Table

    rows = [row for part in node.children for row in part.children]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, header_style="bold")
    for cell in rows[0].children if rows else []:
        table.add_column(_inline_node(cell))
    for row in rows[1:]:
        table.add_row(*(_inline_node(cell) for cell in row.children))
    return table


def _inline_node(node: SyntaxTreeNode) -> Text:
    """The text of a block holding one inline node (a paragraph, a heading, a cell)."""
    out = Text()
    for child in node.children:
        if child.type == "inline" and child.token is not None:
            _append_inline(out, child.token.children or [], block=True)
    return out


def _append_inline(out: Text, tokens: Sequence[Token], block: bool) -> None:
    """Append the text of inline tokens, styled. In a block (not a single line), a line
    break is kept, and a link's address follows its text where that helps."""
    opened: list[tuple[str, int, str]] = []  # (tag, where its text starts, its address)
    blank = 0  # the length of the text when it ends with a space or a line break
    hidden = ""  # the script or style element whose content is left out, as a browser does
    tags = [_tag(t.content) if t.type == "html_inline" else None for t in tokens]
    ends = {tag: number for number, tag in enumerate(tags) if tag is not None}
    for number, token in enumerate(tokens):
        kind, size, tag = token.type, len(out), tags[number]
        if hidden:
            hidden = "" if tag == ("/", hidden) else hidden
        elif tag in (("", "script"), ("", "style")):
            name = tag[1]  # closed further on, or text a feed quoted
            hidden = name if ends.get(("/", name), -1) > number else ""
        elif kind == "code_inline":  # as written
            out.append(strip_controls(token.content), CODE_STYLE)
        elif kind in ("text", "image"):  # an image is its alt text
            piece = _SPACES.sub(" ", strip_controls(token.content))
            if piece[:1] == " " and blank == size:  # a run of spaces across pieces
                piece = piece[1:]
            out.append(piece)
            blank = len(out) if piece[-1:] == " " else blank
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n" if kind == "hardbreak" else " ")  # the next line starts unspaced
        elif kind == "html_inline":
            _html_tag(out, token.content, opened, block)
            blank = len(out) if len(out) > size and out.plain[-1] in " \n" else blank
        elif token.nesting == 1:
            opened.append((token.tag, len(out), str(token.attrs.get("href", ""))))
        elif token.nesting == -1 and opened:
            _close(out, opened.pop(), block)


def _tag(tag: str) -> tuple[str, str]:
    """An HTML tag's "/" if it closes, and its name in lower case ("", "" when no tag)."""
    match = _TAG.fullmatch(tag.strip())
    return (match.group(1), match.group(2).lower()) if match else ("", "")


def _html_tag(out: Text, tag: str, opened: list[tuple[str, int, str]], block: bool) -> None:
    match = _TAG.fullmatch(tag.strip())
    if match is None:
        return
    closing, name = match.group(1), match.group(2).lower()
    if name == "br":
        out.append("\n" if block else " ")
    elif not closing and name in _STYLES:
        href = _HREF.search(match.group(3)) if name == "a" else None
        opened.append((name, len(out), next(filter(None, href.groups()), "") if href else ""))
    elif closing:
        for index in range(len(opened) - 1, -1, -1):
            if opened[index][0] == name:
                _close(out, opened.pop(index), block)
                break


def _close(out: Text, element: tuple[str, int, str], block: bool) -> None:
    tag, start, address = element
    address = strip_controls(address)
    if tag == "a":
        out.stylize(link_style(address), start, len(out))
        said = out.plain[start:].strip()
        if block and _helps(address, said):
            out.append(f" ({address})", ADDRESS_STYLE)
    elif tag in _STYLES:
        out.stylize(_STYLES[tag], start, len(out))


def _helps(address: str, text: str) -> bool:
    """Whether showing the address tells more than the link's text: a web or mail address
    (a relative one leads nowhere from a terminal) that the text does not already say."""
    if not address.lower().startswith(("http://", "https://", "mailto:")):
        return False
    return text.rstrip("/") not in {address.rstrip("/"), address.removeprefix("mailto:")}
