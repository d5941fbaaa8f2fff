"""Indexes that a commitment's members' contacts are read through.

A per-member or leaders commitment looks up each member's party's participations and the
contacts they hosted: participants by stakeholder with the interaction in the index (no
lookup of the row for each participation; it replaces the index on the stakeholder
alone), and interactions by host (a partial index: most interactions have none); the
contacts of the kinds a commitment counts, by kind and date.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_interaction_participants_stakeholder_interaction", "interaction_participants",
        ["stakeholder_pk", "interaction_pk"],
    )
    op.drop_index(op.f("ix_interaction_participants_stakeholder_pk"),
                  table_name="interaction_participants")
    op.create_index(
        "ix_interactions_host_pk", "interactions", ["host_pk"],
        sqlite_where=sa.text("host_pk IS NOT NULL"),
        postgresql_where=sa.text("host_pk IS NOT NULL"),
    )
    op.create_index("ix_interactions_kind_date", "interactions", ["kind", "date"])


def downgrade() -> None:
    op.drop_index("ix_interactions_kind_date", table_name="interactions")
    op.drop_index("ix_interactions_host_pk", table_name="interactions")
    op.create_index(
        op.f("ix_interaction_participants_stakeholder_pk"),
        "interaction_participants", ["stakeholder_pk"],
    )
    op.drop_index("ix_interaction_participants_stakeholder_interaction",
                  table_name="interaction_participants")
