"""The « Personnes » page: reading its search form (French dates in two formats).

The query itself is :func:`cnpe_flow.people.search.search_people`, shared with the API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from cnpe_flow.auth.access import chooses_establishment, visible_people, works_anywhere
from cnpe_flow.auth.models import User
from cnpe_flow.people.models import Person
from cnpe_flow.people.page_case import establishment_names
from cnpe_flow.people.search import Criteria

_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_french_date(text: str) -> date | None:
    """``JJ/MM/AAAA`` or ``AAAA-MM-JJ``; None when it is neither or not a real date."""
    text = text.strip()
    try:
        if m := _FRENCH_DATE.fullmatch(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := _ISO_DATE.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


def establishment_choices(session: Session, user: User) -> dict[str, str]:
    """Code -> name of the establishments a list's filter offers this user: all of them for
    the administration, only those of the people they see for a partner (not ~180 prisons for
    five shared files), none for the SPIP and the USMP (they see their own only)."""
    if not chooses_establishment(user):
        return {}
    names = establishment_names()
    if works_anywhere(user):
        return names
    # one query, through the same visibility condition as every list
    codes = session.exec(
        select(Person.establishment_code)
        .where(visible_people(user), Person.establishment_code.is_not(None))  # type: ignore[union-attr]
        .distinct()
    ).scalars()
    return {code: names.get(code, code) for code in codes}


def establishment_filter(raw: str, choices: dict[str, str], errors: dict[str, str]) -> str:
    """An establishment code among the filter's ``choices``, or "" (with a message when it is
    not one of them)."""
    code = raw.strip()
    if not code or not choices:
        return ""
    if code not in choices:
        errors["etablissement"] = "établissement inconnu : choisissez-le dans la liste"
        return ""
    return code


def page_number(raw: str | None) -> int:
    """A page number from the query string (1 for anything that is not a positive integer)."""
    try:
        return max(int(raw or 1), 1)
    except ValueError:
        return 1


@dataclass
class SearchForm:
    name: str = ""
    ecrou: str = ""
    birth: str = ""
    establishment: str = ""
    page: int = 1
    birth_date: date | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, args: Any, choices: dict[str, str]) -> SearchForm:
        """The search criteria of a query string, each checked with a French message
        (``choices``: the establishments the filter offers, see :func:`establishment_choices`)."""
        form = cls(
            name=" ".join((args.get("nom") or "").split())[:100],
            ecrou=(args.get("ecrou") or "").strip()[:40],
            birth=(args.get("naissance") or "").strip()[:20],
            page=page_number(args.get("page")),
        )
        form.establishment = establishment_filter(
            args.get("etablissement") or "", choices, form.errors
        )
        if form.birth:
            form.birth_date = parse_french_date(form.birth)
            if form.birth_date is None:
                form.errors["naissance"] = (
                    f"« {form.birth} » n'est pas une date : écrivez JJ/MM/AAAA ou AAAA-MM-JJ"
                )
        return form

    def filters_used(self) -> list[str]:
        """Which criteria were given (what the audit log keeps, never their values)."""
        used = [
            ("nom", self.name),
            ("ecrou", self.ecrou),
            ("naissance", self.birth_date),
            ("etablissement", self.establishment),
        ]
        return [name for name, value in used if value]

    def query_args(self, **changes: Any) -> dict[str, Any]:
        """The criteria as query-string arguments (for pagination links)."""
        args = {
            "nom": self.name,
            "ecrou": self.ecrou,
            "naissance": self.birth,
            "etablissement": self.establishment,
            "page": self.page,
            **changes,
        }
        return {k: v for k, v in args.items() if v}

    def criteria(self) -> Criteria:
        return Criteria(self.name, self.ecrou, self.birth_date, self.establishment)
