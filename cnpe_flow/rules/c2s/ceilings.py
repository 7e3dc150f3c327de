"""C2S-1: annual resource ceilings by household size, in metropolitan France or overseas.

The free-C2S ceiling is also the AME ceiling (AME-1, CASF L251-1). Official per-size tables
come first, then the published amount per extra person (never a coefficient formula: the
published tables are the reference, style.md). A size our sources do not cover gives None,
never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from cnpe_flow.rules.context import Context
from cnpe_flow.rules.dates import fr
from cnpe_flow.rules.parameters import param
from cnpe_flow.rules.right_items import rows


@dataclass(frozen=True, slots=True)
class Ceilings:
    """Euros per year for ``size`` persons; None when our sources have no value."""

    free: Decimal | None
    participation: Decimal | None
    #: French, for the condition's text: where the amount comes from when not plain, and a
    #: caveat when the table is stale or extrapolated ("" otherwise)
    note: str
    parameters: tuple[str, ...]


def ceilings(ctx: Context, at: date, territory: str, size: int) -> Ceilings:
    """The ceilings in force on ``at`` for ``size`` persons; ``territory``: ``metropole`` or
    ``dom``. A stale or extrapolated table is reported on the context and in ``note``."""
    name = "c2s_ceilings" if territory == "metropole" else "c2s_ceilings_dom"
    (table,) = rows(ctx, at, name)
    history_from = None
    if size == 1 and table.extrapolated and territory == "metropole":
        # Before the first full table, the single-person history is the documented value.
        history = param("c2s_ceiling_single_history", at)
        if not history.extrapolated:
            history_from = history.effective_from
    return _ceilings(
        name, table.effective_from, table.stale, table.extrapolated, history_from, size
    )


@lru_cache(maxsize=2048)
def _ceilings(
    name: str,
    table_from: date,
    stale: bool,
    extrapolated: bool,
    history_from: date | None,
    size: int,
) -> Ceilings:
    table = param(name, table_from)
    free = _from_table(table.value, "free", size)
    participation = _from_table(table.value, "participation", size)
    traces = [table.trace]
    notes = []
    if history_from is not None:
        history = param("c2s_ceiling_single_history", history_from)
        free = _amount(history.value)
        traces.insert(0, history.trace)
    elif extrapolated:
        notes.append(
            f"aucun plafond documenté avant le {fr(table_from)} : le plus ancien est utilisé, "
            "montant à vérifier"
        )
    rows_given = len(table.value.get("free") or ())
    if free is not None and participation is not None and size > rows_given:
        notes.append(
            f"plafond de {rows_given} personnes augmenté du montant publié par personne "
            "supplémentaire"
        )
    if stale:
        notes.append(
            f"plafond du {fr(table_from)} : sa revalorisation annuelle n'est pas trouvée dans "
            "nos sources, montant à vérifier"
        )
    return Ceilings(free, participation, " ; ".join(notes), tuple(traces))


def _from_table(table: dict[str, Any], key: str, size: int) -> Decimal | None:
    rows = table.get(key) or []
    if size <= len(rows):
        return _amount(rows[size - 1])
    extra = table.get(f"{key}_extra")
    if extra is None or not rows:
        return None
    return _amount(rows[-1]) + (size - len(rows)) * _amount(extra)


def _amount(raw: Any) -> Decimal:
    # YAML gives int or float; str() keeps 2.8 as 2.8 instead of 2.79999…
    return Decimal(str(raw))
