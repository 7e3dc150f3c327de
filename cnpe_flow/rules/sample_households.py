"""Random but valid ``person.household`` input, for the benchmark, property tests and demo data.

Driven by a ``random.Random`` like ``sample_cases.random_case``, so that Hypothesis
(``st.randoms()``) and the seeded benchmark exercise the same shapes: unknown or empty member
lists, spouses, children of every age, cohabitants; resources unknown, zero, around the C2S and
AME ceilings or far above; RSA and the date of arrival in France known or not.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

_RELATIONS = ("spouse", "child", "child", "child", "cohabitant", "other")


def _day(rnd: random.Random, start: date, end: date) -> str:
    return (start + timedelta(days=rnd.randint(0, (end - start).days))).isoformat()


def random_household(rnd: random.Random) -> dict[str, Any]:
    """A valid household: every field may be absent or null (unknown)."""
    out: dict[str, Any] = {}
    pick = rnd.random()
    if pick < 0.8:  # else: composition unknown
        out["members"] = [
            {
                "birth_date": _day(rnd, date(1940, 1, 1), date(2026, 6, 30)),
                "relation": rnd.choice(_RELATIONS),
            }
            for _ in range(rnd.choice((0, 0, 1, 1, 2, 2, 3, 4)))
        ]
    elif pick < 0.9:
        out["members"] = None
    pick = rnd.random()
    if pick < 0.75:
        # Whole euros, sometimes cents: around the ceilings (10 000 to 30 000 €) most often.
        amount = rnd.choice((0, rnd.randint(0, 40_000), rnd.randint(9_000, 30_000)))
        out["annual_resources"] = amount + rnd.choice((0, 0, 0, 0.5))
    elif pick < 0.85:
        out["annual_resources"] = None
    if rnd.random() < 0.6:
        out["rsa"] = rnd.random() < 0.25
    if rnd.random() < 0.5:
        out["in_france_since"] = _day(rnd, date(2005, 1, 1), date(2026, 6, 30))
    return out
