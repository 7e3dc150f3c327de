"""Stored letters: same data → same row; changed data → a new version, old ones kept; packets;
who may get which letter. Runs on SQLite and PostgreSQL (``app`` fixture)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from cnpe_flow import create_app, db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.errors import Forbidden
from cnpe_flow.letters import mas_operations as mas
from cnpe_flow.letters.models import Letter
from cnpe_flow.letters.operations import (
    LetterUnavailable,
    generate_letter,
    generate_packet,
    generate_packet_copies,
    letter_parts,
    stored_letters,
)
from cnpe_flow.people.models import Person
from cnpe_flow.people.operations import share_person, update_person

LIANCOURT = "Centre pénitentiaire de Liancourt"
RELEASED = [
    {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
    {"type": "amenagement", "date": "2026-06-01", "measure": "semi_liberte"},
    {"type": "levee_ecrou", "date": "2026-09-30"},
]


def pdf_text(pdf):
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def generate(app, actor, person_id, kind):
    with db.transaction(app) as s:
        letter = generate_letter(s, actor, s.get(Person, person_id), kind)
        return letter.id, letter.version, letter.sha256


def audit_count(app, event):
    with db.transaction(app) as s:
        rows = s.exec(select(AuditEntry).where(AuditEntry.event_type == int(event))).scalars()
        return len(list(rows))


def test_generating_again_with_the_same_data_reuses_the_stored_letter(app, make_user, make_person):
    spip = make_user("spip")
    person = make_person(events=RELEASED)
    first = generate(app, spip, person.id, "release_summary")
    second = generate(app, spip, person.id, "release_summary")
    assert first == second
    assert first[1] == 1
    assert audit_count(app, AuditEvent.LETTER_GENERATED) == 1


def test_a_changed_situation_gives_version_2_and_keeps_version_1(app, make_user, make_person):
    spip = make_user("spip")
    person = make_person(events=RELEASED)
    admin = make_user("admin")
    v1 = generate(app, spip, person.id, "release_summary")
    with db.transaction(app) as s:
        update_person(s, admin, s.get(Person, person.id), {"residence_postcode": "75011"}, None)
    v2 = generate(app, spip, person.id, "release_summary")
    with db.transaction(app) as s:
        rows = (
            s.exec(select(Letter).where(Letter.kind == "release_summary").order_by(Letter.version))
            .scalars()
            .all()
        )
        assert [(r.id, r.version, r.sha256) for r in rows] == [v1, v2]
        assert v1[2] != v2[2]
        assert rows[0].context["cpam"]["name"] == "CPAM de l'Oise"
        assert rows[1].context["cpam"]["name"] == "CPAM de Paris (Assurance Maladie de Paris)"


def test_spip_cannot_get_the_ald_renewal_letter(app, make_user, make_person):
    """ALD-2 letters reveal a long-term illness: USMP and admin only."""
    spip = make_user("spip")
    usmp = make_user("usmp")
    person = make_person(events=RELEASED, benefits=["ald"])
    with db.transaction(app) as s, pytest.raises(Forbidden):
        generate_letter(s, spip, s.get(Person, person.id), "ald_renewal")
    assert generate(app, usmp, person.id, "ald_renewal")[1] == 1


def test_an_ame_case_gets_no_mas_referral(app, make_user, make_person):
    """REL-4: the Mission accompagnement santé serves insured persons only."""
    spip = make_user("spip")
    person = make_person(events=RELEASED, residence_status="irregular", carte_vitale=False)
    with db.transaction(app) as s, pytest.raises(LetterUnavailable) as exc:
        generate_letter(s, spip, s.get(Person, person.id), "mas_referral")
    assert "REL-4" in str(exc.value)
    assert generate(app, spip, person.id, "ame_filing_guide")[1] == 1


def test_a_letter_before_the_release_is_unavailable_with_the_reason(app, make_user, make_person):
    spip = make_user("spip")
    person = make_person(events=RELEASED[:2])
    with db.transaction(app) as s, pytest.raises(LetterUnavailable) as exc:
        generate_letter(s, spip, s.get(Person, person.id), "release_summary")
    assert "ni date de sortie prévue ni levée d'écrou" in str(exc.value)


def test_the_packet_is_two_documents_without_the_medical_letter(app, make_user, make_person):
    """The person's copy (cover and the letters to the person) and the institutions' copy (the
    letters the service sends, then the annex); the ALD letter goes under confidential cover,
    never in a packet, so SPIP, USMP and admin share one « full » audience."""
    spip = make_user("spip")
    usmp = make_user("usmp")
    person = make_person(events=RELEASED, benefits=["ald"])
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        mas.record_consent(s, spip, p, "2026-10-01")
        medical = generate_packet_copies(s, usmp, p)
        assert letter_parts(medical["packet"]) == ["release_summary"]
        assert letter_parts(medical["packet_institutions"]) == [
            "cpam_transfer",
            "mas_referral",
            "cnpe_amenagement",
        ]
        assert {x.audience for x in medical.values()} == {"full"}
        person_copy = pdf_text(medical["packet"].pdf)
        assert "Vos démarches santé à la sortie" in person_copy
        # the CPAM letter carries the NIR: not in the person's bag
        assert "185" not in person_copy.replace("1850", "")
        assert "Transmission du dossier" in person_copy  # named in « Vos papiers »
        institutions = pdf_text(medical["packet_institutions"].pdf)
        assert "Annexe pour les professionnels" in institutions
        assert "AFF-6" in institutions and "REL-5" in institutions
        # pages numbered through each document
        pages = len(PdfReader(io.BytesIO(medical["packet_institutions"].pdf)).pages)
        assert f"page {pages} / {pages}" in institutions
        assert "page 1 / 1" not in institutions
        social = generate_packet_copies(s, spip, p)
        ids = {k: x.id for k, x in social.items()}
        assert [x.id for x in stored_letters(s, spip, p) if x.kind.startswith("packet")] == [
            ids["packet_institutions"],
            ids["packet"],
            medical["packet_institutions"].id,
            medical["packet"].id,
        ]
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        again = generate_packet_copies(s, spip, p)
        assert {k: x.id for k, x in again.items()} == ids


def test_a_partner_packet_never_hides_the_full_one(app, make_user, make_person):
    """Each audience sees its own latest packet: the partner's (what a partner may read) is
    stored apart and the SPIP still sees the full one."""
    spip = make_user("spip")
    partner = make_user("partner")
    person = make_person(events=RELEASED)
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        share_person(s, spip, p, partner.id, "2026-10-01")
        mas.record_consent(s, spip, p, "2026-10-01")
        full = generate_packet_copies(s, spip, p)
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        mine = generate_packet_copies(s, partner, p)
        assert letter_parts(mine["packet"]) == ["release_summary"]
        assert letter_parts(mine["packet_institutions"]) == ["mas_referral"]
        assert {x.audience for x in mine.values()} == {"partner"}
        with pytest.raises(Forbidden):
            generate_letter(s, partner, p, "cpam_transfer")
        spip_sees = [x.id for x in stored_letters(s, spip, p) if x.kind.startswith("packet")]
        partner_sees = [x.id for x in stored_letters(s, partner, p) if x.kind.startswith("packet")]
        assert set(spip_sees) == {x.id for x in full.values()}
        assert set(partner_sees) == {x.id for x in mine.values()}
        assert letter_parts(s.get(Letter, full["packet_institutions"].id)) == [
            "cpam_transfer",
            "mas_referral",
            "cnpe_amenagement",
        ]


def test_the_release_day_job_uses_the_configured_sender(database_url, make_person, tmp_path):
    """The scheduler runs without an application context: its letters still carry the
    application's sender, so they match the ones made from the pages."""
    person = make_person(events=RELEASED)
    configured = create_app(
        {
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "other"),
            "LETTER_SENDER": {"name": "Service social", "lines": ["12 rue de la Gare"]},
        }
    )
    with db.transaction(configured) as s:
        packet = generate_packet(s, None, s.get(Person, person.id))
        summary = s.get(Letter, packet.context["letters"][0]["letter_id"])
        assert summary.context["sender"] == {
            "name": "Service social",
            "lines": ["12 rue de la Gare"],
        }
    db.engine(configured).dispose()
