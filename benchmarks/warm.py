"""The warm figures of benchmarks/run.py at one corpus size, as medians of interleaved rounds.

    python benchmarks/warm.py --size 100000 --rounds 5

run.py times each question in turn, once each at 100,000 documents, against one timing of the
read floor: on a shared machine the floor alone moves by a third from run to run. Here the
cache is filled once (in --work, as run.py keeps its corpora), then each round times the
first run after one file changed (and the first entities after it, which counts again), the
floor, every warm question and the FTS5 peer, one after the other with the page cache warm;
it prints the median of each and of each ratio to the floor of its own round.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run import (
    ASKS,
    ENTITY,
    PEER_SEARCH,
    READ_ALL,
    WORDS,
    bytecode_env,
    corpus,
    first_day,
    fts_peer,
    measure,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/spacenews-bench"))
    args = parser.parse_args()
    folder = corpus(args.size, args.work)
    env = {**bytecode_env(), "SPACENEWS_CACHE_DIR": str(args.work / "cache-warm")}
    spacenews = [sys.executable, "-m", "spacenews", "--corpus", str(folder)]
    day = first_day(folder)
    asks = {name: [day if arg == "DAY" else arg for arg in ask] for name, ask in ASKS.items()}
    asks["timeline"] = ["timeline", "--entity", ENTITY, "--json"]
    for ask in asks.values():  # fills the cache, then finds and keeps what entities keeps
        measure([*spacenews, *ask], env)
    fts_peer(folder, args.work, env, 1)  # makes the peer's table
    peer = [sys.executable, "-c", PEER_SEARCH, str(args.work / f"peer-{folder.name}.sqlite"), WORDS]
    page = min(folder.rglob("*.txt"))
    names = ["read", *asks, "changed", "entities, first after the change", "peer"]
    times: dict[str, list[float]] = {name: [] for name in names}
    ratios: dict[str, list[float]] = {name: [] for name in times}
    for _ in range(args.rounds):
        page.touch()  # first: a command after it finds again what the index keeps
        times["changed"].append(measure([*spacenews, *asks["timeline"]], env)[0])
        first = measure([*spacenews, *asks["entities"]], env)[0]
        times["entities, first after the change"].append(first)
        subprocess.run([sys.executable, "-c", READ_ALL, str(folder)], check=True)
        times["read"].append(measure([sys.executable, "-c", READ_ALL, str(folder)], env)[0])
        for name, ask in asks.items():
            times[name].append(measure([*spacenews, *ask], env)[0])
        times["peer"].append(measure(peer, env)[0])
        for name in times:
            floor = {"changed": "timeline", "peer": "peer"}.get(name, "read")
            ratios[name].append(times[name][-1] / times[floor][-1])
    ratios["peer"] = [s / p for s, p in zip(times["search"], times["peer"], strict=True)]
    print(f"{args.size:,} documents, medians of {args.rounds} rounds (ratio: to the read floor")
    print("of the round; changed: to warm timeline; peer: search to the FTS5 peer)\n")
    print("| figure | median time | median ratio | ratios |")
    print("|---|---:|---:|---|")
    for name in times:
        listed = ", ".join(f"{r:.2f}" for r in ratios[name])
        print(
            f"| {name} | {statistics.median(times[name]):.2f} s "
            f"| {statistics.median(ratios[name]):.2f}x | {listed} |"
        )


if __name__ == "__main__":
    main()
