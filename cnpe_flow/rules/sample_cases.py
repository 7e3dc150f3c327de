"""Random but valid cases (contract JSON), for the benchmark, property tests and demo data.

One generator, driven by a ``random.Random``, so that Hypothesis (``st.randoms()``) and the
benchmark (a seeded ``Random``) exercise the same shapes of custody histories. Dates within a
case are strictly increasing except for an ``ame_granted`` on its filing day, which may come in
either order without changing the meaning.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from cnpe_flow.reference import load_establishments
from cnpe_flow.rules.event_types import ACTIVITY, MEASURE
from cnpe_flow.rules.sample_households import random_household

POSTCODES = (
    "75011",
    "60000",
    "93200",
    "13003",
    "69003",
    "59000",
    "46000",
    "97400",
    "20090",
    "33000",
)
_MEASURES = MEASURE.values
_ACTIVITIES = ACTIVITY.values


class _Clock:
    """Hands out strictly increasing dates."""

    def __init__(self, rnd: random.Random, start: date) -> None:
        self.rnd = rnd
        self.day = start

    def next(self, low: int = 1, high: int = 120) -> date:
        self.day += timedelta(days=self.rnd.randint(low, high))
        return self.day


def _establishment(rnd: random.Random, other_than: str | None = None) -> tuple[str, str]:
    """An establishment's code and one of the spellings a worker would type (full name, code,
    DGAP label), different from the establishment ``other_than`` (a code)."""
    establishments = load_establishments()
    i = rnd.randrange(len(establishments))
    if establishments[i].code == other_than:  # the next one: no retry loop (Hypothesis)
        i = (i + 1) % len(establishments)
    est = establishments[i]
    return est.code, rnd.choice((est.name, est.name, est.code, est.dgap_label))


def random_case(rnd: random.Random) -> dict[str, Any]:
    """A valid case: one to three stays, with optional transfers, aménagements (a contract may
    be signed before one), work, AT/MP, AME, C2S, and for one case in five a household."""
    birth = date(1950, 1, 1) + timedelta(days=rnd.randint(0, 20000))
    regular = rnd.random() < 0.7
    person: dict[str, Any] = {
        "birth_date": birth.isoformat(),
        "residence_status": "regular" if regular else "irregular",
        "carte_vitale": regular and rnd.random() < 0.7,
        "residence_postcode": rnd.choice(POSTCODES) if rnd.random() < 0.8 else None,
        "benefits_before_ecrou": [
            b for b in ("ij", "ald", "atmp_rente", "invalidity_pension") if rnd.random() < 0.25
        ],
    }
    clock = _Clock(rnd, max(birth + timedelta(days=365 * 16), date(2018, 1, 1)))
    clock.next(0, 2000)
    events: list[dict[str, Any]] = []

    def add(kind: str, **extra: Any) -> date:
        when = clock.next()
        events.append({"type": kind, "date": when.isoformat(), **extra})
        return when

    released = False
    for n in range(rnd.randint(1, 3)):
        code, name = _establishment(rnd)
        add("ecrou", establishment=name)
        if rnd.random() < 0.3:
            add("work_inside_start")
            if rnd.random() < 0.6:
                add("work_inside_end")
        if rnd.random() < 0.2:
            add("atmp_during_ecrou", consolidated=rnd.random() < 0.5)
        if rnd.random() < 0.2:  # contract v2: transfers between establishments
            code, name = _establishment(rnd, other_than=code)
            add("transfer", establishment=name)
        if rnd.random() < 0.3:
            add("planned_release")
        if rnd.random() < 0.5:
            signed_before = rnd.random() < 0.2  # a contract signed for the semi-liberté
            if signed_before:
                add("activity_start", activity=rnd.choice(_ACTIVITIES))
            add("amenagement", measure=rnd.choice(_MEASURES))
            if signed_before or rnd.random() < 0.5:
                if not signed_before:
                    add("activity_start", activity=rnd.choice(_ACTIVITIES))
                if rnd.random() < 0.6:
                    add("activity_end")
            if rnd.random() < 0.2:
                add("amenagement", measure=rnd.choice(_MEASURES))
        released = n < 2 and rnd.random() < 0.85
        if not released:
            break
        add("levee_ecrou")
        if rnd.random() < 0.5:
            break
    if regular and rnd.random() < 0.3:
        add("c2s_granted")
    may_ame = not regular
    if regular and rnd.random() < 0.25:
        add("residence_permit_expiry", oqtf=rnd.random() < 0.3)
        may_ame = True
    if released and may_ame and rnd.random() < 0.6:
        filed = add("ame_filed", complete=rnd.random() < 0.7)
        if rnd.random() < 0.7:
            events.append({"type": "ame_granted", "date": filed.isoformat()})
            if rnd.random() < 0.3:
                add("ame_granted")
    if rnd.random() < 0.2:  # what the SPIP or the support worker knows of the household
        person["household"] = random_household(rnd)
    rnd.shuffle(events)
    return {"as_of": clock.next(0, 400).isoformat(), "person": person, "events": events}
