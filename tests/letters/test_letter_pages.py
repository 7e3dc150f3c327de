"""Letter pages and the letters API: list, generate, download, role limits, JSON reasons."""

from __future__ import annotations

import html
import io

from pypdf import PdfReader
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.letters.models import Letter
from cnpe_flow.people.models import Person
from cnpe_flow.people.operations import share_person

LIANCOURT = "Centre pénitentiaire de Liancourt"
RELEASED = [
    {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
    {"type": "levee_ecrou", "date": "2026-09-30"},
]


def letters_of(app, person_id):
    with db.transaction(app) as s:
        rows = s.exec(select(Letter).where(Letter.person_id == person_id).order_by(Letter.id))
        return [(x.kind, x.version) for x in rows.scalars()]


def test_the_page_lists_the_letters_that_apply_for_this_role(client, login, make_user, make_person):
    person = make_person(events=RELEASED, benefits=["ald"])
    login(client, make_user("spip"))
    page = client.get(f"/personnes/{person.id}/courriers").get_data(as_text=True)
    assert "Récapitulatif de sortie (pour la personne)" in page
    assert "Transmission du dossier à la CPAM de résidence" in page
    assert "Orientation vers la Mission accompagnement santé (saisine)" in page
    assert "ALD" not in page
    assert "Générer le dossier de sortie" in page


def test_generate_then_download_records_who_read_it(app, client, login, make_user, make_person):
    person = make_person(events=RELEASED)
    login(client, make_user("spip"))
    response = client.form(f"/personnes/{person.id}/courriers/generer", {"kind": "release_summary"})
    assert response.status_code == 302
    page = client.get(f"/personnes/{person.id}/courriers").get_data(as_text=True)
    assert "version 1 générée" in page
    with db.transaction(app) as s:
        letter = s.exec(select(Letter)).scalars().one()
        letter_id, sha = letter.id, letter.sha256
    assert sha[:16] in page
    download = client.get(f"/personnes/{person.id}/courriers/{letter_id}.pdf")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="recapitulatif-sortie-DURAND-Alex-2026-11-23.pdf"'
    )
    with db.transaction(app) as s:
        viewed = (
            s.exec(select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.LETTER_VIEWED)))
            .scalars()
            .one()
        )
        assert viewed.details["letter_id"] == letter_id


def test_generating_without_change_says_the_version_is_current(
    app, client, login, make_user, make_person
):
    person = make_person(events=RELEASED)
    login(client, make_user("spip"))
    client.form(f"/personnes/{person.id}/courriers/generer", {"kind": "release_summary"})
    client.form(f"/personnes/{person.id}/courriers/generer", {"kind": "release_summary"})
    page = html.unescape(client.get(f"/personnes/{person.id}/courriers").get_data(as_text=True))
    assert "rien n'a changé, la version 1 est à jour" in page
    assert letters_of(app, person.id) == [("release_summary", 1)]


def test_the_packet_is_generated_from_the_page(app, client, login, make_user, make_person):
    person = make_person(events=RELEASED)
    login(client, make_user("spip"))
    client.form(f"/personnes/{person.id}/courriers/generer", {"kind": "packet"})
    page = html.unescape(client.get(f"/personnes/{person.id}/courriers").get_data(as_text=True))
    assert "Dossier de sortie — exemplaire de la personne : version 1 générée" in page
    assert "Dossier de sortie — exemplaires pour les organismes : version 1 générée" in page
    # REL-5: without the person's consent the referral is left out, and the page says why
    assert "Non inclus : Orientation vers la Mission accompagnement santé (saisine)" in page
    assert "consentement de la personne" in page
    assert "Transmission du dossier à la CPAM de résidence" in page
    assert letters_of(app, person.id) == [
        ("release_summary", 1),
        ("cpam_transfer", 1),
        ("packet", 1),
        ("packet_institutions", 1),
    ]


def test_spip_gets_a_403_page_for_the_ald_letter(client, login, make_user, make_person):
    person = make_person(events=RELEASED, benefits=["ald"])
    login(client, make_user("spip"))
    response = client.form(f"/personnes/{person.id}/courriers/generer", {"kind": "ald_renewal"})
    assert response.status_code == 403
    assert "courrier médical est réservé" in html.unescape(response.get_data(as_text=True))


def test_spip_cannot_download_a_medical_letter_by_its_id(
    app, client, login, make_user, make_person
):
    person = make_person(events=RELEASED, benefits=["ald"])
    login(client, make_user("usmp"))
    client.form(f"/personnes/{person.id}/courriers/generer", {"kind": "ald_renewal"})
    with db.transaction(app) as s:
        letter_id = s.exec(select(Letter.id)).scalars().one()
    client.post("/logout", data={"csrf_token": client.csrf})
    login(client, make_user("spip"))
    assert client.get(f"/personnes/{person.id}/courriers/{letter_id}.pdf").status_code == 404


def test_api_mas_referral_of_an_ame_case_is_a_404_naming_the_reason(
    client, make_user, make_person, token_for
):
    person = make_person(events=RELEASED, residence_status="irregular", carte_vitale=False)
    headers = token_for(make_user("spip"))
    response = client.get(f"/api/v1/people/{person.id}/letters/mas_referral.pdf", headers=headers)
    assert response.status_code == 404
    error = response.get_json()["errors"][0]
    assert error["field"] == "kind"
    assert "ne reçoit que les assurés" in error["message"]
    assert "REL-4" in error["message"]


def test_api_ald_letter_is_not_found_for_spip_and_served_to_usmp(
    client, make_user, make_person, token_for
):
    person = make_person(events=RELEASED, benefits=["ald"])
    url = f"/api/v1/people/{person.id}/letters/ald_renewal.pdf"
    refused = client.get(url, headers=token_for(make_user("spip")))
    served = client.get(url, headers=token_for(make_user("usmp")))
    assert refused.status_code == 404
    assert refused.get_json()["errors"][0]["field"] == "kind"
    assert served.status_code == 200
    assert served.data.startswith(b"%PDF-")


def test_api_packet_and_unknown_kind(client, make_user, make_person, token_for):
    person = make_person(events=RELEASED)
    headers = token_for(make_user("spip"))
    packet = client.get(f"/api/v1/people/{person.id}/packet.pdf", headers=headers)
    unknown = client.get(f"/api/v1/people/{person.id}/letters/lettre.pdf", headers=headers)
    anonymous = client.get(f"/api/v1/people/{person.id}/packet.pdf")
    assert packet.status_code == 200
    assert len(PdfReader(io.BytesIO(packet.data)).pages) >= 3
    assert unknown.status_code == 404
    assert unknown.get_json()["errors"] == [
        {"field": "kind", "message": "type de courrier inconnu « lettre »"}
    ]
    assert anonymous.status_code == 401


def test_api_person_of_another_establishment_is_not_found(
    client, make_user, make_person, token_for
):
    person = make_person(
        events=[
            {"type": "ecrou", "date": "2026-01-10", "establishment": "CP Fresnes"},
            {"type": "levee_ecrou", "date": "2026-09-30"},
        ],
        establishment="CP Fresnes",
    )
    headers = token_for(make_user("spip"))
    response = client.get(f"/api/v1/people/{person.id}/packet.pdf", headers=headers)
    assert response.status_code == 404


def test_a_partner_gets_the_after_release_letters_of_a_shared_person_only(
    app, client, make_user, make_person, token_for
):
    spip = make_user("spip")
    partner = make_user("partner")
    person = make_person(events=RELEASED)
    headers = token_for(partner)
    url = f"/api/v1/people/{person.id}/letters"
    assert client.get(f"{url}/release_summary.pdf", headers=headers).status_code == 404
    with db.transaction(app) as s:
        share_person(s, spip, s.get(Person, person.id), partner.id, "2026-10-01")
    summary = client.get(f"{url}/release_summary.pdf", headers=headers)
    transfer = client.get(f"{url}/cpam_transfer.pdf", headers=headers)
    assert summary.status_code == 200
    assert transfer.status_code == 404
    assert transfer.get_json()["errors"][0]["field"] == "kind"


def test_a_letter_number_beyond_any_id_is_not_found(app, client, login, make_user, make_person):
    """An id too large for the database's integer (a typed or forged address) is a 404, not
    an error from PostgreSQL."""
    person = make_person(events=RELEASED)
    login(client, make_user("spip"))

    assert client.get(f"/personnes/{person.id}/courriers/{2**40}.pdf").status_code == 404
