"""Medical details (ALD, AT/MP, IJ …) reach USMP and admin only, on every reading route."""

from __future__ import annotations

import json
import re

from apitools import load_scenario

MEDICAL_FIELDS = {"ij", "ald_renewal_pole", "ald_renewal", "maintained_benefits"}
#: words that tell a health condition (the rule ids ALD-1, ATMP-2 and the event type included)
MEDICAL_WORDS = re.compile(r"ald|atmp|at/mp|consolidated|invalidit", re.IGNORECASE)


def _texts(client, world, caller: str) -> str:
    """What the caller reads of the person, its events and tasks (less the names of the
    fields withheld, which are the same for every person)."""
    base = f"/api/v1/people/{world.released.id}"
    headers = world.headers[caller]
    person = client.get(base, headers=headers).get_json()
    person["evaluation"].pop("hidden_medical_fields", None)
    events = client.get(base + "/events", headers=headers).get_json()
    tasks = client.get(base + "/tasks", headers=headers).get_json()
    return json.dumps([person, events, tasks], ensure_ascii=False)


def test_spip_and_partner_never_read_a_medical_word(client, world):
    assert MEDICAL_WORDS.findall(_texts(client, world, "spip")) == []
    assert MEDICAL_WORDS.findall(_texts(client, world, "partner")) == []


def test_usmp_and_admin_read_the_medical_details(client, world):
    for caller in ("usmp", "admin"):
        found = {w.lower() for w in MEDICAL_WORDS.findall(_texts(client, world, caller))}
        assert {"ald", "atmp", "consolidated"} <= found, caller


def test_the_evaluation_drops_medical_fields_for_spip(client, world):
    url = f"/api/v1/people/{world.released.id}"
    spip = client.get(url, headers=world.headers["spip"]).get_json()
    usmp = client.get(url, headers=world.headers["usmp"]).get_json()
    assert MEDICAL_FIELDS & spip["evaluation"].keys() == set()
    assert usmp["evaluation"].keys() >= MEDICAL_FIELDS
    assert sorted(spip["evaluation"]["hidden_medical_fields"]) == sorted(MEDICAL_FIELDS)
    assert "benefits_before_ecrou" not in spip
    assert usmp["benefits_before_ecrou"] == ["ald"]
    assert usmp["evaluation"]["ald_renewal_pole"] == "NORD"
    assert [x["kind"] for x in spip["evaluation"]["letters"]] == [
        "release_summary",
        "cpam_transfer",
        "mas_referral",
    ]
    assert "ald_renewal" in [x["kind"] for x in usmp["evaluation"]["letters"]]


def test_medical_tasks_are_masked_but_their_owner_and_due_date_show(client, world):
    url = f"/api/v1/people/{world.released.id}/tasks"
    partner = client.get(url, headers=world.headers["partner"]).get_json()
    usmp = client.get(url, headers=world.headers["usmp"]).get_json()
    assert [(t["kind"], t["owner"], t["due"]) for t in partner if t["medical"]] == [
        ("medical_step", "usmp", "2026-01-10"),
        ("medical_step", "usmp", "2026-06-30"),
    ]
    assert [(t["kind"], t["owner"], t["due"]) for t in usmp if t["medical"]] == [
        ("ald_protocol_request", "usmp", "2026-01-10"),
        ("atmp_ij_claim", "usmp", "2026-06-30"),
    ]
    assert [t["id"] for t in partner] == [t["id"] for t in usmp]


def test_atmp_events_are_a_dated_mask_for_spip(client, world):
    url = f"/api/v1/people/{world.released.id}/events"
    spip = client.get(url, headers=world.headers["spip"]).get_json()
    admin = client.get(url, headers=world.headers["admin"]).get_json()
    assert [(e["type"], e["date"], e["data"]) for e in spip] == [
        ("ecrou", "2026-01-10", {"establishment": "Centre pénitentiaire de Liancourt"}),
        ("medical_event", "2026-03-02", {}),
        ("levee_ecrou", "2026-06-30", {}),
    ]
    assert admin[1]["type"] == "atmp_during_ecrou"
    assert admin[1]["data"] == {"consolidated": False}


def test_an_event_added_by_spip_comes_back_redacted(client, world):
    added = client.post(
        f"/api/v1/people/{world.released.id}/events",
        json={"type": "ecrou", "date": "2026-09-01", "establishment": "CP Liancourt"},
        headers=world.headers["spip"],
    )
    assert added.status_code == 201
    body = added.get_json()
    body["person"]["evaluation"].pop("hidden_medical_fields")
    assert MEDICAL_WORDS.findall(json.dumps(body)) == []
    assert [t["kind"] for t in body["person"]["evaluation"]["tasks"]].count("medical_step") == 3


def test_spip_cannot_give_medical_benefits_when_creating_a_person(client, world):
    body = {
        "last_name": "Bernard",
        "first_name": "Nina",
        "birth_date": "1990-05-02",
        "residence_status": "regular",
        "carte_vitale": True,
        "benefits_before_ecrou": ["ald"],
    }
    response = client.post("/api/v1/people", json=body, headers=world.headers["spip"])
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "benefits_before_ecrou"


def test_evaluate_returns_the_callers_case_whole_to_every_role(client, world):
    case = load_scenario("08-")["case"]
    spip = client.post("/api/v1/evaluate", json=case, headers=world.headers["spip"]).get_json()
    usmp = client.post("/api/v1/evaluate", json=case, headers=world.headers["usmp"]).get_json()
    assert spip == usmp
    assert spip["ald_renewal_pole"] == "NORD"
