"""C2S-2: the monthly participation of each household member, by age on 1 January.

Age convention (notice S3711): each member's age is taken **on 1 January of the attribution
year**, in whole years, a birthday on 1 January counting that day. Someone born on 29 February
is never affected by leap years (on 1 January the birthday of the year has not come yet), and a
member born after 1 January of that year is in the youngest bracket (age 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache

from cnpe_flow.rules.dates import ISO, age_on
from cnpe_flow.rules.parameters import ParamValue, param
from cnpe_flow.rules.right_items import money

Block = tuple[str, tuple[tuple[str, int, str], ...], str]


def participation(
    table: ParamValue, attribution: date, births: Sequence[date], regime: str = "france"
) -> tuple[Block, Decimal]:
    """C2S-2 with the ``c2s_participation`` table in force on ``attribution``: the block of the
    C2S item (1 January of the attribution year; one line per person, in the order given;
    the total) and the exact total (a Decimal sum, shown with two decimals)."""
    reference = date(attribution.year, 1, 1)
    members = []
    total = Decimal(0)
    for birth in births:
        age = age_on(birth, reference)
        if age < 0:  # born after 1 January of the attribution year: youngest bracket
            age = 0
        amount = monthly(table.effective_from, regime, age)
        total += amount
        members.append((ISO[birth], age, money(amount)))
    return (ISO[reference], tuple(members), money(total)), total


def total_for(pv: ParamValue, regime: str, ages: Sequence[int]) -> Decimal:
    """The household total under another scale (the Alsace-Moselle local scheme)."""
    return sum((monthly(pv.effective_from, regime, a) for a in ages), Decimal(0))


@lru_cache(maxsize=2048)
def monthly(table_from: date, regime: str, age: int) -> Decimal:
    """The amount of the bracket holding ``age`` in the table in force from ``table_from``."""
    for low, high, amount in param("c2s_participation", table_from).value[regime]:
        if age >= low and (high is None or age <= high):
            return Decimal(str(amount))
    raise ValueError(f"c2s_participation : aucune tranche pour l'âge {age}")  # pragma: no cover
