"""CD-1: the capital décès, a fixed amount paid to the relatives when an insured person dies,
shown as conditions to check: none of them can be read from the case.

The benefits held before the écrou (``benefits_before_ecrou``) are medical facts and are not
read here; the wording names no health benefit, so the item can be shown to every role.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from cnpe_flow.rules.context import Context
from cnpe_flow.rules.parameters import ParamValue
from cnpe_flow.rules.right_items import Template, condition, rows, shared, template

TITLE = "Capital décès (pour les proches)"
_CD_1 = ("CD-1",)
_PARAMS = (
    "capital_deces_activity_window,capital_deces_unemployment_window,capital_deces_incapacity_rate"
)


def capital_deces_item(ctx: Context, at: date) -> dict[str, Any]:
    window, unemployment, rate = rows(ctx, at, _PARAMS)
    key = ("capital_deces", window.trace, unemployment.trace, rate.trace)
    return shared(key, lambda: _template(window, unemployment, rate))


def _template(window: ParamValue, unemployment: ParamValue, rate: ParamValue) -> Template:
    months = window.value.french()
    shown_rate = f"{Decimal(str(rate.value)).normalize():f}".replace(".", ",")
    conditions = (
        condition(
            f"Dans les {months} précédant le décès, la personne exerçait une activité salariée.",
            None,
            _CD_1,
        ),
        condition(
            f"Ou elle était indemnisée par Pôle emploi (France Travail), ou l'avait été au cours "
            f"des {unemployment.value.french()} précédant le décès.",
            None,
            _CD_1,
        ),
        condition(
            "Ou elle était titulaire d'une pension ou d'une rente de la Sécurité sociale ouvrant "
            f"ce droit (pour une rente, incapacité permanente d'au moins {shown_rate} %) : à "
            "vérifier avec la caisse.",
            None,
            _CD_1,
        ),
    )
    steps = (
        "Les proches en font la demande à la caisse d'assurance maladie de la personne ; le "
        "montant est forfaitaire.",
    )
    summary = (
        "Si la personne décède, ses proches peuvent recevoir le capital décès, un montant "
        f"forfaitaire, si elle était dans l'une des situations ci-dessous durant les {months} "
        "précédant son décès."
    )
    parameters = (window.trace, unemployment.trace, rate.trace)
    return template("capital_deces", TITLE, summary, conditions, steps, _CD_1, parameters)
