"""What one evaluation accumulates: tasks and warnings, and dated-parameter look-ups that
report themselves (an extrapolated or stale value is never used silently)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cnpe_flow.rules.case import Case, Event
from cnpe_flow.rules.parameters import ParamValue, param
from cnpe_flow.rules.tasks_catalogue import TASK_KINDS


@dataclass(slots=True)
class Context:
    case: Case
    tasks: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def warn(self, code: str, message: str) -> None:
        if not any(w["code"] == code and w["message"] == message for w in self.warnings):
            self.warnings.append({"code": code, "message": message})

    def param(self, name: str, at: date) -> ParamValue:
        pv = param(name, at)
        if not (pv.extrapolated or pv.stale):
            return pv
        if pv.extrapolated:
            self.warn(
                "parameter_extrapolated",
                f"{name} : aucune valeur documentée avant le {pv.effective_from:%d/%m/%Y} ; "
                f"la plus ancienne est utilisée pour le {at:%d/%m/%Y} (à vérifier).",
            )
        if pv.stale:
            self.warn(
                "parameter_stale",
                f"{name} : la valeur du {pv.effective_from:%d/%m/%Y} a dépassé sa date de "
                f"revalorisation ; aucune valeur plus récente n'est documentée (à vérifier).",
            )
        return pv

    def task(
        self,
        kind: str,
        due: date,
        rules: tuple[str, ...],
        trigger: Event,
        parameter: ParamValue | None = None,
    ) -> None:
        """Add a task; its owner, label and medical flag come from the task catalogue."""
        task = {**_TEMPLATES[kind], "due": due, "rules": list(rules), "event": trigger.index}
        if parameter is not None:
            task["parameter"] = parameter.trace
        self.tasks.append(task)


# Key order of a task in the output: kind, label, owner, medical, due, rules, event[, parameter].
_TEMPLATES = {
    kind: {"kind": kind, "label": meta.label, "owner": meta.owner, "medical": meta.medical}
    for kind, meta in TASK_KINDS.items()
}
