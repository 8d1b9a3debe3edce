"""The pager that --pager writes tables through: the user's own ($PAGER, else less), fed as
the answer is made; one that cannot run or fails at once loses none of it."""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import IO, TYPE_CHECKING

from spacenews.terminal import TEXT_ONLY, colour, say

if TYPE_CHECKING:
    import subprocess

    from rich.console import Console


def pager_command() -> str | None:
    """The user's pager ($PAGER), else less if there is one."""
    import shutil

    return os.environ.get("PAGER") or ("less" if shutil.which("less") else None)


@contextmanager
def open_pager(command: str, console: Console) -> Iterator[Console]:
    """A console writing to the pager as the answer is made, so that its first screen
    shows at once; quitting the pager early ends the answer, quietly, and the command ends
    when the pager does. A pager that fails before it read the answer (it cannot be run, or
    exits at once with an error status) loses none of it: the console given shows it
    instead, after a line on stderr, as git does when its pager cannot run."""
    import subprocess

    from rich.console import Console

    os.environ.setdefault("LESS", "-R")  # let less show the colours, not their codes
    # The user's own $PAGER, run by the shell as pydoc runs it: it may hold options.
    process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE)
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    stream = _PagerStream(process, command, console.file, encoding)

    class Paged(Console):
        def on_broken_pipe(self) -> None:  # Rich's own ends the process, with status 1
            self.quiet = True
            raise BrokenPipeError

    # As the terminal's console (colours as the terminal and NO_COLOR say), but to the pager.
    styles = {"force_terminal": True, **colour()}
    to_pager = Paged(file=stream, width=console.width, **TEXT_ONLY, **styles)
    try:
        yield to_pager
    # The pager was quit before the end; or Ctrl-C, which the pager takes too, left the
    # rest of the answer unwritten (as pydoc leaves it): the pager keeps the terminal.
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        stream.close()


# What a pager is sent is kept up to this many characters, more than a pipe holds (64 KiB,
# or at most 1 MiB, on Linux): a pager that was sent more has read some of it.
_KEEP = 1 << 20
_AT_ONCE = 1.0  # seconds: a pager that fails sooner did so before it could be read


class _PagerStream(io.TextIOWrapper):
    """The text stream to the pager. It leaves out terminal hyperlinks (OSC 8): a pager may
    show their codes as text. And it keeps what it sent while that fits in a pipe: should
    the pager end with an error status having read none of it, stdout gets it, then the
    rest of the answer."""

    def __init__(
        self, process: subprocess.Popen[bytes], command: str, stdout: IO[str], encoding: str
    ) -> None:
        import re  # compiled here, not at every start-up: few runs page

        assert process.stdin is not None
        super().__init__(process.stdin, encoding=encoding, errors="replace")
        self._process = process
        self._command = command
        self._stdout = stdout
        self._kept: list[str] | None = []  # None once more was sent than a pipe holds
        self._size = 0
        self._failed = False  # the pager failed: the answer goes to stdout
        self._status: int | None = None
        self._start = time.monotonic()
        self._link = re.compile("\x1b]8;[^\x1b\x07]*(?:\x1b\\\\|\x07)")

    def write(self, text: str) -> int:
        text = self._link.sub("", text) if "\x1b]8" in text else text
        if self._failed:
            return self._stdout.write(text)
        if self._kept is not None:
            self._size += len(text)
            if self._size <= _KEEP:
                self._kept.append(text)
            else:
                self._kept = None
        try:
            return super().write(text)
        except BrokenPipeError:
            self._fall_back()
            return len(text)

    def flush(self) -> None:
        if self._failed:
            self._stdout.flush()
            return
        try:
            super().flush()
        except BrokenPipeError:
            self._fall_back()

    def close(self) -> None:
        """Close the pipe and wait for the pager to end (then stdout gets the answer if the
        pager failed)."""
        with suppress(OSError):  # the pager is gone: what is left goes nowhere
            super().close()
        if self._failed_at_once() and not self._failed and self._kept is not None:
            self._fall_back()

    def _fall_back(self) -> None:
        """The pager is gone: if it failed having read nothing, stdout gets what it was sent
        and the rest; else the answer ends here, as when the pager is quit (BrokenPipeError)."""
        if self._failed or self._kept is None or not self._failed_at_once():
            raise BrokenPipeError
        from spacenews.text import printable

        pager = f"the pager ({printable(self._command)}) exited with status {self._ended()}"
        say(f"{pager}: the answer is shown without it")
        self._failed = True
        self._stdout.write("".join(self._kept))
        self._stdout.flush()
        self._kept = None

    def _failed_at_once(self) -> bool:
        """Whether the pager failed before anyone could read it: the shell could not run it
        (126, 127), or it ended with an error status at once. One that ends so later (less
        -K, quit with Ctrl-C) was read: its answer is not shown again."""
        status = self._ended()
        return status in (126, 127) or (status > 0 and time.monotonic() - self._start < _AT_ONCE)

    def _ended(self) -> int:
        """Wait for the pager to end: its exit status (negative: killed by that signal)."""
        while self._status is None:
            with suppress(KeyboardInterrupt):  # Ctrl-C is the pager's to handle
                self._status = self._process.wait()
        return self._status
