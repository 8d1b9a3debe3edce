"""Entity names: which names mean the same thing, which are part of which, and finding them in text.

Names come from the corpus (``_Context:_`` lines, front-matter tags, acronyms it defines such as
"The European Space Agency (ESA)"), from the table shipped in ``data/entities.toml``, and from a
``spacenews.toml`` at the root of a corpus folder. Matching ignores case and spacing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from spacenews.text import CJK_CHARS, bare, fold, fold_case, has_cjk

# "The European Space Agency (ESA)": capitalised words, then an acronym of their initials.
_ACRONYM = re.compile(
    r"((?:[A-Z][\w'’.-]*\s+(?:(?:of|for|and|the|de|du|des|la|le)\s+)?){2,8})\(([A-Z][A-Z0-9]{1,7})\)"
)
MAX_NAME_CHARS = 200  # a longer "name" (a runaway tag) is not looked for in text
_WORD_END = re.compile(r"\W")  # where a shorter name may end, inside a longer one
_SMALL_WORDS = frozenset(["of", "for", "and", "the", "de", "du", "des", "la", "le"])


class AliasFileError(ValueError):
    """A spacenews.toml that cannot be read as an alias table."""


class AliasTable(NamedTuple):
    """Aliases and parts, as read from a TOML file (a named tuple: a dataclass would cost
    milliseconds of every start to build)."""

    aliases: dict[str, list[str]]  # canonical -> other names
    parts: dict[str, list[str]]  # whole -> its parts


def read_alias_table(data: bytes) -> AliasTable:
    """Parse an alias table; raise AliasFileError saying what is wrong."""
    import tomllib

    try:
        document = tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise AliasFileError(str(error)) from None
    return alias_table_of(document)


def alias_table_of(document: dict[str, Any]) -> AliasTable:
    """The alias table a parsed TOML document gives; raise AliasFileError saying what is
    wrong."""
    return AliasTable(_table(document, "aliases"), _table(document, "parts"))


SHIPPED_TOML = "entities.toml"  # the shipped table, as people edit it
SHIPPED_JSON = "entities.json"  # ... and as spacenews reads it: json.loads of JSON is quick,
# where importing tomllib and parsing the TOML cost about 7 ms of every start. A test checks
# that it is exactly shipped_json() of the TOML (SPACENEWS_UPDATE_GOLDEN=1 writes it anew).


def shipped_path(name: str) -> Path:
    """A file of the shipped data, in the package folder where the wheel installs it (not
    through importlib.resources, whose import costs more than the whole read)."""
    return Path(__file__).parent / "data" / name


def shipped_document() -> dict[str, Any]:
    """The shipped table's whole document: [aliases], [parts] and [sites]."""
    import json

    document: dict[str, Any] = json.loads(shipped_path(SHIPPED_JSON).read_bytes())
    return document


def shipped_json(toml: bytes) -> str:
    """The JSON of a TOML document, its tables' keys in their order."""
    import json
    import tomllib

    return json.dumps(tomllib.loads(toml.decode("utf-8")), ensure_ascii=False, indent=1) + "\n"


def shipped_table() -> AliasTable:
    """The table of well-known space names that comes with spacenews."""
    document = shipped_document()
    return AliasTable(_table(document, "aliases"), _table(document, "parts"))


def _table(document: dict[str, Any], key: str) -> dict[str, list[str]]:
    section = document.get(key, {})
    if not isinstance(section, dict):
        raise AliasFileError(f"[{key}] must be a table")
    table: dict[str, list[str]] = {}
    for name, values in section.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise AliasFileError(f"[{key}] {name!r} must be a list of strings")
        table[name] = values
    return table


def acronyms(text: str) -> Iterable[tuple[str, str]]:
    """(long name, acronym) pairs a text defines, such as ("European Space Agency", "ESA")."""
    if "(" not in text:
        return
    for match in _ACRONYM.finditer(text):
        words, acronym = match.group(1).split(), match.group(2)
        for start in range(len(words)):
            long_words = words[start:]
            initials = "".join(w[0] for w in long_words if w.lower() not in _SMALL_WORDS)
            if initials.upper() == acronym and long_words[0].lower() not in _SMALL_WORDS:
                yield " ".join(long_words), acronym
                break


class Gazetteer:
    """Every known entity: its canonical name, its aliases, its parts."""

    def __init__(self) -> None:
        self._canonical: dict[str, str] = {}  # folded name or alias -> canonical name
        self._aliases: dict[str, list[str]] = {}  # folded canonical -> its other names
        self._parts: dict[str, list[str]] = {}  # folded canonical -> canonical names of parts
        self._spellings: set[str] = set()  # every name and alias as written, to find in text
        self._whole: NamePattern | None = None  # any name, as finder finds them
        self._starts: NamePattern | None = None  # where any name starts
        self._named: dict[str, str | None] = {}  # spelling found -> the entity it names
        self._own: dict[str, NamePattern] = {}  # canonical name -> its names' pattern
        self._wholes: dict[str, list[str]] | None = None  # folded part -> its wholes
        self._bare: dict[str, set[str]] | None = None  # bare name or alias -> canonical names

    def add(self, name: str, aliases: Iterable[str] = ()) -> str:
        """Know a name and its aliases; a name already known keeps its canonical form."""
        canonical = self._canonical.setdefault(fold(name), name)
        known = self._aliases.setdefault(fold(canonical), [])
        self._spellings.add(name)
        for alias in aliases:
            if fold(alias) not in self._canonical:
                self._canonical[fold(alias)] = canonical
                known.append(alias)
                self._spellings.add(alias)
        self._starts = self._wholes = self._bare = None
        self._own.clear()
        return canonical

    def add_table(self, table: AliasTable) -> None:
        """Know every name of an alias table."""
        for name, aliases in table.aliases.items():
            self.add(name, aliases)
        for whole, parts in table.parts.items():
            key = fold(self.add(whole))
            for part in parts:
                canonical = self.add(part)
                if canonical not in self._parts.setdefault(key, []):
                    self._parts[key].append(canonical)
                    self._wholes = None

    def resolve(self, name: str) -> str | None:
        """The canonical name for a name or alias, or None when it is unknown."""
        return self._canonical.get(fold(name))

    def lookup(self, name: str) -> str | None:
        """The canonical name for a name or alias a user typed: as resolve, or else the one
        entity with a name or alias that differs only in its diacritics (see text.bare);
        None when there is none, or several."""
        canonical = self.resolve(name)
        if canonical is not None:
            return canonical
        if self._bare is None:
            self._bare = {}
            for folded, known in self._canonical.items():
                self._bare.setdefault(bare(folded), set()).add(known)
        found = self._bare.get(bare(name), set())
        return next(iter(found)) if len(found) == 1 else None

    def names(self) -> dict[str, str]:
        """Every name and alias as written, each with the canonical name it stands for."""
        return {spelling: self._canonical[fold(spelling)] for spelling in self._spellings}

    def aliases(self, canonical: str) -> list[str]:
        """The other names of an entity."""
        return list(self._aliases.get(fold(canonical), ()))

    def parts(self, canonical: str) -> list[str]:
        """The entities that are part of this one, and their parts in turn."""
        found: list[str] = []
        queue = list(self._parts.get(fold(canonical), ()))
        while queue:
            part = queue.pop(0)
            if part not in found and fold(part) != fold(canonical):
                found.append(part)
                queue.extend(self._parts.get(fold(part), ()))
        return found

    def key(self) -> str:
        """A digest of what the names found in a text, and the names tags resolve to, depend
        on: two gazetteers with one key find the same (see index.view.View.entity_counts)."""
        import hashlib

        digest = hashlib.sha256()
        for spelling in sorted(self._spellings):
            digest.update(spelling.encode("utf-8", "surrogatepass") + b"\0")
        for folded, canonical in sorted(self._canonical.items()):
            digest.update(f"\1{folded}\0{canonical}".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def counts_key(self) -> str:
        """key, and the parts tables: what the counts of entities depend on, as an event
        tied to a part or naming it counts for the whole (see index.view.View.entity_counts)."""
        import hashlib

        digest = hashlib.sha256(self.key().encode())
        for whole, parts in sorted(self._parts.items()):
            for part in [whole, *parts]:
                digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
            digest.update(b"\1")
        return digest.hexdigest()

    def forms(self, canonical: str) -> dict[str, str]:
        """Every spelling that stands for the entity, with how: "name", "alias" or "part"."""
        forms = {canonical: "name"}
        forms.update((alias, "alias") for alias in self.aliases(canonical))
        for part in self.parts(canonical):
            for name in [part, *self.aliases(part)]:
                forms.setdefault(name, "part")
        return forms

    def wholes(self, canonical: str) -> list[str]:
        """The entities this one is part of, and those they are part of in turn."""
        if self._wholes is None:
            self._wholes = {}
            for whole in self._parts:
                name = self._canonical.get(whole, whole)
                for part in self.parts(name):
                    self._wholes.setdefault(fold(part), []).append(name)
        return list(self._wholes.get(fold(canonical), ()))

    def find(self, text: str) -> Counter[str]:
        """How often each known entity is named in a text, by canonical name."""
        return Counter(name for _, name in self.places(text))

    def places(self, text: str) -> Iterator[tuple[int, str]]:
        """Where a known entity is named in a text, and its canonical name, for each naming.

        An entity is named wherever one of its own names (its canonical name or an alias)
        would be found alone (see finder), as ``related`` finds it: inside a longer name
        too ("Mars" in "Mars Express"), and in the case finder asks of that name ("Nasa"
        names an entity spelt "NASA" only if "Nasa" is one of its aliases). So what
        ``entities`` counts is what ``related`` lists."""
        if self._starts is None:
            self._whole = pattern(self._spellings)
            # Every place a name starts, even inside another name: a lookahead matches
            # without consuming, so the search goes on from the next character.
            self._starts = self._whole.wrapped("(?=({}))")
            self._named.clear()
        named = self._named
        for match in self._starts.finditer(text):
            start, longest = match.start(), match.group(1)
            # A shorter name may start here too, ending where a word ends inside this one.
            ends = [end.start() for end in _WORD_END.finditer(longest)]
            for spelling in [longest[:end] for end in ends if end] + [longest]:
                name = named.get(spelling, "")
                if name == "":
                    name = named[spelling] = self._naming(spelling)
                if name is not None:
                    yield start, name

    def _naming(self, spelling: str) -> str | None:
        """The entity a spelling found in a text names, if one of its own names would be
        found there alone; None otherwise."""
        assert self._whole is not None
        if self._whole.fullmatch(spelling) is None:
            return None
        name = self._canonical.get(fold(spelling))
        if name is None:
            # Ignoring case, the regex engine takes some letters for others that casefold
            # keeps apart (a dotless i for an i): the known name that matches is sought.
            known = sorted(self._spellings)
            name = next(self._canonical[fold(k)] for k in known if pattern([k]).fullmatch(spelling))
        own = self._own.get(name)
        if own is None:
            own = self._own[name] = pattern([name, *self.aliases(name)])
        return name if own.fullmatch(spelling) else None


class NamePattern:
    """The regex of names on word boundaries (see finder), compiled two ways: on the
    boundaries of words, and, for a text holding characters of languages written without
    spaces, on those of words of other characters only ("火星" is named in "着陆火星乌托邦平原",
    "ExoMars" in "研制的ExoMars微量"). The second is compiled when a text first needs it: the
    class of those characters costs milliseconds to compile, for each set of names."""

    def __init__(self, body: str, wrap: str = "{}") -> None:
        self._body, self._wrap = body, wrap
        self.plain = re.compile(wrap.format(rf"(?<!\w)(?:{body})(?!\w)"))
        self._beside: re.Pattern[str] | None = None  # the second
        self._text, self._for_text = "", self.plain  # the last text asked about, and its

    def wrapped(self, wrap: str) -> NamePattern:
        """The same names within wrap, their regex in place of its {}."""
        return NamePattern(self._body, wrap)

    def of(self, text: str) -> re.Pattern[str]:
        """The regex for this text."""
        if text is not self._text:  # a long text is asked about at many places in turn
            self._text, self._for_text = text, self.plain
            if has_cjk(text):
                if self._beside is None:
                    word = rf"[^\W{CJK_CHARS}]"
                    bounded = f"(?<!{word})(?:{self._body})(?!{word})"
                    self._beside = re.compile(self._wrap.format(bounded))
                self._for_text = self._beside
        return self._for_text

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.of(text).search(text, pos)

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.of(text).match(text, pos)

    def findall(self, text: str) -> list[Any]:
        return self.of(text).findall(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.of(text).finditer(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.plain.fullmatch(text)  # nothing stands around a whole text


class Finder(NamedTuple):
    """A regex finding names, and the words any of its matches must start with: a text
    holding none of them holds no match, which plain string searches tell quickly."""

    pattern: NamePattern
    exact: frozenset[str]  # a match starts with one of these, as written...
    folded: frozenset[str]  # ... or with one of these, in the text as fold_case gives it


def pattern(names: Iterable[str], *, any_case: bool = False) -> NamePattern:
    """One regex finding any of the names on word boundaries (see finder)."""
    return finder(names, any_case=any_case).pattern


def finder(names: Iterable[str], *, any_case: bool = False) -> Finder:
    """One regex finding any of the names on word boundaries (see NamePattern).

    A one-word name must match its case ("Mars" is not the French month "mars"), unless
    any_case is set; longer names match in any case and across any run of white space. The
    names are laid out as a trie, so that the regex tries one branch per character rather than
    every name at every place: thousands of names stay fast.
    """
    spaced = {" ".join(name.split()) for name in names}
    # A NUL can stand in no text (files holding one are not read), and the corpus index
    # separates texts with it: a name holding one could only match across two texts.
    spaced = {name for name in spaced if 0 < len(name) <= MAX_NAME_CHARS and "\0" not in name}
    exact = {name for name in spaced if " " not in name and not any_case}
    folded = {name.lower() for name in spaced - exact}
    branches = []  # multi-word names first: "Mars Express" must win over "Mars"
    if folded:
        branches.append("(?i:" + _trie(folded) + ")")
    if exact:
        branches.append(_trie(exact))
    if not branches:
        return Finder(NamePattern(r"(?!x)x"), frozenset(), frozenset())
    regex = NamePattern("|".join(branches))
    firsts = {fold_case(name.split(" ")[0]) for name in folded}
    if None in firsts:
        firsts = {""}  # a word fold_case cannot keep: every place may start a match
    return Finder(regex, frozenset(exact), frozenset(word for word in firsts if word is not None))


def _trie(words: Iterable[str]) -> str:
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here
    return _branch(root)


def _branch(node: dict[str, Any]) -> str:
    ends = "" in node
    alternatives = [_char(char) + _branch(child) for char, child in sorted(node.items()) if char]
    if not alternatives:
        return ""
    if len(alternatives) == 1 and not ends:
        return alternatives[0]
    group = "(?:" + "|".join(alternatives) + ")"
    return group + "?" if ends else group  # greedy: the longer name is tried first


def _char(char: str) -> str:
    return r"\s+" if char == " " else re.escape(char)


SUGGEST_CUTOFF = 0.75  # the least likeness suggested: one edit in four letters
WORDS_CUTOFF = 0.85  # ... when only some words of a name were given: they must say more


class Suggestion(NamedTuple):
    """An entity whose name is close to a name that matched nothing."""

    name: str  # the entity's canonical name
    spelling: str  # its name or alias that was close
    likeness: float  # 1 for the same name (or words), down to SUGGEST_CUTOFF (WORDS_CUTOFF)
    whole: bool  # the whole name was close, not only some of its words

    def rank(self) -> tuple[bool, float, int, str]:
        """Its place among suggestions: whole names first, then the likest, then the
        shortest (in words), then by name."""
        return not self.whole, -self.likeness, len(self.spelling.split()), fold(self.name)


def closest(wanted: str, names: Mapping[str, str], count: int = 3) -> list[Suggestion]:
    """The entities with a name close to ``wanted``, best first (see Suggestion.rank), at
    most ``count``: ``names`` maps each name or alias to its entity's canonical name (see
    Gazetteer.names).

    Likeness forgives case and spacing, and typos, transposed, missing or extra letters: one
    minus the edits (a transposition is one) per letter of the longer name. A name of more
    words than wanted is also close when each word wanted is close to one of its words, the
    others left out ("webb telescope" for "James Webb Space Telescope"); such names come
    after the whole names that are close, a typo of a short name ("Space" for "SpaceX")
    being closer to what was meant than a name holding the word."""
    # Here, not at start-up: only a name that matched nothing needs it (about 20 ms).
    from rapidfuzz.distance import OSA

    key = fold(wanted)
    best: dict[str, Suggestion] = {}
    for spelling, canonical in names.items() if key else ():
        name = fold(spelling)
        hint = Suggestion(canonical, spelling, OSA.normalized_similarity(key, name), True)
        words, name_words = key.split(), name.split()
        if hint.likeness < SUGGEST_CUTOFF and len(words) < len(name_words):
            each = [max(OSA.normalized_similarity(w, n) for n in name_words) for w in words]
            hint = Suggestion(canonical, spelling, sum(each) / len(words), False)
        cutoff = SUGGEST_CUTOFF if hint.whole else WORDS_CUTOFF
        known = best.get(canonical)
        if hint.likeness >= cutoff and (known is None or hint.rank() < known.rank()):
            best[canonical] = hint
    return sorted(best.values(), key=Suggestion.rank)[:count]


def defined_acronyms(texts: Iterable[str]) -> list[tuple[str, str]]:
    """Every (long name, acronym) pair the texts define, in order, each once."""
    return list(dict.fromkeys(pair for text in texts for pair in acronyms(text)))


def build_gazetteer(
    user_tables: Iterable[AliasTable],
    corpus_names: Iterable[str],
    defined: Iterable[tuple[str, str]],
) -> Gazetteer:
    """The gazetteer of a corpus: the user's tables first, so they win, then the shipped table,
    the acronyms the corpus defines (see defined_acronyms), and the names the corpus gives."""
    gazetteer = Gazetteer()
    for table in user_tables:
        gazetteer.add_table(table)
    gazetteer.add_table(shipped_table())
    for long_name, acronym in defined:
        gazetteer.add(long_name, [acronym])
    for name in dict.fromkeys(corpus_names):  # each name once: a corpus repeats them a lot
        gazetteer.add(name)
    return gazetteer
