"""Immatriculation (PUMA-4) : NIR définitif ou NIA provisoire, et ce qu'il donne (carte Vitale).
Utilisé par les formulaires de la personne (``people/validation.py``) ; PUMA-1 est dans
``puma_individual``.

Confidentialité : un numéro de sécurité sociale est une donnée personnelle. Ce module ne
l'écrit dans aucun journal, ne le cite dans aucun message, et ne le montre pas dans la
représentation (``repr``) du résultat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import nir as stdnum_nir

NumberKind = Literal["nir", "nia", "invalid"]

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


def classify_social_security_number(text: object) -> SocialSecurityNumberCheck:
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
