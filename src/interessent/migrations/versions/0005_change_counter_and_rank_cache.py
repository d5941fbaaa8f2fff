"""The change counter and the stored rankings.

Every write transaction bumps ``store_state.change_counter`` (one row), so a result
computed from the data can tell, in any process, whether the data changed since; the
opinion-leader rankings are kept in ``rank_cache`` under the counter they were computed
at, and every write deletes them (an erased person leaves nothing cached behind).

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        "store_state",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("change_counter", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_store_state")),
    )
    op.bulk_insert(state, [{"pk": 1, "change_counter": 0}])
    op.create_table(
        "rank_cache",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(500), nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_rank_cache")),
        sa.UniqueConstraint("key", "counter", name=op.f("uq_rank_cache_key")),
    )


def downgrade() -> None:
    op.drop_table("rank_cache")
    op.drop_table("store_state")
