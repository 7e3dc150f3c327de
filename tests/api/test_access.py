"""What the route matrix (``tests/matrix/``) does not ask: the administrator on a person of
another establishment, ids that do not exist, a task of another person for every role, what
search finds, and the audit of a read. Who may call each route is the matrix's."""

from __future__ import annotations

from apitools import statuses
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.people.models import Task

PLANNED = {"type": "planned_release", "date": "2027-03-01"}


def _task_id(app, person, kind: str) -> int:
    with db.transaction(app) as s:
        return s.exec(
            select(Task.id).where(Task.person_id == person.id, Task.kind == kind)
        ).scalar_one()


def test_a_person_elsewhere_and_not_shared_is_not_found(client, world):
    url = f"/api/v1/people/{world.fresnes.id}"
    expected = {
        "spip": 404,
        "usmp": 404,
        "partner": 404,
        "admin": 200,
        "no token": 401,
        "bad token": 401,
    }
    assert statuses(client, world, "GET", url) == expected
    assert statuses(client, world, "GET", url + "/events") == expected
    assert statuses(client, world, "GET", url + "/tasks") == expected


def test_unknown_ids_are_not_found_for_everyone(client, world):
    expected = {
        "spip": 404,
        "usmp": 404,
        "partner": 404,
        "admin": 404,
        "no token": 401,
        "bad token": 401,
    }
    assert statuses(client, world, "GET", "/api/v1/people/999999") == expected
    assert statuses(client, world, "GET", f"/api/v1/people/{2**40}/tasks") == expected
    task = f"/api/v1/people/{world.released.id}/tasks/{2**63}"
    assert statuses(client, world, "POST", task, {"status": "open"}) == expected
    body = client.get("/api/v1/people/999999", headers=world.headers["admin"]).get_json()
    assert body == {"errors": [{"field": None, "message": "personne introuvable"}]}


def test_custody_events_elsewhere_are_for_the_admin_only(client, world):
    elsewhere = f"/api/v1/people/{world.fresnes.id}/events"
    assert statuses(client, world, "POST", elsewhere, PLANNED) == {
        "spip": 404,
        "usmp": 404,
        "partner": 404,
        "admin": 201,
        "no token": 401,
        "bad token": 401,
    }


def test_a_task_of_another_person_is_not_found(app, client, world):
    task = _task_id(app, world.released, "contact_cpam_residence")
    url = f"/api/v1/people/{world.inside.id}/tasks/{task}"
    assert statuses(client, world, "POST", url, {"status": "done"}) == {
        "spip": 404,
        "usmp": 404,
        "partner": 404,
        "admin": 404,
        "no token": 401,
        "bad token": 401,
    }


def test_sharing_a_person_elsewhere_is_for_the_admin_only(client, world):
    share = {"partner": "partner", "consent_date": "2026-11-20"}
    elsewhere = f"/api/v1/people/{world.fresnes.id}/share"
    assert statuses(client, world, "POST", elsewhere, share) == {
        "spip": 404,
        "usmp": 404,
        "partner": 404,
        "admin": 201,
        "no token": 401,
        "bad token": 401,
    }


def test_search_finds_only_visible_people(client, world):
    def names(caller: str, query: str = "") -> list[str]:
        found = client.get(f"/api/v1/people{query}", headers=world.headers[caller]).get_json()
        return [p["last_name"] for p in found["items"]]

    # CP Liancourt: Durand (inside), Lambert (followed), Martin (released), Roussel (unshared);
    # the partner: the three shared with them (Roussel's sharing was revoked); Petit: Fresnes
    assert names("spip") == ["Durand", "Lambert", "Martin", "Roussel"]
    assert names("usmp") == ["Durand", "Lambert", "Martin", "Roussel"]
    assert names("partner") == ["Durand", "Lambert", "Martin"]
    assert names("admin") == ["Durand", "Lambert", "Martin", "Petit", "Roussel"]
    assert names("spip", "?q=petit") == []
    assert names("admin", "?q=LEA%20mart") == ["Martin"]
    assert names("admin", "?ecrou=2026/0042") == ["Martin"]
    assert names("admin", "?birth_date=1985-03-14&page=1") == [
        "Durand",
        "Lambert",
        "Martin",
        "Petit",
        "Roussel",
    ]
    assert names("admin", "?q=%25") == []


def test_search_pages_and_bad_parameters(app, client, world):
    app.config["PAGE_SIZE"] = 2
    last = client.get("/api/v1/people?page=3", headers=world.headers["admin"]).get_json()
    assert (last["total"], last["pages"], [p["last_name"] for p in last["items"]]) == (
        5,
        3,
        ["Roussel"],
    )
    bad = client.get("/api/v1/people?page=0&birth_date=14/03/1985", headers=world.headers["admin"])
    assert bad.status_code == 400
    assert bad.get_json()["errors"][0]["field"] == "birth_date"


def test_reading_a_person_is_audited_with_the_route(app, client, world):
    person = world.released.id
    client.get(f"/api/v1/people/{person}", headers=world.headers["usmp"])
    with db.transaction(app) as s:
        entry = s.exec(
            select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.PERSON_VIEWED))
        ).scalar_one()
    assert (entry.actor_id, entry.person_id, entry.route) == (
        world.users["usmp"].id,
        person,
        f"GET /api/v1/people/{person}",
    )
