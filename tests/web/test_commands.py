"""The documented commands: db upgrade, create-user, create-token, and the SECRET_KEY rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from cnpe_flow import db

pytestmark = pytest.mark.slow  # subprocesses waiting on real leases or servers

CLI = [sys.executable, "-m", "cnpe_flow"]


def _run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        CLI + args, input=stdin, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    import os

    return {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "SECRET_KEY": "une-cle-de-test",
    }


def test_refuses_to_start_without_secret_key(env):
    del env["SECRET_KEY"]
    result = _run(["db", "upgrade"], env)
    assert result.returncode == 2
    assert "SECRET_KEY manquant" in result.stderr
    assert "Traceback" not in result.stderr


def test_upgrade_create_user_and_token_then_the_token_works(env):
    assert _run(["db", "upgrade"], env).returncode == 0
    created = _run(
        [
            "create-user",
            "camille",
            "--role",
            "spip",
            "--email",
            "c@example.org",
            "--establishment",
            "CP de Beauvais",
        ],
        env,
        stdin="un-long-mot-de-passe\n",
    )
    assert created.returncode == 0, created.stderr
    token = _run(["create-token", "camille"], env)
    assert token.returncode == 0
    from cnpe_flow import create_app

    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": env["DATABASE_URL"], "TESTING": True})
    with app.app_context():
        row = (
            db.session()
            .execute(text("select role, establishment_code, password_hash from users"))
            .one()
        )
    assert row[0] == "spip" and row[1] is not None and row[2].startswith("$argon2")
    response = app.test_client().get(
        "/api/v1/people", headers={"Authorization": f"Bearer {token.stdout.strip()}"}
    )
    assert response.status_code != 401


def test_create_user_explains_bad_input_field_by_field(env):
    _run(["db", "upgrade"], env)
    result = _run(
        ["create-user", "dominique", "--role", "usmp", "--establishment", "Prison de Nullepart"],
        env,
        stdin="court\n",
    )
    assert result.returncode == 2
    assert "password:" in result.stderr and "establishment:" in result.stderr
    assert "Traceback" not in result.stderr


def test_create_token_for_an_unknown_user_is_a_clear_error(env):
    _run(["db", "upgrade"], env)
    result = _run(["create-token", "personne"], env)
    assert result.returncode == 2 and "aucun compte actif" in result.stderr


def test_serve_answers_health_checks_with_several_workers(env):
    import socket
    import time
    import urllib.request

    _run(["db", "upgrade"], env)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert body is not None and '"status":"ok"' in body.replace(" ", "")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
            assert (
                "Content-Security-Policy" in r.headers
                and "unsafe-inline" not in r.headers["Content-Security-Policy"]
            )
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert output.count("Booting worker") == 2
