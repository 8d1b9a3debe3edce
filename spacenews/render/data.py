"""JSON and JSON Lines: the machine-readable outputs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

# JSON leaves these unescaped, but a terminal may act on C1 controls and bidi overrides.
_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def to_json(items: Iterable[dict[str, Any]]) -> str:
    """A JSON array, one item per result."""
    return _safe(json.dumps(list(items), ensure_ascii=False, indent=2))


def to_jsonl(items: Iterable[dict[str, Any]]) -> str:
    """One compact JSON object per line."""
    lines = (json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in items)
    return "".join(f"{_safe(line)}\n" for line in lines).rstrip("\n")


def _safe(text: str) -> str:
    # The characters can only stand inside JSON strings, where \u escapes mean the same.
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
