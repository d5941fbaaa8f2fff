"""The database: SQLAlchemy 2 typed tables, sessions and migrations.

Integer surrogate keys (``pk``) inside, stable text ids (``id``) outside. SQLite by
default (WAL, a busy timeout, writes that begin IMMEDIATE); any SQLAlchemy URL works,
PostgreSQL for teams. The schema is kept by the Alembic migrations shipped in
``interessent/migrations``; opening an older database upgrades it.

Rows are not domain objects: :meth:`Store.stakeholders` and friends convert at this
boundary, and bulk paths (imports) use Core statements, never one ORM object a row.

>>> with Store("sqlite:///:memory:") as store:
...     store.counts()
{'stakeholders': 0, 'relationships': 0, 'interactions': 0}

What lives where (each module depends only on those above it):

- :mod:`.schema` — the typed tables, their Core names (``ST``, ``REL``, ``INT``, ``PART``,
  ``ROLES``, ``GROUPS``, ``TAGS``, ``IGROUPS``, ``ICOMM``, ``CONSENTS``, ``AUDIT``,
  ``STATE``, ``RANKS``; from 0008 ``IMESSAGES``, ``CONCERNS``, ``CONCERN_PEOPLE``,
  ``STANCES``, ``TASKS``, ``CLEARANCES``), :data:`SCHEMA_HEAD` and the store's clock
  :func:`~.schema.utc_now`.
- :mod:`.dberrors` — a database's refusal as one clear ``StoreError`` / ``StoreBusy``;
  URLs with the password hidden.
- :mod:`.connection` — the engine (opened from a URL, or one made elsewhere prepared):
  SQLite pragmas, WAL, busy timeout, BEGIN IMMEDIATE, one connection for a database in
  memory, PostgreSQL's lock timeout and the per-table turns of writers that choose ids
  (:func:`~.connection.take_turn`); the migrations run on open; SQLite URLs from paths
  (:func:`~.connection.sqlite_url`).
- :mod:`.queries` — reads that return domain values (stakeholders, relationships,
  interactions), ids found in any case or Unicode form (:func:`~.queries.resolve_ids`),
  id → pk maps and IN-list :func:`~.queries.chunks`; ``stored_interactions`` is
  :func:`~.queries.interactions`, read in the caller's session.
- :mod:`.audit` — the audit log: who is working (the store's actor, else the
  operating-system user: :func:`~.audit.current_actor`), one entry, and the entry a
  write leaves when it records none of its own.
- :mod:`.rules` — the SQL forms of the business rules in :mod:`interessent.rules`
  (ties active in time, the programme's own people, group membership, parties).
- :mod:`.writes` — bulk upserts and :func:`~.writes.insert_many`, the driver's
  ``executemany`` on SQLite.
- :mod:`.cache` — the change counter every write transaction bumps, and results (the
  opinion-leader rankings) kept in the database while it is unchanged; every write drops
  them.
- :mod:`.database` — the :class:`Store` class: sessions, backup, secure deletion,
  compaction, the change counter and kept results, and the methods that call
  :mod:`.queries` and :mod:`.writes`.

Other interessent modules import what this ``__init__`` lists in ``__all__``; the rest of
the package is its own business.
"""

from __future__ import annotations

from .audit import check_actor, current_actor
from .connection import BUSY_TIMEOUT_MS, sqlite_url
from .database import Store
from .queries import chunks, interaction_numbers, last_interaction_number, resolve_ids
from .queries import interactions as stored_interactions
from .schema import (
    AUDIT,
    CLEARANCES,
    CONCERN_PEOPLE,
    CONCERNS,
    CONSENTS,
    GROUPS,
    ICOMM,
    IGROUPS,
    IMESSAGES,
    INT,
    PART,
    REL,
    ROLES,
    SCHEMA_HEAD,
    ST,
    STANCES,
    TAGS,
    TASKS,
    Base,
    utc_now,
)

__all__ = [
    "AUDIT",
    "BUSY_TIMEOUT_MS",
    "CLEARANCES",
    "CONCERNS",
    "CONCERN_PEOPLE",
    "CONSENTS",
    "GROUPS",
    "ICOMM",
    "IGROUPS",
    "IMESSAGES",
    "INT",
    "PART",
    "REL",
    "ROLES",
    "SCHEMA_HEAD",
    "ST",
    "STANCES",
    "TAGS",
    "TASKS",
    "Base",
    "Store",
    "chunks",
    "check_actor",
    "current_actor",
    "interaction_numbers",
    "last_interaction_number",
    "resolve_ids",
    "sqlite_url",
    "stored_interactions",
    "utc_now",
]

# old name, kept until callers move
_chunks = chunks
# old name, kept until callers move
_now = utc_now
