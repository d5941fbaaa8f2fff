"""What the database refused, told as one clear :class:`~interessent.errors.StoreError`.

SQLite's and PostgreSQL's error codes are read first, the message text only for errors
that carry none; :class:`~interessent.errors.StoreBusy` is the "try again" kind. A URL in
a message never shows its password (:func:`redact`).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from ..errors import StoreBusy, StoreError
from ..i18n import gettext

__all__ = ["redact", "translate"]


def translate(exc: DBAPIError, url: str | URL) -> StoreError:
    """One clear :class:`StoreError` for what the database refused. SQLite's and
    PostgreSQL's error codes first; the message text for errors that carry none."""
    orig = exc.orig
    message = str(orig) if orig is not None else str(exc)
    lowered = message.lower()
    where = redact(url)
    code = str(getattr(orig, "sqlite_errorname", "") or getattr(orig, "sqlstate", "") or "")
    busy = f"the database is busy (another process is writing); try again: {where}"
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or code in _PG_BUSY or (
            not code and ("locked" in lowered or "busy" in lowered)):
        return StoreBusy(busy)
    if code == "23505":  # a unique key another transaction committed first
        return StoreBusy("another process wrote the same records at the same time; nothing "
                         f"was written, try again: {where}")
    if code.startswith("SQLITE_READONLY") or code == "25006" or (
            not code and ("readonly" in lowered or "read-only" in lowered)):
        return StoreError(gettext("the database is read-only, nothing was written: {where}"
                                  ).format(where=where))
    if code in ("SQLITE_FULL", "53100") or any(
            w in lowered for w in ("disk is full", "no space left", "disk full")):
        return StoreError(f"the disk is full, nothing was written: {where}")
    if code.startswith("SQLITE_IOERR") or "disk i/o error" in lowered:
        return StoreError(f"the disk reported an I/O error, nothing was written: {where}")
    if code == "SQLITE_CANTOPEN" or "unable to open" in lowered:
        return StoreError(f"cannot open the database{_why_not_open(url)}: {where}")
    if code in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or (
            "malformed" in lowered or "not a database" in lowered):
        return StoreError(f"the database file is damaged or not a database: {where}")
    if code in ("42501", "SQLITE_PERM", "SQLITE_AUTH"):
        return StoreError(f"the database refused: permission denied ({message.strip()}): "
                          f"{where}")
    if code == "3D000" or (not code and "database" in lowered and "does not exist" in lowered):
        return StoreError(f"the database does not exist on the server: {where}")
    if code.startswith("28") or (not code and "authentication failed" in lowered):
        return StoreError(f"the database server refused the login: {where}")
    if code.startswith("08") or (not code and any(
            w in lowered for w in ("connection refused", "could not connect",
                                   "connection failed", "server closed the connection"))):
        return StoreError(f"cannot connect to the database server: {where}")
    return StoreError(f"database error ({message.strip()}): {where}")


#: PostgreSQL's "try again" errors: serialization failure, deadlock, lock timeout.
_PG_BUSY = frozenset({"40001", "40P01", "55P03"})


def _why_not_open(url: str | URL) -> str:
    """Why a SQLite file cannot be opened, when the file system says so."""
    from sqlalchemy.engine import make_url

    try:
        database = make_url(url).database
    except Exception:  # pragma: no cover - a URL SQLAlchemy cannot parse
        return ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return ""
    folder = Path(database).resolve().parent
    if not folder.is_dir():
        return f" (the folder {folder} does not exist)"
    if not os.access(folder, os.W_OK):
        return (f" (its folder {folder} is read-only; SQLite writes its -wal and -shm files "
                "beside the database, even to read it)")
    return ""


def redact(url: str | URL) -> str:
    """``url`` as a message may show it: without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # pragma: no cover - a URL SQLAlchemy cannot parse
        return "<database>"

