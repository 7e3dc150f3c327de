"""The one world (``tests/world.py``, the route matrix's and the API tests') served live for
the browser tests (accessibility, layout, print): the ``matrix_site`` fixture
(``conftest.py``) gives a :class:`MatrixSite`."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

# The matrix's modules (its routes and table) import each other by their bare names.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "matrix"))
from world import World, build_world

__all__ = ["WORLD_PASSWORD", "MatrixSite", "build_world"]

WORLD_PASSWORD = "mot-de-passe-du-monde-de-la-matrice"


@dataclass
class MatrixSite:
    """The world (one account per role, named after the role) and its server."""

    world: World
    url: str

    def login(self, page: Page, role: str) -> None:
        page.goto(f"{self.url}/login")
        page.get_by_label("Identifiant").fill(role)
        page.get_by_label("Mot de passe").fill(WORLD_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("heading", name="Sorties à venir", level=1).wait_for()
