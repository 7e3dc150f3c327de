"""Refusals where the page lands, in a real browser (issue 12's last three): an import file
above the limit, the second click of an action done in another tab, a forged letter type in
the packet form. Screenshots in build/screenshots/ (``refus-*``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.people.models import CustodyEvent
from cnpe_flow.reminders.sweep import run_sweep
from tests.e2e.conftest import SCREENSHOTS, released_person
from tests.e2e.test_accessibility import AXE, RUN_AXE, TAGS

pytestmark = pytest.mark.e2e

MEGABYTE = 1024 * 1024
TOO_LARGE = "Le fichier dépasse 1 Mo, la taille maximale d'un import."


def _levee_id(app: Any, person_id: int) -> int:
    with db.transaction(app) as s:
        found = select(CustodyEvent.id).where(
            CustodyEvent.person_id == person_id, CustodyEvent.type == "levee_ecrou"
        )
        return s.exec(found).scalar_one()  # type: ignore[no-any-return]


@pytest.fixture
def axe(spip_page: Page) -> Callable[[], list[Any]]:
    """``axe()``: the violations axe-core finds on the page shown (refusal states included,
    which the route matrix's GET pages do not show)."""
    spip_page.context.add_init_script(path=str(AXE))
    return lambda: spip_page.evaluate(RUN_AXE, TAGS)  # type: ignore[no-any-return]


def _viewport_shot(page: Page, name: str) -> None:
    """What the user sees where the page landed (not the whole page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def one_megabyte_imports(live_app: Any) -> Iterator[None]:
    before = live_app.config["IMPORT_MAX_BYTES"]
    live_app.config["IMPORT_MAX_BYTES"] = MEGABYTE
    yield
    live_app.config["IMPORT_MAX_BYTES"] = before


def test_a_too_large_import_comes_back_with_the_limit_under_the_file_field(
    one_megabyte_imports: None,
    spip_page: Page,
    page_problems: list[str],
    save_screenshot: Callable[[Page, str], Path],
    axe: Callable[[], list[Any]],
) -> None:
    page = spip_page
    field = page.get_by_label("Fichier (CSV ou XLSX)")
    # just over the limit (read, then refused), then far over it (refused unread)
    for size, shot in ((MEGABYTE + 1, "refus-import-1-octet-de-trop"), (3 * MEGABYTE, None)):
        page.goto("/import")
        field.set_input_files(
            files=[{"name": "gros.csv", "mimeType": "text/csv", "buffer": b"x" * size}]
        )
        page.get_by_role("button", name="Prévisualiser").click()

        expect(page.get_by_role("heading", name="Importer une liste", level=1)).to_be_visible()
        expect(page.locator("#fichier-error")).to_have_text(TOO_LARGE)
        expect(field).to_have_attribute("aria-describedby", "fichier-error")
        assert page.url.endswith("/import")
        if shot:
            save_screenshot(page, shot)
            assert axe() == []
    assert [p for p in page_problems if "413" not in p] == []  # the refusals themselves


def test_the_second_click_in_another_tab_goes_back_with_a_message(
    live_app: Any, spip_page: Page, page_problems: list[str]
) -> None:
    person_id = released_person(live_app, "Deuxonglets")
    first = spip_page
    second = first.context.new_page()

    # withdrawing the levée d'écrou, from two tabs opened on its correction page
    correction = (
        f"/personnes/{person_id}/evenements/nouveau?corrige={_levee_id(live_app, person_id)}"
    )
    for tab in (first, second):
        tab.goto(correction)
        tab.get_by_label("Pourquoi retirer cet événement").fill("date annulée par le greffe")
    first.get_by_role("button", name="Retirer l'événement").click()
    expect(first.get_by_role("status").first).to_contain_text("Événement retiré")
    second.get_by_role("button", name="Retirer l'événement").click()
    expect(second.get_by_role("heading", name="DEUXONGLETS Inès", level=1)).to_be_visible()
    message = second.get_by_text("Cet événement était déjà retiré : l'historique est à jour.")
    expect(message).to_be_in_viewport()
    _viewport_shot(second, "refus-evenement-deja-retire")

    # revoking an API token from two tabs of « Mon compte »
    first.goto("/compte")
    first.get_by_role("button", name="Créer un jeton d'API").click()
    second.goto("/compte")
    first.get_by_role("button", name="Révoquer").click()
    expect(first.get_by_text("Jeton révoqué : il ne donne plus accès à l'API.")).to_be_visible()
    second.get_by_role("button", name="Révoquer").click()
    assert second.url.endswith("/compte")
    expect(second.get_by_text("Ce jeton était déjà révoqué")).to_be_in_viewport()
    _viewport_shot(second, "refus-jeton-deja-revoque")

    # marking a notification read from two tabs
    released_person(live_app, "Notifiee")  # overdue tasks, so notifications
    run_sweep(live_app, "e2e")
    for tab in (first, second):
        tab.goto("/notifications")
    first.get_by_role("button", name="Marquer comme lue").first.click()
    second.get_by_role("button", name="Marquer comme lue").first.click()
    assert second.url.endswith("/notifications")
    expect(second.get_by_text("Cette notification était déjà lue.")).to_be_in_viewport()
    _viewport_shot(second, "refus-notification-deja-lue")
    second.close()
    assert page_problems == []


def test_a_forged_kind_in_the_packet_form_is_refused_where_the_page_lands(
    live_app: Any, spip_page: Page, page_problems: list[str], axe: Callable[[], list[Any]]
) -> None:
    person_id = released_person(live_app, "Courrierforge")
    page = spip_page
    page.goto(f"/personnes/{person_id}/courriers")
    # what a forged request sends: the packet form with another letter type
    page.locator('#dossier-de-sortie input[name="kind"]').evaluate(
        "input => { input.value = 'lettre-inventee'; }"
    )
    page.get_by_role("button", name="Générer le dossier de sortie").click()

    error = page.locator("#dossier-de-sortie-error")
    expect(error).to_have_text("Type de courrier inconnu « lettre-inventee ».")
    expect(error).to_be_in_viewport()
    expect(page.get_by_role("button", name="Générer le dossier de sortie")).to_have_attribute(
        "aria-describedby", "dossier-de-sortie-error"
    )
    assert page.url.endswith("#dossier-de-sortie")
    _viewport_shot(page, "refus-dossier-de-sortie-type-inconnu")
    assert axe() == []
    assert [p for p in page_problems if "400" not in p] == []  # the refusal itself
