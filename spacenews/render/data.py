"""JSON and JSON Lines: the machine-readable outputs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# JSON leaves these unescaped, but a terminal may act on C1 controls and bidi overrides.
_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def to_json(items: Iterable[dict[str, Any]]) -> str:
    """A JSON array with one compact item per line: readable, and quick to write (the C
    encoder does all the work; an indented dump runs in Python, several times slower)."""
    lines = ",\n".join(map(_ENCODE, items))
    return _safe(f"[\n{lines}\n]" if lines else "[]")


def to_jsonl(items: Iterable[dict[str, Any]]) -> str:
    """One compact JSON object per line."""
    return _safe("\n".join(map(_ENCODE, items)))


def _safe(text: str) -> str:
    # The characters can only stand inside JSON strings, where \u escapes mean the same.
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
