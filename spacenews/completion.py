"""Shell completion that inserts words a shell can use: a value holding spaces, quotes,
parentheses, ``&``, ``;``, ``$`` and the like comes escaped or quoted for the shell that asked.

Typer's completion classes print each value as it is. Bash inserts what it is given as it is,
so "Baikonur Cosmodrome" became two words and "O'Neill" an open quote: here the value is
escaped with backslashes, or for the quote the word was opened with. Zsh reads Typer's
answer through two evals, which lost quotes and apostrophes: here each layer is quoted for
its own, and zsh then quotes what it inserts itself. Fish is handed values as they are, one
a line, and quotes what it inserts itself: Typer's class is kept.
"""

import os
from typing import Any

from typer import _completion_classes as typer_shells

from spacenews.usage import click

_BASH_PLAIN = frozenset("_@%+.,/-")  # besides letters and digits, what bash leaves alone


def register() -> None:
    """Answer bash and zsh with the classes below rather than Typer's (which Typer registers
    on each start, before the command line is read)."""
    add = click().shell_completion.add_completion_class
    add(BashComplete, "bash")
    add(ZshComplete, "zsh")


def bash_word(value: str, quote: str = "") -> str:
    """The value as bash reads it back as one word: with a backslash before every character
    that is special, or, after an opening quote (" or '), as the rest of that quoted string,
    which readline closes."""
    if quote == "'":
        return value.replace("'", "'\\''")
    if quote == '"':
        return "".join("\\" + c if c in '\\"$`' else c for c in value)
    return "".join(c if c.isalnum() or c in _BASH_PLAIN else "\\" + c for c in value)


def zsh_item(value: str, description: str | None) -> str:
    """One ``"value":"description"`` of the ``_arguments '*: :((...))'`` line Typer's zsh
    script evals: within the single quotes of that line, each a double-quoted string that
    _arguments evals again, the value's colons and backslashes escaped for _describe."""

    def quoted(text: str) -> str:
        return '"' + "".join("\\" + c if c in '\\"$`' else c for c in text) + '"'

    item = quoted(value.replace("\\", "\\\\").replace(":", "\\:"))
    if description:
        item += ":" + quoted(" ".join(description.split()))
    return item.replace("'", "'\\''")


class BashComplete(typer_shells.BashComplete):
    """Typer's bash completion, each value escaped as a word (see bash_word)."""

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        # Bash passes the words as typed, quotes and backslashes kept, one a line.
        words = os.environ["COMP_WORDS"].split("\n")
        at = int(os.environ["COMP_CWORD"])
        typed = words[at] if len(words) > 1 and at < len(words) else ""
        quote = typed[:1] if typed[:1] in ("'", '"') else ""
        found = self.get_completions(args, incomplete)
        return "\n".join(bash_word(item.value, quote) for item in found)


class ZshComplete(typer_shells.ZshComplete):
    """Typer's zsh completion, each value and its help quoted through both evals (see
    zsh_item)."""

    def format_completion(self, item: Any) -> str:
        return zsh_item(item.value, item.help)
