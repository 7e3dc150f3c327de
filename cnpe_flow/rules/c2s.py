"""Complémentaire santé solidaire (C2S) : les règles qui demandent des données absentes du
contrat de dossier (ressources, âges du foyer, dates de décision…).

Règles du catalogue couvertes : C2S-1 (droit et plafonds), C2S-2 (participation selon l'âge),
C2S-3 (où envoyer le formulaire S3711), C2S-4 (moins de 25 ans qui demandent seuls), C2S-5
(pièces à fournir), C2S-6 (délai de réponse et date de début).

Toutes les fonctions sont pures : aucune entrée/sortie hormis la lecture des paramètres datés
(`cnpe_flow.rules.parameters`). Aucun montant ni délai n'est écrit en dur : chacun vient d'un
paramètre demandé à la date qui compte pour la règle, et une valeur périmée (``stale``) ou
extrapolée est signalée dans ``warnings``.

Ce module offre aussi deux aides réutilisées par les autres règles « hors contrat »
(:func:`parameter_warnings`, :func:`trace_parameters`) et le calcul des plafonds
(:func:`c2s_ceilings`), que l'AME reprend (plafond de l'AME = plafond de la C2S sans
participation, CASF L251-1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from cnpe_flow.rules.dates import Duration, age_on, fr, today_paris
from cnpe_flow.rules.parameters import ParamValue, all_parameters, param

Regime = Literal["france", "alsace_moselle"]
Territory = Literal["metropole", "dom"]
C2SStatus = Literal["free", "with_participation", "over_ceiling", "not_eligible", "unknown"]
Applicant = Literal["person", "spouse"]

#: The C2S application form (seed 000, §2). A form number, not an amount or a delay.
C2S_FORM = "S3711"


# --------------------------------------------------------------------------------------------
# Shared helpers: parameter traces and warnings, money
# --------------------------------------------------------------------------------------------


def _next_revaluation(pv: ParamValue) -> date | None:
    reval = all_parameters()[pv.name].revaluation
    if reval is None:
        return None
    month, day = reval
    candidate = date(pv.effective_from.year, month, day)
    return candidate if candidate > pv.effective_from else date(candidate.year + 1, month, day)


def parameter_warnings(pv: ParamValue, at: date | None = None) -> tuple[str, ...]:
    """French warnings for a parameter value used at ``at``.

    Promise: an empty tuple when the value is documented for that date; one sentence when the
    date is before the first documented value (``extrapolated``), one when a scheduled
    revaluation has passed without a newer value in our sources (``stale``). Never raises.
    """
    label = all_parameters()[pv.name].label
    asked = f" pour le {fr(at)}" if at else ""
    out: list[str] = []
    if pv.extrapolated:
        out.append(
            f"{label} : aucune valeur documentée avant le {fr(pv.effective_from)} ; la plus "
            f"ancienne connue est utilisée{asked} — à vérifier."
        )
    if pv.stale:
        due = _next_revaluation(pv)
        when = f"du {fr(due)}" if due else "prévue"
        out.append(
            f"{label} : la valeur utilisée{asked} est celle du {fr(pv.effective_from)} ; la "
            f"revalorisation {when} est NON TROUVÉE dans nos sources — montant à vérifier "
            f"(ameli.fr, arrêté de revalorisation) avant de s'en servir."
        )
    return tuple(out)


def trace_parameters(
    *used: tuple[ParamValue, date],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(describe() strings, warnings)`` for the parameter values used, each pair being
    ``(value, date asked)``; duplicates removed, order kept."""
    described: list[str] = []
    warnings: list[str] = []
    for pv, at in used:
        d = pv.describe()
        if d not in described:
            described.append(d)
        for w in parameter_warnings(pv, at):
            if w not in warnings:
                warnings.append(w)
    return tuple(described), tuple(warnings)


def to_money(name: str, value: Decimal | float | int) -> Decimal:
    """``value`` as a non-negative :class:`Decimal` of euros.

    Raises ``ValueError`` naming the argument ``name`` when the value is not a number, is not
    finite, or is negative. Floats go through ``str`` so that 0.1 stays 0.1.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | float | int):
        raise ValueError(
            f"{name} : un montant en euros est attendu (reçu : {type(value).__name__})."
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} : le montant doit être un nombre fini.")
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if not amount.is_finite():
        raise ValueError(f"{name} : le montant doit être un nombre fini.")
    if amount < 0:
        raise ValueError(f"{name} : le montant ne peut pas être négatif.")
    return amount


def check_household_size(household_size: int) -> int:
    """``household_size`` unchanged if it is an integer ≥ 1; ``ValueError`` naming it otherwise."""
    if isinstance(household_size, bool) or not isinstance(household_size, int):
        raise ValueError("household_size : un nombre entier de personnes est attendu.")
    if household_size < 1:
        raise ValueError("household_size : le foyer compte au moins 1 personne.")
    return household_size


def euros(amount: Decimal) -> str:
    """French display of an amount: ``10 339 €``, ``2,80 €``."""
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") + " €"


def _money_value(raw: Any) -> Decimal:
    # YAML gives int or float; str() keeps 2.8 as 2.8 instead of 2.79999…
    return Decimal(str(raw))


# --------------------------------------------------------------------------------------------
# C2S-1: ceilings and status
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class C2SCeilings:
    """Annual resource ceilings for one household size at one date (C2S-1)."""

    household_size: int
    territory: Territory
    at: date
    #: Ceiling of free C2S (also the AME ceiling); None when not found in our sources.
    free: Decimal | None
    #: Ceiling of C2S with participation; None when not found in our sources.
    participation: Decimal | None
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


def _from_table(table: dict[str, Any], key: str, size: int) -> Decimal | None:
    # Official per-size tables first, then the published per-extra-person amount (never a
    # coefficient formula: the published tables are the reference, style.md).
    rows = table.get(key) or []
    if size <= len(rows):
        return _money_value(rows[size - 1])
    extra = table.get(f"{key}_extra")
    if extra is None or not rows:
        return None
    return _money_value(rows[-1]) + (size - len(rows)) * _money_value(extra)


def c2s_ceilings(
    *, household_size: int, at: date, territory: Territory = "metropole"
) -> C2SCeilings:
    """C2S resource ceilings (euros per year) for ``household_size`` persons in force on ``at``.

    Promise: metropolitan ceilings come from the official tables of ``c2s_ceilings`` (1 to 4
    persons, then the ``extra`` amount per additional person); for a single person before the
    first table, the free ceiling comes from ``c2s_ceiling_single_history``. Overseas
    (``dom``) ceilings come from ``c2s_ceilings_dom``; a size absent from our sources gives
    ``None`` with a reason, never a guess. Stale or extrapolated values are in ``warnings``.
    Raises ``ValueError`` if ``household_size`` < 1 or ``territory`` is unknown.
    """
    check_household_size(household_size)
    if territory not in ("metropole", "dom"):
        raise ValueError("territory : « metropole » ou « dom » attendu.")
    reasons: list[str] = []
    used: list[tuple[ParamValue, date]] = []
    if territory == "metropole":
        table_pv = param("c2s_ceilings", at)
        free = _from_table(table_pv.value, "free", household_size)
        participation = _from_table(table_pv.value, "participation", household_size)
        history_pv = param("c2s_ceiling_single_history", at)
        if household_size == 1 and table_pv.extrapolated and not history_pv.extrapolated:
            # Before the first full table, the single-person history is the documented value.
            free = _money_value(history_pv.value)
            used.append((history_pv, at))
            used.append((table_pv, at))
        else:
            used.append((table_pv, at))
        if household_size > len(table_pv.value.get("free", [])):
            reasons.append(
                f"Foyer de {household_size} personnes : plafond de 4 personnes augmenté du "
                f"montant publié par personne supplémentaire."
            )
        place = "en métropole"
    else:
        dom_pv = param("c2s_ceilings_dom", at)
        used.append((dom_pv, at))
        free = _from_table(dom_pv.value, "free", household_size)
        participation = _from_table(dom_pv.value, "participation", household_size)
        place = "dans les départements d'outre-mer"
        if free is None or participation is None:
            reasons.append(
                f"Plafond C2S {place} pour un foyer de {household_size} personnes : NON TROUVÉ "
                f"dans nos sources (seule la personne seule est documentée)."
            )
    if free is not None and participation is not None:
        reasons.append(
            f"Plafonds annuels {place} au {fr(at)} pour {household_size} personne(s) : "
            f"{euros(free)} (C2S gratuite), {euros(participation)} (C2S avec participation)."
        )
    described, warnings = trace_parameters(*used)
    return C2SCeilings(
        household_size=household_size,
        territory=territory,
        at=at,
        free=free,
        participation=participation,
        rules=("C2S-1",),
        reasons=tuple(reasons),
        parameters=described,
        warnings=warnings,
    )


@dataclass(frozen=True, slots=True)
class C2SEligibility:
    """Outcome of C2S-1 for one household."""

    status: C2SStatus
    at: date
    household_size: int
    territory: Territory
    annual_resources: Decimal
    free_ceiling: Decimal | None
    participation_ceiling: Decimal | None
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


def c2s_eligibility(
    *,
    regular_situation: bool,
    has_base_coverage: bool,
    household_size: int,
    annual_resources: Decimal | float,
    at: date,
    territory: Territory = "metropole",
) -> C2SEligibility:
    """C2S-1: may this household get the C2S, free or with a participation?

    Promise:
    - ``not_eligible`` when the person is not in regular situation or has no base coverage
      (PUMa): « il ne peut exister de droits à la CSS sans droits PUMa » (seed 001);
    - otherwise ``free`` when the resources of the 12 reference months are at most (≤) the free
      ceiling, ``with_participation`` when at most the participation ceiling, else
      ``over_ceiling``; ``unknown`` when our sources have no ceiling for that case;
    - ceilings are those in force on ``at`` (revalued each 1 April); a stale ceiling (after
      1 April 2026 the 2026 value is not found) is reported in ``warnings``.
    Raises ``ValueError`` naming the argument for ``household_size`` < 1 or negative / non
    numeric ``annual_resources``.
    """
    check_household_size(household_size)
    resources = to_money("annual_resources", annual_resources)
    if territory not in ("metropole", "dom"):
        raise ValueError("territory : « metropole » ou « dom » attendu.")

    def refused(reason: str) -> C2SEligibility:
        return C2SEligibility(
            status="not_eligible",
            at=at,
            household_size=household_size,
            territory=territory,
            annual_resources=resources,
            free_ceiling=None,
            participation_ceiling=None,
            rules=("C2S-1",),
            reasons=(reason,),
            parameters=(),
            warnings=(),
        )

    if not regular_situation:
        return refused(
            "La C2S est réservée aux personnes en situation régulière (seed 000, §2) : une "
            "personne en situation irrégulière relève de l'AME."
        )
    if not has_base_coverage:
        return refused(
            "Pas de droit à la prise en charge des frais de santé (PUMa) : pas de C2S sans "
            "droits de base (seed 001) ; ouvrir d'abord les droits PUMa (les deux demandes "
            "peuvent être faites en même temps)."
        )

    ceilings = c2s_ceilings(household_size=household_size, at=at, territory=territory)
    reasons = list(ceilings.reasons)
    shown = euros(resources)
    rules: tuple[str, ...] = ("C2S-1",)
    status: C2SStatus
    if ceilings.free is None:
        status = "unknown"
        reasons.append("Plafond introuvable : droit à vérifier auprès de la caisse.")
    elif resources <= ceilings.free:
        status = "free"
        reasons.append(
            f"Ressources annuelles du foyer ({shown}) inférieures ou égales au plafond de la C2S "
            f"sans participation ({euros(ceilings.free)}) : C2S gratuite."
        )
    elif ceilings.participation is None:
        status = "unknown"
        reasons.append(
            f"Ressources ({shown}) au-dessus du plafond de la C2S gratuite ; plafond avec "
            f"participation introuvable : à vérifier auprès de la caisse."
        )
    elif resources <= ceilings.participation:
        status = "with_participation"
        rules = ("C2S-1", "C2S-2")
        reasons.append(
            f"Ressources annuelles du foyer ({shown}) au-dessus du plafond de la C2S gratuite "
            f"({euros(ceilings.free)}) mais inférieures ou égales au plafond avec participation "
            f"({euros(ceilings.participation)}) : C2S avec participation financière selon l'âge "
            f"de chaque membre du foyer."
        )
    else:
        status = "over_ceiling"
        reasons.append(
            f"Ressources annuelles du foyer ({shown}) au-dessus du plafond de la C2S avec "
            f"participation ({euros(ceilings.participation)}) : pas de C2S."
        )
    return C2SEligibility(
        status=status,
        at=at,
        household_size=household_size,
        territory=territory,
        annual_resources=resources,
        free_ceiling=ceilings.free,
        participation_ceiling=ceilings.participation,
        rules=rules,
        reasons=tuple(reasons),
        parameters=ceilings.parameters,
        warnings=ceilings.warnings,
    )


# --------------------------------------------------------------------------------------------
# C2S-2: participation by age on 1 January
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberParticipation:
    """Monthly participation of one household member (C2S-2)."""

    birth_date: date
    #: Age in whole years on 1 January of the attribution year (0 if born after that day).
    age_on_1_january: int
    monthly_amount: Decimal
    #: The age bracket applied, in French (« 30 à 49 ans », « 70 ans et plus »).
    bracket: str


@dataclass(frozen=True, slots=True)
class C2SParticipation:
    """Monthly participation of a household for a C2S with participation (C2S-2)."""

    attribution_date: date
    #: 1 January of the attribution year: the date on which ages are taken.
    reference_date: date
    regime: Regime
    members: tuple[MemberParticipation, ...]
    total_monthly: Decimal
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


def _bracket_label(low: int, high: int | None) -> str:
    return f"{low} ans et plus" if high is None else f"{low} à {high} ans"


def c2s_participation(
    member_birth_dates: Sequence[date],
    attribution_date: date,
    regime: Regime = "france",
) -> C2SParticipation:
    """C2S-2: monthly participation of each household member and of the household.

    Age convention (written on purpose): each member's age is taken **on 1 January of the
    attribution year** (notice S3711), in whole years, a birthday falling on 1 January counting
    on that day. A person born on 29 February is therefore never affected by leap years: on
    1 January their birthday of the year has not come yet, so they have the age reached on the
    previous 31 December, like anybody born after 1 January. A member born during the
    attribution year, after 1 January, is counted in the youngest bracket (age 0).

    Promise: one amount per member, in the order given, from the ``c2s_participation`` bracket
    table in force on ``attribution_date`` for ``regime`` (``france`` or ``alsace_moselle``);
    ``total_monthly`` is their exact sum (Decimal). Raises ``ValueError`` for an empty
    household, a birth date after the attribution date, or an unknown regime.
    """
    if regime not in ("france", "alsace_moselle"):
        raise ValueError("regime : « france » ou « alsace_moselle » attendu.")
    births = tuple(member_birth_dates)
    if not births:
        raise ValueError("member_birth_dates : le foyer compte au moins une personne.")
    if any(b > attribution_date for b in births):
        raise ValueError(
            "member_birth_dates : une date de naissance est après la date d'attribution."
        )
    reference = date(attribution_date.year, 1, 1)
    pv = param("c2s_participation", attribution_date)
    brackets = pv.value[regime]
    members: list[MemberParticipation] = []
    reasons: list[str] = []
    for birth in births:
        # Born after 1 January of the attribution year: age −1 on that day, youngest bracket.
        age = max(age_on(birth, reference), 0)
        for low, high, amount in brackets:
            if age >= low and (high is None or age <= high):
                members.append(
                    MemberParticipation(birth, age, _money_value(amount), _bracket_label(low, high))
                )
                break
        else:  # pragma: no cover - the table covers every age from 0 up
            raise ValueError(f"c2s_participation : aucune tranche pour l'âge {age}.")
    total = sum((m.monthly_amount for m in members), Decimal(0))
    regime_fr = (
        "régime local d'Alsace-Moselle" if regime == "alsace_moselle" else "hors Alsace-Moselle"
    )
    reasons.append(
        f"Âges pris au 1er janvier {reference.year} (année d'attribution), barème {regime_fr} : "
        + " ; ".join(f"{m.age_on_1_january} ans → {euros(m.monthly_amount)}" for m in members)
        + f". Total : {euros(total)} par mois."
    )
    described, warnings = trace_parameters((pv, attribution_date))
    return C2SParticipation(
        attribution_date=attribution_date,
        reference_date=reference,
        regime=regime,
        members=tuple(members),
        total_monthly=total,
        rules=("C2S-2",),
        reasons=tuple(reasons),
        parameters=described,
        warnings=warnings,
    )


# --------------------------------------------------------------------------------------------
# C2S-3: where to send the S3711
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class C2SRecipient:
    """Where the C2S application goes (C2S-3)."""

    form: str
    recipient: Literal["CNPE", "CAISSE_DU_CONJOINT", "CPAM_RESIDENCE"]
    label: str
    rules: tuple[str, ...]
    reasons: tuple[str, ...]


def c2s_where_to_send(*, in_custody: bool, applicant: Applicant) -> C2SRecipient:
    """C2S-3: who receives the S3711 form.

    Promise: the spouse files with **their own** fund (« sa caisse de rattachement »); the
    person under écrou (``in_custody``: affiliated to the CNPE) sends it to the **CNPE**; a
    person not under écrou files with the CPAM of their département (seed 001). Every household
    member must be listed on the form. Raises ``ValueError`` for an unknown ``applicant``.
    """
    if applicant not in ("person", "spouse"):
        raise ValueError("applicant : « person » ou « spouse » attendu.")
    members = (
        "Mentionner tous les membres du foyer sur le formulaire (conjoint, enfants ou personnes "
        "à charge rattachées au foyer)."
    )
    if applicant == "spouse":
        return C2SRecipient(
            form=C2S_FORM,
            recipient="CAISSE_DU_CONJOINT",
            label="la caisse d'assurance maladie du conjoint (sa caisse de rattachement)",
            rules=("C2S-3",),
            reasons=(
                "Demande faite par le conjoint : il l'adresse à sa propre caisse de "
                "rattachement (seed 000, §2).",
                members,
            ),
        )
    if in_custody:
        return C2SRecipient(
            form=C2S_FORM,
            recipient="CNPE",
            label=(
                "le CNPE (Centre national de gestion de la protection sociale des personnes "
                "écrouées)"
            ),
            rules=("C2S-3",),
            reasons=(
                "Demande faite par la personne écrouée : elle l'adresse au CNPE (seed 000, §2).",
                members,
            ),
        )
    return C2SRecipient(
        form=C2S_FORM,
        recipient="CPAM_RESIDENCE",
        label="la CPAM du département de domiciliation",
        rules=("C2S-3",),
        reasons=(
            "Personne non écrouée : la demande se fait auprès de la CPAM du département de "
            "domiciliation, en ligne sur ameli.fr ou avec le formulaire (seed 001).",
            members,
        ),
    )


# --------------------------------------------------------------------------------------------
# C2S-4: under 25, applying alone
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class C2SApplyAlone:
    """Whether a person may file a C2S application in their own name (C2S-4)."""

    can_apply_alone: bool
    #: A letter attesting the three conditions must be attached.
    attestation_letter_required: bool
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


def c2s_can_apply_alone(
    *,
    age: int,
    lives_with_parents: bool,
    receives_alimony: bool,
    files_own_tax_return: bool,
    at: date | None = None,
) -> C2SApplyAlone:
    """C2S-4: may this person apply for the C2S alone, outside the parents' household?

    Promise: from the age limit of ``c2s_young_adult_age`` (25) upwards, yes, no letter.
    Below it, yes only if the three conditions hold together — no longer lives with the parents,
    gets no alimony, files (or commits to file) an own tax return — and then a letter attesting
    the three conditions is required; otherwise the person belongs to the parents' household
    and the reasons name each condition that fails. ``at`` is the date of the application
    (today in Europe/Paris if omitted) at which the age limit is read. Raises ``ValueError``
    for a negative or non-integer ``age``.
    """
    if isinstance(age, bool) or not isinstance(age, int) or age < 0:
        raise ValueError("age : un nombre entier d'années, positif ou nul, est attendu.")
    when = at or today_paris()
    pv = param("c2s_young_adult_age", when)
    limit = int(pv.value)
    described, warnings = trace_parameters((pv, when))
    if age >= limit:
        return C2SApplyAlone(
            can_apply_alone=True,
            attestation_letter_required=False,
            rules=("C2S-4",),
            reasons=(f"{age} ans : au moins {limit} ans, la personne forme son propre foyer.",),
            parameters=described,
            warnings=warnings,
        )
    failing: list[str] = []
    if lives_with_parents:
        failing.append("vit encore chez ses parents")
    if receives_alimony:
        failing.append("perçoit une pension alimentaire")
    if not files_own_tax_return:
        failing.append("ne fait pas (et ne s'engage pas à faire) sa propre déclaration fiscale")
    if failing:
        return C2SApplyAlone(
            can_apply_alone=False,
            attestation_letter_required=False,
            rules=("C2S-4",),
            reasons=(
                f"Moins de {limit} ans : rattaché(e) au foyer de ses parents, car la personne "
                + " ; ".join(failing)
                + ". La demande se fait avec le foyer des parents.",
            ),
            parameters=described,
            warnings=warnings,
        )
    return C2SApplyAlone(
        can_apply_alone=True,
        attestation_letter_required=True,
        rules=("C2S-4",),
        reasons=(
            f"Moins de {limit} ans mais les 3 conditions sont remplies (ne vit plus chez ses "
            f"parents, pas de pension alimentaire, déclaration fiscale propre) : demande "
            f"possible seul(e), en joignant un courrier qui atteste les 3 conditions.",
        ),
        parameters=described,
        warnings=warnings,
    )


# --------------------------------------------------------------------------------------------
# C2S-5: documents
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class C2SDocuments:
    """Checklist of what to provide with a C2S application (C2S-5)."""

    items: tuple[str, ...]
    rules: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


def c2s_documents(
    *, receives_rsa: bool, receives_caf: bool, at: date | None = None
) -> C2SDocuments:
    """C2S-5: French checklist of items for a C2S application.

    Promise: always the S3711 form listing every household member and the last tax notice;
    the resources of the whole household over the reference period (``c2s_resources_period``
    read at ``at``, today in Europe/Paris if omitted) **unless** the household receives the
    RSA (then no resources to declare); the CAF number and CAF département when CAF benefits
    are paid.
    """
    when = at or today_paris()
    pv = param("c2s_resources_period", when)
    period: Duration = pv.value
    items = [
        f"Formulaire de demande de Complémentaire santé solidaire ({C2S_FORM}) complété, "
        "avec tous les membres du foyer.",
    ]
    if receives_rsa:
        items.append(
            "Foyer bénéficiaire du RSA : pas de déclaration de ressources à faire (le préciser)."
        )
    else:
        items.append(
            f"Déclaration de l'ensemble des ressources perçues par le foyer sur les "
            f"{period.french()} précédant la demande, avec les justificatifs."
        )
    if receives_caf:
        items.append("Numéro d'allocataire CAF et département de la CAF qui verse les prestations.")
    items.append("Dernier avis d'imposition.")
    described, warnings = trace_parameters((pv, when))
    return C2SDocuments(
        items=tuple(items), rules=("C2S-5",), parameters=described, warnings=warnings
    )


# --------------------------------------------------------------------------------------------
# C2S-6: answer delay and start date
# --------------------------------------------------------------------------------------------


def _first_of_next_month(d: date) -> date:
    # Calendar step, not a legal delay: the right starts « au premier jour du mois suivant ».
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class C2SStart:
    """Start date of a granted C2S (C2S-6); ``start`` is None while an input is missing."""

    start: date | None
    reasons: tuple[str, ...]
    #: Names of the missing inputs, most important first.
    missing: tuple[str, ...] = ()
    rules: tuple[str, ...] = ("C2S-6",)


def c2s_start_date(
    *,
    decision_date: date | None,
    payment_means_received: date | None,
    with_participation: bool,
    urgent_care: bool,
    application_date: date,
) -> C2SStart:
    """C2S-6: first day of a C2S right, once granted.

    Promise:
    - urgent care need signalled with the application: 1st day of the month of the application
      (seed 001; not before the opening of the PUMa rights, which the caller checks);
    - otherwise free C2S: 1st day of the month after the decision;
    - otherwise C2S with participation: 1st day of the month after the fund received the
      payment means;
    - ``start`` is None and ``missing`` names the date still needed when it is not known yet.
    Raises ``ValueError`` when a decision or a receipt is dated before the application.
    """
    if decision_date is not None and decision_date < application_date:
        raise ValueError("decision_date : la décision ne peut pas précéder la demande.")
    if payment_means_received is not None and payment_means_received < application_date:
        raise ValueError(
            "payment_means_received : la réception du moyen de paiement ne peut pas précéder "
            "la demande."
        )
    if urgent_care:
        start = application_date.replace(day=1)
        return C2SStart(
            start,
            (
                f"Besoin de soins urgents signalé avec la demande : la C2S, si elle est "
                f"accordée, commence le 1er jour du mois de la demande ({fr(start)}), et pas "
                f"avant l'ouverture des droits PUMa.",
            ),
        )
    if with_participation:
        if payment_means_received is None:
            return C2SStart(
                None,
                (
                    "C2S avec participation : elle commence le 1er jour du mois qui suit la "
                    "réception du moyen de paiement par la caisse ; date de réception inconnue.",
                ),
                missing=("payment_means_received",),
            )
        start = _first_of_next_month(payment_means_received)
        return C2SStart(
            start,
            (
                f"C2S avec participation : moyen de paiement reçu le "
                f"{fr(payment_means_received)}, la C2S commence le 1er jour du mois suivant "
                f"({fr(start)}).",
            ),
        )
    if decision_date is None:
        return C2SStart(
            None,
            (
                "C2S gratuite : elle commence le 1er jour du mois qui suit la décision de la "
                "caisse ; décision pas encore connue.",
            ),
            missing=("decision_date",),
        )
    start = _first_of_next_month(decision_date)
    return C2SStart(
        start,
        (
            f"C2S gratuite : décision du {fr(decision_date)}, la C2S commence le 1er jour du "
            f"mois suivant ({fr(start)}).",
        ),
    )


@dataclass(frozen=True, slots=True)
class C2SAnswerDue:
    """Date by which the fund should answer a C2S application (C2S-6)."""

    application_date: date
    due: date
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


def c2s_answer_due(application_date: date) -> C2SAnswerDue:
    """C2S-6: the answer is due at ``application_date`` + the ``c2s_answer_delay`` in force on
    that date (2 months, calendar arithmetic: 31 December + 2 months = 28/29 February)."""
    pv = param("c2s_answer_delay", application_date)
    due = pv.value.after(application_date)
    described, warnings = trace_parameters((pv, application_date))
    return C2SAnswerDue(
        application_date=application_date,
        due=due,
        rules=("C2S-6",),
        reasons=(
            f"La caisse a {pv.value.french()} pour répondre : réponse attendue au plus tard le "
            f"{fr(due)} pour une demande reçue le {fr(application_date)}.",
        ),
        parameters=described,
        warnings=warnings,
    )
