"""The release address (issue 9): given at creation or with ``PATCH /api/v1/people/<id>`` (a
partial update with the optimistic lock), checked part by part in French; the contract's
``residence_postcode`` follows it, and a levée cannot be recorded before it happens."""

from __future__ import annotations

from apitools import LIANCOURT
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.people.models import CustodyEvent, Person

HOSTED = {
    "kind": "hosted",
    "care_of": "Mme Nadia Benali",
    "lines": ["12 rue des Lilas", "Bâtiment B"],
    "postcode": "60100",
    "city": "Creil",
}
DOMICILIATION = {
    "kind": "domiciliation",
    "care_of": "CCAS de Beauvais",
    "lines": ["1 rue Desgroux"],
    "postcode": "60000",
    "city": "Beauvais",
}


def errors(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.get_json()["errors"]}


def stored(app, person_id: int) -> Person:
    with db.transaction(app) as s:
        person = s.get(Person, person_id)
        s.expunge(person)
        return person


def patch(app, client, world, role: str, person_id: int, body: dict, version: int | None = None):
    if version is None:
        version = stored(app, person_id).version
    return client.patch(
        f"/api/v1/people/{person_id}",
        json={**body, "version": version},
        headers=world.headers[role],
    )


def test_spip_gives_a_hosted_address_and_the_postcode_follows(app, client, world):
    person_id = world.inside.id

    response = patch(app, client, world, "spip", person_id, {"release_address": HOSTED})

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["release_address"] == {**HOSTED, "city": "CREIL"}  # as La Poste prints it
    assert body["residence_postcode"] == "60100"
    # AFF-6: the CPAM of residence now comes from the address
    assert body["evaluation"]["cpam_residence"]["departement"] == "60"
    assert stored(app, person_id).release_address["care_of"] == "Mme Nadia Benali"


def test_no_address_yet_clears_the_postcode(app, client, world):
    person_id = world.inside.id
    assert (
        patch(app, client, world, "spip", person_id, {"release_address": DOMICILIATION}).status_code
        == 200
    )

    response = patch(app, client, world, "spip", person_id, {"release_address": None})

    assert response.status_code == 200
    assert response.get_json()["release_address"] is None
    assert stored(app, person_id).residence_postcode is None  # AFF-6: goes to the CPAM


def test_each_wrong_part_is_named_in_french_and_nothing_changes(app, client, world):
    person_id = world.inside.id
    before = stored(app, person_id)
    wrong = {
        "kind": "hosted",
        "care_of": None,
        "lines": ["x" * 39],
        "postcode": "99999",
        "city": "",
    }

    response = patch(app, client, world, "spip", person_id, {"release_address": wrong})

    assert response.status_code == 400
    found = errors(response)
    assert found["release_address.care_of"] == "indiquez le nom de la personne qui héberge"
    assert "38 caractères au plus" in found["release_address.lines[0]"]
    assert "n'est pas un code postal français" in found["release_address.postcode"]
    assert found["release_address.city"] == "indiquez la commune"
    after = stored(app, person_id)
    assert (after.release_address, after.version) == (before.release_address, before.version)


def test_overseas_postcodes_are_accepted(app, client, world):
    reunion = {**DOMICILIATION, "postcode": "97400", "city": "Saint-Denis"}

    response = patch(app, client, world, "spip", world.inside.id, {"release_address": reunion})

    assert response.status_code == 200
    assert response.get_json()["residence_postcode"] == "97400"


def test_a_stale_version_is_a_conflict(app, client, world):
    person_id = world.inside.id
    version = stored(app, person_id).version
    assert (
        patch(app, client, world, "spip", person_id, {"first_name": "Alexis"}, version).status_code
        == 200
    )

    late = patch(app, client, world, "spip", person_id, {"release_address": HOSTED}, version)

    assert late.status_code == 409


def test_medical_fields_only_for_usmp_and_identity_only_for_spip(app, client, world):
    person_id = world.inside.id

    assert (
        patch(app, client, world, "spip", person_id, {"benefits_before_ecrou": ["ald"]}).status_code
        == 403
    )
    assert (
        patch(app, client, world, "usmp", person_id, {"release_address": HOSTED}).status_code == 403
    )
    assert (
        patch(app, client, world, "usmp", person_id, {"benefits_before_ecrou": ["ald"]}).status_code
        == 200
    )


def test_a_file_is_created_with_its_release_address(client, world):
    person = {
        "last_name": "Martin",
        "first_name": "Karim",
        "birth_date": "1988-04-02",
        "establishment": LIANCOURT,
        "residence_status": "regular",
        "carte_vitale": True,
        "release_address": {**HOSTED, "care_of": None, "kind": "personal"},
    }

    created = client.post("/api/v1/people", json=person, headers=world.headers["spip"])

    assert created.status_code == 201, created.get_json()
    assert created.get_json()["residence_postcode"] == "60100"
    assert created.get_json()["release_address"]["care_of"] is None


def test_a_levee_in_the_future_is_refused_pointing_to_the_planned_release(app, client, world):
    """The levée records what happened (today is 23/11/2026 in the tests)."""
    person_id = world.inside.id

    response = client.post(
        f"/api/v1/people/{person_id}/events",
        json={"type": "levee_ecrou", "date": "2026-12-08"},
        headers=world.headers["spip"],
    )

    assert response.status_code == 400
    message = errors(response)["date"]
    assert "08/12/2026 est à venir" in message and "date de sortie prévue" in message
    with db.transaction(app) as s:
        types = [
            e.type
            for e in s.exec(
                select(CustodyEvent).where(CustodyEvent.person_id == person_id)
            ).scalars()
        ]
    assert "levee_ecrou" not in types
    today = client.post(
        f"/api/v1/people/{person_id}/events",
        json={"type": "levee_ecrou", "date": "2026-11-23"},
        headers=world.headers["spip"],
    )
    assert today.status_code == 201, today.get_json()


def test_a_postcode_alone_cannot_contradict_the_address(app, client, world):
    person_id = world.inside.id
    assert (
        patch(app, client, world, "spip", person_id, {"release_address": HOSTED}).status_code == 200
    )

    response = patch(app, client, world, "spip", person_id, {"residence_postcode": "75011"})

    assert response.status_code == 400
    assert "suit l'adresse de sortie (60100)" in errors(response)["residence_postcode"]
    assert stored(app, person_id).residence_postcode == "60100"
