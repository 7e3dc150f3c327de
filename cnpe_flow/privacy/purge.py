"""Retention (RGPD art. 5-1-e): files of people released long ago are purged.

A person is purged when their last levée d'écrou is more than ``CNPE_RETENTION_MONTHS``
(default 24) months old and no task of theirs is still open. Purging deletes their identity,
events, tasks, letters, MAS referrals, notifications and shares, all in one transaction. The
audit log keeps a pseudonymous trace: a ``PERSON_PURGED`` entry (the former id, the levée date
and the purge date; no name), and the older entries about them lose their link and details
(``{"purged_person_id": id}``) — the one change the database's triggers allow on the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from flask import Flask
from sqlalchemy import delete, exists, func, select, update
from sqlmodel import Session

from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.config import ConfigError
from cnpe_flow.letters.models import Letter, MasReferral
from cnpe_flow.people.models import CustodyEvent, Person, Share, Task, TaskStatus
from cnpe_flow.reminders.models import Notification

log = logging.getLogger("cnpe_flow.privacy")

#: two years after the last levée: see the README (« Retention »)
DEFAULT_MONTHS = 24


def retention_months(config: Any) -> int:
    value = config.get("RETENTION_MONTHS", DEFAULT_MONTHS)
    try:
        months = int(str(value).strip())
    except ValueError:
        months = 0
    if not 1 <= months <= 1200:
        raise ConfigError(f"CNPE_RETENTION_MONTHS : « {value} » n'est pas un nombre de mois (≥ 1)")
    return months


def cutoff(today: date, months: int) -> date:
    """A levée before this day is older than the retention period."""
    return today - relativedelta(months=months)


@dataclass(frozen=True, slots=True)
class Candidate:
    person_id: int
    released_on: date
    #: the day the file becomes purgeable (the day after the retention period)
    purge_on: date
    name: str
    has_open_task: bool


def _open_task() -> Any:
    return exists().where(
        Task.person_id == Person.id,
        Task.status == TaskStatus.OPEN,
        Task.obsolete.is_(False),  # type: ignore[attr-defined]
    )


def due_for_purge(session: Session, today: date, months: int) -> list[tuple[int, date]]:
    """(id, levée date) of the people to purge today, oldest levée first."""
    rows = session.execute(
        select(Person.id, Person.released_on)
        .where(
            Person.released_on.is_not(None),  # type: ignore[union-attr]
            Person.released_on < cutoff(today, months),  # type: ignore[operator]
            ~_open_task(),
        )
        .order_by(Person.released_on, Person.id)
    ).all()
    return [(pid, released) for pid, released in rows]


def next_candidates(session: Session, today: date, months: int, limit: int = 50) -> list[Candidate]:
    """The released people whose retention ends first (due ones first), for the admin page."""
    rows = session.execute(
        select(Person, _open_task().label("open_task"))
        .where(Person.released_on.is_not(None))  # type: ignore[union-attr]
        .order_by(Person.released_on, Person.id)
        .limit(limit)
    ).all()
    return [
        Candidate(
            person_id=p.id,  # type: ignore[arg-type]
            released_on=p.released_on,  # type: ignore[arg-type]
            purge_on=p.released_on + relativedelta(months=months) + relativedelta(days=1),  # type: ignore[operator]
            name=p.display_name,
            has_open_task=bool(open_task),
        )
        for p, open_task in rows
    ]


def purge_person(session: Session, person_id: int, released_on: date, today: date) -> None:
    """Delete everything about one person; leave the pseudonymous trace in the audit log."""
    record(
        session,
        AuditEvent.PERSON_PURGED,
        actor_id=None,
        details={
            "person_id": person_id,
            "released_on": released_on.isoformat(),
            "purged_on": today.isoformat(),
        },
        route="rgpd purge",
    )
    session.flush()
    # the only UPDATE the audit log's triggers accept (see the migration b7c1e2d3f410)
    builder = (
        func.jsonb_build_object
        if session.get_bind().dialect.name == "postgresql"
        else func.json_object
    )
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.person_id == person_id)
        .values(details=builder("purged_person_id", AuditEntry.person_id), person_id=None)
        .execution_options(synchronize_session=False)
    )
    tasks = select(Task.id).where(Task.person_id == person_id)
    for statement in (
        delete(Notification).where(Notification.task_id.in_(tasks)),  # type: ignore[attr-defined]
        delete(Letter).where(Letter.person_id == person_id),
        delete(MasReferral).where(MasReferral.person_id == person_id),
        delete(Share).where(Share.person_id == person_id),
        delete(Task).where(Task.person_id == person_id),
        # corrections first: an event is referenced by the one that supersedes it
        delete(CustodyEvent).where(
            CustodyEvent.person_id == person_id,
            CustodyEvent.supersedes_id.is_not(None),  # type: ignore[union-attr]
        ),
        delete(CustodyEvent).where(CustodyEvent.person_id == person_id),
        delete(Person).where(Person.id == person_id),
    ):
        session.execute(statement.execution_options(synchronize_session=False))


def purge(session: Session, today: date, months: int, *, dry_run: bool) -> list[int]:
    """The ids purged (or that would be, with ``dry_run``), in the caller's one transaction."""
    due = due_for_purge(session, today, months)
    if not dry_run:
        for person_id, released_on in due:
            purge_person(session, person_id, released_on, today)
    return [person_id for person_id, _ in due]


def nightly_purge(app: Flask, today: date) -> list[int]:
    """The scheduler's nightly job: purge in one transaction, log the count (ids only)."""
    from cnpe_flow import db

    months = retention_months(app.config)
    with db.transaction(app) as session:
        ids = purge(session, today, months, dry_run=False)
    log.info("purge RGPD : %d dossier(s) purgé(s) %s", len(ids), ids)
    return ids
