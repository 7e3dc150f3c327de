"""The dashboard: releases within 30 days with their readiness, overdue and coming tasks."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.auth.models import User
from cnpe_flow.dashboard import queries
from cnpe_flow.people.models import Person, Task
from cnpe_flow.people.operations import share_person
from cnpe_flow.people.task_operations import set_task_status

LIANCOURT = "Centre pénitentiaire de Liancourt"
FRESNES = "Centre pénitentiaire de Fresnes"
ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT}


def planned(day):
    return {"type": "planned_release", "date": day}


ADDRESS = {
    "kind": "personal",
    "care_of": None,
    "lines": ["4 rue de la Gare"],
    "postcode": "60100",
    "city": "Creil",
}


def test_upcoming_releases_within_30_days_with_readiness(
    client, login, make_user, make_person, add_letter, section, row
):
    ready = make_person(
        last_name="Alpha", release_address=ADDRESS, events=[ECROU, planned("2026-12-10")]
    )
    make_person(last_name="Beta", events=[ECROU, planned("2027-01-15")])
    make_person(last_name="Gamma", residence_postcode=None, events=[ECROU, planned("2026-12-23")])
    make_person(last_name="Kappa", events=[ECROU, planned("2026-12-20")])
    add_letter(ready.id)
    login(client, make_user("spip"))

    releases = section(client.get("/").get_data(as_text=True), "titre-sorties")

    assert "ALPHA" in releases and "GAMMA" in releases
    assert "BETA" not in releases  # beyond 30 days
    assert releases.index("ALPHA") < releases.index("KAPPA") < releases.index("GAMMA")
    alpha, gamma, kappa = row(releases, "ALPHA"), row(releases, "GAMMA"), row(releases, "KAPPA")
    assert "connue" in alpha and "générés" in alpha and "non générés" not in alpha
    assert "à recueillir" in gamma and "non générés" in gamma
    assert "code postal seul" in kappa  # no address to write to yet
    assert "à faire" in gamma


def test_a_person_stays_in_upcoming_releases_until_the_levee_is_recorded_and_past(
    client, login, make_user, make_person, section, row
):
    """Issue 9: a planned date gone by without a levée stays listed (the levée is still to
    record); a levée recorded today stays for the day, then goes to « Sorties récentes »."""
    make_person(last_name="Delta", events=[ECROU, planned("2026-11-22")])  # yesterday
    make_person(
        last_name="Epsilon",
        events=[ECROU, planned("2026-11-23"), {"type": "levee_ecrou", "date": "2026-11-23"}],
    )
    make_person(
        last_name="Zeta",
        events=[ECROU, planned("2026-11-10"), {"type": "levee_ecrou", "date": "2026-11-10"}],
    )
    make_person(last_name="Omicron", events=[ECROU, {"type": "levee_ecrou", "date": "2026-09-01"}])
    login(client, make_user("spip"))
    page = client.get("/").get_data(as_text=True)

    upcoming, recent = section(page, "titre-sorties"), section(page, "titre-recentes")

    assert "levée à enregistrer" in row(upcoming, "DELTA")
    assert "levée enregistrée" in row(upcoming, "EPSILON")
    assert "ZETA" not in upcoming and "OMICRON" not in upcoming
    zeta = row(recent, "ZETA")
    assert "10/11/2026" in zeta and "à faire" in zeta  # released 13 days ago, tasks open
    assert "EPSILON" not in recent  # released today: still in « Sorties à venir »
    assert "OMICRON" not in recent  # released more than 30 days ago


def test_readiness_says_when_every_task_is_done(app, client, login, make_user, make_person, row):
    person = make_person(last_name="Alpha", events=[ECROU, planned("2026-12-10")])
    spip = make_user("spip")
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        for task in s.exec(select(Task).where(Task.person_id == person.id)).scalars().all():
            set_task_status(s, spip, p, task, "done", None)
    login(client, spip)

    alpha = row(client.get("/").get_data(as_text=True), "ALPHA")

    assert "toutes faites" in alpha


def test_an_irregular_person_without_an_address_still_needs_one(
    client, login, make_user, make_person, row
):
    """The AME guide and the packet are mailed to the release address (a domiciliation for a
    person without a home): without one it is still to collect."""
    make_person(
        last_name="Omega",
        residence_status="irregular",
        residence_postcode=None,
        events=[ECROU, planned("2026-12-01")],
    )
    login(client, make_user("spip"))

    assert "à recueillir" in row(client.get("/").get_data(as_text=True), "OMEGA")


# Task lists are read person by person for a few people and in due order for many: both.
BOTH_WAYS = pytest.mark.parametrize("few_people", [queries.FEW_PEOPLE, 0], ids=["few", "many"])


@BOTH_WAYS
def test_overdue_tasks_and_tasks_due_this_week(
    app, client, login, make_user, make_person, section, monkeypatch, few_people
):
    monkeypatch.setattr(queries, "FEW_PEOPLE", few_people)
    released = [ECROU, {"type": "levee_ecrou", "date": "2026-11-20"}]
    person = make_person(last_name="Epsilon", events=released)
    spip = make_user("spip")
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        mas = s.exec(select(Task).where(Task.kind == "mas_referral_offer")).scalars().one()
        set_task_status(s, spip, p, mas, "done", "proposée, refusée par la personne")
    login(client, spip)
    html = client.get("/").get_data(as_text=True)

    overdue, week = section(html, "titre-retard"), section(html, "titre-semaine")

    assert "Contacter la CPAM de résidence" in overdue and "20/11/2026" in overdue
    assert "Mission accompagnement santé" not in overdue  # done: no longer overdue
    assert "Mettre à jour la carte Vitale" in week and "30/11/2026" in week
    assert "Mettre à jour la carte Vitale" not in overdue


@BOTH_WAYS
def test_owner_filter_keeps_the_tasks_of_that_owner(
    client, login, make_user, make_person, section, monkeypatch, few_people
):
    monkeypatch.setattr(queries, "FEW_PEOPLE", few_people)
    make_person(last_name="Epsilon", events=[ECROU, {"type": "levee_ecrou", "date": "2026-11-20"}])
    login(client, make_user("spip"))

    html = client.get("/?responsable=partner").get_data(as_text=True)

    assert "Mettre à jour la carte Vitale" in section(html, "titre-semaine")
    assert "Contacter la CPAM" not in section(html, "titre-retard")
    html = client.get("/?responsable=spip").get_data(as_text=True)
    assert "Contacter la CPAM" in section(html, "titre-retard")
    assert "Mettre à jour la carte Vitale" not in section(html, "titre-semaine")


def test_admin_filters_by_establishment_and_spip_sees_only_theirs(
    client, login, make_user, make_person, section
):
    make_person(last_name="Liancourtois", events=[ECROU, planned("2026-12-01")])
    make_person(
        last_name="Fresnois",
        establishment=FRESNES,
        events=[
            {"type": "ecrou", "date": "2026-02-01", "establishment": FRESNES},
            planned("2026-12-02"),
        ],
    )
    login(client, make_user("admin"))

    everyone = section(client.get("/").get_data(as_text=True), "titre-sorties")
    fresnes = section(
        client.get("/?etablissement=CP-FRESNES").get_data(as_text=True), "titre-sorties"
    )

    assert "LIANCOURTOIS" in everyone and "FRESNOIS" in everyone
    assert "FRESNOIS" in fresnes and "LIANCOURTOIS" not in fresnes
    spip_client = client.application.test_client()
    login(spip_client, make_user("spip"))
    spip_page = section(spip_client.get("/").get_data(as_text=True), "titre-sorties")
    assert "LIANCOURTOIS" in spip_page and "FRESNOIS" not in spip_page


def test_an_unknown_filter_is_named_in_the_message(client, login, make_user):
    login(client, make_user("admin"))

    response = client.get("/?etablissement=NULLE-PART&responsable=juge")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "établissement inconnu" in html and "responsable inconnu" in html


def test_medical_tasks_are_masked_for_spip_and_shown_to_usmp(
    app, client, login, make_user, make_person, section
):
    make_person(last_name="Zeta", benefits=["ald"], events=[ECROU])
    login(client, make_user("spip"))

    spip_overdue = section(client.get("/").get_data(as_text=True), "titre-retard")

    assert "Étape médicale suivie par l&#39;USMP" in spip_overdue
    assert "ALD" not in spip_overdue
    usmp_client = client.application.test_client()
    login(usmp_client, make_user("usmp"))
    usmp_overdue = section(usmp_client.get("/").get_data(as_text=True), "titre-retard")
    assert "protocole de soins ALD" in usmp_overdue


def test_see_more_pages_through_a_long_list(app, client, login, make_user, make_person, section):
    for i in range(3):
        make_person(last_name=f"Personne{i}", events=[ECROU, planned(f"2026-12-0{i + 1}")])
    login(client, make_user("spip"))
    app.config["PAGE_SIZE"] = 2

    first = section(client.get("/").get_data(as_text=True), "titre-sorties")
    second = section(client.get("/?liste=sorties&page=2").get_data(as_text=True), "titre-sorties")

    assert "PERSONNE0" in first and "PERSONNE1" in first and "PERSONNE2" not in first
    assert "Voir plus" in first
    assert "PERSONNE2" in second and "PERSONNE0" not in second
    assert "Page précédente" in second and "Page suivante" not in second


@BOTH_WAYS
def test_a_partner_sees_only_the_tasks_of_people_shared_with_them(
    app, client, login, make_user, make_person, section, monkeypatch, few_people
):
    monkeypatch.setattr(queries, "FEW_PEOPLE", few_people)
    released = [ECROU, {"type": "levee_ecrou", "date": "2026-11-20"}]
    shared = make_person(last_name="Partagee", events=released)
    make_person(last_name="Autre", events=released)
    partner = make_user("partner")
    with db.transaction(app) as s:
        admin = s.exec(select(User).where(User.role == "admin")).scalars().first()
        share_person(s, admin, s.get(Person, shared.id), partner.id, date(2026, 11, 20))
    login(client, partner)

    html = client.get("/").get_data(as_text=True)

    assert "PARTAGEE" in section(html, "titre-semaine")
    assert "AUTRE" not in html


@BOTH_WAYS
def test_overdue_tasks_page_on_with_see_more(
    app, client, login, make_user, make_person, section, monkeypatch, few_people
):
    monkeypatch.setattr(queries, "FEW_PEOPLE", few_people)
    make_person(last_name="Epsilon", events=[ECROU, {"type": "levee_ecrou", "date": "2026-11-01"}])
    login(client, make_user("spip"))
    app.config["PAGE_SIZE"] = 2

    first = section(client.get("/").get_data(as_text=True), "titre-retard")
    second = section(client.get("/?liste=retard&page=2").get_data(as_text=True), "titre-retard")

    assert first.count("<tr>") == 3  # header and two tasks
    assert "Voir plus" in first and "liste=retard" in first
    assert "Mettre à jour la carte Vitale" in second  # due 11/11, after the two of 01/11
    assert "Mettre à jour la carte Vitale" not in first
    assert "Page précédente" in second
