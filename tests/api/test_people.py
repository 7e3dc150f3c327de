"""Writing through the API: a person's file from creation to release, corrections, the
optimistic lock, sharing, and bad requests answered with French messages per field."""

from __future__ import annotations

import pytest
from apitools import LIANCOURT

PERSON = {
    "last_name": "Bernard",
    "first_name": "Nina",
    "birth_date": "1990-05-02",
    "nir": None,
    "ecrou_number": "2026/0107",
    "establishment": LIANCOURT,
    "residence_status": "regular",
    "carte_vitale": True,
    "residence_postcode": "60000",
}


def _post(client, world, caller, url, body):
    return client.post(url, json=body, headers=world.headers[caller])


def test_create_then_ecrou_then_levee_makes_the_release_tasks(client, world):
    created = _post(client, world, "spip", "/api/v1/people", PERSON)
    assert created.status_code == 201
    person = created.get_json()
    assert created.headers["Location"] == f"/api/v1/people/{person['id']}"
    assert (person["last_name"], person["establishment"]["code"], person["version"]) == (
        "Bernard",
        "CP-LIANCOURT",
        1,
    )
    events = f"/api/v1/people/{person['id']}/events"
    ecrou = {"type": "ecrou", "date": "2026-02-01", "establishment": "CP Liancourt", "version": 1}
    assert _post(client, world, "spip", events, ecrou).status_code == 201
    levee = _post(client, world, "spip", events, {"type": "levee_ecrou", "date": "2026-10-15"})
    assert levee.status_code == 201
    assert levee.get_json()["event"]["type"] == "levee_ecrou"
    assert levee.get_json()["person"]["released_on"] == "2026-10-15"
    tasks = client.get(f"/api/v1/people/{person['id']}/tasks", headers=world.headers["spip"])
    assert [(t["kind"], t["due"], t["status"]) for t in tasks.get_json()] == [
        ("contact_cpam_residence", "2026-10-15", "open"),
        ("mas_referral_offer", "2026-10-15", "open"),
        ("carte_vitale_update", "2026-10-25", "open"),
    ]


def test_a_stale_version_is_a_conflict_and_changes_nothing(client, world):
    url = f"/api/v1/people/{world.inside.id}"
    version = client.get(url, headers=world.headers["spip"]).get_json()["version"]
    planned = {"type": "planned_release", "date": "2027-03-01", "version": version}
    assert _post(client, world, "spip", url + "/events", planned).status_code == 201
    stale = _post(client, world, "admin", url + "/events", {**planned, "date": "2027-04-01"})
    assert stale.status_code == 409
    assert stale.get_json()["errors"][0]["field"] == "version"
    assert "modifié par quelqu'un d'autre" in stale.get_json()["errors"][0]["message"]
    after = client.get(url, headers=world.headers["spip"]).get_json()
    assert (after["version"], after["planned_release"]) == (version + 1, "2027-03-01")


def test_closing_a_task_with_the_version_and_a_stale_one(client, world):
    base = f"/api/v1/people/{world.released.id}"
    version = client.get(base, headers=world.headers["spip"]).get_json()["version"]
    tasks = client.get(base + "/tasks", headers=world.headers["spip"]).get_json()
    task = next(t for t in tasks if t["kind"] == "mas_referral_offer")
    url = f"{base}/tasks/{task['id']}"
    refused = _post(client, world, "spip", url, {"status": "not_applicable", "version": version})
    assert refused.status_code == 400
    assert refused.get_json()["errors"][0]["field"] == "comment"
    done = _post(
        client,
        world,
        "spip",
        url,
        {"status": "not_applicable", "comment": "déjà suivie", "version": version},
    )
    assert done.status_code == 200
    assert (done.get_json()["task"]["status"], done.get_json()["version"]) == (
        "not_applicable",
        version + 1,
    )
    stale = _post(client, world, "partner", url, {"status": "open", "version": version})
    assert stale.status_code == 409


def test_a_correction_supersedes_and_a_withdrawal_removes(client, world):
    url = f"/api/v1/people/{world.inside.id}/events"
    first = _post(client, world, "spip", url, {"type": "planned_release", "date": "2027-03-01"})
    first_id = first.get_json()["event"]["id"]
    fixed = _post(
        client,
        world,
        "spip",
        url,
        {"type": "planned_release", "date": "2027-05-01", "supersedes": first_id, "comment": "JAP"},
    )
    assert fixed.status_code == 201
    assert fixed.get_json()["person"]["planned_release"] == "2027-05-01"
    fixed_id = fixed.get_json()["event"]["id"]
    withdrawn = _post(
        client, world, "spip", url, {"supersedes": fixed_id, "withdraw": True, "comment": "annulé"}
    )
    assert withdrawn.status_code == 201
    assert withdrawn.get_json()["person"]["planned_release"] is None
    history = client.get(url, headers=world.headers["spip"]).get_json()
    assert [(e["date"], e["superseded"], e["withdrawn"], e["effective"]) for e in history] == [
        ("2026-09-01", False, False, True),
        ("2027-03-01", True, False, False),
        ("2027-05-01", True, False, False),
        ("2027-05-01", False, True, False),
    ]


def test_a_correction_or_a_withdrawal_without_a_reason_is_refused(client, world):
    url = f"/api/v1/people/{world.inside.id}/events"
    first = _post(client, world, "spip", url, {"type": "planned_release", "date": "2027-03-01"})
    first_id = first.get_json()["event"]["id"]
    corrected = _post(
        client,
        world,
        "spip",
        url,
        {"type": "planned_release", "date": "2027-05-01", "supersedes": first_id, "comment": " "},
    )
    withdrawn = _post(client, world, "spip", url, {"supersedes": first_id, "withdraw": True})

    assert corrected.status_code == 400
    assert corrected.get_json()["errors"] == [
        {"field": "comment", "message": "expliquez la correction (obligatoire)"}
    ]
    assert withdrawn.status_code == 400
    assert withdrawn.get_json()["errors"] == [
        {"field": "comment", "message": "expliquez pourquoi l'événement est retiré (obligatoire)"}
    ]
    history = client.get(url, headers=world.headers["spip"]).get_json()
    assert [(e["date"], e["effective"]) for e in history] == [
        ("2026-09-01", True),
        ("2027-03-01", True),
    ]


def test_an_event_the_engine_refuses_is_a_400_and_nothing_is_written(client, world):
    url = f"/api/v1/people/{world.inside.id}/events"
    refused = _post(client, world, "spip", url, {"type": "levee_ecrou", "date": "2026-08-01"})
    assert refused.status_code == 400
    (error,) = refused.get_json()["errors"]
    # the sentence for people (JJ/MM/AAAA), the events in the contract's words for tools
    assert error["field"] == "event" and "(01/08/2026)" in error["message"]
    assert "levee_ecrou" not in error["message"]
    assert error["refs"] == ["levee_ecrou 2026-08-01", "ecrou 2026-09-01"]
    assert len(client.get(url, headers=world.headers["spip"]).get_json()) == 1


def test_sharing_with_a_partner_by_name_then_the_partner_sees_the_person(
    client, world, make_user, token_for
):
    other = make_user("partner", username="asso-sortie")
    url = f"/api/v1/people/{world.inside.id}"
    share = {"partner": "asso-sortie", "consent_date": "2026-11-20", "note": "accord oral"}
    shared = _post(client, world, "spip", url + "/share", share)
    assert shared.status_code == 201
    assert shared.get_json()["partner"] == {"id": other.id, "username": "asso-sortie"}
    assert client.get(url, headers=token_for(other)).status_code == 200


def test_sharing_needs_an_active_partner_and_a_past_consent(client, world):
    url = f"/api/v1/people/{world.inside.id}/share"
    bad = _post(client, world, "spip", url, {"partner": "spip", "consent_date": "2026-12-01"})
    assert bad.status_code == 400
    assert [e["field"] for e in bad.get_json()["errors"]] == ["partner", "consent_date"]
    worse = _post(client, world, "spip", url, {"partner": 2**70, "consent_date": "1/12/2026"})
    assert [e["field"] for e in worse.get_json()["errors"]] == ["consent_date"]


@pytest.mark.parametrize(
    ("data", "content_type", "field", "words"),
    [
        ("{", "application/json", "body", "JSON invalide ligne 1, colonne 2"),
        ("last_name=Bernard", "application/x-www-form-urlencoded", "body", "Content-Type"),
        ("", "application/json", "body", "corps de requête vide"),
        ("[1, 2]", "application/json", "body", "un objet JSON est attendu"),
        ('{"last_name": NaN}', "application/json", "body", "NaN"),
        ('{"last_name": 1e999}', "application/json", "body", "trop grand"),
        ('{"last_name": "a\\u0000b"}', "application/json", "body", "caractère interdit"),
        ('{"last_name": "\\ud800"}', "application/json", "body", "caractère interdit"),
        ("[" * 5000 + "]" * 5000, "application/json", "body", "imbriqué"),
        (b"\xff\xfe", "application/json", "body", "UTF-8"),
        ('{"lastname": "Bernard"}', "application/json", "lastname", "champ inconnu"),
        ('{"last_name": 12}', "application/json", "last_name", "un texte est attendu"),
    ],
)
def test_bad_bodies_are_400_naming_the_field(
    client, make_user, token_for, data, content_type, field, words
):
    response = client.post(
        "/api/v1/people", data=data, content_type=content_type, headers=token_for(make_user("spip"))
    )
    assert response.status_code == 400
    assert response.is_json
    assert any(e["field"] == field and words in e["message"] for e in response.get_json()["errors"])


def test_unknown_fields_of_an_event_are_named(client, world):
    url = f"/api/v1/people/{world.inside.id}/events"
    body = {"type": "planned_release", "date": "2027-03-01", "measure": "semi_liberte"}
    response = _post(client, world, "spip", url, body)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "measure"
    planned = {"type": "planned_release", "date": "2027-03-01", "version": True}
    bad_version = _post(client, world, "spip", url, planned)
    assert bad_version.status_code == 400
    assert bad_version.get_json()["errors"][0]["field"] == "version"


def test_a_body_over_the_size_limit_is_refused_in_json(client, make_user, token_for):
    big = '{"last_name": "' + "a" * (1024 * 1024) + '"}'
    response = client.post(
        "/api/v1/people",
        data=big,
        content_type="application/json",
        headers=token_for(make_user("spip")),
    )
    assert response.status_code == 413
    assert response.get_json()["errors"][0]["message"] == "envoi trop volumineux"


def test_a_name_whose_search_form_is_longer_is_still_stored(client, make_user, token_for):
    # "ﷺ" is one character whose compatibility form (used for search) has 18.
    body = {**PERSON, "last_name": "ﷺ" * 100}
    response = client.post("/api/v1/people", json=body, headers=token_for(make_user("admin")))
    assert response.status_code == 201
    assert response.get_json()["last_name"] == "ﷺ" * 100
