"""Writing the audit log (insert only)."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlmodel import Session

from cnpe_flow.audit.models import AuditEntry, AuditEvent


def record(
    session: Session,
    event: AuditEvent,
    *,
    actor_id: int | None,
    person_id: int | None = None,
    details: dict[str, Any] | None = None,
    route: str | None = None,
) -> AuditEntry:
    """Add one audit row in the caller's transaction (so it commits or rolls back with it)."""
    remote = None
    if route is None and has_request_context():
        route = f"{request.method} {request.path}"
    if has_request_context():
        remote = request.remote_addr
    entry = AuditEntry(
        actor_id=actor_id,
        person_id=person_id,
        event_type=int(event),
        route=(route or "")[:200],
        remote_addr=remote,
        details=details or {},
    )
    session.add(entry)
    return entry
