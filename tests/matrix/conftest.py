"""The route matrix's world (see ``matrix_world.py``), built once per backend and test module.

The world is written in the transaction of one connection (``isolation.py``) that stays open
for the module; each test runs in a savepoint of it, rolled back after the test, and the
world's Python side (cached objects, clients, tokens) is put back as it was once built.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from isolation import reset_sequences, savepoint_engine
from makers import PASSWORD, Client, new_app, person_maker, session_login, token_maker, user_maker
from matrix_world import World, build_world
from sqlalchemy import Connection, RootTransaction

from cnpe_flow import db


@dataclass
class _Built:
    app: Any
    connection: Connection
    outer: RootTransaction
    world: World
    #: the world's Python side right after it was built
    saved: tuple[dict[str, Any], dict[str, Any], dict[str, Any]]


@pytest.fixture(scope="module")
def _worlds() -> Iterator[dict[str, _Built]]:
    built: dict[str, _Built] = {}
    yield built
    for b in built.values():
        # each world's connection closed whatever happens to another's: an open one would
        # hold its rows' locks and the next module's world would wait for them
        try:
            if b.outer.is_active:
                b.outer.rollback()
            reset_sequences(b.connection)
        finally:
            b.connection.close()
            db.engine(b.app).dispose()


def _build(url: str, instance: Any) -> _Built:
    app = new_app(url, instance)
    app.test_client_class = Client
    connection = savepoint_engine(url).connect()
    outer = connection.begin()
    app.extensions[db.SHARED_CONNECTION] = connection
    make_user = user_maker(app, PASSWORD)
    world = build_world(
        app, make_user, person_maker(app, make_user), session_login(app), token_maker(app)
    )
    for role in world.users:  # the tokens, once (a test may revoke one: rolled back)
        world.api_headers(role)
    saved = (dict(world.users), dict(world._headers), dict(world._cache))
    return _Built(app, connection, outer, world, saved)


@pytest.fixture
def app(
    schema_url: str,
    frozen_clock: datetime,
    backend: str,
    _worlds: dict[str, _Built],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Any]:
    """The module's app on this backend, its world built; the test in a savepoint."""
    if backend not in _worlds:
        _worlds[backend] = _build(schema_url, tmp_path_factory.mktemp("matrix") / "instance")
    built = _worlds[backend]
    savepoint = built.connection.begin_nested()
    try:
        yield built.app
    finally:
        savepoint.rollback()
        world, (users, headers, cache) = built.world, built.saved
        world.users.clear()
        world.users.update(users)
        world._headers = dict(headers)
        world._cache = dict(cache)
        world._page_clients = {}


@pytest.fixture
def world(app: Any, _worlds: dict[str, _Built], backend: str) -> World:
    return _worlds[backend].world
