"""``cnpe-flow demo`` as a newcomer meets it: the reminder sweep has run once at start-up, so
« Notifications » is not empty although the demo runs no scheduler; the command says how to
stop it and that its database is recreated at each start (and it is)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from cnpe_flow import db, paths
from cnpe_flow.auth.models import User
from cnpe_flow.cli import main
from cnpe_flow.demo import DEMO_USERS
from cnpe_flow.people.models import Person
from cnpe_flow.reminders.models import Notification
from cnpe_flow.web import server

PASSWORDS = {username: password for _, username, password, _ in DEMO_USERS}


def _start_demo(monkeypatch: pytest.MonkeyPatch, instance: Path) -> tuple[Any, str]:
    """Run ``cnpe-flow demo`` up to the server, which is not started: the app it would serve."""
    served: list[Any] = []
    monkeypatch.setattr(paths, "default_instance_path", lambda: instance)
    monkeypatch.setattr(server, "serve", lambda app, *args, **kwargs: served.append(app))
    result = CliRunner().invoke(main, ["demo", "--port", "5999"])
    assert result.exit_code == 0, result.output
    (app,) = served
    return app, result.output


def _notifications_of(app: Any, username: str) -> int:
    with db.transaction(app) as s:
        user = s.execute(select(User).where(User.username == username)).scalar_one()
        return s.execute(
            select(func.count()).select_from(Notification).where(Notification.user_id == user.id)
        ).scalar_one()


def test_demo_has_notifications_and_says_how_to_stop(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, frozen_clock: datetime
) -> None:
    app, output = _start_demo(monkeypatch, tmp_path)
    try:
        assert "Ctrl+C" in output
        assert f"({tmp_path / 'demo.sqlite3'}) est effacée et recréée à chaque démarrage" in output
        # the SPIP and USMP of CP Liancourt were reminded of their own tasks (no transfer
        # reaches them: only the sweep can have written these)
        assert _notifications_of(app, "spip") > 0
        assert _notifications_of(app, "usmp") > 0

        client = app.test_client()
        form = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        credentials = {"username": "spip", "password": PASSWORDS["spip"]}
        logged_in = client.post("/login", data={"csrf_token": token, **credentials})
        assert logged_in.status_code == 302
        page = client.get("/notifications")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert '<span class="badge late">En retard</span>' in html
        assert re.search(r'<a href="/personnes/\d+">LEROY Thomas</a>', html)  # released 5 days ago
    finally:
        db.engine(app).dispose()


def test_demo_database_is_recreated_at_each_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, frozen_clock: datetime
) -> None:
    counts = []
    for _ in range(2):
        app, _output = _start_demo(monkeypatch, tmp_path)
        with db.transaction(app) as s:
            counts.append(
                (
                    s.execute(select(func.count()).select_from(Person)).scalar_one(),
                    s.execute(select(func.count()).select_from(Notification)).scalar_one(),
                )
            )
        db.engine(app).dispose()
    assert counts[0] == counts[1]
    assert counts[0][0] > 0
