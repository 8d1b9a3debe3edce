"""A title many documents share (a site's name or tagline) is nobody's: each of them is shown
by a title from its own text, in a kept index as without one."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import run_json

PAGE = "Europe's gateway to space.\n\n{text}\n\nThe European Space Agency says more.\n"


def _titles(runner: CliRunner, folder: Path, *cache: str) -> list[str]:
    found = run_json(runner, *cache, "-c", str(folder), "related", "European Space Agency")
    return sorted(match["title"] for match in found if match["kind"] == "document")


def test_a_title_shared_by_many_documents_gives_way_to_one_from_the_text(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    texts = ["Rosetta wakes up. More to come.", "Philae lands!", "Gaia maps the sky."]
    for number, text in enumerate(texts):
        (folder / f"{number}.txt").write_text(PAGE.format(text=text))
    db = ["--db", str(tmp_path / "index.sqlite")]
    expected = ["Gaia maps the sky.", "Philae lands!", "Rosetta wakes up."]
    assert _titles(runner, folder, *db) == expected
    assert _titles(runner, folder, "--no-cache") == expected
    # Two pages share it no more than two sites' pages may: it is their title again.
    (folder / "2.txt").unlink()
    assert _titles(runner, folder, *db) == ["Europe's gateway to space."] * 2
    assert _titles(runner, folder, "--no-cache") == ["Europe's gateway to space."] * 2
    (folder / "2.txt").write_text(PAGE.format(text="Gaia maps the sky."))
    assert _titles(runner, folder, *db) == expected
