"""Database leases: at most one live holder per name, renewed while it works.

A lease row names its holder and an expiry. A holder takes a free or expired lease, renews it
while alive, and deletes it when done. A process killed with its lease simply lets it expire,
after which another process may take over. Expiry is compared with the application clock, so
the processes sharing a database must have synchronised clocks (NTP).

Two names are used: ``scheduler`` (the one scheduler process allowed to run jobs) and
``reminders-sweep`` (the one sweep allowed to send e-mails, scheduler job or command line).
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from cnpe_flow.clock import now_utc
from cnpe_flow.reminders.models import SchedulerLease

SCHEDULER = "scheduler"
SWEEP = "reminders-sweep"


def new_holder(kind: str) -> str:
    """A name for this process, unique even when a pid is reused: ``kind:host:pid:random``."""
    return f"{kind}:{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def insert_ignoring_conflicts(session: Session, table: Any) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` for the session's backend (SQLite or PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    return sqlite_insert(table).on_conflict_do_nothing()


def acquire(session: Session, name: str, holder: str, seconds: float) -> bool:
    """Take the lease (free, expired, or already ours) until now + ``seconds``."""
    now = now_utc()
    until = now + timedelta(seconds=seconds)
    taken = session.execute(
        update(SchedulerLease)
        .where(
            SchedulerLease.name == name,
            or_(SchedulerLease.holder == holder, SchedulerLease.expires_at <= now),
        )
        .values(holder=holder, expires_at=until)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount == 1:
        return True
    table = SchedulerLease.__table__
    created = session.execute(
        insert_ignoring_conflicts(session, table)
        .values(name=name, holder=holder, expires_at=until)
        .returning(table.c.name)  # rowcount is not reported for this statement by psycopg
    )
    return created.first() is not None


def renew(session: Session, name: str, holder: str, seconds: float) -> bool:
    """Extend our lease; False when another process holds it now (we must stop)."""
    result = session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == name, SchedulerLease.holder == holder)
        .values(expires_at=now_utc() + timedelta(seconds=seconds))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release(session: Session, name: str, holder: str) -> None:
    """Give the lease back at once (only if it is still ours)."""
    session.execute(
        delete(SchedulerLease)
        .where(SchedulerLease.name == name, SchedulerLease.holder == holder)
        .execution_options(synchronize_session=False)
    )


def current(session: Session, name: str) -> SchedulerLease | None:
    """The lease row, for messages ("held by … until …")."""
    return session.execute(
        select(SchedulerLease).where(SchedulerLease.name == name)
    ).scalar_one_or_none()
