"""Helpers of the API tests: who calls, and the status each caller gets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LIANCOURT = "Centre pénitentiaire de Liancourt"
FRESNES = "Centre pénitentiaire de Fresnes"
#: who calls: the four roles, then a request without token and one with an unknown token
CALLERS = ("spip", "usmp", "partner", "admin", "no token", "bad token")
SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.json"))


@dataclass
class World:
    users: dict[str, Any]
    headers: dict[str, dict[str, str]]
    released: Any
    inside: Any
    fresnes: Any


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
