"""Reading a file of the corpus safely: a regular file of bounded size, decoded as UTF-8
(else in the encoding it declares, else read as Windows-1252, with a warning), its overlong
lines cut, then parsed; whatever goes wrong is a problem of that file, never an error of the
load."""

from __future__ import annotations

import os
import re
import stat
from typing import TYPE_CHECKING

from spacenews.model import Problem
from spacenews.parse import Parsed, parse_text, reads_long_lines

if TYPE_CHECKING:
    from spacenews.parse.fields import Fields
    from spacenews.walk import SourceFile

MAX_FILE_BYTES = 16 * 1024 * 1024  # larger files are skipped with a warning
MAX_LINE_CHARS = 100_000  # longer lines are cut, with a warning


def parse_file(file: SourceFile, fields: Fields | None = None) -> Parsed:
    """Read and parse one file of the walk (front matter with its root's fields): the
    loader's single way to do it."""
    path, relative = file.path, file.relative
    try:
        text, problems = _read_text(path, relative)
    except OSError as error:
        reason = f"cannot read: {error.strerror or error}"
        return Parsed(problems=[Problem(relative, 0, reason, skipped=True)])
    if text is None:
        return Parsed(problems=problems)
    try:
        parsed = parse_text(text, relative, fields)
    except Exception as error:  # noqa: BLE001 - one broken file must not hide the others
        reason = f"could not be parsed ({type(error).__name__})"
        return Parsed(problems=[*problems, Problem(relative, 0, reason, skipped=True)])
    parsed.problems[:0] = problems
    return parsed


class Unreadable(Exception):
    """A path that is not a file the loader reads: the message says why."""


# Non-blocking, so that opening a FIFO does not wait for a writer; binary, on Windows.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(path: str, limit: int) -> bytes:
    """The bytes of a regular file of at most limit bytes: the loader's only way to read one.

    One open, one fstat and one read of the size fstat gave: a buffered read of up to limit
    bytes sets the whole limit aside for every file, and costs far more.
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise Unreadable("not a regular file")
        if info.st_size > limit:
            raise Unreadable(f"larger than {limit // 2**20} MiB ({info.st_size} bytes)")
        data = os.read(fd, info.st_size + 1)
        while len(data) != info.st_size and len(data) <= limit:  # it changed since the fstat
            more = os.read(fd, limit + 1 - len(data))
            if not more:
                break
            data += more
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Unreadable(f"larger than {limit // 2**20} MiB (it grew while read)")
    return data


def _read_text(path: str, relative: str) -> tuple[str | None, list[Problem]]:
    try:
        data = read_bytes(path, MAX_FILE_BYTES)
    except Unreadable as error:
        return None, [Problem(relative, 0, str(error), skipped=True)]
    if b"\0" in data and not data.startswith(_UTF16_MARKS):
        return None, [Problem(relative, 0, "binary file (it holds NUL bytes)", skipped=True)]
    text, warning = decode_bytes(data)
    problems = [Problem(relative, 0, warning)] if warning else []
    if not text or text.isspace():
        return None, [*problems, Problem(relative, 0, "empty file", skipped=True)]
    if len(text) > MAX_LINE_CHARS and not reads_long_lines(text):
        text, cut = _cut_long_lines(text)
        if cut:
            lines = "1 line longer than" if cut == 1 else f"{cut} lines longer than"
            reason = f"{lines} {MAX_LINE_CHARS} characters {'was' if cut == 1 else 'were'} cut"
            problems.append(Problem(relative, 0, reason))
    return text, problems


_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16's byte-order marks: its NUL bytes are text

# An encoding declared in the first bytes of a page or an XML file: <meta charset="...">,
# <meta http-equiv="Content-Type" content="text/html; charset=...">, <?xml encoding="..."?>.
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
# The encodings browsers read a page in (the WHATWG Encoding Standard's), by the name of
# Python's codec for each: a label Python knows for another codec is none of them ("rot13",
# "base64" are no text encoding, "unicode_escape" and "utf-7" make escapes and tags of text).
_BROWSERS_READ = frozenset(
    ["cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "gb18030", "big5hkscs",
     "euc_jp", "iso2022_jp", "cp932", "cp949"]
    + [f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)]
    + [f"cp{n}" for n in range(1250, 1259)]
)  # fmt: skip
# Codecs that browsers read as another, wider one (the same standard): Latin-1 and ASCII as
# Windows-1252, and so on.
_AS_BROWSERS_READ = {
    "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874",
    "tis-620": "cp874", "shift_jis": "cp932", "gb2312": "gb18030", "gbk": "gb18030",
    "euc_kr": "cp949", "big5": "big5hkscs",
}  # fmt: skip
# Labels of theirs that Python does not know.
_LABELS = {
    "windows-874": "cp874", "x-mac-cyrillic": "mac-cyrillic", "x-sjis": "cp932",
    "x-gbk": "gb18030", "iso-8859-8-i": "iso8859-8",
}  # fmt: skip


def declared_encoding(data: bytes) -> str | None:
    """The codec of the encoding the bytes declare (UTF-16 by its byte-order mark, or as a
    page or an XML file, which opens with its markup, declares it in its first 1024 bytes),
    as browsers read it; None when they declare none that browsers know, or UTF-8 (which
    they are not)."""
    import codecs

    if data.startswith(_UTF16_MARKS):
        return "utf-16"
    head = data[:1024]
    if head.lstrip()[:1] != b"<":  # no page nor XML file: a note that quotes one's head
        return None
    found = _DECLARED.search(head)
    if found is None:
        return None
    label = (found.group(1) or found.group(2)).decode("ascii").lower()
    try:
        name = codecs.lookup(_LABELS.get(label, label)).name
    except LookupError:
        return None
    name = _AS_BROWSERS_READ.get(name, name)
    # UTF-8 or UTF-16 declared, by bytes that were not (a page saved as UTF-16 without a
    # mark says so in UTF-16): none of those.
    return name if name in _BROWSERS_READ else None


def _cut_long_lines(text: str) -> tuple[str, int]:
    lines = text.split("\n")
    cut = sum(len(line) > MAX_LINE_CHARS for line in lines)
    if cut:
        text = "\n".join(line[:MAX_LINE_CHARS] for line in lines)
    return text, cut


def _windows_1252(data: bytes) -> str:
    """The bytes read as Windows-1252 as browsers read it (WHATWG): the five bytes Python's
    cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are the C1 controls of their
    value, which the text then drops as any control, rather than errors."""
    import codecs

    codecs.register_error("spacenews.c1", _c1)
    return data.decode("cp1252", errors="spacenews.c1")


def _c1(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return "".join(map(chr, error.object[error.start : error.end])), error.end


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text with normalised line ends, and a warning when the bytes were not clean UTF-8:
    bytes that are not UTF-8 are read in the encoding a web page or an XML file declares
    (see declared_encoding), else as Windows-1252. UTF-16 is read by its byte-order mark."""
    warning = ""
    try:
        # What "utf-8-sig" does, without importing its codec (a start pays for each one).
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        declared = declared_encoding(data)
        if declared == "cp1252":
            text = _windows_1252(data)
        elif declared is not None:
            try:
                text = data.decode(declared)  # utf-16 drops its mark
            except UnicodeDecodeError:  # not all in it: an odd last byte after a UTF-16 mark
                text = data.decode(declared, errors="replace")
                warning = f"invalid {'UTF-16' if declared == 'utf-16' else declared} bytes replaced"
        else:
            text = data.decode("utf-8", errors="replace")
            warning = "invalid UTF-8 bytes replaced"
            if not any(char > "\x7f" and char != "\ufffd" for char in text):
                # No valid multi-byte sequence at all: a legacy 8-bit encoding.
                text = _windows_1252(data)
                warning = "not UTF-8: read as Windows-1252"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warning
