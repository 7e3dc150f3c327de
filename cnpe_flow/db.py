"""Database engine and sessions (SQLite by default, PostgreSQL with ``DATABASE_URL``).

One SQLModel session per request, kept in ``flask.g``. Operations only ``flush``; the request
boundary commits when the response is a success and rolls back otherwise, so a failed request
never leaves a half-written record. Jobs and commands use :func:`transaction`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, g
from sqlalchemy import JSON, DateTime, MetaData, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Engine, create_engine
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel

# Stable constraint names, so migrations can alter them on SQLite and PostgreSQL alike.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

#: JSON column: JSONB on PostgreSQL, JSON text elsewhere.
JsonType = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def empty_list() -> list[Any]:
    """``default_factory`` for list columns: pydantic inspects the factory's signature on each
    model built, and ``list``'s (a builtin) costs about 60 µs to read; this one about 4."""
    return []


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the per-backend settings the app needs (WAL and busy timeout on SQLite)."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            # The web workers and the scheduler write the same file.
            cur.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL loses nothing on a process crash (only on power loss).
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, **kwargs)


def init_app(app: Flask) -> None:
    import cnpe_flow.models  # noqa: F401  (every table registered on the metadata)

    app.extensions["cnpe_db_engine"] = make_engine(app.config["DATABASE_URL"])

    @app.after_request
    def _commit_on_success(response: Response) -> Response:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            try:
                if response.status_code < 400:
                    session.commit()
                else:
                    session.rollback()
            finally:
                session.close()
        return response

    @app.teardown_request
    def _rollback_on_error(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()


def engine(app: Flask | None = None) -> Engine:
    return (app or current_app).extensions["cnpe_db_engine"]


#: ``app.extensions`` key of a connection every session of the app runs on instead of the
#: engine. The tests set it: each test runs in one transaction rolled back at its end, and
#: each session (request, job, command) in a savepoint of it, so a commit stays a commit.
SHARED_CONNECTION = "cnpe_db_shared_connection"


def _new_session(bind: Engine | Connection) -> Session:
    # create_savepoint: on a connection already in a transaction, commit and rollback act on
    # a savepoint of the session's own; on an engine this setting changes nothing.
    return Session(bind, expire_on_commit=False, join_transaction_mode="create_savepoint")


def _bind(app: Flask) -> Engine | Connection:
    shared: Connection | None = app.extensions.get(SHARED_CONNECTION)
    return shared if shared is not None else engine(app)


def session() -> Session:
    """The request's session (created on first use)."""
    if "db_session" not in g:
        g.db_session = _new_session(_bind(current_app))
    return g.db_session


@contextmanager
def transaction(app: Flask | Connection) -> Iterator[Session]:
    """A session committed at the end of the block, rolled back on error (jobs, commands).

    Given an open connection instead of the app, the session runs on it: a loop of short
    transactions (one per e-mail sent) then needs no pool checkout each.
    """
    bind = app if isinstance(app, Connection) else _bind(app)
    with _new_session(bind) as s:
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
