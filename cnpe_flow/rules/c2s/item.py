"""The C2S item of ``rights_to_check``: eligibility (C2S-1, C2S-4), the monthly participation
(C2S-2), the filing steps (C2S-3, C2S-5, C2S-6) and a current right's renewal (C2S-7).

The C2S household (C2S-3, form S3711): the person, the spouse, and the children or dependants
under 25 (``c2s_young_adult_age``); an older member forms their own household.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cnpe_flow.rules.c2s import eligibility, filing
from cnpe_flow.rules.c2s.ceilings import ceilings
from cnpe_flow.rules.c2s.participation import Block, participation, total_for
from cnpe_flow.rules.context import Context
from cnpe_flow.rules.dates import age_on
from cnpe_flow.rules.household import Household
from cnpe_flow.rules.parameters import ParamValue
from cnpe_flow.rules.right_items import (
    ALSACE_MOSELLE,
    LIKELY,
    UNLIKELY,
    Cond,
    Situation,
    Template,
    build,
    condition,
    day,
    euros,
    keyed_rows,
    rows,
    shared,
    shared_item,
    status_of,
    template,
    territory,
    words,
)

TITLE = "Complémentaire santé solidaire (C2S)"
_PARAMS = "c2s_young_adult_age,c2s_resources_period,c2s_answer_delay"
_C2S_2 = ("C2S-2",)


def c2s_item(ctx: Context, sit: Situation, maintained_until: date | None) -> dict[str, Any]:
    """For a person with base rights on ``as_of`` (regular, or maintained after a permit)."""
    at = sit.as_of
    (young, period, delay), traces_key = keyed_rows(ctx, at, _PARAMS)
    limit = int(young.value)
    age = age_on(ctx.case.person.birth_date, at)
    young_age = age if age < limit else None
    cnpe = sit.cnpe
    in_custody = sit.stay is not None
    h = sit.household
    if h is None:  # the same few items for every case: built once, shared (read-only)
        key = ("c2s", traces_key, cnpe, in_custody, young_age, maintained_until)
        found = shared_item(key)
        if found is None:
            base = eligibility.base_rights(in_custody, maintained_until)
            found = shared(
                key, lambda: _template(young, period, delay, young_age, cnpe, None, [base])
            )
        return found
    base = eligibility.base_rights(in_custody, maintained_until)
    # C2S-7: a right in force renews by itself for an RSA household (otherwise the engine's
    # ``c2s_renewal`` task already says when to ask).
    renewal = None
    if h.rsa and ctx.case.c2s_grants:
        current_end = _current_right_end(ctx, at)
        if current_end is not None:
            renewal = filing.renewal(current_end)
    return build(_with_household(ctx, sit, h, young, period, delay, young_age, base, renewal))


def _with_household(
    ctx: Context,
    sit: Situation,
    h: Household,
    young: ParamValue,
    period: ParamValue,
    delay: ParamValue,
    young_age: int | None,
    base: Cond,
    renewal: str | None,
) -> Template:
    at = sit.as_of
    limit = int(young.value)
    births = [ctx.case.person.birth_date]
    spouse = children = False
    apart = 0
    size: int | None = None
    if h.known:
        for m in h.members:
            if m.relation == "spouse":
                spouse = True
                births.append(m.birth_date)
            elif age_on(m.birth_date, at) < limit:
                children = children or m.relation == "child"
                births.append(m.birth_date)
            else:
                apart += 1
        size = len(births)
    place = territory(sit.departement)
    found = None
    traces: list[str] = []
    if h.annual_resources is not None and not h.rsa and place is not None:
        found = ceilings(ctx, at, place, size or 1)
        traces += found.parameters
    where = f"{eligibility.PLACES[place]} au {day(at)}" if place else ""
    resources, band = eligibility.resources(
        h.annual_resources, h.rsa, size, found, words(period.value), where
    )
    extra: list[Cond] = [base, resources]
    block: Block | None = None
    if band == eligibility.WITH_PARTICIPATION:
        (table,) = rows(ctx, at, "c2s_participation")
        traces.append(table.trace)
        block, total = participation(table, at, births)
        if sit.departement in ALSACE_MOSELLE:
            ages = [a for _, a, _ in block[1]]
            local = total_for(table, "alsace_moselle", ages)
            extra.append(
                condition(
                    "Résidence en Alsace-Moselle : si le foyer relève du régime local, la "
                    f"participation est de {euros(local)} par mois au lieu de {euros(total)}.",
                    None,
                    _C2S_2,
                )
            )
    # C2S-4 only for a person under 25 without a spouse or child of their own in the household.
    young_alone = young_age if not spouse and not children else None
    return _template(
        young,
        period,
        delay,
        young_alone,
        sit.cnpe,
        h,
        extra,
        block,
        spouse,
        apart,
        traces,
        renewal,
    )


def _template(
    young: ParamValue,
    period: ParamValue,
    delay: ParamValue,
    young_age: int | None,
    cnpe: bool,
    h: Household | None,
    extra: list[Cond],
    block: Block | None = None,
    spouse: bool = False,
    apart: int = 0,
    traces: list[str] | None = None,
    renewal: str | None = None,
) -> Template:
    limit = int(young.value)
    rsa = h.rsa if h is not None else None
    if h is None:  # nothing known of the household
        resources, _ = eligibility.resources(None, None, None, None, period.value.french(), "")
        extra = [*extra, resources]
    conditions = extra
    if young_age is not None:
        conditions.append(eligibility.applies_alone(young_age, limit))
    steps = list(filing.steps(cnpe, spouse, rsa, young_age is not None, delay.value, period.value))
    if apart:
        who = (
            f"les {apart} membres de {limit} ans ou plus (hors conjoint) : ils forment leur"
            if apart > 1
            else f"le membre de {limit} ans ou plus (hors conjoint) : il forme son"
        )
        steps.insert(1, f"Ne pas compter dans le foyer C2S {who} propre foyer.")
    rules = ["C2S-1"]
    if block is not None:
        rules.append("C2S-2")
    rules.append("C2S-3")
    if young_age is not None:
        rules.append("C2S-4")
    rules += ["C2S-5", "C2S-6"]
    parameters = [young.trace, period.trace, *(traces or ()), delay.trace]
    if renewal is not None:
        steps.append(renewal)
        rules.append("C2S-7")
    status = status_of(conditions)
    summary = _summary(status, h is None, bool(rsa), block)
    return template(
        "c2s",
        TITLE,
        summary,
        tuple(conditions),
        tuple(steps),
        tuple(rules),
        tuple(parameters),
        block,
    )


def _summary(status: str, unknown: bool, rsa: bool, block: Block | None) -> str:
    if status == UNLIKELY:
        return "Ressources au-dessus du plafond de la C2S avec participation : C2S peu probable."
    if status == LIKELY:
        if block is not None:
            total = block[2].replace(".", ",")
            return f"C2S probable, avec une participation de {total} € par mois pour le foyer."
        if rsa:
            return "C2S probable : foyer au RSA, sans déclaration de ressources."
        return "C2S gratuite probable."
    if unknown:
        return "C2S possible : renseignez le foyer et ses ressources pour la vérifier."
    if block is not None:
        return "C2S avec participation possible : les points « à vérifier » restent à confirmer."
    return "C2S possible : les points « à vérifier » restent à confirmer."


def _current_right_end(ctx: Context, at: date) -> date | None:
    """The exclusive end of a C2S right in force on ``at`` (as the engine's ``c2s`` periods)."""
    end = None
    for g in ctx.case.c2s_grants:
        if g.date > at:
            break
        until = g.end or ctx.param("c2s_validity", g.date).value.after(g.date)
        if at < until:
            end = until
    return end
