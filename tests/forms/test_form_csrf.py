"""Every form that changes a file refuses a POST without the CSRF token (another site's form)."""

from __future__ import annotations

from sqlalchemy import func, select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.people.models import CustodyEvent, Person, Share

ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": "CP Liancourt"}


def count(app, model) -> int:
    with db.transaction(app) as s:
        return s.exec(select(func.count()).select_from(model)).scalar_one()


def test_posts_without_csrf_token_are_refused(app, client, make_user, make_person, login):
    person = make_person(events=[ECROU, {"type": "planned_release", "date": "2026-12-15"}])
    partner = make_user("partner")
    spip = make_user("spip")
    login(client, spip)
    # One real share, so that its revoke button can be attacked too.
    client.form(
        f"/personnes/{person.id}/partage",
        {"partner": str(partner.id), "consent_date": "2026-11-20"},
    )
    with db.transaction(app) as s:
        planned = s.exec(
            select(CustodyEvent).where(CustodyEvent.type == "planned_release")
        ).scalar_one()
        share = s.exec(select(Share)).scalar_one()
    people, events = count(app, Person), count(app, CustodyEvent)
    version = str(person.version)
    identity = {
        "last_name": "Forgé",
        "first_name": "Formulaire",
        "birth_date": "1980-01-01",
        "establishment": "CP Liancourt",
        "residence_status": "regular",
        "carte_vitale": "oui",
        "address_kind": "none",
    }

    new_person = client.post("/personnes/nouvelle", data=identity)
    edit = client.post(f"/personnes/{person.id}/modifier", data={**identity, "version": version})
    new_event = client.post(
        f"/personnes/{person.id}/evenements/nouveau?type=levee_ecrou",
        data={"date": "2026-05-01", "version": version},
    )
    correction = client.post(
        f"/personnes/{person.id}/evenements/nouveau?corrige={planned.id}",
        data={"date": "2026-12-20", "comment": "forgé", "version": version},
    )
    withdraw = client.post(
        f"/personnes/{person.id}/evenements/{planned.id}/retirer",
        data={"comment": "forgé", "version": version},
    )
    share_again = client.post(
        f"/personnes/{person.id}/partage",
        data={"partner": str(partner.id), "consent_date": "2026-11-21"},
    )
    revoke = client.post(f"/personnes/{person.id}/partage/{share.id}/retirer")

    assert new_person.status_code == 400
    assert "Le formulaire a expiré" in new_person.get_data(as_text=True)
    assert edit.status_code == 400
    assert new_event.status_code == 400
    assert correction.status_code == 400
    assert withdraw.status_code == 400
    assert share_again.status_code == 400
    assert revoke.status_code == 400
    assert (count(app, Person), count(app, CustodyEvent)) == (people, events)
    with db.transaction(app) as s:
        assert s.get(Share, share.id).revoked_at is None
        assert s.get(Person, person.id).last_name == "Durand"
        revoked = s.exec(
            select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.SHARE_REVOKED))
        ).all()
        assert revoked == []
