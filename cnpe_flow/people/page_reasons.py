"""Why a decision was taken: rule IDs explained from the rule catalogue, with their seed quote.

The words are those of ``cnpe-flow explain`` (:mod:`cnpe_flow.rules.explain`): sources named
by their document, never by a file name; a period told in its context (the end of a PUMa
maintenance and what to do next, the waiting period of a code 04 AME grant).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cnpe_flow.rules.catalogue import rules
from cnpe_flow.rules.explain import SHORT, source_words
from cnpe_flow.rules.explain import period_reasons as period_words


@dataclass(frozen=True)
class Reason:
    """One rule behind a decision: ID, plain French reason, and the seed it comes from."""

    rule_id: str
    text: str
    source: str
    quote: str


def _reason(rule_id: str, text: str | None = None) -> Reason:
    rule = rules().get(rule_id)
    if rule is None:
        return Reason(rule_id, text or rule_id, "", "")
    shown = text or SHORT.get(rule_id, rule.title)
    return Reason(rule_id, shown, source_words(rule.source), rule.quote)


def reasons_for(rule_ids: list[str]) -> list[Reason]:
    """The catalogue's explanation of each rule ID (unknown IDs are shown as they are)."""
    return [_reason(rule_id) for rule_id in rule_ids]


def period_reasons(period: dict[str, Any], output: dict[str, Any]) -> list[Reason]:
    """The reasons of one affiliation period, in the words of ``explain`` for its context."""
    return [_reason(rule_id, text) for rule_id, text in period_words(period, output)]
