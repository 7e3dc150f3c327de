"""The ``cnpe-flow`` command line."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, NoReturn

import click

from cnpe_flow import __version__
from cnpe_flow.rules import CaseError, evaluate
from cnpe_flow.rules.explain import explain_lines

BAD_INPUT = 2


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(BAD_INPUT)


def _read_case(source: str) -> Any:
    try:
        if source == "-":
            text = sys.stdin.read()
        else:
            with open(source, encoding="utf-8") as fh:
                text = fh.read()
    except OSError as exc:
        _fail([f"{source}: fichier illisible ({exc.strerror})"])
    except UnicodeDecodeError:
        _fail([f"{source}: le fichier n'est pas en UTF-8"])
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _fail([f"(JSON) ligne {exc.lineno}, colonne {exc.colno} : JSON invalide ({exc.msg})"])


def _evaluated(source: str) -> dict[str, Any]:
    try:
        return evaluate(_read_case(source))
    except CaseError as exc:
        _fail([p.line() for p in exc.problems])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cnpe-flow")
def main() -> None:
    """cnpe-flow : droits à l'assurance maladie autour de la détention et de la levée d'écrou."""


@main.command("evaluate")
@click.argument("source", metavar="FILE|-")
def evaluate_command(source: str) -> None:
    """Évalue un dossier (JSON du contrat) et écrit le résultat JSON sur la sortie standard."""
    result = _evaluated(source)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@main.command("explain")
@click.argument("source", metavar="FILE|-")
def explain_command(source: str) -> None:
    """Explique en français pourquoi chaque période, tâche et courrier a été décidé."""
    click.echo("\n".join(explain_lines(_evaluated(source))))


# --- web application commands (outside tools rely on these names: extend, never rename)


def _app(**overrides: Any) -> Any:
    from cnpe_flow import create_app
    from cnpe_flow.config import ConfigError

    try:
        return create_app(overrides or None)
    except ConfigError as exc:
        _fail([str(exc)])


def _invalid_input(exc: Any) -> NoReturn:
    _fail([p.line() for p in exc.problems])


@main.group("db")
def db_group() -> None:
    """Base de données."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Crée la base de données ou la met à jour (migrations Alembic)."""
    from cnpe_flow import migrate

    app = _app()
    migrate.upgrade(app.config["DATABASE_URL"])
    click.echo("base de données à jour")


@main.command("create-user")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["spip", "usmp", "partner", "admin"]))
@click.option("--email", default=None)
@click.option("--establishment", default=None, help="établissement du service (SPIP, USMP)")
def create_user_command(name: str, role: str, email: str | None, establishment: str | None) -> None:
    """Crée un compte ; le mot de passe est lu sur l'entrée standard."""
    from cnpe_flow import db
    from cnpe_flow.auth.operations import create_user
    from cnpe_flow.errors import InvalidInput

    password = sys.stdin.readline().rstrip("\r\n")
    app = _app()
    try:
        with db.transaction(app) as session:
            user = create_user(
                session, name, role, password, email=email, establishment=establishment
            )
            click.echo(f"compte « {user.username} » créé (rôle {role})")
    except InvalidInput as exc:
        _invalid_input(exc)


@main.command("create-token")
@click.argument("name")
@click.option(
    "--days",
    default=365,
    show_default=True,
    type=click.IntRange(1, 3650),
    help="durée de validité du jeton en jours",
)
def create_token_command(name: str, days: int) -> None:
    """Affiche un nouveau jeton d'API (Authorization: Bearer …) pour ce compte."""
    from sqlalchemy import select

    from cnpe_flow import db
    from cnpe_flow.auth.models import User
    from cnpe_flow.auth.operations import create_token

    app = _app()
    with db.transaction(app) as session:
        user = session.execute(select(User).where(User.username == name)).scalar_one_or_none()
        if user is None or not user.active:
            _fail([f"name: aucun compte actif « {name} »"])
        click.echo(create_token(session, user, days=days))


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=3, show_default=True, type=click.IntRange(1, 64))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
def serve_command(host: str, port: int, workers: int, threads: int) -> None:
    """Serveur de production (gunicorn : plusieurs processus et fils)."""
    from cnpe_flow.web.server import serve

    serve(_app(), host, port, workers, threads)


@main.command("demo")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
def demo_command(port: int, host: str) -> None:
    """Base SQLite neuve avec des données fictives, puis lance l'application."""
    from cnpe_flow.demo import prepare_demo
    from cnpe_flow.web.server import serve

    demo = prepare_demo()
    click.echo(f"cnpe-flow (démonstration, données fictives) : http://{host}:{port}/")
    for role, username, password in demo.logins:
        click.echo(f"  {role:<8} identifiant {username:<16} mot de passe {password}")
    click.echo(
        f"Rappels : {demo.notifications} notification(s) créée(s) au démarrage "
        "(page « Notifications » de chaque compte ; aucun e-mail en démonstration)."
    )
    click.echo(
        f"La base de démonstration ({demo.database}) est effacée et recréée "
        "à chaque démarrage : rien de ce que vous saisissez n'est gardé."
    )
    click.echo("Pour arrêter la démonstration : Ctrl+C dans ce terminal.")
    serve(demo.app, host, port, workers=1, threads=8)


def _register_area_commands() -> None:
    from cnpe_flow.privacy.cli import rgpd_group
    from cnpe_flow.reminders.cli import reminders_group, scheduler_command

    main.add_command(rgpd_group)
    from cnpe_flow.imports.cli import import_group

    main.add_command(import_group)
    main.add_command(reminders_group)
    main.add_command(scheduler_command)


_register_area_commands()


def run() -> None:
    """Entry point that never shows a traceback to a user unless CNPE_DEBUG is set."""
    try:
        main(standalone_mode=True)
    except Exception as exc:  # a bug, not bad input: say so plainly
        if os.environ.get("CNPE_DEBUG"):
            raise
        click.echo(
            f"erreur interne de cnpe-flow ({type(exc).__name__}) : merci de la signaler", err=True
        )
        sys.exit(1)
