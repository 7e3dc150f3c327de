"""release address, sender details, packet audience

Revision ID: b7c41e9d2a10
Revises: ada5ef03f1db
Create Date: 2026-12-05 12:50:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "b7c41e9d2a10"
down_revision = "ada5ef03f1db"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Issue 9. All nullable: an existing person has no release address yet (AFF-6 applies), an
    # existing user has not filled in their sender details, an existing packet is the full one.
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "release_address",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        # « Sorties récentes » reads the people released in the last 30 days
        batch_op.create_index(batch_op.f("ix_people_released_on"), ["released_on"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("full_name", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("service", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=30), nullable=True))
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audience", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.drop_column("audience")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("phone")
        batch_op.drop_column("service")
        batch_op.drop_column("full_name")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_released_on"))
        batch_op.drop_column("release_address")
