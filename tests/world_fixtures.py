"""Fixtures of the tests that run on the one world (``tests/world.py``): ``tests/matrix/`` and
``tests/api/`` import them in their ``conftest.py`` (so there ``app``, ``make_user`` and
``make_person`` are the world's), and the root ``conftest.py`` imports ``world_databases``
(one for the whole session, whichever folder asks first).

The world is built once per backend and test process (each pytest-xdist worker has its own),
committed in its own database (``world_url``); each test runs in a transaction rolled back
after it, and the world's Python side (accounts, tokens, objects made, clients) is put back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from isolation import WorldDatabase
from makers import session_login, token_maker
from world import CALLERS, DEACTIVATED, World, build_world


def _build(app: Any, make_user: Callable[..., Any], make_person: Callable[..., Any]) -> World:
    world = build_world(app, make_user, make_person, session_login(app), token_maker(app))
    # Every caller's session and token, once (a test may end or revoke one: rolled back).
    for caller in (*CALLERS, DEACTIVATED):
        world.page_client(caller)
        world.api_headers(caller)
    world.checkpoint()
    return world


@pytest.fixture(scope="session")
def world_databases() -> Iterator[dict[str, WorldDatabase]]:
    """The world's database per backend, built on first use (see ``world_database``)."""
    built: dict[str, WorldDatabase] = {}
    yield built
    for database in built.values():
        database.close()


@pytest.fixture
def world_database(
    world_url: str,
    backend: str,
    frozen_clock: datetime,
    world_databases: dict[str, WorldDatabase],
    tmp_path_factory: pytest.TempPathFactory,
) -> WorldDatabase:
    """The world on this backend, built the first time a test asks (on the tests' day)."""
    if backend not in world_databases:
        instance = tmp_path_factory.mktemp("world") / "instance"
        world_databases[backend] = WorldDatabase.build(world_url, instance, _build)
    return world_databases[backend]


@pytest.fixture
def app(world_database: WorldDatabase) -> Iterator[Any]:
    """The world's app on this backend; the test in a transaction rolled back after it."""
    with world_database.test() as application:
        yield application
    world_database.world.restore()


@pytest.fixture
def make_user(app: Any, world_database: WorldDatabase) -> Callable[..., Any]:
    """The world's own builder (its accounts' names are taken)."""
    return world_database.make_user


@pytest.fixture
def make_person(app: Any, world_database: WorldDatabase) -> Callable[..., Any]:
    """The world's own builder (its administrator already exists)."""
    return world_database.make_person
