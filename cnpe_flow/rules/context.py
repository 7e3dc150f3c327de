"""What one evaluation accumulates: tasks and warnings, and dated-parameter look-ups that
report themselves (an extrapolated or stale value is never used silently)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from cnpe_flow.rules.case import Case, Event
from cnpe_flow.rules.dates import ISO, fr
from cnpe_flow.rules.parameters import ParamValue, all_parameters, param
from cnpe_flow.rules.tasks_catalogue import TASK_KINDS


@lru_cache(maxsize=256)
def parameter_warning(name: str, effective_from: date, extrapolated: bool) -> dict[str, str]:
    """The warning for an extrapolated or stale value (few distinct ones: built once each).

    People read the message: it names the parameter by its French label; its file name is
    kept apart, in ``parameter``, for the API and the tests.
    """
    since = fr(effective_from)
    label = all_parameters()[name].label
    if extrapolated:
        code = "parameter_extrapolated"
        message = (
            f"{label} : aucune valeur documentée avant le {since} ; la plus ancienne est "
            "utilisée pour une date antérieure (à vérifier)."
        )
    else:
        code = "parameter_stale"
        message = (
            f"{label} : la valeur du {since} a dépassé sa date de revalorisation ; aucune valeur "
            "plus récente n'est documentée (à vérifier)."
        )
    return {"code": code, "message": message, "parameter": name}


@dataclass(slots=True)
class Context:
    case: Case
    tasks: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def warn(self, code: str, message: str) -> None:
        warning = {"code": code, "message": message}
        if warning not in self.warnings:  # each warning once
            self.warnings.append(warning)

    def param(self, name: str, at: date) -> ParamValue:
        pv = param(name, at)
        if pv.extrapolated or pv.stale:
            self.flag(pv)
        return pv

    def flag(self, pv: ParamValue) -> None:
        """Warn that ``pv`` (extrapolated or stale) was used: once per evaluation."""
        warning = parameter_warning(pv.name, pv.effective_from, pv.extrapolated)
        if warning not in self.warnings:
            self.warnings.append(warning.copy())

    def task(
        self,
        kind: str,
        due: date,
        rules: tuple[str, ...],
        trigger: Event,
        parameter: ParamValue | None = None,
    ) -> None:
        """Add a task; its owner, label and medical flag come from the task catalogue."""
        task = _TEMPLATES[kind].copy()  # cheaper than a new dict: the keys are already in place
        task["due"] = ISO[due]
        task["rules"] = list(rules)
        task["event"] = trigger.index
        if parameter is not None:
            task["parameter"] = parameter.trace
        self.tasks.append(task)


# Key order of a task in the output: kind, label, owner, medical, due, rules, event[, parameter].
_TEMPLATES: dict[str, dict[str, Any]] = {
    kind: {
        "kind": kind,
        "label": meta.label,
        "owner": meta.owner,
        "medical": meta.medical,
        "due": None,
        "rules": None,
        "event": None,
    }
    for kind, meta in TASK_KINDS.items()
}
