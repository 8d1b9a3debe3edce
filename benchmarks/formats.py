"""Time loading each news format per event: a launch log against feeds, API pages and the
generated event pages, at the same number of events (about the full log's 6,000 launches).

    python benchmarks/formats.py               # 6000 events per format
    python benchmarks/formats.py --events 2000

For each format it writes one corpus into --work and prints the median of --repeat loads
(load_corpus without the cache, on one process: parsing and merging, which is what differs
between formats) as a Markdown table: seconds, events, and microseconds per event. Times are
wall-clock on whatever else the machine is doing: compare the per-event column.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

from spacenews.loader import load_corpus

SAMPLE = (
    Path(__file__).parent.parent / "tests" / "fixtures" / "launchlog" / "launchlog-1957-1962.txt"
)
START = date(1990, 1, 1)


def launch_log(count: int, path: Path) -> None:
    """The sample's launches again and again, each copy moved on by 70 years, until count."""
    lines = SAMPLE.read_text("utf-8").split("\n")
    header, rows = lines[:2], [line for line in lines[2:] if line.strip()]
    out, launches, shift = list(header), 0, 0
    while launches < count:
        for row in rows:
            if row[:1] != " ":
                if launches == count:
                    break
                launches += 1
                row = row[:13] + str(int(row[13:17]) + shift) + row[17:]
            out.append(row)
        shift += 70
    path.write_text("\n".join(out) + "\n", "utf-8")


def _item(n: int) -> tuple[str, str, str]:
    day = START + timedelta(days=n // 3)
    return (
        day.isoformat(),
        f"Satellite {n} reaches orbit aboard Falcon 9",
        f"https://news.example/{n}",
    )


def rss(count: int, path: Path) -> None:
    items = []
    for n in range(count):
        day, title, link = _item(n)
        stamp = date.fromisoformat(day).strftime("%a, %d %b %Y 12:00:00 +0000")
        items.append(
            f"<item><title>{title}</title><link>{link}</link><category>Falcon 9</category>"
            f"<description>&lt;p&gt;{title}, the launch provider said.&lt;/p&gt;</description>"
            f"<pubDate>{stamp}</pubDate></item>"
        )
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
        + "".join(items)
        + "</channel></rss>",
        "utf-8",
    )


def snapi(count: int, path: Path) -> None:
    results = [
        {
            "id": n,
            "title": t,
            "url": u,
            "news_site": "Bench",
            "summary": f"{t}, it said.",
            "published_at": f"{d}T12:00:00Z",
        }
        for n, (d, t, u) in enumerate(map(_item, range(count)))
    ]
    path.write_text(json.dumps({"count": count, "next": None, "results": results}), "utf-8")


def jsonfeed(count: int, path: Path) -> None:
    items = [
        {
            "id": u,
            "url": u,
            "title": t,
            "content_html": f"<p>{t}, it said.</p>",
            "date_published": f"{d}T12:00:00Z",
            "tags": ["Falcon 9"],
        }
        for d, t, u in map(_item, range(count))
    ]
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Bench", "items": items}
    path.write_text(json.dumps(feed), "utf-8")


def _time(path: Path, repeat: int) -> tuple[float, int]:
    times, events = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        corpus = load_corpus([path], workers=1)
        times.append(time.perf_counter() - start)
        events = len(corpus.events)
    return statistics.median(times), events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sn-formats")
    args = parser.parse_args()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    corpora = {
        "launch log": work / "launchlog.txt",
        "RSS 2.0": work / "feed.rss",
        "JSON Feed": work / "feed.json",
        "Spaceflight News API": work / "articles.json",
        "event pages (generated)": work / "pages",
    }
    launch_log(args.events, corpora["launch log"])
    rss(args.events, corpora["RSS 2.0"])
    jsonfeed(args.events, corpora["JSON Feed"])
    snapi(args.events, corpora["Spaceflight News API"])
    if not corpora["event pages (generated)"].exists():
        generate(args.events, corpora["event pages (generated)"])
    print("| format | seconds | events | µs per event |\n|---|---|---|---|")
    for name, path in corpora.items():
        seconds, events = _time(path, args.repeat)
        print(f"| {name} | {seconds:.3f} | {events} | {seconds / events * 1e6:.0f} |")


if __name__ == "__main__":
    main()
