"""``cnpe-flow import roster FILE --as USERNAME [--dry-run]``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from cnpe_flow.imports.roster import ImportReport


@click.group("import")
def import_group() -> None:
    """Import de listes de l'établissement."""


@import_group.command("roster")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "username", required=True, help="compte au nom duquel importer")
@click.option("--dry-run", is_flag=True, help="n'écrit rien : affiche ce que l'import ferait")
def roster_command(path: Path, username: str, dry_run: bool) -> None:
    """Importe une liste (CSV ou XLSX) : écrous, sorties prévues, levées, transferts.

    Sortie 0 si chaque ligne est appliquée ou inchangée, 1 si des lignes sont refusées (les
    autres sont appliquées), 2 si le fichier est illisible ou incomplet (rien n'est écrit).
    """
    from cnpe_flow import db
    from cnpe_flow.cli import _app, _fail
    from cnpe_flow.imports.roster import REFUSED

    try:
        data = path.read_bytes()
    except OSError as exc:
        _fail([f"{path}: fichier illisible ({exc.strerror})"])
    app = _app()
    try:
        report = _run(app, username, path, data, dry_run)
    finally:
        db.engine(app).dispose()  # no connection left open behind the command
    for line in report.refused_lines():
        click.echo(line)
    for note in report.notes():
        click.echo(note)
    prefix = "simulation, rien n'est écrit — " if dry_run else ""
    click.echo(prefix + report.summary())
    sys.exit(1 if report.count(REFUSED) else 0)


def _run(app: Any, username: str, path: Path, data: bytes, dry_run: bool) -> ImportReport:
    from sqlalchemy import select

    from cnpe_flow import db
    from cnpe_flow.auth.models import User
    from cnpe_flow.cli import _fail
    from cnpe_flow.errors import Forbidden
    from cnpe_flow.imports.reading import FileRefused
    from cnpe_flow.imports.roster import run_import

    try:
        with db.transaction(app) as session:
            user = session.execute(
                select(User).where(User.username == username)
            ).scalar_one_or_none()
            if user is None or not user.active:
                _fail([f"--as : aucun compte actif « {username} »"])
            report = run_import(
                session,
                user,
                path.name,
                data,
                dry_run=dry_run,
                max_rows=app.config["IMPORT_MAX_ROWS"],
            )
    except FileRefused as exc:
        _fail([f"{path.name} : {exc}"])
    except Forbidden as exc:
        _fail([f"--as : {exc}"])
    return report
