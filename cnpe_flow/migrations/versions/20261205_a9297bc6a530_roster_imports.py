"""roster imports: who imported which file; which import recorded each event

Revision ID: a9297bc6a530
Revises: b7c1e2d3f410
Create Date: 2026-12-05 12:34:24.191889
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import cnpe_flow.db

revision = "a9297bc6a530"
down_revision = "b7c1e2d3f410"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Issue 11: events keep the import that made them (null for the forms and the API).
    op.create_table(
        "roster_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imported_at", cnpe_flow.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("modified", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_roster_imports_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_imports")),
    )
    with op.batch_alter_table("roster_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roster_imports_actor_id"), ["actor_id"], unique=False)

    with op.batch_alter_table("custody_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_custody_events_import_id"), ["import_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_custody_events_import_id_roster_imports"),
            "roster_imports",
            ["import_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("custody_events", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_custody_events_import_id_roster_imports"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_custody_events_import_id"))
        batch_op.drop_column("import_id")

    with op.batch_alter_table("roster_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_imports_actor_id"))

    op.drop_table("roster_imports")
