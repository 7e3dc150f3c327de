"""Databases filled before contract v2: the migration makes their IJ steps medical and the
USMP's, and takes « indemnités journalières » out of their notifications' texts (IJ-3)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlmodel import Session

from cnpe_flow import db
from cnpe_flow.migrate import alembic_config
from cnpe_flow.people.models import Task
from cnpe_flow.reminders.models import Notification

BEFORE = "429e0eb892c7"
DEFAULT_PG = "postgresql://cnpe:cnpe@127.0.0.1:5432/cnpe_test"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> Iterator[str]:
    """A database of its own (a fresh SQLite file, or a fresh PostgreSQL schema)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    base = os.environ.get("CNPE_TEST_POSTGRES_URL", DEFAULT_PG)
    schema = f"migration_{secrets.token_hex(4)}"
    try:
        engine = db.make_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # the same rule as the shared fixtures
        if os.environ.get("CNPE_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"PostgreSQL injoignable : {type(exc).__name__}")
    yield f"{base}?options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def test_stored_ij_steps_become_medical_and_their_notices_lose_the_word(empty_database):
    url = empty_database
    # the schema just before (the migration changes data only: today's models fit it)
    command.upgrade(alembic_config(url), BEFORE)
    engine = db.make_engine(url)
    label = "Demander la reprise des indemnités journalières à la nouvelle caisse"
    with Session(engine) as s:
        # the users table as it was then (later migrations add columns to it)
        s.execute(
            text(
                "INSERT INTO users (username, role, password_hash, active, created_at) "
                "VALUES ('spip', 'spip', 'x', :yes, :at)"
            ),
            {"yes": True, "at": datetime(2026, 11, 1)},
        )
        user_id = s.execute(text("SELECT id FROM users")).scalar_one()
        # the people table as it was then too
        s.execute(
            text(
                "INSERT INTO people (last_name, first_name, search_name, birth_date, "
                "residence_status, carte_vitale, benefits_before_ecrou, version, created_at, "
                "updated_at) VALUES ('Durand', 'Alex', 'durand alex', :born, 'regular', :yes, "
                "'[]', 1, :at, :at)"
            ),
            {"born": date(1985, 3, 14), "yes": True, "at": datetime(2026, 11, 1)},
        )
        person_id = s.execute(text("SELECT id FROM people")).scalar_one()
        ij = Task(
            person_id=person_id,
            key="ij",
            kind="ij_resumption",
            owner="spip",
            medical=False,
            due=date(2026, 11, 1),
            rules=["IJ-3"],
        )
        other = Task(
            person_id=person_id,
            key="cpam",
            kind="contact_cpam_residence",
            owner="spip",
            medical=False,
            due=date(2026, 11, 1),
            rules=["AFF-6"],
        )
        s.add_all([ij, other])
        s.flush()
        s.add(
            Notification(
                user_id=user_id,
                task_id=ij.id,
                reason="overdue",
                message=f"{label} — En retard depuis le 01/11/2026",
            )
        )
        s.commit()

    command.upgrade(alembic_config(url), "head")

    with Session(engine) as s:
        tasks = {t.kind: (t.medical, t.owner) for t in s.exec(select(Task)).scalars()}
        message = s.exec(select(Notification.message)).scalar_one()
    engine.dispose()
    assert tasks == {
        "ij_resumption": (True, "usmp"),
        "contact_cpam_residence": (False, "spip"),
    }, "IJ-3"
    assert message == "Une étape médicale — En retard depuis le 01/11/2026"
