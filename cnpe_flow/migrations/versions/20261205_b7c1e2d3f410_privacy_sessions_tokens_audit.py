"""privacy: session generation, API token expiry and revocation, audit log protected

Issue 10. ``users.session_generation`` ends every session of an account at once;
``api_tokens.expires_at`` / ``revoked_at``. Tokens made before get an expiry one year after
their creation, like new ones.

Revision ID: b7c1e2d3f410
Revises: ada5ef03f1db
Create Date: 2026-12-05 12:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b7c1e2d3f410"
down_revision = "ada5ef03f1db"
branch_labels = None
depends_on = None


def _utc() -> sa.types.TypeEngine:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", _utc(), nullable=True))
        batch_op.add_column(sa.Column("revoked_at", _utc(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("UPDATE api_tokens SET expires_at = created_at + interval '365 days'")
    else:
        op.execute("UPDATE api_tokens SET expires_at = datetime(created_at, '+365 days')")


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
