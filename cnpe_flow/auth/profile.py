"""« Mon profil »: each user edits the details printed as the sender of the letters they
prepare (full name, service, phone). Audited (old and new values); CSRF like every form."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlmodel import Session
from wtforms import StringField
from wtforms.validators import Length, Optional, Regexp

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth.models import User
from cnpe_flow.web.security import acting_user

bp = Blueprint("profile", __name__)

#: a French or international phone number: digits, spaces, dots, dashes, a leading « + »
PHONE = re.compile(r"^\+?[0-9][0-9 .\-()]{5,24}$")


class ProfileForm(FlaskForm):
    full_name = StringField(
        "Nom et prénom",
        validators=[Optional(), Length(max=120, message="120 caractères au plus.")],
        description="Imprimé comme « Suivi par » sur les courriers que vous préparez.",
    )
    service = StringField(
        "Service",
        validators=[Optional(), Length(max=120, message="120 caractères au plus.")],
        description="Par exemple « SPIP de l'Oise, antenne de Liancourt ». Il n'apparaît pas "
        "dans l'en-tête des courriers envoyés à la personne s'il révèle la détention.",
    )
    phone = StringField(
        "Téléphone",
        validators=[
            Optional(),
            Regexp(PHONE, message="Numéro de téléphone : chiffres, espaces, points ou « + »."),
        ],
        description="Le numéro où la personne et les organismes peuvent vous joindre.",
    )


def update_profile(session: Session, user: User, values: dict[str, str | None]) -> dict[str, Any]:
    """Change the user's own details; returns the audited ``{"old", "new"}`` (empty: same)."""
    wanted = {k: (values.get(k) or "").strip() or None for k in ("full_name", "service", "phone")}
    changed = {k: v for k, v in wanted.items() if getattr(user, k) != v}
    if not changed:
        return {}
    details = {"user_id": user.id, "old": {k: getattr(user, k) for k in changed}, "new": changed}
    for k, v in changed.items():
        setattr(user, k, v)
    session.flush()
    record(session, AuditEvent.PROFILE_UPDATED, actor_id=user.id, details=details)
    return details


@bp.route("/profil", methods=["GET", "POST"])
def profile() -> Any:
    user = acting_user()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        changed = update_profile(db.session(), user, form.data)
        flash("Profil enregistré." if changed else "Rien n'a changé.", "success")
        return redirect(url_for(".profile"))
    status = 400 if form.errors else 200
    return render_template("auth/profile.html", form=form, account=user), status
