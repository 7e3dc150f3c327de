"""C2S-1 (who may get the C2S, free or with a participation) and C2S-4 (under 25, applying
alone), as conditions of the C2S item: pure functions of facts and parameter values.

C2S-1: « Les personnes qui ont droit à la prise en charge des frais de santé (et uniquement
pour les assurés en situation régulière), et dont les ressources sont inférieures à un montant
qui dépend de la composition du foyer » (seed 000). Resources equal to a ceiling are under it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cnpe_flow.rules.c2s.ceilings import Ceilings
from cnpe_flow.rules.right_items import Cond, condition, day, euros

FREE, WITH_PARTICIPATION, OVER = "free", "with_participation", "over_ceiling"
_C2S_1 = ("C2S-1",)
_C2S_1_5 = ("C2S-1", "C2S-5")
_C2S_4 = ("C2S-4",)
PLACES = {"metropole": "en métropole", "dom": "en outre-mer"}


def base_rights(in_custody: bool, maintained_until: date | None) -> Cond:
    """Regular situation with base rights: the CNPE during the écrou, the PUMa outside."""
    if in_custody:
        text = "Situation régulière, droits de base ouverts (CNPE pendant l'écrou)."
    elif maintained_until is not None:
        text = (
            "Situation régulière : droits de base (PUMa) maintenus après l'expiration du titre "
            f"de séjour, jusqu'au {day(maintained_until)} inclus."
        )
    else:
        text = "Situation régulière, droits de base (PUMa) à la CPAM de résidence."
    return condition(text, True, _C2S_1)


def resources(
    amount: Decimal | None,
    rsa: bool | None,
    size: int | None,
    found: Ceilings | None,
    months: str,
    where: str,
) -> tuple[Cond, str | None]:
    """The resources condition and the band (free, with participation, over the ceiling; None
    when unknown).

    ``size``: the C2S household, None when its members are unknown (then only an amount under
    the one-person ceiling is decided: one more person never lowers a ceiling). ``found``: the
    ceilings for ``size`` (or one person), None when the territory is not in our sources.
    ``months``: the resources period in words; ``where``: « en métropole au 01/06/2026 ».
    """
    if rsa:
        return condition(
            "Foyer bénéficiaire du RSA : pas de ressources à déclarer.", True, _C2S_1_5
        ), FREE
    if amount is None:
        text = (
            f"Ressources du foyer sur les {months} précédant la demande sous le plafond de la "
            "C2S, qui dépend de la composition du foyer : à renseigner."
        )
        return condition(text, None, _C2S_1_5), None
    shown = f"{euros(amount)} sur {months}"
    if found is None:
        text = (
            f"Ressources du foyer : {shown}. Plafond de ce territoire non couvert par nos "
            "sources : à vérifier auprès de la caisse."
        )
        return condition(text, None, _C2S_1), None
    people = "une personne seule" if not size or size == 1 else f"{size} personnes"
    note = f" ({found.note})" if found.note else ""
    free, top = found.free, found.participation
    if free is None:
        text = (
            f"Ressources du foyer : {shown}. Plafond de la C2S {where} pour {people} non trouvé "
            "dans nos sources : à vérifier auprès de la caisse."
        )
        return condition(text, None, _C2S_1), None
    if amount <= free:
        text = (
            f"Ressources du foyer ({shown}) inférieures ou égales au plafond de la C2S gratuite "
            f"pour {people} {where} : {euros(free)} par an{note}."
        )
        return condition(text, True, _C2S_1), FREE
    if size is None:
        text = (
            f"Ressources du foyer ({shown}) au-dessus du plafond de la C2S gratuite pour une "
            f"personne seule ({euros(free)}) ; composition du foyer inconnue : à vérifier."
        )
        return condition(text, None, _C2S_1), None
    if top is None:
        text = (
            f"Ressources du foyer ({shown}) au-dessus du plafond de la C2S gratuite "
            f"({euros(free)}) ; plafond avec participation {where} non trouvé : à vérifier."
        )
        return condition(text, None, _C2S_1), None
    if amount <= top:
        text = (
            f"Ressources du foyer ({shown}) au-dessus du plafond de la C2S gratuite "
            f"({euros(free)}) mais pas de celui de la C2S avec participation pour {people} "
            f"{where} : {euros(top)} par an{note}."
        )
        return condition(text, True, _C2S_1), WITH_PARTICIPATION
    text = (
        f"Ressources du foyer ({shown}) au-dessus du plafond de la C2S avec participation pour "
        f"{people} {where} : {euros(top)} par an{note}."
    )
    return condition(text, False, _C2S_1), OVER


def applies_alone(age: int, limit: int) -> Cond:
    """C2S-4: under ``limit`` (25), the person belongs to the parents' household unless the
    three conditions hold together; the case cannot tell: à vérifier."""
    text = (
        f"{age} ans, moins de {limit} ans : rattaché(e) au foyer de ses parents, sauf si la "
        "personne ne vit plus chez eux, ne perçoit pas de pension alimentaire et fait sa propre "
        "déclaration fiscale (ou s'engage à la faire)."
    )
    return condition(text, None, _C2S_4)
