"""The scheduler process (``cnpe-flow scheduler``): APScheduler 3 in its own process.

One process only: it first takes the ``scheduler`` lease, and a second one started by mistake
waits (logging why) until the first is gone. Jobs live in the application database
(``apscheduler_jobs``), so a run missed while the process was down happens once at restart,
within each job's ``misfire_grace_time``.
"""

from __future__ import annotations

import logging
import signal
import time
from datetime import UTC, datetime
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import MetaData, Table, delete, inspect, select
from sqlalchemy.engine import Engine

from cnpe_flow import db
from cnpe_flow.clock import PARIS, paris_time
from cnpe_flow.reminders import jobs, lease
from cnpe_flow.reminders.settings import reminder_settings

log = logging.getLogger("cnpe_flow.scheduler")

JOBS_TABLE = "apscheduler_jobs"


def stored_next_run_times(engine: Engine) -> dict[str, datetime | None]:
    """The next run time of each job already in the store (before the scheduler starts).

    ``add_job(replace_existing=True)`` would otherwise reset it from now, and a run missed
    while the scheduler was down would be forgotten instead of caught up.
    """
    if not inspect(engine).has_table(JOBS_TABLE):
        return {}
    table = Table(JOBS_TABLE, MetaData(), autoload_with=engine)
    with engine.begin() as conn:
        known = [spec.id for spec in jobs.JOBS]
        # A job that no longer exists in the code must not stay in the store.
        conn.execute(delete(table).where(table.c.id.not_in(known)))
        rows = conn.execute(select(table.c.id, table.c.next_run_time)).all()
    return {
        job_id: datetime.fromtimestamp(ts, UTC) if ts is not None else None for job_id, ts in rows
    }


def build_scheduler(app: Flask) -> BlockingScheduler:
    """A scheduler with every job of :data:`jobs.JOBS` (fixed ids, replaced at each start)."""
    settings = reminder_settings(app.config)
    engine = db.engine(app)
    scheduler = BlockingScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE),
            "local": MemoryJobStore(),
        },
        executors={"default": ThreadPoolExecutor(max_workers=3)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        timezone=PARIS,
    )
    stored = stored_next_run_times(engine)
    for spec in jobs.JOBS:
        extra: dict[str, Any] = {}
        if stored.get(spec.id) is not None:
            extra["next_run_time"] = stored[spec.id]
        scheduler.add_job(
            spec.func,
            spec.trigger,
            id=spec.id,
            name=spec.name,
            replace_existing=True,
            misfire_grace_time=spec.misfire_grace_time,
            **extra,
        )
    scheduler.add_job(
        jobs.RENEW_LEASE,
        "interval",
        seconds=max(settings.lease_seconds / 4, 0.5),
        id="renew-scheduler-lease",
        jobstore="local",
        replace_existing=True,
    )
    scheduler.add_listener(_log_job_problem, EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    return scheduler


def _log_job_problem(event: JobExecutionEvent) -> None:
    if event.exception is not None:
        # The type only: an exception's text may carry personal data.
        log.error("tâche %s en échec (%s)", event.job_id, type(event.exception).__name__)
    else:
        log.warning("tâche %s manquée (planificateur arrêté trop longtemps)", event.job_id)


def wait_for_lease(app: Flask, holder: str) -> None:
    """Take the scheduler lease, waiting (and saying so) while another scheduler holds it."""
    seconds = reminder_settings(app.config).lease_seconds
    while True:
        with db.transaction(app) as s:
            if lease.acquire(s, lease.SCHEDULER, holder, seconds):
                return
            held = lease.current(s, lease.SCHEDULER)
        if held is not None:
            log.warning(
                "un autre planificateur est actif (%s, verrou jusqu'à %s) : en attente",
                held.holder,
                paris_time(held.expires_at).strftime("%H:%M:%S"),
            )
        time.sleep(min(seconds / 4, 30))


class _Terminated(Exception):
    """SIGTERM (systemd stop): leave the main loop like Ctrl-C does."""


def _terminate(*_: Any) -> None:
    raise _Terminated


def run(app: Flask) -> int:
    """Run the scheduler until SIGTERM or Ctrl-C; 1 when the lease was lost.

    A job running at that moment finishes first (its thread is waited for at exit).
    """
    holder = lease.new_holder("scheduler")
    outcome = {"code": 0}
    scheduler: BlockingScheduler | None = None

    def _lease_lost() -> None:
        outcome["code"] = 1
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _terminate)
    try:
        wait_for_lease(app, holder)
        log.info("planificateur démarré (%s)", holder)
        jobs.bind(app, holder, _lease_lost)
        scheduler = build_scheduler(app)
        scheduler.start()
    except (_Terminated, KeyboardInterrupt):
        pass
    finally:
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        with db.transaction(app) as s:
            lease.release(s, lease.SCHEDULER, holder)
        log.info("planificateur arrêté")
    return outcome["code"]
