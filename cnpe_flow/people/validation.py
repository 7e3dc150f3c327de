"""Identity and situation fields of a person, checked at the edge (French messages per field).

The contract's ``person`` fields are checked by the rules engine itself, so the web app, the
API and the command line give the same messages.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from cnpe_flow.clock import today_paris
from cnpe_flow.errors import InvalidInput
from cnpe_flow.people.address import read_release_address
from cnpe_flow.reference.establishments import find_establishment, suggest_establishments
from cnpe_flow.rules import CaseError, Problem, parse_case
from cnpe_flow.rules.identity import classify_social_security_number

IDENTITY_FIELDS = ("last_name", "first_name", "birth_date", "nir", "ecrou_number", "establishment")
CONTRACT_FIELDS = (
    "birth_date",
    "residence_status",
    "carte_vitale",
    "residence_postcode",
    "benefits_before_ecrou",
)
_ECROU_NUMBER = re.compile(r"[0-9A-Za-z/ -]{1,40}")


def _text(
    raw: dict[str, Any], name: str, problems: list[Problem], *, required: bool, limit: int
) -> str | None:
    value = raw.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(Problem(name, "champ obligatoire manquant"))
        return None
    if not isinstance(value, str):
        problems.append(Problem(name, "un texte est attendu"))
        return None
    value = " ".join(value.split())
    if len(value) > limit:
        problems.append(Problem(name, f"{limit} caractères au plus"))
        return None
    return value


def establishment_code(name: str, field: str = "establishment") -> str:
    """The reference code of an establishment typed by a person, or a message with suggestions."""
    found = find_establishment(name)
    if found is None:
        close = suggest_establishments(name)
        hint = f" ; vouliez-vous dire : {', '.join(close)} ?" if close else ""
        raise InvalidInput.one(field, f"établissement inconnu « {name} »{hint}")
    return found.code


def read_person(raw: Any, *, partial: bool = False) -> dict[str, Any]:
    """Checked person fields (identity and the contract's ``person``) ready for the model.

    With ``partial``, only the fields present are checked and returned (updates).
    """
    if not isinstance(raw, dict):
        raise InvalidInput.one("person", "un objet JSON est attendu")
    raw = dict(raw)  # the address may set the postcode it gives: the caller's dict stays as is
    problems: list[Problem] = []
    out: dict[str, Any] = {}

    def wanted(name: str) -> bool:
        return not partial or name in raw

    for name, limit in (("last_name", 100), ("first_name", 100)):
        if wanted(name):
            out[name] = _text(raw, name, problems, required=True, limit=limit)
    if wanted("nir"):
        nir = _text(raw, "nir", problems, required=False, limit=30)
        if nir is not None:
            check = classify_social_security_number(nir)
            if check.kind == "invalid":
                problems.append(Problem("nir", check.message))
            else:
                nir = check.normalized
        out["nir"] = nir
    if wanted("ecrou_number"):
        number = _text(raw, "ecrou_number", problems, required=False, limit=40)
        if number is not None and not _ECROU_NUMBER.fullmatch(number):
            problems.append(Problem("ecrou_number", "chiffres, lettres, « / » et « - » seulement"))
        out["ecrou_number"] = number
    if wanted("establishment"):
        name = _text(raw, "establishment", problems, required=False, limit=200)
        if name is not None:
            try:
                out["establishment_code"] = establishment_code(name)
            except InvalidInput as exc:
                problems.extend(exc.problems)
    if wanted("release_address"):
        _read_address(raw, out, problems)
    contract = {k: raw[k] for k in CONTRACT_FIELDS if k in raw}
    if contract or not partial:
        problems.extend(_contract_problems(contract, partial=partial))
        out.update(contract)
        if "birth_date" in contract and isinstance(contract["birth_date"], str):
            try:
                born = date.fromisoformat(contract["birth_date"])
            except ValueError:
                born = None
            if born is not None:
                out["birth_date"] = born
                if born > today_paris():
                    problems.append(Problem("birth_date", "la date de naissance est dans le futur"))
        if "benefits_before_ecrou" in contract and isinstance(
            contract["benefits_before_ecrou"], list
        ):
            out["benefits_before_ecrou"] = sorted(set(contract["benefits_before_ecrou"]))
    if problems:
        raise InvalidInput(problems)
    return out


def _read_address(raw: dict[str, Any], out: dict[str, Any], problems: list[Problem]) -> None:
    """The release address; the contract's ``residence_postcode`` follows it (an address
    gives its postcode, « no address yet » none unless a postcode alone is given)."""
    address, found = read_release_address(raw.get("release_address"))
    problems.extend(found)
    if found:
        return
    out["release_address"] = address
    given = raw.get("residence_postcode")
    if address is None:
        if "residence_postcode" not in raw:
            raw["residence_postcode"] = None
    elif given is not None and "".join(str(given).split()) != address["postcode"]:
        problems.append(
            Problem(
                "residence_postcode",
                f"le code postal suit l'adresse de sortie ({address['postcode']}) : modifiez "
                "l'adresse",
            )
        )
    else:
        raw["residence_postcode"] = address["postcode"]


def _contract_problems(contract: dict[str, Any], *, partial: bool) -> list[Problem]:
    """The engine's own messages for the contract's person fields, named without ``person.``."""
    # An update checks only what it changes: the other required fields get harmless values.
    filler = {"birth_date": "1980-01-01", "residence_status": "regular", "carte_vitale": False}
    probe = {**filler, **contract} if partial else dict(contract)
    try:
        parse_case({"person": probe, "events": []})
    except CaseError as exc:
        return [
            Problem(p.field.removeprefix("person."), p.message)
            for p in exc.problems
            if p.field.startswith("person")
        ]
    return []
