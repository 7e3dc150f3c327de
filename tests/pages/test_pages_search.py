"""Searching people: by name without accents or case, écrou number, birth date; paginated."""

from __future__ import annotations

from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEntry, AuditEvent

LIANCOURT = "Centre pénitentiaire de Liancourt"
FRESNES = "Centre pénitentiaire de Fresnes"
ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT}


def results(client, query):
    response = client.get(f"/personnes?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    return html[html.index('id="titre-resultats"') :]


def test_name_search_ignores_accents_and_case(client, login, make_user, make_person):
    make_person(last_name="Lefèvre", first_name="Élodie", events=[ECROU])
    make_person(last_name="Martin", first_name="Karim", events=[ECROU])
    login(client, make_user("spip"))

    by_last = results(client, "nom=LEFEVRE")
    by_first = results(client, "nom=elodie")
    both = results(client, "nom=%C3%A9lodie+lef")

    for found in (by_last, by_first, both):
        assert "LEFÈVRE Élodie" in found and "MARTIN" not in found
    assert "Aucune personne trouvée" in results(client, "nom=dupont")


def test_search_by_ecrou_number_and_birth_date_in_both_formats(
    client, login, make_user, make_person
):
    make_person(last_name="Martin", ecrou_number="24581", birth_date="1988-04-02", events=[ECROU])
    make_person(last_name="Dubois", ecrou_number="24602", birth_date="1979-11-23", events=[ECROU])
    login(client, make_user("spip"))

    by_ecrou = results(client, "ecrou=24581")
    french = results(client, "naissance=02/04/1988")
    iso = results(client, "naissance=1988-04-02")

    for found in (by_ecrou, french, iso):
        assert "MARTIN" in found and "DUBOIS" not in found


def test_a_wrong_birth_date_is_named_in_the_message(client, login, make_user):
    login(client, make_user("spip"))

    response = client.get("/personnes?naissance=31/02/1988")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "« 31/02/1988 » n&#39;est pas une date : écrivez JJ/MM/AAAA ou AAAA-MM-JJ" in html
    assert 'id="naissance-error"' in html


def test_results_are_paginated(app, client, login, make_user, make_person):
    for name in ("Bernard", "Arnaud", "Claude"):
        make_person(last_name=name, events=[ECROU])
    app.config["PAGE_SIZE"] = 2
    login(client, make_user("spip"))

    first = results(client, "nom=a")
    second = results(client, "nom=a&page=2")

    assert "3 personnes" in first and "Page 1 sur 2" in first
    assert "ARNAUD" in first and "BERNARD" in first and "CLAUDE" not in first
    assert "page=2" in first and "nom=a" in first  # the next page keeps the criteria
    assert "CLAUDE" in second and "ARNAUD" not in second


def test_people_outside_the_users_reach_are_never_listed(client, login, make_user, make_person):
    make_person(last_name="Martin", events=[ECROU])
    make_person(
        last_name="Martinez",
        establishment=FRESNES,
        events=[{"type": "ecrou", "date": "2026-01-10", "establishment": FRESNES}],
    )
    login(client, make_user("spip"))

    found = results(client, "nom=martin")

    assert "MARTIN " in found and "MARTINEZ" not in found
    partner_client = client.application.test_client()
    login(partner_client, make_user("partner"))
    assert "Aucune personne trouvée" in results(partner_client, "nom=martin")


def test_admin_filters_by_establishment(client, login, make_user, make_person):
    make_person(last_name="Martin", events=[ECROU])
    make_person(
        last_name="Martinez",
        establishment=FRESNES,
        events=[{"type": "ecrou", "date": "2026-01-10", "establishment": FRESNES}],
    )
    login(client, make_user("admin"))

    found = results(client, "nom=martin&etablissement=CP-FRESNES")

    assert "MARTINEZ" in found and "MARTIN " not in found


def test_a_search_is_audited_without_the_name_searched(app, client, login, make_user, make_person):
    make_person(last_name="Lefèvre", events=[ECROU])
    spip = make_user("spip")
    login(client, spip)

    results(client, "nom=lefevre&naissance=14/03/1985")

    with db.transaction(app) as s:
        entry = (
            s.exec(
                select(AuditEntry).where(AuditEntry.event_type == int(AuditEvent.PEOPLE_SEARCHED))
            )
            .scalars()
            .one()
        )
    assert entry.actor_id == spip.id
    assert entry.details["filters"] == ["nom", "naissance"]
    assert "lefevre" not in str(entry.details).lower() and "1985" not in str(entry.details)
