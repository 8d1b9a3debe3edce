"""Files written whole or not at all: to a new file beside their place, then moved into it
(export -o, and the feeds fetch saves)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def written_aside(
    folder: Path, name: str, data: bytes, suffix: str, mode: int | None = None
) -> Path:
    """The data in a new file of the folder named after name (``.NAME.xxxx{suffix}``), to be
    moved into place: made anew (O_EXCL), never written through a link already there;
    synced; with mode, else as a file the user makes (0o666 less the umask, not mkstemp's
    0o600). Removed again if it could not be written whole."""
    handle, made = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=suffix)
    aside = Path(made)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        aside.chmod(mode if mode is not None else 0o666 & ~_umask())
    except BaseException:
        aside.unlink(missing_ok=True)
        raise
    return aside


def _umask() -> int:
    mask = os.umask(0)  # read only by setting it: set it back at once
    os.umask(mask)
    return mask
