"""The home page: releases coming within 30 days, overdue tasks and tasks due this week."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from cnpe_flow import db
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.clock import today_paris
from cnpe_flow.dashboard import queries
from cnpe_flow.errors import Forbidden, InvalidInput
from cnpe_flow.people import task_operations
from cnpe_flow.people.page_case import establishment_names, shown_task_label
from cnpe_flow.people.page_labels import OWNER_LABELS
from cnpe_flow.people.page_search import establishment_choices, establishment_filter, page_number
from cnpe_flow.web.security import acting_user

bp = Blueprint("dashboard", __name__)

#: the lists, by their name in the query string ("voir plus" shows one list, paginated)
LISTS = ("sorties", "recentes", "retard", "semaine")


@bp.route("/", methods=["GET", "POST"])
def index():  # type: ignore[no-untyped-def]
    """Sorties à venir, with filters by establishment and by task owner.

    POST is the bulk « Fait » of the task lists (field ``tache``, repeated): done, back here
    with the same filters; refused, this page again with the message by the button and the
    ticked boxes kept."""
    if request.method == "POST":
        return _bulk_done()
    return _dashboard()


def _bulk_done() -> Any:
    user = acting_user()
    ticked = request.form.getlist("tache")
    try:
        done = task_operations.mark_tasks_done(db.session(), user, ticked)
    except InvalidInput as exc:
        bulk = {
            "ticked": set(ticked),
            "message": " ; ".join(p.message for p in exc.problems),
            # the list whose button was pressed: the message goes next to it
            "source": request.form.get("depuis", "retard"),
        }
        html, _ = _dashboard(bulk)
        return html, 400
    count = len(done)
    flash(
        f"{count} tâche{'s' if count > 1 else ''} marquée{'s' if count > 1 else ''} « Fait ».",
        "success",
    )
    return redirect(url_for("dashboard.index", **request.args), 303)


def _may_close(user: User, row: queries.DueTask) -> bool:
    """Whether this row gets a box for the bulk « Fait » (the gate that closing applies)."""
    try:
        access.check_can_close_task(user, row)  # type: ignore[arg-type]
    except Forbidden:
        return False
    return True


def _dashboard(bulk: dict[str, Any] | None = None) -> tuple[str, int]:
    user = acting_user()
    session = db.session()
    choices = establishment_choices(session, user)
    errors: dict[str, str] = {}
    owner = request.args.get("responsable", "")
    if owner and owner not in queries.OWNERS:
        errors["responsable"] = "responsable inconnu : choisissez-le dans la liste"
        owner = ""
    filters = queries.Filters(
        establishment=establishment_filter(request.args.get("etablissement", ""), choices, errors),
        owner=owner,
    )
    only = request.args.get("liste")
    if only not in LISTS:
        only = None
    page = page_number(request.args.get("page")) if only else 1
    today = today_paris()
    limit = current_app.config["PAGE_SIZE"]
    lists: dict[str, queries.Page] = {}
    if only in (None, "sorties"):
        lists["sorties"] = queries.upcoming_releases(session, user, filters, today, page, limit)
    if only in (None, "recentes"):
        lists["recentes"] = queries.recent_releases(session, user, filters, today, page, limit)
    if only not in ("sorties", "recentes"):
        scope = queries.task_scope(session, user, filters)
        if only is None:
            lists["retard"], lists["semaine"] = queries.first_task_pages(
                session, scope, today, limit
            )
        elif only == "retard":
            lists["retard"] = queries.overdue_tasks(session, scope, today, page, limit)
        else:
            lists["semaine"] = queries.tasks_this_week(session, scope, today, page, limit)
    html = render_template(
        "dashboard/index.html",
        lists=lists,
        only=only,
        filters=filters,
        # kept in the "voir plus" and pagination links
        filter_args={
            k: v
            for k, v in (("etablissement", filters.establishment), ("responsable", filters.owner))
            if v
        },
        errors=errors,
        horizon=today + queries.RELEASE_HORIZON,
        today=today,
        week_end=today + queries.WEEK,
        establishments=establishment_names(),
        establishment_choices=choices,
        chooses_establishment=access.chooses_establishment(user),
        owners=OWNER_LABELS,
        task_label=partial(shown_task_label, user=user),
        may_close=partial(_may_close, user),
        bulk=bulk or {"ticked": set(), "message": None, "source": None},
    )
    return html, 400 if errors else 200
