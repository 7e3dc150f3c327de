"""An audit row is written in the request's own transaction: kept with a success, gone with
a refusal (never an audit entry for a change that did not happen), on both backends."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.audit.operations import record


def _request_recording(app: Any, path: str, status: int) -> None:
    with app.test_request_context(path, method="POST", environ_base={"REMOTE_ADDR": "10.0.0.7"}):
        record(db.session(), AuditEvent.PERSON_UPDATED, actor_id=None, details={"fields": ["x"]})
        app.process_response(Response(status=status))  # the request boundary commits or not


def test_audit_row_commits_and_rolls_back_with_its_request(
    app: Any, frozen_clock: datetime
) -> None:
    _request_recording(app, "/kept", 200)
    _request_recording(app, "/refused", 409)
    with db.transaction(app) as s:
        rows = s.exec(select(AuditEntry)).scalars().all()  # type: ignore[call-overload]
    assert [(r.route, r.remote_addr, r.event_type, r.details, r.occurred_at) for r in rows] == [
        (
            "POST /kept",
            "10.0.0.7",
            int(AuditEvent.PERSON_UPDATED),
            {"fields": ["x"]},
            frozen_clock,
        )
    ]
