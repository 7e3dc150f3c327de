"""House rule (ARCHITECTURE.md): no module of the package over 400 lines, migrations aside.

A module that grows past it holds more than one thing: split it by what it holds."""

from __future__ import annotations

from pathlib import Path

import cnpe_flow

PACKAGE = Path(cnpe_flow.__file__).parent
LIMIT = 400


def test_no_module_over_400_lines() -> None:
    too_long = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert not too_long, f"modules over {LIMIT} lines: {too_long}"
