"""Web benchmark: response times of the dashboard and the case page on a large database.

    python bench/web.py [--people 100000] [--events-per-person 5] [--requests 200]
                        [--backend sqlite|postgresql|both] [--postgres-url URL]

Loads ``--people`` people (about ``--events-per-person`` events each, with their tasks, audit
rows and shares, see ``bench/web_data.py``) spread over 50 establishments into a temporary
SQLite file and/or the PostgreSQL database of ``--postgres-url`` (its ``public`` schema is
DROPPED and recreated: give a database used for nothing else). Then, through the Flask test
client logged in with the real login form, requests ``/`` and ``/personnes/<id>`` for random
visible people, ``--requests`` times each, as a SPIP of the largest establishment (plain
names), a SPIP of the smallest one (``small_spip_``), a partner with a few shared people
(``partner_``) and an admin who sees everyone (``admin_``). Prints ``name: value`` lines; times are wall-clock milliseconds of
the whole request (routing, queries, engine, template), SQL statements counted per request.
``dashboard_p95_ms`` and ``case_page_p95_ms`` are the worst p95 over backends and roles.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import web_data  # bench/ is on the path when this file runs as a script
from sqlalchemy import event

from cnpe_flow import create_app, db

DEFAULT_POSTGRES = "postgresql://cnpe:cnpe@127.0.0.1:5432/cnpe_h7"
WARM_UP = 5
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Statements:
    """Counts the SQL statements an engine runs (an N+1 shows as a count growing with data)."""

    def __init__(self, engine: Any) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


def log_in(app: Any, username: str) -> Any:
    """A test client logged in through the login form."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = _CSRF.search(page).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": web_data.PASSWORD},
    )
    if response.status_code != 302:
        raise SystemExit(f"login failed for {username}: HTTP {response.status_code}")
    return client


def measure(
    client: Any, paths: Callable[[], str], requests: int, statements: Statements
) -> tuple[list[float], float]:
    """Milliseconds per request and SQL statements per request (after a few warm-up calls)."""
    for _ in range(WARM_UP):
        client.get(paths())
    times = []
    before = statements.count
    for _ in range(requests):
        path = paths()
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {path}: HTTP {response.status_code}")
    return times, (statements.count - before) / requests


def p50(times: list[float]) -> float:
    return statistics.median(times)


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[94]


def run_backend(name: str, url: str, args: argparse.Namespace, tmp: Path) -> dict[str, float]:
    """Load, then time both pages for every measured account; returns the printed figures."""
    loaded = web_data.load(url, people=args.people, events_per_person=args.events_per_person)
    results: dict[str, float] = {
        f"load_seconds_{name}": loaded.seconds,
        f"{name}_events": loaded.events,
        f"{name}_tasks": loaded.tasks,
        **{f"{name}_{prefix}people": len(ids) for prefix, _, ids in loaded.accounts},
    }
    app = create_app(
        {
            "SECRET_KEY": "bench-secret-key",
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(tmp / f"instance-{name}"),
        }
    )
    rnd = random.Random(7)
    web_data.verify_sample(app, rnd.sample(range(1, args.people + 1), min(20, args.people)))
    statements = Statements(db.engine(app))
    for role, username, visible in loaded.accounts:
        client = log_in(app, username)
        for page, paths in (
            ("dashboard", lambda: "/"),
            ("case_page", lambda visible=visible: f"/personnes/{rnd.choice(visible)}"),
        ):
            if not visible:
                continue  # a partner with nothing shared (tiny data sets)
            times, queries = measure(client, paths, args.requests, statements)
            prefix = f"{name}_{role}{page}"
            results[f"{prefix}_p50_ms"] = p50(times)
            results[f"{prefix}_p95_ms"] = p95(times)
            results[f"{prefix}_queries"] = queries
            print(f"{prefix}_p95_ms: {results[f'{prefix}_p95_ms']:.1f}", file=sys.stderr)
    db.engine(app).dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--events-per-person", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES,
        help="a database for the benchmark only: its public schema is dropped",
    )
    args = parser.parse_args()

    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="cnpe-bench-") as tmp:
        for name in backends:
            url = (
                f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
                if name == "sqlite"
                else args.postgres_url
            )
            results.update(run_backend(name, url, args, Path(tmp)))
    for page in ("dashboard", "case_page"):
        results[f"{page}_p95_ms"] = max(
            value
            for key, value in results.items()
            if key.endswith(f"{page}_p95_ms") and key.startswith(backends)
        )
    print(f"people: {args.people}")
    print(f"events_per_person: {args.events_per_person}")
    print(f"requests: {args.requests}")
    for key, value in results.items():
        shown = f"{value:.0f}" if isinstance(value, int) else f"{value:.1f}"
        print(f"{key}: {shown}")


if __name__ == "__main__":
    main()
