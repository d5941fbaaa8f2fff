"""Alembic migrations for the interessent schema, shipped inside the package.

:func:`upgrade` runs them programmatically on an engine, so no ``alembic.ini`` is needed.
Developers add a migration with ``alembic -c src/interessent/migrations/alembic.ini
revision -m "…"`` and bump :data:`interessent.store.SCHEMA_HEAD`.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

HERE = Path(__file__).parent


def config() -> object:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` in one transaction."""
    from alembic import command
    from alembic.config import Config

    cfg = config()
    assert isinstance(cfg, Config)
    with engine.connect() as conn:
        conn = conn.execution_options(interessent_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                # Two people opening a new register at once: the second waits here, then
                # finds the schema made (on SQLite, BEGIN IMMEDIATE does the same).
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7345201)")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)


def head() -> str:
    """Alembic's head revision, read from the scripts."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = config()
    assert isinstance(cfg, Config)
    found = ScriptDirectory.from_config(cfg).get_current_head()
    assert found is not None
    return found
