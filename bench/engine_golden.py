"""Golden outputs of the rules engine, to check that a refactoring changes nothing.

    python bench/engine_golden.py write FILE [--cases N]
    python bench/engine_golden.py check FILE [--cases N]

Evaluates the shared scenarios, N seeded random valid cases, variants of them with the optional
fields the generator never sets (care date, C2S end, no ``as_of``), and as many broken variants
(missing or wrong fields, reordered dates, unknown types), one output per line:
``json.dumps(evaluate(case))`` in the engine's own key order, or the ``CaseError`` problems.
``check`` compares byte for byte and names the first cases that differ.

Where outputs changed on purpose, the change is explained here. The contract's second version
(issue 8), measured on the 15 013 inputs of HEAD's generator before the generator itself
gained transfers, contracts signed before an aménagement and households: 3 078 identical;
7 538 differ only by the announced fields (``letters[].provisional``, ``stays[].transfers``,
``ij_resumption`` now medical and owned by the USMP); 2 544 by the rules cited by an
irregular person's ``release_summary`` (AFF-8, AME-2, REL-6: no CPAM, MAS or carte Vitale
rules); 250 list provisional letters before a planned release and 71 whose latest release is
a plan now show that plan's letters as provisional; 1 520 refusals carry the new French
wording on the same fields; 10 refusals name fewer fields (a contract signed before its
aménagement is now valid, so only the real problem remains), 2 are accepted for that reason;
2 release an irregular person from Mayotte (no AME filing, AME-1). A new golden file must be
written from the commit that made such a change.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cnpe_flow.rules import CaseError, evaluate
from cnpe_flow.rules.sample_cases import random_case

TODAY = date(2026, 11, 23)
SCENARIOS = Path(__file__).resolve().parent.parent / "tests" / "scenarios"
_JUNK: tuple[Any, ...] = (
    None,
    3,
    2.5,
    True,
    "",
    "x",
    "2026-02-30",
    "20260110",
    [],
    {},
    "1850-01-01",
)


def _shifted(raw: str, days: int) -> str:
    return (date.fromisoformat(raw) + timedelta(days=days)).isoformat()


def _variant(rnd: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    """The optional contract fields the generator leaves out: care date, C2S end, no as_of."""
    case = copy.deepcopy(case)
    for event in case["events"]:
        if event["type"] == "ame_filed" and rnd.random() < 0.7:
            event["care_date"] = _shifted(event["date"], -rnd.randint(-5, 120))
        elif event["type"] == "c2s_granted" and rnd.random() < 0.7:
            event["end"] = _shifted(event["date"], rnd.randint(-3, 500))
    if rnd.random() < 0.3:
        del case["as_of"]
    return case


def _broken(rnd: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    """One to three random damages: a field removed or replaced, a date moved, a type changed."""
    case = copy.deepcopy(case)
    for _ in range(rnd.randint(1, 3)):
        events = case.get("events")
        events = [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []
        person = case.get("person")
        targets = [case, *([person] if isinstance(person, dict) else []), *events]
        target = rnd.choice(targets)
        keys = list(target)
        action = rnd.random()
        if action < 0.25 and keys:
            del target[rnd.choice(keys)]
        elif action < 0.55 and keys:
            target[rnd.choice(keys)] = rnd.choice(_JUNK)
        elif action < 0.8 and events:
            event = rnd.choice(events)
            if event.get("date") not in _JUNK:
                event["date"] = _shifted(event["date"], rnd.randint(-900, 900))
        elif events:
            event = rnd.choice(events)
            event["type"] = rnd.choice(
                ("ecrou", "levee_ecrou", "activity_start", "activity_end", "ame_filed",
                 "ame_granted", "c2s_granted", "residence_permit_expiry", "amenagement",
                 "work_inside_end", "planned_release", "transfer", "evasion")
            )  # fmt: skip
    return case


def cases(count: int) -> Iterator[tuple[str, Any]]:
    """(label, input) pairs, always the same for the same ``count``."""
    for path in sorted(SCENARIOS.glob("*.json")):
        yield path.stem, json.loads(path.read_text(encoding="utf-8"))["case"]
    rnd = random.Random(20261123)
    for i in range(count):
        case = random_case(rnd)
        yield f"random-{i}", case
        yield f"variant-{i}", _variant(rnd, case)
        yield f"broken-{i}", _broken(rnd, case)
    for junk in (None, [], "x", {"person": None}, {"person": {}, "events": "x"}):
        yield f"junk-{junk!r}", junk


def output(data: Any) -> str:
    try:
        return json.dumps(evaluate(data, today=TODAY), ensure_ascii=False, sort_keys=False)
    except CaseError as err:
        return "ERROR " + json.dumps(
            [[p.field, p.message] for p in err.problems] + [str(err)], ensure_ascii=False
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("write", "check"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--cases", type=int, default=5000)
    args = parser.parse_args()
    lines = [f"{label}\t{output(data)}\n" for label, data in cases(args.cases)]
    if args.action == "write":
        args.file.write_text("".join(lines), encoding="utf-8")
        print(f"written: {len(lines)}")
        return 0
    golden = args.file.read_text(encoding="utf-8").splitlines(keepends=True)
    differ = [
        got.split("\t", 1)[0] for got, want in zip(lines, golden, strict=False) if got != want
    ]
    if len(golden) != len(lines):
        differ.append(f"line count {len(lines)} != {len(golden)}")
    print(f"compared: {len(lines)}")
    print(f"different: {len(differ)}")
    for label in differ[:10]:
        print(f"  {label}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
