"""Tasks of custody and release: aménagement notices (AFF-11), the levée (AFF-6, AFF-7, AFF-8,
REL-1, REL-3, REL-4, AME-2), and preparation before a planned release (project design)."""

from __future__ import annotations

from datetime import timedelta

from cnpe_flow.rules.affiliation import PumaMaintenance, regular_on, released_in_mayotte
from cnpe_flow.rules.case import Event, Stay
from cnpe_flow.rules.context import Context


def custody_and_release_tasks(ctx: Context, maintenance: PumaMaintenance | None) -> None:
    for stay in ctx.case.stays:
        # AFF-11: a notice to the CNPE on each aménagement and each activity start during one.
        # A contract signed before the aménagement goes with the aménagement's own notice.
        for e in stay.changes:
            if e.type == "amenagement" or (e.type == "activity_start" and e.effective is None):
                ctx.task("cnpe_amenagement_notice", e.date, ("AFF-11",), e)
        if stay.levee is not None:
            _levee_tasks(ctx, stay, stay.levee, maintenance)
        if stay.planned_releases:
            _preparation_tasks(ctx, stay, maintenance)


def warn_no_ame_in_mayotte(ctx: Context) -> None:
    ctx.warn(
        "ame_not_in_mayotte",
        "Sortie à Mayotte : l'AME n'y existe pas (AME-1), aucune demande d'AME n'est à "
        "déposer. Sans droits à l'assurance maladie, les soins passent par l'hôpital (soins "
        "urgents) : voir avec la Caisse de sécurité sociale de Mayotte (CSSM) ce qui "
        "s'applique à la personne.",
    )


def _levee_tasks(
    ctx: Context, stay: Stay, levee: Event, maintenance: PumaMaintenance | None
) -> None:
    """At the levée: the CPAM of residence (AFF-6, AFF-7), or AME for the others (AFF-8)."""
    case = ctx.case
    if not regular_on(case, maintenance, levee.date):
        if released_in_mayotte(case, stay):
            warn_no_ame_in_mayotte(ctx)
        else:
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
# For a person without base rights at the planned release, the letters and the address serve
# the AME filing (or, in Mayotte, say that there is none): no CPAM transfer, no MAS.
_PREPARATION_RULES_WITHOUT_RIGHTS = {
    "check_release_letters": ("AFF-8", "AME-2"),
    "collect_release_address": ("AME-2",),
}
_PREPARATION_RULES_MAYOTTE = {
    "check_release_letters": ("AFF-8", "AME-1"),
    "collect_release_address": ("AFF-8", "AME-1"),
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
    rules = _PREPARATION_RULES
    if not regular_on(case, maintenance, planned.date):
        if released_in_mayotte(case, stay):
            rules = {**rules, **_PREPARATION_RULES_MAYOTTE}
        else:
            rules = {**rules, **_PREPARATION_RULES_WITHOUT_RIGHTS}
            wanted.append("prepare_ame_documents")
    for kind in wanted:
        due = max(stay.ecrou.date, planned.date - timedelta(days=offsets[kind]))
        if stay.levee is not None and due >= stay.levee.date:
            continue
        ctx.task(kind, due, rules[kind], stay.ecrou, pv)
