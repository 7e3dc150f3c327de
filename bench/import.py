"""Roster import benchmark: rows per second of ``run_import`` on a generated file.

    python bench/import.py [--rows 10000] [--backend sqlite|postgresql|both]
                           [--postgres-url URL]

Writes a CSV of ``--rows`` new people of CP Liancourt (écrou, most with a planned release, one
in five with a levée), then, as the establishment's SPIP, on an empty database of each backend
(a temporary SQLite file; the PostgreSQL database of ``--postgres-url`` has its ``public``
schema DROPPED and recreated: give one used for nothing else): a dry run, the real import of
the new people, and a re-import of the same file (every row unchanged). One process, one core.
Prints ``name: value`` lines per backend and phase: ``*_rows_per_second`` and ``*_seconds``
(wall clock), ``*_cpu_seconds`` (this process's CPU time).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from cnpe_flow import create_app, db, migrate
from cnpe_flow.auth.operations import create_user
from cnpe_flow.imports.columns import COLUMNS
from cnpe_flow.imports.roster import REFUSED, run_import

DEFAULT_POSTGRES = "postgresql://cnpe:cnpe@127.0.0.1:5432/cnpe_bench_h11"
LIANCOURT = "Centre pénitentiaire de Liancourt"


def roster_csv(rows: int, seed: int = 11) -> bytes:
    """A roster of ``rows`` distinct people, dates in both accepted formats."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(list(COLUMNS))
    for i in range(rows):
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
        ecrou = date(2025, 1, 1) + timedelta(days=rng.randrange(600))
        planned = ecrou + timedelta(days=rng.randrange(30, 700)) if rng.random() < 0.8 else None
        levee = None
        if rng.random() < 0.2:
            levee = ecrou + timedelta(days=rng.randrange(1, 300))
            planned = None
        writer.writerow(
            [
                f"B{i:06d}",
                f"Nom{i}",
                "Prénom",
                born.strftime("%d/%m/%Y"),
                "CP Liancourt",
                ecrou.isoformat(),
                planned.strftime("%d/%m/%Y") if planned else "",
                levee.isoformat() if levee else "",
                "",
                f"{rng.choice(['60', '75', '13', '59'])}{rng.randrange(100, 999)}",
                rng.choice(["reguliere", "reguliere", "irreguliere"]),
                rng.choice(["oui", "non"]),
            ]
        )
    return out.getvalue().encode("utf-8")


def _reset_postgres(url: str) -> None:
    engine = db.make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def run_backend(name: str, url: str, data: bytes, rows: int, instance: Path) -> list[str]:
    if name == "postgresql":
        _reset_postgres(url)
    migrate.upgrade(url)
    app = create_app(
        {"SECRET_KEY": "bench", "DATABASE_URL": url, "INSTANCE_PATH": str(instance / name)}
    )
    with db.transaction(app) as session:
        user = create_user(
            session, "bench-spip", "spip", "mot-de-passe-bench", establishment=LIANCOURT
        )
    lines = []
    for phase, dry_run in (("dry_run", True), ("new_people", False), ("unchanged", False)):
        start, cpu = time.perf_counter(), time.process_time()
        with db.transaction(app) as session:
            session.add(user)
            report = run_import(session, user, "bench.csv", data, dry_run=dry_run, max_rows=rows)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        refused = report.count(REFUSED)
        if refused:
            print(f"{name} {phase}: {report.refused_lines()[:3]}", file=sys.stderr)
        lines += [
            f"{name}_{phase}_summary: {report.summary()}",
            f"{name}_{phase}_seconds: {seconds:.2f}",
            # this process only (the PostgreSQL server's work is not in it): a busy machine
            # stretches the wall-clock figures, much less this one
            f"{name}_{phase}_cpu_seconds: {cpu:.2f}",
            f"{name}_{phase}_rows_per_second: {rows / seconds:.0f}",
        ]
    db.engine(app).dispose()
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    args = parser.parse_args(argv)
    data = roster_csv(args.rows)
    print(f"rows: {args.rows}")
    print(f"file_bytes: {len(data)}")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory() as tmp:
        for name in backends:
            url = (
                f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
                if name == "sqlite"
                else args.postgres_url
            )
            for line in run_backend(name, url, data, args.rows, Path(tmp)):
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
