"""Test support shared by the test files: the contract's kind names, establishments of the
reference data, event builders and result readers. Each test file gives its own ``person``
defaults (the situation its rules are about) to :func:`builders`."""

from __future__ import annotations

import pytest

from cnpe_flow.rules import CaseError, evaluate

FRESNES = "Centre pénitentiaire de Fresnes"  # pole NORD (reference data)
GRADIGNAN = "Centre pénitentiaire de Bordeaux-Gradignan"  # pole SUD (reference data)
MAJICAVO = "Centre pénitentiaire de Majicavo"  # Mayotte: pole unknown (reference data)

# Task and letter kinds named by case-contract.md (the engine may add others).
CONTRACT_TASKS = frozenset(
    {
        "ald_protocol_request",
        "cnpe_amenagement_notice",
        "ij_resumption",
        "atmp_ij_claim",
        "contact_cpam_residence",
        "carte_vitale_update",
        "ame_first_filing_in_person",
        "mas_referral_offer",
        "ame_missing_documents_deadline",
        "ame_deemed_rejected",
        "ame_renewal",
        "c2s_renewal",
        "ame_filing_window_opens",
    }
)
CONTRACT_LETTERS = frozenset(
    {
        "release_summary",
        "cpam_transfer",
        "ald_renewal",
        "mas_referral",
        "ame_filing_guide",
        "cnpe_amenagement",
    }
)


def builders(**defaults):
    """``person, case = builders(birth_date=…, residence_status=…, …)``: a test file's builders
    of the engine's input, with the file's own defaults for the person (the situation its rules
    are about); ``case(events, as_of=…, **person_fields)``."""

    def person(**fields):
        return {"benefits_before_ecrou": [], **defaults, **fields}

    def case(events, as_of="2026-11-23", **fields):
        return {"as_of": as_of, "person": person(**fields), "events": events}

    return person, case


def ecrou(day, establishment=FRESNES):
    return {"type": "ecrou", "date": day, "establishment": establishment}


def levee(day):
    return {"type": "levee_ecrou", "date": day}


def funds(out):
    return [(p["start"], p["end"], p["fund"]) for p in out["affiliation"]]


def dues(out, kind):
    return [t["due"] for t in out["tasks"] if t["kind"] == kind]


def letter_kinds(out):
    return {x["kind"] for x in out["letters"]}


def problems(data):
    with pytest.raises(CaseError) as exc:
        evaluate(data)
    return [(p.field, p.message) for p in exc.value.problems]
