"""Writing files safely: atomically (a reader never sees half a file) and inside a folder."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

from .errors import InvalidInput

__all__ = ["write_atomically"]

T = TypeVar("T")


def write_atomically(path: Path, write: Callable[[TextIO], T], *, encoding: str = "utf-8") -> T:
    """Call ``write`` on a temporary file beside ``path``, then rename it into place.

    On any error the temporary file is removed and ``path`` is untouched.
    """
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise InvalidInput(f"no such folder: {folder}")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); a written report or export is shared
        # like any other file the user makes, so it takes the usual umask.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding=encoding, newline="") as stream:
            result = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise
    return result
