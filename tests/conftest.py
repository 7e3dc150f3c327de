"""Fixtures for database tests: every test that uses ``app`` runs on SQLite **and** PostgreSQL.

PostgreSQL: ``CNPE_TEST_POSTGRES_URL`` (default ``postgresql://cnpe:cnpe@127.0.0.1:5432/cnpe_test``).
When no server answers, the PostgreSQL half is skipped with the reason, unless
``CNPE_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), which turns that into a failure.

Isolation: a test's ``app`` runs every session on one connection inside a transaction rolled
back when the test ends (``isolation.py``). A test that reaches the database another way (it
asks for ``database_url``: another app, a subprocess, a migration) or is marked
``own_connections`` (a second connection, threads, leases, crashes) commits for real, and
every table is emptied after it. ``tests/api/`` and ``tests/matrix/`` run on the one world
(``tests/world.py``), committed once per backend in a database of its own (``world_url``),
each test in a transaction rolled back after it (``world_fixtures.py``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from isolation import RESTART_SEQUENCES, rolled_back
from makers import PASSWORD, Client, new_app, person_maker, session_login, token_maker, user_maker
from sqlalchemy import text
from sqlalchemy.pool import NullPool
from werkzeug.routing import Rule
from world_fixtures import world_database, world_databases  # noqa: F401  (see there)

from cnpe_flow import db, migrate
from cnpe_flow.auth import passwords
from cnpe_flow.clock import set_clock

# Cheap argon2 parameters for tests only: hundreds of logins would otherwise take minutes.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

# Each test builds its own app, and werkzeug compiles two Python functions per URL rule for
# each app (about a third of a page test's CPU time). A rule's builder depends only on the
# rule's text, defaults and parts, so the tests compile each one once.
_compile_builder = Rule._compile_builder
_builders: dict[tuple[Any, ...], Any] = {}


def _cached_builder(rule: Rule, append_unknown: bool = True) -> Any:
    key = (
        rule.rule,
        tuple(rule._trace),
        repr(sorted((rule.defaults or {}).items())),
        append_unknown,
    )
    if key not in _builders:
        _builders[key] = _compile_builder(rule, append_unknown)
    return _builders[key]


Rule._compile_builder = _cached_builder  # type: ignore[method-assign]

DEFAULT_PG = "postgresql://cnpe:cnpe@127.0.0.1:5432/cnpe_test"
#: the day the tests live in (Europe/Paris noon)
TODAY = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)

_schema_ready: dict[str, str | None] = {}


def _own_database(url: str, suffix: str = "") -> str:
    """The database this process uses for ``url``: with ``pytest -n N`` (pytest-xdist) each
    worker its own, the configured name with ``_gw0``, ``_gw1``… added, then ``suffix`` (the
    world's own database: ``_world``); created on first use (SQLite: each worker has its own
    temporary folder already)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base, _, name = url.rpartition("/")
    own = name + (f"_{worker}" if worker else "") + suffix
    if own == name:
        return url
    engine = db.make_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": own})
            if found.first() is None:
                conn.execute(text(f'CREATE DATABASE "{own}"'))
    finally:
        engine.dispose()
    return f"{base}/{own}"


def _prepare_schema(backend: str, tmp_root: Path, suffix: str = "") -> str:
    """A database at the latest migration, built once per test session and backend (and per
    ``suffix``: the one world has a database of its own, see ``world_url``)."""
    key = backend + suffix
    if key in _schema_ready:
        url = _schema_ready[key]
        if url is None:
            pytest.skip("PostgreSQL injoignable (définissez CNPE_TEST_POSTGRES_URL)")
        return url
    if backend == "sqlite":
        url = f"sqlite:///{tmp_root / f'tests{suffix}.sqlite3'}"
    else:
        url = os.environ.get("CNPE_TEST_POSTGRES_URL", DEFAULT_PG)
        try:
            url = _own_database(url, suffix)
            engine = db.make_engine(url)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
        except Exception as exc:
            if os.environ.get("CNPE_REQUIRE_POSTGRES") == "1":
                raise RuntimeError(f"PostgreSQL required but unreachable at {url}: {exc}") from exc
            _schema_ready[key] = None
            pytest.skip(f"PostgreSQL injoignable à {url} : {type(exc).__name__}")
    migrate.upgrade(url)
    _schema_ready[key] = url
    return url


_cleaners: dict[str, Any] = {}


def _empty_tables(url: str) -> None:
    """Empty every table between tests, the append-only audit log too: its triggers (which
    refuse exactly that) are set aside for the statement, in the same transaction.

    On PostgreSQL, ``DELETE`` and a sequence reset cost about 3 ms where ``TRUNCATE`` costs
    about 40 ms (new files for every table); the engine is kept for the whole session."""
    if url not in _cleaners:
        # SQLite: no connection kept open on the file between tests
        pool = {"poolclass": NullPool} if url.startswith("sqlite") else {}
        _cleaners[url] = db.make_engine(url, **pool)
    engine = _cleaners[url]
    tables = list(reversed(db.metadata.sorted_tables))
    with engine.begin() as conn:
        if url.startswith("sqlite"):
            triggers = conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            ).all()
            for name, _sql in triggers:
                conn.execute(text(f"DROP TRIGGER {name}"))
            for table in tables:
                conn.execute(table.delete())
            for _name, sql in triggers:
                conn.execute(text(sql))
        else:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            for table in tables:
                conn.execute(table.delete())
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
            conn.execute(RESTART_SEQUENCES)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def schema_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The backend's database at the latest migration (what a test leaves there is its own
    business: see ``database_url`` and ``app``)."""
    return _prepare_schema(backend, tmp_path_factory.getbasetemp())


@pytest.fixture
def world_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The backend's database of the one world (``tests/world.py``, ``world_fixtures.py``):
    its own, so that the other tests neither see nor lock the world's rows."""
    return _prepare_schema(backend, tmp_path_factory.getbasetemp(), "_world")


@pytest.fixture
def database_url(schema_url: str) -> Iterator[str]:
    """The database's address, for a test that reaches it other than through ``app`` (another
    app, a subprocess, a migration): such a test commits for real, and every table is emptied
    after it. Asking for it also keeps the test's ``app`` on that path (see ``app``)."""
    yield schema_url
    _empty_tables(schema_url)


def _own_connections(request: pytest.FixtureRequest) -> bool:
    """Whether the test must commit for real: it reaches the database another way too
    (``database_url``), or is marked ``own_connections`` (the scheduler's leases, a second
    connection, a crash…)."""
    return (
        "database_url" in request.fixturenames
        or request.node.get_closest_marker("own_connections") is not None
    )


@pytest.fixture
def frozen_clock() -> Iterator[datetime]:
    set_clock(lambda: TODAY)
    yield TODAY
    set_clock(None)


@pytest.fixture
def app(
    schema_url: str, frozen_clock: datetime, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Any]:
    """The app on the test's backend; unless the test must commit for real (see
    ``_own_connections``), all its sessions share one connection rolled back at the end."""
    own = _own_connections(request)
    url = request.getfixturevalue("database_url") if own else schema_url
    application = new_app(url, tmp_path / "instance")
    if not own:
        with rolled_back(application, url):
            yield application
    else:
        yield application
    db.engine(application).dispose()


@pytest.fixture
def session(app: Any) -> Iterator[Any]:
    """A session for setting up data and checking results (commits are explicit)."""
    with db.transaction(app) as s:
        yield s


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def client(app: Any) -> Client:
    app.test_client_class = Client
    return app.test_client()  # type: ignore[no-any-return]


@pytest.fixture
def make_user(app: Any) -> Callable[..., Any]:
    """``make_user("spip")`` → a committed account (establishment CP Liancourt by default)."""
    return user_maker(app, PASSWORD)


def _form_login(client: Client, user: Any) -> Client:
    """Log in through the real login form (three requests); keeps the CSRF token."""
    page = client.get("/login").get_data(as_text=True)
    client.csrf = _CSRF.search(page).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/login",
        data={"csrf_token": client.csrf, "username": user.username, "password": PASSWORD},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    found = _CSRF.search(home)
    client.csrf = found.group(1) if found else client.csrf
    return client


@pytest.fixture
def form_login(app: Any) -> Callable[[Client, Any], Client]:
    """Log a client in through the real login form (the login tests themselves)."""
    return _form_login


@pytest.fixture
def login(app: Any) -> Callable[[Client, Any], Client]:
    """Log a client in without a request (``makers.session_login``); keeps the CSRF token.

    The login form itself is tested once per role (``tests/web/test_login_roles.py``)."""
    return session_login(app)  # type: ignore[return-value]


@pytest.fixture
def token_for(app: Any) -> Callable[[Any], dict[str, str]]:
    """API headers for a user: ``client.get(url, headers=token_for(user))``."""
    return token_maker(app)


@pytest.fixture
def make_person(app: Any, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """``make_person(events=[...], benefits=[...], **identity)`` → a committed person (by an admin)."""
    return person_maker(app, make_user)
