"""Placeholder commands (reminders and the scheduler process)."""

import click


@click.group("reminders")
def reminders_group() -> None:
    """Rappels."""


@click.command("scheduler")
def scheduler_command() -> None:
    """Processus planificateur (APScheduler)."""
    raise click.ClickException("pas encore disponible")
