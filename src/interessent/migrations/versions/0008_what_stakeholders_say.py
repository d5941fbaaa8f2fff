"""What stakeholders say and what follows: sentiment, articles, concerns, stance, tasks.

- interactions: ``sentiment`` (how a contact went), ``outlet_pk``, ``tone`` and
  ``story_pk`` (an article: who published it, its tone, the success story it tells), and
  ``source_key`` (a hashed calendar UID and occurrence or Message-ID: importing the same
  source again adds nothing);
- ``interaction_messages``: the plan's key messages an article carried;
- ``concerns`` and ``concern_people``: what stakeholders raise (innspill), and who;
- ``stances``: a stakeholder's stance on the programme, as history;
- ``tasks``: follow-up tasks, by role or person, with a due day;
- ``clearances``: who cleared a letter, and when.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interactions") as batch:
        batch.add_column(sa.Column("sentiment", sa.String(20), nullable=True))
        batch.add_column(sa.Column("outlet_pk", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("tone", sa.String(20), nullable=True))
        batch.add_column(sa.Column("story_pk", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("source_key", sa.String(64), nullable=True))
        batch.create_foreign_key("fk_interactions_outlet_pk_stakeholders", "stakeholders",
                                 ["outlet_pk"], ["pk"], ondelete="SET NULL")
        batch.create_foreign_key("fk_interactions_story_pk_interactions", "interactions",
                                 ["story_pk"], ["pk"], ondelete="SET NULL")
        batch.create_unique_constraint("uq_interactions_source_key", ["source_key"])
        batch.create_index("ix_interactions_outlet_pk", ["outlet_pk"])
        batch.create_index("ix_interactions_story_pk", ["story_pk"])

    op.create_table(
        "interaction_messages",
        sa.Column("interaction_pk", sa.Integer(), nullable=False),
        sa.Column("message_key", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(["interaction_pk"], ["interactions.pk"], ondelete="CASCADE",
                                name="fk_interaction_messages_interaction_pk_interactions"),
        sa.PrimaryKeyConstraint("interaction_pk", "message_key",
                                name="pk_interaction_messages"),
    )
    op.create_index("ix_interaction_messages_message_key", "interaction_messages",
                    ["message_key"])

    op.create_table(
        "concerns",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("interaction_pk", sa.Integer(), nullable=True),
        sa.Column("group_key", sa.String(100), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["interaction_pk"], ["interactions.pk"], ondelete="SET NULL",
                                name="fk_concerns_interaction_pk_interactions"),
        sa.PrimaryKeyConstraint("pk", name="pk_concerns"),
        sa.UniqueConstraint("id", name="uq_concerns_id"),
    )
    op.create_index("ix_concerns_raised_on", "concerns", ["raised_on"])
    op.create_index("ix_concerns_interaction_pk", "concerns", ["interaction_pk"])

    op.create_table(
        "concern_people",
        sa.Column("concern_pk", sa.Integer(), nullable=False),
        sa.Column("stakeholder_pk", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["concern_pk"], ["concerns.pk"], ondelete="CASCADE",
                                name="fk_concern_people_concern_pk_concerns"),
        sa.ForeignKeyConstraint(["stakeholder_pk"], ["stakeholders.pk"], ondelete="CASCADE",
                                name="fk_concern_people_stakeholder_pk_stakeholders"),
        sa.PrimaryKeyConstraint("concern_pk", "stakeholder_pk", name="pk_concern_people"),
    )
    op.create_index("ix_concern_people_stakeholder_pk", "concern_people", ["stakeholder_pk"])

    op.create_table(
        "stances",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("stakeholder_pk", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(20), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(["stakeholder_pk"], ["stakeholders.pk"], ondelete="CASCADE",
                                name="fk_stances_stakeholder_pk_stakeholders"),
        sa.PrimaryKeyConstraint("pk", name="pk_stances"),
    )
    op.create_index("ix_stances_stakeholder_pk", "stances", ["stakeholder_pk"])

    op.create_table(
        "tasks",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner_role", sa.String(100), nullable=True),
        sa.Column("owner_pk", sa.Integer(), nullable=True),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("stakeholder_pk", sa.Integer(), nullable=True),
        sa.Column("commitment_id", sa.String(100), nullable=True),
        sa.Column("event", sa.String(100), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("interaction_pk", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_pk"], ["stakeholders.pk"], ondelete="SET NULL",
                                name="fk_tasks_owner_pk_stakeholders"),
        sa.ForeignKeyConstraint(["stakeholder_pk"], ["stakeholders.pk"], ondelete="SET NULL",
                                name="fk_tasks_stakeholder_pk_stakeholders"),
        sa.ForeignKeyConstraint(["interaction_pk"], ["interactions.pk"], ondelete="SET NULL",
                                name="fk_tasks_interaction_pk_interactions"),
        sa.PrimaryKeyConstraint("pk", name="pk_tasks"),
        sa.UniqueConstraint("id", name="uq_tasks_id"),
    )
    op.create_index("ix_tasks_due", "tasks", ["due"])
    op.create_index("ix_tasks_owner_pk", "tasks", ["owner_pk"])
    op.create_index("ix_tasks_stakeholder_pk", "tasks", ["stakeholder_pk"])

    op.create_table(
        "clearances",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("template", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(100), nullable=True),
        sa.Column("signer_role", sa.String(100), nullable=False),
        sa.Column("signer_pk", sa.Integer(), nullable=True),
        sa.Column("cleared_by_role", sa.String(100), nullable=False),
        sa.Column("cleared_by_pk", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(["signer_pk"], ["stakeholders.pk"], ondelete="SET NULL",
                                name="fk_clearances_signer_pk_stakeholders"),
        sa.ForeignKeyConstraint(["cleared_by_pk"], ["stakeholders.pk"], ondelete="SET NULL",
                                name="fk_clearances_cleared_by_pk_stakeholders"),
        sa.PrimaryKeyConstraint("pk", name="pk_clearances"),
    )
    op.create_index("ix_clearances_at", "clearances", ["at"])


def downgrade() -> None:
    op.drop_table("clearances")
    op.drop_table("tasks")
    op.drop_table("stances")
    op.drop_table("concern_people")
    op.drop_table("concerns")
    op.drop_table("interaction_messages")
    with op.batch_alter_table("interactions") as batch:
        batch.drop_index("ix_interactions_story_pk")
        batch.drop_index("ix_interactions_outlet_pk")
        batch.drop_constraint("uq_interactions_source_key", type_="unique")
        batch.drop_constraint("fk_interactions_story_pk_interactions", type_="foreignkey")
        batch.drop_constraint("fk_interactions_outlet_pk_stakeholders", type_="foreignkey")
        batch.drop_column("source_key")
        batch.drop_column("story_pk")
        batch.drop_column("tone")
        batch.drop_column("outlet_pk")
        batch.drop_column("sentiment")
