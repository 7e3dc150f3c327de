"""privacy: session generation, API token expiry and revocation, audit log protected

Issue 10. ``users.session_generation`` ends every session of an account at once;
``api_tokens.expires_at`` / ``revoked_at``. Tokens made before get an expiry one year after
their creation, like new ones.

The audit log becomes append-only in the database itself: triggers refuse every ``DELETE``
(and ``TRUNCATE`` on PostgreSQL) and every ``UPDATE`` but one shape, the retention purge's
pseudonymisation of the entries about a purged person: ``person_id`` goes from the person's id
to NULL and ``details`` becomes exactly ``{"purged_person_id": <that id>}``, nothing else
changes, and a ``PERSON_PURGED`` entry (code 45) for that id must already be in the log. Only
the owner of the table can drop or disable the triggers: run the application with a database
role that does not own its tables for that protection to hold against the application's own
credentials.

Revision ID: b7c1e2d3f410
Revises: b7c41e9d2a10
Create Date: 2026-12-05 12:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b7c1e2d3f410"
down_revision = "b7c41e9d2a10"
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

    if bind.dialect.name == "postgresql":
        for statement in _POSTGRESQL_TRIGGERS:
            op.execute(statement)
    else:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)


#: the code of ``PERSON_PURGED`` in ``cnpe_flow.audit.models`` (stable, never reused)
_PURGED = 45

#: columns that no UPDATE may change (person_id and details change only as described above)
_KEPT = ("id", "occurred_at", "actor_id", "event_type", "route", "remote_addr")

_SQLITE_TRIGGERS = (
    f"""
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN NOT (
        OLD.person_id IS NOT NULL AND NEW.person_id IS NULL
        AND {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in _KEPT)}
        AND json_valid(NEW.details)
        AND json_extract(NEW.details, '$.purged_person_id') = OLD.person_id
        AND (SELECT count(*) FROM json_each(NEW.details)) = 1
        AND EXISTS (
            SELECT 1 FROM audit_log AS purged
            WHERE purged.event_type = {_PURGED}
            AND json_extract(purged.details, '$.person_id') = OLD.person_id
        )
    )
    BEGIN
        SELECT RAISE(ABORT, 'audit_log : journal en ajout seul, modification refusée');
    END
    """,
    """
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN
        SELECT RAISE(ABORT, 'audit_log : journal en ajout seul, suppression refusée');
    END
    """,
)

_POSTGRESQL_TRIGGERS = (
    f"""
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF OLD.person_id IS NOT NULL AND NEW.person_id IS NULL
                AND {" AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _KEPT)}
                AND NEW.details = jsonb_build_object('purged_person_id', OLD.person_id)
                AND EXISTS (
                    SELECT 1 FROM audit_log AS purged
                    WHERE purged.event_type = {_PURGED}
                    AND purged.details ->> 'person_id' = OLD.person_id::text
                )
            THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION 'audit_log : journal en ajout seul, % refusé', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
    """,
    """
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()
    """,
)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER audit_log_no_delete")
        op.execute("DROP TRIGGER audit_log_no_update")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
