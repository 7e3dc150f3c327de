"""Savepoint isolation (Warehouse's pattern): every session of a test's app runs on one
connection, inside a transaction rolled back when the test ends; the app's commits are
savepoints of it (``db.SHARED_CONNECTION``), so nothing a test writes outlives it and no
table needs emptying. The one world (``tests/world.py``) is committed once per backend in a
database of its own (:class:`WorldDatabase`), and its tests run the same way on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, TextClause, event, text
from sqlalchemy.engine import Engine

from cnpe_flow import db

#: every sequence of the schema back to 1 (what ``TRUNCATE … RESTART IDENTITY`` did)
RESTART_SEQUENCES = text(
    "SELECT setval(c.oid, 1, false) FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
)

#: one engine per database for the whole session, its connections kept in its pool
_engines: dict[str, Engine] = {}


def savepoint_engine(url: str) -> Engine:
    """An engine whose connections take SAVEPOINTs as they should: pysqlite starts and ends
    transactions on its own and breaks them, so on SQLite SQLAlchemy's documented recipe
    hands that over to SQLAlchemy (no driver transaction, an explicit BEGIN)."""
    if url not in _engines:
        engine = db.make_engine(url)
        if url.startswith("sqlite"):

            @event.listens_for(engine, "connect")
            def _no_driver_transactions(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.isolation_level = None

            @event.listens_for(engine, "begin")
            def _begin(conn: Any) -> None:
                conn.exec_driver_sql("BEGIN")

        _engines[url] = engine
    return _engines[url]


def reset_sequences(connection: Connection, statement: TextClause = RESTART_SEQUENCES) -> None:
    """PostgreSQL sequences do not roll back: ids start again where ``statement`` puts them
    (at 1 by default, as after emptying). SQLite's counters roll back with the transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(statement)
        connection.commit()


def sequences_as_now(connection: Connection) -> TextClause:
    """A statement that puts every sequence back where it is now (PostgreSQL)."""
    if connection.dialect.name != "postgresql":
        return text("SELECT 1")  # SQLite: nothing to put back (see reset_sequences)
    rows = connection.execute(
        text(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
        )
    ).all()
    quote = connection.dialect.identifier_preparer.quote
    calls = [
        f"setval('{quote(name)}', {value}, true)"
        if value is not None
        else f"setval('{quote(name)}', 1, false)"
        for name, value in rows
    ]
    return text("SELECT " + ", ".join(calls)) if calls else text("SELECT 1")


@contextmanager
def rolled_back(app: Any, url: str, sequences: TextClause = RESTART_SEQUENCES) -> Iterator[None]:
    """Every session of ``app`` on one connection, inside a transaction rolled back at the
    end (Warehouse's pattern): the test's commits are savepoints, nothing outlives it."""
    connection = savepoint_engine(url).connect()
    outer = connection.begin()
    app.extensions[db.SHARED_CONNECTION] = connection
    try:
        yield
    finally:
        del app.extensions[db.SHARED_CONNECTION]
        try:
            if outer.is_active:
                outer.rollback()
            reset_sequences(connection, sequences)
        finally:
            connection.close()


@dataclass
class WorldDatabase:
    """A world written and committed once in a database of its own (``tests/world.py``), and
    the app its tests run on: each test in a transaction rolled back after it
    (:meth:`test`), so every test starts from the world as built, and nothing else in the
    suite sees or locks its rows."""

    app: Any
    url: str
    world: Any
    make_user: Callable[..., Any]
    make_person: Callable[..., Any]
    config: dict[str, Any]
    #: puts the sequences back where the build left them (ids as if no test had run)
    sequences: TextClause

    @classmethod
    def build(
        cls,
        url: str,
        instance: Path,
        build: Callable[[Any, Callable[..., Any], Callable[..., Any]], Any],
    ) -> WorldDatabase:
        """``build(app, make_user, make_person)`` → the world, committed in ``url``."""
        from makers import PASSWORD, Client, new_app, person_maker, user_maker

        app = new_app(url, instance)
        app.test_client_class = Client
        make_user = user_maker(app, PASSWORD)
        make_person = person_maker(app, make_user)
        world = build(app, make_user, make_person)
        db.engine(app).dispose()  # from now on the app runs on the tests' connection
        with savepoint_engine(url).connect() as connection:
            sequences = sequences_as_now(connection)
        return cls(app, url, world, make_user, make_person, dict(app.config), sequences)

    @contextmanager
    def test(self) -> Iterator[Any]:
        """One test on the world: its writes rolled back, the app's settings put back."""
        try:
            with rolled_back(self.app, self.url, self.sequences):
                yield self.app
        finally:
            self.app.config.clear()
            self.app.config.update(self.config)

    def close(self) -> None:
        db.engine(self.app).dispose()
        savepoint_engine(self.url).dispose()
