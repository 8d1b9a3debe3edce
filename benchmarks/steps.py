"""Where a cold load's time goes: the parse against everything after it.

    python benchmarks/steps.py                 # 100k documents
    python benchmarks/steps.py --size 10000

A cold run (``--no-cache``) parses the files in a worker process per core while the main
process turns each file's packed result into records, groups them by event, merges the
events, sorts and indexes them, finds the entity's events and writes their JSON. This prints,
for the corpus run.py generates (in --work), the median of --repeat runs of:

- read: Python merely reading every file (the floor, as in run.py);
- cold: ``spacenews --corpus C timeline --entity "European Space Agency" --json --no-cache``;
- free parse: the same run with the parse made free: the workers read each file, then hand
  back what the parse cache (filled first) keeps for it: a bound on what faster parsers give
  (from 2,000 files on: below that the loader parses in its own process, and this is cold);
- the parse alone: the workers parsing every file, their results decoded by nothing;
- then the main process's steps one after another, from the parse cache's results (no worker
  running): what no parser, however fast, takes off a cold load.

The parse cache keeps whole results (prose with its languages and dated mentions), which a
cold timeline leaves out: the last two measures are, if anything, a little high.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).parent))
from run import ENTITY, READ_ALL, bytecode_env, corpus, median

T = TypeVar("T")

# Run in a process of its own: the workers hand back the cached result of each file they read.
FREE_PARSE = """
import sys
from pathlib import Path
import msgspec
from spacenews import cache, cli, loader

entries = cache.open_cache(Path(sys.argv[1]), cache.parser_fingerprint()).entries

def hand_back(job, detail):
    results = []
    for path, relative in job:
        loader.read_bytes(path, loader.MAX_FILE_BYTES)
        results.append(entries[relative][2])
    return msgspec.msgpack.encode(results)

loader._parse_chunk = hand_back
sys.argv = ["spacenews", "--corpus", sys.argv[1], *sys.argv[2:]]
cli.main()
"""
PARSE_ALONE = """
import gc, sys
from pathlib import Path
from spacenews import loader
from spacenews.walk import walk_files

gc.disable()
files = list(walk_files(Path(sys.argv[1]), 0, []))
for _ in loader._parse_parallel(files, None, None, False):
    pass
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "spacenews-bench"
    )
    args = parser.parse_args()
    folder = corpus(args.size, args.work)
    env = {**bytecode_env(), "SPACENEWS_CACHE_DIR": str(args.work / "cache")}
    query = ["timeline", "--entity", ENTITY, "--json"]
    spacenews = [sys.executable, "-m", "spacenews", "--corpus", str(folder), *query]
    subprocess.run(spacenews, env=env, stdout=subprocess.DEVNULL, check=True)  # fill the cache

    def timed(command: list[str]) -> float:
        return median(command, env, args.repeat, folder)[0]

    read = timed([sys.executable, "-c", READ_ALL, str(folder)])
    print(f"{args.size:,} documents; read (floor) {read:.2f} s")
    for label, command in [
        ("cold", [*spacenews, "--no-cache"]),
        ("free parse", [sys.executable, "-c", FREE_PARSE, str(folder), *query, "--no-cache"]),
        ("the parse alone", [sys.executable, "-c", PARSE_ALONE, str(folder)]),
    ]:
        seconds = timed(command)
        print(f"{label:>16} {seconds:6.2f} s {seconds / read:5.1f}x")
    print("the main process's steps, from the parse cache's results:")
    os.environ["SPACENEWS_CACHE_DIR"] = env["SPACENEWS_CACHE_DIR"]
    total = 0.0
    for label, seconds in main_steps(folder):
        total += seconds
        print(f"{label:>16} {seconds:6.2f} s {seconds / read:5.1f}x")
    print(f"{'all':>16} {total:6.2f} s {total / read:5.1f}x")


def main_steps(folder: Path) -> list[tuple[str, float]]:
    """The main process's share of a cold load, step by step, in this process."""
    from spacenews import cache
    from spacenews.corpus import Corpus, event_order, group, merge
    from spacenews.model import EventRecord
    from spacenews.query import Query, select
    from spacenews.records import unpack
    from spacenews.walk import walk_files

    gc.disable()  # as the loader does
    files = list(walk_files(folder, 0, []))
    entries = cache.open_cache(folder, cache.parser_fingerprint()).entries
    packed = [entries[file.relative][2] for file in files]
    steps: list[tuple[str, float]] = []

    def step(label: str, work: Callable[[], T]) -> T:
        start = time.perf_counter()
        result = work()
        steps.append((label, time.perf_counter() - start))
        return result

    pairs = list(zip(packed, files, strict=True))
    parsed = step("unpack", lambda: [unpack(data, file.relative) for data, file in pairs])
    groups: dict[str, list[EventRecord]] = {}

    def grouped() -> None:
        for result in parsed:
            group(result.records, groups)

    step("group", grouped)
    events = step("merge", lambda: [merge(key, records) for key, records in groups.items()])
    step("sort", lambda: events.sort(key=event_order))
    loaded = Corpus(events, [document for result in parsed for document in result.documents])
    step("index", lambda: loaded.index)
    selection = step("select", lambda: select(loaded, Query(entity=ENTITY)))
    step("json", lambda: sum(len(block) for block in selection.encoded()))
    return steps


if __name__ == "__main__":
    main()
