"""The household through the API: given with a new file (``POST /api/v1/people``), replaced with
``PUT /api/v1/people/<id>/household``, returned by ``GET /api/v1/people/<id>``; bad input is a
400 naming each field (``household.members[0].birth_date`` …) in French, and writes nothing."""

from __future__ import annotations

from apitools import LIANCOURT, statuses
from sqlalchemy import func, select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.people.models import Person

PERSON = {
    "last_name": "Mercier",
    "first_name": "Samir",
    "birth_date": "1984-06-12",
    "establishment": LIANCOURT,
    "residence_status": "regular",
    "carte_vitale": True,
    "residence_postcode": "60100",
}
FAMILY = {
    "members": [
        {"birth_date": "1986-09-03", "relation": "spouse"},
        {"birth_date": "2014-03-20", "relation": "child"},
        {"birth_date": "2018-11-05", "relation": "child"},
    ],
    "annual_resources": 25000,
    "rsa": False,
}
#: as stored and returned: every key present, null when unknown
FAMILY_STORED = {**FAMILY, "in_france_since": None}


def household_audits(app) -> list[AuditEntry]:
    with db.transaction(app) as s:
        return list(
            s.exec(
                select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.HOUSEHOLD_UPDATED))
            ).scalars()
        )


def people_count(app) -> int:
    with db.transaction(app) as s:
        return s.exec(select(func.count()).select_from(Person)).scalar_one()


def errors(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.get_json()["errors"]}


def test_a_file_is_created_with_its_household(app, client, world):
    created = client.post(
        "/api/v1/people", json={**PERSON, "household": FAMILY}, headers=world.headers["spip"]
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["household"] == FAMILY_STORED
    assert body["version"] == 1
    # not released yet (no event): C2S is to be checked, never guessed
    assert [r["right"] for r in body["evaluation"]["rights_to_check"]][:1] == ["c2s"]
    again = client.get(created.headers["Location"], headers=world.headers["partner"])
    assert again.status_code == 404  # not shared with the partner
    read = client.get(created.headers["Location"], headers=world.headers["usmp"])
    assert read.get_json()["household"] == FAMILY_STORED
    [audit] = household_audits(app)
    assert audit.details == {"changed": ["members", "annual_resources", "rsa"]}


def test_a_bad_household_at_creation_names_each_field_and_creates_nothing(app, client, world):
    before = people_count(app)
    refused = client.post(
        "/api/v1/people",
        json={
            **PERSON,
            "first_name": "",
            "household": {
                "members": [{"birth_date": "2014-02-30", "relation": "child"}, {"relation": "ami"}],
                "annual_resources": -5,
                "rsa": "oui",
            },
        },
        headers=world.headers["spip"],
    )
    assert refused.status_code == 400
    found = errors(refused)
    assert found["first_name"] == "champ obligatoire manquant"
    assert "n'est pas une date" in found["household.members[0].birth_date"]
    assert found["household.members[1].birth_date"] == "champ obligatoire manquant"
    assert "n'est pas une valeur permise" in found["household.members[1].relation"]
    assert "négatif" in found["household.annual_resources"]
    assert "true, false ou null" in found["household.rsa"]
    assert people_count(app) == before
    assert household_audits(app) == []


def test_put_replaces_the_household_and_the_get_returns_it(app, client, world):
    url = f"/api/v1/people/{world.released.id}"
    version = client.get(url, headers=world.headers["spip"]).get_json()["version"]
    put = client.put(
        url + "/household",
        json={"household": FAMILY, "version": version},
        headers=world.headers["partner"],
    )
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["household"] == FAMILY_STORED
    assert put.get_json()["version"] == version + 1
    got = client.get(url, headers=world.headers["spip"]).get_json()
    assert got["household"] == FAMILY_STORED

    # null: nothing known any more
    cleared = client.put(
        url + "/household", json={"household": None}, headers=world.headers["admin"]
    )
    assert cleared.status_code == 200
    assert cleared.get_json()["household"] is None
    assert [a.details for a in household_audits(app)] == [
        {"changed": ["members", "annual_resources", "rsa"]},
        {"changed": ["members", "annual_resources", "rsa"]},
    ]


def test_put_with_bad_input_is_a_400_per_field_and_writes_nothing(app, client, world):
    url = f"/api/v1/people/{world.released.id}"
    before = client.get(url, headers=world.headers["spip"]).get_json()
    refused = client.put(
        url + "/household",
        json={
            "household": {
                "members": [{"birth_date": "2031-01-01", "relation": "child"}, "x"],
                "annual_resources": "25000",
                "in_france_since": "15/01/2025",
                "pets": 2,
            }
        },
        headers=world.headers["spip"],
    )
    assert refused.status_code == 400
    found = errors(refused)
    assert found["household.members[0].birth_date"] == (
        "la date de naissance (01/01/2031) est dans le futur"
    )
    assert "un objet est attendu" in found["household.members[1]"]
    assert "montant en euros" in found["household.annual_resources"]
    assert "« 15/01/2025 » n'est pas une date" in found["household.in_france_since"]
    assert "champ inconnu" in found["household.pets"]

    missing = client.put(url + "/household", json={}, headers=world.headers["spip"])
    assert missing.status_code == 400 and "household" in errors(missing)
    unknown = client.put(
        url + "/household", json={"household": None, "foyer": {}}, headers=world.headers["spip"]
    )
    assert unknown.status_code == 400 and "foyer" in errors(unknown)

    after = client.get(url, headers=world.headers["spip"]).get_json()
    assert (after["household"], after["version"]) == (before["household"], before["version"])
    assert household_audits(app) == []


def test_put_is_for_the_spip_the_partner_of_a_shared_file_and_the_admin(client, world):
    body = {"household": {"members": [], "annual_resources": 9000}}
    shared = statuses(client, world, "PUT", f"/api/v1/people/{world.inside.id}/household", body)
    assert shared == {
        "spip": 200,
        "usmp": 403,
        "partner": 200,
        "admin": 200,
        "no token": 401,
        "bad token": 401,
    }
    other = statuses(client, world, "PUT", f"/api/v1/people/{world.fresnes.id}/household", body)
    assert other == {
        "spip": 404,
        "usmp": 404,
        "partner": 404,
        "admin": 200,
        "no token": 401,
        "bad token": 401,
    }


def test_a_stale_version_is_a_conflict(client, world):
    url = f"/api/v1/people/{world.inside.id}"
    version = client.get(url, headers=world.headers["spip"]).get_json()["version"]
    first = {"household": FAMILY, "version": version}
    assert (
        client.put(url + "/household", json=first, headers=world.headers["spip"]).status_code == 200
    )
    stale = client.put(
        url + "/household",
        json={"household": None, "version": version},
        headers=world.headers["admin"],
    )
    assert stale.status_code == 409
    assert errors(stale).keys() == {"version"}
    assert client.get(url, headers=world.headers["spip"]).get_json()["household"] == FAMILY_STORED


def test_c2s_2_the_evaluation_gives_the_participation_to_every_reader(client, world):
    """A family of four at 25 000 € a year, released: C2S with participation (C2S-1, C2S-2),
    per member and in total; not medical, so the partner reads it too."""
    created = client.post(
        "/api/v1/people",
        json={**PERSON, "household": FAMILY},
        headers=world.headers["admin"],
    ).get_json()
    events = f"/api/v1/people/{created['id']}/events"
    for event in (
        {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
        {"type": "levee_ecrou", "date": "2026-11-13"},
    ):
        assert client.post(events, json=event, headers=world.headers["spip"]).status_code == 201
    for caller in ("spip", "usmp", "admin"):
        got = client.get(f"/api/v1/people/{created['id']}", headers=world.headers[caller])
        c2s = next(
            r for r in got.get_json()["evaluation"]["rights_to_check"] if r["right"] == "c2s"
        )
        assert c2s["status"] == "likely", f"C2S-1 for {caller}"
        assert [m["monthly"] for m in c2s["participation"]["members"]] == [
            "14.00",
            "14.00",
            "8.00",
            "8.00",
        ], f"C2S-2 for {caller}"
        assert c2s["participation"]["total_monthly"] == "44.00", f"C2S-2 for {caller}"
