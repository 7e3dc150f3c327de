"""The one world (``tests/world.py``) belongs to its tests alone: it is written once per
backend in a database of its own, and each test on it starts from the world as built."""

from __future__ import annotations

from typing import Any

from isolation import WorldDatabase
from sqlalchemy import func, select

from cnpe_flow import db
from cnpe_flow.people.models import Person


def _people(app: Any) -> int:
    with db.transaction(app) as s:
        return s.exec(select(func.count()).select_from(Person)).scalar_one()  # type: ignore[no-any-return]


def test_the_other_tests_database_holds_none_of_the_world(
    app: Any, world_database: WorldDatabase
) -> None:
    assert _people(app) == 0
    with world_database.test() as world_app:
        assert _people(world_app) == len(world_database.world.people) == 5


def test_each_test_on_the_world_starts_from_it_as_built(world_database: WorldDatabase) -> None:
    made = []
    for _ in range(2):
        with world_database.test() as app:
            made.append(world_database.make_person(last_name="Essai").id)
            app.config["PAGE_SIZE"] = 1
            assert _people(app) == 6
    with world_database.test() as app:
        assert _people(app) == 5
        assert app.config["PAGE_SIZE"] != 1
    # the same id twice: PostgreSQL's sequences are put back where the build left them
    assert made[0] == made[1]
