"""A small world for the API tests, built once per backend and test module
(``isolation.build_shared``; each test in a savepoint): one account per role with its
token, and three people.

- ``released``: CP Liancourt, ALD before écrou, an unconsolidated AT/MP, released on
  2026-06-30; shared with ``partner``.
- ``inside``: CP Liancourt, in custody; shared with ``partner`` (writes that may repeat).
- ``fresnes``: CP Fresnes, in custody, shared with nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from apitools import FRESNES, LIANCOURT, World
from isolation import SharedWorld, close_shared, in_savepoint, shared_world
from makers import token_maker

from cnpe_flow import db
from cnpe_flow.people.operations import share_person


def build_api_world(
    app: Any, make_user: Callable[..., Any], make_person: Callable[..., Any]
) -> World:
    token_for = token_maker(app)
    users = {role: make_user(role, username=role) for role in ("spip", "usmp", "partner", "admin")}
    headers = {role: token_for(user) for role, user in users.items()}
    headers["no token"] = {}
    headers["bad token"] = {"Authorization": "Bearer cnpe_jeton-inconnu"}
    released = make_person(
        last_name="Martin",
        first_name="Léa",
        ecrou_number="2026/0042",
        benefits=["ald"],
        events=[
            {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
            {"type": "atmp_during_ecrou", "date": "2026-03-02", "consolidated": False},
            {"type": "levee_ecrou", "date": "2026-06-30"},
        ],
    )
    inside = make_person(
        last_name="Durand",
        first_name="Alex",
        events=[{"type": "ecrou", "date": "2026-09-01", "establishment": LIANCOURT}],
    )
    fresnes = make_person(
        last_name="Petit",
        first_name="Sam",
        establishment=FRESNES,
        events=[{"type": "ecrou", "date": "2026-09-01", "establishment": FRESNES}],
    )
    with db.transaction(app) as s:
        for person in (released, inside):
            share_person(s, users["admin"], person, users["partner"].id, "2026-11-01")
    return World(users, headers, released, inside, fresnes)


@pytest.fixture(scope="module")
def _worlds() -> Iterator[dict[str, SharedWorld]]:
    worlds: dict[str, SharedWorld] = {}
    yield worlds
    close_shared(worlds.values())


@pytest.fixture
def app(
    schema_url: str,
    frozen_clock: datetime,
    backend: str,
    _worlds: dict[str, SharedWorld],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Any]:
    """The module's app on this backend, its world built; the test in a savepoint."""
    shared = shared_world(_worlds, backend, schema_url, tmp_path_factory, build_api_world)
    with in_savepoint(shared) as application:
        yield application


@pytest.fixture
def world(app: Any, _worlds: dict[str, SharedWorld], backend: str) -> World:
    return _worlds[backend].world  # type: ignore[no-any-return]


@pytest.fixture
def make_user(app: Any, _worlds: dict[str, SharedWorld], backend: str) -> Callable[..., Any]:
    """The world's own builder (its accounts' names are taken)."""
    return _worlds[backend].make_user


@pytest.fixture
def make_person(app: Any, _worlds: dict[str, SharedWorld], backend: str) -> Callable[..., Any]:
    """The world's own builder (its administrator already exists)."""
    return _worlds[backend].make_person
