"""Contract v2 through the API: a transfer moves the file (the old establishment gets 404
at once, the new one reads it), the engine's messages are French sentences with the events
in the contract's words beside them, and the evaluation carries transfers and provisional
letters."""

from __future__ import annotations

from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.reminders.models import Notification

MARSEILLE = "Centre pénitentiaire de Marseille-Baumettes"


def _post(client, world, caller, url, body):
    return client.post(url, json=body, headers=world.headers[caller])


def test_a_transfer_hands_the_file_to_the_new_establishment_at_once(
    app, client, world, make_user, token_for
):
    new_spip = make_user("spip", establishment=MARSEILLE)
    new_usmp = make_user("usmp", establishment=MARSEILLE)
    base = f"/api/v1/people/{world.inside.id}"
    assert client.get(base, headers=token_for(new_spip)).status_code == 404

    moved = _post(
        client,
        world,
        "spip",
        f"{base}/events",
        {"type": "transfer", "date": "2026-10-05", "establishment": "CP-MARSEILLE"},
    )

    assert moved.status_code == 201, moved.get_json()
    assert moved.get_json()["event"]["data"] == {"establishment": "CP-MARSEILLE"}
    for path in ("", "/events", "/tasks", "/packet.pdf"):
        assert client.get(base + path, headers=world.headers["spip"]).status_code == 404, path
        assert client.get(base + path, headers=world.headers["usmp"]).status_code == 404, path
    # the partner it is shared with and the administrator still read it
    assert client.get(base, headers=world.headers["partner"]).status_code == 200
    person = client.get(base, headers=token_for(new_spip)).get_json()
    assert person["establishment"] == {"code": "CP-MARSEILLE", "name": MARSEILLE}
    evaluation = person["evaluation"]
    assert evaluation["current"]["establishment"] == MARSEILLE
    (stay,) = evaluation["stays"]
    assert stay["establishment"]["code"] == "CP-LIANCOURT"
    assert [(t["date"], t["establishment"]["code"]) for t in stay["transfers"]] == [
        ("2026-10-05", "CP-MARSEILLE")
    ]
    tasks = client.get(f"{base}/tasks", headers=token_for(new_usmp)).get_json()
    assert [(t["kind"], t["label"], t["owner"], t["due"]) for t in tasks] == [
        (
            "transfer_handover",
            "Dossier reçu par transfert : reprendre le suivi",
            "spip",
            "2026-10-05",
        )
    ]
    with db.transaction(app) as s:
        told = set(s.exec(select(Notification.user_id, Notification.reason)).all())
        audit = s.exec(
            select(AuditEntry.details).where(
                AuditEntry.event_type == int(AuditEvent.PERSON_TRANSFERRED)
            )
        ).scalar_one()
    assert told == {(new_spip.id, "transfer"), (new_usmp.id, "transfer")}
    assert (audit["from"], audit["to"], audit["date"]) == (
        "CP-LIANCOURT",
        "CP-MARSEILLE",
        "2026-10-05",
    )


def test_only_the_spip_and_the_administrator_record_a_transfer(client, world):
    url = f"/api/v1/people/{world.inside.id}/events"
    body = {"type": "transfer", "date": "2026-10-05", "establishment": MARSEILLE}
    assert _post(client, world, "usmp", url, body).status_code == 403
    assert _post(client, world, "partner", url, body).status_code == 403
    assert _post(client, world, "admin", url, body).status_code == 201


def test_a_transfer_outside_an_ecrou_is_a_french_sentence_with_the_events_beside(client, world):
    url = f"/api/v1/people/{world.released.id}/events"

    refused = _post(
        client,
        world,
        "spip",
        url,
        {"type": "transfer", "date": "2026-08-01", "establishment": MARSEILLE},
    )
    unknown_field = _post(
        client,
        world,
        "spip",
        url,
        {"type": "transfer", "date": "2026-05-01", "establishment": MARSEILLE, "measure": "x"},
    )

    assert refused.status_code == 400
    (error,) = refused.get_json()["errors"]
    assert error["field"] == "event"
    assert error["message"] == (
        "Le transfert (01/08/2026) hors écrou : la personne est sortie le 30/06/2026 (levée "
        "d'écrou) et n'a pas été écrouée de nouveau depuis"
    )
    assert error["refs"] == ["transfer 2026-08-01", "levee_ecrou 2026-06-30"]
    assert unknown_field.status_code == 400
    assert [e["field"] for e in unknown_field.get_json()["errors"]] == ["measure"]


def test_letters_before_the_levee_are_provisional(client, world):
    url = f"/api/v1/people/{world.inside.id}/events"
    assert (
        _post(
            client, world, "spip", url, {"type": "planned_release", "date": "2026-12-15"}
        ).status_code
        == 201
    )

    before = client.get(f"/api/v1/people/{world.inside.id}", headers=world.headers["spip"])
    after = client.get(f"/api/v1/people/{world.released.id}", headers=world.headers["spip"])

    planned = before.get_json()["evaluation"]["letters"]
    assert planned and {x["provisional"] for x in planned} == {True}
    assert {x["provisional"] for x in after.get_json()["evaluation"]["letters"]} == {False}
