"""Time spacenews against the floors it should be judged by, at several corpus sizes.

    python benchmarks/run.py                 # 1k, 10k and 100k documents
    python benchmarks/run.py --sizes 1000    # quicker
    python benchmarks/run.py --sizes         # the start-up on the built-in seeds only

For each size it generates a corpus (benchmarks/generate.py, kept in --work between runs) and
prints, as a Markdown table, the median of --repeat runs of:

- read: Python merely reading every file (the floor for a cold load);
- grep: ``grep -rlF`` for one name;
- cold: ``spacenews --corpus C timeline --entity "European Space Agency" --json --no-cache``;
- warm: the same with the cache filled;
- changed: the same after one file was touched (a new mtime): its rows are updated;
- peak memory of the cold, filling, warm and changed runs (maximum resident set size);
and the ratios to the read floor; then warm show, related, entities and search, and search
against an FTS5 table of the same files queried directly (the do-it-yourself peer). Then
the start-up on the built-in seeds against ``python -c "import typer"``. Times are
wall-clock seconds on whatever else the machine is doing: compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

ENTITY = "European Space Agency"
READ_ALL = """
import os, sys
for folder, _, files in os.walk(sys.argv[1]):
    for name in files:
        with open(os.path.join(folder, name), "rb") as stream:
            stream.read()
"""


def measure(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time in seconds and peak resident memory in MiB of one run."""
    # The output goes to a file, as a real run's does: sent to /dev/null, the warm run at
    # 100,000 documents measured a peak 97 MiB lower (125 against 222 MiB).
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        assert process.stderr is not None
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss // 1024


def median(
    command: list[str],
    env: dict[str, str],
    repeat: int,
    warm: Path | None = None,
    before: Callable[[], object] = lambda: None,
) -> tuple[float, int]:
    """The median time and the largest peak memory of several runs, each after reading the
    corpus once untimed: the page cache is warm for every run, as the targets assume (this
    machine's memory manager drops it between runs otherwise). before runs before each."""
    runs = []
    for _ in range(repeat):
        if warm is not None:
            subprocess.run([sys.executable, "-c", READ_ALL, str(warm)], check=True)
        before()
        runs.append(measure(command, env))
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def bytecode_env() -> dict[str, str]:
    """The environment, letting Python keep compiled bytecode as an installed tool does:
    without it every run would compile spacenews from source."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def corpus(size: int, work: Path) -> Path:
    """The generated corpus of that size, made once."""
    folder = work / f"corpus-{size}"
    if not folder.is_dir():
        generate(size, folder)
    return folder


def bench_size(size: int, work: Path, repeat: int) -> dict[str, float]:
    folder = corpus(size, work)
    env = {**bytecode_env(), "SPACENEWS_CACHE_DIR": str(work / "cache")}
    spacenews = [sys.executable, "-m", "spacenews", "--corpus", str(folder)]
    query = ["timeline", "--entity", ENTITY, "--json"]
    read, _ = median([sys.executable, "-c", READ_ALL, str(folder)], env, repeat, folder)
    grep, _ = median(["grep", "-rlF", ENTITY, str(folder)], env, repeat, folder)
    cold, cold_mem = median([*spacenews, *query, "--no-cache"], env, repeat, folder)
    shutil.rmtree(work / "cache", ignore_errors=True)
    fill, fill_mem = median([*spacenews, *query], env, 1, folder)
    warm, warm_mem = median([*spacenews, *query], env, repeat, folder)
    page = min(folder.rglob("*.txt"))
    changed, changed_mem = median([*spacenews, *query], env, repeat, folder, lambda: page.touch())
    when = first_day(folder)
    asks = {}
    for name, ask in ASKS.items():
        ask = [when if arg == "DAY" else arg for arg in ask]
        # Once untimed: the first entities after a fill finds and keeps what each event names.
        asks[name + "_first"] = measure([*spacenews, *ask], env)[0]
        asks[name], asks[name + "_mem"] = median([*spacenews, *ask], env, repeat, folder)
    peer, _ = fts_peer(folder, work, env, repeat)
    return {
        **asks,
        "peer": peer,
        "size": size,
        "read": read,
        "grep": grep,
        "cold": cold,
        "fill": fill,
        "warm": warm,
        "changed": changed,
        "cold_mem": cold_mem,
        "fill_mem": fill_mem,
        "warm_mem": warm_mem,
        "changed_mem": changed_mem,
    }


WORDS = "mission observes"  # words in most documents: the hardest search of the corpus
ASKS = {  # warm questions whose cost should grow with the answer, not the corpus
    "show": ["show", "DAY", "--json"],  # the day of the first event page
    "related": ["related", "Tim Peake", "--limit", "20", "--json"],
    "entities": ["entities", "--limit", "20", "--json"],
    "search": ["search", WORDS, "--json"],
}
PEER_LOAD = """
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE VIRTUAL TABLE docs USING fts5(path, text)")
for folder, _, files in os.walk(sys.argv[1]):
    for name in files:
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8", errors="replace") as stream:
            db.execute("INSERT INTO docs VALUES (?, ?)", (path, stream.read()))
db.commit()
"""
PEER_SEARCH = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute(
    "SELECT path, snippet(docs, 1, '', '', '...', 10) FROM docs WHERE docs MATCH ?"
    " ORDER BY bm25(docs) LIMIT 10", (sys.argv[2],)
).fetchall()
print(rows)
"""


def first_day(folder: Path) -> str:
    """The day of the first event page of the corpus."""
    for path in sorted(folder.rglob("*.txt")):
        day = re.search(r"### \[(\d+)-(\d+)-(\d+)\]", path.read_text())
        if day is not None:
            return "-".join(f"{int(part):02d}" for part in day.groups())
    raise SystemExit(f"no event page in {folder}")


def fts_peer(folder: Path, work: Path, env: dict[str, str], repeat: int) -> tuple[float, int]:
    """A do-it-yourself peer, as sqlite-utils enable-fts and search make it: the files in an
    FTS5 table (made once, untimed), and the same words searched, best ten by bm25()."""
    db = work / f"peer-{folder.name}.sqlite"
    if not db.exists():
        subprocess.run([sys.executable, "-c", PEER_LOAD, str(folder), str(db)], check=True)
    return median([sys.executable, "-c", PEER_SEARCH, str(db), WORDS], env, repeat, folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "spacenews-bench"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(
        "| documents | read (floor) | grep -rlF | cold | cold / read "
        "| first run, filling the cache | warm | warm / read | one file changed "
        "| peak MiB cold / filling / warm / changed |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    asks = []
    for size in args.sizes:
        r = bench_size(size, args.work, args.repeat)
        print(
            f"| {size:,} | {r['read']:.2f} s | {r['grep']:.2f} s | {r['cold']:.2f} s "
            f"| {r['cold'] / r['read']:.1f}x | {r['fill']:.2f} s | {r['warm']:.2f} s "
            f"| {r['warm'] / r['read']:.2f}x | {r['changed']:.2f} s "
            f"| {r['cold_mem']} / {r['fill_mem']} / {r['warm_mem']} / {r['changed_mem']} |",
            flush=True,
        )
        asks.append(r)
    print()
    print(
        "| documents | warm show DAY | related NAME -n 20 | entities -n 20 | search WORDS "
        "| (each / read) | search / FTS5 peer | peak MiB of these |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in asks:
        ratios = " / ".join(f"{r[name] / r['read']:.2f}x" for name in ASKS)
        peak = max(r[name + "_mem"] for name in ASKS)
        print(
            f"| {r['size']:,} | {r['show']:.2f} s | {r['related']:.2f} s | {r['entities']:.2f} s "
            f"| {r['search']:.2f} s | {ratios} | {r['search'] / r['peer']:.1f}x "
            f"({r['peer']:.2f} s) | {peak} |",
            flush=True,
        )
    print()
    for r in asks:
        firsts = ", ".join(f"{name} {r[name + '_first']:.2f} s" for name in ASKS)
        print(f"{r['size']:,} documents, first run of each after the fill: {firsts}")
    typer, seeds = startup(max(args.repeat * 10, 30))
    print()
    print(
        f'built-in seeds: `spacenews timeline --json` {seeds:.3f} s; `python -c "import typer"` '
        f"{typer:.3f} s; ratio {seeds / typer:.2f}x"
    )


def startup(repeat: int) -> tuple[float, float]:
    """The median times of ``python -c "import typer"`` and of ``spacenews timeline --json``
    on the built-in seeds, run in turns so that both meet the same load on the machine. The
    installed command is used, as people run it (``python -m spacenews`` when there is none)."""
    env = bytecode_env()
    script = Path(sys.executable).with_name("spacenews")
    spacenews = [str(script)] if script.is_file() else [sys.executable, "-m", "spacenews"]
    typer_runs, seeds_runs = [], []
    for _ in range(repeat):
        typer_runs.append(measure([sys.executable, "-c", "import typer"], env)[0])
        seeds_runs.append(measure([*spacenews, "timeline", "--json"], env)[0])
    return statistics.median(typer_runs), statistics.median(seeds_runs)


if __name__ == "__main__":
    main()
