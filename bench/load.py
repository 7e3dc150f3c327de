"""Load test: concurrent API clients against ``cnpe-flow serve`` on loopback.

    python bench/load.py [--clients 50] [--seconds 30] [--writes 0.3] [--people 2000]
                         [--backend sqlite|postgresql|both] [--postgres-url URL]
                         [--workers N] [--threads N]

For each backend: loads ``--people`` people (``bench/web_data.py``: events, tasks, audit rows)
into a temporary SQLite file or the PostgreSQL database of ``--postgres-url`` (its ``public``
schema is DROPPED and recreated: give a database used for nothing else), gives every client
its own API token of the SPIP of the largest establishment, starts ``cnpe-flow serve`` on a
free loopback port, and runs ``--clients`` clients (one thread and one keep-alive connection
each) for ``--seconds`` seconds. Each request is a write with probability ``--writes``
(replace a household: ``PUT …/household``; create a person: ``POST /api/v1/people``), a read
otherwise (a person with their evaluation, their tasks, their events, a search by name).

Prints ``name: value`` lines per backend (``sqlite_errors``, ``sqlite_p50_ms``,
``sqlite_p95_ms``, ``sqlite_requests_per_second``, …) and, last, those of the last backend
run without prefix: ``errors`` (requests that failed or got another status than expected),
``p50_ms``, ``p95_ms``, ``requests_per_second``. Times are wall-clock milliseconds seen by the
client, connection reuse included.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import web_data  # bench/ is on the path when this file runs as a script
from sqlalchemy import select

from cnpe_flow import create_app, db
from cnpe_flow.auth.models import User
from cnpe_flow.auth.operations import create_token

DEFAULT_POSTGRES = "postgresql://cnpe:cnpe@127.0.0.1:5432/cnpe_bench"
SEARCHES = ("martin", "durand", "bernard", "petit", "moreau", "simon")


@dataclass
class Tally:
    """What one client saw."""

    times: list[float] = field(default_factory=list)
    #: the same times by kind of request ("GET /api/v1/people/{id}" …)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    first_error: str = ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tokens(url: str, username: str, count: int) -> list[str]:
    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url, "TESTING": True})
    try:
        with db.transaction(app) as s:
            user = s.execute(select(User).where(User.username == username)).scalar_one()
            return [create_token(s, user) for _ in range(count)]
    finally:
        db.engine(app).dispose()


def _household(rnd: random.Random) -> dict[str, Any]:
    return {
        "household": {
            "members": [{"birth_date": "2015-04-02", "relation": "child"}]
            if rnd.random() < 0.5
            else [],
            "annual_resources": rnd.randrange(0, 20_000),
            "rsa": rnd.random() < 0.3,
        }
    }


def _new_person(rnd: random.Random) -> dict[str, Any]:
    return {
        "last_name": "Charge",
        "first_name": f"Client{rnd.randrange(10_000)}",
        "birth_date": "1990-05-17",
        "residence_status": "regular",
        "carte_vitale": True,
    }


def _request(
    rnd: random.Random, ids: list[int], own: list[int], writes: float
) -> tuple[str, str, Any, int]:
    """(method, path, JSON body or None, expected status) of one random request.

    Reads any file of the establishment; writes only the client's ``own`` files, as agents
    each follow their own people (two writes racing on one file get a correct 409).
    """
    person = rnd.choice(ids)
    if rnd.random() < writes:
        if rnd.random() < 0.7:
            mine = rnd.choice(own)
            return "PUT", f"/api/v1/people/{mine}/household", _household(rnd), 200
        return "POST", "/api/v1/people", _new_person(rnd), 201
    kind = rnd.random()
    if kind < 0.4:
        return "GET", f"/api/v1/people/{person}", None, 200
    if kind < 0.6:
        return "GET", f"/api/v1/people/{person}/tasks", None, 200
    if kind < 0.8:
        return "GET", f"/api/v1/people/{person}/events", None, 200
    return "GET", f"/api/v1/people?q={rnd.choice(SEARCHES)}", None, 200


def _client(
    port: int,
    token: str,
    ids: list[int],
    own: list[int],
    writes: float,
    seed: int,
    start: threading.Event,
    deadline: list[float],
    tally: Tally,
) -> None:
    rnd = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start.wait()
    while time.perf_counter() < deadline[0]:
        method, path, body, expected = _request(rnd, ids, own, writes)
        data = json.dumps(body).encode() if body is not None else None
        began = time.perf_counter()
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            status = None
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            reason = type(exc).__name__
        took = (time.perf_counter() - began) * 1000
        tally.times.append(took)
        kind = f"{method} " + "/".join(
            "{id}" if part.isdigit() else part for part in path.split("?")[0].split("/")
        )
        tally.by_kind.setdefault(kind, []).append(took)
        if status != expected:
            tally.errors += 1
            tally.first_error = tally.first_error or (
                f"{method} {path}: {status if status is not None else reason}"
            )
    conn.close()


def _wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("cnpe-flow serve stopped at start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("cnpe-flow serve did not answer")


def run_backend(url: str, args: argparse.Namespace) -> dict[str, float]:
    loaded = web_data.load(url, people=args.people, events_per_person=5)
    _prefix, username, ids = loaded.accounts[0]
    tokens = _tokens(url, username, args.clients)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-load",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cnpe_flow",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(port, server)
        start = threading.Event()
        deadline = [0.0]
        tallies = [Tally() for _ in range(args.clients)]
        threads = [
            threading.Thread(
                target=_client,
                args=(
                    port,
                    tokens[i],
                    ids,
                    ids[i :: args.clients],
                    args.writes,
                    1000 + i,
                    start,
                    deadline,
                    tallies[i],
                ),
                daemon=True,
            )
            for i in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        began = time.perf_counter()
        deadline[0] = began + args.seconds
        start.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=60)
    times = sorted(t for tally in tallies for t in tally.times)
    errors = sum(tally.errors for tally in tallies)
    first = next((t.first_error for t in tallies if t.first_error), "")
    if first:
        print(f"# first error: {first}", file=sys.stderr)
    kinds: dict[str, list[float]] = {}
    for tally in tallies:
        for kind, values in tally.by_kind.items():
            kinds.setdefault(kind, []).extend(values)
    for kind, values in sorted(kinds.items()):
        values.sort()
        print(
            f"# {kind}: {len(values)} requests, p50 {statistics.median(values):.1f} ms, "
            f"p95 {values[int(len(values) * 0.95) - 1]:.1f} ms",
            file=sys.stderr,
        )
    return {
        "errors": errors,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "requests_per_second": round(len(times) / elapsed, 1),
        "requests": len(times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--writes", type=float, default=0.3, help="share of writes (0–1)")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--workers", type=int, default=3, help="cnpe-flow serve --workers")
    parser.add_argument("--threads", type=int, default=4, help="cnpe-flow serve --threads")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    last: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            url = (
                f"sqlite:///{Path(tmp) / 'load.sqlite3'}"
                if backend == "sqlite"
                else args.postgres_url
            )
            last = run_backend(url, args)
            for name, value in last.items():
                print(f"{backend}_{name}: {value}", flush=True)
    for name in ("errors", "p50_ms", "p95_ms", "requests_per_second"):
        print(f"{name}: {last[name]}")


if __name__ == "__main__":
    main()
