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
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from cnpe_flow import db
from cnpe_flow.audit.models import AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth.operations import TooManyAttempts, authenticate
from cnpe_flow.auth.sessions import end_sessions
from cnpe_flow.auth.throttle import LoginLimits
from cnpe_flow.clock import paris_time
from cnpe_flow.web.security import start_session

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


def _throttled_message(exc: TooManyAttempts) -> str:
    if exc.until is None:
        return "Trop de tentatives échouées depuis votre poste : réessayez dans quelques minutes."
    return (
        "Trop de tentatives échouées pour cet identifiant : réessayez après "
        f"{paris_time(exc.until):%H:%M:%S}."
    )


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
                limits=LoginLimits.from_config(current_app.config),
            )
        except TooManyAttempts as exc:
            # committed although refused: the throttled attempt stays in the audit log
            db.session().commit()
            flash(_throttled_message(exc), "error")
            return render_template("auth/login.html", form=form), 429
        if user is None:
            # 200 so the failed attempt is committed (it counts for the rate limit).
            flash("Identifiant ou mot de passe incorrect.", "error")
        else:
            start_session(user)
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():  # type: ignore[no-untyped-def]
    user = current_user._get_current_object()
    record(db.session(), AuditEvent.LOGOUT, actor_id=user.id)
    # every session of this account ends, including copies of this cookie
    end_sessions(db.session(), user, actor_id=user.id, reason="logout", audit=False)
    logout_user()
    session.clear()
    flash("Vous êtes déconnecté·e.", "info")
    return redirect(url_for("auth.login"))
