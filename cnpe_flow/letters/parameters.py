"""Dated parameters read by letters the way the engine reads them.

:func:`cnpe_flow.rules.parameters.param` flags a value used before its first date
(``extrapolated``) or past its revaluation date (``stale``); the engine turns the flag into a
warning (``rules/context.py``). Letters and MAS operations read through a
:class:`ParameterReader`, which keeps the engine's own warning, so that a value to check is
never printed silently.
"""

from __future__ import annotations

from datetime import date

from cnpe_flow.rules.context import parameter_warning
from cnpe_flow.rules.parameters import ParamValue, param


class ParameterReader:
    """A look-up (``lookup(name, at)``, as the engine's ``ctx.param``) that keeps the warning
    of each extrapolated or stale value once, in reading order."""

    __slots__ = ("warnings",)

    def __init__(self) -> None:
        self.warnings: list[dict[str, str]] = []

    def __call__(self, name: str, at: date) -> ParamValue:
        pv = param(name, at)
        if pv.extrapolated or pv.stale:
            warning = parameter_warning(pv.name, pv.effective_from, pv.extrapolated)
            if warning not in self.warnings:
                self.warnings.append(warning.copy())  # the engine's is cached: not shared
        return pv
