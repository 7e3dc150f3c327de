"""The reminder sweep: record due notifications, then e-mail each one exactly once.

1. A notification is a row, unique per (user, task, reason), inserted with ``ON CONFLICT DO
   NOTHING`` and committed before any e-mail leaves: re-running the sweep, or crashing at any
   point, can neither lose it nor create it twice.
2. Only the holder of the ``reminders-sweep`` lease sends (:mod:`delivery` says how). The lease
   is short and renewed by a heartbeat while the sweep runs (:mod:`heartbeat`). The one
   remaining window — the SMTP server took a message and the process died before writing
   ``sent`` — repeats that message once, with the same Message-ID (``scheduler/README.md``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import Flask

from cnpe_flow import db
from cnpe_flow.clock import now_utc, today_paris
from cnpe_flow.reminders import lease
from cnpe_flow.reminders.delivery import Delivery, LeaseLost
from cnpe_flow.reminders.heartbeat import Heartbeat
from cnpe_flow.reminders.operations import record_due_notifications
from cnpe_flow.reminders.settings import reminder_settings

__all__ = ["LeaseLost", "SweepBusy", "SweepResult", "run_sweep"]

log = logging.getLogger("cnpe_flow.reminders")


class SweepBusy(RuntimeError):
    """Another process is sweeping (it holds the sweep lease)."""

    def __init__(self, holder: str, until: datetime | None) -> None:
        super().__init__(f"passage de rappels déjà en cours ({holder})")
        self.holder = holder
        self.until = until


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n < 2 else many}"


@dataclass(slots=True)
class SweepResult:
    created: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    #: messages interrupted by a crash, sent again (same Message-ID)
    resumed: int = 0
    #: still to send (SMTP unreachable or a temporary refusal): the next sweep tries again
    waiting: int = 0
    mail_disabled: bool = False

    def summary(self) -> str:
        """``3 notifications créées, 3 e-mails envoyés`` (and what else happened)."""
        parts = [
            _plural(self.created, "notification créée", "notifications créées"),
            _plural(self.sent, "e-mail envoyé", "e-mails envoyés"),
        ]
        if self.mail_disabled:
            parts.append("e-mails désactivés (CNPE_SMTP_HOST non défini)")
        if self.resumed:
            parts.append(
                _plural(self.resumed, "envoi interrompu repris", "envois interrompus repris")
            )
        if self.skipped:
            parts.append(_plural(self.skipped, "e-mail sans objet", "e-mails sans objet"))
        if self.failed:
            parts.append(_plural(self.failed, "e-mail refusé", "e-mails refusés"))
        if self.waiting:
            parts.append(_plural(self.waiting, "e-mail en attente", "e-mails en attente"))
        return ", ".join(parts)


def run_sweep(app: Flask, holder: str) -> SweepResult:
    """One sweep (the scheduler's job and ``cnpe-flow reminders send-due``).

    Raises :class:`SweepBusy` when another process is sweeping.
    """
    settings = reminder_settings(app.config)
    with db.transaction(app) as s:
        if not lease.acquire(s, lease.SWEEP, holder, settings.sweep_lease_seconds):
            held = lease.current(s, lease.SWEEP)
            raise SweepBusy(held.holder if held else "?", held.expires_at if held else None)
    try:
        with Heartbeat(app, lease.SWEEP, holder, settings.sweep_lease_seconds):
            result = SweepResult()
            started = now_utc()
            with db.transaction(app) as s:
                result.created = record_due_notifications(
                    s,
                    today_paris(),
                    lead_days=settings.lead_days,
                    overdue_days=settings.overdue_days,
                )
            Delivery(app, holder, settings, result, fresh_since=started).run()
        log.info("rappels : %s", result.summary())
        return result
    finally:
        with db.transaction(app) as s:
            lease.release(s, lease.SWEEP, holder)
