"""Task kinds as the application shows them: the engine's catalogue, plus the kinds the
application adds itself (the hand-over after a transfer).

Whether a stored task is medical is read here, not only from its row: tasks stored before
contract v2 have ``ij_resumption`` rows marked non-medical, and sick leave must not reach
the SPIP or a partner through them while they wait for their next re-evaluation.
"""

from __future__ import annotations

from typing import Protocol

from cnpe_flow.rules.tasks_catalogue import TASK_KINDS, TaskKind

#: the new establishment takes over a transferred file (not an engine kind: kept as it is)
TRANSFER_HANDOVER = "transfer_handover"

#: kinds the application adds besides the engine's
APP_TASK_KINDS: dict[str, TaskKind] = {
    TRANSFER_HANDOVER: TaskKind("Dossier reçu par transfert : reprendre le suivi", "spip"),
}


class _StoredTask(Protocol):
    kind: str
    medical: bool


def kind_label(kind: str) -> str:
    """A task kind's French label (the kind itself, readable, when nothing names it)."""
    found = TASK_KINDS.get(kind) or APP_TASK_KINDS.get(kind)
    return found.label if found else kind.replace("_", " ").capitalize()


def kind_is_medical(kind: str) -> bool:
    found = TASK_KINDS.get(kind)
    return found is not None and found.medical


def is_medical(task: _StoredTask) -> bool:
    """The row says so, or the engine's catalogue does (rows stored before it changed)."""
    return task.medical or kind_is_medical(task.kind)
