"""Administration pages: accounts, audit log, reference tables. Administrators only (403)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from wtforms import SelectChoice

from cnpe_flow import db
from cnpe_flow.admin.audit_words import describe
from cnpe_flow.admin.forms import AuditFilterForm, CreateUserForm, EditUserForm, PostcodeForm
from cnpe_flow.audit.models import AUDIT_LABELS, AuditEntry, AuditEvent
from cnpe_flow.audit.operations import record
from cnpe_flow.auth import access
from cnpe_flow.auth.admin_operations import update_user
from cnpe_flow.auth.models import User
from cnpe_flow.auth.operations import create_user
from cnpe_flow.auth.sessions import end_sessions, revoke_token, tokens_of
from cnpe_flow.clock import now_utc
from cnpe_flow.errors import InvalidInput, NotFound
from cnpe_flow.people.forms import (
    attach_problems,
    establishment_name,
    establishment_names,
    read_int,
)
from cnpe_flow.reference import cnpe_pole, cpam_for_postcode, load_establishments
from cnpe_flow.web.security import acting_user, start_session

bp = Blueprint("admin", __name__, url_prefix="/admin")

POLE_LABELS = {
    "NORD": "Nord (CPAM de l'Oise)",
    "SUD": "Sud (CPAM du Lot)",
    "UNKNOWN": "inconnu",
    "OUTSIDE_CNPE": "hors CNPE",
}


@bp.before_request
def _admins_only() -> None:
    access.check_admin(acting_user())


# --- accounts -----------------------------------------------------------------------------


@bp.route("/utilisateurs", methods=["GET", "POST"])
def users() -> Any:
    """Every account, and a form to create one."""
    session = db.session()
    form = CreateUserForm()
    general: list[str] = []
    status = 200
    if request.method == "POST":
        form.validate()
        try:
            user = create_user(
                session,
                form.name.data or "",
                form.role.data or "",
                form.password.data or "",
                email=(form.email.data or "").strip() or None,
                establishment=(form.establishment.data or "").strip() or None,
                actor_id=acting_user().id,
                organisation=form.organisation.data,
            )
        except InvalidInput as exc:
            general = attach_problems(form, exc.problems, set(form._fields))
            status = 400
        else:
            flash(f"Compte « {user.username} » créé.", "success")
            return redirect(url_for("admin.users"), code=303)
    accounts = list(session.exec(select(User).order_by(User.username)).scalars())
    return render_template(
        "admin/users.html",
        form=form,
        accounts=accounts,
        general=general,
        establishment_name=establishment_name,
        establishments=establishment_names(),
    ), status


@bp.route("/utilisateurs/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int) -> Any:
    """Change an account's role, establishment, e-mail, activation, or reset its password."""
    session = db.session()
    account = _account(user_id)
    general: list[str] = []
    if request.method == "GET":
        form = EditUserForm(
            data={
                "role": account.role,
                "email": account.email or "",
                "organisation": account.organisation or "",
                "establishment": establishment_name(account.establishment_code),
                "active": account.active,
            }
        )
        return _user_page(account, form, general, 200)
    form = EditUserForm()
    form.validate()
    try:
        changed = update_user(
            session,
            acting_user(),
            account,
            role=form.role.data or "",
            establishment=form.establishment.data,
            email=form.email.data,
            active=bool(form.active.data),
            password=form.password.data or None,
            organisation=form.organisation.data,
        )
    except InvalidInput as exc:
        general = attach_problems(form, exc.problems, set(form._fields))
        return _user_page(account, form, general, 400)
    flash(
        f"Compte « {account.username} » mis à jour." if changed else "Aucune modification.",
        "success" if changed else "info",
    )
    return redirect(url_for("admin.user_edit", user_id=account.id), code=303)


def _user_page(account: User, form: EditUserForm, general: list[str], status: int) -> Any:
    return render_template(
        "admin/user_edit.html",
        account=account,
        form=form,
        general=general,
        establishments=establishment_names(),
        tokens=tokens_of(db.session(), account),
        now=now_utc(),
    ), status


def _account(user_id: int) -> User:
    account = db.session().get(User, user_id) if 1 <= user_id <= access.MAX_ID else None
    if account is None:
        raise NotFound("compte introuvable")
    return account


@bp.route("/utilisateurs/<int:user_id>/deconnecter", methods=["POST"])
def user_end_sessions(user_id: int) -> Any:
    """« Déconnecter partout »: every session of the account ends at once (not its API tokens)."""
    account = _account(user_id)
    actor = acting_user()
    end_sessions(db.session(), account, actor_id=actor.id, reason="admin")
    if account.id == actor.id:
        start_session(actor)  # the administrator's own browser stays logged in
    flash(f"Toutes les sessions de « {account.username} » sont fermées.", "success")
    return redirect(url_for("admin.user_edit", user_id=account.id), code=303)


@bp.route("/utilisateurs/<int:user_id>/jetons/<int:token_id>/revoquer", methods=["POST"])
def user_revoke_token(user_id: int, token_id: int) -> Any:
    account = _account(user_id)
    if revoke_token(db.session(), acting_user(), account, token_id):
        flash(f"Jeton n° {token_id} de « {account.username} » révoqué.", "success")
    else:
        flash(f"Le jeton n° {token_id} de « {account.username} » était déjà révoqué.", "info")
    return redirect(url_for("admin.user_edit", user_id=account.id), code=303)


# --- audit log ----------------------------------------------------------------------------


@bp.route("/audit")
def audit() -> Any:
    """The audit log, newest first, filtered by file, user or event type."""
    session = db.session()
    form = AuditFilterForm(request.args)
    accounts = list(session.exec(select(User).order_by(User.username)).scalars())
    form.actor.choices = [SelectChoice("", "Tous")] + [
        SelectChoice(str(u.id), u.username) for u in accounts
    ]
    conditions = []
    filters: dict[str, int] = {}
    if (form.person.data or "").strip():
        person_id = read_int(form.person.data)
        if person_id is None:
            form.person.errors = ["Saisissez un numéro de dossier (chiffres seulement)."]
        else:
            conditions.append(AuditEntry.person_id == person_id)
            filters["person_id"] = person_id
    actor_id = read_int(form.actor.data)
    if actor_id is not None:
        conditions.append(AuditEntry.actor_id == actor_id)
        filters["actor_id"] = actor_id
    event_type = read_int(form.type.data)
    if event_type is not None:
        conditions.append(AuditEntry.event_type == event_type)
        filters["event_type"] = event_type
    page = max(request.args.get("page", 1, type=int), 1)
    size = current_app.config["PAGE_SIZE"]
    total = session.exec(
        select(func.count()).select_from(AuditEntry).where(*conditions)
    ).scalar_one()
    entries = list(
        session.exec(
            select(AuditEntry)
            .where(*conditions)
            .order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())  # type: ignore[attr-defined]
            .offset((page - 1) * size)
            .limit(size)
        ).scalars()
    )
    record(
        session,
        AuditEvent.AUDIT_VIEWED,
        actor_id=acting_user().id,
        details={"filters": filters, "page": page},
    )
    names = {u.id: u.username for u in accounts}
    pages = max((total + size - 1) // size, 1)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/audit.html",
        form=form,
        rows=[_audit_row(e, names) for e in entries],
        total=total,
        page=page,
        pages=pages,
        args=args,
    )


def _audit_row(entry: AuditEntry, names: dict[int | None, str]) -> dict[str, Any]:
    try:
        label = AUDIT_LABELS[AuditEvent(entry.event_type)]
    except ValueError:
        label = f"Événement n° {entry.event_type}"
    return {
        "entry": entry,
        "label": label,
        "actor": names.get(entry.actor_id, "—") if entry.actor_id else "système",
        # one French sentence, never raw JSON (masked values stay masked)
        "details": describe(entry.event_type, entry.details),
    }


# --- reference tables ---------------------------------------------------------------------


@bp.route("/etablissements")
def reference() -> Any:
    """The establishments table with their CNPE pole, and the CPAM of a postcode."""
    form = PostcodeForm(request.args)
    match = cpam_for_postcode(form.code_postal.data.strip()) if form.code_postal.data else None
    return render_template(
        "admin/reference.html",
        form=form,
        match=match,
        establishments=load_establishments(),
        pole_labels=POLE_LABELS,
        poles={code: cnpe_pole(code) for code in ("NORD", "SUD")},
    )
