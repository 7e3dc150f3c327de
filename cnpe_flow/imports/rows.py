"""One roster row, checked: each wrong cell gives a message naming its column.

Identity cells go through the same reader as the person forms and the API
(:func:`cnpe_flow.people.validation.read_person`), so a file says the same thing about the same
mistake; only the field names are the file's columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cnpe_flow.errors import InvalidInput
from cnpe_flow.imports.columns import REQUIRED_VALUES
from cnpe_flow.people.forms import read_date
from cnpe_flow.people.operations import fold
from cnpe_flow.people.validation import read_person
from cnpe_flow.reference.establishments import (
    Establishment,
    find_establishment,
    suggest_establishments,
)
from cnpe_flow.rules.raw_values import EARLIEST, LATEST

#: the person fields' names in the file
PERSON_COLUMNS = {
    "last_name": "nom",
    "first_name": "prenom",
    "birth_date": "date_naissance",
    "nir": "nir",
    "ecrou_number": "numero_ecrou",
    "residence_postcode": "code_postal_sortie",
    "residence_status": "situation_sejour",
    "carte_vitale": "carte_vitale",
}
_RESIDENCE = {"reguliere": "regular", "irreguliere": "irregular"}
_YES_NO = {"oui": True, "o": True, "non": False, "n": False}


class RowRefused(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class RosterRow:
    line: int
    #: checked person fields (``read_person`` names); optional columns only when given
    person: dict[str, Any]
    establishment: Establishment
    ecrou_date: date
    planned_release: date | None
    levee: date | None
    #: the optional person fields the row gives (residence, carte Vitale, postcode, NIR)
    given: set[str] = field(default_factory=set)

    @property
    def name_key(self) -> tuple[str, date]:
        """Name, first name and birth date, accents and case folded (the last matching step)."""
        return (
            fold(f"{self.person['last_name']} {self.person['first_name']}"),
            self.person["birth_date"],
        )

    @property
    def display_name(self) -> str:
        return f"{self.person['last_name'].upper()} {self.person['first_name']}"


def _date(cells: dict[str, str], column: str, problems: list[str]) -> date | None:
    text = cells.get(column, "")
    try:
        value = read_date(text)
    except ValueError:
        problems.append(f"{column} : {text} n'est pas une date")
        return None
    if value is not None and not EARLIEST <= value <= LATEST:
        problems.append(f"{column} : {text} est hors de la période plausible")
        return None
    return value


def read_row(line: int, cells: dict[str, str]) -> RosterRow:
    """The row's values, or :class:`RowRefused` with one message per wrong cell."""
    problems = [f"{c} : champ obligatoire vide" for c in REQUIRED_VALUES if not cells.get(c)]
    if problems:
        raise RowRefused(problems)
    born = _date(cells, "date_naissance", problems)
    ecrou = _date(cells, "date_ecrou", problems)
    planned = _date(cells, "date_sortie_prevue", problems)
    levee = _date(cells, "date_levee_ecrou", problems)
    establishment = find_establishment(cells["etablissement"])
    if establishment is None:
        close = suggest_establishments(cells["etablissement"])
        hint = f" ; vouliez-vous dire : {', '.join(close)} ?" if close else ""
        problems.append(f"etablissement : établissement inconnu « {cells['etablissement']} »{hint}")
    raw: dict[str, Any] = {
        "last_name": cells["nom"],
        "first_name": cells["prenom"],
        "ecrou_number": cells["numero_ecrou"],
    }
    if born is not None:
        raw["birth_date"] = born.isoformat()
    given = set()
    if cells.get("nir"):
        raw["nir"] = cells["nir"]
        given.add("nir")
    if cells.get("code_postal_sortie"):
        postcode = cells["code_postal_sortie"].replace(" ", "")
        # a spreadsheet turns 01000 into the number 1000
        raw["residence_postcode"] = postcode.zfill(5) if postcode.isdigit() else postcode
        given.add("residence_postcode")
    if cells.get("situation_sejour"):
        status = _RESIDENCE.get(fold(cells["situation_sejour"]))
        if status is None:
            problems.append(
                f"situation_sejour : « {cells['situation_sejour']} » : reguliere ou irreguliere"
            )
        else:
            raw["residence_status"] = status
            given.add("residence_status")
    if cells.get("carte_vitale"):
        has_card = _YES_NO.get(fold(cells["carte_vitale"]))
        if has_card is None:
            problems.append(f"carte_vitale : « {cells['carte_vitale']} » : oui ou non")
        else:
            raw["carte_vitale"] = has_card
            given.add("carte_vitale")
    try:
        person = read_person(raw, partial=True)
    except InvalidInput as exc:
        person = {}
        problems.extend(
            f"{PERSON_COLUMNS.get(p.field, p.field)} : {p.message}" for p in exc.problems
        )
    if problems:
        raise RowRefused(problems)
    assert establishment is not None and ecrou is not None
    return RosterRow(line, person, establishment, ecrou, planned, levee, given)
