"""Which letters a case calls for (case-contract.md, « Letters », and its second version).

Before a planned release, the letters that a levée on that date would bring are listed already,
marked ``provisional`` (their contents are dated from the planned date); the levée itself makes
them final.
"""

from __future__ import annotations

from typing import Any

from cnpe_flow.rules.affiliation import PumaMaintenance, regular_on, released_in_mayotte
from cnpe_flow.rules.case import Event, Stay
from cnpe_flow.rules.context import Context
from cnpe_flow.rules.release import warn_no_ame_in_mayotte

#: every letter kind the engine may list, in the contract's order, with the words of the
#: plain-text explanation (``explain.py``). The letters' table (``letters/<kind>/meta.yaml``,
#: ``cnpe_flow/letters/kinds.py``) has one entry per kind named here.
LETTER_KINDS: dict[str, str] = {
    "release_summary": "récapitulatif de sortie pour la personne",
    "cpam_transfer": "transfert du dossier à la CPAM de résidence",
    "ald_renewal": "renouvellement d'ALD au pôle du CNPE",
    "mas_referral": "saisine de la Mission accompagnement santé",
    "ame_filing_guide": "guide de dépôt de la demande d'AME",
    "cnpe_amenagement": "courrier au CNPE pour l'aménagement de peine",
}

_RULES = {
    "release_summary": ["AFF-6", "AFF-7", "REL-1", "REL-3", "REL-6"],
    "cpam_transfer": ["AFF-6"],
    "ald_renewal": ["ALD-2"],
    "mas_referral": ["REL-3", "REL-5"],
    "ame_filing_guide": ["AME-2", "AME-3", "AME-4", "AME-10"],
    "cnpe_amenagement": ["AFF-11"],
}
# What the release summary says to a person without base rights after release: the AME steps
# (or, in Mayotte, where AME does not exist, the warning), never the CPAM, MAS or carte Vitale.
_SUMMARY_RULES_WITHOUT_RIGHTS = ["AFF-8", "AME-2", "REL-6"]
_SUMMARY_RULES_MAYOTTE = ["AFF-8", "AME-1", "REL-6"]


def letters(ctx: Context, maintenance: PumaMaintenance | None) -> list[dict[str, Any]]:
    """The letters of the case, each with its rules and whether it is still provisional."""
    case = ctx.case
    wanted: dict[str, bool] = {}  # kind -> provisional
    summary_rules = _RULES["release_summary"]
    for stay in case.stays:
        if stay.amenagements:
            wanted["cnpe_amenagement"] = False
        release = stay.levee or _planned_release(stay)
        if release is None:
            continue
        provisional = stay.levee is None
        # The latest release decides: after a new écrou, its planned date dates the letters.
        if regular_on(case, maintenance, release.date):
            summary_rules = _RULES["release_summary"]
            wanted["release_summary"] = wanted["mas_referral"] = provisional  # not AME (REL-4)
            if case.person.residence_postcode is not None:
                wanted["cpam_transfer"] = provisional
        elif released_in_mayotte(case, stay):
            summary_rules = _SUMMARY_RULES_MAYOTTE
            wanted["release_summary"] = provisional
            warn_no_ame_in_mayotte(ctx)  # no AME filing guide where AME does not exist (AME-1)
        else:
            summary_rules = _SUMMARY_RULES_WITHOUT_RIGHTS
            wanted["release_summary"] = wanted["ame_filing_guide"] = provisional
    if "ald" in case.person.benefits_before_ecrou and case.stays:
        wanted["ald_renewal"] = False
    return [
        {
            "kind": kind,
            "rules": list(summary_rules if kind == "release_summary" else _RULES[kind]),
            "provisional": wanted[kind],
        }
        for kind in LETTER_KINDS
        if kind in wanted
    ]


def _planned_release(stay: Stay) -> Event | None:
    """The planned release of a stay still in progress, when it is the stay's latest event
    (an aménagement or transfer recorded after the planned date means the plan is out of date)."""
    if stay.levee is not None or not stay.planned_releases:
        return None
    planned = stay.planned_releases[-1]
    for events in (stay.changes, stay.transfers, stay.atmp):
        # Each list is in the order events take effect (a contract signed before its
        # aménagement counts from the aménagement).
        if events and (events[-1].effective or events[-1].date) > planned.date:
            return None
    return planned
