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
