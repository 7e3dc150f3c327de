"""The AME item of ``rights_to_check``: AME-1 conditions (AME-10 household), the filing steps
(AME-2, AME-3, AME-4), the start of rights (AME-5) and the 9-month waiting period (AME-9)."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import Any

from cnpe_flow.rules.ame import eligibility
from cnpe_flow.rules.ame.filing import EXEMPTIONS, ame_first_filing_places, document_steps
from cnpe_flow.rules.ame.household import AMEHousehold, ame_household
from cnpe_flow.rules.c2s.ceilings import ceilings
from cnpe_flow.rules.c2s.eligibility import PLACES
from cnpe_flow.rules.context import Context
from cnpe_flow.rules.dates import age_on
from cnpe_flow.rules.parameters import ParamValue, param
from cnpe_flow.rules.right_items import (
    UNLIKELY,
    Cond,
    Situation,
    build,
    day,
    keyed_rows,
    report,
    shared,
    shared_item,
    status_of,
    template,
    territory,
)

TITLE = "Aide médicale de l'État (AME)"
_ALONE = AMEHousehold(1, 1, "Foyer AME : le demandeur seul", 0)
_PARAMS = ",".join(
    (
        "ame_household_ages",
        "ame_residence_minimum",
        "ame_first_filing_places",
        "ame_residence_proof_min_age",
        "ame_residence_proof_max_age",
        "ame_resources_period",
        "ame_photo_age",
        "ame_validity",
        "ame_retroactivity",
        "ame_waiting_period",
        "ame_health_establishment_transmission",  # only when filing at a hospital is open
    )
)
_TRANSMISSION = "ame_health_establishment_transmission"
_MINORS = (
    "Enfants mineurs du foyer : l'AME leur est ouverte sans condition de durée de présence ni de "
    "ressources (parents en situation irrégulière), même si la demande du parent est rejetée."
)


def ame_item(ctx: Context, sit: Situation, maintained_until: date | None) -> dict[str, Any]:
    """For an irregular person out of custody after a levée, without AME on ``as_of``, outside
    Mayotte (the caller checks all that)."""
    at = sit.as_of
    pvs, key = keyed_rows(ctx, at, _PARAMS, unless_used=_TRANSMISSION)
    places = pvs[2]
    if places.value is not None and "etablissement_sante_pass" in places.value["places"]:
        report(ctx, pvs[10])
    ages, minimum = pvs[0].value, pvs[1].value
    age = age_on(ctx.case.person.birth_date, at)
    minor = age < ages["minor_below"]
    photo = age >= pvs[6].value
    h = sit.household
    if h is None:  # the same few templates for every case: made once
        whole = ("ame", key, minor, photo, maintained_until)
        found = shared_item(whole)
        if found is None:
            conditions = (
                eligibility.irregular(maintained_until),
                eligibility.presence(at, None, minimum, minor),
                eligibility.resources(None, None, None, None, "", minor),
                eligibility.visa(),
            )
            fixed = _fixed(at, key, pvs, photo, None, None)
            summary = _summary(at, conditions)
            found = shared(whole, lambda: template("ame", TITLE, summary, conditions, *fixed))
        return found
    household = None
    dependency = None
    traces: list[str] = []
    if h.known:
        household = _ALONE
        if h.members:
            (dependency,), _ = keyed_rows(ctx, at, "ame_cohabitant_dependency")
            household = ame_household(
                h.members, at, ages["minor_below"], ages["studies_below"], dependency.value
            )
    place = territory(sit.departement)
    alone = largest = None
    if h.annual_resources is not None and place is not None:
        alone = ceilings(ctx, at, place, 1)
        traces += alone.parameters
        if household is not None and household.largest > 1:
            largest = ceilings(ctx, at, place, household.largest)
            traces += [t for t in largest.parameters if t not in traces]
    where = f"{PLACES[place]} au {day(at)}" if place else ""
    conditions = (
        eligibility.irregular(maintained_until),
        eligibility.presence(at, h.in_france_since, minimum, minor),
        eligibility.resources(h.annual_resources, household, alone, largest, where, minor),
        eligibility.visa(),
    )
    cohabitant = dependency if household is not None and household.cohabitants else None
    steps, rules, parameters = _fixed(at, key, pvs, photo, household, cohabitant)
    if traces:
        parameters = (parameters[0], parameters[1], *traces, *parameters[2:])
    return build(
        template("ame", TITLE, _summary(at, conditions), conditions, steps, rules, parameters)
    )


def _summary(at: date, conditions: tuple[Cond, ...]) -> str:
    if status_of(conditions) == UNLIKELY:
        return (
            f"AME peu probable au {day(at)} : une condition n'est pas remplie (voir ci-dessous) ; "
            "les soins urgents à l'hôpital restent possibles."
        )
    return (
        "AME à demander dès la sortie, en personne ; les conditions marquées « à vérifier » "
        "restent à confirmer."
    )


_FIXED: dict[Hashable, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}


def _fixed(
    at: date,
    key: tuple[str, ...],
    pvs: tuple[ParamValue, ...],
    photo: bool,
    household: AMEHousehold | None,
    cohabitant: ParamValue | None,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Steps, rules and parameter traces: they depend on the parameter rows (``key``) and on
    three facts of the household only, so they are made once for each."""
    others = household is not None and household.largest > 1
    minors = household is not None and household.minors > 0
    known = household is not None
    whole = (key, photo, others, minors, known, cohabitant.trace if cohabitant else None)
    found = _FIXED.get(whole)
    if found is None:
        if len(_FIXED) > 4096:
            _FIXED.clear()
        found = _FIXED[whole] = _make_fixed(at, pvs, photo, others, minors, known, cohabitant)
    return found


def _make_fixed(
    at: date,
    pvs: tuple[ParamValue, ...],
    photo: bool,
    others: bool,
    minors: bool,
    known: bool,
    cohabitant: ParamValue | None,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    ages, minimum, _, proof_min, proof_max, period, photo_age, validity, retro, waiting = pvs[:10]
    places = ame_first_filing_places(at, _lookup(pvs))
    steps = [places.text, EXEMPTIONS]
    steps += document_steps(
        proof_min.value,
        proof_max.value,
        period.value,
        photo,
        others,
        cohabitant.value if cohabitant is not None else None,
    )
    if minors:
        steps.append(_MINORS)
    steps.append(
        f"Les droits commencent le jour du dépôt, même si le dossier est incomplet, pour "
        f"{validity.value.french()} ; après une hospitalisation ou des soins, une demande déposée "
        f"dans les {retro.value.french()} fait commencer les droits au jour des soins."
    )
    rules = ["AME-1", "AME-2", "AME-3", "AME-4", "AME-5"]
    if waiting.value is not None:
        steps.append(
            f"Délai de carence : pour une première AME (code 04), certains soins non urgents ne "
            f"sont pris en charge qu'au bout de {waiting.value.french()} après l'admission."
        )
        rules.append("AME-9")
    if known:
        rules.append("AME-10")
    parameters = (
        ages.trace,
        minimum.trace,
        *places.parameters,
        proof_min.trace,
        proof_max.trace,
        period.trace,
        photo_age.trace,
        validity.trace,
        retro.trace,
        waiting.trace,
        *((cohabitant.trace,) if cohabitant is not None else ()),
    )
    return tuple(steps), tuple(rules), parameters


def _lookup(pvs: tuple[ParamValue, ...]) -> Any:
    """``ame_first_filing_places`` reads its values from the rows already looked up."""
    found = {pv.name: pv for pv in pvs}
    return lambda name, at: found.get(name) or param(name, at)
