"""``cnpe-flow rgpd export PERSON_ID`` and ``cnpe-flow rgpd purge [--dry-run]``."""

from __future__ import annotations

import json

import click


@click.group("rgpd")
def rgpd_group() -> None:
    """Droits des personnes (RGPD) : export des données, purge après la durée de conservation."""


@rgpd_group.command("export")
@click.argument("person_id", type=int)
def export_command(person_id: int) -> None:
    """Écrit en JSON tout ce que cnpe-flow détient sur la personne (export journalisé)."""
    from cnpe_flow import db
    from cnpe_flow.cli import _app, _fail
    from cnpe_flow.errors import NotFound
    from cnpe_flow.privacy.export import audited_export

    app = _app()
    try:
        with db.transaction(app) as session:
            document = audited_export(session, person_id, actor_id=None, route="cli")
    except NotFound as exc:
        _fail([f"person_id: {exc}"])
    finally:
        db.engine(app).dispose()
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@rgpd_group.command("purge")
@click.option("--dry-run", is_flag=True, help="liste seulement les dossiers qui seraient purgés")
def purge_command(dry_run: bool) -> None:
    """Purge les dossiers dont la levée d'écrou dépasse CNPE_RETENTION_MONTHS (24 mois par défaut)
    et qui n'ont plus de tâche ouverte, en une seule transaction."""
    from cnpe_flow import db
    from cnpe_flow.cli import _app, _fail
    from cnpe_flow.clock import today_paris
    from cnpe_flow.config import ConfigError
    from cnpe_flow.privacy.purge import purge, retention_months

    app = _app()
    try:
        months = retention_months(app.config)
    except ConfigError as exc:
        _fail([str(exc)])
    try:
        with db.transaction(app) as session:
            ids = purge(session, today_paris(), months, dry_run=dry_run)
    finally:
        db.engine(app).dispose()
    plural = "s" if len(ids) > 1 else ""
    verb = "à purger" if dry_run else f"purgé{plural}"
    click.echo(
        f"{len(ids)} dossier{plural} {verb} "
        f"(levée d'écrou de plus de {months} mois, aucune tâche ouverte)"
    )
    if ids:
        click.echo("dossiers n° " + ", ".join(str(i) for i in ids))
