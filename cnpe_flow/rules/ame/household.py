"""AME-10: who counts in the AME household, for the resource ceiling (AME-1).

Counted (seed 003): the applicant; the spouse, concubin or PACS partner; minor children;
children under 21 in studies or permanently unable to work; one cohabitant effectively, totally
and permanently dependent on the applicant for more than 12 months. Members in regular
situation are not counted.

The case says neither the members' residence status, nor whether an older child studies, nor
since when a cohabitant is dependent: the household is therefore a range, from the applicant
alone (every member regular) to every member who may count. Never a guess inside that range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cnpe_flow.rules.dates import Duration, age_on
from cnpe_flow.rules.household import Member
from cnpe_flow.rules.right_items import words


@dataclass(frozen=True, slots=True)
class AMEHousehold:
    #: the applicant alone: every other member may be in regular situation
    smallest: int
    #: every member who may count
    largest: int
    #: French: who may count, for the resources condition
    description: str
    #: minor children: AME without the presence and resource conditions (AME-1)
    minors: int
    #: members who may only count as the one cohabitant (a sworn statement then, AME-4)
    cohabitants: int = 0


def ame_household(
    members: Sequence[Member], at: date, minor_below: int, studies_below: int, dependency: Duration
) -> AMEHousehold:
    """The AME household on ``at`` (ages in whole years that day): see the module docstring.

    ``minor_below`` / ``studies_below``: the ages of ``ame_household_ages`` (18, 21);
    ``dependency``: ``ame_cohabitant_dependency`` (12 months).
    """
    spouses = minors = students = cohabitants = 0
    for m in members:
        if m.relation == "spouse":
            spouses += 1
            continue
        if m.relation == "child":
            age = age_on(m.birth_date, at)
            if age < minor_below:
                minors += 1
                continue
            if age < studies_below:
                students += 1
                continue
        cohabitants += 1  # anyone else may only be the one cohabitant
    parts = ["le demandeur"]
    if spouses:
        parts.append("le conjoint" if spouses == 1 else f"{spouses} conjoints (à vérifier)")
    if minors:
        parts.append(
            f"{minors} enfant{'s' if minors > 1 else ''} mineur{'s' if minors > 1 else ''}"
        )
    if students:
        parts.append(
            f"{students} enfant{'s' if students > 1 else ''} de {minor_below} à "
            f"{studies_below - 1} ans s'il poursuit des études ou ne peut pas travailler"
        )
    if cohabitants:
        parts.append(
            f"un seul cohabitant à sa charge depuis plus de {words(dependency)} "
            f"({cohabitants} personne{'s' if cohabitants > 1 else ''} déclarée"
            f"{'s' if cohabitants > 1 else ''})"
        )
    largest = 1 + spouses + minors + students + (1 if cohabitants else 0)
    description = "Foyer AME : " + ", ".join(parts)
    if largest > 1:
        description += " ; les membres en situation régulière ne sont pas comptés"
    return AMEHousehold(1, largest, description, minors, cohabitants)
