"""E-mailing the pending notifications of a sweep, each exactly once (see ``sweep.py``).

Each message is claimed in its own transaction (``pending`` → ``sending``: ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL, a compare-and-set update everywhere), which also renews the sweep lease
and records the previous message's outcome; then it is handed to SMTP. While the sweep runs, its
heartbeat also renews the lease (``heartbeat.py``), so a live sweep keeps it through any message
in flight, and a row still ``sending`` when a new holder gets the lease was left by a dead
process: it is sent again, with the same Message-ID.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING

from flask import Flask
from sqlalchemy import Connection, func, select, update
from sqlmodel import Session

from cnpe_flow import db
from cnpe_flow.auth.models import User
from cnpe_flow.clock import now_utc
from cnpe_flow.people.models import Person, Task, TaskStatus
from cnpe_flow.reminders import lease
from cnpe_flow.reminders.messages import TRANSFER, build_email
from cnpe_flow.reminders.models import Notification
from cnpe_flow.reminders.operations import FAILED, PENDING, SENDING, SENT, SKIPPED
from cnpe_flow.reminders.owners import establishment_staff, load_staff, task_owners
from cnpe_flow.reminders.settings import ReminderSettings

if TYPE_CHECKING:
    from cnpe_flow.reminders.sweep import SweepResult

log = logging.getLogger("cnpe_flow.reminders")


class LeaseLost(RuntimeError):
    """Our sweep lease was taken over: stop sending at once."""


@dataclass(slots=True)
class _Claim:
    notification_id: int
    #: what to send, or None when the row was marked skipped or failed instead
    message: EmailMessage | None = None
    status: str = SENDING


class Delivery:
    """Sends the pending e-mails over one SMTP connection; the caller holds the sweep lease."""

    def __init__(
        self,
        app: Flask,
        holder: str,
        settings: ReminderSettings,
        result: SweepResult,
        *,
        fresh_since: datetime,
    ) -> None:
        self.app = app
        self.holder = holder
        self.settings = settings
        self.result = result
        #: notifications created since then were addressed with up-to-date access rights
        self.fresh_since = fresh_since

    def run(self) -> None:
        with db.engine(self.app).connect() as conn:
            with db.transaction(conn) as s:
                # We hold the lease: a row still "sending" was left by a process that died.
                self.result.resumed = _set_status(s, SENDING, PENDING)
                if not self.settings.mail_enabled:
                    self.result.mail_disabled = True
                    _set_status(s, PENDING, SKIPPED)
                    return
            if self.result.resumed:
                log.warning(
                    "%d e-mail(s) interrompu(s) renvoyé(s) avec le même Message-ID",
                    self.result.resumed,
                )
            try:
                smtp = smtplib.SMTP(
                    self.settings.smtp_host,  # type: ignore[arg-type]
                    self.settings.smtp_port,
                    timeout=self.settings.smtp_timeout,
                )
            except OSError as exc:
                log.warning("serveur SMTP injoignable (%s) : nouvel essai au prochain passage", exc)
            else:
                with smtp:
                    self._send_all(conn, smtp)
            with db.transaction(conn) as s:
                self.result.waiting = _count_waiting(s)

    def _send_all(self, conn: Connection, smtp: smtplib.SMTP) -> None:
        result = self.result
        after = 0
        #: the last message's outcome, written in the same transaction as the next claim
        finished: tuple[int, str] | None = None
        try:
            while True:
                claim = self._claim_next(conn, after, finished)
                finished = None
                if claim is None:
                    return
                after = claim.notification_id
                if claim.message is None:
                    result.skipped += claim.status == SKIPPED
                    result.failed += claim.status == FAILED
                    continue
                status = _send(smtp, claim.message, after)
                if status is None:
                    return  # connection lost mid-message: left "sending", resent next sweep
                finished = (after, status)
                result.sent += status == SENT
                result.failed += status == FAILED
        finally:
            if finished is not None:
                with db.transaction(conn) as s:
                    _record_outcome(s, *finished)

    def _claim_next(
        self, conn: Connection, after: int, finished: tuple[int, str] | None
    ) -> _Claim | None:
        """Record the last outcome, renew the lease, claim the next message: one commit."""
        with db.transaction(conn) as s:
            if finished is not None:
                _record_outcome(s, *finished)
            kept = lease.renew(s, lease.SWEEP, self.holder, self.settings.sweep_lease_seconds)
            claim = self._claim(s, after) if kept else None
        if not kept:
            raise LeaseLost("le verrou d'envoi des rappels a été repris par un autre processus")
        return claim

    def _claim(self, s: Session, after: int) -> _Claim | None:
        row = s.execute(
            select(Notification, Task, Person, User)
            .join(Task, Task.id == Notification.task_id)
            .join(Person, Person.id == Task.person_id)
            .join(User, User.id == Notification.user_id)
            .where(Notification.email_status == PENDING, Notification.id > after)
            .order_by(Notification.id)
            .limit(1)
            .with_for_update(of=Notification, skip_locked=True)
        ).one_or_none()
        if row is None:
            return None
        notification, task, person, user = row
        claim = _Claim(notification.id)
        try:
            claim.message = self._message(s, notification, task, person, user)
        except Exception as exc:  # a bug in one message must not block every later one
            log.error(
                "notification %d : message impossible à construire (%s)",
                claim.notification_id,
                type(exc).__name__,
            )
            claim.status = FAILED
        else:
            claim.status = SENDING if claim.message else SKIPPED
        s.execute(
            update(Notification)
            .where(Notification.id == claim.notification_id, Notification.email_status == PENDING)
            .values(email_status=claim.status, emailed_at=now_utc())
            .execution_options(synchronize_session=False)
        )
        return claim

    def _message(
        self, s: Session, notification: Notification, task: Task, person: Person, user: User
    ) -> EmailMessage | None:
        """The e-mail, or None when it no longer applies (task closed, account or access gone)."""
        if not user.active or not user.email or task.obsolete:
            return None
        transfer = notification.reason == TRANSFER
        # A transfer is news even once the SPIP has taken the file up (the USMP is told too).
        if task.status != TaskStatus.OPEN and not transfer:
            return None
        if notification.created_at < self.fresh_since or transfer:
            # Left over from an earlier sweep, or written when the file moved: access may have
            # changed since (share revoked, another transfer …).
            staff = load_staff(s, [person])
            told = (
                establishment_staff(person, staff) if transfer else task_owners(task, person, staff)
            )
            if user.id not in {u.id for u in told}:
                return None
        return build_email(self.app, self.settings, notification, task, person, user)


def _send(smtp: smtplib.SMTP, message: EmailMessage, notification_id: int) -> str | None:
    """SENT, FAILED (permanent refusal), PENDING (temporary refusal) or None (connection lost)."""
    try:
        smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        code = min(code for code, _ in exc.recipients.values())
        log.warning("notification %d : destinataire refusé (%d)", notification_id, code)
        return FAILED if code >= 500 else PENDING
    except smtplib.SMTPResponseException as exc:
        log.warning("notification %d : refus SMTP %d", notification_id, exc.smtp_code)
        return FAILED if exc.smtp_code >= 500 else PENDING
    except OSError as exc:
        # The server may or may not have taken the message: only a resend can be sure.
        log.warning("notification %d : connexion SMTP perdue (%s)", notification_id, exc)
        return None
    return SENT


def _record_outcome(s: Session, notification_id: int, status: str) -> None:
    s.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.email_status == SENDING)
        .values(email_status=status, emailed_at=now_utc() if status != PENDING else None)
        .execution_options(synchronize_session=False)
    )


def _set_status(s: Session, old: str, new: str) -> int:
    result = s.execute(
        update(Notification)
        .where(Notification.email_status == old)
        .values(email_status=new)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _count_waiting(s: Session) -> int:
    return s.execute(
        select(func.count())
        .select_from(Notification)
        .where(Notification.email_status.in_((PENDING, SENDING)))
    ).scalar_one()
