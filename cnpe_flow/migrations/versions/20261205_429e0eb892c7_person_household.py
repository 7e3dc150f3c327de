"""person household

Revision ID: 429e0eb892c7
Revises: 0552d98447f3
Create Date: 2026-12-05 08:40:38.186343
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "429e0eb892c7"
down_revision = "0552d98447f3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The contract's ``person.household`` (issue 8): null = nothing known, so existing files
    # need no value.
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "household",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("household")
