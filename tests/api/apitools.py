"""Helpers of the API tests: who calls, and the status each caller gets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import world as one_world
from world import FRESNES, LIANCOURT

__all__ = ["FRESNES", "LIANCOURT", "World", "load_scenario", "statuses", "view"]

#: who calls: the four roles, then a request without token and one with an unknown token
CALLERS = ("spip", "usmp", "partner", "admin", "no token", "bad token")
SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.json"))


@dataclass
class World:
    """The API tests' view of the one world (``tests/world.py``): its accounts, each caller's
    headers, its people by name, and the three the API tests write on."""

    users: dict[str, Any]
    headers: dict[str, dict[str, str]]
    people: dict[str, Any]
    released: Any
    inside: Any
    fresnes: Any


def view(world: one_world.World) -> World:
    """The API tests' view of ``world`` (the same accounts, tokens and people)."""
    headers = {role: world.api_headers(role) for role in one_world.ROLES}
    headers["no token"] = {}
    headers["bad token"] = world.api_headers(one_world.BAD_TOKEN)
    people = world.people
    return World(
        world.users, headers, people, people["released"], people["inside"], people["fresnes"]
    )


def statuses(client: Any, world: World, method: str, url: str, body: Any = None) -> dict[str, int]:
    """The status each caller gets for the same request, in :data:`CALLERS` order."""
    return {
        caller: client.open(
            url, method=method, json=body, headers=world.headers[caller]
        ).status_code
        for caller in CALLERS
    }


def load_scenario(prefix: str) -> dict[str, Any]:
    (path,) = [p for p in SCENARIOS if p.name.startswith(prefix)]
    return json.loads(path.read_text(encoding="utf-8"))
