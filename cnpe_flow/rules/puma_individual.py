"""PUMA-1: individual affiliation to the PUMa of the household's children aged 16 or more.

« Autonomisation à compter de 18 ans, possibilité sur demande exclusivement à partir de 16
ans » (seed 001). Shown for children from 16 up to the C2S household limit (25): they are
still on the C2S form of the household (C2S-3) but may be, or are, affiliated in their own
name. Their residence, or a declared activity, is never in the case: à vérifier.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from cnpe_flow.rules.context import Context
from cnpe_flow.rules.dates import age_on
from cnpe_flow.rules.household import Member
from cnpe_flow.rules.right_items import build, condition, day, rows, template

TITLE = "Affiliation individuelle à la PUMa (enfants de 16 ans et plus)"
_PUMA_1 = ("PUMA-1",)


def puma_individual_item(
    ctx: Context, at: date, members: Sequence[Member], below: int
) -> dict[str, Any] | None:
    """The item, or None without a child aged 16 to ``below`` − 1 on ``at``."""
    ages, residence = rows(ctx, at, "puma_individual_age,puma_residence_minimum")
    on_request = int(ages.value["on_request_from"])
    individual = int(ages.value["individual_from"])
    children = [
        (m.birth_date, a)
        for m in members
        if m.relation == "child" and on_request <= (a := age_on(m.birth_date, at)) < below
    ]
    if not children:
        return None
    conditions = []
    for born, age in children:
        if age >= individual:
            text = (
                f"Enfant né(e) le {day(born)} ({age} ans) : affilié(e) à la PUMa à titre individuel "
                f"depuis ses {individual} ans."
            )
            conditions.append(condition(text, True, _PUMA_1))
        else:
            text = (
                f"Enfant né(e) le {day(born)} ({age} ans) : ayant droit de ses parents ; "
                f"affiliation individuelle possible sur demande dès {on_request} ans."
            )
            conditions.append(condition(text, None, _PUMA_1))
    conditions.append(
        condition(
            f"Pour chacun : résidence stable et régulière en France depuis au moins "
            f"{residence.value.french()}, ou activité professionnelle déclarée.",
            None,
            _PUMA_1,
        )
    )
    steps = (
        f"Un enfant de {on_request} ou {individual - 1} ans qui souhaite être affilié à titre "
        "individuel en fait la demande à la caisse d'assurance maladie de son lieu de résidence.",
    )
    summary = (
        f"Enfants de {on_request} ans et plus dans le foyer : affiliation à la PUMa en leur nom "
        f"propre à partir de {individual} ans, sur demande dès {on_request} ans."
    )
    parameters = (ages.trace, residence.trace)
    return build(
        template("puma_individual", TITLE, summary, tuple(conditions), steps, _PUMA_1, parameters)
    )
