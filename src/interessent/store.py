"""The database: SQLAlchemy 2 typed tables, sessions and migrations.

Integer surrogate keys (``pk``) inside, stable text ids (``id``) outside. SQLite by
default (WAL, a busy timeout, writes that begin IMMEDIATE); any SQLAlchemy URL works,
PostgreSQL for teams. The schema is kept by the Alembic migrations shipped in
``interessent/migrations``; opening an older database upgrades it.

Rows are not domain objects: :meth:`Store.stakeholders` and friends convert at this
boundary, and bulk paths (imports) use Core statements, never one ORM object a row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from .errors import InvalidInput, NotFound, StoreBusy, StoreError
from .model import Interaction, Kind, Language, Relationship, Stakeholder

__all__ = ["SCHEMA_HEAD", "Store"]

#: The newest migration; a test keeps it equal to Alembic's head.
SCHEMA_HEAD = "0003"

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)


class StakeholderRow(Base):
    __tablename__ = "stakeholders"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(Text)
    organisation_pk: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="SET NULL"), index=True
    )
    influence: Mapped[int | None] = mapped_column(Integer)
    interest: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(5))
    legal_basis: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    restricted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    erased_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    """When the person's data was erased (GDPR art. 17); the row stays, anonymised."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)


class StakeholderRoleRow(Base):
    __tablename__ = "stakeholder_roles"

    stakeholder_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(100), primary_key=True)


class StakeholderGroupRow(Base):
    __tablename__ = "stakeholder_groups"

    stakeholder_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), primary_key=True
    )
    group_key: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class StakeholderTagRow(Base):
    __tablename__ = "stakeholder_tags"

    stakeholder_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)


class RelationshipRow(Base):
    __tablename__ = "relationships"
    __table_args__ = (UniqueConstraint("source_pk", "target_pk", "kind"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_pk: Mapped[int] = mapped_column(ForeignKey("stakeholders.pk", ondelete="CASCADE"))
    target_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(100))
    strength: Mapped[float] = mapped_column(Float)
    directed: Mapped[bool] = mapped_column(Boolean)
    start: Mapped[dt.date | None] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)


class InteractionRow(Base):
    __tablename__ = "interactions"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(200), unique=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(100))
    topic: Mapped[str | None] = mapped_column(Text)
    host_pk: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="SET NULL")
    )
    success: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)


class InteractionParticipantRow(Base):
    __tablename__ = "interaction_participants"

    interaction_pk: Mapped[int] = mapped_column(
        ForeignKey("interactions.pk", ondelete="CASCADE"), primary_key=True
    )
    stakeholder_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), primary_key=True, index=True
    )


class InteractionGroupRow(Base):
    __tablename__ = "interaction_groups"

    interaction_pk: Mapped[int] = mapped_column(
        ForeignKey("interactions.pk", ondelete="CASCADE"), primary_key=True
    )
    group_key: Mapped[str] = mapped_column(String(100), primary_key=True)


class InteractionCommitmentRow(Base):
    __tablename__ = "interaction_commitments"

    interaction_pk: Mapped[int] = mapped_column(
        ForeignKey("interactions.pk", ondelete="CASCADE"), primary_key=True
    )
    commitment_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class ConsentRow(Base):
    """A legal basis (consent or another basis of GDPR art. 6) for holding a stakeholder's
    data: where it came from, from when, until when. Rows are history; the newest is current."""

    __tablename__ = "consents"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    stakeholder_pk: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.pk", ondelete="CASCADE"), index=True
    )
    basis: Mapped[str] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(Text)
    given: Mapped[dt.date] = mapped_column(Date)
    expires: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn: Mapped[dt.date | None] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    recorded_by: Mapped[str] = mapped_column(String(200))


class AuditRow(Base):
    """Who changed what, when. Never personal data: a stakeholder is referred to by its
    integer ``subject_pk`` (not its name-derived id), ``detail`` holds counts and keys."""

    __tablename__ = "audit_log"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    subject_kind: Mapped[str] = mapped_column(String(50))
    subject_pk: Mapped[int | None] = mapped_column(Integer, index=True)
    subject_ref: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)


Index("ix_relationships_source_kind", RelationshipRow.source_pk, RelationshipRow.kind)

ST: Table = cast("Table", StakeholderRow.__table__)
ROLES: Table = cast("Table", StakeholderRoleRow.__table__)
GROUPS: Table = cast("Table", StakeholderGroupRow.__table__)
TAGS: Table = cast("Table", StakeholderTagRow.__table__)
REL: Table = cast("Table", RelationshipRow.__table__)
INT: Table = cast("Table", InteractionRow.__table__)
PART: Table = cast("Table", InteractionParticipantRow.__table__)
IGROUPS: Table = cast("Table", InteractionGroupRow.__table__)
ICOMM: Table = cast("Table", InteractionCommitmentRow.__table__)
CONSENTS: Table = cast("Table", ConsentRow.__table__)
AUDIT: Table = cast("Table", AuditRow.__table__)

#: The environment variable that names who is working (else the operating-system user).
ACTOR_ENV = "INTERESSENT_USER"

#: Stakeholder columns that hold one value each (the rest are child tables).
STAKEHOLDER_SCALARS = (
    "name", "kind", "email", "phone", "address", "organisation", "influence", "interest",
    "language", "legal_basis", "notes",
)
STAKEHOLDER_LISTS = {"roles": (ROLES, "role"), "groups": (GROUPS, "group_key"),
                     "tags": (TAGS, "tag")}


# --- engine -------------------------------------------------------------------------------


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
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


def _translate(exc: DBAPIError, url: str) -> StoreError:
    """One clear :class:`StoreError` for what the database refused. SQLite's and
    PostgreSQL's error codes first; the message text for errors that carry none."""
    orig = exc.orig
    message = str(orig) if orig is not None else str(exc)
    lowered = message.lower()
    where = _redact(url)
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
        return StoreError(f"the database is read-only, nothing was written: {where}")
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


#: Names how long a writer waits for another one, in milliseconds (default 10 s).
BUSY_TIMEOUT_ENV = "INTERESSENT_BUSY_TIMEOUT_MS"


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


def _pg_dump_advice(url: str, target: Path) -> str:
    """How to back up a server database: its own dump tool, whose copy is consistent too."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # pragma: no cover - a URL SQLAlchemy cannot parse
        return "interessent backup copies SQLite files; use the database's own backup tool"
    if not parsed.get_backend_name().startswith("postgresql"):
        return (f"interessent backup copies SQLite files; back up {parsed.get_backend_name()} "
                "with its own tools")
    # no password on a command line: pg_dump takes it from PGPASSWORD or ~/.pgpass
    plain = parsed.set(drivername="postgresql")._replace(password=None).render_as_string()
    return ("interessent backup copies SQLite files; back up a PostgreSQL register with "
            f"pg_dump, which takes a consistent copy while others work: pg_dump "
            f"--format=custom --file {target} '{plain}' (restore with pg_restore; see "
            "docs/team.md)")


#: PostgreSQL's "try again" errors: serialization failure, deadlock, lock timeout.
_PG_BUSY = frozenset({"40001", "40P01", "55P03"})


def _why_not_open(url: str) -> str:
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


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # pragma: no cover - a URL SQLAlchemy cannot parse
        return "<database>"


class Store:
    """A connection to one interessent database.

    >>> store = Store("sqlite:///:memory:")
    >>> store.counts()
    {'stakeholders': 0, 'relationships': 0, 'interactions': 0}
    """

    def __init__(self, url: str, *, busy_timeout_ms: int | None = None,
                 upgrade: bool = True) -> None:
        self.url = url
        timeout = _busy_timeout(busy_timeout_ms)
        try:
            if url.startswith("sqlite"):
                self.engine = _sqlite_engine(url, timeout)
            elif url.startswith("postgresql"):
                # A writer waits for another's row locks as long as SQLite's busy timeout,
                # then fails with StoreBusy, instead of waiting for ever.
                self.engine = create_engine(url, pool_pre_ping=True, connect_args={
                    "options": f"-c lock_timeout={timeout}"})
            else:
                self.engine = create_engine(url, pool_pre_ping=True)
        except Exception as exc:  # an unknown dialect, a missing driver …
            raise StoreError(f"cannot use database {_redact(url)}: {exc}") from None
        if upgrade:
            self.upgrade()

    @classmethod
    def for_path(cls, path: Path, **kwargs: Any) -> Store:
        """A store in a SQLite file."""
        return cls(f"sqlite:///{path}", **kwargs)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- schema ---------------------------------------------------------------------------

    def revision(self) -> str | None:
        """The schema revision the database is at, or None for an empty database."""
        try:
            with self.engine.connect() as conn:
                has = self.engine.dialect.has_table(conn, "alembic_version")
                if not has:
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError as exc:
            raise _translate(exc, self.url) from None

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` (the newest by default)."""
        if revision == "head" and self.revision() == SCHEMA_HEAD:
            return
        from . import migrations

        try:
            migrations.upgrade(self.engine, revision)
        except DBAPIError as exc:
            raise _translate(exc, self.url) from None

    # --- backup ---------------------------------------------------------------------------

    def backup(self, path: Path | str, *, force: bool = False) -> Path:
        """A consistent copy of a SQLite database at ``path``, taken while others may read
        and write (SQLite's online backup API, one read snapshot). It is written under a
        temporary name, checked with ``PRAGMA integrity_check`` and then renamed, so
        ``path`` is a whole, sound database or untouched. An existing ``path`` is replaced
        only with ``force``. Other databases are backed up with their own tools
        (``pg_dump`` for PostgreSQL): a :class:`StoreError` says how."""
        import sqlite3

        target = Path(path).expanduser().absolute()
        if self.engine.dialect.name != "sqlite":
            raise StoreError(_pg_dump_advice(self.url, target))
        if target.is_dir():
            raise InvalidInput(f"{target} is a folder; name the backup file")
        if target.exists() and not force:
            raise InvalidInput(f"{target} exists; choose a new name or replace it with --force")
        if not target.parent.is_dir():
            raise InvalidInput(f"the folder {target.parent} does not exist")
        source = self.engine.url.database
        if source and source not in (":memory:",) and not source.startswith("file:") and (
                Path(source).resolve() == target.resolve()):
            raise InvalidInput("the backup cannot replace the database itself")
        temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
        try:
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
                                 f"the database may be damaged: {_redact(self.url)}")
            temporary.replace(target)
        except sqlite3.Error as exc:
            raise _translate(DBAPIError(None, None, exc), self.url) from None
        except OSError as exc:
            raise StoreError(f"cannot write the backup {target}: {exc.strerror or exc}") from None
        finally:
            temporary.unlink(missing_ok=True)
        return target

    # --- transactions ---------------------------------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading (one consistent snapshot)."""
        try:
            with Session(self.engine) as session, session.begin():
                yield session
        except DBAPIError as exc:
            raise _translate(exc, self.url) from None

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work commits at the end, or not at all on any error."""
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(interessent_write=True)
                with Session(bind=conn) as session, session.begin():
                    yield session
                    _audit_unlabelled(self, session)
        except DBAPIError as exc:
            raise _translate(exc, self.url) from None
        finally:
            self.generation += 1

    generation: int = 0
    """Counts write transactions through this store, so that results computed from the
    data (see :meth:`interessent.Workspace.memo`) know when they are stale."""

    # --- the audit log and erasure (see interessent.privacy) ------------------------------

    def audit(
        self,
        s: Session,
        action: str,
        subject_kind: str,
        subject: str | int | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        """Record one audit entry in the caller's transaction: who (``INTERESSENT_USER``,
        else the operating-system user) did ``action`` to what, now.

        When ``subject_kind`` is ``"stakeholder"``, ``subject`` is its id or pk and only the
        integer pk is stored, because ids are made from names and are personal data.
        Otherwise ``subject`` is a non-personal reference (an interaction id, a file name).
        ``detail`` must hold counts and keys, never personal data.
        """
        subject_pk: int | None = None
        ref: str | None = None
        if subject_kind == "stakeholder" and subject is not None:
            subject_pk = (subject if isinstance(subject, int)
                          else s.scalar(select(ST.c.pk).where(ST.c.id == subject)))
        elif subject is not None:
            ref = str(subject)[:200]
        s.execute(insert(AUDIT).values(
            at=_now(), actor=current_actor(), action=action, subject_kind=subject_kind,
            subject_pk=subject_pk, subject_ref=ref,
            detail=json.dumps(dict(detail), ensure_ascii=False, sort_keys=True, default=str)
            if detail else None,
        ))
        s.info["interessent_audited"] = True

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
            raise _translate(DBAPIError(None, None, exc), self.url) from None
        finally:
            raw.close()
        return bool(busy is not None and busy[0] == 0)

    # --- reading --------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self.read() as s:
            return {
                "stakeholders": s.scalar(select(func.count()).select_from(ST)) or 0,
                "relationships": s.scalar(select(func.count()).select_from(REL)) or 0,
                "interactions": s.scalar(select(func.count()).select_from(INT)) or 0,
            }

    def pk_map(self, session: Session, ids: Iterable[str] | None = None) -> dict[str, int]:
        """Stakeholder id → pk, for all stakeholders or the given ids."""
        return _id_map(session, ST, ids)

    def pk_ids(self, ids: Iterable[str]) -> list[str]:
        """Those of ``ids`` that are registered stakeholders."""
        with self.read() as s:
            return sorted(self.pk_map(s, ids))

    def stakeholder(self, id: str) -> Stakeholder:
        found = self.stakeholders(ids=[id])
        if not found:
            raise NotFound(f"no stakeholder with id {id!r}")
        return found[0]

    def stakeholders(
        self,
        *,
        ids: Sequence[str] | None = None,
        group: str | None = None,
        role: str | None = None,
        tag: str | None = None,
        search: str | None = None,
    ) -> list[Stakeholder]:
        """Stakeholders, sorted by id, optionally filtered. Group membership here is what is
        registered; :meth:`interessent.Workspace.members` adds the plan's group rules."""
        org = ST.alias("org")
        query = (
            select(ST, org.c.id.label("org_id"))
            .outerjoin(org, org.c.pk == ST.c.organisation_pk)
            .order_by(ST.c.id)
        )
        if ids is not None:
            query = query.where(ST.c.id.in_(list(ids)))
        if group is not None:
            query = query.where(
                ST.c.pk.in_(select(GROUPS.c.stakeholder_pk).where(GROUPS.c.group_key == group))
            )
        if role is not None:
            query = query.where(
                ST.c.pk.in_(select(ROLES.c.stakeholder_pk).where(ROLES.c.role == role))
            )
        if tag is not None:
            query = query.where(ST.c.pk.in_(select(TAGS.c.stakeholder_pk).where(TAGS.c.tag == tag)))
        if search:
            # %, _ and \ are searched for as text; an explicit escape character, because
            # PostgreSQL's LIKE escapes with \ by default and SQLite's with nothing
            plain = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace(
                "_", "\\_")
            pattern = f"%{plain}%"
            query = query.where(
                func.lower(ST.c.name).like(pattern, escape="\\")
                | func.lower(ST.c.id).like(pattern, escape="\\")
            )
        with self.read() as s:
            rows = s.execute(query).mappings().all()
            pks = [r["pk"] for r in rows]
            lists = self._stakeholder_lists(s, pks if ids is not None or len(pks) < 500 else None)
        return [_stakeholder_from_row(r, lists) for r in rows]

    def _stakeholder_lists(
        self, s: Session, pks: Sequence[int] | None
    ) -> dict[str, dict[int, list[str]]]:
        result: dict[str, dict[int, list[str]]] = {}
        for name, (table, column) in STAKEHOLDER_LISTS.items():
            per: dict[int, list[str]] = {}
            query = select(table.c.stakeholder_pk, table.c[column]).order_by(
                table.c.stakeholder_pk, table.c[column]
            )
            if pks is None:
                rows: Iterable[Any] = s.execute(query)
            else:
                rows = []
                for chunk in _chunks(list(pks), 500):
                    rows.extend(s.execute(query.where(table.c.stakeholder_pk.in_(chunk))))
            for pk, value in rows:
                per.setdefault(pk, []).append(value)
            result[name] = per
        return result

    def relationships(self, *, stakeholder: str | None = None) -> list[Relationship]:
        """All relationships (or those touching one stakeholder), sorted."""
        src, dst = ST.alias("src"), ST.alias("dst")
        query = (
            select(REL, src.c.id.label("source"), dst.c.id.label("target"))
            .join(src, src.c.pk == REL.c.source_pk)
            .join(dst, dst.c.pk == REL.c.target_pk)
            .order_by(src.c.id, dst.c.id, REL.c.kind)
        )
        if stakeholder is not None:
            query = query.where((src.c.id == stakeholder) | (dst.c.id == stakeholder))
        with self.read() as s:
            rows = s.execute(query).mappings().all()
        return [
            Relationship(
                source=r["source"], target=r["target"], kind=r["kind"], strength=r["strength"],
                directed=bool(r["directed"]), start=r["start"], end=r["end"],
            )
            for r in rows
        ]

    def interactions(
        self,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        stakeholder: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[Interaction]:
        """Interactions, oldest first, optionally in a date range or with one participant."""
        host = ST.alias("host")
        query = (
            select(INT, host.c.id.label("host_id"))
            .outerjoin(host, host.c.pk == INT.c.host_pk)
            .order_by(INT.c.date, INT.c.id)
        )
        if start is not None:
            query = query.where(INT.c.date >= start)
        if end is not None:
            query = query.where(INT.c.date <= end)
        if ids is not None:
            query = query.where(INT.c.id.in_(list(ids)))
        if stakeholder is not None:
            who = select(ST.c.pk).where(ST.c.id == stakeholder).scalar_subquery()
            query = query.where(
                INT.c.pk.in_(select(PART.c.interaction_pk).where(PART.c.stakeholder_pk == who))
                | (INT.c.host_pk == who)
            )
        with self.read() as s:
            rows = s.execute(query).mappings().all()
            pks = [r["pk"] for r in rows]
            parts = _grouped(s, PART.join(ST, ST.c.pk == PART.c.stakeholder_pk),
                             PART.c.interaction_pk, ST.c.id, pks)
            groups = _grouped(s, IGROUPS, IGROUPS.c.interaction_pk, IGROUPS.c.group_key, pks)
            comms = _grouped(s, ICOMM, ICOMM.c.interaction_pk, ICOMM.c.commitment_id, pks)
        return [
            Interaction(
                id=r["id"], date=r["date"], kind=r["kind"], channel=r["channel"],
                participants=tuple(parts.get(r["pk"], ())), groups=tuple(groups.get(r["pk"], ())),
                topic=r["topic"], commitments=tuple(comms.get(r["pk"], ())), host=r["host_id"],
                success=bool(r["success"]), notes=r["notes"],
            )
            for r in rows
        ]

    # --- writing --------------------------------------------------------------------------

    def add_stakeholder(self, stakeholder: Stakeholder) -> None:
        """Register a new stakeholder; its id must be new."""
        with self.write() as s:
            if s.scalar(select(ST.c.pk).where(ST.c.id == stakeholder.id)) is not None:
                raise InvalidInput(f"a stakeholder with id {stakeholder.id!r} already exists")
            self.save_stakeholders(s, [stakeholder])

    def update_stakeholder(self, stakeholder: Stakeholder) -> None:
        """Replace an existing stakeholder's record with ``stakeholder``."""
        with self.write() as s:
            if s.scalar(select(ST.c.pk).where(ST.c.id == stakeholder.id)) is None:
                raise NotFound(f"no stakeholder with id {stakeholder.id!r}")
            self.save_stakeholders(s, [stakeholder])

    def save_stakeholders(
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
        rows = [_stakeholder_to_dict(r) if isinstance(r, Stakeholder) else r for r in records]
        cols = set(columns) if columns is not None else set(STAKEHOLDER_SCALARS) | set(
            STAKEHOLDER_LISTS)
        with_org = "organisation" in cols
        scalars = [c for c in STAKEHOLDER_SCALARS if c in cols and c != "organisation"]
        conn = s.connection()
        existing = _id_map(s, ST, [r["id"] for r in rows])
        new = [r for r in rows if r["id"] not in existing]
        old = [r for r in rows if r["id"] in existing]
        batch_ids = {r["id"] for r in new}
        org_ids = {r["organisation"] for r in rows if with_org and r.get("organisation")}
        org_pks = _id_map(s, ST, org_ids) if org_ids else {}
        unknown = sorted(org_ids - set(org_pks) - batch_ids)
        if unknown:
            raise NotFound(f"unknown organisation {', '.join(map(repr, unknown))}")
        now = _db_time(conn, _now())
        names = ["id", "name", "kind", "email", "phone", "address", "organisation_pk",
                 "influence", "interest", "language", "legal_basis", "notes", "opted_out",
                 "restricted", "created_at", "updated_at"]
        # Organisations new in this batch get their pk before the people who name them.
        pending = new
        while pending:
            ready = [r for r in pending
                     if not (with_org and r.get("organisation")) or r["organisation"] in org_pks]
            late: list[Mapping[str, Any]] = []
            if not ready:  # organisations that name each other: link them afterwards
                ready, late = pending, pending
            _insert_many(conn, ST, names, [
                (r["id"], r["name"], str(r.get("kind") or Kind.PERSON), r.get("email"),
                 r.get("phone"), r.get("address"),
                 org_pks.get(r["organisation"]) if with_org and r.get("organisation") else None,
                 r.get("influence"), r.get("interest"), str(r.get("language") or Language.NB),
                 r.get("legal_basis"), r.get("notes"), bool(r.get("opted_out", False)),
                 bool(r.get("restricted", False)), now, now)
                for r in ready
            ])
            added = _id_map(s, ST, [r["id"] for r in ready])
            existing.update(added)
            org_pks.update((k, v) for k, v in added.items() if k in org_ids)
            old += late
            done = {r["id"] for r in ready}
            pending = [r for r in pending if r["id"] not in done]
        if old:
            values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in scalars}
            if with_org:
                values["organisation_pk"] = bindparam("v_organisation_pk")
            values["updated_at"] = bindparam("v_updated_at")
            conn.execute(
                update(ST).where(ST.c.pk == bindparam("b_pk")).values(values),
                [
                    {"b_pk": existing[r["id"]], "v_updated_at": _now(),
                     **{f"v_{c}": _scalar(c, r.get(c)) for c in scalars},
                     **({"v_organisation_pk": org_pks.get(r.get("organisation") or "")}
                        if with_org else {})}
                    for r in old
                ],
            )
        old_pks = [existing[r["id"]] for r in old]
        for name, (table, column) in STAKEHOLDER_LISTS.items():
            if name not in cols:
                continue
            for chunk in _chunks(old_pks, 500):
                s.execute(delete(table).where(table.c.stakeholder_pk.in_(chunk)))
            _insert_many(conn, table, ["stakeholder_pk", column], [
                (existing[r["id"]], value)
                for r in rows
                for value in dict.fromkeys(r.get(name) or ())
            ])
        result = len(new), len(old) - sum(1 for r in old if r["id"] in batch_ids)
        _note_write(s, "stakeholders", *result)
        return result

    def save_relationships(self, s: Session, rels: Sequence[Relationship]) -> tuple[int, int]:
        """Upsert relationships by (source, target, kind); returns (added, updated)."""
        ends = {r.source for r in rels} | {r.target for r in rels}
        pks = self.pk_map(s, ends)
        missing = sorted(ends - set(pks))
        if missing:
            raise NotFound(f"unknown stakeholder {', '.join(map(repr, missing))}")
        existing = {
            (a, b, k): pk
            for pk, a, b, k in s.execute(select(REL.c.pk, REL.c.source_pk, REL.c.target_pk,
                                                REL.c.kind))
        }
        new, old = [], []
        for r in rels:
            row = {"source_pk": pks[r.source], "target_pk": pks[r.target], "kind": r.kind,
                   "strength": r.strength, "directed": r.directed, "start": r.start,
                   "end": r.end}
            pk = existing.get((row["source_pk"], row["target_pk"], r.kind))
            if pk is None:
                new.append(row)
            else:
                old.append({**{f"v_{k}": v for k, v in row.items()}, "b_pk": pk})
        conn = s.connection()
        if new:
            _insert_many(conn, REL, list(new[0]), [
                tuple(_db_value(conn, v) for v in row.values()) for row in new])
        if old:
            cols = ("strength", "directed", "start", "end")
            s.connection().execute(
                update(REL).where(REL.c.pk == bindparam("b_pk"))
                .values({c: bindparam(f"v_{c}") for c in cols}),
                old,
            )
        _note_write(s, "relationships", len(new), len(old))
        return len(new), len(old)

    def save_interactions(self, s: Session, items: Sequence[Interaction]) -> tuple[int, int]:
        """Upsert interactions by id; returns (added, updated)."""
        people = {p for i in items for p in i.participants} | {i.host for i in items if i.host}
        pks = self.pk_map(s, people)
        missing = sorted(people - set(pks))
        if missing:
            raise NotFound(f"unknown stakeholder {', '.join(map(repr, missing))}")
        existing = _id_map(s, INT, [i.id for i in items])
        old_pks = list(existing.values())
        for chunk in _chunks(old_pks, 500):
            for table in (PART, IGROUPS, ICOMM):
                s.execute(delete(table).where(table.c.interaction_pk.in_(chunk)))
            s.execute(delete(INT).where(INT.c.pk.in_(chunk)))
        conn = s.connection()
        _insert_many(conn, INT, ["id", "date", "kind", "channel", "topic", "host_pk", "success",
                                 "notes"], [
            (i.id, _db_value(conn, i.date), i.kind, i.channel, i.topic,
             pks[i.host] if i.host else None, i.success, i.notes)
            for i in items
        ])
        ipks = _id_map(s, INT, [i.id for i in items])
        _insert_many(conn, PART, ["interaction_pk", "stakeholder_pk"],
                     [(ipks[i.id], pks[p]) for i in items for p in i.participants])
        _insert_many(conn, IGROUPS, ["interaction_pk", "group_key"],
                     [(ipks[i.id], g) for i in items for g in i.groups])
        _insert_many(conn, ICOMM, ["interaction_pk", "commitment_id"],
                     [(ipks[i.id], c) for i in items for c in i.commitments])
        _note_write(s, "interactions", len(items) - len(existing), len(existing))
        return len(items) - len(existing), len(existing)

    def add_interaction(self, interaction: Interaction) -> None:
        """Log one interaction; its id must be new."""
        with self.write() as s:
            if s.scalar(select(INT.c.pk).where(INT.c.id == interaction.id)) is not None:
                raise InvalidInput(f"an interaction with id {interaction.id!r} already exists")
            self.save_interactions(s, [interaction])

    def next_interaction_id(self, day: dt.date) -> str:
        """A fresh id of the form ``K2026-0042``."""
        prefix = f"K{day.year}-"
        with self.read() as s:
            ids = s.scalars(select(INT.c.id).where(INT.c.id.like(f"{prefix}%"))).all()
        numbers = [int(i[len(prefix):]) for i in ids if i[len(prefix):].isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1:04d}"


_BIG = 5_000


def current_actor() -> str:
    """Who is working: ``INTERESSENT_USER`` if set, else the operating-system user."""
    named = os.environ.get(ACTOR_ENV, "").strip()
    if named:
        return named[:200]
    try:
        return getpass.getuser()[:200]
    except Exception:  # no user name in this environment (a bare container)
        return "unknown"


def _note_write(s: Session, table: str, added: int, updated: int) -> None:
    """Remember what a save wrote, for the audit entry of a write that names none."""
    changes = s.info.setdefault("interessent_changes", {})
    done = changes.setdefault(table, {"added": 0, "updated": 0})
    done["added"] += added
    done["updated"] += updated


def _audit_unlabelled(store: Store, s: Session) -> None:
    """Every write leaves an audit entry: a write path that recorded none of its own
    (drafting's ``--record``, the Store's own helpers) gets a plain ``write`` entry."""
    changes = s.info.get("interessent_changes")
    if changes and not s.info.get("interessent_audited"):
        store.audit(s, "write", "+".join(sorted(changes)), detail=changes)


def _id_map(s: Session, table: Any, ids: Iterable[str] | None) -> dict[str, int]:
    """Text id → pk for ``ids`` (all rows when None): IN lists for a few, one read for many."""
    query = select(table.c.id, table.c.pk)
    if ids is None:
        return {k: v for k, v in s.execute(query)}
    wanted = set(ids)
    if len(wanted) > _BIG:
        return {k: v for k, v in s.execute(query) if k in wanted}
    result: dict[str, int] = {}
    for chunk in _chunks(list(wanted), 500):
        result.update((k, v) for k, v in s.execute(query.where(table.c.id.in_(chunk))))
    return result


def _insert_many(conn: Any, table: Any, columns: Sequence[str],
                 rows: Sequence[Sequence[Any]]) -> None:
    """INSERT many rows. On SQLite straight through the driver's executemany (values
    already in storage form, see :func:`_db_value`); elsewhere through SQLAlchemy."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    quote = conn.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    conn.exec_driver_sql(sql, list(rows))


def _db_time(conn: Any, value: dt.datetime) -> Any:
    """A timestamp as the dialect stores it (SQLAlchemy's SQLite text form)."""
    if conn.dialect.name == "sqlite":
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _db_value(conn: Any, value: Any) -> Any:
    """A date as the dialect stores it; other values unchanged."""
    if conn.dialect.name == "sqlite" and isinstance(value, dt.date):
        return value.isoformat()
    return value


def _scalar(column: str, value: Any) -> Any:
    if column in ("kind", "language") and value is not None:
        return str(value)
    return value


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _grouped(s: Session, table: Any, key: Any, value: Any, pks: Sequence[int]) -> dict[
    int, list[str]
]:
    result: dict[int, list[str]] = {}
    if not pks:
        return result
    query = select(key, value).select_from(table).order_by(key, value)
    if len(pks) <= 500:
        rows: Iterable[Any] = s.execute(query.where(key.in_(list(pks))))
    else:  # reading a large share: one pass over the table beats many IN lists
        wanted = set(pks)
        rows = (r for r in s.execute(query) if r[0] in wanted)
    for k, v in rows:
        result.setdefault(k, []).append(v)
    return result


def _stakeholder_to_dict(s: Stakeholder) -> dict[str, Any]:
    return {
        "id": s.id, "name": s.name, "kind": s.kind.value, "email": s.email, "phone": s.phone,
        "address": s.address, "organisation": s.organisation, "roles": list(s.roles),
        "groups": list(s.groups), "influence": s.influence, "interest": s.interest,
        "language": s.language.value, "legal_basis": s.legal_basis, "tags": list(s.tags),
        "notes": s.notes, "opted_out": s.opted_out, "restricted": s.restricted,
    }


def _stakeholder_from_row(r: Any, lists: dict[str, dict[int, list[str]]]) -> Stakeholder:
    pk = r["pk"]
    return Stakeholder(
        id=r["id"], name=r["name"], kind=Kind(r["kind"]), email=r["email"], phone=r["phone"],
        address=r["address"], organisation=r["org_id"],
        roles=tuple(lists["roles"].get(pk, ())), groups=tuple(lists["groups"].get(pk, ())),
        influence=r["influence"], interest=r["interest"], language=Language(r["language"]),
        legal_basis=r["legal_basis"], tags=tuple(lists["tags"].get(pk, ())), notes=r["notes"],
        opted_out=bool(r["opted_out"]), restricted=bool(r["restricted"]),
    )
