"""The scheduler process: one at a time, fixed job ids, a missed run caught up once."""

from __future__ import annotations

import signal
import time
from datetime import date

import pytest
from conftest import wait_for
from sqlalchemy import MetaData, Table, select, update

from cnpe_flow import db
from cnpe_flow.reminders.models import Notification

pytestmark = pytest.mark.slow  # subprocesses waiting on real leases or servers

TODAY = date(2026, 11, 23)


def _jobs_table(app):
    return Table("apscheduler_jobs", MetaData(), autoload_with=db.engine(app))


def _stored_jobs(app):
    table = _jobs_table(app)
    with db.engine(app).connect() as conn:
        return sorted(conn.execute(select(table.c.id)).scalars())


def _miss_the_last_sweep(app):
    table = _jobs_table(app)
    with db.engine(app).begin() as conn:
        conn.execute(
            update(table)
            .where(table.c.id == "send-due-reminders")
            .values(next_run_time=time.time() - 600)
        )


def _stop(process):
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)


def test_a_second_scheduler_waits_then_takes_over_and_catches_up_a_missed_run_once(
    app, cli, smtp_sink, make_user, make_person, add_task, tmp_path
):
    make_user("spip", email="agent@spip.example")
    add_task(make_person(), "contact_cpam_residence", TODAY)
    logs = [tmp_path / "first.log", tmp_path / "second.log"]

    first = cli.start("scheduler", log=logs[0])
    wait_for(lambda: "Scheduler started" in logs[0].read_text(), "premier planificateur")
    second = cli.start("scheduler", log=logs[1])
    wait_for(lambda: "un autre planificateur est actif" in logs[1].read_text(), "attente")
    _miss_the_last_sweep(app)
    first_code = _stop(first)
    wait_for(lambda: smtp_sink.messages, "reprise par le second et rattrapage")
    second_code = _stop(second)

    assert (first_code, second_code) == (0, 0)
    assert "rappels : 1 notification créée, 1 e-mail envoyé" in logs[1].read_text()
    assert _stored_jobs(app) == [
        "generate-release-packets",
        "purge-expired-files",
        "send-due-reminders",
    ]
    assert len(smtp_sink.messages) == 1
    with db.transaction(app) as s:
        assert s.execute(select(Notification.email_status)).scalars().all() == ["sent"]
