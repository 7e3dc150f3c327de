"""``evaluate``: from a case (person + custody events) to rights periods, tasks and letters.

Pure: no Flask, no database; the only date is ``as_of`` (when absent, today in Europe/Paris
from :mod:`cnpe_flow.clock`, the project's one clock, so a frozen clock freezes everything).
The command line, the web app, the scheduler and the tests all call these functions.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any

from cnpe_flow import __version__
from cnpe_flow.reference import Establishment, cpam_for_postcode
from cnpe_flow.rules.affiliation import CPAM, affiliation, ame_rights, puma_maintenance
from cnpe_flow.rules.after_release import ame_filing_tasks, ame_grants, c2s_rights, puma_window
from cnpe_flow.rules.benefits import ald, ij_periods, maintained_benefits
from cnpe_flow.rules.case import Case, Stay, parse_case
from cnpe_flow.rules.context import Context
from cnpe_flow.rules.dates import ISO
from cnpe_flow.rules.letters import letters
from cnpe_flow.rules.parameters import snapshot_hash
from cnpe_flow.rules.release import custody_and_release_tasks
from cnpe_flow.rules.rights_to_check import rights_to_check

_TASK_ORDER = itemgetter("due", "event")


def evaluate(data: Any, *, today: date | None = None) -> dict[str, Any]:
    """Validate raw contract JSON and evaluate it. Raises ``CaseError`` on bad input."""
    return evaluate_case(parse_case(data, today=today))


def evaluate_case(case: Case) -> dict[str, Any]:
    """The contract's output for a validated case, plus extra fields (never renamed)."""
    ctx = Context(case)
    maintenance = puma_maintenance(ctx)
    ame = ame_rights(ctx)
    periods = affiliation(ctx, maintenance, ame)
    ij = ij_periods(ctx)
    pole, ald_detail = ald(ctx)
    custody_and_release_tasks(ctx, maintenance)
    ame_filing_tasks(ctx)
    ame_detail = ame_grants(ctx)
    c2s = c2s_rights(ctx)
    puma = puma_window(ctx, maintenance)
    rights = rights_to_check(ctx, maintenance, ame)
    cpam = _cpam_residence(ctx)
    if cpam is not None:
        for p in periods:
            if p["fund"] == CPAM:
                p["cpam"] = cpam["name"]
    ctx.tasks.sort(key=_TASK_ORDER)  # due dates are ISO strings: same order as the dates
    current = _current(case, periods)
    return {
        "as_of": ISO[case.as_of],
        "affiliation": _iso_periods(periods),
        "ij": _iso_periods(ij),
        "ald_renewal_pole": pole,
        "tasks": ctx.tasks,
        "letters": letters(ctx, maintenance),
        "current": current,
        "cpam_residence": cpam,
        "ald_renewal": ald_detail,
        "maintained_benefits": maintained_benefits(ctx),
        "ame": ame_detail,
        "c2s": c2s,
        "puma_maintenance": puma,
        "stays": [_stay(s) for s in case.stays],
        "rights_to_check": rights,
        "warnings": ctx.warnings,
        "engine": {"version": __version__, "parameters": snapshot_hash()},
    }


def _current(case: Case, periods: list[dict[str, Any]]) -> dict[str, Any]:
    """The fund and the custody on the ``as_of`` day."""
    d = case.as_of
    fund = None
    for p in periods:
        if p["start"] <= d and (p["end"] is None or d < p["end"]):
            fund = p["fund"]
            break
    in_custody, establishment = False, None
    for stay in case.stays:
        if stay.contains(d):
            in_custody, establishment = True, stay.establishment_on(d).name
            break
    return {"fund": fund, "in_custody": in_custody, "establishment": establishment}


def _stay(stay: Stay) -> dict[str, Any]:
    assert stay.ecrou.establishment is not None
    return {
        "ecrou": ISO[stay.ecrou.date],
        "levee": ISO[stay.levee.date] if stay.levee else None,
        "planned_release": ISO[stay.planned_releases[-1].date] if stay.planned_releases else None,
        "establishment": _establishment(stay.ecrou.establishment),
        "transfers": [
            {"date": ISO[t.date], "establishment": _establishment(t.establishment)}
            for t in stay.transfers
            if t.establishment is not None
        ],
    }


def _establishment(est: Establishment) -> dict[str, Any]:
    shown = _ESTABLISHMENTS.get(est.code)
    if shown is None:
        shown = _ESTABLISHMENTS[est.code] = {
            "code": est.code,
            "name": est.name,
            "departement": est.departement,
            "pole": est.pole,
            "pole_status": est.pole_status,
        }
    return shown.copy()


# Establishment summaries by code (hashing the whole frozen record on each call costs more).
_ESTABLISHMENTS: dict[str, dict[str, Any]] = {}


def _cpam_residence(ctx: Context) -> dict[str, Any] | None:
    """The CPAM of residence from the postcode (AFF-6), with its address when our sources have it."""
    postcode = ctx.case.person.residence_postcode
    if postcode is None:
        return None
    found, warning = _cpam_for(postcode)
    if warning:
        ctx.warn("cpam_to_confirm", warning)
    # A fresh copy: callers may annotate their result without touching the cache.
    cpam = found.copy()
    cpam["address_lines"] = list(found["address_lines"])
    cpam["candidates"] = list(found["candidates"])
    return cpam


@lru_cache(maxsize=4096)
def _cpam_for(postcode: str) -> tuple[dict[str, Any], str | None]:
    match = cpam_for_postcode(postcode)
    first = match.candidates[0] if match.candidates else None
    warning = None
    if match.ambiguous or first is None or not first.address_known:
        warning = match.note or f"CPAM du code postal {postcode} à confirmer sur ameli.fr."
    found = {
        "departement": match.departement,
        "name": first.name if first else None,
        "address_lines": first.address_lines() if first else [],
        "ambiguous": match.ambiguous,
        "candidates": [c.name for c in match.candidates],
        "note": match.note,
        "source": first.source if first else None,
    }
    return found, warning


def _iso_periods(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The dates of periods to ISO strings, in place."""
    for item in items:
        item["start"] = ISO[item["start"]]
        end = item["end"]
        if end is not None:
            item["end"] = ISO[end]
    return items
