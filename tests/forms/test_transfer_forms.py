"""Contract v2 through the pages: a transfer moves the file to the new establishment, a work
contract may be signed before the aménagement, and refused events say why next to the field,
in French, without the contract's internal names."""

from __future__ import annotations

import html
import re

from forms.form_pages import field_error, hidden_value, page_text
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.people.models import CustodyEvent, Person, Task
from cnpe_flow.reminders.models import Notification

LIANCOURT = "Centre pénitentiaire de Liancourt"
MARSEILLE = "Centre pénitentiaire de Marseille-Baumettes"
ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT}
#: what a page must never show: the contract's event names (French words are fine:
#: « transfert » is not « transfer »)
INTERNAL_NAMES = re.compile(
    r"\b(transfer|ecrou|levee_ecrou|activity_start|activity_end|amenagement|planned_release)\b"
)


def _types(app, person_id: int) -> list[str]:
    with db.transaction(app) as s:
        return list(
            s.exec(
                select(CustodyEvent.type)
                .where(CustodyEvent.person_id == person_id)
                .order_by(CustodyEvent.id)
            ).scalars()
        )


def _post_event(client, person_id: int, kind: str, values: dict[str, str]):
    url = f"/personnes/{person_id}/evenements/nouveau?type={kind}"
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return page, client.form(url, {**values, "version": hidden_value(page, "version")})


def _no_internal_names(response) -> None:
    """The text a reader sees (tags and their attributes left out) names no contract event."""
    visible = html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    assert INTERNAL_NAMES.findall(visible) == []


def test_a_spip_transfers_a_file_by_the_new_establishments_name_and_loses_it(
    app, client, make_user, make_person, login
):
    person = make_person(benefits=["ald"], events=[ECROU])
    old_spip, old_usmp = make_user("spip"), make_user("usmp")
    new_spip = make_user("spip", establishment=MARSEILLE, email="spip@marseille.example")
    new_usmp = make_user("usmp", establishment=MARSEILLE)
    login(client, old_spip)
    chooser = page_text(client.get(f"/personnes/{person.id}/evenements/nouveau"))
    assert "Transfert vers un autre établissement" in chooser

    page, response = _post_event(
        client, person.id, "transfer", {"date": "01/04/2026", "establishment": "CP Marseille"}
    )

    assert "Nouvel établissement" in page_text(page)
    assert "votre établissement ne verra plus le dossier" in page_text(page)
    # the file is no longer the old SPIP's: back to the list, with what happened
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/personnes")
    listing = page_text(client.get("/personnes"))
    assert f"maintenant suivi par {MARSEILLE}" in listing
    assert client.get(f"/personnes/{person.id}").status_code == 404
    old_usmp_client = app.test_client()
    login(old_usmp_client, old_usmp)
    assert old_usmp_client.get(f"/personnes/{person.id}").status_code == 404
    # the new establishment's SPIP and USMP see the file and were told
    for user in (new_spip, new_usmp):
        other = app.test_client()
        login(other, user)
        case = page_text(other.get(f"/personnes/{person.id}"))
        assert f"Transfert le 01/04/2026 : de {LIANCOURT} vers {MARSEILLE}" in case
        assert "Dossier reçu par transfert : reprendre le suivi" in case
        notices = page_text(other.get("/notifications"))
        assert "Dossier reçu par transfert" in notices and "DURAND Alex" in notices
    with db.transaction(app) as s:
        stored = s.get(Person, person.id)
        assert stored.establishment_code == "CP-MARSEILLE"
        assert _types(app, person.id) == ["ecrou", "transfer"]
        task = s.exec(select(Task).where(Task.kind == "transfer_handover")).scalar_one()
        assert (task.owner, task.due.isoformat(), task.medical) == ("spip", "2026-04-01", False)
        told = s.exec(select(Notification.user_id, Notification.reason)).all()
        assert sorted(told) == sorted([(new_spip.id, "transfer"), (new_usmp.id, "transfer")])
        (audit,) = s.exec(
            select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.PERSON_TRANSFERRED))
        ).scalars()
        assert audit.actor_id == old_spip.id and audit.person_id == person.id
        assert (audit.details["from"], audit.details["to"]) == ("CP-LIANCOURT", "CP-MARSEILLE")
        assert "Durand" not in str(audit.details) and "ald" not in str(audit.details)


def test_a_transfer_outside_an_ecrou_is_refused_under_its_date_in_french(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU, {"type": "levee_ecrou", "date": "2026-03-01"}])
    login(client, make_user("spip"))

    _, response = _post_event(
        client, person.id, "transfer", {"date": "2026-04-01", "establishment": MARSEILLE}
    )

    assert response.status_code == 400
    assert field_error(response, "date") == (
        "Le transfert (01/04/2026) hors écrou : la personne est sortie le 01/03/2026 (levée "
        "d'écrou) et n'a pas été écrouée de nouveau depuis"
    )
    _no_internal_names(response)
    assert _types(app, person.id) == ["ecrou", "levee_ecrou"]


def test_a_transfer_to_the_same_establishment_is_refused_under_the_establishment(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU])
    login(client, make_user("spip"))

    _, same = _post_event(
        client, person.id, "transfer", {"date": "2026-04-01", "establishment": "CP Liancourt"}
    )
    _, unknown = _post_event(
        client, person.id, "transfer", {"date": "2026-04-01", "establishment": "Nulle-Part"}
    )

    assert same.status_code == 400
    assert field_error(same, "establishment") == (
        f"Le transfert (01/04/2026) vers {LIANCOURT}, où la personne est déjà écrouée"
    )
    assert unknown.status_code == 400
    assert "Établissement inconnu « Nulle-Part »" in field_error(unknown, "establishment")
    assert _types(app, person.id) == ["ecrou"]


def test_a_second_ecrou_without_levee_says_to_record_a_transfer(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU])
    login(client, make_user("spip"))

    _, response = _post_event(
        client, person.id, "ecrou", {"date": "2026-04-01", "establishment": MARSEILLE}
    )

    assert response.status_code == 400
    assert "enregistrez un transfert" in field_error(response, "date")
    assert "01/04/2026" in field_error(response, "date")
    _no_internal_names(response)


def test_only_the_spip_and_the_administrator_record_a_transfer(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU])
    login(client, make_user("usmp"))
    base = f"/personnes/{person.id}/evenements/nouveau"
    assert "Transfert vers" not in page_text(client.get(base))
    assert client.get(f"{base}?type=transfer").status_code == 403

    forged = client.form(
        f"{base}?type=transfer",
        {"date": "2026-04-01", "establishment": MARSEILLE, "version": str(person.version)},
    )

    assert forged.status_code == 403
    assert _types(app, person.id) == ["ecrou"]


def test_a_work_contract_signed_before_the_semi_liberte_is_accepted_aff_3(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU])
    login(client, make_user("spip"))

    _, lonely = _post_event(
        client, person.id, "activity_start", {"date": "2026-05-01", "activity": "work"}
    )
    # AFF-3: without an aménagement to come, the activity is refused, in French, on its date
    assert lonely.status_code == 400
    assert "sans aménagement de peine pendant cet écrou" in field_error(lonely, "date")
    assert "(AFF-3)" in field_error(lonely, "date")
    _no_internal_names(lonely)

    _, amenagement = _post_event(
        client, person.id, "amenagement", {"date": "2026-05-15", "measure": "semi_liberte"}
    )
    _, contract = _post_event(
        client, person.id, "activity_start", {"date": "2026-05-01", "activity": "work"}
    )

    assert (amenagement.status_code, contract.status_code) == (303, 303)
    assert _types(app, person.id) == ["ecrou", "amenagement", "activity_start"]
    with db.transaction(app) as s:
        notices = (
            s.exec(
                select(Task.due).where(
                    Task.person_id == person.id, Task.kind == "cnpe_amenagement_notice"
                )
            )
            .scalars()
            .all()
        )
    # AFF-3: one notice to the CNPE, on the aménagement's date
    assert [d.isoformat() for d in notices] == ["2026-05-15"]


def test_correcting_the_transfer_back_moves_the_file_back_and_tells_the_first_establishment(
    app, client, make_user, make_person, login
):
    person = make_person(
        events=[ECROU, {"type": "transfer", "date": "2026-04-01", "establishment": MARSEILLE}]
    )
    first_spip = make_user("spip")
    new_spip = make_user("spip", establishment=MARSEILLE)
    login(client, new_spip)
    with db.transaction(app) as s:
        transfer_id = s.exec(
            select(CustodyEvent.id).where(CustodyEvent.type == "transfer")
        ).scalar_one()
    url = f"/personnes/{person.id}/evenements/nouveau?corrige={transfer_id}"
    page = client.get(url)
    assert f'value="{MARSEILLE}"' in page_text(page)

    response = client.form(
        url,
        {
            "date": "2026-04-01",
            "establishment": "CP Liancourt",
            "comment": "transfert saisi à tort",
            "version": hidden_value(page, "version"),
        },
    )
    # the same establishment again is refused: withdrawing is the way back
    assert response.status_code == 400
    withdraw = client.form(
        f"/personnes/{person.id}/evenements/{transfer_id}/retirer",
        {"comment": "transfert annulé", "version": hidden_value(page, "version")},
    )

    assert withdraw.status_code == 303 and withdraw.headers["Location"].endswith("/personnes")
    assert client.get(f"/personnes/{person.id}").status_code == 404
    first = app.test_client()
    login(first, first_spip)
    assert first.get(f"/personnes/{person.id}").status_code == 200
    with db.transaction(app) as s:
        handovers = {
            (t.due.isoformat(), t.obsolete)
            for t in s.exec(select(Task).where(Task.kind == "transfer_handover")).scalars()
        }
        told = {u for u, r in s.exec(select(Notification.user_id, Notification.reason)).all()}
    # the hand-over to Marseille has no object any more; Liancourt takes the file up again
    assert handovers == {("2026-04-01", True), ("2026-01-10", False)}
    assert first_spip.id in told


def test_changing_the_establishment_on_the_identity_form_points_to_the_transfer(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU])
    login(client, make_user("spip"))
    url = f"/personnes/{person.id}/modifier"
    page = client.get(url)
    assert "« Transfert vers un autre établissement »" in page_text(page)

    response = client.form(
        url,
        {
            "last_name": "Durand",
            "first_name": "Alex",
            "birth_date": "14/03/1985",
            "establishment": "CP Marseille",
            "residence_status": "regular",
            "carte_vitale": "oui",
            "residence_postcode": "60000",
            "version": hidden_value(page, "version"),
        },
    )

    assert response.status_code == 400
    assert "« Transfert vers un autre établissement »" in field_error(response, "establishment")
    with db.transaction(app) as s:
        assert s.get(Person, person.id).establishment_code == "CP-LIANCOURT"
