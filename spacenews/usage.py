"""How the command line is read and explained: global options anywhere on the line, every
usage error as one line, and help written for people (metavars, whole first sentences, the
pointer to the global options).
"""

import copy
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from spacenews.terminal import ExitCode, say


def click() -> Any:
    """The click that Typer runs on: typer._click where Typer vendors it (0.28 does); else
    the click that Typer's core imports (a path not run here, where 0.28 is installed)."""
    import typer.core

    return vars(typer.core).get("_click") or vars(typer.core)["click"]


ARGS_KEY = "spacenews.args"  # where the command group keeps the command line, in ctx.meta


def usage_line(message: str, command: list[str], args: list[str]) -> str:
    """A usage error as said on stderr, ``error: message (see spacenews COMMAND --help)``,
    the values of the command line ``args`` too long to echo whole shortened."""
    from spacenews.text import ECHO_CHARS, printable, shorten

    for value in sorted(_long_values(args), key=len, reverse=True):
        message = message.replace(value, shorten(value, ECHO_CHARS))
    return f"error: {printable(message)} (see {' '.join(['spacenews', *command])} --help)"


def command_names(ctx: Any) -> list[str]:
    """The names of the command and subcommand of a click context (none for the app's)."""
    names: list[str] = []
    while ctx is not None and ctx.parent is not None:
        names.insert(0, ctx.info_name)
        ctx = ctx.parent
    return names


def _long_values(args: list[str]) -> set[str]:
    """The values of the command line too long to echo whole: arguments, and the values of
    ``--option=value``."""
    from spacenews.text import ECHO_CHARS

    values = set(args) | {arg.partition("=")[2] for arg in args if arg.startswith("--")}
    return {value for value in values if len(value) > ECHO_CHARS}


_GLOBAL_FLAGS = ("--no-cache", "--pager")
_GLOBAL_VALUES = ("--corpus", "-c", "--db", "--color")  # the global options followed by a value


def globals_first(args: list[str]) -> list[str]:
    """The arguments with the global options moved in front, in their order, so that they may
    also come after the command (``spacenews timeline --json --no-cache``). What follows
    ``--`` is left alone: it is never an option."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg in _GLOBAL_FLAGS or arg.startswith(("--corpus=", "--db=", "--color=")):
            front.append(arg)
        elif arg in _GLOBAL_VALUES and index + 1 < len(args):
            front += args[index : index + 2]
            index += 1
        else:
            rest.append(arg)
        index += 1
    return front + rest


def for_arguments(app: typer.Typer, args: list[str]) -> typer.Typer:
    """The app to run the arguments with: one holding only the commands named among them,
    when the one they run is a command and they ask for neither help nor completion. Typer
    builds every command's options from its signature on each start (about 7 ms for all of
    them, under 1 ms for one); help, completion and the suggestions for an unknown command
    need them all, and get the whole app."""
    if "-h" in args or "--help" in args or _completing():
        return app
    names = {_command_name(info): info for info in app.registered_commands}
    groups = {info.name: info for info in app.registered_groups}
    if command_of(args) not in names.keys() | groups.keys():
        return app
    kept = copy.copy(app)
    kept.registered_commands = [info for name, info in names.items() if name in args]
    kept.registered_groups = [info for name, info in groups.items() if name in args]
    return kept


def command_of(args: list[str]) -> str | None:
    """The command the arguments run, as the app's group reads them: the first that is
    neither an option of its own nor a value of one; None before ``--``, or when there is none."""
    index = 0
    while index < len(args) and args[index] != "--":
        if args[index] in _GLOBAL_VALUES:
            index += 2
        elif args[index].startswith("-"):  # a flag, or an option and its value in one
            index += 1
        else:
            return args[index]
    return None


def _command_name(info: Any) -> str:
    name: str = info.name or typer.main.get_command_name(info.callback.__name__)
    return name


class HelpForPeople:
    """Help text as spacenews writes it, for a group and a command alike: whole sentences,
    and in the list of commands the first one, uncut."""

    help: str | None

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        write_help_text(self.help, formatter)

    def get_short_help_str(self, limit: int = 0) -> str:
        return short_help(self.help)


class OneLineErrors(HelpForPeople, TyperGroup):
    """A command group that says a usage error, the option parser's too, as spacenews says
    its own: one line (see usage_errors)."""

    # Any: the Context class is click's, vendored or not depending on the version of Typer.
    def make_context(self, *args: Any, **extra: Any) -> Any:
        with usage_errors(None):
            return super().make_context(*args, **extra)

    def invoke(self, ctx: Any) -> Any:
        with usage_errors(ctx):  # the subcommand's own parsing happens here
            return super().invoke(ctx)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        # The subcommand being run, for the hint of an error click raises without its context.
        ctx.meta[COMMAND_KEY] = [*command_names(ctx), name]
        return name, command, rest

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        super().format_epilog(ctx, formatter)
        if ctx.parent is not None:  # a group of subcommands, as cache: the app's help tells them
            pointer_to_globals(formatter)


GLOBALS_POINTER = (
    "Global options (--corpus, --no-cache, --db, --color, --pager): see spacenews --help"
)


class Command(HelpForPeople, TyperCommand):
    """A command whose help is written for people: its arguments shown as their metavars
    (Typer wraps a required one in braces) and, last, where the global options are told."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        super().format_epilog(ctx, formatter)
        pointer_to_globals(formatter)


def short_help(help_text: str | None) -> str:
    """What the list of commands says of one: the first sentence of its help, whole (click
    would cut it short with "...")."""
    import re

    paragraph = " ".join((help_text or "").split("\n\n")[0].split())
    return re.split(r"(?<=[.!?]) (?=[A-Z])", paragraph)[0]


def write_help_text(help_text: str | None, formatter: Any) -> None:
    """A command's help text (its docstring): its paragraphs wrapped to the width, never
    within an option's name (--no-cache) or a date; its examples (the indented paragraphs)
    kept as written, one command a line, to copy."""
    import inspect
    import textwrap

    text = inspect.cleandoc(help_text or "")
    if not text:
        return
    formatter.write_paragraph()
    with formatter.indentation():
        width = max(formatter.width - formatter.current_indent, 40)
        paragraphs = [
            paragraph
            if paragraph.startswith(" ")
            else textwrap.fill(
                " ".join(paragraph.split()),
                width,
                break_on_hyphens=False,
                break_long_words=False,
            )
            for paragraph in text.split("\n\n")
        ]
        # click writes a paragraph whose first line is \b as it is
        formatter.write_text("\n\n".join(f"\b\n{p}" for p in paragraphs))


def pointer_to_globals(formatter: Any) -> None:
    """The last paragraph of a subcommand's help: where the global options are told."""
    formatter.write_paragraph()
    formatter.write(f"  {GLOBALS_POINTER}\n")  # one line, never wrapped: one to search for


class GlobalsAnywhere(OneLineErrors):
    """The app's command group: it reads the global options wherever they are."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta[ARGS_KEY] = list(args)  # for usage_line to shorten the values it echoes
        return super().parse_args(ctx, globals_first(args))

    def _main_shell_completion(self, ctx_args: Any, prog_name: str, *args: Any) -> None:
        """Shell completion, with values a shell can use (see spacenews.completion), when a
        shell asks (click checks each start): its module is imported only then."""
        if _completing():
            from spacenews.completion import register

            register()
        super()._main_shell_completion(ctx_args, prog_name, *args)


def _completing() -> bool:
    """Whether a shell asks for completions: click's variable (_PROG_COMPLETE) is set."""
    return any(var.endswith("_COMPLETE") for var in os.environ)


COMMAND_KEY = "spacenews.command"  # in ctx.meta, shared by the contexts of one run


@contextmanager
def usage_errors(ctx: Any) -> Iterator[None]:
    """Click's usage errors (a bad value, a missing argument, an unknown command or option)
    said as spacenews says its own, one line on stderr with exit 2, rather than click's box
    of usage, hint and message. Running with no arguments shows the help, as --help does:
    on stdout (to page it), exit 0, where click 8.2 moved it to stderr with exit 2."""
    exceptions = click().exceptions
    try:
        yield
    except exceptions.UsageError as error:
        if isinstance(error, exceptions.NoArgsIsHelpError):
            click().echo(error.format_message(), color=error.ctx.color if error.ctx else None)
            raise typer.Exit(ExitCode.OK) from None
        where = error.ctx or ctx
        names = command_names(error.ctx) if error.ctx else where and where.meta.get(COMMAND_KEY)
        args = where.find_root().meta.get(ARGS_KEY, []) if where else []
        say(usage_line(error.format_message(), names or [], args))
        raise typer.Exit(ExitCode.USAGE) from None
