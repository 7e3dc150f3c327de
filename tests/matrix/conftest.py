"""The route matrix runs on the one world (``tests/world.py``), built once per backend: each
test in a transaction rolled back after it (``world_fixtures.py``)."""

from __future__ import annotations

from typing import Any

import pytest
from isolation import WorldDatabase
from world import World
from world_fixtures import app, make_person, make_user  # noqa: F401  (this folder's fixtures)


@pytest.fixture
def world(app: Any, world_database: WorldDatabase) -> World:  # noqa: F811  (the fixture)
    return world_database.world  # type: ignore[no-any-return]
