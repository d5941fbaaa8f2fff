"""Writing files safely: atomically (a reader never sees half a file) and inside a folder.

A path the user chose that cannot be written is a :class:`~interessent.errors.PathError`
naming that path (``<path>: <reason>``), and nothing is left beside it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

from .errors import PathError
from .i18n import gettext

__all__ = ["path_error", "write_atomically"]

T = TypeVar("T")


def path_error(path: Path | str, exc: OSError) -> PathError:
    """``exc`` told as a :class:`PathError` on ``path``, the path the user chose."""
    return PathError(path, exc.strerror or str(exc), errno=exc.errno)


def write_atomically(path: Path, write: Callable[[TextIO], T], *, encoding: str = "utf-8") -> T:
    """Call ``write`` on a temporary file beside ``path``, then rename it into place.

    On any error the temporary file is removed and ``path`` is untouched. A failed write
    (a read-only or full disk, a missing folder) is a :class:`PathError` naming ``path``;
    an error of ``write`` itself passes through. A device or pipe (``/dev/stdout``) cannot
    be replaced, so it is written straight into.
    """
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise PathError(folder, gettext("no such folder"))
    if path.is_dir():
        raise PathError(path, "is a folder; give a file name")
    if _special(path):
        return _write_into(path, write, encoding)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except FileNotFoundError:  # a folder that exists but takes no new files (/proc)
        raise PathError(path, f"cannot create a file in {folder}") from None
    except OSError as exc:
        raise path_error(path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as stream:
            # mkstemp makes the file private (0600); a written report or export is shared
            # like any other file the user makes, so it takes the usual umask.
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
            result = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        Path(tmp).replace(path)
    except OSError as exc:
        if _concerns(exc, tmp, path):
            raise path_error(path, exc) from None
        raise
    finally:
        with contextlib.suppress(OSError):
            Path(tmp).unlink(missing_ok=True)
    return result


def _concerns(exc: OSError, tmp: str | None, path: Path) -> bool:
    """Whether ``exc`` is about writing ``path`` (its temporary file, or no file named:
    a failed write to the open stream) rather than about some other file."""
    return exc.filename in (None, tmp, str(path), os.fspath(path.parent))


def _special(path: Path) -> bool:
    """Whether ``path`` exists as something other than a regular file (a device, a pipe)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


def _write_into(path: Path, write: Callable[[TextIO], T], encoding: str) -> T:
    try:
        with path.open("w", encoding=encoding, newline="") as stream:
            result = write(stream)
            stream.flush()
        return result
    except OSError as exc:
        if _concerns(exc, None, path):
            raise path_error(path, exc) from None
        raise
