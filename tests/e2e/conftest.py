"""Real-browser tests: Playwright drives Debian's chromium against a live server.

The server runs in a thread on a temporary SQLite file (not ``:memory:``: the browser's requests
are served by other threads), migrated like production. Playwright's own browser download is
not used; without ``/usr/bin/chromium`` these tests are skipped, unless
``CNPE_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns that into a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from e2e_site import WORLD_PASSWORD, MatrixSite, build_world
from makers import person_maker, user_maker
from playwright.sync_api import ConsoleMessage, Page, Response
from sqlalchemy import select
from werkzeug.serving import make_server

from cnpe_flow import ROOT, create_app, db, migrate
from cnpe_flow.auth.models import User
from cnpe_flow.auth.operations import create_token, create_user
from cnpe_flow.clock import set_clock
from cnpe_flow.people.operations import add_event, create_person

SCREENSHOTS = ROOT / "build" / "screenshots"
SPIP_USERNAME = "spip-navigateur"
PASSWORD = "mot-de-passe-du-navigateur"
LIANCOURT = "Centre pénitentiaire de Liancourt"
#: the day the tests live in (Europe/Paris noon), as in the other tests
TODAY = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)

# Without the networking flags chromium keeps calling Google's hosts, refused on closed networks.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    chromium = shutil.which("chromium")
    if chromium is None:
        reason = "chromium de Debian absent (apt-get install chromium)"
        if os.environ.get("CNPE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CNPE_REQUIRE_BROWSER=1 : {reason}")
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_FLAGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The application on a migrated SQLite file, with a SPIP account of CP Liancourt."""
    app = _migrated_app(tmp_path_factory.mktemp("e2e"), "e2e")
    with db.transaction(app) as session:
        create_user(session, SPIP_USERNAME, "spip", PASSWORD, establishment=LIANCOURT)
    yield app
    db.engine(app).dispose()


def released_person(app: Any, last_name: str) -> int:
    """A person of CP Liancourt released on 20/11/2026 (tasks overdue), made by the SPIP."""
    with db.transaction(app) as s:
        spip = s.exec(select(User).where(User.username == SPIP_USERNAME)).scalar_one()
        person = create_person(
            s,
            spip,
            {
                "last_name": last_name,
                "first_name": "Inès",
                "birth_date": "1990-06-01",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "60100",
                "establishment": LIANCOURT,
            },
        )
        add_event(
            s, spip, person, {"type": "ecrou", "date": "2026-02-02", "establishment": LIANCOURT}
        )
        add_event(s, spip, person, {"type": "levee_ecrou", "date": "2026-11-20"})
        return person.id  # type: ignore[return-value]


@pytest.fixture(scope="session")
def base_url(live_app: Any) -> Iterator[str]:
    """The live server's address (pytest-playwright resolves ``page.goto("/")`` against it)."""
    with _served(live_app) as url:
        yield url


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[None]:
    """The server lives on the tests' day (2026-11-23), so dates and tasks are stable."""
    set_clock(lambda: TODAY)
    yield
    set_clock(None)


@pytest.fixture
def page_problems(page: Page) -> list[str]:
    """Console errors (CSP violations among them), page errors and failed responses."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text} ({message.location.get('url')})")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("response", on_response)
    return problems


@pytest.fixture
def spip_page(page: Page, page_problems: list[str]) -> Page:
    """A page logged in as the SPIP of CP Liancourt, through the login form."""
    page.goto("/login")
    page.get_by_label("Identifiant").fill(SPIP_USERNAME)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Sorties à venir", level=1).wait_for()
    return page


@pytest.fixture
def save_screenshot() -> Callable[[Page, str], Path]:
    """``save_screenshot(page, "name")``: a full-page PNG in build/screenshots/ (git-ignored)."""

    def save(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


# --- the one world of the matrix and API tests, served live (accessibility, layout, print) -----


@pytest.fixture(scope="session")
def matrix_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MatrixSite]:
    """A second app and server, apart from ``live_app`` so that the other browser tests'
    lists stay as they expect, holding the world of ``tests/world.py``."""
    app = _migrated_app(tmp_path_factory.mktemp("matrix-site"), "matrix")

    def token_for(user: Any) -> dict[str, str]:
        with db.transaction(app) as s:
            return {"Authorization": f"Bearer {create_token(s, user)}"}

    set_clock(lambda: TODAY)  # the world's tasks are those of the tests' day
    try:
        make_user = user_maker(app, WORLD_PASSWORD)
        world = build_world(app, make_user, person_maker(app, make_user), _no_login, token_for)
    finally:
        set_clock(None)
    with _served(app) as url:
        yield MatrixSite(world, url)
    db.engine(app).dispose()


def _no_login(client: Any, user: Any) -> Any:
    raise AssertionError("the browser logs in through the page (MatrixSite.login)")


def _migrated_app(root: Path, name: str) -> Any:
    """The application on a migrated SQLite file of its own, in ``root``."""
    url = f"sqlite:///{root / f'{name}.sqlite3'}"
    migrate.upgrade(url)
    return create_app(
        {
            "SECRET_KEY": f"{name}-secret-key",
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(root / "instance"),
            # Plain http on 127.0.0.1: a Secure cookie would never be sent back.
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
        }
    )


@contextmanager
def _served(app: Any) -> Iterator[str]:
    """The app served in a thread on a free port of 127.0.0.1; yields its address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
