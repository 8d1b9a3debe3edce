"""Differential fuzz: every command's answer with the cache is the answer with --no-cache.

    .venv/bin/python tests/fuzz_cache.py --seed 1 --scenarios 100 --rounds 8 --out /tmp/fuzzout

Each scenario builds a random corpus (one or two roots) from the test fixtures, the shared
corpora, the seeds, the examples and generated pages, then changes it at random between rounds;
after each round many commands run with the cache and with --no-cache, and stdout, stderr and
the exit code are compared. A mismatch or a crash is written to --out with a snapshot of the
corpus at every round so far. The cached run may also be given, per scenario: a copy of the
seeds taken for the built-in seeds (the shipped image), the parallel load's code paths with a
pool that runs here, msgspec's JSON encoder, and other block sizes and thresholds (LEVERS),
none of which may change an answer. Run it with TMPDIR set outside /tmp if /tmp is cleaned.

It also exercises (the second round of features, counted apart as new_commands): exclude lists
in a root's spacenews.toml (drawn from the corpus's own names and paths, added, changed,
removed, made invalid) and files where a site keeps its build and drafts; pages with TOML front
matter between +++ lines, dated or not, valid or not, their fields edited; texts in Chinese,
Japanese and Korean with names inside sentences (plain, front matter, event and day pages);
ISO days and short month names in prose; search prefixes (word*); corpus paths given twice or
one inside another; timeline --by month --mentions, cache info --jsonl, open PATH --path;
web pages saved as HTML (published or not, with or without an article, menus around them);
searches of words written as one (QMR-KWT-2, Mars-Exp*, ESA's).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from typer.testing import CliRunner

from spacenews import jsonbytes, loader
from spacenews.cli import app

REPO = Path(__file__).resolve().parent.parent
FIX = REPO / "tests" / "fixtures"
# The real corpora it draws pieces from (arw-daily, spaceprobes, launchlog-sample).
SHARED = Path(os.environ.get("SPACENEWS_SHARED_CORPORA", "/work/shared/corpora"))

_spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
assert _spec and _spec.loader
generate_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate_module)

NAMES = [
    "NASA", "Nasa", "nasa", "ESA", "European Space Agency", "EUROPEAN SPACE AGENCY",
    "european space agency", "Mars", "mars", "MARS", "Mars Express", "ISS",
    "International Space Station", "Roscosmos", "Roskosmos", "Russian Federal Space Agency",
    "Baikonur", "Baikonur Cosmodrome", "Kazakhstan", "Juno", "ExoMars", "TGO",
    "ExoMars Trace Gas Orbiter", "AMSAT", "M17 Project", "火星", "欧洲太空总署", "歐洲太空總署",
    "Parker Solar Probe", "Tim Peake", "Timothy Peake", "SpaceX", "Soyuz", "Moon", "JAXA",
    "Satellite 7", "Satellite 12", "Zond Crew", "ZOND CREW", "Zond", "Rosalind Franklin",
    "Bridget", "Schiaparelli", "Beagle 2", "Ariane 6", "Cape Canaveral", "NIIP-5", "Venus",
    "Europa Clipper", "Jupiter", "Baïkonour", "Agence spatiale européenne", "Hubble",
    "Hubble Space Telescope", "Kennedy Space Center", "KSC", "Explorer 6", "Vanguard",
    "Thor Agena A", "Discoverer 5", "Sputnik", "Elektron", "Foo Bar Agency", "FBA",
]  # fmt: skip
WORDS = [
    "mars", "mission", "launch", "launches", "water", "planete", "rouge", "planète", "ice",
    "orbit", "satellite", "the", "crew", "火星", "太空", "ham", "radio", "probe", "sun",
    "rocket", "station", "espace", "uzay", "güneş", "news", "event", "zond", "new",
]  # fmt: skip
PHRASES = ['"red planet"', '"space station"', '"mars express"', '"the crew"', '"liquid water"']
from spacenews import corpus as corpus_module  # noqa: E402
from spacenews import listing, search, walk  # noqa: E402
from spacenews import text as text_module  # noqa: E402
from spacenews.index import carried, fresh, mains, view  # noqa: E402
from spacenews.render import listing as render_listing  # noqa: E402

LEVERS = [
    (carried, "ORDER_CARRIED", [0, 1, 2, 1000]),
    (fresh, "MERGE_BLOCK", [1, 2, 3]),
    (mains, "BLOCK", [1, 2]),
    (view, "BLOCK", [1, 2, 3]),
    (jsonbytes, "BLOCK", [1, 2]),
    (listing, "PASS_BLOCK", [1, 2]),
    (corpus_module, "PLACES_PER_SCAN", [1, 2, 1000]),
    (walk, "_BY_FOLDER", [0, 1, 1000]),
    (search, "COMMON", [0.0, 0.01, 0.1, 1.0]),
    (render_listing, "ROWS_PER_PART", [1, 2]),
    (text_module, "LONG_TEXT", [0, 5, 1000]),
]


class FakePool:
    """A process pool that runs each call here, at once: the parallel load's code paths
    (chunks, spread merges) without starting a process."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def submit(self, function, *arguments):  # type: ignore[no-untyped-def]
        import concurrent.futures

        future: concurrent.futures.Future[object] = concurrent.futures.Future()
        future.set_result(function(*arguments))
        return future

    def map(self, function, *iterables):  # type: ignore[no-untyped-def]
        return map(function, *iterables)

    def shutdown(self, *args: object, **kwargs: object) -> None:
        pass


LANGS = ["en", "tr", "fr", "pt-br", "de"]


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


class Pool:
    """Pieces a corpus is made of: (relative path, bytes)."""

    def __init__(self, scratch: Path) -> None:
        self.groups: dict[str, list[tuple[str, bytes]]] = {}
        parse = [p for p in _files_under(FIX / "parse") if not p.name.endswith(".json")]
        self.groups["parse"] = [(p.name, p.read_bytes()) for p in parse]
        self.groups["goldens"] = [
            (p.name, p.read_bytes()) for p in _files_under(FIX / "parse") if p.suffix == ".json"
        ]
        self.groups["hostile"] = [(p.name, p.read_bytes()) for p in _files_under(FIX / "hostile")]
        self.groups["reading"] = [(p.name, p.read_bytes()) for p in _files_under(FIX / "reading")]
        self.groups["arw"] = [(p.name, p.read_bytes()) for p in _files_under(FIX / "corpus/arw")]
        probes = FIX / "corpus/probes"
        self.groups["probes"] = [
            (str(p.relative_to(probes)), p.read_bytes()) for p in _files_under(probes)
        ]
        self.groups["seeds"] = [(p.name, p.read_bytes()) for p in _files_under(REPO / "seeds")]
        self.groups["examples"] = [
            (p.name, p.read_bytes()) for p in _files_under(REPO / "examples")
        ]
        posts = _files_under(SHARED / "arw-daily/_posts")
        self.groups["arw-daily"] = [(f"_posts/{p.name}", p.read_bytes()) for p in posts]
        probes_en = SHARED / "spaceprobes/_i18n/en/_posts"
        self.probe_names = sorted(p.name for p in probes_en.iterdir())
        self.shared_probes = SHARED / "spaceprobes/_i18n"
        self.launchlog = (SHARED / "launchlog-sample/launchlog-1957-1962.txt").read_bytes()
        generated = scratch / "generated"
        generate_module.generate(120, generated, seed=11)
        self.groups["generated"] = [(p.name, p.read_bytes()) for p in _files_under(generated)]
        generated = scratch / "generated2"
        generate_module.generate(60, generated, seed=12)
        self.groups["generated"] += [
            ("g2-" + p.name, p.read_bytes()) for p in _files_under(generated)
        ]

    def pick(self, rng: random.Random) -> tuple[str, bytes]:
        kind = rng.choice(
            ["parse", "parse", "hostile", "reading", "arw", "probes", "seeds", "examples",
             "arw-daily", "arw-daily", "generated", "generated", "generated", "spaceprobes",
             "launchlog", "goldens", "hugo", "hugo", "hugo", "cjk", "cjk", "cjk", "site",
             "html", "html", "html"]
        )  # fmt: skip
        if kind == "hugo":
            return hugo_doc(rng)
        if kind == "html":
            return html_doc(rng)
        if kind == "cjk":
            return cjk_doc(rng)
        if kind == "site":  # what an exclude pattern is for: a build, styles, a Gemfile, drafts
            name, blob = rng.choice(self.groups["arw-daily"] + self.groups["parse"])
            folder = rng.choice(["_site/", "_site/2016/", "drafts/old/", "drafts/", "assets/"])
            if rng.random() < 0.3:
                return rng.choice(["style.css", "assets/site.css", "Gemfile"]), CSS
            return folder + Path(name).name, blob
        if kind == "spaceprobes":
            name = rng.choice(self.probe_names)
            lang = rng.choice(["en", "tr"])
            path = self.shared_probes / lang / "_posts" / name
            if not path.exists():
                path = self.shared_probes / "en" / "_posts" / name
                lang = "en"
            return f"_i18n/{lang}/_posts/{name}", path.read_bytes()
        if kind == "launchlog":
            lines = self.launchlog.split(b"\n")
            start = rng.randrange(2, len(lines) - 10)
            body = lines[start : start + rng.randint(1, 40)]
            return f"launchlog-{start}.txt", b"\n".join(lines[:2] + body) + b"\n"
        return rng.choice(self.groups[kind])


CSS = b"body { color: #333 }\n/* NASA ESA Mars 2016-03-14 */\n"

TOML_DATES = [
    "2024-04-02T10:00:00Z", "2023-04-03T16:00:00-05:00", "2016-03-14", "2016-03-14T09:31:00",
    '"2016-03-14"', '"March 14, 2016"', '"14 Mart 2016"', '"2016-02-30"', '"not a date"',
    "2016-02-30", "1957-10-04", '"2030-01-01"', "10:00:00", "[2016-03-14]", "2019-07-13 12:30:00Z",
    "9999-12-31T23:59:59Z", "0001-01-01", '"9999-12-31"', "9999-12-30",
]  # fmt: skip


def html_doc(rng: random.Random) -> tuple[str, bytes]:
    """A web page saved as HTML (parse.htmlpage): published or not (by a meta tag, JSON-LD or
    a time element), with or without an article, menus, banners and scripts around its text,
    tags as entities, its text in English or Chinese."""
    head = [
        f"<title>{rng.choice(['ESA - ExoMars', 'Notes | Site', '火星', '', 'A &amp; B'])}</title>"
    ]
    stamp = rng.choice(TOML_DATES).strip('"[]')
    published = rng.random()
    if published < 0.25:
        head.append(f'<meta property="article:published_time" content="{stamp}">')
    elif published < 0.4:
        head.append(f'<script type="application/ld+json">{{"datePublished": "{stamp}"}}</script>')
    if rng.random() < 0.5:
        head.append(f'<meta property="og:title" content="{rng.choice(NAMES)} news">')
    for tag in rng.sample(NAMES, rng.randint(0, 3)):
        head.append(f'<meta property="article:tag" content="{tag}">')
    if rng.random() < 0.4:
        head.append(f'<link rel="canonical" href="https://{rng.choice(["esa.int", "x.org"])}/p">')
    text = rng.choice(
        ["<p>On 2016-03-14, ESA and Roscosmos launched ExoMars from Baikonur.</p>",
         "<p>NASA and the <b>Canadian Space Agency</b>\nnamed the crew.</p><p>Mars next.</p>",
         "<p>欧洲太空总署研制的ExoMars微量气体轨道器升空，前往火星。</p>",
         "<h2>QMR-KWT-2</h2><p>Mar. 14, 2016: the Trace Gas Orbiter left for Mars.</p>", ""]
    )  # fmt: skip
    if rng.random() < 0.3:
        text += f'<p><time datetime="{rng.choice(TOML_DATES).strip(chr(34))}">then</time></p>'
    if rng.random() < 0.5:
        text = f"<{rng.choice(['article', 'main'])}><h1>{rng.choice(NAMES)}</h1>{text}</article>"
    around = "<nav>Home News</nav><header><h1>Site</h1></header>" if rng.random() < 0.5 else ""
    page = f"<!DOCTYPE html>\n<html><head>{''.join(head)}</head><body>{around}{text}</body></html>"
    name = rng.choice(["page.html", "story.htm", "saved", "news/index.html"])
    return f"{rng.randint(0, 30)}-{name}", page.encode()


def hugo_doc(rng: random.Random) -> tuple[str, bytes]:
    """A page with TOML front matter between +++ lines (Hugo's default): dated or not,
    valid or not."""
    lines = ["+++"]
    title = rng.choice(
        ["Artemis II crew named", "ExoMars lifts off", "About this site", "火星任务", "",
         "NASA and ESA meet", 'Quote " inside']
    )  # fmt: skip
    lines.append(f"title = {json.dumps(title, ensure_ascii=False)}")
    for key in rng.sample(["date", "eventdate", "launch_date", "arrival_date", "publishDate"], 2):
        if rng.random() < 0.55:
            lines.append(f"{key} = {rng.choice(TOML_DATES)}")
    if rng.random() < 0.7:
        tags = rng.sample(NAMES, rng.randint(0, 3))
        lines.append(f"tags = {json.dumps(tags, ensure_ascii=False)}")
    if rng.random() < 0.3:
        lines.append(f"categories = {json.dumps(rng.sample(NAMES, 1), ensure_ascii=False)}")
    if rng.random() < 0.2:
        lines.append(f"teams = {json.dumps(rng.choice(NAMES) + ' and ' + rng.choice(NAMES))}")
    if rng.random() < 0.2:
        lines.append('draft = false\n[params]\nauthor = "A reader"')
    if rng.random() < 0.12:
        lines.append(rng.choice(['title = "again"', "tags = [NASA]", 'oops = "unclosed', "= 3"]))
    if rng.random() < 0.05:
        lines.append("---")
    else:
        lines.append("+++" if rng.random() < 0.95 else "")
    body = rng.choice(
        ["NASA and the Canadian Space Agency named the crew of Artemis II.",
         "On 2016-03-14, ESA and Roscosmos launched ExoMars from Baikonur.",
         "Mar. 14, 2016: the Trace Gas Orbiter left for Mars.",
         "欧洲太空总署研制的ExoMars微量气体轨道器升空，前往火星。",
         "Notes on the Moon missions, written as they fly.", ""]
    )  # fmt: skip
    text = "\n".join(lines) + "\n\n" + body + "\n"
    if rng.random() < 0.3:
        text += "\n<!--more-->\n\nThe crew: Reid Wiseman, Victor Glover and Jeremy Hansen.\n"
    name = f"hugo-{rng.randint(0, 40)}.md"
    if rng.random() < 0.3:
        name = f"2024-04-{rng.randint(1, 30):02d}-{name}"
    return rng.choice(["", "content/posts/", "post/"]) + name, text.encode()


CJK_SENTENCES = [
    "欧洲太空总署与俄罗斯联邦航天局联合研制的ExoMars微量气体轨道器升空。",
    "天问一号着陆火星乌托邦平原。", "NASA的朱诺号进入木星轨道。", "火星探测器于2016-03-14发射。",
    "はやぶさ2がJAXAの管制で小惑星に到着した。", "ESAの火星探査機ExoMarsが打ち上げられた。",
    "나사(NASA)는 화성 탐사선을 발사했다.", "国际空间站上的Tim Peake控制了一辆火星车。",
    "SpaceX的猎鹰9号从Cape Canaveral发射。", "歐洲太空總署的火星快車發現了水。",
    "2016年3月14日，欧洲太空总署发射了火星任务。", "在Baikonur发射场，Soyuz火箭升空。",
    "Mars快车与火星2号", "研制的ExoMars微量", "火星火星火星。", "火",
]  # fmt: skip


def cjk_doc(rng: random.Random) -> tuple[str, bytes]:
    """A text in Chinese, Japanese or Korean with names inside its sentences: plain text, a
    YAML or TOML front-matter post, or an event page."""
    body = "".join(rng.sample(CJK_SENTENCES, rng.randint(1, 4)))
    if rng.random() < 0.3:
        body += "\n\n" + "".join(rng.sample(CJK_SENTENCES, 2))
    form = rng.choice(["txt", "yaml", "toml", "event", "day"])
    number = rng.randint(0, 30)
    if form == "txt":
        return f"cjk-{number}.txt", (body + "\n").encode()
    tags = json.dumps(rng.sample(NAMES, rng.randint(0, 2)), ensure_ascii=False)
    date = rng.choice(["2016-03-14", "2020-07-23", "2021-05-15", None])
    if form == "yaml":
        head = f"---\ntitle: {rng.choice(CJK_SENTENCES)}\ntags: {tags}\n"
        head += f"date: {date}\n" if date else ""
        return f"cjk-{number}.md", (head + "---\n\n" + body + "\n").encode()
    if form == "toml":
        head = f"+++\ntitle = {json.dumps(rng.choice(CJK_SENTENCES), ensure_ascii=False)}\n"
        head += f"tags = {tags}\n" + (f"date = {date}\n" if date else "")
        return f"cjk-{number}.md", (head + "+++\n\n" + body + "\n").encode()
    day = date or "2016-03-14"
    name = rng.choice(["火星", "欧洲太空总署", "歐洲太空總署", "NASA", "朱諾號"])
    context = "、".join(rng.sample(["火星", "欧洲太空总署", "ExoMars", "NASA", "木星"], 2))
    if form == "event":
        text = (
            f"### [{day}](/news/{day.replace('-', '/')}/index.md)\n\n##### {name}\n\n"
            f"# {rng.choice(CJK_SENTENCES)}\n\n{body}\n\n### 信息来源:\n\n"
            "1. [BBC](http://www.bbc.com/news/x)\n\n### 有关:\n\n"
            f"1. [{rng.choice(CJK_SENTENCES)}](/news/2016/10/16/x.md) _消息: {context}_\n"
        )
        return f"event-zh-{number}.md", text.encode()
    text = (
        f"## [{day}](/news/{day.replace('-', '/')}/index.md)\n\n##### {name}\n\n"
        f"### [{rng.choice(CJK_SENTENCES)}](/news/{day.replace('-', '/')}/a.md)\n\n"
        f"{body}\n\n_消息: {context}_\n"
    )
    return f"day-zh-{number}.md", text.encode()


TOML_PIECES = [
    '[aliases]\n"Rosalind Franklin" = ["ExoMars rover", "Rosalind Franklin rover"]\n'
    '"Bridget" = ["rover nicknamed Bridget"]\n',
    '[aliases]\n"Zond Crew" = ["ZC", "Zond"]\n"NASA" = ["Nasa", "National Aeronautics"]\n',
    '[aliases]\n"Agence" = ["European Space Agency"]\n',
    '[aliases]\n"Europe\'s Agency" = ["ESA", "European Space Agency"]\n',
    '[aliases]\n"Mars" = ["Red Planet", "planète rouge"]\n',
    '[aliases]\n"Satellite 7" = ["Satellite 12", "S7"]\n',
    '[parts]\n"ExoMars" = ["ExoMars Trace Gas Orbiter", "Schiaparelli EDM", "Rosalind Franklin"]\n',
    '[parts]\n"Mars" = ["Mars Express"]\n',
    '[parts]\n"Europe" = ["European Space Agency", "ESOC"]\n',
    '[frontmatter]\nentity_fields = ["tags", "primary_target"]\n',
    '[frontmatter]\nentity_fields = ["teams", "source"]\ndrop_tags = ["post", "Net"]\n',
    '[frontmatter]\ndate_fields = ["date"]\n',
    '[frontmatter]\ndate_fields = ["arrival_date", "launch_date"]\nend_date_fields = []\n',
    '[frontmatter]\nend_date_fields = ["eventdateend", "arrival_date"]\n',
    '[frontmatter]\ndrop_tags = ["M17 Project", "post"]\n',
    '[frontmatter]\nbogus = ["x"]\n',
    '[frontmatter]\ndate_fields = "eventdate"\n',
    '[aliases]\n"X" = "not a list"\n',
    "this is [not toml\n",
    "",
]


def random_toml(rng: random.Random, root: Path | None = None) -> bytes:
    body = drawn_toml(rng) if rng.random() < 0.5 else pieced_toml(rng)
    if root is not None and rng.random() < 0.4:
        return exclude_line(rng, root) + body
    return body


EXCLUDE_FIXED = [
    "_site/", "*.css", "/Gemfile", "drafts/old", "drafts/", "_posts/", "*.md", "*.txt", "sub",
    "sub/", "sub/deeper", "/sub/*", "_i18n/tr", "_i18n/*/_posts", "*zh*", "[", "**", "/", "*",
    "*.markdown", "other/", "tr", "en/", "*.json", "spacenews.toml", "A", "copy*", "?*.xml",
]  # fmt: skip


def exclude_patterns(rng: random.Random, root: Path) -> list[str]:
    """Patterns drawn from the corpus's own names and paths, and some fixed ones."""
    files = [p for p in corpus_files(root) if p.name != "spacenews.toml"] if root.is_dir() else []
    out: list[str] = []
    for _ in range(rng.randint(1, 4)):
        if files and rng.random() < 0.7:
            path = rng.choice(files)
            relative = path.relative_to(root)
            parent = relative.parent
            choices = [path.name, "*" + path.suffix if path.suffix else path.name, str(relative)]
            choices.append("/" + str(relative))
            if str(parent) != ".":
                choices += [parent.name + "/", str(parent), str(parent) + "/*", parent.name]
            out.append(rng.choice(choices))
        else:
            out.append(rng.choice(EXCLUDE_FIXED))
    return out


def exclude_line(rng: random.Random, root: Path) -> bytes:
    """A top-level exclude = ... line: mostly a list of patterns, sometimes invalid."""
    r = rng.random()
    if r < 0.8:
        value = json.dumps(exclude_patterns(rng, root), ensure_ascii=False)
    else:
        value = rng.choice(['"*.css"', '["*.css", 3]', "[]", '[""]', "{}", '[["_site/"]]', "true"])
    return f"exclude = {value}\n".encode()


def change_exclude(root: Path, rng: random.Random) -> bytes:
    """The root's spacenews.toml with its exclude line added, changed or removed."""
    target = root / "spacenews.toml"
    old = target.read_bytes() if target.exists() else b""
    rest = b"".join(
        line for line in old.splitlines(keepends=True) if not line.startswith(b"exclude =")
    )
    if b"exclude =" in old and rng.random() < 0.3:
        return rest
    return exclude_line(rng, root) + rest


def drawn_toml(rng: random.Random) -> bytes:
    """Alias and parts tables drawn from NAMES: names that join, split and nest at random."""
    lines = []
    if rng.random() < 0.8:
        lines += _drawn_table(rng, "aliases", rng.randint(1, 3), (0, 2))
    if rng.random() < 0.6:
        lines += _drawn_table(rng, "parts", rng.randint(1, 2), (1, 3))
    if rng.random() < 0.3:
        lines.append(rng.choice(TOML_PIECES[9:15]))
    return ("\n".join(lines) + "\n").encode()


def _drawn_table(rng: random.Random, table: str, rows: int, others: tuple[int, int]) -> list[str]:
    """A table of rows, each a name of NAMES and a list of so many others."""
    lines = [f"[{table}]"]
    for _ in range(rows):
        name = rng.choice(NAMES)
        rest = rng.sample([n for n in NAMES if n != name], rng.randint(*others))
        lines.append(f"{json.dumps(name)} = {json.dumps(rest, ensure_ascii=False)}")
    return lines


def pieced_toml(rng: random.Random) -> bytes:
    pieces = rng.sample(TOML_PIECES, rng.randint(1, 3))
    merged: dict[str, list[str]] = {}
    raw = []
    for piece in pieces:
        if piece.startswith("["):
            head, _, rest = piece.partition("\n")
            merged.setdefault(head, []).append(rest)
        else:
            raw.append(piece)
    text = "".join(head + "\n" + "".join(rest) for head, rest in merged.items())
    # duplicate keys in one table are invalid TOML: keep that as a case too
    return (text + "".join(raw)).encode()


# ---- text edits ---------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.split("\n")


def edit_text(text: str, rng: random.Random) -> str:
    kind = rng.choice(
        ["date", "date", "name", "name", "context", "related", "headline", "fm", "fm",
         "acronym", "mention", "delline", "dupline", "swap", "story", "cjk", "append",
         "case", "lang", "source", "tags", "tomlfm", "tomlfm", "tomlfm", "isodate", "isodate",
         "cjkname", "cjkname"]
    )  # fmt: skip
    lines = _lines(text)
    if kind == "tomlfm" and text.startswith("+++"):
        return edit_toml_front_matter(text, rng)
    if kind == "isodate":
        return text + rng.choice(
            ["\n\nOn 2016-03-14, ESA and Roscosmos launched ExoMars.\n",
             "\n\nThe rover landed (2020-07-30) on Mars.\n",
             "\n\nMar. 14, 2016 saw the launch from Baikonur.\n",
             "\n\nOn Sept. 5, 2017, NASA spoke. Then on Feb. 29, 2016, ESA did.\n",
             "\n\nSee 2016-03-14-exomars.md and 2016-03-14-2017 for more.\n",
             "\n\n2016-03-14，欧洲太空总署发射了ExoMars。\n",
             "\n\nOn 2016-02-30, nothing happened. On 2016-3-14 neither.\n",
             f"\n\nOn {rng.randint(1957, 2026)}-{rng.randint(1, 12):02d}-"
             f"{rng.randint(1, 31):02d}, {rng.choice(NAMES)} did it.\n"]
        )  # fmt: skip
    if kind == "cjkname":
        cjk = rng.choice(CJK_SENTENCES)
        at = rng.randrange(len(text) + 1)
        return text[:at] + cjk + text[at:]
    if kind == "date":
        import re

        found = list(re.finditer(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})", text))
        if found:
            m = rng.choice(found)
            y = rng.choice([int(m.group(1)), int(m.group(1)) + 1, rng.randint(1957, 2026)])
            mo, d = rng.randint(1, 12), rng.choice([1, 2, 14, 28, 29, 30, 31])
            sep = m.group(2)
            day = f"{d}" if sep == "/" else f"{d:02d}"
            new = f"{y}{sep}{mo:02d}{sep}{day}"
            return text[: m.start()] + new + text[m.end() :]
    if kind in ("name", "case"):
        present = [n for n in NAMES if n in text]
        if present:
            old = rng.choice(present)
            new = rng.choice(
                [old.upper(), old.lower(), old.title(), rng.choice(NAMES), old + " Agency"]
            )
            if rng.random() < 0.5:
                return text.replace(old, new, 1)
            return text.replace(old, new)
    if kind == "context":
        idx = [i for i, line in enumerate(lines) if "_Context:" in line or "_消息" in line]
        if idx:
            i = rng.choice(idx)
            names = ", ".join(rng.sample(NAMES, rng.randint(1, 3)))
            lines[i] = lines[i].rsplit("_", 2)[0].rstrip("_ ") + f" _Context: {names}_"
            if "_Context:" not in lines[i]:
                lines[i] += f" _Context: {names}_"
            return "\n".join(lines)
    if kind == "related":
        y, mo, d = rng.randint(1990, 2025), rng.randint(1, 12), rng.randint(1, 28)
        head = rng.choice(["Another thing happens", "NASA launches a probe", "The ESA lands"])
        names = ", ".join(rng.sample(NAMES, rng.randint(1, 3)))
        line = f"1. [{head} {d}.](/news/{y}/{mo:02d}/{d}/x{d}.md) _Context: {names}_"
        if "### Related:" in text:
            return text.replace("### Related:\n", "### Related:\n\n" + line + "\n", 1)
        return text + f"\n\n### Related:\n\n{line}\n"
    if kind == "headline":
        idx = [
            i for i, line in enumerate(lines) if line.startswith("# ") or line.startswith("title:")
        ]
        if idx:
            i = rng.choice(idx)
            lines[i] = (
                lines[i] + rng.choice([" again", " (NASA)", " and ESA", ""])
                if rng.random() < 0.5
                else lines[i].replace(" the ", " a ", 1).replace(" The ", " A ", 1)
            )
            return "\n".join(lines)
    if kind == "fm" and text.startswith("---"):
        field = rng.choice(
            ["date: 2024-02-03", "eventdate: 2023-07-01", "eventdateend: 2023-07-09",
             "launch_date: March 14, 2016", "arrival_date: 2030-01-01", "title: A new title",
             "ref: shared-ref", "lang: tr", "lang: en", "translationKey: key1",
             "tags: [NASA, ESA]", "teams: Roscosmos and ESA", "primary_target: Mars",
             "date: 2016-02-30", "title:", "tags: NASA, Nasa", "people: Tim Peake / Zond Crew",
             "date: 9999-12-31", "eventdateend: 9999-12-31", "date: 0001-01-01"]
        )  # fmt: skip
        key = field.split(":")[0]
        import re

        head_end = text.find("\n---", 3)
        if head_end > 0:
            head = text[:head_end]
            if re.search(rf"^{key}:", head, re.M) and rng.random() < 0.7:
                head = re.sub(rf"^{key}:.*$", field, head, count=1, flags=re.M)
            else:
                head = head + "\n" + field
            return head + text[head_end:]
    if kind == "acronym":
        return text + "\n\nThe Foo Bar Agency (FBA) works with the Zond Crew (ZC) today.\n"
    if kind == "mention":
        return text + rng.choice(
            ["\n\nOn 29 April 2016, ESA astronaut Tim Peake controlled a rover.\n",
             "\n\nLaunched in 2003, Mars Express found water.\n",
             "\n\nLe 14 mars 2016, la mission ExoMars a décollé.\n",
             "\n\nMarch 14, 2016 was the day NASA watched.\n"]
        )  # fmt: skip
    if kind == "delline" and len(lines) > 1:
        del lines[rng.randrange(len(lines))]
        return "\n".join(lines)
    if kind == "dupline" and lines:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
        return "\n".join(lines)
    if kind == "swap" and len(lines) > 2:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines)
    if kind == "story":
        idx = [i for i, line in enumerate(lines) if line.startswith("# ")]
        if idx:
            lines.insert(idx[0], f"##### {rng.choice(NAMES)}\n")
            return "\n".join(lines)
    if kind == "cjk":
        return text + "\n\n欧洲太空总署的火星任务发射升空。\n"
    if kind == "lang":
        return text + "\n\nLa mission de l’ESA est partie vers la planète rouge.\n"
    if kind == "source":
        return (
            text + "\n\n### Sources:\n\n1. [NASA News](https://www.nasa.gov/news/x?utm_source=a)\n"
        )
    if kind == "tags" and text.startswith("---"):
        return text.replace("tags:\n", f"tags:\n- {rng.choice(NAMES)}\n", 1)
    # fallback: append a line naming entities
    return text + f"\n\n{rng.choice(NAMES)} and {rng.choice(NAMES)} met the press.\n"


def edit_toml_front_matter(text: str, rng: random.Random) -> str:
    """A field of a +++ header set, added, removed or broken."""
    import re

    end = text.find("\n+++", 3)
    if end < 0:
        return text + "\n+++\n" if rng.random() < 0.5 else text
    head, rest = text[:end], text[end:]
    key = rng.choice(["date", "eventdate", "title", "tags", "launch_date", "arrival_date", "lang"])
    if key in ("title",):
        value = json.dumps(
            rng.choice(["A new title", "火星", "", "NASA's day"]), ensure_ascii=False
        )
    elif key == "tags":
        value = json.dumps(rng.sample(NAMES, rng.randint(0, 3)), ensure_ascii=False)
    elif key == "lang":
        value = json.dumps(rng.choice(LANGS))
    else:
        value = rng.choice(TOML_DATES)
    line = f"{key} = {value}"
    r = rng.random()
    if r < 0.1:
        return head + "\n" + rng.choice(['title = "unclosed', "tags = [", "x = y"]) + rest
    if re.search(rf"^{key} =", head, re.M):
        if r < 0.3:
            return re.sub(rf"^{key} =.*\n?", "", head, count=1, flags=re.M) + rest
        return re.sub(rf"^{key} =.*$", lambda _: line, head, count=1, flags=re.M) + rest
    # a key after a [table] header belongs to that table: put it first
    first = head.find("\n")
    return head[: first + 1] + line + "\n" + head[first + 1 :] + rest


# ---- file operations -----------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.stamp = 2_000_000_000 * 10**9

    def touch(self, path: Path) -> None:
        if path.is_symlink() and not path.exists():
            return
        self.stamp += random.randint(1, 3) * 10**9 + random.randint(0, 999)
        os.utime(path, ns=(self.stamp, self.stamp))


def corpus_files(root: Path) -> list[Path]:
    out = []
    for p in sorted(root.rglob("*")):
        if p.is_file() or p.is_symlink():
            out.append(p)
    return out


def change(roots: list[Path], rng: random.Random, pool: Pool, clock: Clock, log: list[str]) -> None:
    root = rng.choice(roots)
    files = [p for p in corpus_files(root) if p.name != "spacenews.toml"]
    kind = rng.choice(
        ["edit", "edit", "edit", "edit", "copy", "add", "add", "delete", "rename", "move",
         "touch", "truncate", "garbage", "toml", "toml", "toml", "toml", "crlf", "bom", "empty",
         "langmove", "symlink", "folder_rename", "prune", "hidden", "same_size", "cp1252",
         "swapfiles", "weirdname", "exclude", "exclude", "exclude", "site"]
    )  # fmt: skip
    if not files and kind not in ("add", "toml", "exclude", "site"):
        kind = "add"
    path = rng.choice(files) if files else None
    rel = lambda p: str(p.relative_to(root.parent))  # noqa: E731
    if kind == "edit" and path is not None and not path.is_symlink():
        text = path.read_bytes().decode("utf-8", "replace")
        for _ in range(rng.randint(1, 3)):
            text = edit_text(text, rng)
        path.write_text(text, "utf-8")
        clock.touch(path)
        log.append(f"edit {rel(path)}")
    elif kind == "copy" and path is not None and path.exists():
        target = path.parent / f"copy{rng.randint(0, 99)}-{path.name}"
        target.write_bytes(path.read_bytes())
        clock.touch(target)
        log.append(f"copy {rel(path)} -> {rel(target)}")
    elif kind == "add":
        name, data = pool.pick(rng)
        target = root / name
        if target.exists() and rng.random() < 0.5:
            target = target.with_name("n" + str(rng.randint(0, 99)) + "-" + target.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            target.unlink()
        target.write_bytes(data)
        clock.touch(target)
        log.append(f"add {rel(target)}")
    elif kind == "delete" and path is not None:
        path.unlink()
        log.append(f"delete {rel(path)}")
    elif kind == "rename" and path is not None:
        target = path.with_name(rng.choice(["r", "R", "z", "a"]) + path.name)
        if not target.exists():
            path.rename(target)
            log.append(f"rename {rel(path)} -> {rel(target)}")
    elif kind == "move" and path is not None:
        folder = root / rng.choice(["sub", "sub/deeper", "other", "_posts", "A"])
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / path.name
        if not target.exists():
            path.rename(target)
            log.append(f"move {rel(path)} -> {rel(target)}")
    elif kind == "langmove" and path is not None:
        lang = rng.choice(LANGS)
        folder = root / rng.choice(["", "_i18n/"]) / lang
        folder = Path(str(folder).replace("//", "/"))
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / path.name
        if not target.exists() and not path.is_symlink():
            if rng.random() < 0.5:
                path.rename(target)
            else:
                target.write_bytes(path.read_bytes())
                clock.touch(target)
            log.append(f"langmove {rel(path)} -> {rel(target)}")
    elif kind == "touch" and path is not None:
        clock.touch(path)
        log.append(f"touch {rel(path)}")
    elif kind == "truncate" and path is not None and not path.is_symlink():
        data = path.read_bytes()
        path.write_bytes(data[: rng.randrange(len(data) + 1)])
        clock.touch(path)
        log.append(f"truncate {rel(path)}")
    elif kind == "garbage" and path is not None and not path.is_symlink():
        path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randint(1, 300))))
        clock.touch(path)
        log.append(f"garbage {rel(path)}")
    elif kind == "cp1252" and path is not None and not path.is_symlink():
        path.write_bytes(
            path.read_bytes().decode("utf-8", "replace").encode("cp1252", "replace")
            + b"\n caf\xe9 \x93NASA\x94\n"
        )
        clock.touch(path)
        log.append(f"cp1252 {rel(path)}")
    elif kind == "empty" and path is not None and not path.is_symlink():
        path.write_bytes(rng.choice([b"", b"  \n\n"]))
        clock.touch(path)
        log.append(f"empty {rel(path)}")
    elif kind == "crlf" and path is not None and not path.is_symlink():
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
        clock.touch(path)
        log.append(f"crlf {rel(path)}")
    elif kind == "bom" and path is not None and not path.is_symlink():
        data = path.read_bytes()
        path.write_bytes(data[3:] if data.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + data)
        clock.touch(path)
        log.append(f"bom {rel(path)}")
    elif kind == "same_size" and path is not None and not path.is_symlink():
        # same size, new mtime
        data = bytearray(path.read_bytes())
        if data:
            i = rng.randrange(len(data))
            if 0x61 <= data[i] <= 0x7A:
                data[i] = data[i] - 32
            path.write_bytes(bytes(data))
            clock.touch(path)
            log.append(f"same_size {rel(path)}")
    elif kind == "exclude" and root.is_dir():
        target = root / "spacenews.toml"
        target.write_bytes(change_exclude(root, rng))
        clock.touch(target)
        log.append(f"exclude {rel(target)}: {target.read_text()!r}")
    elif kind == "site" and root.is_dir():
        name, data = pool.pick(rng)
        name = rng.choice(["_site/", "drafts/old/", "drafts/", "_site/news/"]) + Path(name).name
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_symlink():
            target.write_bytes(data)
            clock.touch(target)
            log.append(f"site {rel(target)}")
    elif kind == "toml":
        target = root / "spacenews.toml"
        if target.exists() and rng.random() < 0.3:
            target.unlink()
            log.append(f"toml delete {rel(target)}")
        else:
            target.write_bytes(random_toml(rng, root))
            clock.touch(target)
            log.append(f"toml {rel(target)}: {target.read_text()!r}")
    elif kind == "symlink" and path is not None and not path.is_symlink():
        target = path.parent / ("link-" + path.name)
        if not target.exists() and not target.is_symlink():
            target.symlink_to(path.name)
            log.append(f"symlink {rel(target)} -> {path.name}")
    elif kind == "folder_rename" and path is not None and path.parent not in roots:
        folder = path.parent
        target = folder.with_name(folder.name + "x")
        if not target.exists():
            folder.rename(target)
            log.append(f"folder_rename {rel(folder)} -> {rel(target)}")
    elif kind == "prune" and path is not None and path.parent not in roots:
        shutil.rmtree(path.parent)
        log.append(f"prune {rel(path.parent)}")
    elif kind == "hidden" and path is not None:
        target = path.with_name("." + path.name)
        if not target.exists():
            path.rename(target)
            log.append(f"hidden {rel(path)} -> {rel(target)}")
    elif kind == "weirdname" and path is not None:
        odd = rng.choice(
            [b"odd \xff", b"new\nline ", b"\x1b[31m", b"cafe\xcc\x81 ", b"caf\xc3\xa9 ", b" copy ",
             b"tab\t", b"\xe9t\xe9 "]
        )  # fmt: skip
        target = path.with_name(os.fsdecode(odd) + path.name)
        if not target.exists():
            path.rename(target)
            log.append(f"weirdname {rel(path)} -> {rel(target)!r}")
    elif kind == "swapfiles" and len(files) > 1:
        a, b = rng.sample(files, 2)
        if not a.is_symlink() and not b.is_symlink():
            da, db = a.read_bytes(), b.read_bytes()
            a.write_bytes(db)
            b.write_bytes(da)
            clock.touch(a)
            clock.touch(b)
            log.append(f"swapfiles {rel(a)} {rel(b)}")


# ---- commands ------------------------------------------------------------------------------


def commands(rng: random.Random, info: dict) -> list[list[str]]:
    names = info["entities"] or ["NASA"]
    dates = info["dates"] or ["2016-03-14"]
    words = info["words"] or ["mars"]

    def E() -> str:
        r = rng.random()
        if r < 0.6:
            return rng.choice(names)
        if r < 0.7:
            return rng.choice(names).lower()
        if r < 0.8:
            n = rng.choice(names)
            return n[:-1] if len(n) > 3 else n
        return rng.choice(NAMES)

    def D() -> str:
        d = rng.choice(dates)
        return rng.choice([d, d[:7], d[:4], d[:4] + ".." + rng.choice(dates)[:4]])

    def W() -> str:
        return rng.choice(words) if rng.random() < 0.7 else rng.choice(WORDS)

    fmt = lambda: rng.choice([[], [], ["--json"], ["--jsonl"]])  # noqa: E731
    templates = [
        lambda: ["timeline", *fmt()],
        lambda: ["timeline", "--json"],
        lambda: ["timeline", "--mentions", *fmt()],
        lambda: ["timeline", "--entity", E(), *fmt()],
        lambda: ["timeline", "--entity", E(), "--mentions", "--json"],
        lambda: ["timeline", D(), *fmt()],
        lambda: ["timeline", "--from", D()[:4], "--to", rng.choice(dates)[:7], *fmt()],
        lambda: ["timeline", "--on", rng.choice(dates)[5:] or "03-14", *fmt()],
        lambda: ["timeline", "--by", rng.choice(["year", "month", "decade"]), *fmt()],
        lambda: ["timeline", "--reverse", "--limit", str(rng.randint(0, 5)), *fmt()],
        lambda: ["show", rng.choice(dates), *fmt()],
        lambda: ["show", D(), *fmt()],
        lambda: ["show", D()[:4], "--entity", E(), *fmt()],
        lambda: ["related", E(), *fmt()],
        lambda: ["related", E(), "--json"],
        lambda: ["related", E(), "--sort", "date", *fmt()],
        lambda: ["related", E(), "--in", D()[:4], *fmt()],
        lambda: ["related", E(), "--entity", E(), *fmt()],
        lambda: ["entities", *fmt()],
        lambda: ["entities", "--json"],
        lambda: ["entities", "--limit", str(rng.randint(1, 5)), *fmt()],
        lambda: ["search", W(), *fmt()],
        lambda: ["search", W(), W(), "--json"],
        lambda: ["search", rng.choice(PHRASES), *fmt()],
        lambda: ["search", rng.choice(["火星", "太空", "欧洲", "güneş", "planète"]), *fmt()],
        lambda: ["search", W(), "--sort", "date", "--limit", str(rng.randint(0, 4)), *fmt()],
        lambda: ["search", W(), "--entity", E(), *fmt()],
        lambda: ["check"],
        lambda: ["check", "--json"],
        lambda: ["export", "--format", rng.choice(["ics", "csv", "markdown"])],
        lambda: [
            "export",
            D(),
            "--format",
            rng.choice(["ics", "csv", "markdown"]),
            "--entity",
            E(),
        ],
        lambda: ["open", rng.choice(dates)[:4], "--path"],
    ]
    files = info.get("files") or ["nothing.md"]

    def P() -> str:  # a word ending with *: every word that starts so
        word = W() if rng.random() < 0.8 else rng.choice(PREFIXES)
        if word.endswith("*"):
            return word
        return word[: rng.randint(1, max(1, len(word)))] + "*"

    cjk = lambda: rng.choice(CJK_NAMES)  # noqa: E731
    new = [  # the features the fuzz learned second: prefixes, CJK names, ISO mentions, ...
        lambda: ["search", P(), *fmt()],
        lambda: ["search", P(), W(), *fmt()],
        lambda: ["search", W(), P(), "--json"],
        lambda: ["search", P(), "--limit", "0", *fmt()],
        lambda: ["search", P(), "--sort", "date", *fmt()],
        lambda: ["search", P(), "--entity", E(), *fmt()],
        lambda: ["search", rng.choice(["火*", "太*", "欧洲*", "火星*", "は*"]), *fmt()],
        lambda: ["search", rng.choice(["QMR-KWT-2", "Mars-Exp*", "ESA's", "trace-gas"]), *fmt()],
        lambda: ["search", W(), "NOT", rng.choice([W(), P(), rng.choice(PHRASES)]), *fmt()],
        lambda: ["related", cjk(), *fmt()],
        lambda: ["related", cjk(), "--json"],
        lambda: ["timeline", "--entity", cjk(), *fmt()],
        lambda: ["timeline", "--entity", cjk(), "--mentions", "--json"],
        lambda: ["entities", "--json"],
        lambda: ["timeline", "--mentions", "--json"],
        lambda: ["show", rng.choice(["2016-03-14", "2020-07-30", "2017-09-05", "2016-03"])],
        lambda: ["show", rng.choice(dates), "--json"],
        lambda: ["timeline", "--by", "month", "--mentions", *fmt()],
        lambda: ["timeline", "--by", "month", "--mentions", D()[:4], *fmt()],
        lambda: ["cache", "info", rng.choice(["--jsonl", "--json"])],
        lambda: ["open", rng.choice(files), "--path"],
        lambda: ["open", rng.choice(files), "--path", "--json"],
        lambda: ["check", "--json"],
    ]
    chosen = [t() for t in rng.sample(templates, rng.randint(6, 14))]
    chosen += [[NEW, *t()] for t in rng.sample(new, rng.randint(6, 12))]
    rng.shuffle(chosen)
    return chosen


NEW = "\0new"  # marks a command of the new features, for the counts
PREFIXES = [
    "explor*", "mar*", "laun*", "crew*", "sta*", "e*", "火*", "plan*", "orbit*", "nasa*", "*",
    "**", "a**", '"mar*"', "NEAR*", "OR*", "NOT*", "x-y*", "é*", "(*", "3*", "火星任*", "は*",
    "m*r", "ı*", "ß*", "ﬁ*", "2016-03*", "_*", "'*", "plané*",
]  # fmt: skip
CJK_NAMES = [
    "火星",
    "欧洲太空总署",
    "歐洲太空總署",
    "ExoMars",
    "NASA",
    "朱諾號",
    "木星",
    "JAXA",
    "火",
]


def invoke(runner: CliRunner, args: list[str]) -> tuple[str, str, int, str | None]:
    result = runner.invoke(app, args)
    crash = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(result.exception))
    if result.exit_code == 3:
        crash = (crash or "") + "exit 3: " + result.stderr
    return result.stdout, result.stderr, result.exit_code, crash


def harvest(runner: CliRunner, base: list[str]) -> dict:
    info: dict = {"entities": [], "dates": [], "words": []}
    out = runner.invoke(app, [*base, "--no-cache", "entities", "--json"])
    try:
        for item in json.loads(out.stdout):
            info["entities"].append(item["name"])
            info["entities"] += item.get("aliases", [])[:2]
    except (ValueError, KeyError, TypeError):  # no JSON: an empty or unreadable corpus
        pass
    out = runner.invoke(app, [*base, "--no-cache", "timeline", "--mentions", "--json"])
    try:
        for item in json.loads(out.stdout):
            info["dates"].append(item["date"])
            text = item.get("headline") or item.get("snippet") or ""
            info["words"] += [w.strip(".,;:()'\"") for w in text.split() if len(w) > 3][:3]
    except (ValueError, KeyError, TypeError):  # no JSON: an empty or unreadable corpus
        pass
    info["words"] = [w for w in info["words"] if w and not w.startswith("-")]
    return info


def doubled(base: list[str], rng: random.Random) -> list[str]:
    """The corpus paths with one given again: the same, written otherwise, or a folder or
    file inside it, before or after it."""
    root = Path(rng.choice(base[1::2]))
    inside = [p for p in root.rglob("*") if not p.name.startswith(".")] if root.is_dir() else []
    again = rng.choice(
        [str(root), str(root) + "/", os.path.relpath(root), str(root / "."),
         str(rng.choice(inside)) if inside else str(root)]
    )  # fmt: skip
    at = rng.choice(range(0, len(base) + 1, 2))
    return [*base[:at], "--corpus", again, *base[at:]]


def snapshot(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest, symlinks=True, copy_function=shutil.copy2)


def scenario(number: int, seed: int, rounds: int, pool: Pool, out: Path, stats: dict) -> None:
    rng = random.Random(f"{seed}-{number}")
    random.seed(f"{seed}-{number}-clock")
    clock = Clock()
    with tempfile.TemporaryDirectory(prefix="fz") as temporary:
        base_dir = Path(temporary)
        cache = base_dir / "cache"
        data = base_dir / "data"
        cache.mkdir()
        data.mkdir()
        shape = rng.random()
        seeds_mode = rng.random() < 0.12
        if seeds_mode:  # a copy of the seeds taken for the built-in seeds: the shipped image
            shape = 0.0
        if shape < 0.6:
            roots = [base_dir / "A"]
        elif shape < 0.9:
            roots = [base_dir / "A", base_dir / "B"]
        else:
            roots = [data / "feeds"]  # the default corpus: the seeds and the feeds folder
        for root in roots:
            root.mkdir(parents=True)
            for _ in range(rng.randint(3, 25)):
                name, blob = pool.pick(rng)
                target = root / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(blob)
                clock.touch(target)
            if seeds_mode:
                for seed_file in (REPO / "seeds").iterdir():
                    (root / seed_file.name).write_bytes(seed_file.read_bytes())
                    clock.touch(root / seed_file.name)
            if rng.random() < 0.45:
                (root / "spacenews.toml").write_bytes(random_toml(rng, root))
                clock.touch(root / "spacenews.toml")
        if shape >= 0.6 and shape < 0.9 and rng.random() < 0.3:
            # overlapping roots: a folder and one of its subfolders, or a file of it
            sub = roots[0] / "sub"
            sub.mkdir(exist_ok=True)
            for _ in range(rng.randint(1, 4)):
                name, blob = pool.pick(rng)
                (sub / Path(name).name).write_bytes(blob)
                clock.touch(sub / Path(name).name)
            roots = [roots[0], sub] if rng.random() < 0.5 else [sub, roots[0]]
        threshold = 1 if rng.random() < 0.85 else 50
        loader.CACHE_MIN_FILES = threshold
        use_db = rng.random() < 0.15
        quick_json = rng.random() < 0.3
        parallel = rng.random() < 0.4
        # Thresholds and block sizes that only decide how an answer is made, never what it is:
        # set otherwise for the cached run alone, each answer must stay the one without them.
        levers = [
            (module, name, rng.choice(values))
            for module, name, values in LEVERS
            if rng.random() < 0.35
        ]
        real_many = jsonbytes.MANY
        env = {
            "SPACENEWS_CORPUS": None, "NO_COLOR": "1", "COLUMNS": str(rng.choice([80, 100, 160])),
            "SPACENEWS_CACHE_DIR": str(cache), "SPACENEWS_DATA_DIR": str(data),
            "SPACENEWS_NO_CACHE": None, "SPACENEWS_DEBUG": "1",
        }  # fmt: skip
        os.environ["SPACENEWS_CACHE_DIR"] = str(cache)
        os.environ["SPACENEWS_DATA_DIR"] = str(data)
        runner = CliRunner(env=env)
        history: list[list[str]] = []
        snaps = base_dir / "snaps"
        snaps.mkdir()
        for round_number in range(rounds + 1):
            log: list[str] = []
            if round_number:
                for _ in range(rng.randint(1, 6)):
                    try:
                        change(roots, rng, pool, clock, log)
                    except (OSError, ValueError) as error:
                        log.append(f"change failed: {error!r}")
            history.append(log)
            for i, root in enumerate(roots):
                if root.exists():
                    snapshot(root, snaps / f"r{round_number}-{i}")
            order = list(roots)
            if len(order) == 2 and rng.random() < 0.25:
                order.reverse()
            if roots[0].name == "feeds":
                base: list[str] = []
            else:
                base = [x for root in order for x in ("--corpus", str(root))]
            if base and rng.random() < 0.3:  # a corpus path given twice, or one inside another
                base = doubled(base, rng)
            if use_db:
                base = [*base, "--db", str(base_dir / "my.sqlite")]
            info = harvest(runner, base)
            info["files"] = [
                os.path.relpath(p) if rng.random() < 0.7 else str(p)
                for root in roots
                for p in rng.sample(corpus_files(root), min(3, len(corpus_files(root))))
            ]
            cmds = commands(rng, info)
            for args in cmds:
                if args[0] == NEW:
                    args = args[1:]
                    stats["new_commands"] += 2
                full = [*base, *args]
                first_cached = rng.random() < 0.7

                def run_cached() -> tuple[str, str, int, str | None]:
                    real_seeds = loader.seeds_path
                    saved = [(module, name, getattr(module, name)) for module, name, _ in levers]
                    for module, name, value in levers:
                        setattr(module, name, value)
                    import concurrent.futures

                    real_pool, real_count = (
                        concurrent.futures.ProcessPoolExecutor,
                        loader._worker_count,
                    )
                    if parallel:  # the cached run parses and merges as many processes would
                        concurrent.futures.ProcessPoolExecutor = FakePool  # type: ignore[misc]
                        loader._worker_count = lambda files, workers: 2
                    if quick_json:  # the cached run encodes with msgspec, the other with json
                        jsonbytes.MANY = 1
                    if seeds_mode:  # the copy of the seeds is the built-in seeds
                        loader.seeds_path = lambda: roots[0]
                    try:
                        return invoke(runner, full)  # noqa: B023
                    finally:
                        loader.seeds_path = real_seeds
                        concurrent.futures.ProcessPoolExecutor = real_pool  # type: ignore[misc]
                        loader._worker_count = real_count
                        jsonbytes.MANY = real_many
                        for module, name, value in saved:
                            setattr(module, name, value)

                if first_cached or seeds_mode:
                    cached = run_cached()
                    plain = invoke(runner, [*full, "--no-cache"])
                else:
                    plain = invoke(runner, [*full, "--no-cache"])
                    cached = run_cached()
                stats["commands"] += 2
                problem = None
                if cached[3] or plain[3]:
                    problem = "crash"
                elif cached[:3] != plain[:3]:
                    problem = "mismatch"
                if problem:
                    stats[problem] += 1
                    where = out / f"s{seed}-{number}-r{round_number}-{problem}-{stats[problem]}"
                    where.mkdir(parents=True, exist_ok=True)
                    shutil.copytree(snaps, where / "snaps", symlinks=True, dirs_exist_ok=True)
                    (where / "report.json").write_text(
                        json.dumps(
                            {
                                "seed": seed,
                                "scenario": number,
                                "round": round_number,
                                "roots": [str(r) for r in roots],
                                "order": [str(r) for r in order],
                                "threshold": threshold,
                                "seeds_mode": seeds_mode,
                                "quick_json": quick_json,
                                "parallel": parallel,
                                "levers": [(m.__name__, n, v) for m, n, v in levers],
                                "args": full,
                                "history": history,
                                "cached": cached,
                                "plain": plain,
                                "first_cached": first_cached,
                            },
                            indent=1,
                            ensure_ascii=True,
                        )
                    )
                    print(f"!! {problem} s{seed}-{number} r{round_number}: {full}", flush=True)
            stats["rounds"] += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenarios", type=int, default=20)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--out", type=Path, default=Path("/tmp/fuzzout"))
    parser.add_argument("--until", type=float, default=0.0, help="stop at this epoch time")
    args = parser.parse_args()
    stats = {
        "commands": 0, "new_commands": 0, "rounds": 0, "scenarios": 0, "crash": 0, "mismatch": 0
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        pool = Pool(Path(scratch))
        for number in range(args.start, args.start + args.scenarios):
            if args.until and time.time() > args.until:
                break
            try:
                scenario(number, args.seed, args.rounds, pool, args.out, stats)
            except Exception:  # noqa: BLE001 - a harness error is told, and the fuzz goes on
                traceback.print_exc()
                print(f"!! harness error in scenario {number}", flush=True)
            stats["scenarios"] += 1
            print(json.dumps({"scenario": number, **stats}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
