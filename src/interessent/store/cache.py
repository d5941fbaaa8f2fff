"""The change counter, and results kept in the database while the data is unchanged.

``store_state.change_counter`` (one row) goes up by one in every write transaction
(:func:`note_change`, called by :meth:`~interessent.store.Store.write` as its last step),
so any process can tell whether the data changed since it looked: SQLite's
``PRAGMA data_version`` cannot, being per connection. A result computed from the data is
kept in ``rank_cache`` under a key and the counter it was computed at
(:func:`keep`) and read back while the counter is unchanged (:func:`cached_in`);
:class:`~interessent.store.Store` offers both as methods. What is kept today
(:mod:`interessent.graph.leaders`): the days on which ties start or end, the network with
its centralities for a span of days with the same ties, and the top of each ranking.

Every write deletes every kept result in its own transaction, so nothing computed about
a person outlives a change to the register — an erasure included. To keep that true, a
result is kept only if the counter is still the one read before computing it (read
:meth:`~interessent.store.Store.change_counter` first, then the data): one computed while
a write committed is dropped. Keeping is best effort: a database that is busy, read-only
or refuses the write keeps nothing, and the next command computes again.

A change made outside interessent (a SQL tool) does not move the counter; any write
through interessent, or deleting the ``rank_cache`` rows, makes the results be computed
again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .schema import RANKS, STATE

__all__ = ["KEEP_WAIT_MS", "cached_in", "current_counter", "keep", "note_change"]

#: How long keeping a result waits for another writer, in milliseconds, before giving up.
KEEP_WAIT_MS = 200


def current_counter(s: Session) -> int | None:
    """The change counter as the caller's transaction sees it (None: no counter row)."""
    value = s.scalar(select(STATE.c.change_counter).where(STATE.c.pk == 1))
    return None if value is None else int(value)


def note_change(s: Session) -> None:
    """The last step of a write transaction: bump the counter, drop every kept result."""
    bumped = s.execute(update(STATE).where(STATE.c.pk == 1)
                       .values(change_counter=STATE.c.change_counter + 1)
                       .returning(STATE.c.pk)).first()
    if bumped is None:  # the row was removed by hand
        s.execute(insert(STATE).values(pk=1, change_counter=1))
    s.execute(delete(RANKS))


def cached_in(s: Session, key: str, counter: int) -> bytes | None:
    """The result kept under ``key`` at ``counter``, or None."""
    data = s.scalar(select(RANKS.c.data).where(RANKS.c.key == key, RANKS.c.counter == counter))
    return None if data is None else bytes(data)


def keep(engine: Engine, key: str, counter: int, data: bytes) -> bool | None:
    """Keep ``data`` under ``key`` if the counter is still ``counter``: True when kept,
    False when the data changed since, None when the database would not take it (busy,
    read-only, refused). Never raises for those."""
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as conn:
            driver: Any = conn.connection.driver_connection
            waited = None
            if sqlite:
                # Wait for another writer only briefly: this is a cache, not the register.
                waited = driver.execute("PRAGMA busy_timeout").fetchone()[0]
                driver.execute(f"PRAGMA busy_timeout = {KEEP_WAIT_MS}")
            try:
                conn = conn.execution_options(interessent_write=True)
                with conn.begin():
                    if not sqlite:
                        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {KEEP_WAIT_MS}")
                    # FOR UPDATE: a writer that bumped the counter and has not committed
                    # yet makes this wait, then see the new value.
                    now = conn.scalar(select(STATE.c.change_counter)
                                      .where(STATE.c.pk == 1).with_for_update())
                    if now is None or int(now) != counter:
                        return False
                    conn.execute(delete(RANKS).where(
                        (RANKS.c.counter != counter) | (RANKS.c.key == key)))
                    conn.execute(insert(RANKS).values(key=key, counter=counter, data=data))
            finally:
                if waited is not None:
                    driver.execute(f"PRAGMA busy_timeout = {int(waited)}")
    except SQLAlchemyError:
        return None
    return True
