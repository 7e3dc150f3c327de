"""Placeholder blueprint (replaced by its own module's work)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)


@bp.route("/admin/utilisateurs")
def users():  # type: ignore[no-untyped-def]
    return "placeholder"
