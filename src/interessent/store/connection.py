"""Opening a database: the engine, SQLite's pragmas, and the schema brought up to date.

SQLite by default: WAL, a busy timeout (``INTERESSENT_BUSY_TIMEOUT_MS``, 10 s unless set),
foreign keys on, and writes that begin IMMEDIATE so two writers queue instead of failing
half-way. PostgreSQL waits for another writer's row locks as long, then reports
:class:`~interessent.errors.StoreBusy`; writers that choose or check ids take turns per
table there (:func:`take_turn`). Any other SQLAlchemy URL works as it comes. The
Alembic migrations in ``interessent/migrations`` run when a store opens an older database.

A URL may come as text or as SQLAlchemy's :class:`~sqlalchemy.engine.URL`; a SQLite file's
URL is built from its parts (:func:`sqlite_url`), since text cannot say every file name:
``?`` starts a query, ``%20`` means a space.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from .. import migrations
from ..errors import InvalidInput, StoreError
from .dberrors import redact, translate
from .schema import SCHEMA_HEAD

__all__ = ["BUSY_TIMEOUT_ENV", "open_engine", "schema_revision", "sqlite_url", "take_turn",
           "upgrade_schema"]

#: Names how long a writer waits for another one, in milliseconds (default 10 s).
BUSY_TIMEOUT_ENV = "INTERESSENT_BUSY_TIMEOUT_MS"


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
        backend = make_url(url).get_backend_name()
        if backend == "sqlite":
            return _sqlite_engine(url, timeout)
        if backend == "postgresql":
            # A writer waits for another's row locks as long as SQLite's busy timeout,
            # then fails with StoreBusy, instead of waiting for ever.
            return create_engine(url, pool_pre_ping=True, connect_args={
                "options": f"-c lock_timeout={timeout}"})
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # an unknown dialect, a missing driver …
        raise StoreError(f"cannot use database {redact(url)}: {exc}") from None


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
_TURNS = {"stakeholders": 1, "relationships": 2, "interactions": 3}


def take_turn(conn: Any, table: str) -> None:
    """Make the write transaction on ``conn`` the only one writing ``table`` until it
    ends (see :meth:`interessent.store.Store.take_turn`). A no-op on SQLite, whose writes
    hold the whole database from their first statement."""
    number = _TURNS[table]
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_TURN_CLASS}, {number})")


def _sqlite_engine(url: str | URL, busy_timeout_ms: int) -> Engine:
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so BEGIN is ours (SQLAlchemy's
        # documented recipe), then set the pragmas every connection needs.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front, so two writers queue on the busy
        # timeout instead of failing with "database is locked" half-way through.
        writing = conn.get_execution_options().get("interessent_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def _busy_timeout(given: int | None) -> int:
    if given is not None:
        return int(given)
    text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not text:
        return 10_000
    if not text.isdigit():
        raise InvalidInput(f"{BUSY_TIMEOUT_ENV} must be a whole number of milliseconds, "
                           f"not {text!r}")
    return int(text)

