"""« Droits à vérifier »: the engine's ``rights_to_check`` put into words for the pages.

The case page and « Préparer la sortie » show the same section (``people/_rights.html``): each
right with its status, its conditions (met, not met, à vérifier), its steps, the C2S monthly
participation per member and in total (C2S-2), and the rules behind it. The engine decides;
this module only formats (amounts as « 21,00 € », dates as JJ/MM/AAAA). Nothing here is
medical: the items never use the benefits before the écrou.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.people.household import RELATION_LABELS
from cnpe_flow.people.models import Person
from cnpe_flow.people.page_reasons import Reason, reasons_for
from cnpe_flow.rules.dates import fr

STATUS_LABELS = {"likely": "probable", "unlikely": "peu probable", "to_check": "à vérifier"}
#: the badge's class (app.css): green, grey, orange
STATUS_CLASSES = {"likely": "ok", "unlikely": "", "to_check": "warn"}
_MARKS = {True: ("✓", "met"), False: ("✗", "not-met"), None: ("« à vérifier »", "unknown")}
_MARK_WORDS = {True: "condition remplie", False: "condition non remplie", None: "à vérifier"}
_NBSP = "\u00a0"


def euros(amount: str | Decimal | float | int) -> str:
    """``"21.00"`` → ``21,00 €``; ``25000`` → ``25 000,00 €`` (no-break spaces)."""
    value = Decimal(str(amount))
    text = f"{value:,.2f}".replace(",", _NBSP).replace(".", ",")
    return f"{text}{_NBSP}€"


@dataclass
class ConditionRow:
    text: str
    #: ✓, ✗ or « à vérifier »
    mark: str
    #: the same in words, for screen readers
    words: str
    css: str
    rules: list[str]


@dataclass
class ParticipationRow:
    who: str
    birth_date: str
    age: int
    monthly: str


@dataclass
class RightRow:
    right: str
    title: str
    status: str
    status_label: str
    status_class: str
    summary: str
    conditions: list[ConditionRow]
    steps: list[str]
    rules: list[str]
    reasons: list[Reason]
    participation: list[ParticipationRow] = field(default_factory=list)
    #: « 44,00 € » per month for the household, when there is a participation (C2S-2)
    total_monthly: str | None = None
    #: the day the ages are counted on (JJ/MM/AAAA)
    age_date: str | None = None


@dataclass
class RightsSection:
    items: list[RightRow]
    #: what is known of the household, in words (label, value)
    facts: list[tuple[str, str]]
    known: bool
    can_edit: bool


def household_facts(person: Person) -> list[tuple[str, str]]:
    """The stored household in words; unknown facts say so."""
    h = person.household or {}
    members = h.get("members")
    if members is None:
        composition = "non renseignée"
    elif not members:
        composition = "la personne vit seule"
    else:
        counts: dict[str, int] = {}
        for m in members:
            label = RELATION_LABELS.get(m["relation"], m["relation"])
            counts[label] = counts.get(label, 0) + 1
        parts = [
            f"{n} {label}" if n == 1 else f"{n} {_plural(label)}" for label, n in counts.items()
        ]
        composition = f"{len(members) + 1} personnes (la personne, " + ", ".join(parts) + ")"
    resources = h.get("annual_resources")
    rsa = h.get("rsa")
    facts = [
        ("Composition du foyer", composition),
        (
            "Ressources annuelles du foyer",
            "non renseignées" if resources is None else euros(resources),
        ),
        ("RSA", "non renseigné" if rsa is None else ("oui" if rsa else "non")),
    ]
    if h.get("in_france_since") or person.residence_status == "irregular":
        since = h.get("in_france_since")
        facts.append(("Présent·e en France depuis", fr(since) if since else "non renseigné"))
    return facts


def _plural(label: str) -> str:
    return {"conjoint·e": "conjoint·es", "personne à charge": "personnes à charge"}.get(
        label, label + "s"
    )


def _participation(
    block: dict[str, Any], person: Person
) -> tuple[list[ParticipationRow], str, str | None]:
    """Rows per member (the person first), the monthly total and the day ages are counted on."""
    others = list((person.household or {}).get("members") or [])
    rows = []
    person_seen = False
    for m in block.get("members", []):
        born = m["birth_date"]
        if not person_seen and born == person.birth_date.isoformat():
            who, person_seen = "la personne", True
        else:
            match = next((o for o in others if o["birth_date"] == born), None)
            if match is not None:
                others.remove(match)
            who = RELATION_LABELS.get(match["relation"], "membre") if match else "membre du foyer"
        rows.append(ParticipationRow(who, fr(born), int(m["age"]), euros(m["monthly"])))
    reference = block.get("reference_date")
    return rows, euros(block["total_monthly"]), fr(reference) if reference else None


#: words that name a health matter; a rule's catalogue text that uses them (CD-1 lists the
#: pensions that open the capital décès) is replaced by its neutral quote for readers who do
#: not see medical details, so no page tells them such a word about a person
_MEDICAL_WORDS = ("ALD", "AT/MP", "ATMP", "invalidité", "indemnités journalières")


def _neutral(reason: Reason) -> Reason:
    if not any(word in reason.text for word in _MEDICAL_WORDS):
        return reason
    first = reason.text.split(" : ", 1)[0]
    return replace(reason, text=reason.quote or f"{first} : conditions à vérifier avec la caisse")


def right_row(item: dict[str, Any], person: Person, *, medical: bool = False) -> RightRow:
    status = item.get("status", "to_check")
    conditions = []
    for c in item.get("conditions", []):
        met = c.get("met")
        mark, css = _MARKS.get(met, _MARKS[None])
        conditions.append(
            ConditionRow(
                c["text"], mark, _MARK_WORDS.get(met, "à vérifier"), css, c.get("rules", [])
            )
        )
    rules = list(item.get("rules", []))
    row = RightRow(
        right=item.get("right", ""),
        title=item.get("title", ""),
        status=status,
        status_label=STATUS_LABELS.get(status, status),
        status_class=STATUS_CLASSES.get(status, ""),
        summary=item.get("summary", ""),
        conditions=conditions,
        steps=list(item.get("steps", [])),
        rules=rules,
        reasons=[r if medical else _neutral(r) for r in reasons_for(rules)],
    )
    block = item.get("participation")
    if block:
        row.participation, row.total_monthly, row.age_date = _participation(block, person)
    return row


def rights_section(user: User, person: Person, output: dict[str, Any]) -> RightsSection:
    """The section for this reader (the link to the form only for those who may fill it)."""
    return RightsSection(
        items=[
            right_row(item, person, medical=access.can_see_medical(user))
            for item in output.get("rights_to_check") or []
        ],
        facts=household_facts(person),
        known=person.household is not None,
        can_edit=access.can_edit_household(user),
    )
