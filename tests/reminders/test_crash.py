"""Killing the sender mid-sweep loses nothing and sends nothing twice (the one SMTP window aside).

A real ``cnpe-flow reminders send-due`` process sends 300 e-mails to a real SMTP server on
loopback. The server sits on one message so that the test can SIGKILL the process at a known
point: first before the server took that message, then just after it took it (the reply never
reached the sender). Each time the command is run again once the dead process's lease expired.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from cnpe_flow import db
from cnpe_flow.people.models import Task
from cnpe_flow.reminders.lease import SWEEP, current
from cnpe_flow.reminders.models import Notification

pytestmark = pytest.mark.slow  # subprocesses waiting on real leases or servers

TODAY = date(2026, 11, 23)


def _many_due_tasks(app, make_person, count):
    people = [make_person(first_name=f"P{i}") for i in range(count // 10)]
    with db.transaction(app) as s:
        for i in range(count):
            s.add(
                Task(
                    person_id=people[i % len(people)].id,
                    key=f"contact_cpam_residence:{i}",
                    kind="contact_cpam_residence",
                    owner="spip",
                    due=TODAY + timedelta(days=i % 5),
                    rules=[],
                )
            )


def _statuses(app):
    with db.transaction(app) as s:
        rows = s.execute(
            select(Notification.email_status, func.count()).group_by(Notification.email_status)
        ).all()
        return dict(rows)


def _message_ids(app, status=None):
    """The Message-ID each notification's e-mail must carry (one per notification)."""
    query = select(Notification)
    if status is not None:
        query = query.where(Notification.email_status == status)
    with db.transaction(app) as s:
        return sorted(
            f"<cnpe-flow.notification.{n.id}.{n.created_at:%Y%m%d%H%M%S}@cnpe-flow.example>"
            for n in s.execute(query).scalars()
        )


def _notified_tasks(app):
    with db.transaction(app) as s:
        return s.execute(select(func.count(func.distinct(Notification.task_id)))).scalar_one()


def _wait_for_the_dead_process_lease(app, cli):
    with db.transaction(app) as s:
        lease = current(s, SWEEP)
    cli.sleep_until(lease.expires_at)


def _kill_at(cli, hold):
    process = cli.start("reminders", "send-due")
    assert hold.reached.wait(90), "the sweep never reached the held message"
    process.kill()
    process.communicate()
    hold.release.set()


def test_a_sweep_killed_twice_loses_nothing_and_repeats_only_what_the_server_had_taken(
    app, cli, smtp_sink, make_user, make_person
):
    make_user("spip", email="agent@spip.example")
    _many_due_tasks(app, make_person, 300)
    not_taken = smtp_sink.hold(100, accept=False)
    taken = smtp_sink.hold(200, accept=True)

    _kill_at(cli, not_taken)
    after_first_kill = _statuses(app)
    _wait_for_the_dead_process_lease(app, cli)
    _kill_at(cli, taken)
    after_second_kill = _statuses(app)
    [repeated] = _message_ids(app, "sending")
    _wait_for_the_dead_process_lease(app, cli)
    last = cli.run("reminders", "send-due")

    assert after_first_kill == {"sent": 99, "sending": 1, "pending": 200}
    assert after_second_kill == {"sent": 198, "sending": 1, "pending": 101}
    assert last.returncode == 0, last.stdout
    assert last.stdout.strip().endswith(
        "0 notification créée, 102 e-mails envoyés, 1 envoi interrompu repris"
    )
    assert _statuses(app) == {"sent": 300}
    assert _notified_tasks(app) == 300
    ids = smtp_sink.message_ids()
    assert sorted(set(ids)) == _message_ids(app)
    assert len(ids) == 301
    assert [i for i in ids if ids.count(i) == 2] == [repeated, repeated]
