"""What the server says about itself: no ``Server: gunicorn``; HSTS only over HTTPS (also
behind a trusted proxy that terminates it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from cnpe_flow import create_app, db

HSTS = "Strict-Transport-Security"


@pytest.mark.slow
def test_served_pages_do_not_name_the_server(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "SECRET_KEY": "cle",
    }
    cli = [sys.executable, "-m", "cnpe_flow"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        headers = None
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    headers = r.headers
                break
            except OSError:
                time.sleep(0.1)
        assert headers is not None, "the server never answered"
        assert "Server" not in headers
        assert headers["Content-Security-Policy"] and HSTS not in headers  # plain http
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_hsts_over_https_only(client):
    assert HSTS not in client.get("/login").headers
    secure = client.get("/login", base_url="https://cnpe.example")
    assert secure.headers[HSTS] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize(("proxies", "expected"), [(1, True), (0, False)])
def test_hsts_behind_a_proxy_that_terminates_https(
    database_url, frozen_clock, tmp_path, proxies, expected
):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path),
            "TRUSTED_PROXIES": proxies,
        }
    )
    try:
        response = app.test_client().get(
            "/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}
        )
    finally:
        db.engine(app).dispose()
    assert (HSTS in response.headers) is expected
