"""Savepoint isolation (Warehouse's pattern): every session of a test's app runs on one
connection, inside a transaction rolled back when the test ends; the app's commits are
savepoints of it (``db.SHARED_CONNECTION``), so nothing a test writes outlives it and no
table needs emptying."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, RootTransaction, event, text
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


def reset_sequences(connection: Connection) -> None:
    """PostgreSQL sequences do not roll back: ids start at 1 again, as after emptying."""
    if connection.dialect.name == "postgresql":
        connection.execute(RESTART_SEQUENCES)
        connection.commit()


@contextmanager
def rolled_back(app: Any, url: str) -> Iterator[None]:
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
            reset_sequences(connection)
        finally:
            connection.close()


@dataclass
class SharedWorld:
    """An app and the world a builder wrote with it, in the transaction of one connection
    kept for a test module: each test then runs in a savepoint of it (``in_savepoint``)."""

    app: Any
    connection: Connection
    outer: RootTransaction
    world: Any
    make_user: Callable[..., Any]
    make_person: Callable[..., Any]
    config: dict[str, Any]


def build_shared(
    url: str, instance: Path, build: Callable[[Any, Callable[..., Any], Callable[..., Any]], Any]
) -> SharedWorld:
    """``build(app, make_user, make_person)`` → the world, written once for the module."""
    from makers import PASSWORD, Client, new_app, person_maker, user_maker

    app = new_app(url, instance)
    app.test_client_class = Client
    connection = savepoint_engine(url).connect()
    outer = connection.begin()
    app.extensions[db.SHARED_CONNECTION] = connection
    make_user = user_maker(app, PASSWORD)
    make_person = person_maker(app, make_user)
    world = build(app, make_user, make_person)
    return SharedWorld(app, connection, outer, world, make_user, make_person, dict(app.config))


def shared_world(
    worlds: dict[str, SharedWorld],
    backend: str,
    url: str,
    tmp_path_factory: Any,
    build: Callable[[Any, Callable[..., Any], Callable[..., Any]], Any],
) -> SharedWorld:
    """The module's world on this backend, built on first use."""
    if backend not in worlds:
        instance = tmp_path_factory.mktemp("world") / "instance"
        worlds[backend] = build_shared(url, instance, build)
    return worlds[backend]


@contextmanager
def in_savepoint(shared: SharedWorld) -> Iterator[Any]:
    """One test on the shared world: its writes rolled back, the app's settings put back."""
    savepoint = shared.connection.begin_nested()
    try:
        yield shared.app
    finally:
        savepoint.rollback()
        shared.app.config.clear()
        shared.app.config.update(shared.config)


def close_shared(worlds: Iterable[SharedWorld]) -> None:
    """End of the module: every world rolled back, each connection closed whatever happens
    to another's (an open one would hold its rows' locks for the next module's world)."""
    for shared in worlds:
        try:
            if shared.outer.is_active:
                shared.outer.rollback()
            reset_sequences(shared.connection)
        finally:
            shared.connection.close()
            db.engine(shared.app).dispose()
