"""Every rule of the catalogue is asserted by a test, or is out of scope with a reason.

A rule counts as covered only where a test *asserts* on it, read from the test files' syntax
tree (``ast``), so a comment, a docstring or a scenario title never counts:

- a string naming the rule inside an ``assert`` statement (its condition or its message), or in
  the arguments of ``pytest.raises`` / ``pytest.warns``, or of a call to an asserting helper of
  the same module (a function whose own ``assert`` reads one of its parameters);
- a variable or constant read by such an assertion, whose assigned value names the rule
  (``expected = ["AFF-8", "AME-2"]`` then ``assert t["rules"] == expected``);
- a ``pytest.mark.parametrize`` column whose argument an assertion of the test reads;
- a test function's name (``test_aff_3_…`` → AFF-3), when the function asserts something.

Only test functions count (with the functions they nest): an ``assert`` in a module-level
helper counts through the calls that tests make to it, with the rule in their arguments.

An assertion whose condition is a constant (``assert True, "AFF-10"``) cannot fail: it counts
for nothing.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from cnpe_flow.rules.catalogue import rules

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = ("AFF", "IJ", "ATMP", "INV", "CD", "ALD", "C2S", "ASS", "REL", "AME", "PUMA")
RULE_ID = re.compile(r"\b(" + "|".join(PREFIXES) + r")-(\d+)\b")
# In a function name: ``test_aff_3_…``, ``test_puma_2_puma_3_…`` (underscores around).
NAME_ID = re.compile(r"(?:(?<=_)|^)(" + "|".join(p.lower() for p in PREFIXES) + r")_(\d+)(?=_|$)")
RAISES = {"raises", "warns"}


def _ids(text: str) -> set[str]:
    return {f"{m[0]}-{m[1]}" for m in RULE_ID.findall(text)}


def _ids_in(paths: Iterable[Path]) -> set[str]:
    """Every rule ID written anywhere in these files (for the code side, not for tests)."""
    found: set[str] = set()
    for path in paths:
        found |= _ids(path.read_text(encoding="utf-8"))
    return found


def _strings(node: ast.AST) -> Iterator[str]:
    """String constants under ``node`` (f-string pieces included)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            yield sub.value


def _names(node: ast.AST) -> set[str]:
    return {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name)}


def _is_pytest_attr(node: ast.AST, names: set[str]) -> bool:
    """``pytest.raises(...)`` / ``raises(...)`` style calls."""
    if not isinstance(node, ast.Call):
        return False
    f = node.func
    return (isinstance(f, ast.Attribute) and f.attr in names) or (
        isinstance(f, ast.Name) and f.id in names
    )


def _assignments(body: Iterable[ast.stmt]) -> dict[str, list[ast.AST]]:
    """Name -> the values assigned to it by simple assignments among these statements."""
    found: dict[str, list[ast.AST]] = {}
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Assign):
                targets, value = sub.targets, sub.value
            elif isinstance(sub, ast.AnnAssign) and sub.value is not None:
                targets, value = [sub.target], sub.value
            else:
                continue
            for t in targets:
                if isinstance(t, ast.Name):
                    found.setdefault(t.id, []).append(value)
    return found


@dataclass
class _Module:
    tree: ast.Module
    constants: dict[str, list[ast.AST]] = field(init=False)
    helpers: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.constants = _assignments(self.tree.body)
        self.helpers = {
            f.name
            for f in self.tree.body
            if isinstance(f, ast.FunctionDef)
            and not f.name.startswith("test")
            and _asserts_param(f)
        }

    def checks(self, scope: ast.AST) -> list[ast.AST]:
        """The nodes that assert something: real asserts, pytest.raises/warns calls, and calls
        to this module's asserting helpers."""
        return [
            sub
            for sub in ast.walk(scope)
            if (isinstance(sub, ast.Assert) and not isinstance(sub.test, ast.Constant))
            or _is_pytest_attr(sub, RAISES | self.helpers)
        ]


def _asserts_param(f: ast.FunctionDef) -> bool:
    params = {a.arg for a in (*f.args.posonlyargs, *f.args.args, *f.args.kwonlyargs)}
    return any(
        isinstance(sub, ast.Assert)
        and not isinstance(sub.test, ast.Constant)
        and _names(sub) & params
        for sub in ast.walk(f)
    )


def _parametrize_columns(deco: ast.expr, module: _Module) -> dict[str, list[ast.AST]]:
    """``@pytest.mark.parametrize(names, values)``: argument name -> its values' nodes."""
    if not (_is_pytest_attr(deco, {"parametrize"}) and isinstance(deco, ast.Call)):
        return {}
    if len(deco.args) < 2:
        return {}
    names_node, values_node = deco.args[0], deco.args[1]
    if isinstance(names_node, ast.Constant) and isinstance(names_node.value, str):
        names = [n.strip() for n in names_node.value.split(",") if n.strip()]
    elif isinstance(names_node, (ast.List, ast.Tuple)):
        names = [n.value for n in names_node.elts if isinstance(n, ast.Constant)]
    else:
        return {}
    if isinstance(values_node, ast.Name):  # a module-level table
        found = module.constants.get(values_node.id, [])
        values_node = found[-1] if found else values_node
    if not isinstance(values_node, (ast.List, ast.Tuple)):
        return {}
    columns: dict[str, list[ast.AST]] = {n: [] for n in names}
    for row in values_node.elts:
        if _is_pytest_attr(row, {"param"}) and isinstance(row, ast.Call):
            cells: list[ast.AST] = list(row.args)
        elif len(names) > 1 and isinstance(row, (ast.List, ast.Tuple)):
            cells = list(row.elts)
        else:
            cells = [row]
        for name, cell in zip(names, cells, strict=False):
            columns[name].append(cell)
    return columns


def _function_ids(f: ast.FunctionDef, module: _Module) -> set[str]:
    found: set[str] = set()
    checks = module.checks(f)
    if not checks:
        return found
    if f.name.startswith("test"):
        found |= {f"{m[0].upper()}-{m[1]}" for m in NAME_ID.findall(f.name)}
    local = _assignments(f.body)
    read: set[str] = set()
    for node in checks:
        found |= {i for s in _strings(node) for i in _ids(s)}
        read |= _names(node)
    for name in read:  # values the assertions read, one assignment away
        for value in local.get(name, []) or module.constants.get(name, []):
            found |= {i for s in _strings(value) for i in _ids(s)}
    for deco in f.decorator_list:
        for name, cells in _parametrize_columns(deco, module).items():
            if name in read:
                found |= {i for cell in cells for s in _strings(cell) for i in _ids(s)}
    return found


def asserted_ids(source: str) -> set[str]:
    """The rule IDs that this test module's assertions cover (see the module docstring)."""
    module = _Module(ast.parse(source))
    found: set[str] = set()
    for node in ast.walk(module.tree):
        # Only test functions (with what they nest): an assert in a helper nobody may call
        # proves nothing.
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith(
            "test"
        ):
            found |= _function_ids(node, module)  # type: ignore[arg-type]
    return found


@cache
def covered() -> dict[str, list[str]]:
    """Rule ID -> the test files (relative paths) that assert on it."""
    found: dict[str, list[str]] = {}
    me = Path(__file__).resolve()
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.resolve() == me:
            continue  # this file's self-tests name rules in sample sources only
        for rule_id in asserted_ids(path.read_text(encoding="utf-8")):
            found.setdefault(rule_id, []).append(str(path.relative_to(ROOT)))
    return found


CATALOGUE = rules()


@cache
def cited_by_the_product() -> set[str]:
    """Rule IDs that code, pages or letters cite (and so show to someone)."""
    return (
        _ids_in((ROOT / "cnpe_flow").rglob("*.py"))
        | _ids_in((ROOT / "templates").rglob("*.html"))
        | _ids_in((ROOT / "letters").rglob("*.html"))
    )


@pytest.mark.parametrize("rule_id", list(CATALOGUE))
def test_catalogue_rule_is_asserted_by_a_test_or_out_of_scope(rule_id):
    """A rule is asserted by a test; or it is out of scope with a reason, and then a test
    still asserts on it if the product shows it anywhere (AFF-5 and REL-2 in letters)."""
    rule = CATALOGUE[rule_id]
    reason = (rule.out_of_scope or "").strip()
    if reason and rule_id not in cited_by_the_product():
        return  # shown nowhere, decided by nothing: nothing to assert (AFF-9, AFF-10, ALD-3)
    assert rule_id in covered(), (
        f"{rule_id} ({rule.title}): no test asserts on it (a mention in a comment, a docstring "
        "or a scenario title does not count)"
        + (" ; it is out of scope but the product cites it" if reason else "")
    )


def test_every_uncovered_rule_is_named_at_once():
    """One failure listing every rule ID that no test asserts on and that is not out of scope
    (or is, but is shown by the product anyway), for a quick read."""
    uncovered = sorted(
        i
        for i, r in CATALOGUE.items()
        if i not in covered()
        and (not (r.out_of_scope or "").strip() or i in cited_by_the_product())
    )
    assert uncovered == [], f"rules that no test asserts on: {', '.join(uncovered)}"


def test_out_of_scope_rules_are_really_not_decided_by_the_engine():
    out_of_scope = {i for i, r in CATALOGUE.items() if r.out_of_scope}
    decided = _ids_in((ROOT / "cnpe_flow" / "rules").rglob("*.py"))
    assert out_of_scope & decided == set()


def test_code_cites_only_rules_that_exist():
    cited = _ids_in((ROOT / "cnpe_flow").rglob("*.py"))
    cited |= _ids_in((ROOT / "cnpe_flow" / "rules" / "parameters").glob("*.yaml"))
    assert cited - set(CATALOGUE) == set()


# ---------------------------------------------------------------- the counter itself


def test_a_comment_or_a_docstring_naming_a_rule_does_not_count():
    source = '''
def test_something():
    """AFF-10: pregnancy follow-up."""
    # ALD-3 is covered here
    value = compute()
    assert value == 3
'''
    assert asserted_ids(source) == set()


def test_a_constant_assert_or_a_bare_call_does_not_count():
    source = """
def test_pretend():
    assert True, "AFF-10 covered"
    record("ALD-3")
    label = "AFF-9"
"""
    assert asserted_ids(source) == set()


def test_an_assert_outside_any_test_function_does_not_count():
    source = """
def helper(out):
    assert "AFF-10" in out["rules"]


def test_uses_nothing():
    assert compute() == 1
"""
    assert asserted_ids(source) == set()


def test_a_named_test_without_any_assertion_does_not_count():
    source = """
def test_aff_10_pregnancy_follow_up():
    evaluate({})
"""
    assert asserted_ids(source) == set()


def test_assertions_count_in_all_their_forms():
    source = """
import pytest

EXPECTED = ["AME-2", "AFF-8"]


def assert_cites(out, rule_id):
    assert rule_id in out["rules"]


def test_rel_1_reminder_due_ten_days_after():
    assert due() == "2026-06-25"


def test_rules_of_a_task():
    task = make()
    assert task["rules"] == ["AFF-11"], "with a message naming REL-6"
    assert task["rules"] == EXPECTED


def test_a_local_expectation():
    expected = ["IJ-3"]
    assert rules() == expected


def test_a_refusal():
    with pytest.raises(ValueError, match="PUMA-2"):
        parse()


def test_a_helper():
    assert_cites(make(), "ALD-2")


@pytest.mark.parametrize(("rule", "day"), [("C2S-7", "2026-01-01"), ("AME-8", "2026-02-01")])
def test_parametrized(rule, day):
    assert rule in make(day)["rules"]


@pytest.mark.parametrize(("kind", "note"), [("x", "ASS-1 in a column nobody asserts")])
def test_parametrized_unused_column(kind, note):
    assert make(kind)
"""
    assert asserted_ids(source) == {
        "REL-1",
        "AFF-11",
        "REL-6",
        "AME-2",
        "AFF-8",
        "IJ-3",
        "PUMA-2",
        "ALD-2",
        "C2S-7",
        "AME-8",
    }
