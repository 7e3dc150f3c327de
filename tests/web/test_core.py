"""The application's core: login, access gate, append-only events, tasks, optimistic lock."""

from __future__ import annotations

from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.auth import access
from cnpe_flow.errors import Conflict, InvalidInput, NotFound
from cnpe_flow.people.models import CustodyEvent, Person, Task
from cnpe_flow.people.operations import add_event
from cnpe_flow.people.task_operations import set_task_status

ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": "CP Liancourt"}


def test_pages_need_login_and_healthz_does_not(client):
    assert client.get("/").status_code == 302
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_login_sets_a_secure_httponly_session_cookie(client, make_user, login):
    user = make_user("spip")
    login(client, user)
    cookie = client.get_cookie("cnpe_session")
    assert cookie is not None and cookie.secure and cookie.http_only and cookie.same_site == "Lax"


def test_wrong_password_is_refused_then_rate_limited(client, make_user, app):
    user = make_user("spip")
    for _ in range(5):
        r = client.post(
            "/login", data={"username": user.username, "password": "faux"}, follow_redirects=True
        )
        assert (
            "Identifiant ou mot de passe incorrect" in r.get_data(as_text=True)
            or r.status_code == 400
        )
    app.config["WTF_CSRF_ENABLED"] = False
    for _ in range(5):
        client.post("/login", data={"username": user.username, "password": "faux"})
    r = client.post("/login", data={"username": user.username, "password": "mot-de-passe-de-test"})
    assert r.status_code == 429


def test_spip_sees_only_people_of_their_establishment(app, make_user, make_person):
    spip = make_user("spip")
    here = make_person(events=[ECROU])
    elsewhere = make_person(
        events=[{"type": "ecrou", "date": "2026-01-10", "establishment": "CP Fresnes"}],
        establishment="CP Fresnes",
    )
    with db.transaction(app) as s:
        assert access.get_person(s, spip, here.id).id == here.id
        try:
            access.get_person(s, spip, elsewhere.id)
            raise AssertionError("a person of another establishment must not be found")
        except NotFound:
            pass


def test_a_correction_supersedes_without_deleting(app, make_person):
    person = make_person(events=[ECROU, {"type": "levee_ecrou", "date": "2026-05-01"}])
    with db.transaction(app) as s:
        admin = s.exec(select(Person)).scalars().first() and access  # noqa: F841
        from cnpe_flow.auth.models import User

        actor = s.exec(select(User)).scalars().first()
        p = s.get(Person, person.id)
        levee = (
            s.exec(select(CustodyEvent).where(CustodyEvent.type == "levee_ecrou")).scalars().one()
        )
        add_event(
            s,
            actor,
            p,
            {"type": "levee_ecrou", "date": "2026-06-01"},
            supersedes_id=levee.id,
            comment="date erronée",
        )
    with db.transaction(app) as s:
        events = s.exec(select(CustodyEvent).order_by(CustodyEvent.id)).scalars().all()
        assert [e.date.isoformat() for e in events] == ["2026-01-10", "2026-05-01", "2026-06-01"]
        assert events[2].supersedes_id == events[1].id
        cv = s.exec(select(Task).where(Task.kind == "carte_vitale_update")).scalars().all()
        assert {(t.due.isoformat(), t.obsolete) for t in cv} == {
            ("2026-05-11", True),
            ("2026-06-11", False),
        }
        assert s.get(Person, person.id).released_on.isoformat() == "2026-06-01"


def test_an_invalid_event_is_refused_and_nothing_is_written(app, make_person):
    person = make_person(events=[ECROU])
    with db.transaction(app) as s:
        from cnpe_flow.auth.models import User

        actor = s.exec(select(User)).scalars().first()
        p = s.get(Person, person.id)
        try:
            add_event(s, actor, p, {"type": "levee_ecrou", "date": "2025-12-01"})
            raise AssertionError("a levée before the écrou must be refused")
        except InvalidInput as exc:
            assert exc.problems[0].field == "event"
            assert "(01/12/2025)" in exc.problems[0].message
    with db.transaction(app) as s:
        assert len(s.exec(select(CustodyEvent)).scalars().all()) == 1
        assert s.get(Person, person.id).version == person.version


def test_a_stale_version_gets_a_conflict(app, make_person):
    person = make_person(events=[ECROU, {"type": "levee_ecrou", "date": "2026-05-01"}])
    with db.transaction(app) as s:
        from cnpe_flow.auth.models import User

        actor = s.exec(select(User)).scalars().first()
        p = s.get(Person, person.id)
        task = s.exec(select(Task).where(Task.kind == "contact_cpam_residence")).scalars().one()
        try:
            set_task_status(s, actor, p, task, "done", "fait", expected_version=person.version - 1)
            raise AssertionError("a stale version must be refused")
        except Conflict:
            pass
        set_task_status(s, actor, p, task, "done", "appel passé", expected_version=person.version)
    with db.transaction(app) as s:
        audit = (
            s.exec(select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.TASK_UPDATED)))
            .scalars()
            .one()
        )
        assert audit.details["new"] == "done"
