"""The « Personnes » page and ``GET /api/v1/people`` are two doors on one search: the same
people, in the same order, among those the role may see."""

from __future__ import annotations

import re

import pytest
from apitools import World

_CASE_LINK = re.compile(r'href="/personnes/(\d+)"')


def _page_ids(client, query: str) -> list[int]:
    html = client.get(f"/personnes?{query}").get_data(as_text=True)
    return [int(i) for i in dict.fromkeys(_CASE_LINK.findall(html))]


def _api_ids(client, world: World, role: str, query: str) -> list[int]:
    body = client.get(f"/api/v1/people?{query}", headers=world.headers[role]).get_json()
    return [item["id"] for item in body["items"]]


@pytest.mark.parametrize("role", ["spip", "partner", "admin"])
def test_page_and_api_find_the_same_people(app, client, login, world: World, role: str) -> None:
    login(client, world.users[role])
    # by name: Durand, Lambert, Martin, (Petit,) Roussel
    inside, followed, released, fresnes, unshared = (
        world.people[name].id for name in ("inside", "followed", "released", "fresnes", "unshared")
    )
    everyone = {
        "spip": [inside, followed, released, unshared],  # CP Liancourt only
        "partner": [inside, followed, released],  # the three shared with them
        "admin": [inside, followed, released, fresnes, unshared],  # + Petit, CP Fresnes
    }[role]
    assert _page_ids(client, "nom=") == _api_ids(client, world, role, "q=") == everyone
    # accents and case ignored, each word must match; the écrou number and birth date too
    assert _page_ids(client, "nom=MARTIN+lea") == [world.released.id]
    assert _api_ids(client, world, role, "q=MARTIN+lea") == [world.released.id]
    assert _page_ids(client, "ecrou=2026/0042") == [world.released.id]
    assert _api_ids(client, world, role, "ecrou=2026/0042") == [world.released.id]
    assert _page_ids(client, "nom=petit") == _api_ids(client, world, role, "q=petit")


def test_a_page_past_the_last_is_empty_in_the_api_and_the_last_on_the_page(
    app, client, login, world: World
) -> None:
    app.config["PAGE_SIZE"] = 2
    login(client, world.users["admin"])
    body = client.get("/api/v1/people?page=5", headers=world.headers["admin"]).get_json()
    assert (body["items"], body["page"], body["total"], body["pages"]) == ([], 5, 5, 3)
    last = [world.people["unshared"].id]  # Roussel, last by name
    assert _page_ids(client, "page=5") == last
    assert _api_ids(client, world, "admin", "page=3") == last
