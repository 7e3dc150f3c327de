"""Commands: ``cnpe-flow reminders send-due|release-packets`` and ``cnpe-flow scheduler``.

Thin wrappers: the scheduler's jobs call the same functions.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

#: exit status when another process is already doing the work
BUSY = 1
BAD_CONFIG = 2


@contextmanager
def _app() -> Iterator[Any]:
    """The application from the environment; its connections closed when the command ends."""
    from cnpe_flow import db
    from cnpe_flow.cli import _app as make_app

    app = make_app()
    try:
        yield app
    finally:
        db.engine(app).dispose()


def _settings_or_exit(app: Any) -> None:
    from cnpe_flow.config import ConfigError
    from cnpe_flow.reminders.settings import reminder_settings

    try:
        reminder_settings(app.config)
    except ConfigError as exc:
        click.echo(str(exc), err=True)
        sys.exit(BAD_CONFIG)


def _log_to_stderr() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s : %(message)s"
    )


@click.group("reminders")
def reminders_group() -> None:
    """Rappels des échéances (notifications et e-mails)."""


@reminders_group.command("send-due")
def send_due_command() -> None:
    """Crée les notifications des tâches à échéance et envoie les e-mails (un passage)."""
    from cnpe_flow.reminders.lease import new_holder
    from cnpe_flow.reminders.sweep import LeaseLost, SweepBusy, run_sweep

    with _app() as app:
        _settings_or_exit(app)
        try:
            result = run_sweep(app, new_holder("cli"))
        except (SweepBusy, LeaseLost) as exc:
            _busy(exc)
    click.echo(result.summary())


def _busy(exc: Exception) -> NoReturn:
    from cnpe_flow.clock import paris_time
    from cnpe_flow.reminders.sweep import SweepBusy

    if isinstance(exc, SweepBusy):
        until = f" jusqu'à {paris_time(exc.until):%H:%M:%S}" if exc.until else ""
        click.echo(
            f"un passage de rappels est déjà en cours ({exc.holder}, verrou{until}) : "
            "réessayez plus tard",
            err=True,
        )
    else:
        click.echo(str(exc), err=True)
    sys.exit(BUSY)


@reminders_group.command("release-packets")
def release_packets_command() -> None:
    """Génère les dossiers de sortie des personnes libérées ces derniers jours."""
    from cnpe_flow.clock import today_paris
    from cnpe_flow.reminders.packets import generate_release_packets

    with _app() as app:
        click.echo(generate_release_packets(app, today_paris()).summary())


@click.command("scheduler")
def scheduler_command() -> None:
    """Processus planificateur (APScheduler) : un seul à la fois, lancé comme service."""
    from cnpe_flow.reminders import scheduler

    _log_to_stderr()
    with _app() as app:
        _settings_or_exit(app)
        code = scheduler.run(app)
    sys.exit(code)
