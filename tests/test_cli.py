"""The ``cnpe-flow`` command as users run it (case-contract.md, « Bad input »).

Most tests start the real command in a subprocess (``python -m cnpe_flow``, no shell); the
bulk of generated invalid cases goes through ``click.testing.CliRunner`` to stay fast.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from invalid_cases import MUTATION_NAMES, Invalid, invalid_case

from cnpe_flow.cli import main
from cnpe_flow.rules import CaseError, evaluate

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.json"))
BAD_INPUT = 2


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _with_expected() -> list[Path]:
    return [p for p in SCENARIOS if "expected" in _load(p)]


def _scenario(prefix: str) -> dict[str, Any]:
    (path,) = [p for p in SCENARIOS if p.name.startswith(prefix)]
    return _load(path)


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, as a user runs it; never with CNPE_DEBUG (it would allow tracebacks)."""
    env = {k: v for k, v in os.environ.items() if k != "CNPE_DEBUG"}
    env["PYTHONUTF8"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "cnpe_flow", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


def _problem_lines(data: Any) -> list[str]:
    with pytest.raises(CaseError) as caught:
        evaluate(data)
    return [p.line() for p in caught.value.problems]


def _assert_bad_input(stdout: str, stderr: str, code: int) -> None:
    assert code == BAD_INPUT, stderr
    assert stdout == ""
    assert stderr.strip()
    assert "Traceback" not in stderr
    assert "erreur interne" not in stderr


# --- evaluate on the shared scenarios ------------------------------------------------------


@pytest.mark.parametrize("path", _with_expected(), ids=lambda p: p.stem)
def test_evaluate_file_prints_the_engine_result(path: Path, tmp_path: Path):
    case = _load(path)["case"]
    case_file = tmp_path / "dossier.json"
    case_file.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    done = _run("evaluate", str(case_file))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout) == evaluate(case)


@pytest.mark.parametrize("path", _with_expected(), ids=lambda p: p.stem)
def test_evaluate_stdin_prints_the_engine_result(path: Path):
    case = _load(path)["case"]
    done = _run("evaluate", "-", stdin=json.dumps(case, ensure_ascii=False))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == evaluate(case)


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_release_before_ecrou_is_bad_input_naming_both_dates(source: str, tmp_path: Path):
    scenario = _scenario("06-")
    text = json.dumps(scenario["case"], ensure_ascii=False)
    if source == "file":
        case_file = tmp_path / "06.json"
        case_file.write_text(text, encoding="utf-8")
        done = _run("evaluate", str(case_file))
    else:
        done = _run("evaluate", "-", stdin=text)
    _assert_bad_input(done.stdout, done.stderr, done.returncode)
    assert done.returncode == scenario["expected_error"]["exit_status"]
    for fragment in scenario["expected_error"]["stderr_mentions"]:  # 2026-01-01, 2026-01-10
        assert fragment in done.stderr
    assert done.stderr.startswith("events[1]")


# --- explain -------------------------------------------------------------------------------


def test_explain_scenario_08_in_french_with_rules_and_the_nord_pole():
    case = _scenario("08-")["case"]
    done = _run("explain", "-", stdin=json.dumps(case, ensure_ascii=False))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    lines = [line.strip() for line in out.splitlines()]
    # Closed-open periods shown with their last day (end − 1).
    for span, fund in [
        ("du 10/01/2026 au 14/06/2026", "CNPE"),
        ("du 15/06/2026 au 31/07/2026", "CPAM de résidence"),
        ("du 01/08/2026 au 29/09/2026", "CNPE"),
        ("à partir du 30/09/2026", "CPAM de résidence"),
    ]:
        assert any(line.startswith(f"{span} : {fund}") for line in lines), (span, out)
    for rule_id in ("AFF-1", "AFF-3", "ALD-2", "IJ-3", "REL-1"):
        assert f"({rule_id})" in out or f"{rule_id}," in out or f"{rule_id} " in out, rule_id
    assert "pôle NORD" in out
    assert "beauvais" in out.lower()
    assert "10/10/2026" in out  # carte Vitale: levée + 10 days (REL-1)
    assert "Traceback" not in done.stderr


def test_explain_bad_input_is_exit_2_too():
    done = _run("explain", "-", stdin=json.dumps(_scenario("06-")["case"]))
    _assert_bad_input(done.stdout, done.stderr, done.returncode)
    assert "2026-01-01" in done.stderr and "2026-01-10" in done.stderr


# --- unreadable input ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ['{"as_of": "2026-01-10",', "", "{'events': []}", "[1, 2"])
def test_invalid_json_is_exit_2_with_a_json_line(text: str):
    done = _run("evaluate", "-", stdin=text)
    _assert_bad_input(done.stdout, done.stderr, done.returncode)
    assert done.stderr.splitlines()[0].startswith("(JSON)"), done.stderr


def test_missing_file_is_exit_2_naming_the_file(tmp_path: Path):
    missing = tmp_path / "dossier-introuvable.json"
    done = _run("evaluate", str(missing))
    _assert_bad_input(done.stdout, done.stderr, done.returncode)
    assert "dossier-introuvable.json" in done.stderr


def test_several_problems_give_one_stderr_line_each():
    case = _scenario("01-")["case"]
    bad = json.loads(json.dumps(case))
    bad["as_of"] = "2026-02-30"
    bad["person"]["carte_vitale"] = "yes"
    bad["person"]["residence_postcode"] = "7501"
    bad["events"][0]["date"] = "10/01/2026"
    bad["events"].append({"type": "liberation", "date": "2026-03-01"})
    done = _run("evaluate", "-", stdin=json.dumps(bad, ensure_ascii=False))
    _assert_bad_input(done.stdout, done.stderr, done.returncode)
    lines = done.stderr.splitlines()
    assert lines == _problem_lines(bad)
    fields = [line.split(":", 1)[0] for line in lines]
    n = len(bad["events"]) - 1
    assert sorted(fields) == sorted(
        [
            "as_of",
            "person.carte_vitale",
            "person.residence_postcode",
            "events[0].date",
            f"events[{n}].type",
        ]
    )


# --- generated invalid cases ---------------------------------------------------------------

BULK = [(seed, MUTATION_NAMES[seed % len(MUTATION_NAMES)]) for seed in range(38)]


def _invalid(seed: int, mutation: str) -> Invalid:
    return invalid_case(random.Random(f"cli-{seed}"), mutation)


def _expected_lines(bad: Invalid) -> list[str]:
    lines = _problem_lines(bad.data)
    assert any(line.startswith(f"{bad.field}: ") for line in lines), (bad.field, lines)
    return lines


@pytest.mark.parametrize(("seed", "mutation"), BULK, ids=[f"{s}-{m}" for s, m in BULK])
def test_generated_invalid_case_through_cli_runner(seed: int, mutation: str):
    bad = _invalid(seed, mutation)
    result = CliRunner().invoke(main, ["evaluate", "-"], input=json.dumps(bad.data))
    _assert_bad_input(result.stdout, result.stderr, result.exit_code)
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines() == _expected_lines(bad)


@pytest.mark.parametrize(
    "mutation", ["levee_before_ecrou", "unknown_establishment", "bad_postcode"]
)
def test_generated_invalid_case_through_the_real_command(mutation: str, tmp_path: Path):
    bad = _invalid(1000, mutation)
    case_file = tmp_path / "invalide.json"
    case_file.write_text(json.dumps(bad.data, ensure_ascii=False), encoding="utf-8")
    for command in ("evaluate", "explain"):
        done = _run(command, str(case_file))
        _assert_bad_input(done.stdout, done.stderr, done.returncode)
        assert done.stderr.splitlines() == _expected_lines(bad)
