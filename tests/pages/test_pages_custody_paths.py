"""The case page after contract v2: a transfer shows on the timeline and in the history, the
ALD renewal follows the new establishment's pole for its USMP (ALD-2), and the IJ step stays a
medical step for the SPIP — even stored as it was before contract v2 — until the next change
brings the stored task in line with the engine."""

from __future__ import annotations

import re
from html import unescape as html_text

from forms.form_pages import hidden_value
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.people.models import Task

LIANCOURT = "Centre pénitentiaire de Liancourt"
MARSEILLE = "Centre pénitentiaire de Marseille-Baumettes"
TRANSFERRED = [
    {"type": "ecrou", "date": "2026-02-01", "establishment": LIANCOURT},
    {"type": "transfer", "date": "2026-05-04", "establishment": "CP Marseille"},
]


def test_the_timeline_labels_the_transfer_and_the_history_says_where_to(
    client, login, make_user, make_person, section
):
    person = make_person(events=TRANSFERRED)
    login(client, make_user("admin"))

    html = client.get(f"/personnes/{person.id}").get_data(as_text=True)

    timeline = section(html, "titre-frise")
    labels = re.findall(r'<text class="tick transfer-label"[^>]*>([^<]*)</text>', timeline)
    assert labels == [f"04/05/2026 : Transfert vers {MARSEILLE}"]
    history = section(html, "titre-historique")
    assert f"Transfert vers un autre établissement — vers {MARSEILLE}" in history
    identity = section(html, "titre-identite")
    assert MARSEILLE in identity
    assert f"Transfert le 04/05/2026 : de {LIANCOURT} vers {MARSEILLE}" in identity


def test_the_new_usmp_sees_the_ald_renewal_go_to_the_sud_pole_ald_2(
    client, login, make_user, make_person, section
):
    person = make_person(benefits=["ald"], events=TRANSFERRED)
    login(client, make_user("usmp", establishment=MARSEILLE))

    html = client.get(f"/personnes/{person.id}").get_data(as_text=True)

    medical = html_text(section(html, "titre-medical"))
    assert f"Pôle déduit de l'établissement {MARSEILLE}" in medical, "ALD-2"
    (address,) = re.findall(r"<address>(.*?)</address>", medical, re.DOTALL)
    assert "CAHORS" in address.upper() and "BEAUVAIS" not in address.upper(), "ALD-2"


def test_the_ij_step_stored_before_contract_v2_is_a_medical_step_and_is_then_updated(
    app, client, login, make_user, make_person, task_item
):
    person = make_person(
        benefits=["ij"],
        events=[
            {"type": "ecrou", "date": "2026-02-01", "establishment": LIANCOURT},
            {"type": "amenagement", "date": "2026-11-01", "measure": "semi_liberte"},
        ],
    )
    with db.transaction(app) as s:
        stored = s.exec(select(Task).where(Task.kind == "ij_resumption")).scalar_one()
        stored.medical, stored.owner = False, "spip"  # as stored before contract v2
    login(client, make_user("spip"))

    page = client.get(f"/personnes/{person.id}")
    html = html_text(page.get_data(as_text=True))

    assert "indemnités journalières" not in html.lower()
    assert task_item(html, "Étape médicale suivie par l'USMP")
    # the next change re-evaluates the file: the stored task follows the engine (IJ-3)
    url = f"/personnes/{person.id}/evenements/nouveau?type=planned_release"
    form = client.get(url)
    saved = client.form(url, {"date": "2026-12-20", "version": hidden_value(form, "version")})
    assert saved.status_code == 303
    with db.transaction(app) as s:
        task = s.exec(select(Task).where(Task.kind == "ij_resumption")).scalar_one()
        assert (task.medical, task.owner, task.obsolete) == (True, "usmp", False), "IJ-3"


def test_letters_before_the_levee_are_marked_provisional_on_the_release_page(
    client, login, make_user, make_person, section
):
    planned = make_person(
        events=[
            {"type": "ecrou", "date": "2026-02-01", "establishment": LIANCOURT},
            {"type": "planned_release", "date": "2026-12-15"},
        ]
    )
    released = make_person(
        events=[
            {"type": "ecrou", "date": "2026-02-01", "establishment": LIANCOURT},
            {"type": "levee_ecrou", "date": "2026-11-15"},
        ]
    )
    login(client, make_user("spip"))

    before = client.get(f"/personnes/{planned.id}/sortie").get_data(as_text=True)
    after = client.get(f"/personnes/{released.id}/sortie").get_data(as_text=True)

    assert "prévisionnel : pour la sortie prévue" in before
    assert "Récapitulatif" in after and "provisoire" not in after
