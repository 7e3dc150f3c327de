"""ASS-1: the action sanitaire et sociale, one-off financial aid of the fund when the
person's health causes material hardship; for insured persons in regular situation only
(seed 000, §2)."""

from __future__ import annotations

from typing import Any

from cnpe_flow.rules.right_items import CNPE_NAME, Template, build, condition, template

TITLE = "Action sanitaire et sociale (aide financière ponctuelle)"
_ASS_1 = ("ASS-1",)
_SUMMARY = (
    "Aide financière ponctuelle de l'Assurance Maladie en cas de situation matérielle difficile "
    "causée par la dégradation de l'état de santé ; seulement pour les assurés en situation "
    "régulière."
)
_NO_APPEAL = "Aide extra-légale : un refus ne peut pas être contesté."


def ass_item(cnpe: bool) -> dict[str, Any]:
    """For a person with base rights on ``as_of``; ``cnpe``: affiliated to the CNPE that day
    (the request goes there), otherwise to the CPAM of affiliation."""
    return _ITEMS[cnpe]


def _template(cnpe: bool) -> Template:
    where = f"au {CNPE_NAME}" if cnpe else "à la CPAM d'affiliation"
    conditions = (
        condition("Assuré(e) en situation régulière.", True, _ASS_1),
        condition(
            "Situation matérielle difficile causée par la dégradation de l'état de santé.",
            None,
            _ASS_1,
        ),
    )
    steps = (f"Adresser la demande {where}.", _NO_APPEAL)
    return template("ass", TITLE, _SUMMARY, conditions, steps, _ASS_1, ())


_ITEMS = {cnpe: build(_template(cnpe)) for cnpe in (True, False)}  # read-only, shared
