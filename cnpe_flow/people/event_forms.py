"""The form of a custody or after-release event (record, correct, withdraw), and the turning
of its typed values into the input of :func:`cnpe_flow.people.operations.add_event`.

Which fields each event type carries comes from the registry (``rules/event_types.py``).
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, StringField, TextAreaField

from cnpe_flow.people.forms import (
    BOOLEANS,
    YES_NO,
    date_value,
    establishment_name,
    text_value,
)
from cnpe_flow.people.models import CustodyEvent
from cnpe_flow.people.page_labels import EVENT_LABELS
from cnpe_flow.rules import Problem
from cnpe_flow.rules.dates import fr
from cnpe_flow.rules.event_types import ACTIVITY, MEASURE, REGISTRY, fields_of_kind

MEASURE_CHOICES = [SelectChoice(value, label) for value, label in MEASURE.choices]
ACTIVITY_CHOICES = [SelectChoice(value, label) for value, label in ACTIVITY.choices]

#: what the date of each event type means
EVENT_DATE_LABELS = {t.name: t.date_label for t in REGISTRY.values()}
#: the fields each event type carries besides its date (the contract's names)
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    t.name: tuple(f.name for f in t.fields) for t in REGISTRY.values() if t.fields
}
_CHOICE_LABELS = {
    "measure": {c.value: c.label for c in MEASURE_CHOICES},
    "activity": {c.value: c.label for c in ACTIVITY_CHOICES},
}
_EVENT_BOOLEANS = fields_of_kind("boolean")
_EVENT_DATES = fields_of_kind("date")


class EventForm(FlaskForm):
    """Every event field; each page shows those of its type (``EVENT_FIELDS``)."""

    type = HiddenField()
    version = HiddenField()
    date = StringField("Date")
    establishment = StringField("Établissement")
    measure = RadioField("Mesure", choices=MEASURE_CHOICES, validate_choice=False)
    activity = RadioField("Activité", choices=ACTIVITY_CHOICES, validate_choice=False)
    consolidated = RadioField("État consolidé à la sortie ?", choices=YES_NO, validate_choice=False)
    complete = RadioField("Dossier complet ?", choices=YES_NO, validate_choice=False)
    care_date = StringField(
        "Date des soins",
        description="Facultatif : des soins reçus avant le dépôt peuvent être couverts.",
    )
    end = StringField("Fin des droits", description="Facultatif : un an après l'ouverture si vide.")
    oqtf = RadioField(
        "Obligation de quitter le territoire (OQTF) devenue définitive ?",
        choices=YES_NO,
        default="non",
        validate_choice=False,
    )
    comment = TextAreaField("Commentaire")


class WithdrawForm(FlaskForm):
    version = HiddenField()
    comment = TextAreaField("Pourquoi retirer cet événement ?")


def event_form_data(event: CustodyEvent | None, kind: str, version: int) -> dict[str, Any]:
    """The form's values: empty for a new event, the old values for a correction."""
    data: dict[str, Any] = {"type": kind, "version": version}
    if event is None:
        return data
    data["date"] = event.date.isoformat()
    for name in EVENT_FIELDS.get(kind, ()):
        value = event.data.get(name)
        if name in _EVENT_BOOLEANS and isinstance(value, bool):
            value = "oui" if value else "non"
        elif name == "establishment":
            value = establishment_name(value)
        if value is not None:
            data[name] = value
    return data


def event_input(form: EventForm, kind: str) -> tuple[dict[str, Any], list[Problem]]:
    """The contract event typed in the form, and the problems only the form can see."""
    problems: list[Problem] = []
    raw: dict[str, Any] = {"type": kind, "date": date_value(form.date, problems)}
    for name in EVENT_FIELDS.get(kind, ()):
        field = form[name]
        if name in _EVENT_BOOLEANS:
            value = BOOLEANS.get(field.data or "")
        elif name in _EVENT_DATES:
            value = date_value(field, problems)
        else:
            value = text_value(field)
        if value is not None:
            raw[name] = value
    return raw, problems


def describe_event(event: CustodyEvent) -> str:
    """One line in French: type, date and what the event says."""
    parts = [f"{EVENT_LABELS.get(event.type, event.type)} le {fr(event.date)}"]
    for name in EVENT_FIELDS.get(event.type, ()):
        value = event.data.get(name)
        if value is None:
            continue
        if name == "establishment":
            shown = establishment_name(value)
            parts.append(f"vers {shown}" if event.type == "transfer" else shown)
        elif name in _CHOICE_LABELS:
            parts.append(_CHOICE_LABELS[name].get(value, str(value)).lower())
        elif name == "consolidated":
            parts.append("consolidé" if value else "non consolidé")
        elif name == "complete":
            parts.append("dossier complet" if value else "dossier incomplet")
        elif name == "oqtf":
            parts.append("avec OQTF définitive" if value else "sans OQTF")
        elif name == "care_date":
            parts.append(f"soins le {fr(value)}")
        elif name == "end":
            parts.append(f"fin le {fr(value)}")
    return " · ".join(parts)
