"""A SPIP worker follows a person from the écrou to the release, in a real browser."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

LIANCOURT = "Centre pénitentiaire de Liancourt"
CPAM_TASK = "Contacter la CPAM de résidence pour mettre le dossier à jour"


def test_spip_records_a_stay_and_closes_a_task(
    spip_page: Page, page_problems: list[str], save_screenshot: Callable[[Page, str], Path]
) -> None:
    page = spip_page
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Personnes"
    ).click()
    page.get_by_role("link", name="Nouveau dossier").click()
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Prénom").fill("Karim")
    page.get_by_label("Date de naissance").fill("1988-04-02")
    expect(page.get_by_label("Établissement")).to_have_value(LIANCOURT)
    page.get_by_role("group", name="Situation au regard du séjour, à l'écrou").get_by_label(
        "en situation régulière"
    ).check()
    page.get_by_role("group", name="Carte Vitale").get_by_label("Oui").check()
    page.get_by_label("Adresse personnelle").check()
    page.get_by_label("Numéro et voie").fill("14 rue Gambetta")
    page.get_by_label("Code postal", exact=True).fill("60100")
    page.get_by_label("Commune").fill("Creil")
    page.get_by_role("button", name="Créer le dossier").click()
    expect(page.get_by_role("heading", name="MARTIN Karim", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Dossier de MARTIN Karim créé.")

    page.get_by_role("link", name="Ajouter un événement").click()
    page.get_by_role("link", name="Mise sous écrou").click()
    page.get_by_label("Date de la mise sous écrou").fill("2026-05-04")
    page.get_by_label("Établissement").fill(LIANCOURT)
    page.get_by_role("button", name="Enregistrer l'événement").click()
    expect(page.get_by_role("status")).to_have_text("Événement enregistré : Mise sous écrou.")

    page.get_by_role("link", name="Ajouter un événement").click()
    page.get_by_role("link", name="Levée d'écrou").click()
    page.get_by_label("Date de la levée d'écrou").fill("2026-11-20")
    page.get_by_role("button", name="Enregistrer l'événement").click()
    expect(page.get_by_role("status")).to_have_text("Événement enregistré : Levée d'écrou.")

    timeline = page.get_by_role("region", name="Couverture maladie dans le temps")
    expect(timeline.get_by_role("img")).to_have_accessible_name(
        re.compile(r"^Périodes d'affiliation du 04/05/2026 au ")
    )
    periods = timeline.get_by_role("listitem")
    expect(periods.filter(has_text="Du 04/05/2026 au 19/11/2026")).to_contain_text("CNPE")
    expect(periods.filter(has_text="Depuis le 20/11/2026")).to_contain_text(
        "CPAM de résidence (CPAM de l'Oise)"
    )
    history = page.get_by_role("region", name="Historique des événements")
    expect(history.get_by_role("row", name=re.compile("Mise sous écrou"))).to_contain_text(
        "04/05/2026"
    )
    expect(history.get_by_role("row", name=re.compile("Levée d'écrou"))).to_contain_text(
        "20/11/2026"
    )

    tasks = page.get_by_role("region", name="Tâches")
    expect(
        tasks.get_by_role("listitem").filter(has_text="Mettre à jour la carte Vitale")
    ).to_be_visible()
    cpam_task = tasks.get_by_role("listitem").filter(has_text=CPAM_TASK)
    expect(cpam_task).to_contain_text("À faire")
    cpam_task.get_by_role("button", name=f"Fait : {CPAM_TASK}").click()

    expect(page.get_by_role("status")).to_have_text("Tâche mise à jour : « Fait ».")
    done = (
        page.get_by_role("region", name="Tâches").get_by_role("listitem").filter(has_text=CPAM_TASK)
    )
    expect(done).to_contain_text("Fait le 23/11/2026")
    expect(done.get_by_role("button", name=f"Rouvrir : {CPAM_TASK}")).to_be_visible()
    save_screenshot(page, "case-page")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Sorties à venir"
    ).click()
    expect(page.get_by_role("heading", name="Sorties à venir", level=1)).to_be_visible()
    # other tests of the session add people: look at this person's rows only
    karim = page.get_by_role("row").filter(has_text="MARTIN Karim")
    expect(karim.filter(has_text="Mettre à jour la carte Vitale")).not_to_have_count(0)
    expect(karim.filter(has_text=CPAM_TASK)).to_have_count(0)
    save_screenshot(page, "dashboard")

    assert page_problems == []


def test_a_csp_violation_would_be_reported(spip_page: Page, page_problems: list[str]) -> None:
    with spip_page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        spip_page.evaluate("document.body.setAttribute('style', 'background: red')")

    assert any("Content Security Policy" in problem for problem in page_problems)
