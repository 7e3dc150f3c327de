"""users.organisation: a partner's organisation name

Revision ID: c3d4e5f6a7b8
Revises: a9297bc6a530
Create Date: 2026-12-05 18:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c3d4e5f6a7b8"
down_revision = "a9297bc6a530"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Issue 12: nullable, existing accounts keep showing their login until it is filled in.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("organisation")
