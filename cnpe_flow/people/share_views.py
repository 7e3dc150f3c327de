"""The « Partager » page of a file (``/personnes/<id>/partage``): share it with a partner
account (with the date of the person's consent) and end a sharing.

SPIP and administration only. Registered on the file-editing blueprint (``people_edit``). Both
forms post to this page, so a refusal shows it again with the message next to the field.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlmodel import Session
from wtforms import SelectChoice

from cnpe_flow import db
from cnpe_flow.auth import access
from cnpe_flow.auth.models import Role, User
from cnpe_flow.errors import InvalidInput, NotFound
from cnpe_flow.people import operations
from cnpe_flow.people.edit_views import bp
from cnpe_flow.people.forms import PlainForm, ShareForm, attach_problems, read_int, share_input
from cnpe_flow.people.models import Person, Share
from cnpe_flow.web.security import acting_user


@bp.route("/personnes/<int:person_id>/partage", methods=["GET", "POST"])
def share(person_id: int) -> Any:
    """Share the file with a partner account, with the date of the person's consent."""
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    access.check_can_share(user)
    form = ShareForm()
    form.partner.choices = _partner_choices(session)
    if request.method == "GET":
        return _share_page(session, person, form, [], 200)
    if "retirer" in request.form:
        # the « Retirer le partage » buttons of this page post here (field ``retirer``)
        return _revoke(session, user, person, read_int(request.form["retirer"]))
    form.validate()
    partner_id, consent, problems = share_input(form)
    try:
        if problems:
            raise InvalidInput(problems)
        shared = operations.share_person(session, user, person, partner_id, consent, form.note.data)
    except InvalidInput as exc:
        general = attach_problems(form, exc.problems, {"partner", "consent_date", "note"})
        return _share_page(session, person, form, general, 400)
    partner = session.get(User, shared.partner_id)
    flash(f"Dossier partagé avec {partner.shown_name if partner else 'le partenaire'}.", "success")
    return redirect(url_for("people_edit.share", person_id=person.id), code=303)


@bp.route("/personnes/<int:person_id>/partage/<int:share_id>/retirer", methods=["POST"])
def revoke_share(person_id: int, share_id: int) -> Any:
    """Former address of « Retirer le partage », kept for bookmarked pages and scripts."""
    user = acting_user()
    session = db.session()
    person = access.get_person(session, user, person_id)
    return _revoke(session, user, person, share_id)


def _revoke(session: Session, user: User, person: Person, share_id: int | None) -> Any:
    """End a sharing: the partner no longer sees the file (the record is kept). Already ended
    (from another tab or by a colleague), the sharing page with the message above the list of
    sharings; a sharing of another file stays "not found"."""
    if share_id is None:
        raise NotFound("partage introuvable")
    try:
        operations.revoke_share(session, user, person, share_id)
    except NotFound:
        ended = session.get(Share, share_id)
        if ended is None or ended.person_id != person.id or ended.revoked_at is None:
            raise
        form = ShareForm(formdata=None)
        form.partner.choices = _partner_choices(session)
        message = "Ce partage a déjà été retiré : la liste ci-dessous est à jour."
        return _share_page(session, person, form, [], 409, revoke_error=message)
    flash("Partage retiré.", "success")
    # to the message at the top (else the browser keeps the form's fragment, further down)
    return redirect(url_for("people_edit.share", person_id=person.id, _anchor="contenu"), 303)


def _partner_choices(session: Session) -> list[SelectChoice]:
    partners = session.exec(
        select(User)
        .where(User.role == Role.PARTNER, User.active.is_(True))  # type: ignore[attr-defined]
        .order_by(User.username)
    ).scalars()
    return [SelectChoice("", "— choisir —")] + [
        SelectChoice(str(p.id), p.shown_name) for p in partners
    ]


def _share_page(
    session: Session,
    person: Person,
    form: ShareForm,
    general: list[str],
    status: int,
    revoke_error: str | None = None,
) -> tuple[str, int]:
    shares = list(
        session.exec(
            select(Share).where(Share.person_id == person.id).order_by(Share.shared_at, Share.id)
        ).scalars()
    )
    ids = {s.partner_id for s in shares} | {s.shared_by for s in shares}
    names = {
        u.id: u.shown_name
        for u in session.exec(select(User).where(User.id.in_(ids))).scalars()  # type: ignore[union-attr]
    }
    return render_template(
        "people_edit/share.html",
        person=person,
        form=form,
        revoke_form=PlainForm(),
        active=[s for s in shares if s.revoked_at is None],
        revoked=[s for s in shares if s.revoked_at is not None],
        names=names,
        general=general,
        revoke_error=revoke_error,
    ), status
