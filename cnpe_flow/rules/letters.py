"""Which letters a case calls for (case-contract.md, « Letters »)."""

from __future__ import annotations

from typing import Any

from cnpe_flow.rules.affiliation import PumaMaintenance, regular_on
from cnpe_flow.rules.context import Context

LETTER_KINDS = (
    "release_summary",
    "cpam_transfer",
    "ald_renewal",
    "mas_referral",
    "ame_filing_guide",
    "cnpe_amenagement",
)

_RULES = {
    "release_summary": ["AFF-6", "AFF-7", "REL-1", "REL-3", "REL-6"],
    "cpam_transfer": ["AFF-6"],
    "ald_renewal": ["ALD-2"],
    "mas_referral": ["REL-3", "REL-5"],
    "ame_filing_guide": ["AME-2", "AME-3", "AME-4", "AME-10"],
    "cnpe_amenagement": ["AFF-11"],
}


def letters(ctx: Context, maintenance: PumaMaintenance | None) -> list[dict[str, Any]]:
    case = ctx.case
    wanted: set[str] = set()
    for stay in case.stays:
        if stay.amenagements:
            wanted.add("cnpe_amenagement")
        if stay.levee is None:
            continue
        wanted.add("release_summary")
        if regular_on(case, maintenance, stay.levee.date):
            wanted.add("mas_referral")  # never for an AME case (REL-4)
            if case.person.residence_postcode is not None:
                wanted.add("cpam_transfer")
        else:
            wanted.add("ame_filing_guide")
    if "ald" in case.person.benefits_before_ecrou and case.stays:
        wanted.add("ald_renewal")
    return [{"kind": k, "rules": list(_RULES[k])} for k in LETTER_KINDS if k in wanted]
