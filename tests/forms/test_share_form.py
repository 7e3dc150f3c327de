"""Sharing a file with a partner, with the person's consent, and taking it back."""

from __future__ import annotations

from datetime import date

from forms.form_pages import field_error, page_text
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.people.models import Share

ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": "CP Liancourt"}


def shares_of(app, person_id: int) -> list[Share]:
    with db.transaction(app) as s:
        return list(s.exec(select(Share).where(Share.person_id == person_id)).scalars())


def test_sharing_records_who_when_and_consent_and_the_partner_then_sees_the_person(
    app, client, make_user, make_person, login, frozen_clock
):
    person = make_person(events=[ECROU], last_name="Martin")
    spip = make_user("spip", username="agent-spip")
    partner = make_user("partner", username="asso-relais")
    partner_client = app.test_client()
    login(partner_client, partner)
    assert partner_client.get(f"/personnes/{person.id}").status_code == 404
    login(client, spip)
    url = f"/personnes/{person.id}/partage"
    page = client.get(url)
    assert f'<option value="{partner.id}">asso-relais</option>' in page_text(page)

    response = client.form(
        url,
        {"partner": str(partner.id), "consent_date": "20/11/2026", "note": "accord écrit"},
    )

    assert response.status_code == 303
    (share,) = shares_of(app, person.id)
    assert (share.partner_id, share.shared_by, share.consent_date, share.consent_note) == (
        partner.id,
        spip.id,
        date(2026, 11, 20),
        "accord écrit",
    )
    assert share.shared_at == frozen_clock
    listed = page_text(client.get(url))
    assert "donné le 20/11/2026" in listed
    assert "agent-spip" in listed
    with db.transaction(app) as s:
        audit = s.exec(
            select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.PERSON_SHARED))
        ).scalars()
        assert [(a.actor_id, a.person_id) for a in audit] == [(spip.id, person.id)]
    case = partner_client.get(f"/personnes/{person.id}")
    assert case.status_code == 200
    assert "MARTIN" in page_text(case)


def test_the_consent_date_is_required(app, client, make_user, make_person, login):
    person = make_person(events=[ECROU])
    partner = make_user("partner")
    login(client, make_user("spip"))

    missing = client.form(f"/personnes/{person.id}/partage", {"partner": str(partner.id)})
    future = client.form(
        f"/personnes/{person.id}/partage",
        {"partner": str(partner.id), "consent_date": "2026-12-01"},
    )
    no_partner = client.form(f"/personnes/{person.id}/partage", {"consent_date": "2026-11-20"})

    assert missing.status_code == 400
    assert "date du consentement" in field_error(missing, "consent_date").lower()
    assert future.status_code == 400
    assert "dans le futur" in field_error(future, "consent_date")
    assert no_partner.status_code == 400
    assert "Choisissez un compte partenaire actif" in field_error(no_partner, "partner")
    assert shares_of(app, person.id) == []


def test_revoking_a_share_hides_the_person_from_the_partner_and_keeps_the_record(
    app, client, make_user, make_person, login
):
    person = make_person(events=[ECROU])
    partner = make_user("partner")
    login(client, make_user("spip"))
    client.form(
        f"/personnes/{person.id}/partage",
        {"partner": str(partner.id), "consent_date": "2026-11-20"},
    )
    (share,) = shares_of(app, person.id)

    response = client.form(f"/personnes/{person.id}/partage/{share.id}/retirer")

    assert response.status_code == 303
    (revoked,) = shares_of(app, person.id)
    assert revoked.revoked_at is not None
    assert "Partages retirés" in page_text(client.get(f"/personnes/{person.id}/partage"))
    partner_client = app.test_client()
    login(partner_client, partner)
    assert partner_client.get(f"/personnes/{person.id}").status_code == 404


def test_only_spip_and_admin_share(client, make_user, make_person, login):
    person = make_person(events=[ECROU])
    login(client, make_user("usmp"))

    assert client.get(f"/personnes/{person.id}/partage").status_code == 403


def test_a_partner_is_shown_by_its_organisation_in_the_share_form_and_list(
    app, client, make_user, make_person, login
):
    """Issue 12: the login « partenaire » said nothing; the organisation's name does."""
    from cnpe_flow import db as database
    from cnpe_flow.auth.models import User as Account

    partner = make_user("partner", username="partenaire")
    with database.transaction(app) as s:
        s.get(Account, partner.id).organisation = "Association Relais Santé"
    person = make_person()
    login(client, make_user("spip"))
    url = f"/personnes/{person.id}/partage"

    form = client.get(url).get_data(as_text=True)
    shared = client.form(
        url, {"partner": partner.id, "consent_date": "20/11/2026"}, follow_redirects=True
    )

    assert "Association Relais Santé (partenaire)</option>" in form
    assert "Dossier partagé avec Association Relais Santé (partenaire)." in shared.get_data(
        as_text=True
    )
    assert "<td>Association Relais Santé (partenaire)</td>" in shared.get_data(as_text=True)


def test_the_api_and_the_admin_form_set_a_partner_organisation(
    app, client, make_user, login, token_for
):
    from cnpe_flow import db as database
    from cnpe_flow.auth.models import User as Account

    admin = make_user("admin")
    made = client.post(
        "/api/v1/users",
        json={
            "name": "relais",
            "role": "partner",
            "password": "trois mots au hasard",
            "organisation": "Association Relais Santé",
        },
        headers=token_for(admin),
    )
    too_long = client.post(
        "/api/v1/users",
        json={"name": "x", "role": "partner", "password": "trois mots", "organisation": "A" * 121},
        headers=token_for(admin),
    )
    login(client, admin)
    edited = client.form(
        f"/admin/utilisateurs/{made.get_json()['id']}",
        {"role": "partner", "organisation": "Relais Santé Oise", "active": "y"},
    )

    assert made.status_code == 201 and made.get_json()["organisation"] == "Association Relais Santé"
    assert too_long.status_code == 400
    assert too_long.get_json()["errors"][0]["field"] == "organisation"
    assert edited.status_code == 303
    with database.transaction(app) as s:
        assert s.get(Account, made.get_json()["id"]).organisation == "Relais Santé Oise"
