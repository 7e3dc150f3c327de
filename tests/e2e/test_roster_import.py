"""A SPIP worker imports the establishment's list: upload → preview (nothing written) →
confirm, then finds the import in a person's history, in a real browser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

ROSTER = (
    "numero_ecrou;nom;prenom;date_naissance;etablissement;date_ecrou;date_sortie_prevue;"
    "date_levee_ecrou\n"
    "E-501;Roussel;Inès;02/02/1992;CP Liancourt;03/03/2026;15/12/2026;\n"
    "E-502;Garnier;Yanis;1987-07-21;CP Liancourt;2026-04-01;;2026-10-30\n"
    "E-503;Faure;Tom;01/01/1990;CP Liancourt;31/02/2026;;\n"
).encode()


def test_spip_previews_then_confirms_a_roster(
    spip_page: Page, page_problems: list[str], save_screenshot: Callable[[Page, str], Path]
) -> None:
    page = spip_page
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Importer une liste"
    ).click()
    expect(page.get_by_role("heading", name="Importer une liste", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="modèle XLSX")).to_be_visible()
    page.get_by_label("Fichier (CSV ou XLSX)").set_input_files(
        files=[{"name": "entrees.csv", "mimeType": "text/csv", "buffer": ROSTER}]
    )
    page.get_by_role("button", name="Prévisualiser").click()

    report = page.get_by_role("region", name="Aperçu de entrees.csv : rien n'est encore enregistré")
    expect(report).to_contain_text("3 lignes : 2 créées, 0 modifiées, 0 inchangées, 1 refusées")
    rows = report.get_by_role("row")
    expect(rows.filter(has_text="ROUSSEL Inès")).to_contain_text("sortie prévue le 15/12/2026")
    expect(rows.filter(has_text="GARNIER Yanis")).to_contain_text("levée d'écrou le 30/10/2026")
    expect(rows.filter(has_text="FAURE Tom")).to_contain_text(
        "date_ecrou : 31/02/2026 n'est pas une date"
    )
    save_screenshot(page, "import-preview")
    # the preview wrote nothing: nobody of the list is found yet (in another tab)
    search = page.context.new_page()
    search.goto("/personnes?nom=Roussel")
    expect(search.get_by_role("heading", level=1)).to_be_visible()
    expect(search.get_by_text("ROUSSEL Inès")).to_have_count(0)
    search.close()

    page.get_by_role("button", name="Confirmer l'import").click()
    done = page.get_by_role("region", name="Import enregistré : entrees.csv")
    expect(done).to_contain_text("3 lignes : 2 créées, 0 modifiées, 0 inchangées, 1 refusées")
    save_screenshot(page, "import-done")

    done.get_by_role("link", name="ROUSSEL Inès").click()
    expect(page.get_by_role("heading", name="ROUSSEL Inès", level=1)).to_be_visible()
    history = page.get_by_role("region", name="Historique des événements")
    expect(history.get_by_text("de la liste « entrees.csv »").first).to_be_visible()
    save_screenshot(page, "import-history")
    assert page_problems == []
