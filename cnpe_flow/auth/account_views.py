"""« Mon compte »: change one's password, see and revoke one's API tokens, end one's other
sessions. Every logged-in user, on their own account only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField

from cnpe_flow import db
from cnpe_flow.auth.operations import create_token
from cnpe_flow.auth.sessions import change_own_password, end_sessions, revoke_token, tokens_of
from cnpe_flow.clock import now_utc
from cnpe_flow.errors import InvalidInput
from cnpe_flow.people.forms import attach_problems
from cnpe_flow.web.security import acting_user, start_session

bp = Blueprint("account", __name__, url_prefix="/compte")


class PasswordForm(FlaskForm):
    current = PasswordField("Mot de passe actuel")
    password = PasswordField(
        "Nouveau mot de passe",
        description="12 caractères au moins, pas un mot de passe courant ; "
        "une phrase de quelques mots se retient facilement.",
    )
    confirm = PasswordField("Nouveau mot de passe, une seconde fois")


def _page(form: PasswordForm, general: list[str], status: int, new_token: str | None = None) -> Any:
    user = acting_user()
    return render_template(
        "auth/account.html",
        form=form,
        general=general,
        tokens=tokens_of(db.session(), user),
        now=now_utc(),
        new_token=new_token,
    ), status


@bp.route("", methods=["GET", "POST"])
def account() -> Any:
    """The page; its password form posts here, so a refusal keeps this address."""
    if request.method == "POST":
        return change_password()
    return _page(PasswordForm(formdata=None), [], 200)


@bp.route("/mot-de-passe", methods=["POST"])
def change_password() -> Any:
    """Former address of the password form (kept); passwords typed are never sent back."""
    form = PasswordForm()
    form.validate()
    user = acting_user()
    try:
        change_own_password(
            db.session(),
            user,
            form.current.data or "",
            form.password.data or "",
            form.confirm.data or "",
        )
    except InvalidInput as exc:
        general = attach_problems(form, exc.problems, set(form._fields))
        return _page(form, general, 400)
    start_session(user)  # this browser stays logged in; every other session has ended
    flash("Mot de passe changé ; vos autres sessions sont fermées.", "success")
    return redirect(url_for("account.account"), code=303)


@bp.route("/deconnecter-partout", methods=["POST"])
def end_other_sessions() -> Any:
    user = acting_user()
    end_sessions(db.session(), user, actor_id=user.id, reason="user")
    start_session(user)
    flash("Vos sessions sur les autres navigateurs et appareils sont fermées.", "success")
    return redirect(url_for("account.account"), code=303)


@bp.route("/jetons", methods=["POST"])
def new_token() -> Any:
    """A new API token, shown once on the page (never put in the session cookie)."""
    user = acting_user()
    token = create_token(db.session(), user, actor_id=user.id)
    return _page(PasswordForm(formdata=None), [], 200, new_token=token)


@bp.route("/jetons/<int:token_id>/revoquer", methods=["POST"])
def revoke(token_id: int) -> Any:
    user = acting_user()
    if revoke_token(db.session(), user, user, token_id):
        flash("Jeton révoqué : il ne donne plus accès à l'API.", "success")
    else:
        flash("Ce jeton était déjà révoqué : il ne donnait plus accès à l'API.", "info")
    return redirect(url_for("account.account"), code=303)
