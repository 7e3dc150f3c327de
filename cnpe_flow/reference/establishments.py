"""Penitentiary establishments and their CNPE pole (table ``data/establishments.csv``).

The CNPE pole of an establishment (``NORD`` = CPAM de l'Oise, ``SUD`` = CPAM du Lot) is a
documented hypothesis, not an official allocation: ``pole_status`` says so on every row and must
be shown wherever the pole is used (see ``data/SOURCES.md``).

Lookups are forgiving about how people write a name ("CP Fresnes", "centre pénitentiaire de
Fresnes", "CP-FRESNES"…) but never guess: a query matching several establishments finds none,
and :func:`suggest_establishments` lists the candidates for the error message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from difflib import SequenceMatcher
from functools import cache, lru_cache

from cnpe_flow.reference._tables import ReferenceDataError, read_table

POLE_NORD = "NORD"
POLE_SUD = "SUD"
POLE_UNKNOWN = "UNKNOWN"  # Mayotte: whether the CNPE is competent is not known
POLE_OUTSIDE_CNPE = "OUTSIDE_CNPE"  # collectivités d'outre-mer with their own social protection
POLES = (POLE_NORD, POLE_SUD, POLE_UNKNOWN, POLE_OUTSIDE_CNPE)


@dataclass(frozen=True, slots=True)
class Establishment:
    """One row of ``establishments.csv`` (see ``data/SOURCES.md`` for each column's origin)."""

    code: str  # stable short id from the DGAP label, e.g. "CP-FRESNES"
    name: str  # full French name, e.g. "Centre pénitentiaire de Fresnes"
    type: str
    commune: str  # may carry a "[à vérifier]" marker from the source
    departement: str
    disp: str
    pole: str  # one of POLES
    pole_status: str  # French, keeps the hypothesis visible
    dgap_label: str  # label of the DGAP statistics, e.g. "CP FRESNES"
    code_commune_insee: str
    source: str


_COLUMNS = tuple(f.name for f in fields(Establishment))


@cache
def load_establishments() -> tuple[Establishment, ...]:
    """All establishments, in table order (read once from the packaged CSV)."""
    rows = read_table("establishments.csv", _COLUMNS)
    establishments = tuple(Establishment(**row) for row in rows)
    for item in establishments:
        # A mistyped pole after a hand edit must fail loudly, not route mail to no pole.
        if item.pole not in POLES:
            raise ReferenceDataError(f"establishments.csv: {item.code}: unknown pole {item.pole!r}")
    return establishments


# --- name normalisation -------------------------------------------------------------------

# Letters that NFKD does not split into a base letter + accent.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
# "m.a." / "c.p" -> "ma" / "cp", before dots become spaces.
_DOTTED_INITIALS = re.compile(r"(?<![a-z0-9])(?:[a-z]\.)+[a-z]?(?![a-z0-9])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Elided or small words people add or drop freely ("CP de Fresnes", "MA du Puy-en-Velay").
_SMALL_WORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "et", "l", "la", "le", "les"})
# Spelled-out types -> the DGAP abbreviations, matched on words after small words are removed.
_PHRASES: dict[tuple[str, ...], str] = {
    ("maison", "arret"): "ma",
    ("centre", "penitentiaire"): "cp",
    ("centre", "detention"): "cd",
    ("maison", "centrale"): "mc",
    ("centre", "semi", "liberte"): "csl",
    ("quartier", "semi", "liberte"): "qsl",
    ("etablissement", "penitentiaire", "pour", "mineurs"): "epm",
    ("etablissement", "penitentiaire", "specialise", "pour", "mineurs"): "epm",
    ("etablissement", "pour", "mineurs"): "epm",
    ("st",): "saint",  # DGAP labels write "ST MALO", names "Saint-Malo"
    ("ste",): "sainte",
}
_LONGEST_PHRASE = max(len(words) for words in _PHRASES)
_TYPE_WORDS = frozenset({"ma", "cp", "cd", "mc", "csl", "epm"})


def _fold(text: str) -> str:
    """Lowercase ASCII: accents removed, ligatures spelled out."""
    text = text.casefold().translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=8192)
def _normalize(text: str) -> str:
    folded = _fold(text)
    folded = _DOTTED_INITIALS.sub(lambda match: match.group().replace(".", ""), folded)
    words = [w for w in _NON_ALNUM.split(folded) if w and w not in _SMALL_WORDS]
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            replacement = _PHRASES.get(tuple(words[i : i + size]))
            if replacement is not None:
                out.append(replacement)
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    # "Fresnes CP" and "CP Fresnes" are the same establishment: the type goes first.
    if out and out[0] not in _TYPE_WORDS:
        type_at = next((n for n, word in enumerate(out) if word in _TYPE_WORDS), None)
        if type_at is not None:
            out.insert(0, out.pop(type_at))
    return " ".join(out)


def normalize_establishment_name(text: str) -> str:
    """Forgiving comparison key for an establishment name, label or code.

    Case, accents, punctuation and small words (de, du, la, l'…) are ignored, and spelled-out
    types become the DGAP abbreviations, so "Maison d'arrêt de Nice", "M.A. Nice" and "MA NICE"
    all give ``"ma nice"``.
    """
    return _normalize(text)


# --- lookups ------------------------------------------------------------------------------


@cache
def _indexes() -> tuple[dict[str, Establishment], dict[str, tuple[Establishment, ...]]]:
    """(code -> establishment, normalised name or label -> establishments), built once."""
    establishments = load_establishments()
    by_code = {item.code: item for item in establishments}
    by_key: dict[str, list[Establishment]] = {}
    for item in establishments:
        for key in (_normalize(item.name), _normalize(item.dgap_label), _normalize(item.code)):
            bucket = by_key.setdefault(key, [])
            if item not in bucket:
                bucket.append(item)
    return by_code, {key: tuple(bucket) for key, bucket in by_key.items()}


def find_establishment(text: str) -> Establishment | None:
    """The establishment ``text`` names (code, full name or DGAP label), or ``None``.

    ``None`` also when the name fits several establishments: the caller should then show
    :func:`suggest_establishments` rather than pick one.
    """
    by_code, by_key = _indexes()
    found = by_code.get(text.strip().upper())
    if found is not None:
        return found
    matches = by_key.get(_normalize(text), ())
    return matches[0] if len(matches) == 1 else None


def _split_type(key: str) -> tuple[str, str]:
    """``"cp fresnes"`` -> ``("cp", "fresnes")``; no type -> ``("", key)``."""
    head, _, rest = key.partition(" ")
    return (head, rest) if head in _TYPE_WORDS else ("", key)


def suggest_establishments(text: str, limit: int = 3) -> list[str]:
    """Names of the known establishments closest to ``text``, best first (for error messages).

    When ``text`` is ambiguous, all the establishments it fits are listed.
    """
    key = _normalize(text)
    if not key or limit <= 0:
        return []
    _, by_key = _indexes()
    exact = by_key.get(key, ())
    if len(exact) > 1:
        return [item.name for item in exact]
    query_type, query_place = _split_type(key)
    best: dict[str, float] = {}
    for candidate, items in by_key.items():
        score = SequenceMatcher(None, key, candidate).ratio()
        candidate_type, candidate_place = _split_type(candidate)
        if query_place and candidate_place:
            # The right place under another type ("MA Fleury-Mérogis" for a CP) still helps.
            place_score = SequenceMatcher(None, query_place, candidate_place).ratio()
            if candidate_place.startswith(query_place + " "):
                # "Fleury" for "Fleury-Mérogis": a leading part of the place is a good hint.
                place_score = max(place_score, 0.85)
            if candidate_type != query_type:
                place_score *= 0.9
            score = max(score, place_score)
        if score >= 0.6:
            for item in items:
                best[item.name] = max(score, best.get(item.name, 0.0))
    ranked = sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))
    return [name for name, _ in ranked[:limit]]
