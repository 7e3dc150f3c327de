"""The database itself keeps the audit log append-only: raw SQL cannot change or delete it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cnpe_flow import db

# raw SQL on plain connections of the app's engine, as anyone holding the URL could run it
pytestmark = pytest.mark.own_connections("plain connections besides the app's sessions")


@pytest.fixture
def logged(app, make_person):
    """A person's creation is in the log (entry with the person's id and name)."""
    person = make_person(last_name="Martin")
    with db.engine(app).connect() as conn:
        entry_id = conn.execute(
            text("SELECT id FROM audit_log WHERE person_id = :p"), {"p": person.id}
        ).scalar_one()
    return person, entry_id


def _raw(app, sql, **params):
    """One statement on a plain connection, as anyone holding the database URL could run it."""
    with db.engine(app).begin() as conn:
        conn.execute(text(sql), params)


def _count(app):
    with db.engine(app).connect() as conn:
        return conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET actor_id = NULL WHERE id = :i",
        "UPDATE audit_log SET event_type = 3 WHERE id = :i",
        "UPDATE audit_log SET details = '{}' WHERE id = :i",
        "UPDATE audit_log SET person_id = NULL WHERE id = :i",
        "DELETE FROM audit_log WHERE id = :i",
    ],
)
def test_raw_updates_and_deletes_fail(app, logged, sql):
    _person, entry_id = logged
    before = _count(app)
    with pytest.raises(DBAPIError, match="journal en ajout seul"):
        _raw(app, sql, i=entry_id)
    assert _count(app) == before


def test_deleting_everything_fails(app, logged):
    before = _count(app)
    with pytest.raises(DBAPIError, match="journal en ajout seul"):
        _raw(app, "DELETE FROM audit_log")
    assert _count(app) == before


def test_emptying_the_table_the_fast_way_fails(app, logged, backend):
    # PostgreSQL's TRUNCATE fires no row trigger; SQLite's unconditional DELETE skips rows
    fast = "TRUNCATE audit_log CASCADE" if backend == "postgresql" else "DELETE FROM audit_log"
    before = _count(app)
    with pytest.raises(DBAPIError, match="journal en ajout seul"):
        _raw(app, fast)
    assert _count(app) == before


def test_pseudonymising_without_a_purge_entry_fails(app, logged, backend):
    person, entry_id = logged
    details = (
        "jsonb_build_object('purged_person_id', person_id)"
        if backend == "postgresql"
        else "json_object('purged_person_id', person_id)"
    )
    with pytest.raises(DBAPIError, match="journal en ajout seul"):
        _raw(
            app,
            f"UPDATE audit_log SET details = {details}, person_id = NULL WHERE id = :i",
            i=entry_id,
        )
    with db.engine(app).connect() as conn:
        kept = conn.execute(
            text("SELECT person_id FROM audit_log WHERE id = :i"), {"i": entry_id}
        ).scalar_one()
    assert kept == person.id
