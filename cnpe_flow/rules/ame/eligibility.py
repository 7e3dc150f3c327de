"""AME-1: the conditions of the AME, as the conditions of the AME item (pure functions of facts
and parameter values).

Irregular situation; stable, uninterrupted presence in France for **more than** 3 months (the
day that completes exactly 3 months is not enough); household resources at most the free-C2S
ceiling of the AME household (CASF L251-1; AME-10 for who counts); no valid Schengen visa.
Minors whose parents are irregular need neither the presence nor the resources. Not applicable
in Mayotte (the item is then not shown at all).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cnpe_flow.rules.ame.household import AMEHousehold
from cnpe_flow.rules.c2s.ceilings import Ceilings
from cnpe_flow.rules.dates import ONE_DAY, Duration
from cnpe_flow.rules.right_items import Cond, condition, day, euros, words

_AME_1 = ("AME-1",)
_AME_1_10 = ("AME-1", "AME-10")
_MINOR = " Non exigé pour un mineur dont les parents sont en situation irrégulière : à vérifier."


def irregular(maintained_until: date | None) -> Cond:
    if maintained_until is not None:
        text = (
            "Situation irrégulière au regard du séjour : titre de séjour expiré, droits de base "
            f"maintenus jusqu'au {day(maintained_until)} inclus, terminés depuis."
        )
    else:
        text = "Situation irrégulière au regard du séjour : pas de droits de base après la sortie."
    return condition(text, True, _AME_1)


def presence_met_on(since: date, minimum: Duration) -> date:
    """First day of « more than » ``minimum`` (3 months) of presence: since + 3 months + 1 day
    (relativedelta), so the day that completes exactly 3 months is not enough."""
    return minimum.after(since) + ONE_DAY


def presence(at: date, since: date | None, minimum: Duration, minor: bool) -> Cond:
    if since is None:
        text = (
            f"Présence stable et ininterrompue en France depuis plus de {words(minimum)} : "
            "date d'arrivée à renseigner."
        )
        return condition(text, None, _AME_1)
    met_on = presence_met_on(since, minimum)
    if at >= met_on:
        text = (
            f"En France depuis le {day(since)} : plus de {words(minimum)} de présence au {day(at)}."
        )
        return condition(text, True, _AME_1)
    text = (
        f"En France depuis le {day(since)} : pas plus de {words(minimum)} de présence au "
        f"{day(at)} ; condition remplie à partir du {day(met_on)} (soins urgents en attendant)."
    )
    return condition(text + _MINOR, None, _AME_1) if minor else condition(text, False, _AME_1)


def resources(
    amount: Decimal | None,
    household: AMEHousehold | None,
    alone: Ceilings | None,
    largest: Ceilings | None,
    where: str,
    minor: bool,
) -> Cond:
    """Resources at most the AME ceiling of the AME household, a range (see AME-10): equal to
    the ceiling is under it. ``alone`` / ``largest``: the ceilings for the applicant alone and
    for the largest household possible (None when the territory is not in our sources);
    members unknown (``household`` None): only an amount under the one-person ceiling is
    decided, since one more person never lowers a ceiling."""
    rules = _AME_1_10 if household is not None else _AME_1
    who = f" {household.description}." if household is not None else ""
    if amount is None:
        text = (
            "Ressources du foyer sur les 12 derniers mois au plus égales au plafond de l'AME "
            f"(celui de la C2S gratuite, selon le foyer) : à renseigner.{who}"
        )
        return condition(text, None, rules)
    shown = euros(amount)
    if alone is None or alone.free is None:
        text = (
            f"Ressources du foyer : {shown}. Plafond de l'AME de ce territoire non trouvé dans "
            f"nos sources : à vérifier.{who}"
        )
        return condition(text, None, rules)
    note = f" ; {alone.note}" if alone.note else ""
    if amount <= alone.free:
        text = (
            f"Ressources du foyer ({shown}) au plus égales au plafond de l'AME pour une personne "
            f"seule {where} ({euros(alone.free)} par an{note}) : condition remplie quel que soit "
            f"le foyer.{who}"
        )
        return condition(text, True, rules)
    if household is None:
        text = (
            f"Ressources du foyer ({shown}) au-dessus du plafond de l'AME pour une personne seule "
            f"{where} ({euros(alone.free)} par an{note}) ; composition du foyer inconnue : à "
            "vérifier."
        )
        return condition(text, None, rules)
    top = largest.free if largest is not None else None
    if top is not None and amount > top:
        text = (
            f"Ressources du foyer ({shown}) au-dessus du plafond de l'AME {where}, même pour le "
            f"plus grand foyer possible ({household.largest} personne"
            f"{'s' if household.largest > 1 else ''} : {euros(top)} par an{note}).{who}"
        )
        return condition(text + _MINOR, None, rules) if minor else condition(text, False, rules)
    shown_top = f"{euros(top)} par an" if top is not None else "plafond non trouvé"
    text = (
        f"Ressources du foyer ({shown}) entre le plafond de l'AME pour une personne seule "
        f"({euros(alone.free)}) et celui du plus grand foyer possible ({household.largest} "
        f"personnes : {shown_top}) {where} : dépend des membres comptés, à vérifier.{who}"
    )
    return condition(text, None, rules)


def visa() -> Cond:
    """Never known from the case: always à vérifier."""
    return condition(
        "Pas de visa Schengen (touristique) en cours de validité : avec un tel visa, pas d'AME, "
        "l'assurance exigée pour le visa prend en charge les soins.",
        None,
        _AME_1,
    )
