"""Items as compact JSON bytes: how the model is written out, by the index (which keeps each
event's JSON) and by the JSON outputs alike."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

# The C encoder of the standard library: msgspec's is quicker, but importing it costs more
# than a small corpus takes to encode.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# JSON leaves these unescaped, but a terminal may act on C1 controls and bidi overrides. As
# UTF-8 they are DEL, \xc2 + \x80..\x9f, and \xe2\x80 or \xe2\x81 + a third byte; in valid
# UTF-8 these bytes stand for nothing else.
_UNSAFE = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


Buffer = bytes | memoryview  # an item's JSON, perhaps a view of the database
T = TypeVar("T")
V = TypeVar("V")  # what falling_back is given
R = TypeVar("R")  # ... and gives
MANY = 2000  # items; below this, importing the quicker JSON encoder costs more than it saves
BLOCK = 5000  # items encoded at once: a long answer never stands in memory whole


def encode(item: dict[str, Any]) -> bytes:
    """One item as compact JSON (UTF-8), safe to reach a terminal."""
    # A file name that is not UTF-8 keeps its odd bytes as lone surrogates: JSON escapes them.
    return _safe(_ENCODE(item).encode(errors="backslashreplace"))


def encode_all(items: Iterable[dict[str, Any]]) -> list[bytes]:
    """Many items, each as encode gives it, by msgspec's encoder (see quick_json)."""
    return list(map(encoder(MANY), items))


def encoder(count: int) -> Callable[[dict[str, Any]], bytes]:
    """encode, or for count items and more (MANY) its twin by msgspec's encoder, which gives
    the same bytes (see quick_json)."""
    if count < MANY:
        return encode
    quick = quick_json(encode)
    return lambda item: _safe(quick(item))


def quick_json(slow: Callable[[Any], bytes]) -> Callable[[Any], bytes]:
    """msgspec's JSON encoder, in the place of slow (the standard library's, compact, without
    ASCII escapes): 3 to 4 times quicker, by enough to pay for importing it (about 40 ms)
    when there are thousands of values. Its bytes are the standard library's (a property
    test says so), but for lone surrogates, which it refuses: slow encodes those."""
    import msgspec

    return falling_back(msgspec.json.Encoder().encode, UnicodeEncodeError, slow)


def falling_back(
    quick: Callable[[V], R],
    refused: type[Exception] | tuple[type[Exception], ...],
    slow: Callable[[V], R],
) -> Callable[[V], R]:
    """quick, and slow for each value quick refuses (raising refused)."""

    def either(value: V) -> R:
        try:
            return quick(value)
        except refused:
            return slow(value)

    return either


def _safe(data: bytes) -> bytes:
    if not _UNSAFE.search(data):
        return data
    # The characters can only stand inside JSON strings, where \u escapes mean the same.
    return _UNSAFE.sub(lambda match: b"\\u%04x" % ord(match.group().decode()), data)


def encode_each(items: Sequence[T], to_dict: Callable[[T], dict[str, Any]]) -> Iterator[bytes]:
    """Each item's JSON, made a block at a time, by encode_all when there are many."""
    many = len(items) >= MANY
    for low in range(0, len(items), BLOCK):
        # Each dict made as it is encoded, and let go: thousands of them standing at once
        # would set the garbage collector going over and over.
        dicts = (to_dict(item) for item in items[low : low + BLOCK])
        yield from encode_all(dicts) if many else map(encode, dicts)
