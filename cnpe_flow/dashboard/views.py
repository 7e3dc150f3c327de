"""Placeholder dashboard."""

from flask import Blueprint, render_template

bp = Blueprint("dashboard", __name__)


@bp.route("/")
def index():  # type: ignore[no-untyped-def]
    return render_template("base.html")
