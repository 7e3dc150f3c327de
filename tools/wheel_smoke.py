"""Smoke test of the installed wheel (`.ci/run`, step « package »).

Run it with the python of a fresh virtual environment where the wheel is installed (not
editable), from a directory outside the checkout, so that only the installed package can be
imported:

    cd "$(mktemp -d)" && /path/to/venv/bin/python /path/to/checkout/tools/wheel_smoke.py

It checks that the installed package carries what it reads at run time, starts
`cnpe-flow demo`, fetches the login page over HTTP, makes an API token with
`cnpe-flow create-token` against the demo database and fetches one letter PDF with it, then
stops the demo with Ctrl+C (SIGINT), as a user would. Standard library only.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

#: the demo's start-up (migrations, demo data, one reminder sweep) on a slow machine
START_TIMEOUT = 90


def _installed_package() -> Any:
    import cnpe_flow
    from cnpe_flow import paths

    origin = Path(cnpe_flow.__file__).resolve()
    if not origin.is_relative_to(Path(sys.prefix).resolve()):
        sys.exit(f"cnpe_flow comes from {origin}, not from the environment {sys.prefix}")
    if not paths.installed():
        sys.exit(f"{origin.parent} has no _shipped/ folder: templates and letters are missing")
    for name in ("templates/auth/login.html", "letters/fonts/DejaVuSans.ttf"):
        folder, _, rest = name.partition("/")
        if not (paths.shipped(folder) / rest).is_file():
            sys.exit(f"the wheel lacks {name}")
    print(f"installed package: {origin.parent}")
    return paths


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def _wait_for_login(base: str, demo: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if demo.poll() is not None:
            sys.exit(f"cnpe-flow demo stopped (exit status {demo.returncode})")
        try:
            status, _, body = _get(f"{base}/login")
        except OSError:
            time.sleep(0.5)
            continue
        page = body.decode("utf-8")
        if status != 200 or 'name="password"' not in page:
            sys.exit(f"GET /login: status {status}, no login form")
        return page
    sys.exit(f"cnpe-flow demo did not answer within {START_TIMEOUT} s")


def _letter(base: str, database: Path) -> tuple[str, int]:
    """One letter of the first demo person, through the API with a token made by the CLI."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "wheel-smoke"}
    token = subprocess.run(
        [bin_dir / "cnpe-flow", "create-token", "spip", "--days", "1"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    _, _, body = _get(f"{base}/api/v1/people?q=Martin", headers)
    person_id = json.loads(body)["items"][0]["id"]
    _, _, body = _get(f"{base}/api/v1/people/{person_id}", headers)
    kind = json.loads(body)["evaluation"]["letters"][0]["kind"]
    status, content_type, pdf = _get(
        f"{base}/api/v1/people/{person_id}/letters/{kind}.pdf", headers
    )
    if status != 200 or content_type != "application/pdf" or not pdf.startswith(b"%PDF-"):
        sys.exit(f"letter {kind}: status {status}, {content_type}, starts {pdf[:8]!r}")
    return kind, len(pdf)


def main() -> None:
    paths = _installed_package()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    demo = subprocess.Popen(
        [Path(sys.executable).parent / "cnpe-flow", "demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_login(base, demo)
        print(f"GET /login: 200, login form ({base})")
        kind, size = _letter(base, paths.default_instance_path() / "demo.sqlite3")
        print(f"letter {kind}: PDF of {size} bytes")
    finally:
        demo.send_signal(signal.SIGINT)  # Ctrl+C, as the demo tells its user
        try:
            output, _ = demo.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            demo.kill()
            output, _ = demo.communicate()
            print(output)
            sys.exit("cnpe-flow demo did not stop on Ctrl+C within 30 s")
    if "Ctrl+C" not in output:
        print(output)
        sys.exit("the demo did not say how to stop it")
    print(f"cnpe-flow demo stopped on Ctrl+C (exit status {demo.returncode})")


if __name__ == "__main__":
    main()
