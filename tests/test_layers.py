"""The layers import one way: files -> parse -> corpus and index -> query -> render -> CLI.

Every module of the package is read with ast (imports inside functions and under
TYPE_CHECKING count too): no module imports one of a layer above its own, nothing but the
CLI imports the CLI, and nothing below the renderers imports them, nor typer, click or rich.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "spacenews"
# The command line: the commands, their options, and the one writer to the streams.
CLI = {
    "spacenews.cli",
    "spacenews.options",
    "spacenews.usage",
    "spacenews.terminal",
    "spacenews.pager",
    "spacenews.completion",
    "spacenews.__main__",
}
INTERFACE = ("typer", "click", "rich", "spacenews.render")  # for people, above the library


# The layers, lowest first: a module may import its own layer's and those below.
LAYERS = [
    (
        "text",
        "model",
        "dates",
        "jsonbytes",
        "schema",
        "files",
    ),  # the types and rules everyone shares
    ("walk",),
    ("prose", "entities", "links", "parse"),
    ("corpus", "reading", "loader", "userfile", "index", "fetch"),
    ("query", "listing", "search", "known"),
    ("render",),
    ("cli", "options", "usage", "terminal", "pager", "completion", "__main__"),
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, source: str) -> set[str]:
    """Every module the source of module ``name`` imports, by its full name: ``from a import
    b`` counts as a and a.b (b may be a module); a string naming a module (for importlib)
    counts too."""
    package = name if MODULES.get(name, Path()).name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and node.value in MODULES:
            found.add(node.value)
    return found


def _within(module: str, packages: tuple[str, ...] | set[str]) -> bool:
    return any(module == top or module.startswith(top + ".") for top in packages)


def _offences(allowed: set[str] | tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{name} imports {imported}"
        for name, path in MODULES.items()
        if not _within(name, allowed)
        for imported in imports(name, path.read_text("utf-8"))
        if _within(imported, forbidden)
    )


def test_the_modules_are_found() -> None:
    assert {"spacenews.cli", "spacenews.query", "spacenews.render.table"} <= set(MODULES)
    assert "spacenews.parse.eventpage" in MODULES


def _layer(module: str) -> int | None:
    for number, layer in enumerate(LAYERS):
        if _within(module, tuple(f"spacenews.{name}" for name in layer)):
            return number
    return None


def _upward(modules: dict[str, str]) -> list[str]:
    """Each import of a module of a higher layer than the importer's."""
    return sorted(
        f"{name} imports {imported}"
        for name, source in modules.items()
        for imported in imports(name, source)
        if (mine := _layer(name)) is not None
        and (theirs := _layer(imported)) is not None
        and theirs > mine
    )


def test_every_module_has_a_layer() -> None:
    assert [name for name in MODULES if name != "spacenews" and _layer(name) is None] == []


def test_no_module_imports_a_layer_above_its_own() -> None:
    sources = {name: path.read_text("utf-8") for name, path in MODULES.items()}
    assert _upward(sources) == []
    sources["spacenews.index.fresh"] += "\nimport spacenews.search\n"
    sources["spacenews.text"] += "\nfrom spacenews import walk\n"
    assert _upward(sources) == [
        "spacenews.index.fresh imports spacenews.search",
        "spacenews.text imports spacenews.walk",
    ]


def test_nothing_but_the_cli_imports_the_cli() -> None:
    assert _offences(CLI, tuple(CLI - {"spacenews.__main__"})) == []


def test_nothing_below_the_renderers_imports_them_nor_a_terminal_library() -> None:
    assert _offences({*CLI, "spacenews.render"}, INTERFACE) == []


@pytest.mark.parametrize(
    ("name", "line", "imported"),
    [
        ("spacenews.query", "from spacenews.render.table import Rows", "spacenews.render.table"),
        ("spacenews.parse.feed", "from ..render import data", "spacenews.render.data"),
        ("spacenews.corpus", "    import rich.console", "rich.console"),
        ("spacenews.loader", "from spacenews import terminal", "spacenews.terminal"),
        ("spacenews", '_HOMES = {"x": "spacenews.cli"}', "spacenews.cli"),
    ],
)
def test_every_way_to_import_is_seen(name: str, line: str, imported: str) -> None:
    source = MODULES[name].read_text("utf-8") + f"\ndef _added() -> None:\n    {line.strip()}\n"
    assert imported in imports(name, source)


def test_the_library_answers_without_the_interface() -> None:
    # What the import check cannot see: a library call that brings the interface in at run time.
    script = """
import sys
from spacenews import Query, load_corpus, related, suggest, timeline
from spacenews.known import entities, unknown_entity
from spacenews.query import parse_query
from spacenews.search import SearchIndex

corpus = load_corpus()
assert timeline(corpus, parse_query("2016", entity="Mars")) and related(corpus, "NASA")
assert entities(corpus) and SearchIndex.of(corpus).search("mars", 3)
assert suggest(corpus, "marz") and unknown_entity(corpus, "marz")
print(sorted(m for m in sys.modules if m.split(".")[0] in ("typer", "click", "rich")
             or m.startswith(("spacenews.render", "spacenews.cli", "spacenews.terminal"))))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout == "[]\n"
