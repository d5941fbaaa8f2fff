"""The store against real databases (a SQLite file, or PostgreSQL with ``--backend
postgresql``): schema, migrations, transactions; SQLite's locking and pragmas."""

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from interessent import (
    Interaction,
    NotFound,
    Relationship,
    Stakeholder,
    StoreBusy,
    StoreError,
    migrations,
)
from interessent.store import SCHEMA_HEAD, Base, Store


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.close()


def people() -> list[Stakeholder]:
    return [
        Stakeholder("osen-sjomat", "Osen Sjømat AS", kind="organisation",
                    groups=("naeringslivet",)),
        Stakeholder("kari-aune", "Kari Aune", organisation="osen-sjomat", roles=("daglig_leder",),
                    groups=("naeringslivet", "befolkningen"), influence=4, tags=("lokal",)),
    ]


def test_schema_head_is_alembics_head() -> None:
    assert migrations.head() == SCHEMA_HEAD


def test_migrations_build_exactly_the_orm_schema(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


@pytest.mark.sqlite_only
def test_a_database_made_at_the_first_migration_opens_and_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    migrations.upgrade(engine, "0001")
    engine.dispose()
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        raw.execute(
            "INSERT INTO stakeholders (id, name, kind, language, created_at, updated_at) "
            "VALUES ('ola', 'Ola Nordmann', 'person', 'nn', '2026-01-01', '2026-01-01')"
        )
        columns = [r[1] for r in raw.execute("PRAGMA table_info(stakeholders)")]
        assert "opted_out" not in columns
    raw.close()

    with Store.for_path(path) as store:
        assert store.revision() == SCHEMA_HEAD
        [ola] = store.stakeholders()
    assert (ola.id, ola.name, ola.language.value, ola.opted_out) == ("ola", "Ola Nordmann", "nn",
                                                                     False)


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_save_and_read_back(store: Store) -> None:
    with store.write() as s:
        assert store._save_stakeholders(s, people()) == (2, 0)
    assert store.stakeholders() == sorted(people(), key=lambda p: p.id)
    assert store.stakeholder("kari-aune").organisation == "osen-sjomat"
    with pytest.raises(NotFound):
        store.stakeholder("nobody")


def test_a_failed_write_leaves_nothing(store: Store) -> None:
    with store.write() as s:
        store._save_stakeholders(s, people())
    before = store.stakeholders()
    with pytest.raises(RuntimeError), store.write() as s:
        store._save_stakeholders(s, [Stakeholder("per", "Per Berg")])
        raise RuntimeError("boom")
    assert store.stakeholders() == before


def test_update_replaces_only_given_columns(store: Store) -> None:
    with store.write() as s:
        store._save_stakeholders(s, people())
    with store.write() as s:
        added, updated = store._save_stakeholders(
            s, [{"id": "kari-aune", "email": "kari@example.no", "groups": ["befolkningen"]}],
            columns=["email", "groups"],
        )
    assert (added, updated) == (0, 1)
    kari = store.stakeholder("kari-aune")
    assert kari.email == "kari@example.no"
    assert kari.groups == ("befolkningen",)
    assert kari.roles == ("daglig_leder",) and kari.influence == 4  # untouched


def test_relationships_and_interactions_round_trip(store: Store) -> None:
    with store.write() as s:
        store._save_stakeholders(s, people())
        store._save_relationships(s, [Relationship("kari-aune", "osen-sjomat", "works_for", 0.9,
                                                  start=dt.date(2020, 1, 1))])
    meeting = Interaction("K2026-0001", dt.date(2026, 3, 5), "meeting", channel="direkte",
                          participants=("kari-aune",), groups=("naeringslivet",),
                          commitments=("B5",), host="osen-sjomat", success=True, topic="Dialog")
    store._add_interaction(meeting)
    assert store.relationships()[0].strength == 0.9
    assert store.interactions() == [meeting]
    assert store.interactions(stakeholder="osen-sjomat") == [meeting]  # as host
    assert store.next_interaction_id(dt.date(2026, 4, 1)) == "K2026-0002"
    with pytest.raises(NotFound, match="unknown stakeholder 'nobody'"), store.write() as s:
        store._save_relationships(s, [Relationship("nobody", "kari-aune", "knows")])


@pytest.mark.sqlite_only
def test_a_second_writer_waits_then_gets_a_clear_busy_error(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    with Store.for_path(path) as first, Store.for_path(path, busy_timeout_ms=200) as second:
        holding = threading.Event()
        release = threading.Event()

        def hold() -> None:
            with first.write() as s:
                first._save_stakeholders(s, [Stakeholder("a", "A")])
                holding.set()
                release.wait(5)

        thread = threading.Thread(target=hold)
        thread.start()
        try:
            assert holding.wait(5)
            with pytest.raises(StoreBusy, match="busy"), second.write() as s:
                second._save_stakeholders(s, [Stakeholder("b", "B")])
        finally:
            release.set()
            thread.join()
        assert [p.id for p in second.stakeholders()] == ["a"]


@pytest.mark.sqlite_only
def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="damaged or not a database"):
        Store.for_path(path)
