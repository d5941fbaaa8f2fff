"""Alembic environment: runs on the connection interessent hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from interessent.store import Base

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # the alembic command line, for developers writing migrations
    url = config.get_main_option("sqlalchemy.url") or "sqlite:///interessent-dev.db"
    with create_engine(url).begin() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(
        connection=connection, target_metadata=Base.metadata, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()
