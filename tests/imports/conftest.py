"""Helpers for the roster import tests: write a file, import it as a user, read the results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from cnpe_flow import db
from cnpe_flow.imports.roster import ImportReport, run_import
from cnpe_flow.people.models import CustodyEvent, Person


@pytest.fixture
def do_import(app: Any) -> Callable[..., ImportReport]:
    """``do_import(user, data, dry_run=False, filename="liste.csv")`` → the committed report."""

    def run(user: Any, data: bytes, *, dry_run: bool = False, filename: str = "liste.csv") -> Any:
        with db.transaction(app) as s:
            s.add(user)
            return run_import(s, user, filename, data, dry_run=dry_run, max_rows=50_000)

    return run


@pytest.fixture
def counts(app: Any) -> Callable[[], tuple[int, int]]:
    """(people, custody events) in the database."""

    def count() -> tuple[int, int]:
        with db.transaction(app) as s:
            people = s.execute(select(func.count()).select_from(Person)).scalar_one()
            events = s.execute(select(func.count()).select_from(CustodyEvent)).scalar_one()
            return people, events

    return count


@pytest.fixture
def events_of(app: Any) -> Callable[..., list[CustodyEvent]]:
    """Every stored event of the person with this numéro d'écrou, oldest first."""

    def load(number: str) -> list[CustodyEvent]:
        with db.transaction(app) as s:
            person = s.execute(select(Person).where(Person.ecrou_number == number)).scalar_one()
            return list(
                s.execute(
                    select(CustodyEvent)
                    .where(CustodyEvent.person_id == person.id)
                    .order_by(CustodyEvent.id)
                ).scalars()
            )

    return load
