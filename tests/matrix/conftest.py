"""The route matrix's world (see ``matrix_world.py``), built once per backend and test module
(``isolation.build_shared``): each test runs in a savepoint rolled back after it, and the
world's Python side (cached objects, clients, tokens) is put back as it was once built."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from isolation import SharedWorld, close_shared, in_savepoint, shared_world
from makers import session_login, token_maker
from world import World, build_world


@pytest.fixture(scope="module")
def _worlds() -> Iterator[dict[str, SharedWorld]]:
    worlds: dict[str, SharedWorld] = {}
    yield worlds
    close_shared(worlds.values())


def _build(app: Any, make_user: Any, make_person: Any) -> World:
    world = build_world(app, make_user, make_person, session_login(app), token_maker(app))
    for role in world.users:  # the tokens, once (a test may revoke one: rolled back)
        world.api_headers(role)
    return world


@pytest.fixture
def app(
    schema_url: str,
    frozen_clock: datetime,
    backend: str,
    _worlds: dict[str, SharedWorld],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Any]:
    """The module's app on this backend, its world built; the test in a savepoint."""
    shared = shared_world(_worlds, backend, schema_url, tmp_path_factory, _build)
    world: World = shared.world
    saved = (dict(world.users), dict(world._headers), dict(world._cache))
    with in_savepoint(shared) as application:
        yield application
    world.users.clear()
    world.users.update(saved[0])
    world._headers, world._cache, world._page_clients = dict(saved[1]), dict(saved[2]), {}


@pytest.fixture
def world(app: Any, _worlds: dict[str, SharedWorld], backend: str) -> World:
    return _worlds[backend].world  # type: ignore[no-any-return]
