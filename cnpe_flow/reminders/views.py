"""Pages: in-app notifications, the calendar link settings, and the ICS feed itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from werkzeug.routing import BuildError

from cnpe_flow import db
from cnpe_flow.auth.access import can_see_medical, visible_people
from cnpe_flow.auth.models import User
from cnpe_flow.people.models import Person, Task, TaskStatus
from cnpe_flow.reminders import operations
from cnpe_flow.reminders.calendar import build_feed
from cnpe_flow.reminders.messages import (
    CASE_ENDPOINT,
    REASON_LABELS,
    safe_title,
    task_label,
)
from cnpe_flow.reminders.models import Notification
from cnpe_flow.web.security import acting_user

bp = Blueprint("reminders", __name__)


@dataclass(slots=True)
class NotificationRow:
    id: int
    reason: str
    created_at: datetime
    read: bool
    title: str
    due: date
    task_open: bool
    person_name: str | None
    case_url: str | None


def _case_url(person_id: int, *, external: bool = False) -> str | None:
    try:
        return url_for(CASE_ENDPOINT, person_id=person_id, _external=external)
    except BuildError:
        return None


@bp.route("/notifications")
def notifications():  # type: ignore[no-untyped-def]
    user = acting_user()
    session = db.session()
    size = 50
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows = session.execute(
        select(Notification, Task, Person)
        .join(Task, Task.id == Notification.task_id)
        .join(Person, Person.id == Task.person_id)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(size + 1)
        .offset((page - 1) * size)
    ).all()
    has_next = len(rows) > size
    rows = rows[:size]
    # Access may have changed since (share revoked, transfer): show only what is still visible.
    visible = set(
        session.execute(
            select(Person.id).where(Person.id.in_({p.id for _, _, p in rows}), visible_people(user))
        ).scalars()
    )
    medical = can_see_medical(user)
    items = [
        NotificationRow(
            id=n.id,  # type: ignore[arg-type]
            reason=REASON_LABELS.get(n.reason, n.reason),
            created_at=n.created_at,
            read=n.read_at is not None,
            title=task_label(t) if medical else safe_title(t),
            due=t.due,
            task_open=t.status == TaskStatus.OPEN and not t.obsolete,
            person_name=p.display_name if p.id in visible else None,
            case_url=_case_url(p.id) if p.id in visible else None,  # type: ignore[arg-type]
        )
        for n, t, p in rows
    ]
    unread = session.execute(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).scalar_one()
    return render_template(
        "reminders/notifications.html",
        items=items,
        unread=unread,
        page=page,
        has_next=has_next,
    )


@bp.route("/notifications/<int:notification_id>/lu", methods=["POST"])
def mark_read(notification_id: int):  # type: ignore[no-untyped-def]
    """Back to the page of the list the button was on (``?page=``)."""
    if not operations.mark_read(db.session(), acting_user(), notification_id):
        flash("Cette notification était déjà lue.", "info")
    page = request.args.get("page", 1, type=int) or 1
    return redirect(url_for("reminders.notifications", page=page if page > 1 else None), 303)


@bp.route("/notifications/lu", methods=["POST"])
def mark_all_read():  # type: ignore[no-untyped-def]
    count = operations.mark_all_read(db.session(), acting_user())
    flash(
        f"{count} notification{'s' if count > 1 else ''} marquée{'s' if count > 1 else ''} "
        "comme lue" + ("s." if count > 1 else "."),
        "success",
    )
    return redirect(url_for("reminders.notifications"))


@bp.route("/agenda", methods=["GET", "POST"])
def calendar_settings():  # type: ignore[no-untyped-def]
    user = acting_user()
    if request.method == "POST":
        had_one = user.calendar_token is not None
        operations.create_calendar_token(db.session(), user)
        flash(
            "Nouveau lien créé : l'ancien ne fonctionne plus, remplacez-le dans votre agenda."
            if had_one
            else "Lien d'agenda créé.",
            "success",
        )
        return redirect(url_for("reminders.calendar_settings"))
    feed_url = (
        url_for("reminders.calendar_feed", token=user.calendar_token, _external=True)
        if user.calendar_token
        else None
    )
    return render_template("reminders/calendar.html", feed_url=feed_url)


@bp.route("/agenda/<token>.ics")
def calendar_feed(token: str):  # type: ignore[no-untyped-def]
    """Public (the token is the secret): an unknown token is a plain 404."""
    if len(token) > 64:
        abort(404)
    session = db.session()
    user = session.execute(
        select(User).where(User.calendar_token == token, User.active.is_(True))
    ).scalar_one_or_none()
    if user is None:
        abort(404)
    body = build_feed(
        session,
        user,
        case_url=lambda person_id: _case_url(person_id, external=True),
        host=request.host.split(":")[0] or "cnpe-flow",
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'inline; filename="cnpe-flow.ics"'},
    )
