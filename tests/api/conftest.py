"""The API tests run on the one world (``tests/world.py``), built once per backend: each test
in a transaction rolled back after it (``world_fixtures.py``). Their ``world`` is the view
``apitools.World``: the accounts with their tokens, and the people ``released``, ``inside``
and ``fresnes``."""

from __future__ import annotations

from typing import Any

import pytest
from apitools import World, view
from isolation import WorldDatabase
from world_fixtures import app, make_person, make_user  # noqa: F401  (this folder's fixtures)


@pytest.fixture
def world(app: Any, world_database: WorldDatabase) -> World:  # noqa: F811  (the fixture)
    return view(world_database.world)
