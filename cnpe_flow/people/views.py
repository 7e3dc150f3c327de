"""Placeholder blueprint (replaced by its own module's work)."""

from flask import Blueprint

bp = Blueprint("people", __name__)


@bp.route("/personnes")
def search():  # type: ignore[no-untyped-def]
    return "placeholder"
