"""Ids unique regardless of case and Unicode form: an ``id_key`` column with a unique index
on stakeholders and interactions.

``Kari-Nordmann`` and ``kari-nordmann``, or an ``åse`` typed with a combining ring and
one typed as one character, looked like two records. The key is the id's canonical
caseless form (:func:`interessent.rules.id_key`, copied below as it was when this
migration was written, so that the migration never changes). Ids keep their spelling;
those stored in another Unicode form than NFC are brought to NFC, which looks the same,
and so are stakeholders' names.

A database may already hold look-alikes. The migration never fails on them and merges
nothing: the oldest record (lowest ``pk``) of each look-alike set gets the key, the others
keep their id as it is and a NULL key (the unique index allows any number of NULLs), and
are still found by their exact id. ``interessent plan check`` names them so that a person
can decide.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_TABLES = ("stakeholders", "interactions")


def _key(id: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", id).casefold())


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def upgrade() -> None:
    conn = op.get_bind()
    for table in _TABLES:
        op.add_column(table, sa.Column("id_key", sa.String(800), nullable=True))
        named = table == "stakeholders"
        rows = sa.table(table, sa.column("pk", sa.Integer()), sa.column("id", sa.String()),
                        sa.column("id_key", sa.String()), sa.column("name", sa.String()))
        found = conn.execute(sa.select(rows.c.pk, rows.c.id, *([rows.c.name] if named else []))
                             .order_by(rows.c.pk)).all()
        ids = {r[1] for r in found}
        seen: set[str] = set()
        changes: list[dict[str, object]] = []
        for row in found:
            pk, id_ = row[0], row[1]
            key = _key(id_)
            if key in seen:  # a later look-alike: its id and a NULL key, as they are
                continue
            seen.add(key)
            new_id = _nfc(id_) if _nfc(id_) not in ids else id_
            changes.append({"b_pk": pk, "v_id": new_id, "v_key": key,
                            **({"v_name": _nfc(row[2])} if named else {})})
        values: dict[str, object] = {"id": sa.bindparam("v_id"), "id_key": sa.bindparam("v_key")}
        if named:
            values["name"] = sa.bindparam("v_name")
        if changes:
            conn.execute(rows.update().where(rows.c.pk == sa.bindparam("b_pk")).values(values),
                         changes)
        op.create_index(op.f(f"ix_{table}_id_key"), table, ["id_key"], unique=True)


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.drop_index(op.f(f"ix_{table}_id_key"), table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("id_key")
