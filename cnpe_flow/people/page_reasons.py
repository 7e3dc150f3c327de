"""Why a decision was taken: rule IDs explained from the rule catalogue, with their seed quote."""

from __future__ import annotations

from dataclasses import dataclass

from cnpe_flow.rules.catalogue import SEED_FILES, rules
from cnpe_flow.rules.explain import SHORT


@dataclass(frozen=True)
class Reason:
    """One rule behind a decision: ID, plain French reason, and the seed it comes from."""

    rule_id: str
    text: str
    source: str
    quote: str


def reasons_for(rule_ids: list[str]) -> list[Reason]:
    """The catalogue's explanation of each rule ID (unknown IDs are shown as they are)."""
    known = rules()
    out = []
    for rule_id in rule_ids:
        rule = known.get(rule_id)
        if rule is None:
            out.append(Reason(rule_id, rule_id, "", ""))
            continue
        seed = SEED_FILES.get(rule.source[:3], "")
        source = f"{rule.source} — {seed}" if seed else rule.source
        out.append(Reason(rule_id, SHORT.get(rule_id, rule.title), source, rule.quote))
    return out
