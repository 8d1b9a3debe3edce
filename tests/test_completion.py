"""Shell completion: what each shell's completion script is given reads back, in that shell,
as the exact names, whatever they hold."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spacenews.completion import bash_word, zsh_item

# Names a shell would take apart: spaces, quotes, parentheses, &, ;, $, `, :, \, ~, #, !
NAMES = [
    "Baikonur Cosmodrome",
    "Café ~Tilde #1 !x",
    "Mission: Back\\slash",
    "O'Neill (L5) & Sons; Ltd",
    'Tom "Tiny" $HOME `id`',
]
PAGE = (
    "### [2016-03-14](/news/2016/03/14/index.md)\n# A probe flew.\n\n### Related:\n"
    "1. [Another flew.](/news/2016/03/15/another.md) _Context: " + ", ".join(NAMES) + "_\n"
)


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a shell where ``spacenews`` is this code, reading a corpus whose
    entities are NAMES."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(PAGE, "utf-8")
    folder = tmp_path / "bin"
    folder.mkdir()
    command = folder / "spacenews"
    command.write_text(f"#!{sys.executable}\nfrom spacenews.cli import main\nmain()\n")
    command.chmod(0o755)
    return {**os.environ, "SPACENEWS_CORPUS": str(corpus), "PATH": f"{folder}:{os.environ['PATH']}"}


def _script(shell: str, env: dict[str, str]) -> str:
    """The completion script spacenews gives for the shell."""
    asked = {**env, "_SPACENEWS_COMPLETE": f"source_{shell}"}
    return subprocess.run(
        ["spacenews"], env=asked, capture_output=True, text=True, check=True
    ).stdout


# Each case: what the line holds before the word completed, the word as typed so far (quote
# included), and how bash reads back a word it was given (closing the quote readline closes).
BASH = r"""
eval "$SCRIPT"
ask() {  # the quote the word was opened with, then the words of the line
    local quote=$1; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
    _spacenews_completion spacenews
    local word
    for word in "${COMPREPLY[@]}"; do
        eval "set -- $quote$word$quote"
        printf '%s|%s\0' "$#" "$1"
    done
    printf '\n\0'
}
ask '' spacenews related ''
ask '"' spacenews related '"'
ask "'" spacenews related "'"
ask '' spacenews related 'O\'"'"'Neill' '\(L'
ask '' spacenews related Baikonur C
ask '' spacenews related baik
ask '' spacenews related Baikonur c
"""


def test_bash_inserts_words_that_read_back_as_the_names(shell_env: dict[str, str]) -> None:
    env = {**shell_env, "SCRIPT": _script("bash", shell_env)}
    done = subprocess.run(["bash", "-c", BASH], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    answers = [
        [tuple(word.split("|", 1)) for word in answer.strip("\0").split("\0") if word]
        for answer in done.stdout.split("\n\0")[:-1]
    ]
    whole = [("1", name) for name in NAMES]
    assert answers == [
        whole,  # unquoted: escaped with backslashes
        whole,  # after an opening double quote
        whole,  # after an opening single quote
        [("1", "(L5) & Sons; Ltd")],  # the rest of a name whose first words were typed
        [("1", "Cosmodrome")],
        # In any case: the rest of the name after what was typed, which Typer and bash keep.
        [("1", "baikonur Cosmodrome")],
        [("1", "cosmodrome")],
    ]


ZSH = r"""
setopt extendedglob
compdef() { : }
_arguments() {  # as zsh's: a ((...)) action is evaluated as words, then _describe'd
    local action=${1#\*: :}
    local -a ws
    eval "ws=( ${action[3,-3]} )"
    local w
    for w in $ws; do
        printf '%s\0' "${w//(#b)\\(?)/$match[1]}"  # _describe's: \: is :, \\ is \
    done
    printf '\n\0'
}
eval "$SCRIPT"
words=(spacenews related ''); CURRENT=3; _spacenews_completion
words=(spacenews related Baikonur C); CURRENT=4; _spacenews_completion
"""


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_reads_each_name_whole_through_both_evals(shell_env: dict[str, str]) -> None:
    env = {**shell_env, "SCRIPT": _script("zsh", shell_env)}
    done = subprocess.run(["zsh", "-f", "-c", ZSH], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    answers = [answer.strip("\0").split("\0") for answer in done.stdout.split("\n\0")[:-1]]
    assert answers == [NAMES, ["Cosmodrome"]]


FISH = """
source (echo $SCRIPT | psub)
complete -C"spacenews related "
"""


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_is_given_the_names_as_they_are(shell_env: dict[str, str]) -> None:
    """Fish quotes what it inserts itself: it is given the names as they are, one a line."""
    env = {**shell_env, "SCRIPT": _script("fish", shell_env)}
    done = subprocess.run(["fish", "--no-config", "-c", FISH], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().splitlines() == NAMES


def test_the_formats_of_each_shell() -> None:
    # What the scripts above check in the shells themselves, for where one is missing.
    assert bash_word("a b'c") == "a\\ b\\'c"
    assert bash_word("it's", "'") == "it'\\''s"
    assert bash_word('$a"b', '"') == '\\$a\\"b'
    assert zsh_item("a:b'c", "help: it") == '"a\\\\:b\'\\\'\'c":"help: it"'
