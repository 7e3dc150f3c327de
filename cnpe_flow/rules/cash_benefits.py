"""Prestations en espèces et aides autour de l'écrou : les règles qui demandent des données
absentes du contrat de dossier.

Règles du catalogue couvertes : CD-1 (ouverture du capital décès), ASS-1 (action sanitaire et
sociale), INV-2 (à qui adresser une nouvelle demande de pension d'invalidité).

Fonctions pures ; chaque délai ou taux vient d'un paramètre daté lu à la date qui compte (la
date du décès pour le capital décès).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from cnpe_flow.rules.c2s import trace_parameters
from cnpe_flow.rules.dates import Duration, fr
from cnpe_flow.rules.parameters import ParamValue, param

Recipient = Literal["CNPE", "CPAM_AFFILIATION", "CPAM_RESIDENCE"]


# --------------------------------------------------------------------------------------------
# CD-1: capital décès
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CapitalDeces:
    """CD-1: whether the right to the capital décès is open (fixed amount, not computed here)."""

    open: bool
    #: The situations that open the right (French), empty when closed.
    grounds: tuple[str, ...]
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


def capital_deces_open(
    *,
    death_date: date,
    employed_until: date | None,
    unemployment_benefit_until: date | None,
    invalidity_pension: bool,
    atmp_rente_rate: float | None,
) -> CapitalDeces:
    """CD-1: is the capital décès open for a person who died on ``death_date``?

    Inputs: ``employed_until`` / ``unemployment_benefit_until`` are the last day of salaried
    work / of Pôle emploi (France Travail) benefits (None: never); ``invalidity_pension``: held
    an invalidity pension in the months before death; ``atmp_rente_rate``: permanent
    incapacity rate of an AT/MP annuity, in percent (0 to 100), None without annuity.

    Promise — open if at least one holds (parameters read at the death date):
    - salaried work on or after ``death_date − 3 months`` (``capital_deces_activity_window``;
      that day included — favourable reading of « durant les 3 mois précédant son décès »);
    - Pôle emploi benefits on or after ``death_date − 12 months``
      (``capital_deces_unemployment_window``, that day included);
    - an invalidity pension;
    - an AT/MP annuity rate at least (≥) 66.66 % (``capital_deces_atmp_rate``).
    The amount is fixed (« forfaitaire ») and not computed. Raises ``ValueError`` for a rate
    outside 0-100 or not a number.
    """
    rate: Decimal | None = None
    if atmp_rente_rate is not None:
        if isinstance(atmp_rente_rate, bool) or not isinstance(atmp_rente_rate, int | float):
            raise ValueError("atmp_rente_rate : un pourcentage (nombre) est attendu.")
        if not math.isfinite(atmp_rente_rate) or not 0 <= atmp_rente_rate <= 100:
            raise ValueError("atmp_rente_rate : un pourcentage entre 0 et 100 est attendu.")
        # Through str so that 66.66 compares exactly with the parameter's 66.66.
        rate = Decimal(str(atmp_rente_rate))

    window_pv = param("capital_deces_activity_window", death_date)
    unemployment_pv = param("capital_deces_unemployment_window", death_date)
    rate_pv = param("capital_deces_atmp_rate", death_date)
    used: list[tuple[ParamValue, date]] = [(window_pv, death_date)]
    window: Duration = window_pv.value
    window_start = window.before(death_date)
    grounds: list[str] = []
    reasons: list[str] = [
        f"Période examinée : du {fr(window_start)} au décès le {fr(death_date)} "
        f"({window.french()} précédant le décès)."
    ]

    if employed_until is not None:
        if employed_until >= window_start:
            grounds.append("activité salariée")
            reasons.append(
                f"Activité salariée jusqu'au {fr(employed_until)}, dans les {window.french()} "
                f"précédant le décès : droit ouvert."
            )
        else:
            reasons.append(
                f"Activité salariée terminée le {fr(employed_until)}, avant le "
                f"{fr(window_start)} : ne suffit pas."
            )
    if unemployment_benefit_until is not None:
        used.append((unemployment_pv, death_date))
        long_window: Duration = unemployment_pv.value
        long_start = long_window.before(death_date)
        if unemployment_benefit_until >= window_start:
            grounds.append("indemnisation Pôle emploi")
            reasons.append(
                f"Indemnisé par Pôle emploi jusqu'au {fr(unemployment_benefit_until)}, dans les "
                f"{window.french()} précédant le décès : droit ouvert."
            )
        elif unemployment_benefit_until >= long_start:
            grounds.append("indemnisation Pôle emploi au cours des 12 derniers mois")
            reasons.append(
                f"Dernière indemnisation Pôle emploi le {fr(unemployment_benefit_until)}, dans "
                f"les {long_window.french()} précédant le décès (depuis le {fr(long_start)}) : "
                f"droit ouvert."
            )
        else:
            reasons.append(
                f"Dernière indemnisation Pôle emploi le {fr(unemployment_benefit_until)}, avant "
                f"le {fr(long_start)} : ne suffit pas."
            )
    if invalidity_pension:
        grounds.append("pension d'invalidité")
        reasons.append("Titulaire d'une pension d'invalidité : droit ouvert.")
    if rate is not None:
        used.append((rate_pv, death_date))
        threshold = Decimal(str(rate_pv.value))
        shown = f"{rate.normalize():f}".replace(".", ",")
        minimum = f"{threshold.normalize():f}".replace(".", ",")
        if rate >= threshold:
            grounds.append("rente AT/MP")
            reasons.append(
                f"Rente AT/MP pour une incapacité permanente de {shown} %, au moins {minimum} % : "
                f"droit ouvert."
            )
        else:
            reasons.append(
                f"Rente AT/MP pour une incapacité permanente de {shown} %, moins de {minimum} % : "
                f"ne suffit pas."
            )
    if grounds:
        reasons.append("Capital décès : montant forfaitaire, versé aux proches sur demande.")
    else:
        reasons.append("Aucune des situations ouvrant le capital décès n'est remplie.")
    described, warnings = trace_parameters(*used)
    return CapitalDeces(
        open=bool(grounds),
        grounds=tuple(grounds),
        rules=("CD-1",),
        reasons=tuple(reasons),
        parameters=described,
        warnings=warnings,
    )


# --------------------------------------------------------------------------------------------
# ASS-1: action sanitaire et sociale
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionSanitaireSociale:
    """ASS-1: one-off financial aid of the fund in hardship caused by health problems."""

    eligible: bool
    recipient: Recipient
    recipient_label: str
    #: Always False: extra-legal aid, a refusal cannot be contested.
    contestable: bool
    rules: tuple[str, ...]
    reasons: tuple[str, ...]


def action_sanitaire_sociale(
    *, regular_situation: bool, affiliated_to_cnpe: bool
) -> ActionSanitaireSociale:
    """ASS-1: may an ASS request be made, and where to send it.

    Promise: eligible only in regular situation; the request goes to the CNPE when the person
    is affiliated to it, otherwise to the CPAM of affiliation; ``contestable`` is always False
    (extra-legal aid: a refusal cannot be contested).
    """
    if affiliated_to_cnpe:
        recipient: Recipient = "CNPE"
        label = "le CNPE"
    else:
        recipient = "CPAM_AFFILIATION"
        label = "la CPAM d'affiliation"
    reasons = [
        "Aide financière ponctuelle en cas de situation matérielle difficile causée par la "
        "dégradation de l'état de santé."
    ]
    if regular_situation:
        reasons.append(f"Personne en situation régulière : demande possible, à adresser à {label}.")
    else:
        reasons.append("Demande réservée aux assurés en situation régulière : pas possible ici.")
    reasons.append("Aide extra-légale : un refus ne peut pas être contesté.")
    return ActionSanitaireSociale(
        eligible=regular_situation,
        recipient=recipient,
        recipient_label=label,
        contestable=False,
        rules=("ASS-1",),
        reasons=tuple(reasons),
    )


# --------------------------------------------------------------------------------------------
# INV-2: new invalidity claim
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InvalidityClaimRecipient:
    """INV-2: where a new invalidity pension claim is sent."""

    recipient: Recipient
    recipient_label: str
    rules: tuple[str, ...]
    reasons: tuple[str, ...]


def invalidity_claim_recipient(
    *, in_custody: bool, amenagement_with_activity: bool
) -> InvalidityClaimRecipient:
    """INV-2: recipient of a new invalidity claim.

    ``in_custody``: under écrou (incarcerated or in an aménagement de peine sous écrou);
    ``amenagement_with_activity``: in an aménagement with professional activity, paid training
    or unemployment benefits.

    Promise: under écrou without such activity → **CNPE** (INV-2); in an aménagement with
    activity → the **CPAM of residence**, the fund of affiliation (AFF-3); not under écrou →
    the CPAM of residence. The claim is examined « sous réserve des droits ».
    """
    if in_custody and not amenagement_with_activity:
        return InvalidityClaimRecipient(
            recipient="CNPE",
            recipient_label="le CNPE",
            rules=("INV-2",),
            reasons=(
                "Nouvelle demande pendant l'incarcération ou un aménagement de peine sans "
                "activité professionnelle : dossier à adresser au CNPE, étudié sous réserve des "
                "droits.",
            ),
        )
    if in_custody:
        return InvalidityClaimRecipient(
            recipient="CPAM_RESIDENCE",
            recipient_label="la CPAM de résidence",
            rules=("INV-2", "AFF-3"),
            reasons=(
                "Aménagement de peine avec activité professionnelle, formation rémunérée ou "
                "indemnités chômage : la personne relève de la CPAM de résidence, qui reçoit la "
                "demande.",
            ),
        )
    return InvalidityClaimRecipient(
        recipient="CPAM_RESIDENCE",
        recipient_label="la CPAM de résidence",
        rules=("INV-2",),
        reasons=("Personne non écrouée : la demande va à sa CPAM de résidence.",),
    )
