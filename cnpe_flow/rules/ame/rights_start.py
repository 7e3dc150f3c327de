"""AME-5: the first day of an AME right (the engine's ``ame_grants`` and filing tasks)."""

from __future__ import annotations

from datetime import date

from cnpe_flow.rules.parameters import param


def rights_start_date(filing_date: date, care_date: date | None) -> date:
    """The filing date; or the care date when the filing is made at the latest on care date
    + ``ame_retroactivity`` (90 days, that day included; read at the filing date). Care after
    the filing changes nothing. On the engine's hot path: no trace, one look-up at most."""
    if care_date is None or care_date > filing_date:
        return filing_date
    deadline = param("ame_retroactivity", filing_date).value.after(care_date)
    return care_date if filing_date <= deadline else filing_date
