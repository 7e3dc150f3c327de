"""Turning dated change points into closed-open periods."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any


def periods_from_changes(
    changes: Iterable[tuple[date, str, tuple[str, ...]]], key: str
) -> list[dict[str, Any]]:
    """Build contract periods from ``(date, value, rules)`` change points given in date order.

    Each change opens a period that ends (exclusively) at the next change; the last one is
    open-ended (``end`` null). Adjacent periods with the same value are merged, their rule IDs
    united in order. A change on the same date as the previous one replaces it (the later
    event wins).
    """
    out: list[dict[str, Any]] = []
    for when, value, rules in changes:
        if out:
            last = out[-1]
            if last["start"] == when:
                out.pop()
                if out and out[-1][key] == value:
                    _merge_rules(out[-1], rules)
                    out[-1]["end"] = None
                    continue
            elif last[key] == value:
                _merge_rules(last, rules)
                continue
            else:
                last["end"] = when
        out.append({"start": when, "end": None, key: value, "rules": list(rules)})
    return out


def _merge_rules(period: dict[str, Any], rules: tuple[str, ...]) -> None:
    existing = period["rules"]
    for rule_id in rules:
        if rule_id not in existing:
            existing.append(rule_id)
