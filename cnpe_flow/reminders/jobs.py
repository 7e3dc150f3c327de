"""The scheduler's jobs: module-level functions, referenced by text from the job store.

Every periodic job is listed in :data:`JOBS` with a fixed id, so restarting the scheduler
replaces each stored job instead of adding a copy. Jobs take no arguments (nothing is pickled
but the reference): they find the application and this process's lease holder name in
:func:`bind`, which only ``cnpe-flow scheduler`` calls — web workers never run jobs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from flask import Flask

from cnpe_flow import db
from cnpe_flow.clock import PARIS, today_paris
from cnpe_flow.reminders import lease, packets
from cnpe_flow.reminders.settings import reminder_settings
from cnpe_flow.reminders.sweep import LeaseLost, SweepBusy, run_sweep

log = logging.getLogger("cnpe_flow.scheduler")


@dataclass(frozen=True, slots=True)
class JobSpec:
    id: str
    func: str
    trigger: BaseTrigger
    #: a run missed by less than this (scheduler down) still happens, once (coalesce)
    misfire_grace_time: int
    name: str


JOBS = (
    JobSpec(
        id="send-due-reminders",
        func="cnpe_flow.reminders.jobs:send_due_reminders",
        # Office hours, Paris time: nobody wants a reminder at 3 a.m.
        trigger=CronTrigger(minute="*/15", hour="7-19", timezone=PARIS),
        misfire_grace_time=12 * 3600,
        name="Rappels des tâches à échéance",
    ),
    JobSpec(
        id="generate-release-packets",
        func="cnpe_flow.reminders.jobs:generate_release_packets",
        trigger=CronTrigger(hour=6, minute=30, timezone=PARIS),
        misfire_grace_time=23 * 3600,
        name="Dossiers de sortie du jour de la levée d'écrou",
    ),
    JobSpec(
        id="purge-expired-files",
        func="cnpe_flow.reminders.jobs:purge_expired_files",
        # at night, when nobody is working on the files
        trigger=CronTrigger(hour=3, minute=15, timezone=PARIS),
        misfire_grace_time=23 * 3600,
        name="Purge RGPD des dossiers au-delà de la durée de conservation",
    ),
)

#: process-local job (memory store): keeps this scheduler's lease alive
RENEW_LEASE = "cnpe_flow.reminders.jobs:renew_scheduler_lease"


@dataclass(slots=True)
class _Runtime:
    app: Flask
    holder: str
    on_lease_lost: Callable[[], None]


_runtime: _Runtime | None = None


def bind(app: Flask, holder: str, on_lease_lost: Callable[[], None]) -> None:
    """Give the jobs of this process their application and lease holder name."""
    global _runtime
    _runtime = _Runtime(app, holder, on_lease_lost)


def _current() -> _Runtime:
    if _runtime is None:
        raise RuntimeError("les tâches planifiées ne s'exécutent que dans `cnpe-flow scheduler`")
    return _runtime


def _still_leader(rt: _Runtime) -> bool:
    seconds = reminder_settings(rt.app.config).lease_seconds
    with db.transaction(rt.app) as s:
        kept = lease.renew(s, lease.SCHEDULER, rt.holder, seconds)
    if not kept:
        log.error("verrou du planificateur perdu : arrêt (un autre planificateur a pris la main)")
        rt.on_lease_lost()
    return kept


def renew_scheduler_lease() -> None:
    """Keep this scheduler's lease; stop the process if another one took it."""
    _still_leader(_current())


def send_due_reminders() -> None:
    """The reminder sweep (also ``cnpe-flow reminders send-due``)."""
    rt = _current()
    if not _still_leader(rt):
        return
    try:
        run_sweep(rt.app, rt.holder)
    except SweepBusy as exc:
        log.warning("rappels : passage déjà en cours (%s), celui-ci est sauté", exc.holder)
    except LeaseLost as exc:
        log.error("rappels : %s", exc)


def generate_release_packets() -> None:
    """Release packets of the people released today (and the last days, if missed)."""
    rt = _current()
    if not _still_leader(rt):
        return
    packets.generate_release_packets(rt.app, today_paris())


def purge_expired_files() -> None:
    """Retention: purge the files whose last levée is older than CNPE_RETENTION_MONTHS."""
    from cnpe_flow.privacy.purge import nightly_purge

    rt = _current()
    if not _still_leader(rt):
        return
    nightly_purge(rt.app, today_paris())
