"""The output folder: safe file names, and writing every letter of a run or none.

A run writes its letters into a hidden staging folder inside the output folder,
``.interessent-<token>.tmp/`` (the letters, a ``lock`` the run holds while it lives, and
``created`` when the run made the output folder). When all are written it places each
letter in the folder under its final name with a hard link (so a file already there is
never replaced: a name taken meanwhile is numbered), noting each step in the stage's
``placed`` journal first, and removes the stage: the journal's removal is the moment the
run is done. A letter is never seen half-written.

A run that fails is undone; one killed outright (SIGKILL, a power cut) leaves its stage,
which the next run into that folder, or into any folder under the workspace's
``utkast/``, finds: when no living process holds its lock it takes back every letter the
journal says was placed, removes the stage, and removes the output folder when the run
had made it and it is empty. Leftovers of earlier versions (``.<name>.<hex>-<n>.tmp``
files, ``.<folder>.<hex>.tmp/`` folders) are removed too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import DraftWriteError

if sys.platform != "win32":
    import fcntl

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


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _write_new(path: str | Path, data: bytes) -> None:
    """Write a file that must not exist yet (mode 0666 less the umask)."""
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        written = os.write(fd, data)  # a letter goes in one write; a file object costs more
        while written < len(data):
            written += os.write(fd, memoryview(data)[written:])
    finally:
        os.close(fd)


_STAGE = re.compile(r"\.interessent-[0-9a-f]{16}\.tmp")
_LEGACY_FILE = re.compile(r"\..+\.[0-9a-f]{8}-[0-9]+\.tmp")
_LEGACY_STAGE = r"\.{name}\.[0-9a-f]{{8}}\.tmp"
_JOURNAL = "placed"
_LOCK = "lock"
_CREATED = "created"
_UNLOCKED_AGE = 60.0  # a stage without a lock file this old was killed as it began
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK}

if sys.platform == "win32":
    _NO_LOCKS_AGE = 86400.0  # no advisory locks: a stage a day old is abandoned

    def _hold(fd: int) -> bool:
        return True

    def _abandoned_lock(fd: int, path: Path) -> bool:
        return time.time() - path.stat().st_mtime > _NO_LOCKS_AGE
else:
    def _hold(fd: int) -> bool:
        """Take the run's lock; released by the system when the process ends, however."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _abandoned_lock(fd: int, path: Path) -> bool:
        return _hold(fd)


class _Publication:
    """The letters of a run, placed in their folder, until the run is :meth:`done` (the
    stage goes, the letters stay) or :meth:`undo`-ne (the letters go too)."""

    def __init__(self, folder: Path, stage: Path, created: bool) -> None:
        self.folder = folder
        self.stage = stage
        self.created = created
        self.paths: list[Path] = []
        self.lock: int | None = None

    def done(self) -> None:
        with contextlib.suppress(OSError):
            (self.stage / _JOURNAL).unlink()
        self._release()
        shutil.rmtree(self.stage, ignore_errors=True)

    def undo(self) -> None:
        self._release()
        _roll_back(self.folder, self.stage, created=self.created)
        self.paths = []

    def _release(self) -> None:
        if self.lock is not None:
            with contextlib.suppress(OSError):
                os.close(self.lock)
            self.lock = None


def _write_files(folder: Path, items: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Write every file into ``folder``, or none (see the module docstring)."""
    publication = _publish(folder, items)
    publication.done()
    return publication.paths


def _publish(folder: Path, items: Sequence[tuple[str, bytes]]) -> _Publication:
    """Write and place every file; the caller ends the run with ``done`` or ``undo``.

    Files already in the folder are never overwritten (new ones are numbered). On any
    error, or an interruption, every file of the run is removed before it propagates.

    Nothing is fsynced: placing a whole file is what makes it appear, a killed process
    leaves what it wrote to the system, and a draft lost to a power cut can be made again.
    (Syncing would flush every new file to disk and take longer than the whole run.)
    """
    for name, _ in items:
        if name in ("", ".", "..") or "/" in name or "\\" in name or os.sep in name:
            raise DraftWriteError(folder, f"refusing to write {name!r} outside it",
                                  message=f"refusing to write {name!r} outside {folder}")
    publication = _Publication(folder, folder / f".interessent-{secrets.token_hex(8)}.tmp",
                               created=False)
    try:
        _sweep(folder)
        publication.created = not folder.is_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stage = publication.stage
        stage.mkdir()
        publication.lock = os.open(stage / _LOCK, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        _hold(publication.lock)
        if publication.created:
            _write_new(stage / _CREATED, b"")
        names = _allocate(folder, [name for name, _ in items])
        # paths as text: tens of thousands of letters, a Path object for each costs more
        # than writing it
        where = f"{stage}{os.sep}"
        for n, (_, data) in enumerate(items):
            _write_new(f"{where}{n}", data)
        journal = os.open(stage / _JOURNAL, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND,
                          0o600)
        try:
            into = f"{folder}{os.sep}"
            placed = [_place(where, str(n), into, name, journal) for n, name in enumerate(names)]
        finally:
            os.close(journal)
        publication.paths = [folder / name for name in placed]
        return publication
    except BaseException as exc:
        publication.undo()
        if not isinstance(exc, OSError):
            raise
        reason = exc.strerror or str(exc)
        raise DraftWriteError(
            folder, reason, errno=exc.errno,
            message=f"could not write the letters to {folder}: {reason}; no letter was written",
        ) from exc


def _place(stage: str, staged: str, folder: str, name: str, journal: int) -> str:
    """Give the staged file ``staged`` its name in ``folder`` (numbered if the name was
    taken meanwhile); returns the name. Each attempt is noted in the journal first.
    ``stage`` and ``folder`` are the folders' paths ending in a separator."""
    source = f"{stage}{staged}"
    stem, dot, ext = name.rpartition(".")
    n, candidate = 1, name
    while True:
        os.write(journal, f"{staged}\t{candidate}\n".encode())
        target = f"{folder}{candidate}"
        try:
            os.link(source, target)
        except FileExistsError:
            pass
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            # no hard links on this file system (FAT, some network shares)
            if not os.path.lexists(target):
                os.rename(source, target)  # noqa: PTH104 (text paths: see _publish)
                return candidate
        else:
            os.unlink(source)  # noqa: PTH108 (text paths: see _publish)
            return candidate
        n += 1
        candidate = f"{stem}-{n}{dot}{ext}"


def _roll_back(folder: Path, stage: Path, *, created: bool = False) -> None:
    """Undo a run from what its stage holds: remove each letter its journal says it
    placed, the stage, and the folder when the run made it and it is now empty."""
    try:
        journal = (stage / _JOURNAL).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        journal = ""
    created = created or (stage / _CREATED).exists()
    # a line is whole once it ends in a newline: a run killed mid-write left no other
    entries = [line.split("\t", 1) for line in journal.split("\n")[:-1] if "\t" in line]
    placed: dict[str, str] = {}
    for staged, name in entries:
        if not name or "/" in name or os.sep in name or name.startswith("."):
            continue
        source, target = stage / staged, folder / name
        if not os.path.lexists(source):
            placed[staged] = name  # moved: its last attempt is where it went
            continue
        with contextlib.suppress(OSError):
            if source.samefile(target):
                target.unlink()
    for name in placed.values():
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    shutil.rmtree(stage, ignore_errors=True)
    if created:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _abandoned(stage: Path) -> bool:
    """Whether no living run holds ``stage``."""
    lock = stage / _LOCK
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        try:
            return time.time() - stage.stat().st_mtime > _UNLOCKED_AGE
        except OSError:
            return False
    except OSError:
        return False
    try:
        return _abandoned_lock(fd, lock)
    finally:
        os.close(fd)


def _sweep(folder: Path) -> None:
    """Undo the runs into ``folder`` that were killed (see the module docstring)."""
    with contextlib.suppress(OSError):
        legacy = re.compile(_LEGACY_STAGE.format(name=re.escape(folder.name)))
        for entry in os.scandir(folder.parent):
            if legacy.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith("."):
            continue
        if _STAGE.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
            stage = Path(entry.path)
            if _abandoned(stage):
                _roll_back(folder, stage)
        elif _LEGACY_FILE.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                Path(entry.path).unlink()


def _sweep_drafts(drafts: Path) -> None:
    """:func:`_sweep` every folder in the workspace's ``utkast/``."""
    try:
        folders = [Path(e.path) for e in os.scandir(drafts)
                   if not e.name.startswith(".") and e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for folder in folders:
        _sweep(folder)


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
