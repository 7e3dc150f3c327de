"""Applying a roster file: the one function behind the command line, the page and the API.

Each row is matched to a person (numéro d'écrou + establishment, else NIR, else name, first
name and birth date), turned into the operations the forms use (create the file, append the
écrou, transfer, planned release, levée; a changed date is a correction whose comment names
the import) and applied in its own savepoint: a refused row leaves nothing behind, the others
are kept. Nothing is ever deleted because a person is absent from a file, and re-importing the
same file finds every row unchanged. A dry run does all of it and rolls back.
"""

from __future__ import annotations

import hashlib

from sqlmodel import Session

from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.imports.importer import RowImporter
from cnpe_flow.imports.models import RosterImport
from cnpe_flow.imports.reading import DEFAULT_MAX_ROWS, read_table
from cnpe_flow.imports.report import CREATED, MODIFIED, REFUSED, UNCHANGED, ImportReport


def run_import(
    session: Session,
    actor: User,
    filename: str,
    data: bytes,
    *,
    dry_run: bool,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> ImportReport:
    """Read, match and apply a roster file as ``actor``; the caller commits.

    :class:`~cnpe_flow.imports.reading.FileRefused` (nothing written) when the file as a whole
    cannot be used. With ``dry_run`` everything is rolled back before returning.
    """
    access.check_can_import(actor)
    filename = (filename or "liste").strip()[:255] or "liste"
    table = read_table(data, max_rows=max_rows)
    report = ImportReport(
        filename, hashlib.sha256(data).hexdigest(), dry_run, unknown_columns=table.unknown_columns
    )
    run = RosterImport(actor_id=actor.id, filename=filename, sha256=report.sha256)  # type: ignore[arg-type]
    session.add(run)
    session.flush()
    importer = RowImporter(session, actor, run, report)
    importer.apply(table.rows)
    if dry_run:
        session.rollback()
        for row in report.rows:
            if row.action == CREATED:
                row.person_id = None  # rolled back: the id names nothing
        return report
    c = report.counts
    run.rows, run.created, run.modified = len(report.rows), c[CREATED], c[MODIFIED]
    run.unchanged, run.refused = c[UNCHANGED], c[REFUSED]
    report.import_id = run.id
    record(
        session,
        AuditEvent.ROSTER_IMPORTED,
        actor_id=actor.id,
        details={"import_id": run.id, "filename": filename, "sha256": report.sha256, **c},
    )
    session.flush()
    return report
