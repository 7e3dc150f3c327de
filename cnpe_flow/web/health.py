"""``GET /healthz``: the only route without authentication besides login."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from cnpe_flow import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    try:
        db.session().execute(text("SELECT 1"))
    except Exception:  # the database is down: say so, without details
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok"})
