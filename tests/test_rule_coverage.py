"""Every rule of the catalogue is shown by a test, or is out of scope with a reason."""

from __future__ import annotations

import re
from pathlib import Path

from cnpe_flow.rules.catalogue import rules

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = ("AFF", "IJ", "ATMP", "INV", "CD", "ALD", "C2S", "ASS", "REL", "AME", "PUMA")
RULE_ID = re.compile(r"\b(" + "|".join(PREFIXES) + r")-(\d+)\b")


def _ids_in(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        found.update(f"{m[0]}-{m[1]}" for m in RULE_ID.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_catalogue_rule_is_tested_or_out_of_scope_with_a_reason():
    tested = _ids_in([p for p in (ROOT / "tests").rglob("*.py") if p.name != Path(__file__).name])
    catalogue = rules()
    out_of_scope = {i for i, r in catalogue.items() if r.out_of_scope and r.out_of_scope.strip()}
    uncovered = sorted(set(catalogue) - tested - out_of_scope)
    assert uncovered == [], (
        f"rules with no test naming them and no out-of-scope reason: {uncovered}"
    )


def test_out_of_scope_rules_are_really_not_decided_by_the_engine():
    catalogue = rules()
    out_of_scope = {i for i, r in catalogue.items() if r.out_of_scope}
    decided = _ids_in(list((ROOT / "cnpe_flow" / "rules").glob("*.py")))
    assert out_of_scope & decided == set()


def test_code_cites_only_rules_that_exist():
    cited = _ids_in(list((ROOT / "cnpe_flow").rglob("*.py")))
    cited |= _ids_in(list((ROOT / "cnpe_flow" / "rules" / "parameters").glob("*.yaml")))
    assert cited - set(rules()) == set()
