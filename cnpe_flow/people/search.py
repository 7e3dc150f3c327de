"""The one person search, behind the « Personnes » page and ``GET /api/v1/people``.

Both doors read their own parameters (French names and messages on the page, the API's names
and JSON errors there) and then ask this function, so they find the same people in the same
order, only among those the user may see (:func:`cnpe_flow.auth.access.visible_people`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlmodel import Session

from cnpe_flow.auth.access import visible_people
from cnpe_flow.auth.models import User
from cnpe_flow.people.models import Person
from cnpe_flow.people.operations import fold


@dataclass(frozen=True, slots=True)
class Criteria:
    """What to look for; an empty criterion is not used."""

    #: each word must be in the name (accents and case ignored)
    name: str | None = None
    ecrou: str | None = None
    birth_date: date | None = None
    #: a reference establishment code
    establishment: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        for word in fold(self.name or "").split():
            # autoescape: a "%" or "_" typed by the user is a character, not a wildcard
            out.append(Person.search_name.contains(word, autoescape=True))
        if self.ecrou:
            out.append(Person.ecrou_number == self.ecrou)
        if self.birth_date:
            out.append(Person.birth_date == self.birth_date)
        if self.establishment:
            out.append(Person.establishment_code == self.establishment)
        return out


@dataclass
class SearchResult:
    people: list[Person]
    total: int
    #: the page shown (the last one when the page asked for is past it and ``clamp`` is set)
    page: int
    pages: int


def search_people(
    session: Session,
    user: User,
    criteria: Criteria,
    *,
    page: int,
    page_size: int,
    clamp: bool = True,
) -> SearchResult:
    """The visible people matching every criterion, by name, one page at a time.

    ``clamp``: a page past the last shows the last one (the page's links); without it, such a
    page is empty (the API answers what was asked).
    """
    where = [visible_people(user), *criteria.conditions()]
    total = session.execute(select(func.count(Person.id)).where(*where)).scalar_one()
    pages = max(math.ceil(total / page_size), 1)
    if clamp:
        page = min(page, pages)
    people = session.execute(
        select(Person)
        .where(*where)
        .order_by(Person.search_name, Person.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).scalars()
    return SearchResult(list(people), total, page, pages)
