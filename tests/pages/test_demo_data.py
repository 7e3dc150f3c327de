"""The demo data loads through the real operations and shows contract v2's custody paths:
a transfer received by the Marseille accounts, a semi-liberté with a contract signed before
it, and a person released in Mayotte without any AME step."""

from __future__ import annotations

from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.auth.models import User
from cnpe_flow.demo import DEMO_USERS, load_demo
from cnpe_flow.people.evaluation import evaluate_person
from cnpe_flow.people.models import Person, Task
from cnpe_flow.reminders.models import Notification

PASSWORDS = {username: password for _, username, password, _ in DEMO_USERS}


def _person(s, last_name: str) -> Person:
    return s.exec(select(Person).where(Person.last_name == last_name)).scalar_one()


def _login(app, username: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": PASSWORDS[username]},
    )
    assert response.status_code == 302
    return client


def test_the_demo_shows_the_custody_paths_of_contract_v2(app):
    with db.transaction(app) as s:
        logins = load_demo(s)
    assert {username for _, username, _ in logins} >= {"spip-marseille", "usmp-marseille"}

    with db.transaction(app) as s:
        moved = _person(s, "Lambert")
        assert moved.establishment_code == "CP-MARSEILLE"
        told = {
            s.get(User, n.user_id).username  # type: ignore[union-attr]
            for n in s.exec(select(Notification).where(Notification.reason == "transfer"))
            .scalars()
            .all()
        }
        assert told == {"spip-marseille", "usmp-marseille"}
        output = evaluate_person(s, moved).output
        assert output["ald_renewal_pole"] == "SUD", "ALD-2"

        semi = evaluate_person(s, _person(s, "Girard")).output
        amenagement = next(
            e for e in evaluate_person(s, _person(s, "Girard")).effective if e.type == "amenagement"
        )
        notices = [t for t in semi["tasks"] if t["kind"] == "cnpe_amenagement_notice"]
        assert [t["due"] for t in notices] == [amenagement.date.isoformat()], "AFF-3"

        mayotte = _person(s, "Soilihi")
        out = evaluate_person(s, mayotte).output
        assert out["cpam_residence"]["departement"] == "976"
        assert "ame_not_in_mayotte" in {w["code"] for w in out["warnings"]}, "AME-1"
        kinds = {t.kind for t in s.exec(select(Task).where(Task.person_id == mayotte.id)).scalars()}
        assert "ame_first_filing_in_person" not in kinds, "AME-1"
        ids = {"Lambert": moved.id, "Soilihi": mayotte.id}

    # the Liancourt SPIP no longer sees the transferred file; the Marseille SPIP does, told
    assert _login(app, "spip").get(f"/personnes/{ids['Lambert']}").status_code == 404
    marseille = _login(app, "spip-marseille")
    assert marseille.get(f"/personnes/{ids['Lambert']}").status_code == 200
    assert "Dossier reçu par transfert" in marseille.get("/notifications").get_data(as_text=True)
    assert _login(app, "admin").get(f"/personnes/{ids['Soilihi']}").status_code == 200
