"""``rights_to_check``: the « droits à vérifier » of the output (household-spec.md).

Each item is one right with its conditions (met, not met, or à vérifier), its steps and its
rule IDs; items appear where they apply, on the ``as_of`` day:

- base rights (regular, or maintained after a permit): C2S (C2S-1 … C2S-7) around and after
  the release, or once the household is entered; with the household and its resources
  entered, ASS (ASS-1, an aid for material hardship) and, for the household's children of 16
  to 24, their PUMa individual affiliation (PUMA-1);
- irregular, out of custody after a levée, without AME, outside Mayotte (AME-1): AME (AME-1,
  AME-2 … AME-5, AME-9, AME-10) and the soins urgents for the uncovered period (AME-11);
- household entered and insured (base rights, or the CNPE during the écrou): capital décès
  (CD-1), its conditions all to check.

Nothing here is medical: ``benefits_before_ecrou`` is never read. Runs on every evaluation:
only what applies is built; an item that depends only on parameter rows and a few facts is
built once and shared read-only (``right_items.shared``), and parameter rows come from one
bisect per set of parameters (``right_items.keyed_rows``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cnpe_flow.rules.action_sanitaire import ass_item
from cnpe_flow.rules.affiliation import PumaMaintenance, regular_on
from cnpe_flow.rules.ame.item import ame_item
from cnpe_flow.rules.ame.soins_urgents import soins_urgents_item
from cnpe_flow.rules.c2s.item import c2s_item
from cnpe_flow.rules.capital_deces import capital_deces_item
from cnpe_flow.rules.context import Context
from cnpe_flow.rules.dates import last_day
from cnpe_flow.rules.parameters import param
from cnpe_flow.rules.puma_individual import puma_individual_item
from cnpe_flow.rules.right_items import MAYOTTE, Situation, situation


def rights_to_check(
    ctx: Context, maintenance: PumaMaintenance | None, ame: list[tuple[date, date]]
) -> list[dict[str, Any]]:
    """The items that apply on ``as_of``; ``ame`` are the AME rights periods (AME-5)."""
    case = ctx.case
    at = case.as_of
    household = case.person.household
    regular = regular_on(case, maintenance, at)
    sit = situation(case, regular, household)
    out: list[dict[str, Any]] = []
    if regular and (household is not None or _around_release(sit)):
        maintained = (
            last_day(maintenance.end)
            if maintenance is not None and maintenance.expiry.date <= at
            else None
        )
        out.append(c2s_item(ctx, sit, maintained))
        if household is not None:  # with the household and its resources entered
            if household.members:
                limit = int(param("c2s_young_adult_age", at).value)
                puma = puma_individual_item(ctx, at, household.members, limit)
                if puma is not None:
                    out.append(puma)
            out.append(ass_item(sit.cnpe))
    elif sit.released is not None and sit.departement != MAYOTTE:
        _without_base_rights(ctx, sit, maintenance, ame, out)
    if household is not None and (regular or sit.stay is not None):
        out.append(capital_deces_item(ctx, at))
    return out


def _around_release(sit: Situation) -> bool:
    """Out of custody, or a release planned for the current écrou: the C2S is worth checking
    then even before the household is entered (C2S-3: filed with the CNPE or the CPAM)."""
    return sit.stay is None or bool(sit.stay.planned_releases)


def _without_base_rights(
    ctx: Context,
    sit: Situation,
    maintenance: PumaMaintenance | None,
    ame: list[tuple[date, date]],
    out: list[dict[str, Any]],
) -> None:
    """AME and soins urgents, unless an AME right covers ``as_of``."""
    at = sit.as_of
    assert sit.released is not None and sit.released.end is not None
    since = sit.released.end
    ended = None
    if maintenance is not None and maintenance.end <= at:
        ended = maintenance.end
        since = max(since, ended)
    if ame:
        for start, end in ame:
            if start <= at < end:
                return
            if since < end <= at:
                since = end
    out.append(ame_item(ctx, sit, last_day(ended) if ended is not None else None))
    h = sit.household
    out.append(
        soins_urgents_item(ctx, at, since, h.in_france_since if h else None, _pending(ctx, at))
    )


def _pending(ctx: Context, at: date) -> date | None:
    """The latest AME filing by ``at`` that no grant follows (pending, or deemed rejected)."""
    case = ctx.case
    for f in reversed(case.ame_filings):
        if f.date <= at:
            if any(f.date <= g.date <= at for g in case.ame_grants):
                return None
            return f.date
    return None
