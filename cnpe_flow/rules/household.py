"""The household and resources of a person (``person.household``), read at the edge.

Entered by the SPIP or the support worker when known; every fact may be missing, and a missing
fact stays unknown (the rules then say « à vérifier », never guess). The person is always part
of the household: ``members`` are the other people. Problems are reported through the caller's
``fail(path, message)``, field path first, message in French, like the rest of the contract.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from cnpe_flow.rules.raw_values import ISO_DATES, date_problem, shown

RELATIONS = ("spouse", "child", "cohabitant", "other")
FIELDS = ("members", "annual_resources", "rsa", "in_france_since")
MEMBER_FIELDS = ("birth_date", "relation")
_FIELDS, _MEMBER_FIELDS = frozenset(FIELDS), frozenset(MEMBER_FIELDS)

# Resources above this are a typing error (and keep amounts far from float's limits).
_MAX_RESOURCES = Decimal(100_000_000)


@dataclass(slots=True)
class Member:
    """Another person of the household (not frozen: cheaper to build, nothing mutates it)."""

    birth_date: date
    relation: str


@dataclass(slots=True)
class Household:
    members: tuple[Member, ...]
    #: resources of the whole household over the last 12 months, euros; None = unknown
    annual_resources: Decimal | None
    #: the household receives the RSA; None = unknown
    rsa: bool | None
    #: start of a stable, uninterrupted presence in France (AME-1); None = unknown
    in_france_since: date | None
    #: whether ``members`` was given (an empty tuple then means: lives alone)
    known: bool


Fail = Callable[[str, str], None]


def read_household(fail: Fail, raw: Any, path: str = "person.household") -> Household | None:
    """The household, or None when absent or null; each problem goes to ``fail(path, message)``.

    Returns None as well when there is a problem (the caller raises with every problem found).
    """
    if raw is None:
        return None
    if not isinstance(raw, dict):
        fail(path, f"un objet est attendu, reçu {shown(raw)}")
        return None
    failed = False

    def bad(where: str, message: str) -> None:
        nonlocal failed
        failed = True
        fail(where, message)

    if not raw.keys() <= _FIELDS:
        for key in raw:
            if key not in _FIELDS:
                bad(f"{path}.{key}", f"champ inconnu (champs permis : {', '.join(FIELDS)})")
    members, known = _read_members(bad, raw.get("members"), f"{path}.members")
    resources = _read_amount(bad, raw.get("annual_resources"), f"{path}.annual_resources")
    rsa = raw.get("rsa")
    if rsa is not None and type(rsa) is not bool:
        bad(f"{path}.rsa", f"true, false ou null attendu, reçu {shown(rsa)}")
    since = raw.get("in_france_since")
    arrived = None if since is None else _read_date(bad, since, f"{path}.in_france_since")
    if failed:
        return None
    return Household(members, resources, rsa, arrived, known)


def _read_members(bad: Fail, raw: Any, path: str) -> tuple[tuple[Member, ...], bool]:
    if raw is None:
        return (), False
    if not isinstance(raw, list):
        bad(path, f"une liste est attendue (vide si la personne vit seule), reçu {shown(raw)}")
        return (), False
    members: list[Member] = []
    for j, m in enumerate(raw):
        # Paths are only built for a problem: this runs on every evaluation with a household.
        if not isinstance(m, dict):
            bad(f"{path}[{j}]", f"un objet est attendu, reçu {shown(m)}")
            continue
        if not m.keys() <= _MEMBER_FIELDS:
            for key in m:
                if key not in _MEMBER_FIELDS:
                    allowed = ", ".join(MEMBER_FIELDS)
                    bad(f"{path}[{j}].{key}", f"champ inconnu (champs permis : {allowed})")
        born_raw = m.get("birth_date")
        born = ISO_DATES[born_raw] if type(born_raw) is str else None
        if born is None:
            if born_raw is None:
                bad(f"{path}[{j}].birth_date", "champ obligatoire manquant")
            else:
                _read_date(bad, born_raw, f"{path}[{j}].birth_date")
        relation = m.get("relation")
        if relation is None:
            relation = "other"
        elif relation not in RELATIONS:
            bad(
                f"{path}[{j}].relation",
                f"{shown(relation)} n'est pas une valeur permise ({' | '.join(RELATIONS)})",
            )
            continue
        if born is not None:
            members.append(Member(born, relation))
    return tuple(members), True


def _read_amount(bad: Fail, raw: Any, path: str) -> Decimal | None:
    if raw is None:
        return None
    if type(raw) is int:
        amount = Decimal(raw)
    elif type(raw) is float and math.isfinite(raw):
        amount = Decimal(str(raw))  # through str: 8400.1 stays 8400.1
    else:
        bad(path, f"un montant en euros est attendu (nombre), reçu {shown(raw)}")
        return None
    if amount < 0:
        bad(path, f"le montant ne peut pas être négatif (reçu {shown(raw)})")
        return None
    if amount > _MAX_RESOURCES:
        bad(path, f"montant invraisemblable pour des ressources annuelles (reçu {shown(raw)})")
        return None
    return amount


def _read_date(bad: Fail, raw: Any, path: str) -> date | None:
    parsed = ISO_DATES[raw] if type(raw) is str else None
    if parsed is not None:
        return parsed
    bad(path, date_problem(raw))
    return None
