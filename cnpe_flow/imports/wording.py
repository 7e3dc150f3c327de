"""How an import names things in its report: columns, events, fields, establishments, people."""

from __future__ import annotations

from cnpe_flow.imports.columns import COLUMNS
from cnpe_flow.imports.rows import PERSON_COLUMNS
from cnpe_flow.people.models import CustodyEvent, Person
from cnpe_flow.people.validation import establishment_code
from cnpe_flow.reference.establishments import find_establishment
from cnpe_flow.rules.dates import fr

#: the column a date of each event type comes from (to name an engine problem by column)
EVENT_COLUMNS = {
    "ecrou": "date_ecrou",
    "transfer": "date_ecrou",
    "planned_release": "date_sortie_prevue",
    "levee_ecrou": "date_levee_ecrou",
}
EVENT_WORDS = {
    "ecrou": "mise sous écrou",
    "transfer": "transfert",
    "planned_release": "sortie prévue",
    "levee_ecrou": "levée d'écrou",
}
#: what a new person's file says when the row leaves the optional column empty
NEW_PERSON_DEFAULTS = {"residence_status": "regular", "carte_vitale": False}
FIELD_WORDS = {
    "ecrou_number": "numéro d'écrou",
    "nir": "NIR",
    "residence_postcode": "code postal de sortie",
    "residence_status": "situation de séjour",
    "carte_vitale": "carte Vitale",
}


def by_column(field_name: str, message: str, column: str) -> str:
    """An operation's problem named by the file's column."""
    if field_name in COLUMNS:
        name = field_name
    elif field_name in ("date", "event", "supersedes"):
        name = column
    elif field_name == "establishment":
        name = "etablissement"
    else:
        name = PERSON_COLUMNS.get(field_name.removeprefix("person."), column)
    return f"{name} : {message}"


def code_of(event: CustodyEvent) -> str:
    """The establishment code of a placing event (écrou or transfer)."""
    return establishment_code(event.data.get("establishment", ""))


def establishment_name(code: str) -> str:
    """An establishment's full name (the code when it is not in the reference data)."""
    found = find_establishment(code)
    return found.name if found else code


def who(person: Person) -> str:
    """The name, birth date and écrou number of a file: which one a row matched."""
    number = f", écrou n° {person.ecrou_number}" if person.ecrou_number else ""
    return f"{person.display_name} (né·e le {fr(person.birth_date)}{number})"
