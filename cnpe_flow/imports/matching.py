"""Finding the person a roster row is about, among every file (a transfer comes from another
establishment): by numéro d'écrou + establishment, else by NIR, else by name, first name and
birth date with accents and case folded. The first rule that finds someone decides."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from cnpe_flow.imports.rows import RosterRow
from cnpe_flow.people.models import Person


class PeopleIndex:
    """Every person, loaded once per import and indexed by the three matching keys."""

    def __init__(self, session: Session) -> None:
        self.by_ecrou: dict[tuple[str, str], dict[int, Person]] = defaultdict(dict)
        self.by_nir: dict[str, dict[int, Person]] = defaultdict(dict)
        self.by_name: dict[tuple[str, date], dict[int, Person]] = defaultdict(dict)
        #: where each person is indexed, so that re-indexing drops the old keys
        self._keys: dict[int, list[tuple[dict[Any, dict[int, Person]], Any]]] = {}
        for person in session.exec(select(Person).order_by(Person.id)).scalars():
            self.add(person)

    def add(self, person: Person) -> None:
        """Index a person (again, after an import changed their number or establishment)."""
        pid = person.id
        assert pid is not None
        for index, key in self._keys.pop(pid, []):
            index[key].pop(pid, None)
        keys: list[tuple[dict[Any, dict[int, Person]], Any]] = [
            (self.by_name, (person.search_name, person.birth_date))
        ]
        if person.ecrou_number and person.establishment_code:
            keys.append((self.by_ecrou, (person.ecrou_number, person.establishment_code)))
        if person.nir:
            keys.append((self.by_nir, person.nir))
        for index, key in keys:
            index[key][pid] = person
        self._keys[pid] = keys

    def remove(self, person: Person) -> None:
        """Forget a person whose creation was rolled back."""
        for index, key in self._keys.pop(person.id or 0, []):
            index[key].pop(person.id or 0, None)

    def candidates(self, row: RosterRow) -> list[Person]:
        keys: list[tuple[dict[Any, dict[int, Person]], Any]] = [
            (self.by_ecrou, (row.person["ecrou_number"], row.establishment.code)),
            (self.by_nir, row.person.get("nir")),
            (self.by_name, row.name_key),
        ]
        for index, key in keys:
            if key is None:
                continue
            found = index.get(key)
            if found:
                return list(found.values())
        return []
