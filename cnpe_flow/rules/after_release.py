"""After release, for support workers: AME filings and rights (AME-5 … AME-9), C2S (C2S-7),
and the end of the PUMa maintenance after a residence permit expires (PUMA-2, PUMA-3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from cnpe_flow.rules.affiliation import PumaMaintenance
from cnpe_flow.rules.ame.rights_start import rights_start_date
from cnpe_flow.rules.context import Context
from cnpe_flow.rules.dates import ISO


def ame_filing_tasks(ctx: Context) -> None:
    """Missing documents (AME-6) and deemed rejection (AME-7) for filings not yet answered.

    A filing counts as answered when a grant starts between the filing's expected rights
    start (the care date for a filing within 90 days of care, AME-5) and the next filing.
    """
    case = ctx.case
    filings = case.ame_filings
    for i, filed in enumerate(filings):
        earliest = rights_start_date(filed.date, filed.care_date)
        next_filing = filings[i + 1].date if i + 1 < len(filings) else date.max
        if any(earliest <= g.date < next_filing for g in case.ame_grants):
            continue
        if filed.complete is False:
            pv = ctx.param("ame_missing_documents_delay", filed.date)
            ctx.task(
                "ame_missing_documents_deadline", pv.value.after(filed.date), ("AME-6",), filed, pv
            )
        pv = ctx.param("ame_deemed_rejection_delay", filed.date)
        ctx.task("ame_deemed_rejected", pv.value.after(filed.date), ("AME-7",), filed, pv)


def ame_grants(ctx: Context) -> list[dict[str, Any]]:
    """Each AME grant: its period, contract code and waiting period (AME-9), renewal task (AME-8).

    Codes: 04 for a first grant or one opened more than a year after the previous right ended;
    05 for a renewal without interruption; 06 after an interruption of one year or less.
    Only code 04 carries the 9-month waiting period (seed 003: « En présence d'un code 04 »).
    """
    out: list[dict[str, Any]] = []
    previous_end: date | None = None
    for g in ctx.case.ame_grants:  # in date order, as every event list of a Case
        validity = ctx.param("ame_validity", g.date)
        end = validity.value.after(g.date)
        if previous_end is None:
            code = "04"
        elif g.date <= previous_end:
            code = "05"
        else:
            limit = ctx.param("ame_interruption_limit", g.date).value
            code = "06" if g.date <= limit.after(previous_end) else "04"
        waiting = ctx.param("ame_waiting_period", g.date).value
        waiting_end = waiting.after(g.date) if waiting is not None and code == "04" else None
        out.append(
            {
                "start": ISO[g.date],
                "end": ISO[end],
                "contract_code": code,
                "waiting_period_end": ISO[waiting_end] if waiting_end is not None else None,
                "rules": ["AME-5", "AME-9"],
            }
        )
        window = ctx.param("ame_renewal_window", g.date)
        ctx.task("ame_renewal", window.value.before(end), ("AME-8",), g, window)
        previous_end = end if previous_end is None else max(previous_end, end)
    return out


def c2s_rights(ctx: Context) -> list[dict[str, Any]]:
    """C2S rights periods and the renewal task, 2 months before the end (C2S-7)."""
    out: list[dict[str, Any]] = []
    for g in ctx.case.c2s_grants:
        end = g.end or ctx.param("c2s_validity", g.date).value.after(g.date)
        window = ctx.param("c2s_renewal_window", g.date)
        # A short right given with its own end may leave less than the window: due at its start.
        ctx.task("c2s_renewal", max(g.date, window.value.before(end)), ("C2S-7",), g, window)
        out.append({"start": ISO[g.date], "end": ISO[end], "rules": ["C2S-7"]})
    return out


def puma_window(ctx: Context, maintenance: PumaMaintenance | None) -> dict[str, Any] | None:
    """The maintenance after a permit expiry and the day an AME filing becomes receivable.

    The task is not set when the person is in custody on that day: no AME filing is possible
    during incarceration (AME-2); the levée then brings the first-filing task.
    """
    if maintenance is None:
        return None
    pv = ctx.param("ame_anticipation", maintenance.end)
    opens = pv.value.before(maintenance.end)
    if not any(s.contains(opens) for s in ctx.case.stays):
        ctx.task("ame_filing_window_opens", opens, ("PUMA-3", "PUMA-2"), maintenance.expiry, pv)
    return {
        "permit_expiry": ISO[maintenance.expiry.date],
        "oqtf": maintenance.oqtf,
        "end": ISO[maintenance.end],
        "ame_filing_from": ISO[opens],
        "parameter": maintenance.parameter,
        "rules": ["PUMA-2", "PUMA-3"],
    }
