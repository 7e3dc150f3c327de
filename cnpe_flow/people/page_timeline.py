"""The case page's timeline: affiliation periods as proportional bars, events as marks.

Positions are computed here, in percent of the drawn span, and written as SVG attributes
(the CSP forbids inline ``style``); colours come from CSS classes per fund.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from cnpe_flow.auth.access import MEDICAL_EVENTS
from cnpe_flow.people.models import CustodyEvent
from cnpe_flow.people.page_labels import EVENT_LABELS, MEDICAL_EVENT_LABEL, establishment_label
from cnpe_flow.people.page_reasons import Reason, period_reasons
from cnpe_flow.rules.explain import FUNDS, period_note

#: how far the bar runs past the last known date, so that an open period stays visible
_TAIL_DAYS = 30


@dataclass
class Segment:
    fund: str
    label: str
    start: date
    #: closed-open end; None = open-ended (drawn up to the end of the bar)
    end: date | None
    reasons: list[Reason]
    x: float
    width: float
    cpam: str | None = None
    #: what the fund alone does not say ("maintien des droits terminé")
    note: str | None = None


@dataclass
class Mark:
    label: str
    day: date
    x: float
    #: a transfer's mark carries a visible label (where the person went), not only a tooltip
    transfer: bool = False

    @property
    def anchor(self) -> str:
        """Where a visible label hangs from its tick, so that it stays inside the bar."""
        return "start" if self.x < 20 else "end" if self.x > 80 else "middle"


@dataclass
class Timeline:
    start: date
    end: date
    segments: list[Segment] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    #: where today falls on the bar, or None when outside it
    today_x: float | None = None

    @property
    def empty(self) -> bool:
        return not self.segments

    @property
    def transfers(self) -> list[Mark]:
        return [m for m in self.marks if m.transfer]


def _percent(day: date, start: date, span: int) -> float:
    return round(100 * (day - start).days / span, 2)


def build_timeline(
    periods: list[dict[str, Any]],
    events: list[CustodyEvent],
    today: date,
    *,
    medical: bool,
    output: dict[str, Any] | None = None,
) -> Timeline:
    """The bar for these affiliation periods (engine output) and effective events.

    ``output``, the whole (redacted) evaluation, lets the reasons tell a period in its context
    (end of a PUMa maintenance, AME waiting period).
    """
    context = output if output is not None else {"affiliation": periods}
    starts = [date.fromisoformat(p["start"]) for p in periods]
    ends = [date.fromisoformat(p["end"]) for p in periods if p["end"]]
    days = [e.date for e in events]
    if not starts and not days:
        return Timeline(today, today)
    first = min(starts + days)
    last = max([*ends, *days, today]) + timedelta(days=_TAIL_DAYS)
    span = max((last - first).days, 1)
    timeline = Timeline(first, last)
    for p, start in zip(periods, starts, strict=True):
        end = date.fromisoformat(p["end"]) if p["end"] else None
        x = _percent(start, first, span)
        timeline.segments.append(
            Segment(
                fund=p["fund"],
                label=FUNDS.get(p["fund"], p["fund"]),
                start=start,
                end=end,
                reasons=period_reasons(p, context),
                x=x,
                width=round(_percent(end or last, first, span) - x, 2),
                cpam=p.get("cpam"),
                note=period_note(p),
            )
        )
    for e in sorted(events, key=lambda e: e.date):
        hidden = e.type in MEDICAL_EVENTS and not medical
        label = MEDICAL_EVENT_LABEL if hidden else EVENT_LABELS.get(e.type, e.type)
        transfer = e.type == "transfer"
        if transfer:
            label = f"Transfert vers {establishment_label(e.data.get('establishment'))}"
        timeline.marks.append(Mark(label, e.date, _percent(e.date, first, span), transfer))
    if first <= today <= last:
        timeline.today_x = _percent(today, first, span)
    return timeline
