"""Adding a letter is a folder and one entry: the kinds' table (``letters/<kind>/meta.yaml``)
names every kind of the engine, each has one context builder, and what is medical is read from
the table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cnpe_flow.letters.context import builder_kinds, builds
from cnpe_flow.letters.kinds import letter_kinds
from cnpe_flow.people.visibility import redact_evaluation
from cnpe_flow.rules import evaluate
from cnpe_flow.rules.letters import LETTER_KINDS

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def test_every_kind_of_the_engine_has_its_entry_and_one_context_builder():
    assert list(letter_kinds()) == list(LETTER_KINDS)
    assert builder_kinds() == set(LETTER_KINDS)


def test_a_second_builder_for_a_kind_is_refused():
    with pytest.raises(ValueError, match="release_summary"):
        builds("release_summary")(lambda source, output, params: {})


def test_a_reader_without_medical_rights_gets_no_letter_the_table_marks_medical():
    case = json.loads((SCENARIOS / "08-ald-semi-liberte-with-work.json").read_text("utf-8"))
    output = evaluate(case["case"])
    listed = [x["kind"] for x in output["letters"]]
    assert "ald_renewal" in listed and letter_kinds()["ald_renewal"].medical
    shown = [x["kind"] for x in redact_evaluation(output, medical=False)["letters"]]
    assert shown == [k for k in listed if not letter_kinds()[k].medical]
    assert "ald_renewal" not in shown
