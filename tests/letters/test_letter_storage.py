"""Stored letters: same data → same row; changed data → a new version, old ones kept; packets;
who may get which letter. Runs on SQLite and PostgreSQL (``app`` fixture)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from cnpe_flow import create_app, db
from cnpe_flow.audit.models import AuditEntry, AuditEvent
from cnpe_flow.errors import Forbidden, NotFound
from cnpe_flow.letters.models import Letter
from cnpe_flow.letters.operations import (
    LetterUnavailable,
    generate_letter,
    generate_packet,
    get_letter,
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
    assert "aucune levée d'écrou" in str(exc.value)


def test_the_packet_holds_the_letters_its_reader_may_get(app, make_user, make_person):
    """USMP's packet includes the ALD letter; the SPIP's and the scheduler's do not, and the
    SPIP cannot open the USMP's packet."""
    spip = make_user("spip")
    usmp = make_user("usmp")
    person = make_person(events=RELEASED, benefits=["ald"])
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        medical = generate_packet(s, usmp, p)
        social = generate_packet(s, spip, p)
        scheduled = generate_packet(s, None, p)
        assert letter_parts(medical) == [
            "release_summary",
            "cpam_transfer",
            "ald_renewal",
            "mas_referral",
            "cnpe_amenagement",
        ]
        assert letter_parts(social) == [
            "release_summary",
            "cpam_transfer",
            "mas_referral",
            "cnpe_amenagement",
        ]
        assert scheduled.id == social.id
        parts = {x.kind: x for x in s.exec(select(Letter)).scalars() if x.kind != "packet"}
        pages = sum(len(PdfReader(io.BytesIO(parts[k].pdf)).pages) for k in letter_parts(social))
        assert len(PdfReader(io.BytesIO(social.pdf)).pages) == pages
        assert [x.id for x in stored_letters(s, spip, p) if x.kind == "packet"] == [social.id]
        with pytest.raises(NotFound):
            get_letter(s, spip, p, medical.id)
        medical_id, social_id = medical.id, social.id
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        assert generate_packet(s, usmp, p).id == medical_id
        assert generate_packet(s, spip, p).id == social_id


def test_a_partner_gets_only_the_after_release_letters(app, make_user, make_person):
    spip = make_user("spip")
    partner = make_user("partner")
    person = make_person(events=RELEASED)
    with db.transaction(app) as s:
        share_person(s, spip, s.get(Person, person.id), partner.id, "2026-10-01")
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        packet = generate_packet(s, partner, p)
        assert letter_parts(packet) == ["release_summary", "mas_referral"]
        with pytest.raises(Forbidden):
            generate_letter(s, partner, p, "cpam_transfer")


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
