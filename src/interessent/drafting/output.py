"""The output folder: safe file names, and writing every letter of a run or none."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import DraftWriteError

__all__ = ["DRAFTS_DIR", "safe_filename"]

DRAFTS_DIR = "utkast"

_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10)),
             *(f"COM{c}" for c in "¹²³"), *(f"LPT{c}" for c in "¹²³")}
_FORBIDDEN_CHARS = set('<>:"/\\|?*')
_NAME_LIMIT = 100
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*")


def safe_filename(stem: str, ext: str, *, limit: int = _NAME_LIMIT) -> str:
    """A file name for ``stem`` that stays inside its folder on every system.

    Path separators, ``..``, control and format characters, characters Windows forbids,
    leading and trailing dots and spaces and Windows-reserved names (CON, NUL, COM1 …,
    also with an extension) are neutralised; the result is at most ``limit`` characters
    (and 200 bytes), leaving room for a collision number.
    """
    if _PLAIN_NAME.fullmatch(stem) and len(stem) + len(ext) + 5 <= limit and (
            stem.split(".")[0].upper() not in _RESERVED):
        return f"{stem}.{ext}"
    text = unicodedata.normalize("NFC", stem)
    text = "".join(
        "-" if ch in _FORBIDDEN_CHARS or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co",
                                                                       "Zl", "Zp")
        else ch
        for ch in text
    )
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"-{2,}", "-", text).strip(" .-")
    if not text:
        text = "brev"
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = f"_{text}"
    room = limit - len(ext) - 1 - 4  # "-999"
    while len(text) > room or len(text.encode("utf-8")) > 200:
        text = text[:-1]
    text = text.rstrip(" .") or "brev"
    return f"{text}.{ext}"


def _allocate(folder: Path, names: Sequence[str]) -> list[str]:
    """``names`` made unique against each other and the files already in ``folder``,
    case-insensitively, by numbering: ``kari.md``, ``kari-2.md`` …"""
    taken = {p.name.lower() for p in folder.iterdir()} if folder.is_dir() else set()
    result = []
    for name in names:
        stem, dot, ext = name.rpartition(".")
        candidate, n = name, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem}-{n}{dot}{ext}"
        taken.add(candidate.lower())
        result.append(candidate)
    return result


def _write_new(path: str | Path, data: bytes) -> None:
    """Write a file that must not exist yet (mode 0666 less the umask)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 0o666)
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)


def _write_files(folder: Path, items: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Write every file, or none.

    A new folder is filled under a temporary name beside it and renamed into place once
    every file is written, so the whole run appears at once. Into an existing folder each
    file goes to a temporary file first, renamed into place when all are written; files
    already there are never overwritten (new ones are numbered). On any error every file
    of the run is removed.

    Nothing is fsynced: renaming is what makes a file appear whole, and a draft lost to a
    power cut can be made again. (Syncing the folder would flush every new file to disk
    and take longer than the whole run on a busy disk.)
    """
    for name, _ in items:
        if name in ("", ".", "..") or "/" in name or "\\" in name or os.sep in name:
            raise DraftWriteError(folder, f"refusing to write {name!r} outside it",
                                  message=f"refusing to write {name!r} outside {folder}")
    token = secrets.token_hex(4)
    temps: list[Path] = []
    done: list[Path] = []
    staging: Path | None = None
    try:
        if not folder.exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            staging = folder.parent / f".{folder.name}.{token}.tmp"
            staging.mkdir()
            names = _allocate(staging, [name for name, _ in items])
            where = f"{staging}{os.sep}"
            for name, (_, data) in zip(names, items, strict=True):
                _write_new(where + name, data)
            staging.rename(folder)
            staging = None
            return [folder / name for name in names]
        names = _allocate(folder, [name for name, _ in items])
        for n, (name, (_, data)) in enumerate(zip(names, items, strict=True)):
            tmp = folder / f".{name}.{token}-{n}.tmp"
            temps.append(tmp)
            _write_new(tmp, data)
        for tmp, name in zip(temps, names, strict=True):
            target = folder / name
            tmp.replace(target)
            done.append(target)
        return done
    except OSError as exc:
        _remove([*temps, *done])
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        reason = exc.strerror or str(exc)
        raise DraftWriteError(
            folder, reason, errno=exc.errno,
            message=f"could not write the letters to {folder}: {reason}; no letter was written",
        ) from exc


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
