"""A transferred file is told to the new establishment's SPIP and USMP: in the app at once, by
e-mail at the next sweep (once), without NIR nor health detail; the old establishment is told
nothing and its feed no longer shows the file."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.people.operations import add_event
from cnpe_flow.reminders.calendar import owned_open_tasks
from cnpe_flow.reminders.models import Notification
from cnpe_flow.reminders.sweep import run_sweep

NIR = "185036012345658"
LIANCOURT = "Centre pénitentiaire de Liancourt"
MARSEILLE = "Centre pénitentiaire de Marseille-Baumettes"
FRESNES = "Centre pénitentiaire de Fresnes"


def _transfer(app, person, to: str, day: str):
    from cnpe_flow.auth.models import Role, User

    with db.transaction(app) as s:
        admin = s.execute(select(User).where(User.role == Role.ADMIN)).scalars().first()
        fresh = s.merge(person)
        add_event(s, admin, fresh, {"type": "transfer", "date": day, "establishment": to})


def test_the_new_establishment_is_emailed_once_without_nir_nor_health_detail(
    app, smtp_sink, make_user, make_person
):
    make_user("spip", email="spip@liancourt.example")
    make_user("usmp", email="usmp@liancourt.example")
    make_user("spip", email="spip@marseille.example", establishment=MARSEILLE)
    make_user("usmp", email="usmp@marseille.example", establishment=MARSEILLE)
    make_user("usmp", establishment=MARSEILLE)  # no address: told in the app only
    person = make_person(
        first_name="Alex",
        last_name="Durand",
        nir=NIR,
        benefits=["ald", "ij"],
        events=[
            {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
            {"type": "amenagement", "date": "2026-09-01", "measure": "semi_liberte"},
        ],
    )

    _transfer(app, person, MARSEILLE, "2026-11-20")
    first = run_sweep(app, "test")
    second = run_sweep(app, "test")

    assert sorted(str(m["To"]) for m in smtp_sink.messages) == [
        "spip@marseille.example",
        "usmp@marseille.example",
    ]
    assert second.sent == 0 and first.sent == 2
    for message in smtp_sink.messages:
        subject, body = str(message["Subject"]), message.get_content()
        assert subject == "[cnpe-flow] Dossier reçu par transfert : Alex D."
        assert "Un dossier vient d'être transféré à votre établissement (20/11/2026)" in body
        assert "Tâche : Dossier reçu par transfert : reprendre le suivi" in body
        assert f"Dossier : https://cnpe.example/personnes/{person.id}" in body
        for secret in (NIR, "Durand", "ALD", "indemnités journalières", "IJ", LIANCOURT):
            assert secret not in body and secret not in subject
    with db.transaction(app) as s:
        rows = s.execute(select(Notification.reason, Notification.email_status)).all()
    # the hand-over is due today: no "due soon" reminder on top of the transfer notice
    assert sorted(rows) == [("transfer", "sent"), ("transfer", "sent"), ("transfer", "skipped")]


def test_a_file_transferred_again_before_the_sweep_is_not_emailed_to_the_first_new_one(
    app, smtp_sink, make_user, make_person
):
    make_user("spip", email="spip@marseille.example", establishment=MARSEILLE)
    make_user("spip", email="spip@fresnes.example", establishment=FRESNES)
    person = make_person(
        events=[{"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT}]
    )

    _transfer(app, person, MARSEILLE, "2026-11-10")
    _transfer(app, person, FRESNES, "2026-11-20")
    run_sweep(app, "test")

    # Marseille no longer holds the file: its notice is not e-mailed; Fresnes is told
    assert [str(m["To"]) for m in smtp_sink.messages] == ["spip@fresnes.example"]


def test_the_calendar_of_the_new_spip_shows_the_hand_over_and_the_old_one_no_longer_the_file(
    app, make_user, make_person
):
    old = make_user("spip")
    new = make_user("spip", establishment=MARSEILLE)
    person = make_person(
        events=[
            {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
            {"type": "planned_release", "date": "2026-12-01"},
        ]
    )
    with db.transaction(app) as s:
        before = [t.kind for t, _ in owned_open_tasks(s, s.merge(old))]
    assert before  # the release preparation is the Liancourt SPIP's

    _transfer(app, person, MARSEILLE, "2026-11-20")

    with db.transaction(app) as s:
        assert owned_open_tasks(s, s.merge(old)) == []
        kinds = [(t.kind, t.due) for t, _ in owned_open_tasks(s, s.merge(new))]
    assert ("transfer_handover", date(2026, 11, 20)) in kinds
