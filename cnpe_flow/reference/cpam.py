"""Caisses primaires (CPAM, CGSS, CSS Mayotte) by département (table ``data/cpam.csv``).

The addresses come from a 2022 list compiled from ameli.fr (secondary source, see
``data/SOURCES.md``).  Four départements have several caisses (59, 62, 64, 76) and our sources
do not say which communes each one serves: the lookup then returns every candidate, flagged
ambiguous, and never picks one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from functools import cache, lru_cache

from cnpe_flow.reference._tables import read_table

AMELI_POSTCODE_SEARCH = "la recherche par code postal d’ameli.fr"

# Overseas prefixes that are postcodes of a département (971-976).  975 is Saint-Pierre-et-
# Miquelon, a collectivité with its own social protection, but it is the code used elsewhere.
_OVERSEAS = frozenset({"971", "972", "973", "974", "975", "976"})
# 98xxx: only these collectivités get a code (the one used by the establishments table);
# 980xx is Monaco (not France) and 984xx the TAAF: no département, no CPAM.
_PACIFIC = frozenset({"986", "987", "988"})
# Collectivités d'outre-mer with their own social protection: no CPAM in our tables.
_OWN_SYSTEM = {
    "975": "Saint-Pierre-et-Miquelon",
    "986": "Wallis-et-Futuna",
    "987": "Polynésie française",
    "988": "Nouvelle-Calédonie",
}
# Postcodes of 971 that serve the collectivités of Saint-Barthélemy and Saint-Martin.
_GUADELOUPE_COM = {"97133": "Saint-Barthélemy", "97150": "Saint-Martin"}


@dataclass(frozen=True, slots=True)
class Cpam:
    """One caisse of ``cpam.csv``; ``address`` is empty when the sources did not give it."""

    departement: str
    name: str
    address: str  # street part, comma-separated lines; "" = unknown
    postcode: str
    city: str
    code_organisme: str
    note: str  # French remarks from the sources, incl. "adresse postale inconnue"
    source: str

    @property
    def address_known(self) -> bool:
        """True when a full postal address (street part and postcode) is known."""
        return bool(self.address and self.postcode and self.city)

    def address_lines(self) -> list[str]:
        """Postal lines for a letter (name, street lines, "postcode city").

        Empty when the address is unknown, so that a letter cannot go out half addressed.
        """
        if not self.address_known:
            return []
        lines = [self.name]
        # The source sometimes uses the caisse's name as the whole street part (Cedex mail).
        lines += [part.strip() for part in self.address.split(",") if part.strip() != self.name]
        lines.append(f"{self.postcode} {self.city}")
        return lines


@dataclass(frozen=True, slots=True)
class CpamMatch:
    """Result of :func:`cpam_for_postcode`.

    ``candidates`` holds one caisse for most départements, several where the département has
    several and our sources cannot choose (``ambiguous``), none when no CPAM applies or the
    postcode is not valid.  ``note`` is a French explanation for the user ("" when there is
    nothing to add).
    """

    departement: str | None
    candidates: tuple[Cpam, ...]
    ambiguous: bool
    note: str


_COLUMNS = tuple(f.name for f in fields(Cpam))


@cache
def load_cpam() -> tuple[Cpam, ...]:
    """Every caisse of the packaged table, in table order."""
    return tuple(Cpam(**row) for row in read_table("cpam.csv", _COLUMNS))


@cache
def _by_departement() -> dict[str, tuple[Cpam, ...]]:
    grouped: defaultdict[str, list[Cpam]] = defaultdict(list)
    for caisse in load_cpam():
        grouped[caisse.departement].append(caisse)
    return {departement: tuple(items) for departement, items in grouped.items()}


def cpam_for_departement(departement: str) -> tuple[Cpam, ...]:
    """The caisses of a département code ("01".."95", "2A", "2B", "971".."976"); may be empty."""
    return _by_departement().get(departement.strip().upper(), ())


def _clean_postcode(postcode: str) -> str | None:
    """Five ASCII digits, spaces allowed ("75 011"); anything else -> None."""
    if not isinstance(postcode, str):
        return None
    digits = "".join(postcode.split())
    if len(digits) != 5 or not (digits.isascii() and digits.isdigit()):
        return None
    return digits


def departement_for_postcode(postcode: str) -> str | None:
    """The département code of a French residence postcode, or ``None``.

    Rules:
    - metropolitan France: the first two digits ("01".."95"), except "20" (Corsica):
      20000-20199 -> "2A" (Corse-du-Sud), 20200-20699 -> "2B" (Haute-Corse); other 20xxx
      (CEDEX codes) are not residence postcodes -> ``None``;
    - 97xxx: the first three digits when they are 971-976 (97133 Saint-Barthélemy and 97150
      Saint-Martin give "971", the département they belonged to until 2007);
    - 98xxx: "986", "987", "988" (Wallis-et-Futuna, Polynésie, Nouvelle-Calédonie, kept for
      consistency with the establishments table); Monaco (980xx), TAAF and others -> ``None``;
    - "00xxx", "96xxx", "99xxx", anything that is not five digits -> ``None``.
    """
    digits = _clean_postcode(postcode)
    if digits is None:
        return None
    head = digits[:2]
    if head == "20":
        number = int(digits)
        if number < 20200:
            return "2A"
        return "2B" if number < 20700 else None
    if head == "97":
        return digits[:3] if digits[:3] in _OVERSEAS else None
    if head == "98":
        return digits[:3] if digits[:3] in _PACIFIC else None
    # Départements run from 01 to 95 (99 is INSEE's code for abroad, not a postcode).
    if not "01" <= head <= "95":
        return None
    return head


def _several_note(departement: str, candidates: tuple[Cpam, ...]) -> str:
    names = ", ".join(caisse.name for caisse in candidates)
    unknown = [caisse.name for caisse in candidates if not caisse.address_known]
    note = (
        f"Le département {departement} compte plusieurs caisses ({names}). Nos sources ne "
        "disent pas quelles communes relèvent de chacune : "
        f"{AMELI_POSTCODE_SEARCH} fait foi (reference-data §3)."
    )
    if unknown:
        note += f" Adresse postale inconnue pour : {', '.join(unknown)}."
    return note


@lru_cache(maxsize=4096)
def cpam_for_postcode(postcode: str) -> CpamMatch:
    """The caisse(s) serving a residence postcode, with a French note when in doubt."""
    departement = departement_for_postcode(postcode)
    if departement is None:
        digits = _clean_postcode(postcode)
        if digits is not None and digits.startswith("980"):
            note = f"Le code postal {digits} est celui de Monaco : pas de CPAM française."
        else:
            note = (
                f"Code postal « {postcode} » non reconnu : "
                "cinq chiffres d’un département français attendus."
            )
        return CpamMatch(None, (), False, note)

    candidates = cpam_for_departement(departement)
    if departement in _OWN_SYSTEM:
        note = (
            f"{_OWN_SYSTEM[departement]} a son propre régime de protection sociale : "
            "pas de CPAM dans nos tables (reference-data §1.3, §3)."
        )
        return CpamMatch(departement, candidates, len(candidates) > 1, note)
    if not candidates:
        note = f"Aucune caisse connue pour le département {departement} dans nos tables."
        return CpamMatch(departement, (), False, note)
    if len(candidates) > 1:
        return CpamMatch(departement, candidates, True, _several_note(departement, candidates))

    caisse = candidates[0]
    notes: list[str] = []
    if not caisse.address_known:
        notes.append(
            f"Adresse postale de la caisse ({caisse.name}) inconnue dans nos sources : "
            "la vérifier sur ameli.fr avant tout envoi."
        )
    territory = _GUADELOUPE_COM.get(_clean_postcode(postcode) or "")
    if territory is not None:
        notes.append(
            f"Code postal de {territory} (collectivité d’outre-mer) : rattachement à la "
            f"{caisse.name} non vérifié dans nos sources."
        )
    return CpamMatch(departement, candidates, False, " ".join(notes))
