"""A stakeholder's first name: what letters call a person («Hei Per Olav»).

Without it (NULL, as every stakeholder registered before this revision) a letter calls a
person by every name but the last.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stakeholders", sa.Column("first_name", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stakeholders") as batch:
        batch.drop_column("first_name")
