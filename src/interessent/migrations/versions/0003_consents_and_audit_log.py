"""Consent and legal-basis history, the audit log, and the erasure mark on stakeholders.

GDPR: each stakeholder's legal basis (consent or another basis of art. 6) is kept with
where it came from and when it was given, expires or was withdrawn; every change to the
register leaves an audit entry that refers to people only by their integer key; an
erased person's row stays (anonymised, so counts still add up) with the time of erasure.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stakeholders") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
    op.create_table(
        "consents",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("stakeholder_pk", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(100), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("given", sa.Date(), nullable=False),
        sa.Column("expires", sa.Date(), nullable=True),
        sa.Column("withdrawn", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["stakeholder_pk"], ["stakeholders.pk"],
            name=op.f("fk_consents_stakeholder_pk_stakeholders"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_consents")),
    )
    op.create_index(op.f("ix_consents_stakeholder_pk"), "consents", ["stakeholder_pk"])
    op.create_table(
        "audit_log",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("subject_kind", sa.String(50), nullable=False),
        sa.Column("subject_pk", sa.Integer(), nullable=True),
        sa.Column("subject_ref", sa.String(200), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index(op.f("ix_audit_log_subject_pk"), "audit_log", ["subject_pk"])


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_log_subject_pk"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_consents_stakeholder_pk"), table_name="consents")
    op.drop_table("consents")
    with op.batch_alter_table("stakeholders") as batch:
        batch.drop_column("erased_at")
