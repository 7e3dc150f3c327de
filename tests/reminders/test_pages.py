"""In-app notifications and the personal calendar feed."""

from __future__ import annotations

from datetime import date

from icalendar import Calendar
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.auth.models import User
from cnpe_flow.reminders.models import Notification
from cnpe_flow.reminders.sweep import run_sweep

NIR = "185036012345658"
SATURDAY = date(2026, 11, 28)


def _events(ics):
    return [
        (str(e["SUMMARY"]), e.decoded("DTSTART"), str(e["DESCRIPTION"]))
        for e in Calendar.from_ical(ics).walk("VEVENT")
    ]


def _notifications(app, user):
    with db.transaction(app) as s:
        return (
            s.execute(
                select(Notification)
                .where(Notification.user_id == user.id)
                .order_by(Notification.id)
            )
            .scalars()
            .all()
        )


def test_the_notifications_page_lists_mine_and_marks_them_read_by_csrf_form(
    app, client, login, make_user, make_person, add_task
):
    me = make_user("spip")
    colleague = make_user("spip")
    add_task(make_person(), "contact_cpam_residence", SATURDAY)
    add_task(make_person(), "mas_referral_offer", date(2026, 11, 20))
    run_sweep(app, "test")
    mine = _notifications(app, me)
    theirs = _notifications(app, colleague)
    login(client, me)

    page = client.get("/notifications").get_data(as_text=True)
    without_token = client.post(f"/notifications/{mine[0].id}/lu")
    one = client.form(f"/notifications/{mine[0].id}/lu")
    not_mine = client.form(f"/notifications/{theirs[0].id}/lu")
    after_one = [n.read_at is not None for n in _notifications(app, me)]
    client.form("/notifications/lu")

    assert "Contacter la CPAM de résidence" in page
    assert "28/11/2026" in page and "(samedi)" in page
    assert "Échéance proche" in page and "En retard" in page
    assert "DURAND Alex" in page
    assert "2 non lues" in page
    assert without_token.status_code == 400
    assert one.status_code == 303
    assert not_mine.status_code == 404
    assert after_one == [True, False]
    assert all(n.read_at is not None for n in _notifications(app, me))
    assert all(n.read_at is None for n in _notifications(app, colleague))


def test_marking_read_a_notification_already_read_goes_back_with_a_message(
    app, client, login, make_user, make_person, add_task
):
    """Issue 12: the second « Marquer comme lue » (another tab) returns to the list, on the
    same page of it, saying the notification was read already."""
    me = make_user("spip")
    add_task(make_person(), "contact_cpam_residence", SATURDAY)
    run_sweep(app, "test")
    [mine] = _notifications(app, me)
    login(client, me)

    first = client.form(f"/notifications/{mine.id}/lu")
    second = client.form(f"/notifications/{mine.id}/lu?page=2")
    shown = client.get(second.headers["Location"]).get_data(as_text=True)

    assert first.status_code == 303 and first.headers["Location"] == "/notifications"
    assert second.status_code == 303 and second.headers["Location"] == "/notifications?page=2"
    assert "Cette notification était déjà lue." in shown


def test_a_notification_number_beyond_any_id_is_not_found(app, client, login, make_user):
    """An id too large for the database's integer (a typed or forged address) is a 404 page,
    not an error from PostgreSQL."""
    login(client, make_user("spip"))

    answer = client.form(f"/notifications/{2**40}/lu")

    assert answer.status_code == 404


def test_the_usmp_reads_the_medical_step_in_app_but_it_never_reaches_the_spip(
    app, client, login, make_user, make_person, add_task
):
    usmp = make_user("usmp")
    spip = make_user("spip")
    add_task(make_person(), "ald_protocol_request", SATURDAY)
    run_sweep(app, "test")
    login(client, usmp)

    page = client.get("/notifications").get_data(as_text=True)

    assert "Demander le protocole de soins ALD" in page
    assert len(_notifications(app, usmp)) == 1
    assert _notifications(app, spip) == []


def test_the_calendar_feed_lives_behind_a_secret_that_can_be_regenerated(
    app, client, login, make_user, make_person, add_task
):
    spip = make_user("spip")
    person = make_person(nir=NIR)
    add_task(person, "contact_cpam_residence", SATURDAY)
    add_task(person, "ald_protocol_request", SATURDAY)
    login(client, spip)
    anonymous = app.test_client()

    before = client.get("/agenda").get_data(as_text=True)
    client.form("/agenda")
    with db.transaction(app) as s:
        first_token = s.get(User, spip.id).calendar_token
    settings = client.get("/agenda").get_data(as_text=True)
    feed = anonymous.get(f"/agenda/{first_token}.ics")
    client.form("/agenda")
    with db.transaction(app) as s:
        second_token = s.get(User, spip.id).calendar_token
        audit = (
            s.execute(
                select(AuditEntry.details).where(
                    AuditEntry.event_type == AuditEvent.CALENDAR_TOKEN_CREATED
                )
            )
            .scalars()
            .all()
        )

    ics = feed.get_data(as_text=True)
    assert "/agenda/" not in before
    assert f"http://localhost/agenda/{first_token}.ics" in settings
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert _events(ics) == [
        (
            "Contacter la CPAM de résidence pour mettre le dossier à jour — Alex D.",
            SATURDAY,
            f"Échéance légale : 28/11/2026 (samedi)\nDossier : http://localhost/personnes/{person.id}",
        )
    ]
    for secret in (NIR, "Durand", "DURAND", "ALD", "médicale"):
        assert secret not in ics
    assert anonymous.get(f"/agenda/{first_token}.ics").status_code == 404
    assert anonymous.get(f"/agenda/{second_token}.ics").status_code == 200
    assert second_token != first_token
    assert audit == [{"regenerated": False}, {"regenerated": True}]
    assert first_token not in str(audit)


def test_an_unknown_calendar_token_is_not_found(app, make_user):
    make_user("spip")
    anonymous = app.test_client()

    assert anonymous.get("/agenda/pas-un-jeton.ics").status_code == 404
    assert anonymous.get("/agenda/.ics").status_code == 404
    assert anonymous.get(f"/agenda/{'x' * 200}.ics").status_code == 404


def test_the_usmp_calendar_shows_a_medical_step_without_saying_what_it_is(
    app, client, login, make_user, make_person, add_task
):
    usmp = make_user("usmp")
    add_task(make_person(), "ald_protocol_request", SATURDAY)
    login(client, usmp)
    client.form("/agenda")
    with db.transaction(app) as s:
        token = s.get(User, usmp.id).calendar_token

    ics = app.test_client().get(f"/agenda/{token}.ics").get_data(as_text=True)

    assert [summary for summary, _, _ in _events(ics)] == ["Une étape médicale — Alex D."]
    assert "ALD" not in ics and "protocole" not in ics
