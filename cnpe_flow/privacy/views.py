"""Administration → « Données personnelles (RGPD) »: export a person's data, see the next
files the retention purge will delete. Administrators only (403)."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask_wtf import FlaskForm
from wtforms import StringField

from cnpe_flow import db
from cnpe_flow.auth import access
from cnpe_flow.clock import today_paris
from cnpe_flow.errors import NotFound
from cnpe_flow.people.forms import read_int
from cnpe_flow.privacy.export import audited_export
from cnpe_flow.privacy.purge import due_for_purge, next_candidates, retention_months
from cnpe_flow.web.security import acting_user

bp = Blueprint("privacy", __name__, url_prefix="/admin/rgpd")


class ExportForm(FlaskForm):
    """GET: nothing changes but the audit log, which every download writes to."""

    class Meta:
        csrf = False

    dossier = StringField("Dossier n°", description="Le numéro du dossier (dans son adresse).")


@bp.before_request
def _admins_only() -> None:
    access.check_admin(acting_user())


@bp.route("")
def index() -> Any:
    form = ExportForm(request.args)
    session = db.session()
    months = retention_months(current_app.config)
    today = today_paris()
    status = 200
    if form.dossier.data:
        person_id = read_int(form.dossier.data)
        if person_id is None:
            form.dossier.errors = ["Saisissez un numéro de dossier (chiffres seulement)."]
            status = 400
        else:
            try:
                return _download(person_id)
            except NotFound:
                form.dossier.errors = [f"Aucun dossier n° {person_id}."]
                status = 404
    return render_template(
        "admin/privacy.html",
        form=form,
        months=months,
        due=due_for_purge(session, today, months),
        candidates=next_candidates(session, today, months),
    ), status


def _download(person_id: int) -> Response:
    document = audited_export(db.session(), person_id, actor_id=acting_user().id)
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="cnpe-flow-dossier-{person_id}.json"'
        },
    )
