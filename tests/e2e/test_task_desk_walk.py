"""Compact tasks in a real browser (issue 12): « Sans objet… » refused without a comment stays
on the case page with the message by the field; « Fait » by keyboard only, focus visible."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import released_person

pytestmark = pytest.mark.e2e

SHOTS = Path("/work/shots/12b")
LIANCOURT = "Centre pénitentiaire de Liancourt"
VITALE = "Mettre à jour la carte Vitale"
CPAM = "Contacter la CPAM de résidence pour mettre le dossier à jour"


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_sans_objet_refused_stays_on_the_case_page_then_saved(
    live_app: Any, spip_page: Page
) -> None:
    person_id = released_person(live_app, "Sansobjet")
    page = spip_page
    page.goto(f"/personnes/{person_id}")
    task = page.get_by_role("region", name="Tâches").get_by_role("listitem").filter(has_text=VITALE)
    comment = task.get_by_label("Pourquoi cette tâche est-elle sans objet ?")
    expect(comment).to_be_hidden()  # the comment shows only once « Sans objet… » is chosen

    task.get_by_text("Sans objet…").click()
    task.get_by_role("button", name="Enregistrer « Sans objet »").click()

    expect(page).to_have_url(re.compile(rf"/personnes/{person_id}$"))
    task = page.get_by_role("region", name="Tâches").get_by_role("listitem").filter(has_text=VITALE)
    expect(task.get_by_role("alert")).to_have_text("expliquez pourquoi la tâche ne s'applique pas")
    comment = task.get_by_label("Pourquoi cette tâche est-elle sans objet ?")
    expect(comment).to_be_visible()
    _shoot(page, "case-task-refused")

    comment.fill("Carte Vitale déjà à jour (vérifié sur ameli).")
    task.get_by_role("button", name="Enregistrer « Sans objet »").click()

    expect(page.get_by_role("status")).to_have_text("Tâche mise à jour : « Sans objet ».")
    done = page.get_by_role("region", name="Tâches").get_by_role("listitem").filter(has_text=VITALE)
    expect(done).to_contain_text("Commentaire : Carte Vitale déjà à jour (vérifié sur ameli).")
    _shoot(page, "case-tasks")


def test_mark_a_task_done_with_the_keyboard_only(live_app: Any, spip_page: Page) -> None:
    person_id = released_person(live_app, "Clavier")
    page = spip_page
    page.goto(f"/personnes/{person_id}")
    button = page.get_by_role("button", name=f"Fait : {CPAM}")

    for _ in range(200):  # Tab through the page until the task's « Fait » has the focus
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    expect(button).to_be_focused()
    outline = button.evaluate(
        "b => getComputedStyle(b).outlineStyle + ' ' + getComputedStyle(b).outlineWidth"
    )
    assert outline.startswith("solid") and not outline.endswith(" 0px"), outline  # focus visible
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text("Tâche mise à jour : « Fait ».")
    expect(page).to_have_url(re.compile(rf"/personnes/{person_id}#tache-\d+$"))
    page.goto("/")
    _shoot(page, "dashboard")
    page.goto(f"/personnes/{person_id}/sortie")
    _shoot(page, "release")
