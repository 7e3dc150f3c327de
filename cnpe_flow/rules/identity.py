"""Immatriculation et affiliation de base (PUMa) : les règles qui demandent des données absentes
du contrat de dossier.

Règles du catalogue couvertes : PUMA-4 (NIR définitif ou NIA provisoire, carte Vitale) et PUMA-1
(conditions de la PUMa, affiliation individuelle à 18 ans, 16 ans sur demande).

Confidentialité : un numéro de sécurité sociale est une donnée personnelle. Ce module ne
l'écrit dans aucun journal, ne le cite dans aucun message, et ne le montre pas dans la
représentation (``repr``) du résultat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import nir as stdnum_nir

from cnpe_flow.rules.c2s import trace_parameters
from cnpe_flow.rules.dates import Duration, age_on, fr
from cnpe_flow.rules.parameters import ParamValue, param

NumberKind = Literal["nir", "nia", "invalid"]
PumaStatus = Literal["individual", "as_dependant", "not_eligible", "unknown"]

# Structure of the number (INSEE / Comede guide, seed 004): 13 characters + a 2-digit key.
# These are format facts, not legal amounts or delays.
_BODY = 13
_KEY = 2
_NIR_FIRST = frozenset("12")
_NIA_FIRST = frozenset("78")
_CORSICA = ("2A", "2B")


@dataclass(frozen=True, slots=True)
class SocialSecurityNumberCheck:
    """PUMA-4: what kind of social security number was typed, and what it gives."""

    kind: NumberKind
    #: True for a NIR (carte Vitale possible), False for a NIA, None when invalid.
    carte_vitale: bool | None
    #: French sentence for the social worker; never contains the number.
    message: str
    rules: tuple[str, ...]
    #: The number without spaces, upper case (only when valid). Hidden from ``repr``.
    normalized: str | None = field(default=None, repr=False)


def _invalid(message: str) -> SocialSecurityNumberCheck:
    return SocialSecurityNumberCheck("invalid", None, f"Numéro invalide : {message}", ("PUMA-4",))


def classify_social_security_number(text: str) -> SocialSecurityNumberCheck:
    """PUMA-4: classify a social security number typed by a person (spaces accepted).

    Promise:
    - ``nir``: definitive number, first digit 1 or 2, 13 characters + a 2-digit key checked
      with python-stdnum (``stdnum.fr.nir``, Corsica 2A/2B handled as stdnum does): gives
      a carte Vitale;
    - ``nia``: provisional number (numéro identifiant d'attente), first digit 7 or 8, same
      format and the same key (97 − the 13 first digits mod 97, 2A/2B as stdnum): the same
      rights, but no carte Vitale and no ameli account;
    - ``invalid`` otherwise, the message naming what is wrong (characters, length, Corsica
      letters, first digit, key).
    Never raises for a string; never logs nor repeats the number in a message.
    """
    if not isinstance(text, str):
        return _invalid("une chaîne de caractères est attendue.")
    # Every kind of space (ordinary, non-breaking, tab) is a separator people type.
    compact = "".join(text.split()).upper()
    if not compact:
        return _invalid("aucun chiffre saisi.")
    if any(not (c.isascii() and (c.isdigit() or c in "AB")) for c in compact):
        return _invalid(
            "caractère non autorisé : seuls des chiffres sont acceptés (et 2A ou 2B pour un "
            "lieu de naissance en Corse)."
        )
    expected = _BODY + _KEY
    if len(compact) != expected:
        return _invalid(
            f"longueur incorrecte : {expected} caractères attendus (13 + clé de 2 chiffres), "
            f"{len(compact)} saisis."
        )
    letters_ok = compact[5:7] in _CORSICA and compact[:5].isdigit() and compact[7:].isdigit()
    if not compact.isdigit() and not letters_ok:
        return _invalid(
            "lettres acceptées seulement en 6e et 7e position, pour la Corse (2A ou 2B)."
        )
    first = compact[0]
    if first in _NIR_FIRST:
        try:
            stdnum_nir.validate(compact)
        except InvalidChecksum:
            return _invalid(
                "clé de contrôle incorrecte : les 2 derniers chiffres ne correspondent pas aux "
                "13 premiers (erreur de saisie probable)."
            )
        except ValidationError:
            return _invalid("format du NIR non reconnu.")
        return SocialSecurityNumberCheck(
            "nir",
            True,
            "NIR définitif (premier chiffre 1 ou 2) : donne droit à une carte Vitale.",
            ("PUMA-4",),
            compact,
        )
    if first in _NIA_FIRST:
        # Same key as the NIR (97 − n mod 97, 2A/2B replaced as stdnum does).
        if stdnum_nir.calc_check_digits(compact) != compact[_BODY:]:
            return _invalid(
                "clé de contrôle incorrecte : les 2 derniers chiffres ne correspondent pas aux "
                "13 premiers (erreur de saisie probable)."
            )
        return SocialSecurityNumberCheck(
            "nia",
            False,
            "Numéro provisoire (NIA, premier chiffre 7 ou 8) : il ouvre les mêmes droits, mais "
            "ne permet ni carte Vitale ni compte ameli ; le numéro définitif est attribué après "
            "vérification des pièces d'état civil.",
            ("PUMA-4",),
            compact,
        )
    return _invalid(
        f"premier chiffre {first} : ni un NIR définitif (1 ou 2) ni un numéro provisoire NIA "
        f"(7 ou 8)."
    )


# --------------------------------------------------------------------------------------------
# PUMA-1: base coverage and individual affiliation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PumaAffiliation:
    """PUMA-1: base coverage (PUMa) and whether the affiliation is individual."""

    #: ``individual``: affiliated in own name; ``as_dependant``: a minor covered through the
    #: parents (ayant droit); ``not_eligible``; ``unknown`` when an input is missing.
    status: PumaStatus
    age: int
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    parameters: tuple[str, ...]
    warnings: tuple[str, ...]


def puma_individual_affiliation(
    *,
    birth_date: date,
    at: date,
    requested_at_16: bool,
    stable_residence_since: date | None,
    regular_situation: bool,
    declared_professional_activity: bool,
) -> PumaAffiliation:
    """PUMA-1: is the person covered by the PUMa on ``at``, and in their own name?

    Promise:
    - not in regular situation: ``not_eligible`` (AME route);
    - otherwise covered when there is a declared professional activity **or** a stable and
      regular residence of at least 3 months (``puma_residence_minimum``): holds from
      ``stable_residence_since + 3 months`` included; ``unknown`` if that date is missing;
    - when covered: ``individual`` from 18 (``puma_individual_age.individual_from``), or from
      16 (``on_request_from``) if requested; younger: ``as_dependant`` (ayant droit of the
      parents). Ages in whole years on ``at``.
    Raises ``ValueError`` when the birth or the residence start is after ``at``.
    """
    if birth_date > at:
        raise ValueError("birth_date : la date de naissance est après la date d'examen.")
    if stable_residence_since is not None and stable_residence_since > at:
        raise ValueError("stable_residence_since : la date est après la date d'examen.")
    age = age_on(birth_date, at)
    ages_pv = param("puma_individual_age", at)
    used: list[tuple[ParamValue, date]] = [(ages_pv, at)]
    reasons: list[str] = []
    missing: list[str] = []

    def result(status: PumaStatus) -> PumaAffiliation:
        described, warnings = trace_parameters(*used)
        return PumaAffiliation(
            status=status,
            age=age,
            rules=("PUMA-1",),
            reasons=tuple(reasons),
            missing=tuple(missing),
            parameters=described,
            warnings=warnings,
        )

    if not regular_situation:
        reasons.append(
            "Pas en situation régulière au regard du droit au séjour : pas de PUMa (voir l'AME)."
        )
        return result("not_eligible")
    if declared_professional_activity:
        reasons.append(
            "Activité professionnelle déclarée en France : condition de la PUMa remplie."
        )
    else:
        res_pv = param("puma_residence_minimum", at)
        used.append((res_pv, at))
        minimum: Duration = res_pv.value
        if stable_residence_since is None:
            missing.append("stable_residence_since")
            reasons.append(
                f"Ni activité déclarée ni date de début de résidence connue : la condition de "
                f"résidence stable et régulière de {minimum.french()} n'est pas vérifiable."
            )
            return result("unknown")
        met_on = minimum.after(stable_residence_since)
        if at < met_on:
            reasons.append(
                f"Résidence stable et régulière depuis le {fr(stable_residence_since)} : moins "
                f"de {minimum.french()} au {fr(at)} (condition remplie à partir du "
                f"{fr(met_on)}), sauf exceptions où seule la régularité est exigée (étudiants, "
                f"regroupement familial, mineurs demandeurs d'asile)."
            )
            return result("not_eligible")
        reasons.append(
            f"Résidence stable et régulière depuis le {fr(stable_residence_since)} : au moins "
            f"{minimum.french()} au {fr(at)}."
        )
    individual_from = int(ages_pv.value["individual_from"])
    on_request_from = int(ages_pv.value["on_request_from"])
    if age >= individual_from:
        reasons.append(f"{age} ans : affiliation individuelle (à partir de {individual_from} ans).")
        return result("individual")
    if age >= on_request_from and requested_at_16:
        reasons.append(
            f"{age} ans : affiliation individuelle demandée, possible à partir de "
            f"{on_request_from} ans."
        )
        return result("individual")
    if age >= on_request_from:
        reasons.append(
            f"{age} ans : couvert comme ayant droit de ses parents ; une affiliation "
            f"individuelle peut être demandée dès {on_request_from} ans."
        )
    else:
        reasons.append(
            f"{age} ans : couvert comme ayant droit de ses parents (affiliation individuelle "
            f"sur demande à partir de {on_request_from} ans)."
        )
    return result("as_dependant")
