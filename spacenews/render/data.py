"""JSON and JSON Lines: the machine-readable outputs, built from compact encoded items."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO, Protocol, runtime_checkable

from spacenews.jsonbytes import Buffer, encode, encode_each


@runtime_checkable
class Encodable(Protocol):
    """A sequence of items that knows their encoded JSON already (the corpus keeps it)."""

    def encode(self) -> Iterator[Buffer]: ...


def lines(items: Iterable[Any]) -> Iterator[Buffer]:
    """The encoded form of each item (anything with ``to_dict``)."""
    if isinstance(items, Encodable):
        return items.encode()
    if isinstance(items, Sequence):
        return encode_each(items, lambda item: item.to_dict())
    return (encode(item.to_dict()) for item in items)


def write_json(out: BinaryIO, encoded: Iterable[Buffer]) -> None:
    """A JSON array with one compact item per line: readable, and written as it comes."""
    first = True
    for block in _blocks(encoded):
        out.write(b"[\n" if first else b",\n")
        out.write(b",\n".join(block))
        first = False
    out.write(b"[]\n" if first else b"\n]\n")


def write_jsonl(out: BinaryIO, encoded: Iterable[Buffer]) -> None:
    """One compact JSON object per line."""
    for block in _blocks(encoded):
        out.write(b"\n".join(block))
        out.write(b"\n")


def _blocks(encoded: Iterable[Buffer], size: int = 1000) -> Iterator[list[Buffer]]:
    # A write per item costs more than the item: items are joined a thousand at a time.
    iterator = iter(encoded)
    while block := list(itertools.islice(iterator, size)):
        yield block
