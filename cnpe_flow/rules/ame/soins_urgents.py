"""AME-11: the soins urgents (DSUV) for the uncovered period after release.

For people without rights: irregular for less than 3 months, or for more than 3 months
without AME (not filed, pending or refused); never with a valid Schengen visa. The care is
hospital care characterised as « urgents et vitaux » by the doctors, and the hospital makes
the request (seeds 001 and 003). The AME-1 presence threshold splits the two cases, so every
day without AME is covered by one of them.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from cnpe_flow.rules.context import Context
from cnpe_flow.rules.parameters import ParamValue
from cnpe_flow.rules.right_items import (
    TO_CHECK,
    ReadOnlyDict,
    ReadOnlyList,
    build,
    condition,
    day,
    keyed_rows,
    template,
    words,
)

TITLE = "Soins urgents (dispositif soins urgents et vitaux)"
_AME_11 = ("AME-11",)
_CARE = condition(
    "Soins liés à une hospitalisation, reconnus « urgents et vitaux » par le corps médical.",
    None,
    _AME_11,
)
_VISA = condition(
    "Pas de visa Schengen (touristique) en cours de validité : avec un tel visa, l'assurance "
    "voyage obligatoire prend en charge les soins.",
    None,
    _AME_11,
)
_HOSPITAL = (
    "C'est l'établissement de santé qui fait la demande de prise en charge à l'Assurance "
    "Maladie, sans avance de frais pour la personne."
)


def soins_urgents_item(
    ctx: Context,
    at: date,
    uncovered_since: date,
    in_france_since: date | None,
    pending: date | None,
) -> dict[str, Any]:
    """For an irregular person out of custody, without AME on ``at``, outside Mayotte.

    ``uncovered_since``: the first day without any right (the levée, or the end of maintained
    rights or of an AME); ``pending``: the date of an AME filing not answered yet, if any.
    """
    (pv,), key = keyed_rows(ctx, at, "ame_residence_minimum")
    recent = in_france_since is not None and at <= pv.value.after(in_france_since)
    # Everything but the dates of this case is built once and shared (read-only).
    parts = _PARTS.get((key, recent)) or _make_parts(pv, key, recent)
    care, visa, steps, rules, parameters = parts
    since = day(uncovered_since)
    without = f"Sans couverture maladie depuis le {since} : ni droits de base ni AME"
    without += f" (demande d'AME du {day(pending)} sans réponse connue)." if pending else "."
    first = ReadOnlyDict({"text": without, "met": True, "rules": rules})
    return ReadOnlyDict(
        {
            "right": "soins_urgents",
            "title": TITLE,
            "status": TO_CHECK,  # the care and the visa are never known from the case
            "summary": (
                f"Sans couverture depuis le {since} : les soins urgents et vitaux à l'hôpital "
                "peuvent être pris en charge par l'Assurance Maladie, à la demande de l'hôpital."
            ),
            "conditions": ReadOnlyList((first, care, visa)),
            "steps": steps,
            "rules": rules,
            "parameters": parameters,
        }
    )


_PARTS: dict[tuple[tuple[str, ...], bool], tuple[Any, ...]] = {}


def _make_parts(pv: ParamValue, key: tuple[str, ...], recent: bool) -> tuple[Any, ...]:
    shown = build(
        template(
            "soins_urgents",
            TITLE,
            "",
            (_CARE, _CARE, _VISA),
            (_HOSPITAL, _presence(words(pv.value), recent)),
            _AME_11,
            key,
        )
    )
    conditions = shown["conditions"]
    found = _PARTS[key, recent] = (
        conditions[1],
        conditions[2],
        shown["steps"],
        shown["rules"],
        shown["parameters"],
    )
    return found


@lru_cache(maxsize=64)
def _presence(minimum: str, recent: bool) -> str:
    if recent:
        return (
            f"En France depuis {minimum} ou moins : l'AME n'est pas encore possible, les soins "
            "urgents s'appliquent."
        )
    return (
        f"Présence de plus de {minimum} (ou inconnue) : l'hôpital fait d'abord une demande "
        "d'AME si elle n'est pas faite ; les soins urgents sont pris en charge si l'AME est "
        "refusée ou encore en cours d'instruction."
    )
