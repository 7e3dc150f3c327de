"""The « Foyer et ressources » form, and the turning of what was typed into ``household``.

Members are a fixed number of rows (no JavaScript): a blank row is ignored, so a member is
removed by clearing its row and added in a blank one. What only a form can get wrong (a date or
an amount that cannot be read, a row without its relation, « vit seule » with members) is
checked here; everything else by :func:`cnpe_flow.people.household.check_household`, whose
problems come back on the row they belong to.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Form,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)

from cnpe_flow.people.forms import date_value
from cnpe_flow.people.household import RELATION_LABELS
from cnpe_flow.rules import Problem

#: rows shown at least, and blank rows offered after the members already entered
MIN_ROWS = 6
SPARE_ROWS = 2
#: more rows than this are not read (a forged form cannot make the page unbounded)
MAX_ROWS = 60

RSA_CHOICES = [
    SelectChoice("oui", "Oui"),
    SelectChoice("non", "Non"),
    SelectChoice("inconnu", "Je ne sais pas"),
]
_RSA = {"oui": True, "non": False, "inconnu": None, "": None}
_PATH = "household"
_MEMBER_PATH = re.compile(r"household\.members\[(\d+)\](?:\.(birth_date|relation))?")
_ROW_KEY = re.compile(r"members-(\d{1,3})-(?:birth_date|relation)")
_AMOUNT = re.compile(r"\d+(?:[.,]\d{1,2})?")


class MemberForm(Form):
    """One other person of the household (a row; no CSRF token of its own)."""

    birth_date = StringField("Date de naissance")
    relation = SelectField(
        "Lien avec la personne",
        choices=[SelectChoice("", "—"), *(SelectChoice(k, v) for k, v in RELATION_LABELS.items())],
        validate_choice=False,
    )


class HouseholdForm(FlaskForm):
    version = HiddenField()
    lives_alone = BooleanField("La personne vit seule (aucun autre membre du foyer)")
    #: never rendered as an input: carries the messages about the rows as a whole
    members = HiddenField()
    annual_resources = StringField(
        "Ressources annuelles du foyer (en euros)",
        description="Ressources de tout le foyer sur les 12 derniers mois (ex. : 18 500). "
        "Laissez vide si elles ne sont pas connues : le droit sera « à vérifier ».",
    )
    rsa = RadioField(
        "Le foyer perçoit-il le RSA ?",
        choices=RSA_CHOICES,
        default="inconnu",
        validate_choice=False,
    )
    in_france_since = StringField(
        "Présent·e en France depuis le",
        description="Pour une personne sans titre de séjour : début de la présence stable et "
        "ininterrompue en France (AME). Facultatif.",
    )


def household_form_data(person: Any) -> dict[str, Any]:
    """The form's values for a stored household (the member rows: :func:`stored_rows`)."""
    stored = person.household or {}
    resources = stored.get("annual_resources")
    rsa = stored.get("rsa")
    return {
        "version": person.version,
        "lives_alone": stored.get("members") == [],
        "annual_resources": "" if resources is None else _shown_amount(resources),
        "rsa": "inconnu" if rsa is None else ("oui" if rsa else "non"),
        "in_france_since": stored.get("in_france_since") or "",
    }


def _row(i: int, formdata: Any = None, data: dict[str, Any] | None = None) -> MemberForm:
    return MemberForm(formdata=formdata, data=data, prefix=f"members-{i}-")


def stored_rows(person: Any) -> list[MemberForm]:
    """The stored members, then blank rows to add some (at least ``MIN_ROWS`` rows)."""
    members = (person.household or {}).get("members") or []
    count = min(MAX_ROWS, len(members) + max(SPARE_ROWS, MIN_ROWS - len(members)))
    return [
        _row(i, data={"birth_date": m["birth_date"], "relation": m["relation"]})
        for i, m in enumerate(members[:count])
    ] + [_row(i) for i in range(len(members), count)]


def posted_rows(formdata: Any) -> list[MemberForm]:
    """The rows of a post, numbered as they were typed (``members-3-…`` stays row 3)."""
    last = -1
    for key in formdata:
        found = _ROW_KEY.fullmatch(key)
        if found and int(found.group(1)) < MAX_ROWS:
            last = max(last, int(found.group(1)))
    return [_row(i, formdata) for i in range(max(MIN_ROWS, last + 1))]


def _shown_amount(value: float | int) -> str:
    """``18500`` → ``18500`` ; ``18500.5`` → ``18500,50`` (what a person types back)."""
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return str(int(amount))
    return f"{amount:.2f}".replace(".", ",")


def read_amount(text: str | None) -> Decimal | None:
    """Euros typed in French (``18 500``, ``18500,50``, ``18 500 €``); None when blank.

    :class:`ValueError` when it is not an amount.
    """
    cleaned = "".join((text or "").replace("€", "").split())
    if not cleaned:
        return None
    if not _AMOUNT.fullmatch(cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
        raise ValueError(text) from None


def household_input(
    form: HouseholdForm, member_rows: list[MemberForm]
) -> tuple[Any, list[Problem], dict[int, int]]:
    """The ``household`` object typed, the form's own problems (named by form field), and,
    for each member of the object, the row it was typed in (to show the checker's problems)."""
    problems: list[Problem] = []
    members: list[dict[str, Any]] = []
    rows: dict[int, int] = {}
    for i, row in enumerate(member_rows):
        typed = (row.birth_date.data or "").strip()
        relation = row.relation.data or ""
        if not typed and not relation:
            continue  # a blank row: nothing to add, or a member removed
        born: str | None = None
        if typed:
            born = date_value(row.birth_date, problems)
        else:
            problems.append(Problem(row.birth_date.name, "indiquez la date de naissance"))
        if relation not in RELATION_LABELS:
            problems.append(Problem(row.relation.id, "choisissez le lien avec la personne"))
        if born is not None and relation in RELATION_LABELS:
            rows[len(members)] = i
            members.append({"birth_date": born, "relation": relation})
    if form.lives_alone.data and (members or any(p.field.startswith("members-") for p in problems)):
        problems.append(
            Problem(
                "lives_alone",
                "cochez « vit seule » ou indiquez des membres du foyer, pas les deux",
            )
        )
    try:
        amount = read_amount(form.annual_resources.data)
    except ValueError:
        amount = None
        problems.append(
            Problem(
                "annual_resources",
                f"« {form.annual_resources.data} » n'est pas un montant en euros "
                "(exemple : 18 500 ou 18 500,50)",
            )
        )
    since = date_value(form.in_france_since, problems)
    rsa = form.rsa.data or ""
    if rsa not in _RSA:
        problems.append(Problem("rsa", "choisissez oui, non ou « je ne sais pas »"))
    raw: dict[str, Any] = {
        "members": [] if form.lives_alone.data else (members or None),
        "annual_resources": _number(amount),
        "rsa": _RSA.get(rsa),
        "in_france_since": since,
    }
    return raw, problems, rows


def _number(amount: Decimal | None) -> int | float | None:
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def form_field(problem_field: str, rows: dict[int, int]) -> str:
    """The form field that shows a problem of ``check_household`` (or of the engine)."""
    field = problem_field.removeprefix("person.")
    found = _MEMBER_PATH.fullmatch(field)
    if found:
        row = rows.get(int(found.group(1)))
        if row is not None:
            return f"members-{row}-{found.group(2) or 'birth_date'}"
        return "members"
    if field.startswith(_PATH + "."):
        return field.removeprefix(_PATH + ".")
    return field
