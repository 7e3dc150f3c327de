"""What a roster import reports: the action and the words of each row, and the counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cnpe_flow.people.models import Person

CREATED, MODIFIED, UNCHANGED, REFUSED = "created", "modified", "unchanged", "refused"


@dataclass
class RowResult:
    """What one row does (or would do, in a dry run)."""

    line: int
    action: str
    name: str = ""
    person_id: int | None = None
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "action": self.action,
            "name": self.name,
            "person_id": self.person_id,
            "changes": self.changes,
            "problems": self.problems,
        }


@dataclass
class ImportReport:
    filename: str
    sha256: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    import_id: int | None = None

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in (CREATED, MODIFIED, UNCHANGED, REFUSED)}

    def summary(self) -> str:
        """« 2000 lignes : 1990 créées, 0 modifiées, 7 inchangées, 3 refusées »."""
        c = self.counts
        total = len(self.rows)
        return (
            f"{total} ligne{'s' if total > 1 else ''} : {c[CREATED]} créées, "
            f"{c[MODIFIED]} modifiées, {c[UNCHANGED]} inchangées, {c[REFUSED]} refusées"
        )

    def refused_lines(self) -> list[str]:
        """« ligne 14 : date_ecrou : 31/02/2026 n'est pas une date », one per refused row."""
        return [
            f"ligne {r.line} : {' ; '.join(r.problems)}" for r in self.rows if r.action == REFUSED
        ]

    def notes(self) -> list[str]:
        if not self.unknown_columns:
            return []
        return [f"colonnes inconnues ignorées : {', '.join(self.unknown_columns)}"]

    def as_json(self) -> dict[str, Any]:
        return {
            "file": {"name": self.filename, "sha256": self.sha256},
            "dry_run": self.dry_run,
            "import_id": self.import_id,
            "counts": {"rows": len(self.rows), **self.counts},
            "summary": self.summary(),
            "unknown_columns": self.unknown_columns,
            "rows": [r.as_json() for r in self.rows],
        }


@dataclass
class Step:
    """One operation a row needs, with its words for the report."""

    text: str
    #: the operation, given the row's person (None before the file is created)
    run: Callable[[Person | None], Any] | None = None
    #: the column an operation's problems are about when they name no field of their own
    column: str = "etablissement"
    #: a new contract event (appended with the row's other new events in one operation)
    event: dict[str, Any] | None = None
