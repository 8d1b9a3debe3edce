"""Write a deterministic corpus shaped like the seeds, for benchmarks and scale tests.

About 80% event pages (sources, related links with contexts), 10% prose pages with dated
sentences, 10% front-matter posts; entity frequencies follow a Zipf curve; files are named
like the seeds (``000123_0123456789abcdef.txt``).

    python benchmarks/generate.py 10000 /tmp/corpus-10k
"""

from __future__ import annotations

import argparse
import hashlib
import random
from datetime import date, timedelta
from pathlib import Path

ENTITIES = [
    "European Space Agency", "NASA", "Mars", "Roscosmos", "International Space Station",
    "Baikonur Cosmodrome", "Kazakhstan", "Mars Express", "ExoMars Trace Gas Orbiter", "SpaceX",
    "Soyuz", "Moon", "China National Space Administration", "JAXA", "Hubble Space Telescope",
    "Jupiter", "Saturn", "Venus", "Ariane 5", "Falcon 9", "Tim Peake", "Chris Hadfield",
    "Kennedy Space Center", "Vostochny Cosmodrome", "Indian Space Research Organisation",
]  # fmt: skip
ENTITIES += [f"Satellite {n}" for n in range(1, 400)]  # a long tail of rare names
VERBS = ["launches", "lands on", "separates from", "docks with", "observes", "photographs"]
MONTHS = "January February March April May June July August September October November December"
START = date(1957, 10, 4)
DAYS = (date(2026, 1, 1) - START).days


class Generator:
    """Draws entities, days and sentences from one seeded random source."""

    def __init__(self, seed: int, count: int) -> None:
        self.random = random.Random(seed)
        self.weights = [1 / rank for rank in range(1, len(ENTITIES) + 1)]  # Zipf, s = 1
        # The events the event pages will tell, planned first so that pages can link to each
        # other as the real corpus does: most related links name an event with a page of its own.
        self.planned = [(self.day(), self.entities(3)) for _ in range(count)]
        self.headlines = [self.headline(names) for _, names in self.planned]
        self.next_event = 0

    def entities(self, count: int) -> list[str]:
        return list(dict.fromkeys(self.random.choices(ENTITIES, self.weights, k=count)))

    def day(self) -> date:
        return START + timedelta(days=self.random.randrange(DAYS))

    def headline(self, names: list[str]) -> str:
        subject, *rest = names
        target = rest[0] if rest else "orbit"
        number = self.random.randrange(1, 10_000)
        return f"The {subject} mission {number} {self.random.choice(VERBS)} {target}."

    def event_page(self) -> str:
        index = self.next_event
        self.next_event += 1
        day, names = self.planned[index]
        lines = [
            f"### [{day.year}-{day.month:02d}-{day.day}](/news/{day:%Y/%m}/{day.day}/index.md)"
        ]
        lines += ["", f"# {self.headlines[index]}", ""]
        lines += [f"Officials said the {names[0]} team was pleased with the result.", ""]
        lines += ["### Source:", ""]
        for n in range(self.random.randrange(1, 3)):
            lines.append(
                f"1. [Agency {n}](https://news.example.org/{self.random.getrandbits(40):x})"
            )
        lines += ["", "### Related:", ""]
        for n in range(self.random.randrange(1, 6)):
            if self.random.random() < 0.9:  # an event with a page of its own
                target = self.random.randrange(len(self.planned))
                other, headline = self.planned[target][0], self.headlines[target]
                shared = [name for name in self.planned[target][1] if name in names] or names[:1]
            else:
                other, shared = self.day(), self.entities(2)
                headline = self.headline(shared)
            lines.append(
                f"{n + 1}. [{headline}](/news/{other:%Y/%m}/{other.day}/x.md) "
                f"_Context: {', '.join(shared)}_"
            )
        return "\n".join(lines) + "\n"

    def prose_page(self) -> str:
        paragraphs = []
        for _ in range(self.random.randrange(3, 7)):
            day, names = self.day(), self.entities(2)
            month = MONTHS.split()[day.month - 1]
            paragraphs.append(f"Update on {names[0]}")
            paragraphs.append(
                f"On {day.day} {month} {day.year}, engineers of the {' and the '.join(names)} "
                "reported steady progress on the mission, and more tests are planned."
            )
        return "\n\n".join(paragraphs) + "\n"

    def post(self) -> str:
        day, names = self.day(), self.entities(3)
        tags = "\n".join(f"- {name}" for name in names)
        return (
            f"---\ntitle: {self.headline(names)}\ndate: {day.isoformat()}\n"
            f"source: Example News\nsourceurl: https://news.example.org/{day:%Y%m%d}\n"
            f"tags:\n- post\n{tags}\n---\nA post about {names[0]}.\n"
        )

    def document(self) -> str:
        kind = self.random.random()
        if kind < 0.8:
            return self.event_page()
        return self.prose_page() if kind < 0.9 else self.post()


def generate(count: int, folder: Path, seed: int = 20161016) -> None:
    """Write count documents into folder (which should be empty)."""
    generator = Generator(seed, count)
    for index in range(count):
        text = generator.document()
        digest = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
        sub = folder / f"{index // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{index:06d}_{digest}.txt").write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=20161016)
    args = parser.parse_args()
    generate(args.count, args.folder, args.seed)


if __name__ == "__main__":
    main()
