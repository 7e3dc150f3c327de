"""Release preparation before the day (issue 9), on SQLite and PostgreSQL: provisional letters
from the planned release, the release address in the window, the packet's two copies with
their cover page and running page numbers, the counsellor as sender, French file names, the
MAS letter only after consent (API 409, then ``POST …/mas-referral``), « Mon profil »."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime

import pdfplumber
import pytest
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.auth.models import User
from cnpe_flow.clock import set_clock
from cnpe_flow.letters.envelope import WINDOW_MM, private_words_in
from cnpe_flow.letters.models import Letter
from cnpe_flow.people.models import Person
from cnpe_flow.people.operations import add_event

LIANCOURT = "Centre pénitentiaire de Liancourt"
#: the frozen day is 23/11/2026: a release planned in 15 days
PLANNED = [
    {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
    {"type": "planned_release", "date": "2026-12-08"},
]
ADDRESS = {
    "kind": "hosted",
    "care_of": "Nadia Benali",
    "lines": ["3 allée des Roses"],
    "postcode": "60100",
    "city": "Creil",
}
#: internal rule IDs (AFF-6, REL-1, C2S-2 …) and internal document or file names
RULE_ID = re.compile(r"\b[A-Z][A-Z0-9]{1,4}-\d{1,2}\b")
FILE_NAMES = re.compile(
    r"\.(md|txt|yaml|yml|json|py)\b|reference-data|webinaire|\bseeds?\b|\bcatalogue\b", re.I
)


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def window_lines(pdf: bytes, page: int = 0) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = doc.pages[page].crop(WINDOW_MM.points()).extract_text() or ""
    return [" ".join(x.split()) for x in text.splitlines() if x.strip()]


def internal_names_in(text: str) -> list[str]:
    return RULE_ID.findall(text) + [m.group(0) for m in FILE_NAMES.finditer(text)]


@pytest.fixture
def planned(app, make_person):
    """A regular person whose release is planned on 08/12/2026, with a hosted address."""
    person = make_person(events=PLANNED, last_name="Martin", first_name="Karim")
    with db.transaction(app) as s:
        s.get(Person, person.id).release_address = ADDRESS
    return person


@pytest.fixture
def spip(app, make_user):
    user = make_user("spip")
    with db.transaction(app) as s:
        row = s.get(User, user.id)
        row.full_name, row.service, row.phone = "Camille Roux", "SPIP de l'Oise", "03 44 12 34 56"
    return user


def test_letters_before_the_levee_are_provisional_then_final(
    app, client, spip, planned, token_for, make_user
):
    """Planned release in 15 days → provisional letters dated from it, with the address in the
    window; a new planned date → a new version; the levée on the day → the final version."""
    headers = token_for(spip)
    url = f"/api/v1/people/{planned.id}/letters/release_summary.pdf"
    first = client.get(url, headers=headers)
    assert first.status_code == 200
    text = flat(first.data)
    assert "Document prévisionnel — préparé avant la sortie prévue le 08/12/2026" in text
    assert "PRÉVISIONNEL" in text
    assert "À partir du 8 décembre 2026, c'est la caisse d'assurance maladie (CPAM)" in text
    assert "Mettez à jour votre carte Vitale à partir du 18 décembre 2026" in text
    assert window_lines(first.data) == [
        "Karim MARTIN",
        "chez Nadia Benali",
        "3 allée des Roses",
        "60100 CREIL",
    ]
    assert first.headers["Content-Disposition"] == (
        'attachment; filename="recapitulatif-sortie-previsionnel-MARTIN-Karim-2026-11-23.pdf"'
    )
    with db.transaction(app) as s:
        add_event(
            s,
            make_user("admin"),
            s.get(Person, planned.id),
            {"type": "planned_release", "date": "2026-12-10"},
        )
    moved = client.get(url, headers=headers)
    assert "sortie prévue le 10/12/2026" in flat(moved.data)
    # the levée is recorded on the day it happens
    set_clock(lambda: datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    with db.transaction(app) as s:
        add_event(
            s,
            make_user("admin"),
            s.get(Person, planned.id),
            {"type": "levee_ecrou", "date": "2026-12-10"},
        )
    final = client.get(url, headers=headers)
    text = flat(final.data)
    assert "prévisionnel" not in text.lower()
    assert "À partir du 10 décembre 2026" in text
    assert final.headers["Content-Disposition"] == (
        'attachment; filename="recapitulatif-sortie-MARTIN-Karim-2026-12-10.pdf"'
    )
    with db.transaction(app) as s:
        rows = s.exec(
            select(Letter).where(Letter.kind == "release_summary").order_by(Letter.version)
        ).scalars()
        assert [(x.version, x.context["provisional"]) for x in rows] == [
            (1, True),
            (2, True),
            (3, False),
        ]


def test_the_letters_page_works_before_the_levee(client, login, spip, planned):
    login(client, spip)
    page = html.unescape(client.get(f"/personnes/{planned.id}/courriers").get_data(as_text=True))
    assert "préparés pour la sortie prévue le 08/12/2026" in page
    assert "prévisionnel" in page
    assert "Récapitulatif de sortie (pour la personne)" in page
    # REL-5: the referral letter waits for consent, and the page says why
    assert "Pas encore : le consentement de la personne" in page


def test_without_a_planned_release_the_reason_points_to_it(
    client, make_user, make_person, token_for
):
    person = make_person(events=PLANNED[:1])
    response = client.get(
        f"/api/v1/people/{person.id}/letters/release_summary.pdf",
        headers=token_for(make_user("spip")),
    )
    assert response.status_code == 404
    assert "enregistrez la date de sortie prévue" in response.get_json()["errors"][0]["message"]


def test_mas_letter_only_after_consent_recorded_through_the_api(
    app, client, spip, planned, token_for, make_user
):
    """REL-5: 409 with the reason before consent; the packet leaves the letter out; the API
    records the consent (audited, same checks as the page); then the letter exists."""
    headers = token_for(spip)
    letter_url = f"/api/v1/people/{planned.id}/letters/mas_referral.pdf"
    before = client.get(letter_url, headers=headers)
    assert before.status_code == 409
    error = before.get_json()["errors"][0]
    assert error["field"] == "kind" and "consentement" in error["message"]
    institutions = client.get(
        f"/api/v1/people/{planned.id}/packet.pdf?copy=institutions", headers=headers
    )
    text = flat(institutions.data)
    assert "Pas encore dans ce dossier" in text and "Saisine de la Mission" not in text

    consent_url = f"/api/v1/people/{planned.id}/mas-referral"
    future = client.post(consent_url, json={"consent_date": "2026-12-01"}, headers=headers)
    assert future.status_code == 400
    assert future.get_json()["errors"][0]["field"] == "consent_date"
    refused = client.post(
        consent_url, json={"consent_date": "2026-11-20"}, headers=token_for(make_user("usmp"))
    )
    assert refused.status_code == 403
    done = client.post(consent_url, json={"consent_date": "2026-11-20"}, headers=headers)
    assert done.status_code == 201
    assert done.get_json()["consent_date"] == "2026-11-20"
    after = client.get(letter_url, headers=headers)
    assert after.status_code == 200
    assert "Consentement recueilli le 20 novembre 2026" in flat(after.data)
    with db.transaction(app) as s:
        audited = s.exec(
            select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.MAS_REFERRAL_UPDATED))
        ).scalars()
        assert [x.actor_id for x in audited] == [spip.id]


def test_the_packet_has_a_cover_two_copies_and_pages_numbered_through(
    client, spip, planned, token_for
):
    headers = token_for(spip)
    client.post(
        f"/api/v1/people/{planned.id}/mas-referral",
        json={"consent_date": "2026-11-20"},
        headers=headers,
    )
    mine = client.get(f"/api/v1/people/{planned.id}/packet.pdf", headers=headers)
    assert mine.status_code == 200
    assert mine.headers["Content-Disposition"] == (
        'attachment; filename="dossier-sortie-previsionnel-MARTIN-Karim-2026-11-23.pdf"'
    )
    with pdfplumber.open(io.BytesIO(mine.data)) as doc:
        pages = [page.extract_text() or "" for page in doc.pages]
    cover = " ".join(pages[0].split())
    assert "Vos démarches santé à la sortie" in cover
    assert "08/12/2026 Contactez votre caisse d'assurance maladie (CPAM)" in cover
    assert "18/12/2026 Mettez à jour votre carte Vitale" in cover
    assert "Mission accompagnement santé" in cover
    assert "09 74 75 75 50" in cover and "du lundi au vendredi" in cover
    assert "Votre conseiller·e : Camille Roux, SPIP de l'Oise, tél. 03 44 12 34 56" in cover
    assert "Transmission du dossier à la CPAM de résidence : envoyé par votre conseiller·e" in cover
    # the cover and the letters travel in a window envelope: the address, nothing private
    assert window_lines(mine.data) == [
        "Karim MARTIN",
        "chez Nadia Benali",
        "3 allée des Roses",
        "60100 CREIL",
    ]
    assert [f"page {i} / {len(pages)}" in " ".join(p.split()) for i, p in enumerate(pages, 1)] == [
        True
    ] * len(pages)
    # no NIR, no CPAM letter, no rule ID nor file name in the person's bag
    text = " ".join(" ".join(pages).split())
    assert "Madame, Monsieur" not in text and "N° de sécurité sociale" not in text
    assert internal_names_in(text) == []
    # the neutral sender names the counsellor, but not a service that reveals custody
    assert "Suivi par : Camille Roux" in cover
    with pdfplumber.open(io.BytesIO(mine.data)) as doc:
        sender = doc.pages[0].crop((0, 0, 90 * 72 / 25.4, 40 * 72 / 25.4)).extract_text()
    assert private_words_in(sender) == []

    theirs = client.get(
        f"/api/v1/people/{planned.id}/packet.pdf?copy=institutions", headers=headers
    )
    assert theirs.headers["Content-Disposition"] == (
        'attachment; filename="dossier-sortie-organismes-previsionnel-MARTIN-Karim-2026-11-23.pdf"'
    )
    text = flat(theirs.data)
    assert "exemplaires pour les organismes" in text
    assert "Suivi par : Camille Roux SPIP de l'Oise Tél. 03 44 12 34 56" in text
    assert "Annexe pour les professionnels" in text and "AFF-6" in text
    assert "N° de sécurité sociale" in text
    bad = client.get(f"/api/v1/people/{planned.id}/packet.pdf?copy=tout", headers=headers)
    assert bad.status_code == 400 and bad.get_json()["errors"][0]["field"] == "copy"


@pytest.mark.parametrize("residence_status", ["regular", "irregular"])
def test_letters_to_the_person_carry_no_rule_id_nor_file_name(
    client, make_user, make_person, token_for, residence_status
):
    """Every letter addressed to the person, and the person's copy of the packet, scanned."""
    person = make_person(
        events=[
            {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
            {"type": "levee_ecrou", "date": "2026-09-30"},
        ],
        residence_status=residence_status,
        carte_vitale=residence_status == "regular",
    )
    headers = token_for(make_user("spip"))
    kinds = ["release_summary"] + (["ame_filing_guide"] if residence_status != "regular" else [])
    for kind in kinds:
        response = client.get(f"/api/v1/people/{person.id}/letters/{kind}.pdf", headers=headers)
        assert response.status_code == 200, kind
        assert internal_names_in(flat(response.data)) == [], kind
    packet = client.get(f"/api/v1/people/{person.id}/packet.pdf", headers=headers)
    assert internal_names_in(flat(packet.data)) == []
    assert "code de la sécurité sociale" in flat(packet.data)


def test_my_profile_is_edited_with_csrf_and_audited(app, client, login, make_user):
    user = make_user("spip")
    login(client, user)
    page = client.get("/profil")
    assert page.status_code == 200 and "Mon profil" in page.get_data(as_text=True)
    no_token = client.post("/profil", data={"full_name": "Camille Roux"})
    assert no_token.status_code == 400
    bad = client.form("/profil", {"full_name": "Camille Roux", "phone": "appelez-moi"})
    assert bad.status_code == 400
    assert "Numéro de téléphone" in html.unescape(bad.get_data(as_text=True))
    ok = client.form(
        "/profil",
        {"full_name": "Camille Roux", "service": "SPIP de l'Oise", "phone": "03 44 12 34 56"},
    )
    assert ok.status_code == 302
    with db.transaction(app) as s:
        row = s.get(User, user.id)
        assert (row.full_name, row.service, row.phone) == (
            "Camille Roux",
            "SPIP de l'Oise",
            "03 44 12 34 56",
        )
        entry = s.exec(
            select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.PROFILE_UPDATED))
        ).scalar_one()
        assert entry.actor_id == user.id
        assert entry.details["new"]["full_name"] == "Camille Roux"


def test_without_a_profile_the_account_name_signs(client, make_user, make_person, token_for):
    person = make_person(events=PLANNED)
    user = make_user("spip", username="c.roux")
    response = client.get(
        f"/api/v1/people/{person.id}/letters/cpam_transfer.pdf", headers=token_for(user)
    )
    assert "Suivi par : c.roux" in flat(response.data)


def test_a_partner_packet_does_not_stop_the_release_day_packet(app, make_user, make_person):
    """The release-day job still makes the full packet when only a partner made theirs."""
    from cnpe_flow.letters.operations import generate_packet_copies
    from cnpe_flow.people.operations import share_person
    from cnpe_flow.reminders.packets import generate_release_packets

    spip, partner = make_user("spip"), make_user("partner")
    person = make_person(
        events=[
            {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
            {"type": "levee_ecrou", "date": "2026-11-23"},
        ]
    )
    with db.transaction(app) as s:
        share_person(s, spip, s.get(Person, person.id), partner.id, "2026-11-01")
    with db.transaction(app) as s:
        generate_packet_copies(s, partner, s.get(Person, person.id))
    generate_release_packets(app, datetime(2026, 11, 23).date())
    with db.transaction(app) as s:
        audiences = s.exec(
            select(Letter.audience).where(Letter.kind == "packet").order_by(Letter.id)
        ).scalars()
        assert list(audiences) == ["partner", "full"]
