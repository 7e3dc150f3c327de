"""ij steps are medical

Contract v2: the step to resume IJ reveals sick leave, so it is medical and the USMP's. Tasks
stored before say otherwise (non-medical, the SPIP's); the engine's re-evaluation corrects a
file only when it changes, so the stored rows are corrected here, with the in-app texts of
their notifications. Data only: no schema change.

Revision ID: ada5ef03f1db
Revises: 429e0eb892c7
Create Date: 2026-12-05 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "ada5ef03f1db"
down_revision = "429e0eb892c7"
branch_labels = None
depends_on = None

_LABEL = "Demander la reprise des indemnités journalières à la nouvelle caisse"


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE tasks SET medical = :yes, owner = 'usmp' "
            "WHERE kind = 'ij_resumption' AND (medical = :no OR owner <> 'usmp')"
        ).bindparams(yes=True, no=False)
    )
    op.execute(
        sa.text(
            "UPDATE notifications SET message = replace(message, :label, 'Une étape médicale') "
            "WHERE task_id IN (SELECT id FROM tasks WHERE kind = 'ij_resumption')"
        ).bindparams(label=_LABEL)
    )


def downgrade() -> None:
    # Nothing to undo: making the IJ step non-medical again would show sick leave to the SPIP.
    pass
