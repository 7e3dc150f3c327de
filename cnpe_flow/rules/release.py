"""Tasks of custody and release: aménagement notices (AFF-11), the levée (AFF-6, AFF-7, AFF-8,
REL-1, REL-3, REL-4, AME-2), and preparation before a planned release (project design)."""

from __future__ import annotations

from datetime import timedelta

from cnpe_flow.rules.affiliation import PumaMaintenance, regular_on
from cnpe_flow.rules.case import Event, Stay
from cnpe_flow.rules.context import Context


def custody_and_release_tasks(ctx: Context, maintenance: PumaMaintenance | None) -> None:
    for stay in ctx.case.stays:
        # AFF-11: a notice to the CNPE on each aménagement and each activity start during one.
        for e in stay.changes:
            if e.type in ("amenagement", "activity_start"):
                ctx.task("cnpe_amenagement_notice", e.date, ("AFF-11",), e)
        if stay.levee is not None:
            _levee_tasks(ctx, stay.levee, maintenance)
        if stay.planned_releases:
            _preparation_tasks(ctx, stay, maintenance)


def _levee_tasks(ctx: Context, levee: Event, maintenance: PumaMaintenance | None) -> None:
    """At the levée: the CPAM of residence (AFF-6, AFF-7), or AME for the others (AFF-8)."""
    case = ctx.case
    if not regular_on(case, maintenance, levee.date):
        ctx.task("ame_first_filing_in_person", levee.date, ("AFF-8", "AME-2", "REL-4"), levee)
        return
    ctx.task("contact_cpam_residence", levee.date, ("AFF-7", "AFF-6"), levee)
    ctx.task("mas_referral_offer", levee.date, ("REL-3", "REL-4"), levee)
    if case.person.carte_vitale:
        pv = ctx.param("carte_vitale_update_delay", levee.date)
        ctx.task("carte_vitale_update", pv.value.after(levee.date), ("REL-1",), levee, pv)


_PREPARATION_RULES = {
    "check_release_letters": ("AFF-6", "REL-3"),
    "collect_release_address": ("AFF-6",),
    "prepare_ame_documents": ("AME-2", "AME-4"),
}


def _preparation_tasks(ctx: Context, stay: Stay, maintenance: PumaMaintenance | None) -> None:
    """Steps before the latest planned release of a stay (a later estimate supersedes).

    Due N days before the planned date but never before the écrou, and dropped when the
    person was released before that day.
    """
    planned = stay.planned_releases[-1]
    case = ctx.case
    pv = ctx.param("release_preparation", planned.date)
    offsets: dict[str, int] = pv.value
    wanted = ["check_release_letters"]
    if case.person.residence_postcode is None:
        wanted.append("collect_release_address")
    if not regular_on(case, maintenance, planned.date):
        wanted.append("prepare_ame_documents")
    for kind in wanted:
        due = max(stay.ecrou.date, planned.date - timedelta(days=offsets[kind]))
        if stay.levee is not None and due >= stay.levee.date:
            continue
        ctx.task(kind, due, _PREPARATION_RULES[kind], stay.ecrou, pv)
