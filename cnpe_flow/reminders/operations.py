"""Reminder state changes: recording due notifications, reading them, the calendar token.

Operations flush and audit; the caller (request, sweep or command) commits.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.clock import now_utc
from cnpe_flow.errors import NotFound
from cnpe_flow.people.models import Person, Task, TaskStatus
from cnpe_flow.people.task_kinds import TRANSFER_HANDOVER
from cnpe_flow.reminders.lease import insert_ignoring_conflicts
from cnpe_flow.reminders.messages import DUE_SOON, OVERDUE, TRANSFER, notification_message
from cnpe_flow.reminders.models import Notification
from cnpe_flow.reminders.owners import establishment_staff, load_staff, task_owners

#: preparation steps before a planned release: their due date is already the reminder day
#: (D-30 and D-7 of the release, ``rules/parameters/release_preparation.yaml``)
REMIND_ON_DUE_DATE = frozenset(
    {"collect_release_address", "prepare_ame_documents", "check_release_letters"}
)
#: tasks announced when they are created (the transfer notification is their reminder; a
#: transfer is often recorded after its date, so "overdue" would only repeat it): the
#: dashboard lists them while they stay open
TOLD_AT_CREATION = frozenset({TRANSFER_HANDOVER})

#: e-mail states of a notification
PENDING, SENDING, SENT, SKIPPED, FAILED = "pending", "sending", "sent", "skipped", "failed"

_CHUNK = 200


def reminder_reason(task: Task, today: date, lead_days: int) -> str | None:
    """``overdue`` after the due date, ``due_soon`` within the lead time, else None (and
    never for a task told when it was created)."""
    if task.kind in TOLD_AT_CREATION:
        return None
    if task.due < today:
        return OVERDUE
    lead = 0 if task.kind in REMIND_ON_DUE_DATE else lead_days
    if task.due <= today + timedelta(days=lead):
        return DUE_SOON
    return None


def record_due_notifications(
    session: Session, today: date, *, lead_days: int, overdue_days: int
) -> int:
    """Add the missing notifications of open tasks that are due soon or overdue.

    One row per (user, task, reason): the unique constraint is the record that a reminder
    exists, so running this twice, or from two processes at once, adds nothing twice.
    Tasks overdue for longer than ``overdue_days`` are left to the dashboard. Returns the
    number of rows added.
    """
    rows = session.execute(
        select(Task, Person)
        .join(Person, Person.id == Task.person_id)
        .where(
            Task.status == TaskStatus.OPEN,
            Task.obsolete.is_(False),
            Task.due >= today - timedelta(days=overdue_days),
            Task.due <= today + timedelta(days=lead_days),
        )
        .order_by(Task.due, Task.id)
    ).all()
    if not rows:
        return 0
    staff = load_staff(session, {person.id: person for _, person in rows}.values())
    existing = _existing_keys(session, [task.id for task, _ in rows])  # type: ignore[misc]
    created_at = now_utc()
    new: list[dict[str, object]] = []
    for task, person in rows:
        reason = reminder_reason(task, today, lead_days)
        if reason is None:
            continue
        for user in task_owners(task, person, staff):
            if (user.id, task.id, reason) in existing:
                continue
            new.append(
                {
                    "user_id": user.id,
                    "task_id": task.id,
                    "reason": reason,
                    "message": notification_message(task, reason),
                    "created_at": created_at,
                    "email_status": PENDING if user.email else SKIPPED,
                }
            )
    added = 0
    for start in range(0, len(new), _CHUNK):
        statement = insert_ignoring_conflicts(session, Notification.__table__)
        result = session.execute(
            statement.values(new[start : start + _CHUNK]).returning(Notification.__table__.c.id)
        )
        added += len(result.all())
    session.flush()
    return added


def record_transfer_notifications(session: Session, task: Task, person: Person) -> int:
    """Tell every SPIP and USMP account of the person's (new) establishment that the file
    arrived: one ``transfer`` notification each about the hand-over ``task``, e-mailed by the
    next sweep. Returns the number of rows added (none twice: the unique key decides)."""
    users = establishment_staff(person, load_staff(session, [person]))
    if not users:
        return 0
    created_at = now_utc()
    rows = [
        {
            "user_id": user.id,
            "task_id": task.id,
            "reason": TRANSFER,
            "message": notification_message(task, TRANSFER),
            "created_at": created_at,
            "email_status": PENDING if user.email else SKIPPED,
        }
        for user in users
    ]
    statement = insert_ignoring_conflicts(session, Notification.__table__)
    result = session.execute(statement.values(rows).returning(Notification.__table__.c.id))
    added = len(result.all())
    session.flush()
    return added


def _existing_keys(session: Session, task_ids: list[int]) -> set[tuple[int, int, str]]:
    keys: set[tuple[int, int, str]] = set()
    for start in range(0, len(task_ids), 500):
        rows = session.execute(
            select(Notification.user_id, Notification.task_id, Notification.reason).where(
                Notification.task_id.in_(task_ids[start : start + 500])
            )
        )
        keys.update((user_id, task_id, reason) for user_id, task_id, reason in rows)
    return keys


def mark_read(session: Session, user: User, notification_id: int) -> bool:
    """Mark one of the user's own notifications read (another user's is "not found"); False
    when it was read already (from another tab)."""
    notification = access.stored(session, Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound("notification introuvable")
    if notification.read_at is not None:
        return False
    notification.read_at = now_utc()
    session.flush()
    return True


def mark_all_read(session: Session, user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def create_calendar_token(session: Session, user: User) -> str:
    """A new secret for the user's calendar feed; the old address stops working at once."""
    regenerated = user.calendar_token is not None
    user.calendar_token = secrets.token_urlsafe(32)
    session.add(user)
    session.flush()
    # The token itself is a credential: never in the audit log.
    record(
        session,
        AuditEvent.CALENDAR_TOKEN_CREATED,
        actor_id=user.id,
        details={"regenerated": regenerated},
    )
    return user.calendar_token
