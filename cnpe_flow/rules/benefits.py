"""Cash benefits around custody: daily sickness benefits (IJ-*), AT/MP (ATMP-*), invalidity
(INV-*), and the ALD steps (ALD-1, ALD-2)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from cnpe_flow.reference import cnpe_pole
from cnpe_flow.rules.case import Event, Stay
from cnpe_flow.rules.context import Context
from cnpe_flow.rules.timeline import periods_from_changes


def _resumption(stay: Stay) -> Event | None:
    """IJ-3: the event from which the new fund resumes IJ: the first aménagement, or the levée
    when it comes first (None while neither has happened)."""
    first = stay.amenagements[0] if stay.amenagements else None
    if first is not None and (stay.levee is None or first.date <= stay.levee.date):
        return first
    return stay.levee


def _unconsolidated_atmp(stay: Stay) -> bool:
    return any(e.consolidated is False for e in stay.atmp)


def ij_periods(ctx: Context) -> list[dict[str, Any]]:
    """The contract's ``ij`` periods, and the ``ij_resumption`` / ``atmp_ij_claim`` tasks.

    IJ paid before an écrou are suspended during it (IJ-1, IJ-2) and resumable from the first
    aménagement or the levée (IJ-3). An AT/MP during custody that is not consolidated at release
    gives IJ from the day of release (ATMP-2), which are then "paid before" any later écrou.
    """
    case = ctx.case
    had_ij = "ij" in case.person.benefits_before_ecrou
    receiving = had_ij
    resumption_done = False
    changes: list[tuple[date, str, tuple[str, ...]]] = []
    for stay in case.stays:
        if receiving:
            changes.append((stay.ecrou.date, "suspended", ("IJ-2", "IJ-1")))
            trigger = _resumption(stay)
            if trigger is not None:
                # A one-day écrou still suspends them for that day (stay.end is the next day).
                # (a stay with a levée has an end)
                when = cast(date, stay.end) if trigger is stay.levee else trigger.date
                changes.append((when, "resumable", ("IJ-3",)))
                if had_ij and not resumption_done:  # once (contract)
                    ctx.task("ij_resumption", trigger.date, ("IJ-3",), trigger)
                    resumption_done = True
        if stay.levee is not None and stay.atmp and _unconsolidated_atmp(stay):
            changes.append((stay.levee.date, "payable_from_release", ("ATMP-2",)))
            ctx.task("atmp_ij_claim", stay.levee.date, ("ATMP-2",), stay.levee)
            receiving = True
    return periods_from_changes(changes, "status")


def maintained_benefits(ctx: Context) -> list[dict[str, Any]]:
    """Benefits that custody does not stop (ATMP-1, INV-1), with where new claims go (INV-2)."""
    out = []
    benefits = ctx.case.person.benefits_before_ecrou
    if "atmp_rente" in benefits:
        out.append(
            {
                "benefit": "atmp_rente",
                "status": "maintained",
                "paid_by": "la CPAM qui a instruit le dossier initial",
                "rules": ["ATMP-1"],
            }
        )
    if "invalidity_pension" in benefits:
        out.append(
            {
                "benefit": "invalidity_pension",
                "status": "maintained",
                "paid_by": "la caisse qui verse la pension",
                "new_claims_to": "CNPE pendant l'incarcération ou un aménagement sans activité",
                "rules": ["INV-1", "INV-2"],
            }
        )
    return out


def ald(ctx: Context) -> tuple[str | None, dict[str, Any] | None]:
    """ALD: protocol request at each écrou (ALD-1) and the renewal pole (ALD-2).

    The pole follows the establishment holding the person: that of the latest écrou, or of
    the latest transfer made by ``as_of`` (contract v2), and at the levée the one that released
    them. The split between poles is a documented hypothesis (reference-data §1.3): outputs
    say so.
    """
    case = ctx.case
    if "ald" not in case.person.benefits_before_ecrou or not case.stays:
        return None, None
    for stay in case.stays:
        ctx.task("ald_protocol_request", stay.ecrou.date, ("ALD-1",), stay.ecrou)
    last = case.stays[-1]
    est = last.establishment_on(case.as_of if last.levee is None else last.levee.date)
    pole = cnpe_pole(est.pole)
    detail: dict[str, Any] = {
        "pole": pole.pole if pole else None,
        "establishment": est.name,
        "status": est.pole_status,
        "rules": ["ALD-2"],
    }
    if pole is None:
        ctx.warn(
            "ald_pole_unknown",
            f"Pôle CNPE inconnu pour {est.name} ({est.pole_status}) : demander au CNPE "
            "(09 74 75 75 50) où adresser le renouvellement d'ALD.",
        )
        return None, detail
    detail.update(
        {
            "recipient": pole.recipient,
            "caisse": pole.caisse,
            "address_lines": list(pole.address_lines),
            "postcode": pole.postcode,
            "city": pole.city,
        }
    )
    ctx.warn(
        "ald_pole_hypothesis",
        f"{pole.label} déduit de l'établissement {est.name} : {est.pole_status}.",
    )
    return pole.pole, detail
