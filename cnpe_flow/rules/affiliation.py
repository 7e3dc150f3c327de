"""Which fund covers the person, day by day, from the first écrou (AFF-*, AME-5, PUMA-2).

Precedence on any day: custody (CNPE, or the CPAM of residence during an aménagement with
activity) > base coverage after release for a person in regular situation (CPAM of residence,
including the PUMa maintenance after a residence permit expires) > AME rights > nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cnpe_flow.rules.case import Case, Event, Stay
from cnpe_flow.rules.context import Context
from cnpe_flow.rules.timeline import periods_from_changes

CNPE, CPAM, AME, NONE = "CNPE", "CPAM_RESIDENCE", "AME", "NONE"
MAYOTTE = "976"  # département and postcode prefix


@dataclass(frozen=True, slots=True)
class PumaMaintenance:
    """Base rights kept after a residence permit expires (PUMA-2), and the AME window (PUMA-3)."""

    expiry: Event
    end: date  # exclusive
    oqtf: bool
    parameter: str


def puma_maintenance(ctx: Context) -> PumaMaintenance | None:
    """The maintenance after the latest residence-permit expiry (a later event supersedes)."""
    if not ctx.case.permit_expiries:
        return None
    expiry = ctx.case.permit_expiries[-1]
    pv = ctx.param("puma_maintenance", expiry.date)
    if expiry.oqtf:
        oqtf = ctx.param("puma_maintenance_oqtf", expiry.date)
        if oqtf.value is not None:
            pv = oqtf
    return PumaMaintenance(expiry, pv.value.after(expiry.date), expiry.oqtf, pv.describe())


def regular_on(case: Case, maintenance: PumaMaintenance | None, d: date) -> bool:
    """Whether the person has base rights outside custody on ``d`` (regular, or maintained)."""
    if not case.person.regular:
        return False
    return maintenance is None or d < maintenance.end


def released_in_mayotte(case: Case, stay: Stay) -> bool:
    """AME does not exist in Mayotte (AME-1): where the person goes, or without an address,
    where the establishment that releases them is."""
    postcode = case.person.residence_postcode
    if postcode is not None:
        return postcode.startswith(MAYOTTE)
    return stay.last_establishment.departement == MAYOTTE


def ame_rights(ctx: Context) -> list[tuple[date, date]]:
    """AME rights periods [start, end) from each grant (AME-5), overlapping ones merged."""
    spans: list[tuple[date, date]] = []
    for g in ctx.case.ame_grants:  # in date order, as every event list of a Case
        end = ctx.param("ame_validity", g.date).value.after(g.date)
        if spans and g.date <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((g.date, end))
    return spans


Change = tuple[date, str, tuple[str, ...]]


def _outside_change(
    case: Case,
    maintenance: PumaMaintenance | None,
    ame: list[tuple[date, date]],
    d: date,
    mayotte: bool,
) -> Change:
    """The fund from ``d`` on for a person out of custody, with its rules."""
    if regular_on(case, maintenance, d):
        if maintenance is not None and d >= maintenance.expiry.date:
            return d, CPAM, ("PUMA-2",)
        return d, CPAM, ("AFF-6", "AFF-7")
    for start, end in ame:
        if start <= d < end:
            return d, AME, ("AME-5",)
        if d == end:
            return d, NONE, ("AME-8",)
    if case.person.regular:
        return d, NONE, ("PUMA-2",)
    # Without AME in Mayotte (AME-1), nothing follows the CNPE there.
    return d, NONE, (("AFF-8", "AME-1") if mayotte else ("AFF-8", "AME-2"))


def affiliation(
    ctx: Context, maintenance: PumaMaintenance | None, ame: list[tuple[date, date]]
) -> list[dict[str, Any]]:
    """The contract's ``affiliation`` periods (dates still as ``date`` objects)."""
    case = ctx.case
    stays = case.stays
    # Days when the fund may change out of custody: permit expiry, end of maintenance, AME.
    outside_bounds: list[date] = []
    if maintenance is not None:
        outside_bounds += (maintenance.expiry.date, maintenance.end)
    for start, end in ame:
        outside_bounds += (start, end)
    outside_bounds.sort()
    changes: list[Change] = []
    for k, stay in enumerate(stays):
        changes.append((stay.ecrou.date, CNPE, ("AFF-1", "AFF-4")))
        active = False
        for ch in stay.changes:
            if ch.type == "activity_start":
                active = True
            elif ch.type == "activity_end":
                active = False
            # A contract signed before the aménagement counts from the aménagement (AFF-3).
            when = ch.effective or ch.date
            changes.append((when, CPAM, ("AFF-3",)) if active else (when, CNPE, ("AFF-2",)))
        if stay.end is None:
            break
        out_from = stay.end  # the levée, or the next day for a one-day écrou
        out_until = stays[k + 1].ecrou.date if k + 1 < len(stays) else date.max
        if out_from >= out_until:
            continue
        mayotte = not case.person.regular and released_in_mayotte(case, stay)
        changes.append(_outside_change(case, maintenance, ame, out_from, mayotte))
        for b in outside_bounds:
            if out_from < b < out_until:
                changes.append(_outside_change(case, maintenance, ame, b, mayotte))
    return periods_from_changes(changes, "fund")
