"""Savepoint isolation (Warehouse's pattern): every session of a test's app runs on one
connection, inside a transaction rolled back when the test ends; the app's commits are
savepoints of it (``db.SHARED_CONNECTION``), so nothing a test writes outlives it and no
table needs emptying."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, event, text
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
