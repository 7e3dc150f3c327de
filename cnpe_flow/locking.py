"""Optimistic locking: a change made from a stale page is refused, never silently merged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from cnpe_flow.clock import now_utc
from cnpe_flow.errors import Conflict


def bump_version(
    session: Session, row: Any, expected_version: int | None, conflict: Conflict
) -> None:
    """Increment ``row.version`` if it still is ``expected_version`` (atomic on every backend).

    ``row`` is a table model with ``id``, ``version`` and ``updated_at``; ``None`` means "the
    version just read" (callers that hold no version from a form).
    """
    model = type(row)
    expected = row.version if expected_version is None else expected_version
    result = session.execute(
        update(model)
        .where(model.id == row.id, model.version == expected)
        .values(version=expected + 1, updated_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise conflict
    session.refresh(row)
