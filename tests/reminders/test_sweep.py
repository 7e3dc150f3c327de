"""The reminder sweep: who is told, what the e-mail says, and that nothing is sent twice."""

from __future__ import annotations

from datetime import date, timedelta

from click.testing import CliRunner
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.cli import main
from cnpe_flow.people.models import Person, Task
from cnpe_flow.people.operations import revoke_share, share_person
from cnpe_flow.people.task_operations import set_task_status
from cnpe_flow.reminders.lease import SWEEP, acquire
from cnpe_flow.reminders.models import Notification
from cnpe_flow.reminders.sweep import SweepBusy, run_sweep

TODAY = date(2026, 11, 23)
NIR = "185036012345658"
FRESNES = "Centre pénitentiaire de Fresnes"


def notified(app):
    with db.transaction(app) as s:
        rows = s.execute(select(Notification).order_by(Notification.id)).scalars().all()
        return [(n.user_id, n.task_id, n.reason, n.email_status) for n in rows]


def recipients(sink):
    return sorted(str(m["To"]) for m in sink.messages)


def test_send_due_emails_each_reminder_once_and_a_second_run_sends_nothing(
    app, smtp_sink, make_user, make_person, add_task
):
    spip = make_user("spip", email="agent@spip.example")
    person = make_person()
    add_task(person, "contact_cpam_residence", TODAY + timedelta(days=3))
    add_task(person, "mas_referral_offer", TODAY - timedelta(days=2))
    add_task(person, "ame_first_filing_in_person", TODAY)
    add_task(person, "cnpe_amenagement_notice", TODAY + timedelta(days=8))
    env = {
        "SECRET_KEY": "k",
        "DATABASE_URL": app.config["DATABASE_URL"],
        "CNPE_SMTP_HOST": "127.0.0.1",
        "CNPE_SMTP_PORT": str(app.config["SMTP_PORT"]),
        "CNPE_MAIL_FROM": "rappels@cnpe-flow.example",
    }

    first = CliRunner().invoke(main, ["reminders", "send-due"], env=env)
    second = CliRunner().invoke(main, ["reminders", "send-due"], env=env)

    assert first.exit_code == 0, first.output
    assert first.output == "3 notifications créées, 3 e-mails envoyés\n"
    assert second.output == "0 notification créée, 0 e-mail envoyé\n"
    assert recipients(smtp_sink) == ["agent@spip.example"] * 3
    assert sorted(reason for _, _, reason, _ in notified(app)) == [
        "due_soon",
        "due_soon",
        "overdue",
    ]
    assert {status for *_, status in notified(app)} == {"sent"}
    assert {n[0] for n in notified(app)} == {spip.id}


def test_reminders_go_to_the_owner_role_of_the_establishment_and_to_partners_shared_with(
    app, smtp_sink, make_user, make_person, add_task
):
    make_user("spip", email="spip@liancourt.example")
    usmp = make_user("usmp", email="usmp@liancourt.example")
    make_user("spip", email="spip@fresnes.example", establishment=FRESNES)
    partner = make_user("partner", email="asso@partenaire.example")
    make_user("partner", email="autre@partenaire.example")
    admin = make_user("admin", email="admin@cnpe.example")
    shared = make_person(first_name="Sam")
    alone = make_person(first_name="Lou")
    with db.transaction(app) as s:
        share_person(s, admin, shared, partner.id, "2026-11-01")
    add_task(shared, "contact_cpam_residence", TODAY)
    add_task(shared, "ame_renewal", TODAY)
    add_task(alone, "ame_renewal", TODAY)

    run_sweep(app, "test")

    by_subject = sorted((str(m["To"]), str(m["Subject"])) for m in smtp_sink.messages)
    assert by_subject == [
        ("asso@partenaire.example", "[cnpe-flow] Échéance le 23/11/2026 pour Sam D."),
        ("spip@liancourt.example", "[cnpe-flow] Échéance le 23/11/2026 pour Lou D."),
        ("spip@liancourt.example", "[cnpe-flow] Échéance le 23/11/2026 pour Sam D."),
    ]
    assert usmp.id not in {n[0] for n in notified(app)}


def test_medical_steps_reach_only_the_usmp_and_the_email_has_no_health_detail_nor_nir(
    app, smtp_sink, make_user, make_person, add_task
):
    make_user("spip", email="spip@liancourt.example")
    make_user("usmp", email="usmp@liancourt.example")
    partner = make_user("partner", email="asso@partenaire.example")
    admin = make_user("admin")
    person = make_person(first_name="Alex", last_name="Durand", nir=NIR)
    with db.transaction(app) as s:
        share_person(s, admin, person, partner.id, "2026-11-01")
    add_task(person, "ald_protocol_request", TODAY + timedelta(days=5))

    run_sweep(app, "test")

    assert recipients(smtp_sink) == ["usmp@liancourt.example"]
    body = smtp_sink.messages[0].get_content()
    assert "Personne : Alex D." in body
    assert "Tâche : Une étape médicale" in body
    assert f"Dossier : https://cnpe.example/personnes/{person.id}" in body
    for secret in (NIR, "Durand", "ALD", "protocole", "soins"):
        assert secret not in body
        assert secret not in str(smtp_sink.messages[0]["Subject"])
    with db.transaction(app) as s:
        message = s.execute(select(Notification.message)).scalar_one()
    assert message == "Une étape médicale — À faire pour le 28/11/2026 (samedi)"


def test_a_due_date_on_a_weekend_or_holiday_is_noted_but_kept(
    app, smtp_sink, make_user, make_person, add_task
):
    make_user("spip", email="spip@liancourt.example")
    person = make_person()
    add_task(person, "contact_cpam_residence", date(2026, 11, 28))

    run_sweep(app, "test")

    body = smtp_sink.messages[0].get_content()
    assert "Échéance : 28/11/2026 (samedi ; la date légale reste celle-ci)" in body


def test_preparation_steps_are_reminded_on_d30_and_d7_of_the_planned_release(
    app, smtp_sink, make_user, make_person, frozen_clock
):
    from cnpe_flow.clock import set_clock

    make_user("spip", email="spip@liancourt.example")
    make_person(
        residence_postcode=None,
        events=[
            {"type": "ecrou", "date": "2026-01-10", "establishment": "CP Liancourt"},
            {"type": "planned_release", "date": "2026-12-23"},
        ],
    )

    today = run_sweep(app, "test")
    set_clock(lambda: frozen_clock + timedelta(days=15))
    d_minus_8 = run_sweep(app, "test")
    set_clock(lambda: frozen_clock + timedelta(days=23))
    d_minus_7 = run_sweep(app, "test")

    assert (today.created, d_minus_8.created, d_minus_7.created) == (1, 1, 1)
    with db.transaction(app) as s:
        rows = s.execute(
            select(Task.kind, Task.due, Notification.reason)
            .join(Notification, Notification.task_id == Task.id)
            .order_by(Notification.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("collect_release_address", date(2026, 11, 23), "due_soon"),
        ("collect_release_address", date(2026, 11, 23), "overdue"),
        ("check_release_letters", date(2026, 12, 16), "due_soon"),
    ]


def test_an_unreachable_smtp_server_keeps_emails_waiting_and_a_closed_task_is_not_sent(
    app, smtp_sink, make_user, make_person, add_task
):
    make_user("spip", email="spip@liancourt.example")
    admin = make_user("admin")
    person = make_person()
    done_later = add_task(person, "contact_cpam_residence", TODAY)
    add_task(person, "mas_referral_offer", TODAY)
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1

    down = run_sweep(app, "test")
    with db.transaction(app) as s:
        set_task_status(
            s, admin, s.get(Person, person.id), s.get(Task, done_later.id), "done", None
        )
    app.config["SMTP_PORT"] = port
    up = run_sweep(app, "test")

    assert down.summary() == "2 notifications créées, 0 e-mail envoyé, 2 e-mails en attente"
    assert up.summary() == "0 notification créée, 1 e-mail envoyé, 1 e-mail sans objet"
    assert len(smtp_sink.messages) == 1


def test_accounts_without_email_get_in_app_notifications_only(
    app, smtp_sink, make_user, make_person, add_task
):
    user = make_user("spip")
    task = add_task(make_person(), "contact_cpam_residence", TODAY)

    result = run_sweep(app, "test")

    assert result.summary() == "1 notification créée, 0 e-mail envoyé"
    assert notified(app) == [(user.id, task.id, "due_soon", "skipped")]
    assert smtp_sink.messages == []


def test_a_second_sweep_is_refused_while_another_holds_the_lease(
    app, smtp_sink, make_user, make_person, add_task
):
    make_user("spip", email="spip@liancourt.example")
    add_task(make_person(), "contact_cpam_residence", TODAY)
    with db.transaction(app) as s:
        acquire(s, SWEEP, "scheduler:other-host:42:abcd", 60)

    try:
        run_sweep(app, "cli:here")
        raise AssertionError("the sweep must not run while another process holds the lease")
    except SweepBusy as exc:
        assert exc.holder == "scheduler:other-host:42:abcd"
    assert notified(app) == []
    assert smtp_sink.messages == []


def test_an_email_left_waiting_is_not_sent_once_the_share_is_revoked(
    app, smtp_sink, make_user, make_person, add_task, frozen_clock
):
    from cnpe_flow.clock import set_clock

    partner = make_user("partner", email="asso@partenaire.example")
    admin = make_user("admin")
    person = make_person()
    with db.transaction(app) as s:
        share = share_person(s, admin, person, partner.id, "2026-11-01")
    add_task(person, "ame_renewal", TODAY)
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1

    down = run_sweep(app, "test")
    with db.transaction(app) as s:
        revoke_share(s, admin, s.get(Person, person.id), share.id)
    set_clock(lambda: frozen_clock + timedelta(hours=1))
    app.config["SMTP_PORT"] = port
    up = run_sweep(app, "test")

    assert down.summary() == "1 notification créée, 0 e-mail envoyé, 1 e-mail en attente"
    assert up.summary() == "0 notification créée, 0 e-mail envoyé, 1 e-mail sans objet"
    assert smtp_sink.messages == []


def test_without_an_smtp_host_reminders_stay_in_the_application(
    app, make_user, make_person, add_task
):
    make_user("spip", email="agent@spip.example")
    add_task(make_person(), "contact_cpam_residence", TODAY)

    result = run_sweep(app, "test")

    assert result.summary() == (
        "1 notification créée, 0 e-mail envoyé, e-mails désactivés (CNPE_SMTP_HOST non défini)"
    )
    assert [status for *_, status in notified(app)] == ["skipped"]
