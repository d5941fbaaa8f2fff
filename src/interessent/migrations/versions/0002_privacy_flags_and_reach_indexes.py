"""Opt-out and restriction flags on stakeholders; indexes that coverage queries need.

Drafting must skip stakeholders who opted out or whose data is restricted, and coverage
reads interactions by date and participants by stakeholder.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stakeholders") as batch:
        batch.add_column(
            sa.Column("opted_out", sa.Boolean(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("restricted", sa.Boolean(), nullable=False, server_default="0")
        )
    op.create_index(op.f("ix_interactions_date"), "interactions", ["date"])
    op.create_index(
        op.f("ix_interaction_participants_stakeholder_pk"),
        "interaction_participants", ["stakeholder_pk"],
    )
    op.create_index(
        op.f("ix_interaction_commitments_commitment_id"),
        "interaction_commitments", ["commitment_id"],
    )
    op.create_index("ix_relationships_source_kind", "relationships", ["source_pk", "kind"])


def downgrade() -> None:
    op.drop_index("ix_relationships_source_kind", table_name="relationships")
    op.drop_index(op.f("ix_interaction_commitments_commitment_id"),
                  table_name="interaction_commitments")
    op.drop_index(op.f("ix_interaction_participants_stakeholder_pk"),
                  table_name="interaction_participants")
    op.drop_index(op.f("ix_interactions_date"), table_name="interactions")
    with op.batch_alter_table("stakeholders") as batch:
        batch.drop_column("restricted")
        batch.drop_column("opted_out")
