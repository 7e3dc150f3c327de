"""« Préparer la sortie »: release date, address, funds, release tasks, letters, MAS referral."""

from __future__ import annotations

import re

LIANCOURT = "Centre pénitentiaire de Liancourt"
ECROU = {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT}
PLANNED = {"type": "planned_release", "date": "2026-12-10"}


def test_before_release_the_page_announces_what_falls_due_at_the_planned_date(
    client, login, make_user, make_person, section, task_item
):
    person = make_person(residence_postcode="75011", events=[ECROU, PLANNED])
    login(client, make_user("spip"))

    html = client.get(f"/personnes/{person.id}/sortie").get_data(as_text=True)

    assert "Sortie prévue le <strong>10/12/2026</strong>" in html
    funds = section(html, "titre-caisse")
    assert re.search(r"Aujourd'hui</dt><dd>CNPE", funds)
    assert re.search(r"À la sortie</dt>\s*<dd>CPAM de résidence \(CPAM de Paris", funds)
    assert "75948 Paris Cedex 19" in funds
    at_release = section(html, "titre-sortie")
    contact = task_item(at_release, "Contacter la CPAM de résidence")
    assert "prévue" in contact and "10/12/2026" in contact and "AFF-7" in contact
    assert "Mettre à jour la carte Vitale" in at_release and "20/12/2026" in at_release
    assert "Proposer une orientation vers la Mission accompagnement santé" in at_release
    preparation = section(html, "titre-preparation")
    assert "Vérifier et générer les courriers de sortie" in preparation
    letters = section(html, "titre-courriers")
    assert "Récapitulatif de sortie (pour la personne)" in letters
    assert "Transmission du dossier à la CPAM de résidence" in letters
    assert "pas encore généré" in letters


def test_without_an_address_the_page_says_the_file_will_not_be_transferred(
    client, login, make_user, make_person, section
):
    person = make_person(residence_postcode=None, events=[ECROU, PLANNED])
    login(client, make_user("spip"))

    html = client.get(f"/personnes/{person.id}/sortie").get_data(as_text=True)

    release = section(html, "titre-date")
    assert "inconnue" in release and "le dossier n'est pas transféré" in release
    assert "AFF-6" in release
    assert "Recueillir l&#39;adresse de sortie" in section(html, "titre-preparation")
    assert "Transmission du dossier" not in section(html, "titre-courriers")


def test_an_irregular_person_is_prepared_for_an_ame_filing(
    client, login, make_user, make_person, section
):
    person = make_person(
        residence_status="irregular", residence_postcode="75011", events=[ECROU, PLANNED]
    )
    login(client, make_user("spip"))

    html = client.get(f"/personnes/{person.id}/sortie").get_data(as_text=True)

    assert re.search(
        r"À la sortie</dt>\s*<dd>Aucune couverture de base", section(html, "titre-caisse")
    )
    at_release = section(html, "titre-sortie")
    assert "Déposer en personne la première demande d&#39;AME" in at_release
    assert "Contacter la CPAM de résidence" not in at_release
    assert "Guide de la demande d&#39;AME (pour la personne)" in section(html, "titre-courriers")


def test_after_release_the_stored_tasks_show_their_status_and_letters_their_version(
    client, login, make_user, make_person, add_letter, section, task_item
):
    person = make_person(events=[ECROU, {"type": "levee_ecrou", "date": "2026-11-20"}])
    add_letter(person.id, "release_summary")
    login(client, make_user("spip"))

    html = client.get(f"/personnes/{person.id}/sortie").get_data(as_text=True)

    assert "Levée d'écrou le <strong>20/11/2026</strong>" in html
    contact = task_item(section(html, "titre-sortie"), "Contacter la CPAM de résidence")
    assert "en retard" in contact
    # done from here: the form posts to this page, which it comes back to
    assert f'action="/personnes/{person.id}/sortie"' in contact and ">Fait<" in contact
    letters = section(html, "titre-courriers")
    summary = letters.split("Récapitulatif de sortie")[1].split("</li>")[0]
    assert "généré (version 1" in summary


def test_the_mas_referral_status_is_shown_when_one_exists(
    client, login, make_user, make_person, add_mas, section
):
    person = make_person(events=[ECROU, {"type": "levee_ecrou", "date": "2026-11-20"}])
    login(client, make_user("spip"))
    html = client.get(f"/personnes/{person.id}/sortie").get_data(as_text=True)
    assert 'aria-labelledby="titre-mas"' not in html

    add_mas(person.id, "refused", refusal_reason="personne injoignable")
    html = client.get(f"/personnes/{person.id}/sortie").get_data(as_text=True)

    mas = section(html, "titre-mas")
    assert "refusée" in mas and "personne injoignable" in mas
    assert "consentement à recueillir" in mas
