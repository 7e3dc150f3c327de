"""Forms that change a person's file, and the turning of typed values into operation input
(the event form is in :mod:`cnpe_flow.people.event_forms`).

The forms only carry what was typed: the operations (and through them the rules engine) do the
checking, so the pages, the API and the command line give the same messages. What only a form
can get wrong (a date typed as JJ/MM/AAAA that does not exist, a postcode *and* "pas
d'adresse") is checked here.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from cnpe_flow.people.address import KIND_LABELS
from cnpe_flow.people.page_labels import EVENT_LABELS
from cnpe_flow.reference import find_establishment, load_establishments
from cnpe_flow.rules import Problem

YES_NO = [SelectChoice("oui", "Oui"), SelectChoice("non", "Non")]
BOOLEANS = {"oui": True, "non": False}

RESIDENCE_CHOICES = [
    SelectChoice("regular", "en situation régulière"),
    SelectChoice("irregular", "sans titre de séjour"),
]
BENEFIT_CHOICES = [
    SelectChoice("ij", "Indemnités journalières (IJ)"),
    SelectChoice("ald", "Affection de longue durée (ALD)"),
    SelectChoice("atmp_rente", "Rente d'accident du travail ou de maladie professionnelle"),
    SelectChoice("invalidity_pension", "Pension d'invalidité"),
]


_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# --- typed values -------------------------------------------------------------------------


def read_date(text: str | None) -> date | None:
    """A date typed as JJ/MM/AAAA or AAAA-MM-JJ (what ``<input type="date">`` sends).

    ``None`` for an empty field; :class:`ValueError` when it is not a date.
    """
    text = (text or "").strip()
    if not text:
        return None
    if found := _FRENCH_DATE.fullmatch(text):
        day, month, year = (int(part) for part in found.groups())
        return date(year, month, day)
    if _ISO_DATE.fullmatch(text):
        return date.fromisoformat(text)
    raise ValueError(text)


def not_a_date(text: str) -> str:
    """The message for a typed date that :func:`read_date` refuses."""
    return f"« {text.strip()} » n'est pas une date : saisissez-la en JJ/MM/AAAA"


def date_value(field: Field, problems: list[Problem]) -> str | None:
    """The ISO date of a date field, or ``None`` (empty, or not a date: then a problem)."""
    try:
        value = read_date(field.data)
    except ValueError:
        problems.append(Problem(field.name, not_a_date(field.data)))
        return None
    return value.isoformat() if value else None


def text_value(field: Field) -> str | None:
    return (field.data or "").strip() or None


#: a page form posted without the file's version (an old page, a script): nothing is saved
MISSING_VERSION = Problem(
    "version", "version du dossier absente du formulaire : rechargez la page et recommencez"
)


def read_int(text: Any) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


@cache
def establishment_names() -> tuple[str, ...]:
    """Every reference establishment's name, sorted, for the ``<datalist>``."""
    return tuple(sorted(e.name for e in load_establishments()))


def establishment_name(name_or_code: Any) -> str:
    """The full name of an establishment typed or stored (as given when unknown)."""
    if not isinstance(name_or_code, str) or not name_or_code:
        return ""
    found = find_establishment(name_or_code)
    return found.name if found is not None else name_or_code


def sentence(message: str) -> str:
    """A message fragment shown as a sentence (capital letter).

    A message that starts with a contract name (``ecrou``, ``levee_ecrou`` …) keeps it as it
    is written; the engine's messages about events are already French sentences.
    """
    first = message.split(" ", 1)[0]
    if not message or "_" in first or first in EVENT_LABELS:
        return message
    return message[:1].upper() + message[1:]


def attach_problems(
    form: FlaskForm,
    problems: list[Problem],
    shown: set[str],
    aliases: dict[str, str] | None = None,
) -> list[str]:
    """Put each problem next to its field; returns those that belong to no field shown.

    ``aliases`` names the field that shows a problem about something without a field of its
    own (the order of an event is changed through its date).
    """
    general: list[str] = []
    for problem in problems:
        message = sentence(problem.message)
        name = (aliases or {}).get(problem.field, problem.field)
        field = form._fields.get(name) if name in shown else None
        if field is None:
            if message not in general:
                general.append(message)
        elif message not in field.errors:
            field.errors = [*field.errors, message]
    return general


def merge_problems(local: list[Problem], checked: list[Problem]) -> list[Problem]:
    """The form's own problems first; the operation's ones on the same fields are left out."""
    fields = {p.field for p in local}
    return [*local, *(p for p in checked if p.field not in fields)]


# --- a person -------------------------------------------------------------------------------

IDENTITY_FORM_FIELDS = (
    "last_name",
    "first_name",
    "birth_date",
    "nir",
    "ecrou_number",
    "establishment",
    "residence_status",
    "carte_vitale",
    "address_kind",
    "address_care_of",
    "address_line1",
    "address_line2",
    "address_line3",
    "residence_postcode",
    "address_city",
)
#: where the problems of the release address are shown (``release_address.lines[1]`` …)
ADDRESS_PROBLEM_FIELDS = {
    "release_address": "address_kind",
    "release_address.kind": "address_kind",
    "release_address.care_of": "address_care_of",
    "release_address.lines": "address_line1",
    "release_address.lines[0]": "address_line1",
    "release_address.lines[1]": "address_line2",
    "release_address.lines[2]": "address_line3",
    "release_address.postcode": "residence_postcode",
    "release_address.city": "address_city",
}
NO_ADDRESS = "none"
ADDRESS_CHOICES = [
    SelectChoice(NO_ADDRESS, "Pas encore d'adresse"),
    *(SelectChoice(kind, label) for kind, label in KIND_LABELS.items()),
]
MEDICAL_FORM_FIELDS = ("benefits_before_ecrou",)


class PersonForm(FlaskForm):
    last_name = StringField("Nom")
    first_name = StringField("Prénom")
    birth_date = StringField("Date de naissance")
    nir = StringField(
        "NIR ou NIA",
        description="15 caractères avec la clé ; les espaces sont acceptés. Facultatif.",
    )
    ecrou_number = StringField("Numéro d'écrou", description="Facultatif.")
    establishment = StringField(
        "Établissement",
        description="Choisissez dans la liste ou tapez le nom (« CP Liancourt » suffit).",
    )
    residence_status = RadioField(
        "Situation au regard du séjour, à l'écrou",
        choices=RESIDENCE_CHOICES,
        validate_choice=False,
    )
    carte_vitale = RadioField("Carte Vitale", choices=YES_NO, validate_choice=False)
    address_kind = RadioField(
        "Adresse à la sortie",
        choices=ADDRESS_CHOICES,
        validate_choice=False,
        description="Où la personne vivra ou recevra son courrier : les courriers lui sont "
        "adressés là.",
    )
    address_care_of = StringField(
        "Chez / organisme",
        description="Hébergement : le nom de la personne qui héberge. Domiciliation : "
        "l'organisme (CCAS de …, association …).",
    )
    address_line1 = StringField("Numéro et voie")
    address_line2 = StringField("Complément d'adresse", description="Facultatif.")
    address_line3 = StringField("Complément (suite)", description="Facultatif.")
    residence_postcode = StringField(
        "Code postal",
        description="5 chiffres. Sans adresse complète, le code postal seul (s'il est connu) "
        "permet de trouver la CPAM.",
    )
    address_city = StringField("Commune")
    benefits_before_ecrou = MultiCheckboxField(
        "Prestations perçues avant l'écrou", choices=BENEFIT_CHOICES, validate_choice=False
    )
    version = HiddenField()


def person_form_data(person: Any) -> dict[str, Any]:
    """The form's values for a stored person (edit page)."""
    return {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "birth_date": person.birth_date.isoformat(),
        "nir": person.nir or "",
        "ecrou_number": person.ecrou_number or "",
        "establishment": establishment_name(person.establishment_code),
        "residence_status": person.residence_status,
        "carte_vitale": "oui" if person.carte_vitale else "non",
        **_address_data(person.release_address, person.residence_postcode),
        "benefits_before_ecrou": list(person.benefits_before_ecrou),
        "version": person.version,
    }


def person_input(
    form: PersonForm, *, identity: bool, medical: bool
) -> tuple[dict[str, Any], list[Problem]]:
    """The operation's input from the form (only the parts this user may change).

    Returns the raw fields and the problems only the form can see.
    """
    raw: dict[str, Any] = {}
    problems: list[Problem] = []
    if identity:
        for name in ("last_name", "first_name", "nir", "ecrou_number", "establishment"):
            raw[name] = text_value(form[name])
        typed_birth = text_value(form.birth_date)
        raw["birth_date"] = date_value(form.birth_date, problems) or typed_birth
        raw["residence_status"] = form.residence_status.data or None
        raw["carte_vitale"] = BOOLEANS.get(form.carte_vitale.data or "")
        _address_input(form, raw, problems)
    if medical:
        raw["benefits_before_ecrou"] = list(form.benefits_before_ecrou.data or [])
    return raw, problems


def _address_data(address: dict[str, Any] | None, postcode: str | None) -> dict[str, Any]:
    if address is None:
        return {"address_kind": NO_ADDRESS, "residence_postcode": postcode or ""}
    lines = [*address["lines"], "", "", ""]
    return {
        "address_kind": address["kind"],
        "address_care_of": address.get("care_of") or "",
        "address_line1": lines[0],
        "address_line2": lines[1],
        "address_line3": lines[2],
        "residence_postcode": address["postcode"],
        "address_city": address["city"],
    }


def _address_input(form: PersonForm, raw: dict[str, Any], problems: list[Problem]) -> None:
    """The release address (``people.address`` checks it), or a postcode alone, or nothing."""
    kind = form.address_kind.data or None
    postcode = "".join((form.residence_postcode.data or "").split()) or None
    if kind is None:
        if postcode is None:
            problems.append(
                Problem("address_kind", "choisissez le type d'adresse, ou « pas encore d'adresse »")
            )
        raw["release_address"] = None
        raw["residence_postcode"] = postcode
        return
    if kind == NO_ADDRESS:
        raw["release_address"] = None
        raw["residence_postcode"] = postcode
        return
    lines = [text_value(form[f"address_line{i}"]) for i in (1, 2, 3)]
    raw["release_address"] = {
        "kind": kind,
        "care_of": text_value(form.address_care_of),
        "lines": [line for line in lines if line],
        "postcode": postcode,
        "city": text_value(form.address_city),
    }


# --- sharing ------------------------------------------------------------------------------


class ShareForm(FlaskForm):
    partner = SelectField("Partenaire", choices=[], validate_choice=False)
    consent_date = StringField(
        "Date du consentement de la personne",
        description="Le jour où la personne a accepté que son dossier soit partagé.",
    )
    note = TextAreaField(
        "Note", description="Facultatif : comment le consentement a été recueilli."
    )


def share_input(form: ShareForm) -> tuple[int | None, str | None, list[Problem]]:
    """Partner id, ISO consent date and the form's own problems."""
    problems: list[Problem] = []
    consent = date_value(form.consent_date, problems)
    return read_int(form.partner.data), consent, problems


class PlainForm(FlaskForm):
    """A form with only its CSRF token (revoke buttons)."""
