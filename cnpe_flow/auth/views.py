"""Login and logout pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth.operations import TooManyAttempts, authenticate

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(
        "Identifiant", validators=[DataRequired("Saisissez votre identifiant."), Length(max=80)]
    )
    password = PasswordField(
        "Mot de passe", validators=[DataRequired("Saisissez votre mot de passe."), Length(max=200)]
    )


def _safe_next(target: str | None) -> str:
    """Only local paths, so the login page cannot send people elsewhere."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(
                db.session(),
                form.username.data or "",
                form.password.data or "",
                request.remote_addr or "?",
                max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                window=current_app.config["LOGIN_WINDOW"],
            )
        except TooManyAttempts:
            flash("Trop de tentatives échouées : réessayez dans quelques minutes.", "error")
            return render_template("auth/login.html", form=form), 429
        if user is None:
            # 200 so the failed attempt is committed (it counts for the rate limit).
            flash("Identifiant ou mot de passe incorrect.", "error")
        else:
            session.clear()
            login_user(user)
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():  # type: ignore[no-untyped-def]
    record(db.session(), AuditEvent.LOGOUT, actor_id=current_user.id)
    logout_user()
    session.clear()
    flash("Vous êtes déconnecté·e.", "info")
    return redirect(url_for("auth.login"))
