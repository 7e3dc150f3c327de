"""The rules engine: pure functions from a case to sourced decisions."""

from cnpe_flow.rules.case import CaseError, Problem, parse_case
from cnpe_flow.rules.engine import evaluate, evaluate_case

__all__ = ["CaseError", "Problem", "evaluate", "evaluate_case", "parse_case"]
