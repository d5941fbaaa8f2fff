"""Opening a database: the engine, SQLite's pragmas, and the schema brought up to date.

SQLite by default: WAL, a busy timeout (``busy_timeout_ms``, 10 s unless given), foreign
keys on, and writes that begin IMMEDIATE so two writers queue instead of failing half-way.
A SQLite database in memory (``sqlite://``) lives in one connection that every session
shares, so it lasts as long as its engine; it serves one session at a time (a notebook,
a test, a job), so a service that answers in several threads at once wants a file.
PostgreSQL waits for another writer's row locks as long, then reports
:class:`~interessent.errors.StoreBusy`; writers that choose or check ids take turns per
table there (:func:`take_turn`). Any other SQLAlchemy URL works as it comes. The Alembic
migrations in ``interessent/migrations`` run when a store opens an older database.

An engine made elsewhere (:func:`prepare_engine`) is used as it is, except that a SQLite
engine gets the same pragmas and IMMEDIATE writes: without them two writers would fail
half-way instead of queueing, and deletes would not cascade.

Nothing here reads the environment: the command line maps ``INTERESSENT_BUSY_TIMEOUT_MS``
to ``busy_timeout_ms``.

A URL may come as text or as SQLAlchemy's :class:`~sqlalchemy.engine.URL`; a SQLite file's
URL is built from its parts (:func:`sqlite_url`), since text cannot say every file name:
``?`` starts a query, ``%20`` means a space.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

from .. import migrations
from ..errors import InvalidInput, StoreError
from .dberrors import redact, translate
from .schema import SCHEMA_HEAD

__all__ = ["BUSY_TIMEOUT_MS", "open_engine", "prepare_engine", "schema_revision",
           "sqlite_url", "take_turn", "upgrade_schema"]

#: How long a writer waits for another one unless told, in milliseconds.
BUSY_TIMEOUT_MS = 10_000
#: The longest wait a store accepts (a day), in milliseconds.
MAX_BUSY_TIMEOUT_MS = 86_400_000


def sqlite_url(path: str | os.PathLike[str]) -> URL:
    """The URL of the SQLite file at ``path``, whatever characters its name holds.

    >>> sqlite_url("/srv/Osen?a/interessent.db").database
    '/srv/Osen?a/interessent.db'
    """
    return URL.create("sqlite", database=os.fspath(path))


def open_engine(url: str | URL, busy_timeout_ms: int | None = None) -> Engine:
    """An engine for ``url``, set up as this module describes."""
    timeout = _busy_timeout(busy_timeout_ms)
    try:
        parsed = make_url(url)
        backend = parsed.get_backend_name()
        if backend == "sqlite":
            if _in_memory(parsed):  # one connection, or each would have its own database
                engine = create_engine(url, poolclass=StaticPool,
                                       connect_args={"check_same_thread": False})
            else:
                engine = create_engine(_read_only(parsed) or url)
            return prepare_engine(engine, timeout)
        if backend == "postgresql":
            # A writer waits for another's row locks as long as SQLite's busy timeout,
            # then fails with StoreBusy, instead of waiting for ever.
            return create_engine(url, pool_pre_ping=True, connect_args={
                "options": f"-c lock_timeout={timeout}"})
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # an unknown dialect, a missing driver …
        raise StoreError(f"cannot use database {redact(url)}: {exc}") from None


def _read_only(url: URL) -> URL | None:
    """A URL that opens the SQLite file of ``url`` for reading only, when this process may
    not write the file or its folder; None when it may (or ``url`` says how to open it).

    SQLite opens such a file read-only by itself, but a database in WAL mode whose
    ``-wal`` and ``-shm`` files are gone (as the last connection leaves it) cannot even be
    read then: SQLite would have to make them in the folder. Opened ``mode=ro``, a file
    whose folder may be written reads as always; in a folder nobody here may write, and
    with no ``-wal`` file (so nothing is in one), the file is opened ``immutable``: read
    as it is, without locks. A write fails either way, as SQLite's read-only error.
    """
    name = url.database or ""
    if name.startswith("file:") or url.query or not Path(name).is_file():
        return None
    path = Path(name).absolute()
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return None
    from urllib.parse import quote

    sidecars = all(path.with_name(f"{path.name}{s}").exists() for s in ("-wal", "-shm"))
    mode = ({"mode": "ro"} if sidecars or os.access(path.parent, os.W_OK)
            else {"immutable": "1"})
    return url.set(database=f"file:{quote(str(path))}", query={**mode, "uri": "true"})


def prepare_engine(engine: Engine, busy_timeout_ms: int | None = None) -> Engine:
    """``engine`` ready for a store: a SQLite engine gets the pragmas and IMMEDIATE writes
    of this module (once, however many stores use it), any other is used as it is."""
    if engine.dialect.name == "sqlite" and engine not in _PREPARED:
        _prepare_sqlite(engine, _busy_timeout(busy_timeout_ms))
        _PREPARED.add(engine)
    return engine


#: The SQLite engines :func:`prepare_engine` has set up.
_PREPARED: weakref.WeakSet[Engine] = weakref.WeakSet()


def _in_memory(url: URL) -> bool:
    """Whether a SQLite URL names a database in memory (no file, or ``:memory:``)."""
    name = url.database or ""
    return name in ("", ":memory:") or (name.startswith("file:") and (
        "mode=memory" in name or url.query.get("mode") == "memory"))


def schema_revision(engine: Engine, url: str | URL) -> str | None:
    """The schema revision the database is at, or None for an empty database."""
    try:
        with engine.connect() as conn:
            has = engine.dialect.has_table(conn, "alembic_version")
            if not has:
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as exc:
        raise translate(exc, url) from None


def upgrade_schema(engine: Engine, url: str | URL, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default)."""
    if revision == "head" and schema_revision(engine, url) == SCHEMA_HEAD:
        return
    try:
        migrations.upgrade(engine, revision)
    except DBAPIError as exc:
        raise translate(exc, url) from None


#: The advisory lock class of :func:`take_turn` on PostgreSQL, and one lock per table.
_TURN_CLASS = 7345201
_TURNS = {"stakeholders": 1, "relationships": 2, "interactions": 3, "concerns": 4, "tasks": 5}


def take_turn(conn: Any, table: str) -> None:
    """Make the write transaction on ``conn`` the only one writing ``table`` until it
    ends (see :meth:`interessent.store.Store.take_turn`). A no-op on SQLite, whose writes
    hold the whole database from their first statement."""
    number = _TURNS[table]
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_TURN_CLASS}, {number})")


def _prepare_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        # Once per connection, new or pooled before the store came: take transaction
        # control away from pysqlite so BEGIN is ours (SQLAlchemy's documented recipe),
        # then set the pragmas every connection needs.
        if record.info.get("interessent_ready"):
            return
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not _in_memory(engine.url):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()
        record.info["interessent_ready"] = True

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front, so two writers queue on the busy
        # timeout instead of failing with "database is locked" half-way through.
        writing = conn.get_execution_options().get("interessent_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _busy_timeout(given: int | None) -> int:
    """How long a writer waits, in milliseconds: ``given``, else :data:`BUSY_TIMEOUT_MS`."""
    if given is None:
        return BUSY_TIMEOUT_MS
    if isinstance(given, bool) or not isinstance(given, int) or not (
            0 <= given <= MAX_BUSY_TIMEOUT_MS):
        raise InvalidInput(f"the busy timeout is a whole number of milliseconds from 0 to "
                           f"{MAX_BUSY_TIMEOUT_MS}, not {given!r}")
    return given
