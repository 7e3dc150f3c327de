"""A file that moves to another establishment (a transfer, or a correction that changes where
the person is held): the audit log records it, and the new establishment is told.

Who sees a file follows ``Person.establishment_code`` (``auth/access.visible_people``): once it
changes, the old establishment's SPIP and USMP no longer see the person, and the new one's do.
They get a hand-over task (``transfer_handover``, the SPIP's, due on the transfer date) and an
in-app notification each, e-mailed by the reminder sweep like any other.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlmodel import Session

from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth.models import User
from cnpe_flow.people.models import CustodyEvent, Person, Task, TaskStatus
from cnpe_flow.people.task_kinds import APP_TASK_KINDS, TRANSFER_HANDOVER
from cnpe_flow.reminders.operations import record_transfer_notifications

#: the event types that say where a person is held
PLACING_EVENTS = ("ecrou", "transfer")


def placing_event(events: Iterable[CustodyEvent]) -> CustodyEvent | None:
    """The écrou or transfer that says where the person is held: the last in date order.

    Same-day events keep their stored order, as the engine reads them. The engine has already
    checked that every transfer falls within an écrou.
    """
    placing = [e for e in sorted(events, key=lambda e: e.date) if e.type in PLACING_EVENTS]
    return placing[-1] if placing else None


def hand_over(
    session: Session, actor: User, person: Person, old_code: str, events: list[CustodyEvent]
) -> Task:
    """Record that the file left ``old_code`` for the person's current establishment."""
    source = placing_event(events)
    assert source is not None and source.id is not None and person.establishment_code
    record(
        session,
        AuditEvent.PERSON_TRANSFERRED,
        actor_id=actor.id,
        person_id=person.id,
        # codes only: the names of the person and anything medical stay out of the log
        details={
            "from": old_code,
            "to": person.establishment_code,
            "event_id": source.id,
            "type": source.type,
            "date": source.date.isoformat(),
        },
    )
    task = _handover_task(session, person, source)
    record_transfer_notifications(session, task, person)
    return task


def _handover_task(session: Session, person: Person, source: CustodyEvent) -> Task:
    key = f"{TRANSFER_HANDOVER}:{source.date.isoformat()}:{source.id}"
    earlier = session.exec(
        select(Task).where(Task.person_id == person.id, Task.kind == TRANSFER_HANDOVER)
    ).scalars()
    task = None
    for t in earlier:
        if t.key == key:
            task = t
        elif t.status == TaskStatus.OPEN:
            # a hand-over to an establishment that no longer holds the file has no object
            t.obsolete = True
    if task is None:
        kind = APP_TASK_KINDS[TRANSFER_HANDOVER]
        task = Task(
            person_id=person.id,  # type: ignore[arg-type]
            key=key,
            kind=TRANSFER_HANDOVER,
            owner=kind.owner,
            medical=False,
            due=source.date,
            rules=[],
            event_id=source.id,
        )
        session.add(task)
    else:  # the file comes back to where the same event placed it before: take it up again
        task.obsolete = False
        task.status = TaskStatus.OPEN
        task.closed_by = task.closed_at = task.comment = None
    session.flush()
    return task
