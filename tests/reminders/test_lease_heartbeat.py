"""The sweep's short lease, kept alive by a heartbeat: a live sweep keeps it however long it
waits, a sweep killed with ``kill -9`` delays the next one by at most one lease time, and no
e-mail is lost or sent twice."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import LEASE_SECONDS
from sqlalchemy import func, select

from cnpe_flow import db
from cnpe_flow.reminders.lease import SWEEP, current
from cnpe_flow.reminders.models import Notification

pytestmark = pytest.mark.slow  # subprocesses waiting on real leases or servers

LEASE = LEASE_SECONDS  # CNPE_SWEEP_LEASE_SECONDS of the reminder tests
#: a patient SMTP client, so that the sweep waits on the server longer than its lease
PATIENT = {"CNPE_SMTP_TIMEOUT": "120", "CNPE_SCHEDULER_LEASE_SECONDS": "720"}


def _lease(app):
    with db.transaction(app) as s:
        return current(s, SWEEP)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _statuses(app):
    with db.transaction(app) as s:
        return dict(
            s.execute(
                select(Notification.email_status, func.count()).group_by(Notification.email_status)
            ).all()
        )


def test_a_killed_sweep_delays_the_next_by_at_most_one_short_lease(
    app, cli, smtp_sink, make_user, make_person, add_task
):
    make_user("spip", email="agent@spip.example")
    person = make_person()
    for day in (24, 25, 26):
        add_task(person, "contact_cpam_residence", date(2026, 11, day))
    held = smtp_sink.hold(1, accept=False)

    sweeping = cli.start("reminders", "send-due", env=PATIENT)
    assert held.reached.wait(90), "the sweep never reached the SMTP server"
    first = _lease(app)
    time.sleep(2 * LEASE)  # twice the lease: without a heartbeat it would have expired
    later, read_at = _lease(app), cli.now()
    meanwhile = cli.run("reminders", "send-due")

    sweeping.kill()  # SIGKILL: no cleanup, the lease stays in the table
    sweeping.communicate()
    killed_at = cli.now()
    left = _lease(app)  # what the killed sweep left behind
    held.release.set()
    attempts, started = [], []
    while True:
        started.append(cli.now())
        attempts.append(cli.run("reminders", "send-due"))
        if attempts[-1].returncode == 0 or cli.now() - killed_at > timedelta(seconds=6 * LEASE):
            break
        time.sleep(0.2)

    assert later.holder == first.holder and later.expires_at > first.expires_at
    assert later.expires_at > read_at  # still held, well past its first expiry
    assert meanwhile.returncode == 1 and "déjà en cours" in meanwhile.stdout
    assert attempts[-1].returncode == 0, attempts[-1].stdout
    # At most one short lease: the killed sweep's lease ends within LEASE of the kill (its
    # heartbeat's last renewal), and no attempt started after that end was refused. Measured
    # on the lease itself, so a slow machine (slow subprocesses) does not change the verdict.
    assert (_utc(left.expires_at) - killed_at).total_seconds() <= LEASE + 0.5
    refused_late = [
        at
        for at, run in zip(started, attempts, strict=True)
        if run.returncode != 0 and at > _utc(left.expires_at)
    ]
    assert refused_late == []
    assert (
        attempts[-1]
        .stdout.strip()
        .endswith("0 notification créée, 3 e-mails envoyés, 1 envoi interrompu repris")
    )
    assert _statuses(app) == {"sent": 3}
    ids = smtp_sink.message_ids()
    assert len(ids) == 3 and len(set(ids)) == 3
