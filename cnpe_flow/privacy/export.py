"""Subject access (RGPD art. 15): everything cnpe-flow holds on one person, as one JSON document.

Identity and address, every custody event with its history (corrections and withdrawals
kept), tasks, letters (every version with its hash, not the PDF itself), MAS referrals,
shares and consents, the notifications about their tasks, and the audit entries about them.
Staff members appear by user name; their network addresses are not the person's data and are
left out. Each export is itself audited (``PERSON_EXPORTED``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from cnpe_flow.audit.models import AUDIT_LABELS, AuditEntry, AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth.access import MAX_ID
from cnpe_flow.auth.models import User
from cnpe_flow.clock import now_utc
from cnpe_flow.errors import NotFound
from cnpe_flow.letters.models import Letter, MasReferral
from cnpe_flow.people.models import CustodyEvent, Person, Share, Task
from cnpe_flow.reference import cpam_for_postcode
from cnpe_flow.reminders.models import Notification

FORMAT = "cnpe-flow/rgpd-export"
FORMAT_VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(model: Any, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {
        column.name: _plain(getattr(model, column.name))
        for column in type(model).__table__.columns
        if column.name not in skip
    }


def find_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id) if 1 <= person_id <= MAX_ID else None
    if person is None:
        raise NotFound(f"personne n° {person_id} introuvable")
    return person


def export_person(session: Session, person: Person) -> dict[str, Any]:
    """The whole document (nothing is written: see :func:`audited_export`)."""
    pid = person.id
    names = dict(session.execute(select(User.id, User.username)).all())

    def who(user_id: int | None) -> str | None:
        return names.get(user_id) if user_id is not None else None

    events = list(
        session.exec(
            select(CustodyEvent).where(CustodyEvent.person_id == pid).order_by(CustodyEvent.id)
        ).scalars()
    )
    superseded_by = {e.supersedes_id: e.id for e in events if e.supersedes_id is not None}
    tasks = list(
        session.exec(select(Task).where(Task.person_id == pid).order_by(Task.id)).scalars()
    )
    task_ids = [t.id for t in tasks]
    notifications = (
        list(
            session.exec(
                select(Notification)
                .where(Notification.task_id.in_(task_ids))  # type: ignore[attr-defined]
                .order_by(Notification.id)
            ).scalars()
        )
        if task_ids
        else []
    )
    letters = session.exec(
        select(Letter).where(Letter.person_id == pid).order_by(Letter.kind, Letter.version)
    ).scalars()
    referrals = session.exec(
        select(MasReferral).where(MasReferral.person_id == pid).order_by(MasReferral.id)
    ).scalars()
    shares = session.exec(select(Share).where(Share.person_id == pid).order_by(Share.id)).scalars()
    audit = session.exec(
        select(AuditEntry).where(AuditEntry.person_id == pid).order_by(AuditEntry.id)
    ).scalars()
    cpam = cpam_for_postcode(person.residence_postcode) if person.residence_postcode else None
    cpam_names = [c.name for c in cpam.candidates] if cpam else []
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": now_utc().isoformat(),
        "person": {
            **_row(person, frozenset({"search_name"})),
            "created_by": who(person.created_by),
        },
        "address": {
            "residence_postcode": person.residence_postcode,
            "cpam_residence": cpam_names,
        },
        "events": [
            {
                **_row(e),
                "created_by": who(e.created_by),
                "superseded_by": superseded_by.get(e.id),
            }
            for e in events
        ],
        "tasks": [{**_row(t), "closed_by": who(t.closed_by)} for t in tasks],
        "letters": [
            {**_row(letter, frozenset({"pdf", "context"})), "created_by": who(letter.created_by)}
            for letter in letters
        ],
        "mas_referrals": [
            {
                **_row(r),
                "referrer_id": who(r.referrer_id),
                "consent_recorded_by": who(r.consent_recorded_by),
            }
            for r in referrals
        ],
        "shares": [
            {**_row(s), "partner_id": who(s.partner_id), "shared_by": who(s.shared_by)}
            for s in shares
        ],
        "notifications": [{**_row(n), "user_id": who(n.user_id)} for n in notifications],
        "audit": [
            {
                **_row(a, frozenset({"remote_addr", "person_id"})),
                "actor_id": who(a.actor_id) if a.actor_id else "système",
                "label": _label(a.event_type),
            }
            for a in audit
        ],
    }


def _label(event_type: int) -> str:
    try:
        return AUDIT_LABELS[AuditEvent(event_type)]
    except ValueError:
        return f"Événement n° {event_type}"


def audited_export(
    session: Session, person_id: int, *, actor_id: int | None, route: str | None = None
) -> dict[str, Any]:
    """The export of one person, recorded in the audit log (in the caller's transaction)."""
    person = find_person(session, person_id)
    document = export_person(session, person)
    record(
        session,
        AuditEvent.PERSON_EXPORTED,
        actor_id=actor_id,
        person_id=person.id,
        details={"format": "json"},
        route=route,
    )
    return document
