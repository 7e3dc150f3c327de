"""Issue 9 in a real browser: a release planned in 15 days gives a provisional packet with the
release address in the envelope window; the levée recorded on the day gives the final one."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pdfplumber
import pytest
from playwright.sync_api import Page, expect

from cnpe_flow.clock import set_clock
from cnpe_flow.letters.envelope import WINDOW_MM

pytestmark = pytest.mark.e2e

LIANCOURT = "Centre pénitentiaire de Liancourt"
RELEASE_DAY = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)  # the tests' today + 15 days


def person_packet(page: Page) -> tuple[str, bytes]:
    """The newest person's copy of the packet listed on the Courriers page: (file name, PDF)."""
    for link in page.locator("a[href$='.pdf']").all():
        response = page.request.get(link.get_attribute("href") or "")
        name = response.headers.get("content-disposition", "")
        if "dossier-sortie-" in name and "organismes" not in name:
            return name, response.body()
    raise AssertionError("no packet listed")


def window_and_text(pdf: bytes) -> tuple[str, str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        window = doc.pages[0].crop(WINDOW_MM.points()).extract_text() or ""
        return window, "\n".join(p.extract_text() or "" for p in doc.pages)


def add_event(page: Page, link: str, label: str, day: str) -> None:
    page.get_by_role("link", name="Ajouter un événement").click()
    page.get_by_role("link", name=link).click()
    page.get_by_label(label).fill(day)
    page.get_by_role("button", name="Enregistrer l'événement").click()


def test_planned_release_provisional_packet_then_final_at_the_levee(
    spip_page: Page, page_problems: list[str], save_screenshot: Callable[[Page, str], Path]
) -> None:
    page = spip_page
    page.goto("/personnes/nouvelle")
    page.get_by_label("Nom", exact=True).fill("Lambert")
    page.get_by_label("Prénom").fill("Yanis")
    page.get_by_label("Date de naissance").fill("1991-02-11")
    page.get_by_role("group", name="Situation au regard du séjour, à l'écrou").get_by_label(
        "en situation régulière"
    ).check()
    page.get_by_role("group", name="Carte Vitale").get_by_label("Oui").check()
    page.get_by_label("Hébergé·e chez un tiers").check()
    page.get_by_label("Chez / organisme").fill("M. Paul Lambert")
    page.get_by_label("Numéro et voie").fill("3 allée des Tilleuls")
    page.get_by_label("Code postal", exact=True).fill("60100")
    page.get_by_label("Commune").fill("Creil")
    page.get_by_role("button", name="Créer le dossier").click()
    expect(page.get_by_role("heading", name="LAMBERT Yanis", level=1)).to_be_visible()
    case_url = page.url
    page.get_by_role("link", name="Ajouter un événement").click()
    page.get_by_role("link", name="Mise sous écrou").click()
    page.get_by_label("Date de la mise sous écrou").fill("2026-05-04")
    page.get_by_label("Établissement").fill(LIANCOURT)
    page.get_by_role("button", name="Enregistrer l'événement").click()
    add_event(page, "Date de sortie prévue", "Date de sortie prévue", "2026-12-08")

    # A levée typed in advance is refused, pointing to the planned release.
    add_event(page, "Levée d'écrou", "Date de la levée d'écrou", "2026-12-08")
    expect(page.get_by_text("est à venir")).to_be_visible()

    # Before the day: the provisional packet, addressed to where the person will live.
    page.goto(case_url + "/courriers")
    expect(page.get_by_text("Prévisionnel", exact=True)).to_be_visible()
    page.get_by_role("button", name="Générer le dossier de sortie prévisionnel").click()
    save_screenshot(page, "release-preparation-provisional")
    name, pdf = person_packet(page)
    window, text = window_and_text(pdf)
    assert "previsionnel" in name and "LAMBERT-Yanis" in name
    assert "chez M. Paul Lambert" in window and "60100 CREIL" in window
    assert "………" not in window  # no dotted lines when the address is known
    assert "PRÉVISIONNEL" in text

    # On the day: the levée is recorded and the packet becomes final.
    set_clock(lambda: RELEASE_DAY)
    page.goto(case_url)
    add_event(page, "Levée d'écrou", "Date de la levée d'écrou", "2026-12-08")
    expect(page.get_by_role("status")).to_have_text("Événement enregistré : Levée d'écrou.")
    page.goto(case_url + "/courriers")
    page.get_by_role("button", name="Générer le dossier de sortie").click()
    save_screenshot(page, "release-preparation-final")
    name, pdf = person_packet(page)
    window, text = window_and_text(pdf)
    assert "previsionnel" not in name and name.count("2026-12-08") == 1
    assert "60100 CREIL" in window
    assert "PRÉVISIONNEL" not in text
    assert not [p for p in page_problems if "400" not in p]  # the refused levée is a 400
