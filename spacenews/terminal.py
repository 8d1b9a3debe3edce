"""The process and the terminal: the one module that writes to stdout and stderr.

Results go to stdout through ``output``, the one output switch; messages, progress bars and
errors go to stderr through ``say``. Exit codes, the pager, colour (Rich's consoles: only on a
terminal, never with NO_COLOR, unless --color says otherwise) and how the process ends live
here too, so that the commands only wire. Rich is imported inside the functions that print:
start-up time counts.
"""

from __future__ import annotations

import errno
import functools
import gc
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from enum import IntEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, NoReturn, TextIO

from spacenews.render.plain import plural

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from spacenews import fetch
    from spacenews.corpus import Corpus, Progress

Format = Literal["table", "json", "jsonl", "text"]
# What every console of spacenews prints text as: text, never markup, emoji codes or
# highlighted numbers (text from a document is data).
TEXT_ONLY: dict[str, Any] = {"highlight": False, "markup": False, "emoji": False}


class ExitCode(IntEnum):
    """What the exit status says, as grep says it."""

    OK = 0  # results were found
    NO_RESULTS = 1  # the command ran but found nothing (or `check` found problems)
    USAGE = 2  # the command line or a corpus path is wrong, or the output cannot be written
    INTERNAL = 3  # a bug in spacenews (please report it), or a damaged index
    FETCH_FAILED = 4  # fetch: a URL gave no news (an error status, no answer, no feed)


def stop(code: ExitCode) -> NoReturn:
    """End the command with this exit status (what has been written stays written)."""
    import typer

    raise typer.Exit(code)


def output(
    items: Sequence[Any],
    fmt: Format,
    view: Callable[[], RenderableType],
    empty: str | None = None,
    *,
    pager: bool = False,
    file: Path | None = None,
) -> None:
    """The one output switch: the items (anything with ``to_dict``) as JSON or JSON Lines for
    programs; for people, the view: a Rich renderable, printed (through a pager if asked, on
    a terminal) when there are items, or, in the text format, text written as it is, always
    (an export with its header only, a schema, the cache's description), to stdout or to
    ``file`` (see save).

    No items means exit 1 with the ``empty`` message on stderr, unless ``empty`` is None.
    """
    if fmt == "text":
        text = view()
        assert isinstance(text, str)
        if file is not None:
            save(file, text)
        else:
            with _writing_stdout():
                _write(text)
    elif fmt == "table" and items:
        rendered = view()
        with _writing_stdout():
            _show(rendered, pager)
    elif fmt != "table":
        from spacenews.render.data import lines, write_json, write_jsonl

        write = write_json if fmt == "json" else write_jsonl
        with _writing_stdout():
            sys.stdout.flush()
            write(sys.stdout.buffer, lines(items))
    if not items and empty is not None:
        say(empty)
        stop(ExitCode.NO_RESULTS)


@contextmanager
def _writing_stdout() -> Iterator[None]:
    """Write results to stdout, flushed at the end. A stdout that cannot take them (a full
    disk, ``> /dev/full``) is one line on stderr and exit 2, as a file that export -o cannot
    write; a reader gone (a broken pipe) is click's to end, quietly with exit 1. What is
    written here reads no file (the corpus is loaded; a listing made as it is printed asks
    SQLite, whose errors are no OSError): an OSError here is stdout's."""
    try:
        yield
        sys.stdout.flush()
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise
        _cannot_write(error)
        stop(ExitCode.USAGE)


def _cannot_write(error: OSError) -> None:
    """Say that stdout cannot take the results; what is left of them then goes nowhere (the
    last flush, as the process ends, would fail again)."""
    say(f"error: cannot write standard output: {error.strerror or error}")
    with suppress(OSError, ValueError):  # no file descriptor (a test's stream)
        stdout = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout)
        os.close(devnull)


def _write(text: str) -> None:
    # A file name that is not UTF-8 keeps its odd bytes as lone surrogates (a csv export's
    # documents, open --path). To a terminal they are shown as \xff escapes, as tables show
    # them, whatever the stream's errors handler (C.UTF-8 writes them raw): no raw byte of a
    # name reaches it (0x9b is a control to an 8-bit terminal). Elsewhere they are written
    # as those bytes, which name the file; a character the encoding lacks, escaped.
    if text.isascii() or _surrogate().search(text) is None:
        try:
            sys.stdout.write(text)  # encoded whole before any of it is written
            return
        except UnicodeEncodeError:  # a character the stream's encoding lacks
            pass
    sys.stdout.flush()
    encoding = sys.stdout.encoding or "utf-8"
    if sys.stdout.isatty():
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        sys.stdout.buffer.write(text.encode(encoding, "backslashreplace"))
    else:
        try:
            sys.stdout.buffer.write(text.encode(encoding, "surrogateescape"))
        except UnicodeEncodeError:
            sys.stdout.buffer.write(text.encode(encoding, "backslashreplace"))
    sys.stdout.buffer.flush()


@functools.cache
def _surrogate() -> re.Pattern[str]:
    """An odd byte of a name that is not UTF-8 (compiled when a text first needs it)."""
    return re.compile("[\udc80-\udcff]")


def save(path: Path, text: str) -> None:
    """Write the text to a file whole or not at all: to a temporary file in the same folder,
    then renamed over it. A link stays a link: its target is written so, in the target's
    folder. What is no regular file (a FIFO, a device such as /dev/stdout) is written into,
    as the shell's ``>`` writes into it, never replaced. A file that cannot be written is a
    usage error (exit 2), which leaves neither the file nor a temporary file behind."""
    import stat

    try:
        try:
            status = path.stat()
        except FileNotFoundError:  # a new file (or a link to one)
            status = None
        into = status is not None and not stat.S_ISREG(status.st_mode)  # links followed
        stream = _standard_stream(path, status)
        if stream is not None:  # /dev/stdout, the shell's file (>> log): its own descriptor
            stream.flush()
            stream.buffer.write(text.encode("utf-8", "surrogateescape"))
            stream.buffer.flush()
        elif into:
            with path.open("w", encoding="utf-8", errors="surrogateescape", newline="") as out:
                out.write(text)
        else:
            _replace(Path(os.path.realpath(path)), text)
    except BrokenPipeError:  # a reader gone (-o /dev/stdout | head): quiet, as for stdout
        raise
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}")


def _standard_stream(path: Path, status: os.stat_result | None) -> TextIO | None:
    """stdout or stderr, when the path leads through a link (/dev/stdout, /proc/self/fd/1)
    to the regular file it writes: opened anew, that file would be replaced or cut short,
    where the shell's ``>>`` appends to it, and what the stream holds already would be lost."""
    import stat

    if status is None or not stat.S_ISREG(status.st_mode):
        return None
    if Path(os.path.realpath(path)) == path.absolute():  # the file's own name
        return None
    for stream in (sys.stdout, sys.stderr):
        try:
            held = os.fstat(stream.fileno())
        except (OSError, ValueError, AttributeError):  # no descriptor (a test's stream)
            continue
        if (held.st_dev, held.st_ino) == (status.st_dev, status.st_ino):
            return stream
    return None


def _replace(path: Path, text: str) -> None:
    """Write the text to a new file beside the path, then rename it over the path (whose
    permissions it takes, when it is a file)."""
    from spacenews.files import written_aside

    mode = path.stat().st_mode & 0o7777 if path.is_file() else None
    data = text.encode("utf-8", "surrogateescape")  # a name's odd bytes, as they were
    temporary = written_aside(path.parent, path.name, data, ".tmp", mode)
    try:
        temporary.replace(path)
    except BaseException:
        with suppress(OSError):
            temporary.unlink()
        raise


def _show(rendered: RenderableType, pager: bool) -> None:
    from rich.text import Text

    console = stdout_console()
    # Plain lines (check's path:line: reason) stay whole, for grep and editors.
    whole = isinstance(rendered, Text)
    command = None
    if pager and console.is_terminal:
        from spacenews.pager import open_pager, pager_command  # few runs page

        command = pager_command()
    if command is not None:
        with open_pager(command, console) as to_pager:
            print_parts(to_pager, rendered, whole)
    else:
        print_parts(console, rendered, whole)


def say(message: str) -> None:
    """Tell the user something on stderr, as one line: ``spacenews: message``."""
    from rich.text import Text

    stderr_console().print(Text(f"spacenews: {message}"))


def fail(message: str) -> NoReturn:
    """A usage error: its message on stderr, as one line with where to read the command's
    help, and exit 2."""
    from spacenews.usage import ARGS_KEY, click, command_names, usage_line

    ctx = click().globals.get_current_context(silent=True)
    args = ctx.find_root().meta.get(ARGS_KEY, []) if ctx else []
    say(usage_line(message, command_names(ctx), args))
    stop(ExitCode.USAGE)


def tell_problems(corpus: Corpus, summary: bool) -> None:
    """The loader's notices on stderr and, with ``summary``, how many files had problems."""
    for notice in corpus.notices:
        say(notice)
    if summary and corpus.problems:
        from spacenews.walk import UNLISTED

        skipped = {problem.path for problem in corpus.problems if problem.skipped}
        folders = {p.path for p in corpus.problems if p.skipped and p.reason.startswith(UNLISTED)}
        warned = {problem.path for problem in corpus.problems} - skipped
        gone = [plural(len(folders), "folder")] if folders else []
        gone += [plural(len(skipped - folders), "file")] if skipped - folders else []
        counts = [" and ".join(gone) + " skipped"] if gone else []
        counts += [plural(len(warned), "file") + " with warnings"] if warned else []
        say(f"{', '.join(counts)}: run `spacenews check` for details")


def run(app: Callable[[], object]) -> NoReturn:
    """Run the app as the console script: a crash becomes one line and exit code 3."""
    if sys.stderr is None:  # closed before the start (2>&-): the messages go nowhere
        sys.stderr = Path(os.devnull).open("w")  # noqa: SIM115 (open to the end of the process)
    if sys.stdout is None:  # closed before the start (>&-): as a reader gone, said once
        say("error: standard output is closed: the results have nowhere to go")
        _leave(ExitCode.NO_RESULTS)
    try:
        app()
        code: int = ExitCode.OK  # not reached: the app ends with SystemExit
    except SystemExit as ended:
        if ended.code is not None and not isinstance(ended.code, int):
            raise
        code = ended.code or 0
    except Exception as error:
        if os.environ.get("SPACENEWS_DEBUG"):
            raise
        if isinstance(error, OSError) and _stdouts(error):  # help, as click writes it
            _leave(ExitCode.USAGE)
        from sqlite3 import DatabaseError

        from spacenews.text import printable

        if isinstance(error, DatabaseError):  # an index damaged (index.codec.DamagedRow too)
            reason = (
                f"the index is damaged ({error}): run `spacenews cache clear`,"
                " or remove the file given to --db"
            )
            say(f"error: {printable(reason)}")
        else:
            name = type(error).__name__
            say(f"internal error ({name}): {printable(str(error))}")
        code = ExitCode.INTERNAL
    _leave(code)


_loaded: list[Corpus] = []  # the corpus of the command, kept to the end: see _leave


def pause_collector(on_close: Callable[[Callable[[], None]], object]) -> None:
    """Turn the garbage collector off until the command ends (``on_close`` registers what runs
    then): the corpus about to load holds no cycles, nor does what the command makes of it
    (events decoded, matches), and the collector would walk them again and again for
    nothing."""
    if gc.isenabled():
        gc.disable()
        on_close(_collect_again)


def keep_until_exit(corpus: Corpus) -> None:
    """Keep the command's corpus to the end of the process, which then ends without freeing
    it (see _leave)."""
    _loaded[:] = [corpus]  # one at most: tests run many commands in one process


def _collect_again() -> None:
    # Frozen first: the first allocation would otherwise start a full collection over
    # everything the command made, which a large corpus makes long.
    gc.freeze()
    gc.enable()


def _stdouts(error: OSError) -> bool:
    """Whether an error the app did not catch is stdout's (said then on stderr): what is left
    of the help cannot be flushed, or, unbuffered (PYTHONUNBUFFERED), its write failed for
    want of room. Nothing else the app writes outside the commands' own handling of it."""
    if not _flushed():
        return True
    if error.errno in {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}:
        _cannot_write(error)
        return True
    return False


def _flushed() -> bool:
    """Flush stdout: False, said on stderr, when it cannot take what is left (a full disk)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (BrokenPipeError, ValueError):  # a reader gone, or a stream closed: nothing to do
        pass
    except OSError as error:
        _cannot_write(error)
        return False
    return True


def _leave(code: int) -> NoReturn:
    """End the process. Once a corpus was loaded, without freeing its objects one by one,
    which on a large corpus takes longer than many a query: the operating system takes the
    memory back whole. Only the streams need flushing; nothing else is pending (but what the
    option parser wrote, as help, may be), and stdout may fail as ``_writing_stdout`` says.
    Under a profiler, tracer or debugger, the usual way, so that they can report."""
    if not _flushed():
        code = ExitCode.USAGE
    if not _loaded or sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    with suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


PROGRESS_AFTER = 0.5  # seconds: a load done sooner shows no bar, which would only flash


@contextmanager
def load_progress() -> Iterator[Progress | None]:
    """Progress bars on stderr while a corpus loads (files parsed, cached results read, events
    merged), only when stderr is a terminal, and only once the load has taken PROGRESS_AFTER
    with a step still under way."""
    if not sys.stderr.isatty():  # checked before importing rich: start-up time counts
        yield None
        return
    import time

    from rich.progress import Progress as Bar
    from rich.progress import TaskID

    begun = time.monotonic()

    # The bar (and the thread that draws it) starts with its first report, after the walk:
    # a process that runs a thread forks no helper to share the walk's stats.
    bar = Bar(console=stderr_console(), transient=True)
    tasks: dict[str, TaskID] = {}  # a bar for each thing the load does

    def report(what: str, done: int, total: int) -> None:
        if not tasks:
            if done >= total or time.monotonic() - begun < PROGRESS_AFTER:
                return  # a step over, or begun just now: nothing to show yet
            bar.start()
        if what not in tasks:
            tasks[what] = bar.add_task(what, total=total)
        bar.update(tasks[what], completed=done, total=total)

    try:
        yield report
    finally:
        if tasks:
            bar.stop()


Told = Callable[[str, "fetch.Fetched | fetch.FetchError"], None]


@contextmanager
def fetch_progress(count: int) -> Iterator[Told]:
    """What fetch tells of each URL: the file written on stdout, a line on stderr; and a
    progress bar on stderr while several URLs are fetched on a terminal. A function of its
    own, for a test to watch the bar without a terminal's process."""
    from spacenews.text import printable

    def tell(url: str, outcome: fetch.Fetched | fetch.FetchError) -> None:
        if isinstance(outcome, Exception):
            say(f"error: {printable(str(outcome))}")
            return
        if outcome.saved is None:
            say(f"{printable(url)}: not modified since the last fetch")
            return
        items = plural(outcome.events, "event") + ", " + plural(outcome.documents, "document")
        say(f"{printable(url)}: {items}, saved")
        with _writing_stdout():
            _write(f"{outcome.saved}\n")

    if count < 2 or not sys.stderr.isatty():
        yield tell
        return
    from rich.progress import Progress as Bar

    with Bar(console=stderr_console(), transient=True) as bar:
        task = bar.add_task("Fetching", total=count)

        def report(url: str, outcome: fetch.Fetched | fetch.FetchError) -> None:
            tell(url, outcome)
            bar.advance(task)

        yield report


def edit(paths: Sequence[Path]) -> NoReturn:
    """Open the files in the user's editor, all in one call ($VISUAL, else $EDITOR, split as a
    shell splits words but run without one), and end with exit 0, or 1 when the editor
    failed. No editor set, or one that cannot be run, is a usage error."""
    import shlex
    import subprocess

    name = "VISUAL" if os.environ.get("VISUAL", "").strip() else "EDITOR"
    try:
        command = shlex.split(os.environ.get(name, ""))
    except ValueError as error:
        fail(f"cannot read ${name}: {error}")
    if not command:
        fail("no editor: set $VISUAL or $EDITOR, or print the paths with --path")
    try:
        done = subprocess.run([*command, *map(os.fspath, paths)], check=False)
    except OSError as error:
        fail(f"cannot run ${name} ({command[0]}): {error.strerror or error}")
    if done.returncode != 0:
        say(f"error: the editor ({command[0]}) exited with status {done.returncode}")
        stop(ExitCode.NO_RESULTS)
    stop(ExitCode.OK)


def print_parts(console: Console, rendered: RenderableType, whole: bool) -> None:
    """Print a renderable; a listing or a group part by part, each written as soon as it
    is made: a long answer (a year in full, a whole timeline) starts at once, and never
    stands in memory whole. ``whole`` keeps lines unwrapped (plain lines, for grep)."""
    from rich.console import Group

    from spacenews.render.listing import Listing

    parts: Iterable[RenderableType] = [rendered]
    if isinstance(rendered, Listing):
        parts = rendered.parts()
    elif isinstance(rendered, Group):
        parts = rendered.renderables
    for part in parts:
        # A listing's lines are as wide as the console: cutting them again would only cost.
        console.print(part, soft_wrap=whole, crop=not isinstance(rendered, Listing))


ColorMode = Literal["auto", "always", "never"]
_color: list[ColorMode] = ["auto"]  # what --color asked for, this run


def use_color(mode: ColorMode) -> None:
    """Styles (colour, bold, hyperlinks) as --color says: ``auto`` as the terminal, NO_COLOR and
    FORCE_COLOR say (Rich reads them); ``always`` and ``never`` whatever they say."""
    _color[0] = mode


def colour() -> dict[str, Any]:
    """The arguments that give a Rich console the styles --color asks for."""
    if _color[0] == "never":
        return {"color_system": None}
    if _color[0] == "always":
        # Rich finds no colours on a dumb terminal, which "always" overrides.
        dumb = os.environ.get("TERM", "") in ("dumb", "unknown")
        system = "standard" if dumb else "auto"
        return {"force_terminal": True, "no_color": False, "color_system": system}
    return {}


def stdout_console() -> Console:
    """The console of results: styles only on a terminal, as --color, Rich and NO_COLOR
    decide; no line ends in the spaces Rich pads it with to the width."""
    from rich.console import Console

    return Console(file=Unpadded(sys.stdout), **TEXT_ONLY, **colour())  # type: ignore[arg-type]


class Unpadded:
    """A text stream that writes each line without its trailing spaces (those before the
    codes that end the line's styles too): Rich pads lines to the width, and a pipe, a file
    or a terminal's copy and paste should not get them. Anything else is the stream's."""

    def __init__(self, stream: IO[str]) -> None:
        import re  # compiled here, not at every start-up

        self._stream = stream
        self._held = ""  # the end of a line not yet written whole: its spaces may be padding
        # From a run's first space only, possessive: a line of any length in linear time.
        self._padding = re.compile(r"(?<! ) ++((?:\x1b\[[0-9;]*m)*+)(?=\n)")

    def write(self, text: str) -> int:
        """Write the whole lines of what is held and given, the rest held back."""
        held, _, rest = (self._held + text).rpartition("\n")
        if _:
            self._stream.write(self._padding.sub(r"\1", held + "\n"))
        self._held = rest
        return len(text)

    def flush(self) -> None:
        """Write what is held as it is (the line goes on, its spaces may be text) and flush."""
        if self._held:
            self._stream.write(self._held)
            self._held = ""
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def stderr_console() -> Console:
    """The console of messages and progress bars."""
    from rich.console import Console

    # Messages are one line each, however narrow the terminal: never wrapped.
    return Console(stderr=True, soft_wrap=True, **TEXT_ONLY, **colour())
