"""The first schema: stakeholders, relationships, interactions.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stakeholders",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone", sa.String(50), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("organisation_pk", sa.Integer(), nullable=True),
        sa.Column("influence", sa.Integer(), nullable=True),
        sa.Column("interest", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("legal_basis", sa.String(200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_pk"], ["stakeholders.pk"],
            name=op.f("fk_stakeholders_organisation_pk_stakeholders"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_stakeholders")),
        sa.UniqueConstraint("id", name=op.f("uq_stakeholders_id")),
    )
    op.create_index(op.f("ix_stakeholders_organisation_pk"), "stakeholders", ["organisation_pk"])
    for table, column, length in (
        ("stakeholder_roles", "role", 100),
        ("stakeholder_groups", "group_key", 100),
        ("stakeholder_tags", "tag", 100),
    ):
        op.create_table(
            table,
            sa.Column("stakeholder_pk", sa.Integer(), nullable=False),
            sa.Column(column, sa.String(length), nullable=False),
            sa.ForeignKeyConstraint(
                ["stakeholder_pk"], ["stakeholders.pk"],
                name=op.f(f"fk_{table}_stakeholder_pk_stakeholders"), ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("stakeholder_pk", column, name=op.f(f"pk_{table}")),
        )
    op.create_index(op.f("ix_stakeholder_groups_group_key"), "stakeholder_groups", ["group_key"])
    op.create_table(
        "relationships",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("source_pk", sa.Integer(), nullable=False),
        sa.Column("target_pk", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("strength", sa.Float(), nullable=False),
        sa.Column("directed", sa.Boolean(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_pk"], ["stakeholders.pk"],
            name=op.f("fk_relationships_source_pk_stakeholders"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_pk"], ["stakeholders.pk"],
            name=op.f("fk_relationships_target_pk_stakeholders"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_relationships")),
        sa.UniqueConstraint("source_pk", "target_pk", "kind",
                            name=op.f("uq_relationships_source_pk")),
    )
    op.create_index(op.f("ix_relationships_target_pk"), "relationships", ["target_pk"])
    op.create_table(
        "interactions",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("channel", sa.String(100), nullable=True),
        sa.Column("topic", sa.Text(), nullable=True),
        sa.Column("host_pk", sa.Integer(), nullable=True),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["host_pk"], ["stakeholders.pk"],
            name=op.f("fk_interactions_host_pk_stakeholders"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_interactions")),
        sa.UniqueConstraint("id", name=op.f("uq_interactions_id")),
    )
    op.create_table(
        "interaction_participants",
        sa.Column("interaction_pk", sa.Integer(), nullable=False),
        sa.Column("stakeholder_pk", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_pk"], ["interactions.pk"],
            name=op.f("fk_interaction_participants_interaction_pk_interactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_pk"], ["stakeholders.pk"],
            name=op.f("fk_interaction_participants_stakeholder_pk_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_pk", "stakeholder_pk",
                                name=op.f("pk_interaction_participants")),
    )
    op.create_table(
        "interaction_groups",
        sa.Column("interaction_pk", sa.Integer(), nullable=False),
        sa.Column("group_key", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_pk"], ["interactions.pk"],
            name=op.f("fk_interaction_groups_interaction_pk_interactions"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_pk", "group_key", name=op.f("pk_interaction_groups")),
    )
    op.create_table(
        "interaction_commitments",
        sa.Column("interaction_pk", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_pk"], ["interactions.pk"],
            name=op.f("fk_interaction_commitments_interaction_pk_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_pk", "commitment_id",
                                name=op.f("pk_interaction_commitments")),
    )


def downgrade() -> None:
    for table in (
        "interaction_commitments", "interaction_groups", "interaction_participants",
        "interactions", "relationships", "stakeholder_tags", "stakeholder_groups",
        "stakeholder_roles", "stakeholders",
    ):
        op.drop_table(table)
