"""Text read for people: Markdown and HTML rendered on a terminal (render.markdown), titles
without markup nor site banners (parse.markup), JSON keeping the text as written."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console, Group
from typer.testing import CliRunner

from spacenews.cli import app
from spacenews.parse.markup import heading_text, inline_text
from spacenews.render.markdown import PARAGRAPHS_A_TEXT, body, inline
from spacenews.terminal import Unpadded
from tests.conftest import FIXTURES, SEEDS, run, run_json

READING = FIXTURES / "reading"
DLARC = READING / "2023-09-13-dlarc-ham-library-reaches-90000-items-milestone.md"
# Rich's own codes: styles (SGR) and hyperlinks (OSC 8); anything else is a document's.
_SGR = re.compile(r"\x1b\[[0-9;]*m")
_OSC8 = re.compile(r"\x1b\]8;[^;\x1b]*;([^\x1b]*)\x1b\\")


def _corpus(tmp_path: Path, *files: Path) -> str:
    for file in files:
        (tmp_path / file.name).write_bytes(file.read_bytes())
    return str(tmp_path)


def test_show_renders_markdown_and_json_keeps_it(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, DLARC)
    shown = run(runner, "-c", corpus, "show", "2023-09-13").stdout
    assert "Kay Savetz, K6KJN" in shown and "**" not in shown
    words = " ".join(shown.split())
    assert "Library of Amateur Radio & Communications (https://archive.org/details/dlarc)" in words
    assert "Internet Archive (https://archive.org/)" in words
    assert "&amp;" not in shown and "](" not in shown
    assert "▌ Digital Library" in shown  # the quote is kept as one, with its line breaks
    assert "▌ Kay Savetz, K6KJN" in [line.strip() for line in shown.splitlines()]
    assert "kay@archive.org" in shown and "mailto:" not in shown  # the address says no more
    [event] = run_json(runner, "-c", corpus, "show", "2023-09-13")
    written = DLARC.read_text("utf-8").split("---\n", 2)[2].strip()
    assert event["body"] == written


def test_search_snippets_are_read_for_people(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, DLARC, READING / "2018-05-05-marco.markdown")
    savetz = " ".join(run(runner, "-c", corpus, "search", "savetz").stdout.split())
    assert "Kay Savetz, K6KJN Program Manager" in savetz.replace("│ │", "")
    assert "**" not in savetz and "mailto" not in savetz
    insight = run(runner, "-c", corpus, "search", "briefcase", "insight").stdout
    assert "landing of InSight on" in " ".join(insight.replace("│", " ").split())
    assert "<a" not in insight
    [result] = run_json(runner, "-c", corpus, "search", "savetz")
    assert "**Kay Savetz, K6KJN**" in result["snippet"]  # JSON: as written


def test_a_page_is_titled_by_its_first_line_not_its_site_banner(
    runner: CliRunner, tmp_path: Path
) -> None:
    corpus = _corpus(tmp_path, READING / "README.markdown")
    [result] = run_json(runner, "-c", corpus, "search", "catalogs")
    assert result["title"] == "We love space probes to the Moon and beyond!"


def test_related_shows_a_documents_title_beside_its_file(runner: CliRunner) -> None:
    shown = run(runner, "-c", str(SEEDS), "related", "ESA").stdout
    assert "Behind the scenes at a rocket launch" in shown


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("# [spaceprob.es](http://spaceprob.es)", ""),
        ("# [www.NASA.gov](https://www.nasa.gov/)", ""),
        ("**[nasa.gov](https://nasa.gov)**", ""),
        ("<https://nasa.gov>", ""),
        ("# [Spaceprob.es](http://spaceprobe.es)", "Spaceprob.es"),  # not its own address
        ("[NASA](https://nasa.gov)", "NASA"),
        ("[nasa.gov](https://nasa.gov)[](https://nasa.gov)", "nasa.gov"),  # two links
        ("[nasa.gov](https://nasa.gov) launches", "nasa.gov launches"),
        (
            "## **Kay** [Internet Archive](https://archive.org/) &amp; *x* ##",
            "Kay Internet Archive & x",
        ),
        ("![a *probe*](probe.png) `code`", "a probe code"),
        ("Issue #5 <b>now</b>", "Issue #5 now"),
        ("#Xenon lamps", "Xenon lamps"),
    ],
)
def test_heading_text(line: str, title: str) -> None:
    assert heading_text(line) == title


def test_a_post_without_a_title_skips_a_banner(runner: CliRunner, tmp_path: Path) -> None:
    post = "---\nlayout: probe\n---\n# [spaceprob.es](http://spaceprob.es)\n\n## Voyager *1*\n"
    (tmp_path / "voyager.md").write_text(post, "utf-8")
    [document] = run_json(runner, "-c", str(tmp_path), "search", "voyager")
    assert document["title"] == "Voyager 1"


def _terminal(renderable: object, width: int = 60) -> str:
    console = Console(file=io.StringIO(), force_terminal=True, width=width, markup=False)
    console.print(renderable)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return output


def _document_codes(output: str) -> tuple[str, list[str]]:
    """The output without Rich's own codes, and the addresses of its hyperlinks."""
    links = _OSC8.findall(output)
    return _SGR.sub("", _OSC8.sub("", output)), [link for link in links if link]


def test_hostile_links_reach_the_terminal_as_text(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, READING / "hostile-links.md")
    env = {"SPACENEWS_CORPUS": None, "FORCE_COLOR": "1", "COLUMNS": "200", "NO_COLOR": None}
    result = CliRunner(env=env).invoke(app, ["-c", corpus, "show", "2024-02-03"])
    text, links = _document_codes(result.stdout)
    assert "\x1b" not in text and "\x07" not in text
    assert links and all(link.startswith("https://example.org/") for link in links)
    assert all("\x1b" not in link and " " not in link for link in links)
    assert "[bold]red[/bold]" in text and "[bold]html link" in text
    assert "file:///etc/passwd" not in "".join(links)  # shown, as text, never a hyperlink
    assert "A hostile post" in text


@pytest.mark.parametrize(
    "source",
    [
        "Mars  and   water",
        "Mars  *and*   water",
        "Mars \n and   water",
        "Mars\t\tand water",
        "Mars\tand water",
        "Mars <b>and </b>  water",
        "Mars  <b>and</b>   water",
        "Mars\t  and \twater",
    ],
)
def test_a_run_of_spaces_in_a_body_is_one_space_as_a_browser_shows_it(source: str) -> None:
    # Found by a newcomer's try-out: show kept a post's doubled spaces ("and  double").
    assert _document_codes(_terminal(body(source)))[0].strip() == "Mars and water"
    lines = _document_codes(_terminal(body("Mars<br>  and water")))[0].splitlines()
    assert [line.rstrip() for line in lines] == ["Mars", "and water"]  # none after a break
    code = _document_codes(_terminal(body("Run `a  b`  now")))[0]
    assert code.strip() == "Run a  b now"  # code as written


@pytest.mark.parametrize(
    "scheme",
    ["javascript:alert(1)", "data:text/html;base64,PHM+", "file:///etc/passwd", "vbscript:x"],
)
def test_a_link_to_an_address_no_terminal_follows_is_its_text(scheme: str) -> None:
    # Found by a newcomer's try-out: [the kit](javascript:...) was shown as raw Markdown.
    source = f"Read [the *kit*]({scheme}) now"
    text, links = _document_codes(_terminal(body(source)))
    assert (" ".join(text.split()), links) == ("Read the kit now", [])
    assert (inline(source).plain, inline_text(source)) == ("Read the kit now", "Read the kit now")


@given(st.text(alphabet=st.sampled_from("ab *_[]()<>&#;!`\\\n\x1b\x07\x9b[31m:/h"), max_size=60))
def test_rendered_text_holds_no_escape(source: str) -> None:
    for renderable in (inline(source), body(source)):
        text, links = _document_codes(_terminal(renderable))
        assert not set(text) & {"\x1b", "\x07", "\x9b"}
        assert all(link.startswith(("http://", "https://")) for link in links)
    assert "\n" not in inline(source).plain
    assert not set(inline_text(source)) & {"\x1b", "\x07", "\x9b", "\n"}


@given(st.text(alphabet=st.sampled_from("ab12 .,\n\t-"), max_size=40))
def test_text_without_marks_is_kept(source: str) -> None:
    assert inline(source).plain == " ".join(source.split()) == inline_text(source)


def test_lists_quotes_code_and_tables_are_laid_out() -> None:
    source = (
        "1. one\n2. two\n\n- a long item that wraps onto a second line\n  - nested\n\n"
        "> quoted\n\n    code  kept\n\n| a | b |\n|---|---|\n| 1 | *2* |\n\n"
        "<p>html &amp; <b>b</b></p>\n"
    )
    console = Console(file=io.StringIO(), width=30, color_system=None)
    console.print(body(source))
    lines = [line.rstrip() for line in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]
    assert lines[:3] == ["1. one", "2. two", ""]
    assert lines[3:6] == ["• a long item that wraps onto", "  a second line", "  • nested"]
    assert "▌ quoted" in lines and "    code  kept" in lines
    assert any(re.fullmatch(r"\s*a\s+b", line) for line in lines)
    assert any(re.fullmatch(r"\s*1\s+2", line) for line in lines)
    assert lines[-1] == "html & b"


def test_html_and_markdown_inline_elements_are_styles() -> None:
    source = 'x <b>bold</b> *it*<br><a href="https://a.org/">A</a> [rel](/probe) <i>un'
    line = inline(source)
    assert line.plain == "x bold it A rel un"
    styles = {line.plain[span.start : span.end]: str(span.style) for span in line.spans}
    assert styles["bold"] == "bold" and styles["it"] == "italic"
    assert styles["A"] == "underline link https://a.org/" and styles["rel"] == "underline"
    shown = _terminal(body(source), width=80)
    text, links = _document_codes(shown)
    assert text.splitlines() == ["x bold it", "A (https://a.org/) rel un"]  # no relative address
    assert links == ["https://a.org/"]


def test_a_relative_link_shows_no_address(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, READING / "2018-05-05-marco.markdown")
    shown = " ".join(run(runner, "-c", corpus, "show", "2018-05-05").stdout.split())
    assert "landing of InSight on the surface" in shown and "/insight" not in shown


def test_an_excerpt_cut_inside_a_link_shows_its_text() -> None:
    cut = "posted in the [most recent issue](https://www.zeroretries.org/p/zero-retr…"
    assert inline(cut).plain == "posted in the most recent issue…"
    assert inline("to the [Digital…").plain == "to the Digital…"
    assert inline("## Amateur *Radio*").plain == "Amateur Radio"
    assert inline("# Amateur Radio Daily").plain == "Amateur Radio Daily"
    assert inline("> quoted, #1").plain == "quoted, #1"


def test_unpadded_stream_drops_only_the_padding() -> None:
    out = io.StringIO()
    stream = Unpadded(out)
    stream.write("a  b   ")
    stream.write("  \x1b[0m\n   \nc ")
    stream.flush()
    assert out.getvalue() == "a  b\x1b[0m\n\nc "  # the line goes on: its space may be text
    stream.write("d \n")
    assert out.getvalue() == "a  b\x1b[0m\n\nc d\n"


@pytest.mark.parametrize(
    "count", [1, PARAGRAPHS_A_TEXT, PARAGRAPHS_A_TEXT + 1, 3 * PARAGRAPHS_A_TEXT]
)
def test_a_long_body_is_laid_out_as_one_text_would_be_in_texts_of_a_few_paragraphs(
    count: int,
) -> None:
    # Rich cuts a Text's lines in a time that grows with its length squared: a page of
    # thousands of paragraphs is laid out a few paragraphs at a time, with the same lines.
    paragraphs = [f"Paragraph {n} about *Mars* and its moons." for n in range(count)]
    shown = body("\n\n".join(paragraphs))
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(shown)
    plain = [p.replace("*", "") for p in paragraphs]
    assert console.file.getvalue() == "\n\n".join(plain) + "\n"  # type: ignore[attr-defined]
    texts = shown.renderables if isinstance(shown, Group) else [shown]
    assert all(str(text).count("\n\n") < PARAGRAPHS_A_TEXT for text in texts)
    assert len(texts) == 2 * -(-count // PARAGRAPHS_A_TEXT) - 1  # each, and a blank line between


_SCRIPTED = (
    "---\ntitle: Launch <script>alert(1)</script> **bold** <STYLE>h1{}</STYLE>title\n"
    "date: 2016-05-01\n---\nBefore.\n\n<script>document.write('evil')</script>\n\n"
    "After <style>p{color:red}</style> text. Researchers say the <style> trick patched.\n"
)


def test_script_and_style_are_neither_shown_nor_searched(tmp_path: Path) -> None:
    # Found by a newcomer's try-out: show dropped a script block, but the headline showed
    # "Launch alert(1) bold title" and search evil found the script's text.
    (tmp_path / "a.md").write_text(_SCRIPTED)
    runner = CliRunner(env={"COLUMNS": "200"})
    shown = run(runner, "-c", str(tmp_path), "--color", "never", "show", "2016-05-01").stdout
    listed = run(runner, "-c", str(tmp_path), "--color", "never", "timeline").stdout
    assert "Launch bold title" in shown and "Launch bold title" in listed
    assert "After text." in shown
    # An element never closed is text, the words after it too (found by a review: a feed's
    # "the <style> trick" hid the rest of its body).
    assert "Researchers say the trick patched." in shown
    assert run(runner, "-c", str(tmp_path), "search", "patched").exit_code == 0
    for text in (shown, listed):
        assert not any(word in text for word in ("alert", "evil", "color", "h1{"))
    for word in ("evil", "color", "alert", "h1"):
        result = run(runner, "-c", str(tmp_path), "search", word)
        assert result.exit_code == 1, word
    (found,) = run_json(runner, "-c", str(tmp_path), "search", "after")
    assert " ".join(found["snippet"].split()) == "After text."  # what a reader sees
    assert "<script>" in found["title"]  # the headline, as the document gives it


def test_script_written_as_code_is_searched_as_shown(tmp_path: Path) -> None:
    # Found by a review: a `<style>` code span (or a <script> in a fenced block) was read
    # as an element left open, so search found no word after it, words show displays.
    (tmp_path / "a.md").write_text(
        "---\ntitle: Web talk with `<script>` tags\ndate: 2021-03-04\n---\n"
        "Use the `<style>` element. The crew found zebraword.\n\n"
        "```html\n<script>\nfencedword()\n</script>\n```\n\nThen quaggaword.\n"
        "Real <script>hiddenword()</script> one.\n"
    )
    runner = CliRunner(env={"COLUMNS": "200"})
    shown = run(runner, "-c", str(tmp_path), "--color", "never", "show", "2021-03-04").stdout
    for word in ("tags", "zebraword", "fencedword", "quaggaword"):
        assert word in shown
        assert run(runner, "-c", str(tmp_path), "search", word).exit_code == 0, word
    assert "hiddenword" not in shown
    assert run(runner, "-c", str(tmp_path), "search", "hiddenword").exit_code == 1


@pytest.mark.parametrize(
    "source",
    [
        "<pre>\nT-10   GO\nT-5    HOLD &amp; <b>wait</b>\n</pre>",
        "Countdown:\n\n<PRE class='log'>T-10   GO\nT-5    HOLD &amp; <b>wait</b></PRE>\n\nAfter.",
    ],
)
def test_a_pre_element_is_shown_as_written_as_code_is(source: str) -> None:
    # Found by a review: <pre> lost its spaces and its lines were set apart as paragraphs.
    lines = [line.strip() for line in _document_codes(_terminal(body(source)))[0].splitlines()]
    at = lines.index("T-10   GO")
    assert lines[at + 1] == "T-5    HOLD & wait"


def test_an_undated_post_is_searched_without_its_scripts_too(tmp_path: Path) -> None:
    # Found by a review: a document's paragraphs kept a script's words for search.
    (tmp_path / "doc.md").write_text("Some prose <script>docscriptword()</script> here.\n")
    runner = CliRunner()
    assert run(runner, "-c", str(tmp_path), "search", "docscriptword").exit_code == 1
    assert run(runner, "-c", str(tmp_path), "search", "prose").exit_code == 0
