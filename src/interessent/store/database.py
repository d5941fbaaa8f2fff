"""The :class:`Store`: one connection to an interessent database.

It opens the engine (:mod:`.connection`), hands out read and write sessions, and keeps
the operations on the database as a whole: backup, secure deletion, compaction and the
audit entry. Reading and writing stakeholders, relationships and interactions it leaves
to :mod:`.queries` and :mod:`.writes`, in a session of its own or the caller's.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import errno
import os
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import SingletonThreadPool, StaticPool

from ..errors import InvalidInput, NotFound, PathError, StoreError
from ..i18n import gettext
from ..model import Interaction, Relationship, Stakeholder
from ..rules import id_key
from . import cache, queries, writes
from .audit import ACTOR_KEY, check_actor, record_entry, record_unlabelled
from .connection import (
    open_engine,
    prepare_engine,
    schema_revision,
    sqlite_url,
    take_turn,
    upgrade_schema,
)
from .dberrors import redact, translate
from .schema import INT, REL, ST

T = TypeVar("T")

#: The change counter of each store as read once within :meth:`Store.steady`.
_STEADY: contextvars.ContextVar[dict[Store, int | None] | None] = contextvars.ContextVar(
    "interessent_steady_counter", default=None)

__all__ = ["Store"]


class Store:
    """A connection to one interessent database: a URL (text or SQLAlchemy's
    :class:`~sqlalchemy.engine.URL`) or an :class:`~sqlalchemy.engine.Engine` made
    elsewhere. A store closes the engine it opened, never one it was given.

    ``busy_timeout_ms``: how long a writer waits for another (10 s unless given).
    ``actor``: who the audit log says made the changes (else the operating-system user).
    Nothing is read from the environment.

    >>> store = Store("sqlite://")
    >>> store.counts()
    {'stakeholders': 0, 'relationships': 0, 'interactions': 0}
    """

    def __init__(self, url: str | URL | Engine, *, busy_timeout_ms: int | None = None,
                 upgrade: bool = True, actor: str | None = None) -> None:
        self.actor = actor  # checked before anything is opened
        if isinstance(url, Engine):
            self.engine = prepare_engine(url, busy_timeout_ms)
            self.url: str | URL = url.url
            self._owns_engine = False
        else:
            self.url = url
            self.engine = open_engine(url, busy_timeout_ms)
            self._owns_engine = True
        if upgrade:
            self.upgrade()

    @property
    def actor(self) -> str | None:
        """Who the audit log says made the changes (None: the operating-system user)."""
        return self._actor

    @actor.setter
    def actor(self, actor: str | None) -> None:
        self._actor = check_actor(actor)

    @classmethod
    def for_path(cls, path: Path, **kwargs: Any) -> Store:
        """A store in a SQLite file."""
        return cls(sqlite_url(path), **kwargs)

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- schema ---------------------------------------------------------------------------

    def revision(self) -> str | None:
        """The schema revision the database is at, or None for an empty database."""
        return schema_revision(self.engine, self.url)

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` (the newest by default)."""
        upgrade_schema(self.engine, self.url, revision)

    # --- backup ---------------------------------------------------------------------------

    def backup(self, path: Path | str, *, force: bool = False) -> Path:
        """A consistent copy of a SQLite database at ``path``, taken while others may read
        and write (SQLite's online backup API, one read snapshot). It is written under a
        temporary name, checked with ``PRAGMA integrity_check`` and then renamed, so
        ``path`` is a whole, sound database or untouched. An existing ``path`` is replaced
        only with ``force``. Other databases are backed up with their own tools
        (``pg_dump`` for PostgreSQL): a :class:`StoreError` says how.

        A backup that cannot be written (a read-only or full disk, a device) is a
        :class:`PathError` naming ``path``; nothing is left beside it."""
        import sqlite3

        target = Path(path).expanduser().absolute()
        if self.engine.dialect.name != "sqlite":
            raise StoreError(_pg_dump_advice(self.url, target))
        if target.is_dir():
            raise InvalidInput(f"{target} is a folder; name the backup file")
        if target.exists() and not target.is_file():
            raise PathError(target, "not a regular file; name a new file for the backup")
        if target.exists() and not force:
            raise InvalidInput(f"{target} exists; choose a new name or replace it",
                               field="force")
        if not target.parent.is_dir():
            raise InvalidInput(f"the folder {target.parent} does not exist")
        source = self.engine.url.database
        if source and source not in (":memory:",) and not source.startswith("file:") and (
                Path(source).resolve() == target.resolve()):
            raise InvalidInput("the backup cannot replace the database itself")
        temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
        try:
            # Made here, not by SQLite, so a folder that refuses it says why.
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666))
            raw = self.engine.raw_connection()
            try:
                copy = sqlite3.connect(temporary)
                try:
                    raw.driver_connection.backup(copy)  # type: ignore[union-attr]
                    checked = copy.execute("PRAGMA integrity_check").fetchall()
                finally:
                    copy.close()
            finally:
                raw.close()
            if checked != [("ok",)]:
                raise StoreError(f"the copy failed its integrity check ({checked[0][0]}); "
                                 f"the database may be damaged: {redact(self.url)}")
            temporary.replace(target)
        except sqlite3.Error as exc:
            reason = _copy_failure(exc, target.parent)
            if reason is not None:
                raise PathError(target, reason) from None
            raise translate(DBAPIError(None, None, exc), self.url) from None
        except OSError as exc:
            raise PathError(target, exc.strerror or str(exc), errno=exc.errno) from None
        finally:
            for leftover in ("", "-journal", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{temporary}{leftover}").unlink(missing_ok=True)
        return target

    # --- transactions ---------------------------------------------------------------------

    def meanwhile(self, compute: Callable[[], T]) -> Callable[[], T]:
        """Start ``compute()`` in a thread of its own and return a function that waits for
        its result (or raises its error). Each step of a query lets go of the interpreter,
        so a query that works long for few rows runs alongside work in Python. The thread
        runs in a copy of the caller's context (its language, the contacts kept for one
        report) and reads through its own connection; a store with one connection for all
        (a SQLite database in memory) computes it here, at once.

        Wait for the result before the work it belongs to ends: no query outlives it."""
        if isinstance(self.engine.pool, StaticPool | SingletonThreadPool):
            value = compute()
            return lambda: value
        out: list[T] = []
        failed: list[BaseException] = []
        context = contextvars.copy_context()

        def run() -> None:
            try:
                out.append(context.run(compute))
            except BaseException as exc:  # handed to the waiting thread
                failed.append(exc)

        worker = threading.Thread(target=run, name="interessent-meanwhile", daemon=True)
        worker.start()

        def result() -> T:
            worker.join()
            if failed:
                raise failed[0]
            return out[0]
        return result

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading (one consistent snapshot)."""
        try:
            with Session(self.engine) as session, session.begin():
                yield session
        except DBAPIError as exc:
            raise translate(exc, self.url) from None

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work commits at the end, or not at all on any error."""
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(interessent_write=True)
                with Session(bind=conn) as session, session.begin():
                    session.info[ACTOR_KEY] = self.actor
                    yield session
                    record_unlabelled(session)
                    cache.note_change(session)
        except DBAPIError as exc:
            raise translate(exc, self.url) from None
        finally:
            self.generation += 1
            steady = _STEADY.get()
            if steady is not None:
                steady.pop(self, None)
            if self.on_write is not None:
                self.on_write()

    generation: int = 0
    """Counts write transactions through this store, so that results computed from the
    data (see :meth:`interessent.Workspace.memo`) know when they are stale."""

    on_write: Callable[[], None] | None = None
    """Called after each write transaction through this store, committed or not (the
    workspace forgets what it computed from the data, an erased person's name too)."""

    # --- the change counter and kept results (see .cache) ---------------------------------

    def change_counter(self) -> int | None:
        """How many write transactions the database has seen, in any process (None for a
        database without the counter). Read it before the data a result is computed
        from, and keep the result under it (:meth:`keep_cached`). Within
        :meth:`steady`, it is read once."""
        steady = _STEADY.get()
        if steady is not None and self in steady:
            return steady[self]
        with self.read() as s:
            value = cache.current_counter(s)
        if steady is not None:
            steady[self] = value
        return value

    @contextlib.contextmanager
    def steady(self) -> Iterator[None]:
        """Work that reads the data as one view (a report, with its hundreds of rankings
        and statuses each asking whether the data changed): within it the change counter
        is read once, at the first question, and given again after (each question costs a
        transaction). A write through this store reads it anew. Threads started by
        :meth:`meanwhile` inside it share it; nested, it keeps to the outer one."""
        if _STEADY.get() is not None:
            yield
            return
        token = _STEADY.set({})
        try:
            yield
        finally:
            _STEADY.reset(token)

    def cached(self, key: str, counter: int) -> bytes | None:
        """The result kept under ``key`` while the change counter was ``counter``."""
        with self.read() as s:
            return cache.cached_in(s, key, counter)

    def keep_cached(self, key: str, counter: int, data: bytes) -> bool:
        """Keep a result computed from the data as it was at ``counter``, unless a write
        came since; whether it was kept (never an error: it is only a cache). After the
        database once would not take one (busy with a writer, read-only), this store
        keeps nothing more: a read-only command does not wait for a writer again."""
        if not self._keeping:
            return False
        kept = cache.keep(self.engine, key, counter, data)
        if kept is None:
            self._keeping = False
        return bool(kept)

    _keeping: bool = True

    # --- the audit log and erasure (see interessent.privacy) ------------------------------

    def audit(
        self,
        s: Session,
        action: str,
        subject_kind: str,
        subject: str | int | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        """Record one audit entry in the caller's transaction: who (:attr:`actor`, else
        the operating-system user) did ``action`` to what, now.

        When ``subject_kind`` is ``"stakeholder"``, ``subject`` is its id or pk and only the
        integer pk is stored, because ids are made from names and are personal data.
        Otherwise ``subject`` is a non-personal reference (an interaction id, a file name).
        ``detail`` must hold counts and keys, never personal data.
        """
        record_entry(s, action, subject_kind, subject, detail)

    def secure_delete(self, s: Session) -> None:
        """On SQLite, have this transaction overwrite what it deletes with zeros, so freed
        pages keep no copy of erased data (a no-op elsewhere)."""
        if self.engine.dialect.name == "sqlite":
            s.connection().exec_driver_sql("PRAGMA secure_delete = ON")

    def compact(self) -> bool:
        """Rebuild a SQLite file so that nothing deleted survives in it: ``VACUUM`` rewrites
        it without free pages, then a ``TRUNCATE`` checkpoint empties the write-ahead log.
        Returns whether that was done completely (False on other databases, in memory, or
        when another process still reads the log; see docs/privacy.md)."""
        if self.engine.dialect.name != "sqlite" or self.engine.url.database in (
                None, "", ":memory:"):
            return False
        import sqlite3

        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("VACUUM")
            busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            cursor.close()
        except sqlite3.Error as exc:  # locked, read-only, disk full …
            raise translate(DBAPIError(None, None, exc), self.url) from None
        finally:
            raw.close()
        return bool(busy is not None and busy[0] == 0)

    # --- reading (see .queries) -----------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self.read() as s:
            return {
                "stakeholders": s.scalar(select(func.count()).select_from(ST)) or 0,
                "relationships": s.scalar(select(func.count()).select_from(REL)) or 0,
                "interactions": s.scalar(select(func.count()).select_from(INT)) or 0,
            }

    def pk_map(self, session: Session, ids: Iterable[str] | None = None) -> dict[str, int]:
        """Stakeholder id → pk, for all stakeholders or the given ids."""
        return queries.id_map(session, ST, ids)

    def pk_ids(self, ids: Iterable[str]) -> list[str]:
        """Those of ``ids`` that are registered stakeholders."""
        with self.read() as s:
            return sorted(self.pk_map(s, ids))

    def registered_ids(self, ids: Iterable[str], table: str = "stakeholders") -> dict[str, str]:
        """Each of ``ids`` that names a stakeholder (or, with ``table="interactions"``, an
        interaction) → its id as registered, which may differ in case (see
        :func:`interessent.rules.id_key`)."""
        found = {"stakeholders": ST, "interactions": INT}[table]
        with self.read() as s:
            return {given: id_ for given, (_pk, id_) in
                    queries.resolve_ids(s, found, ids).items()}

    def look_alike_ids(self) -> list[tuple[str, tuple[str, ...]]]:
        """Ids registered before interessent kept ids unique in any case (schema 0004)
        that differ from another only in case or Unicode form: (``stakeholders`` or
        ``interactions``, the look-alike ids, oldest first). They stay separate records;
        each is found by its exact id."""
        result: list[tuple[str, tuple[str, ...]]] = []
        with self.read() as s:
            for name, table in (("stakeholders", ST), ("interactions", INT)):
                alone = s.execute(select(table.c.pk, table.c.id)
                                  .where(table.c.id_key.is_(None))).all()
                if not alone:
                    continue
                groups: dict[str, list[tuple[int, str]]] = {}
                for pk, id_ in alone:
                    groups.setdefault(id_key(id_), []).append((pk, id_))
                keyed = dict(s.execute(select(table.c.id_key, table.c.pk)
                                       .where(table.c.id_key.in_(list(groups)))).all())
                first = dict(s.execute(select(table.c.pk, table.c.id)
                                       .where(table.c.pk.in_(list(keyed.values())))).all())
                for key, rest in sorted(groups.items()):
                    ids = [first[keyed[key]]] if key in keyed else []
                    ids += [id_ for _pk, id_ in sorted(rest)]
                    result.append((name, tuple(ids)))
        return result

    def stakeholder(self, id: str) -> Stakeholder:
        found = self.stakeholders(ids=[id])
        if not found:
            raise NotFound(gettext("no stakeholder with id {id!r}").format(id=id))
        return found[0]

    def stakeholders(
        self,
        *,
        ids: Sequence[str] | None = None,
        group: str | None = None,
        role: str | None = None,
        tag: str | None = None,
        search: str | None = None,
        within: Any = None,
    ) -> list[Stakeholder]:
        """Stakeholders, sorted by id, optionally filtered. Group membership here is what is
        registered; :meth:`interessent.Workspace.members` adds the plan's group rules.
        ``within`` is a SELECT of stakeholder pks (``store.rules.as_query(members_sql(…))``
        gives a group's members by its rule too)."""
        with self.read() as s:
            return queries.stakeholders(s, ids=ids, group=group, role=role, tag=tag,
                                        search=search, within=within)

    def relationships(self, *, stakeholder: str | None = None) -> list[Relationship]:
        """All relationships (or those touching one stakeholder), sorted."""
        with self.read() as s:
            return queries.relationships(s, stakeholder=stakeholder)

    def interactions(
        self,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        stakeholder: str | None = None,
        ids: Sequence[str] | None = None,
        outlet: str | None = None,
    ) -> list[Interaction]:
        """Interactions, oldest first, optionally in a date range or with one participant;
        with ``outlet``, only what that media outlet published."""
        with self.read() as s:
            return queries.interactions(s, start=start, end=end, stakeholder=stakeholder,
                                        ids=ids, outlet=outlet)

    # --- writing (see .writes) ------------------------------------------------------------
    # Private: these write what they are given, unchecked against the plan. The public way
    # to write is :mod:`interessent.registry` and :mod:`interessent.importing`, whose checks
    # every value passes; the old public names remain a while, deprecated (see below).

    def _add_stakeholder(self, stakeholder: Stakeholder) -> None:
        """Register a new stakeholder; its id must be new, also in another case."""
        with self.write() as s:
            self.take_turn(s, "stakeholders")
            taken = queries.resolve_ids(s, ST, [stakeholder.id]).get(stakeholder.id)
            if taken is not None:
                raise InvalidInput(f"a stakeholder with id {taken[1]!r} already exists")
            self._save_stakeholders(s, [stakeholder])

    def _update_stakeholder(self, stakeholder: Stakeholder) -> None:
        """Replace an existing stakeholder's record with ``stakeholder`` (found by its id in
        any case; it keeps the id it has)."""
        with self.write() as s:
            self.take_turn(s, "stakeholders")
            if not queries.resolve_ids(s, ST, [stakeholder.id]):
                raise NotFound(gettext("no stakeholder with id {id!r}").format(
                    id=stakeholder.id))
            self._save_stakeholders(s, [stakeholder])

    def _save_stakeholders(
        self,
        s: Session,
        records: Sequence[Mapping[str, Any]] | Sequence[Stakeholder],
        *,
        columns: Iterable[str] | None = None,
    ) -> tuple[int, int]:
        """Upsert stakeholders by id inside the caller's transaction; returns (added, updated).

        ``records`` are :class:`Stakeholder` values or mappings with an ``id`` and any of the
        stakeholder fields. Only ``columns`` are written for existing stakeholders (all
        fields when None), which is how an import with fewer columns leaves the others be.
        ``organisation`` holds an organisation id, registered already or in this batch.
        """
        return writes.save_stakeholders(s, records, columns=columns)

    def _save_relationships(self, s: Session, rels: Sequence[Relationship]) -> tuple[int, int]:
        """Upsert relationships by (source, target, kind); returns (added, updated)."""
        return writes.save_relationships(s, rels)

    def _save_interactions(self, s: Session, items: Sequence[Interaction],
                           source_keys: Sequence[str | None] | None = None) -> tuple[int, int]:
        """Upsert interactions by id; returns (added, updated). ``source_keys``: see
        :func:`.writes.save_interactions`."""
        return writes.save_interactions(s, items, source_keys)

    def _add_interaction(self, interaction: Interaction) -> None:
        """Log one interaction; its id must be new, also in another case."""
        with self.write() as s:
            self.take_turn(s, "interactions")
            taken = queries.resolve_ids(s, INT, [interaction.id]).get(interaction.id)
            if taken is not None:
                raise InvalidInput(f"an interaction with id {taken[1]!r} already exists")
            self._save_interactions(s, [interaction])

    def _remove_relationship(self, s: Session, source: str, target: str,
                             kind: str) -> Relationship | None:
        """Delete one tie in the caller's transaction; the tie, or None if there was none."""
        return writes.delete_relationship(s, source, target, kind)

    def _remove_interaction(self, s: Session, id: str) -> Interaction | None:
        """Delete one interaction with its participants, groups and commitments, in the
        caller's transaction; the interaction, or None if there was none."""
        return writes.delete_interaction(s, id)

    # The old public names, deprecated: they skip the plan's checks.

    def add_stakeholder(self, stakeholder: Stakeholder) -> None:
        """Deprecated: unchecked; use :func:`interessent.add_stakeholder`."""
        _deprecated("add_stakeholder", "interessent.add_stakeholder")
        self._add_stakeholder(stakeholder)

    def update_stakeholder(self, stakeholder: Stakeholder) -> None:
        """Deprecated: unchecked; use :func:`interessent.edit_stakeholder`."""
        _deprecated("update_stakeholder", "interessent.edit_stakeholder")
        self._update_stakeholder(stakeholder)

    def add_interaction(self, interaction: Interaction) -> None:
        """Deprecated: unchecked; use :func:`interessent.log_interaction`."""
        _deprecated("add_interaction", "interessent.log_interaction")
        self._add_interaction(interaction)

    def save_stakeholders(self, s: Session, records: Sequence[Mapping[str, Any]]
                          | Sequence[Stakeholder], *,
                          columns: Iterable[str] | None = None) -> tuple[int, int]:
        """Deprecated: unchecked; use :func:`interessent.import_rows`."""
        _deprecated("save_stakeholders", "interessent.import_rows")
        return self._save_stakeholders(s, records, columns=columns)

    def save_relationships(self, s: Session, rels: Sequence[Relationship]) -> tuple[int, int]:
        """Deprecated: unchecked; use :func:`interessent.add_relationship`."""
        _deprecated("save_relationships", "interessent.add_relationship")
        return self._save_relationships(s, rels)

    def save_interactions(self, s: Session, items: Sequence[Interaction]) -> tuple[int, int]:
        """Deprecated: unchecked; use :func:`interessent.log_interaction`."""
        _deprecated("save_interactions", "interessent.log_interaction")
        return self._save_interactions(s, items)

    def next_interaction_id(self, day: dt.date, s: Session | None = None) -> str:
        """A fresh id of the form ``K2026-0042``: one more than the highest of ``day``'s
        year. Read in a write transaction ``s``, it is this transaction's to use (see
        :meth:`take_turn`); read outside one, another writer may take it first."""
        if s is None:
            with self.read() as session:
                number = queries.last_interaction_number(session, day.year)
        else:
            self.take_turn(s, "interactions")
            number = queries.last_interaction_number(s, day.year)
        return f"K{day.year}-{number + 1:04d}"

    def take_turn(self, s: Session, table: str) -> None:
        """Wait, in the write transaction ``s``, until no other transaction is writing
        ``table`` (``stakeholders``, ``relationships`` or ``interactions``), so that what
        ``s`` reads of it next (ids taken, the highest number) stays true until it commits:
        ids are chosen and checked inside the transaction that writes them.

        On SQLite every write already begins IMMEDIATE, which gives it the whole database.
        On PostgreSQL this takes a transaction-scoped advisory lock per table, released at
        commit or rollback; it waits at most the lock timeout, then
        :class:`~interessent.errors.StoreBusy`. Writers of different tables (an import of
        stakeholders, a meeting logged) still work at once."""
        take_turn(s.connection(), table)


def _deprecated(name: str, instead: str) -> None:
    warnings.warn(f"Store.{name} writes without the plan's checks and will be removed; "
                  f"use {instead}", DeprecationWarning, stacklevel=3)


def _copy_failure(exc: Exception, folder: Path) -> str | None:
    """Why SQLite could not write a backup's copy, or None when the source failed."""
    code = str(getattr(exc, "sqlite_errorname", ""))
    if code == "SQLITE_FULL" or (code.startswith("SQLITE_IOERR") and _full(folder)):
        return os.strerror(errno.ENOSPC)
    if code.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM")):
        return f"cannot write the copy ({exc})"
    return None


def _full(folder: Path) -> bool:
    try:
        return os.statvfs(folder).f_bavail == 0
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def _pg_dump_advice(url: str | URL, target: Path) -> str:
    """How to back up a server database: its own dump tool, whose copy is consistent too."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # pragma: no cover - a URL SQLAlchemy cannot parse
        return "interessent backs up SQLite files only; use the database's own backup tool"
    if not parsed.get_backend_name().startswith("postgresql"):
        return (f"interessent backs up SQLite files only; back up {parsed.get_backend_name()} "
                "with its own tools")
    # no password on a command line: pg_dump takes it from PGPASSWORD or ~/.pgpass
    plain = parsed.set(drivername="postgresql")._replace(password=None).render_as_string()
    return ("interessent backs up SQLite files only; back up a PostgreSQL register with "
            f"pg_dump, which takes a consistent copy while others work: pg_dump "
            f"--format=custom --file {target} '{plain}' (restore with pg_restore; see "
            "docs/team.md)")

