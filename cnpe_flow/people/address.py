"""The release address: where the person will live or receive mail after release.

Three kinds, as SPIP workers meet them: a personal address, hosted by someone (« chez … »), or
a domiciliation at an organisation (CCAS, association agréée) for people without a stable
home. None means no address yet: the person then goes to the CPAM themselves (AFF-6).

Lines follow the French postal standard (NF Z10-011): at most 38 characters each, the
postcode and the city on the last line. The postcode is checked by the rules engine, like the
contract's ``residence_postcode``, which follows it.
"""

from __future__ import annotations

from typing import Any

from cnpe_flow.rules import CaseError, Problem, parse_case

KINDS = ("personal", "hosted", "domiciliation")
KIND_LABELS = {
    "personal": "Adresse personnelle",
    "hosted": "Hébergé·e chez un tiers",
    "domiciliation": "Domiciliation (CCAS, association)",
}
#: what ``care_of`` means for each kind (None: not asked)
CARE_OF_LABELS = {
    "personal": None,
    "hosted": "Nom de la personne qui héberge",
    "domiciliation": "Organisme de domiciliation",
}
LINE_LENGTH = 38
MAX_LINES = 3
_KEYS = ("kind", "care_of", "lines", "postcode", "city")
FIELD = "release_address"


def read_release_address(raw: Any) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The checked address (keys in the contract's order) or None, and the problems found.

    Each problem names its part: ``release_address.lines``, ``release_address.postcode`` …
    """
    if raw is None:
        return None, []
    if not isinstance(raw, dict):
        return None, [Problem(FIELD, "un objet est attendu (ou null : pas encore d'adresse)")]
    problems: list[Problem] = []
    unknown = sorted(str(k) for k in raw if k not in _KEYS)
    if unknown:
        problems.append(
            Problem(
                FIELD, f"champ(s) inconnu(s) : {', '.join(unknown)} (attendus : {', '.join(_KEYS)})"
            )
        )
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.append(
            Problem(
                f"{FIELD}.kind",
                "choisissez le type d'adresse (personal : adresse personnelle, hosted : "
                "hébergé·e chez un tiers, domiciliation : CCAS ou association)"
                if kind is None
                else f"« {kind} » n'est pas un type d'adresse (personal, hosted, domiciliation)",
            )
        )
    care_of = _line(raw.get("care_of"), f"{FIELD}.care_of", problems)
    if kind in ("hosted", "domiciliation") and care_of is None:
        what = "le nom de la personne qui héberge" if kind == "hosted" else "l'organisme"
        problems.append(Problem(f"{FIELD}.care_of", f"indiquez {what}"))
    lines = _lines(raw.get("lines"), problems)
    postcode = raw.get("postcode")
    if isinstance(postcode, str):
        postcode = "".join(postcode.split())
    problems += postcode_problems(postcode, f"{FIELD}.postcode")
    city = _line(raw.get("city"), f"{FIELD}.city", problems, limit=LINE_LENGTH - 6)
    if city is None and not any(p.field == f"{FIELD}.city" for p in problems):
        problems.append(Problem(f"{FIELD}.city", "indiquez la commune"))
    if problems:
        return None, problems
    return {
        "kind": kind,
        "care_of": care_of if kind != "personal" else None,
        "lines": lines,
        "postcode": postcode,
        "city": city.upper(),  # as La Poste prints the last line
    }, []


def postcode_problems(postcode: Any, field: str) -> list[Problem]:
    """The engine's own check of a postcode (five digits of a French département or overseas
    territory), so that the address, the forms and the contract say the same thing."""
    if postcode is None or postcode == "":
        return [Problem(field, "indiquez le code postal (5 chiffres)")]
    probe = {"birth_date": "1980-01-01", "residence_status": "regular", "carte_vitale": False}
    try:
        parse_case({"person": {**probe, "residence_postcode": postcode}, "events": []})
    except CaseError as exc:
        return [Problem(field, p.message) for p in exc.problems]
    return []


def _line(raw: Any, field: str, problems: list[Problem], limit: int = LINE_LENGTH) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        problems.append(Problem(field, "un texte est attendu"))
        return None
    text = " ".join(raw.split())
    if len(text) > limit:
        problems.append(
            Problem(field, f"{limit} caractères au plus (norme postale), {len(text)} saisis")
        )
        return None
    return text or None


def _lines(raw: Any, problems: list[Problem]) -> list[str]:
    field = f"{FIELD}.lines"
    if not isinstance(raw, list):
        problems.append(Problem(field, "une liste de 1 à 3 lignes d'adresse est attendue"))
        return []
    lines = []
    for i, item in enumerate(raw):
        line = _line(item, f"{field}[{i}]", problems)
        if line is not None:
            lines.append(line)
    if not lines and not any(p.field.startswith(field) for p in problems):
        problems.append(Problem(field, "indiquez au moins une ligne d'adresse (numéro et rue)"))
    elif len(lines) > MAX_LINES:
        problems.append(Problem(field, f"{MAX_LINES} lignes au plus"))
    return lines
