"""What each role may read of an evaluation: medical parts only for USMP and admin.

Other roles see that a medical step exists and who owns it, never what it is.
"""

from __future__ import annotations

from typing import Any

from cnpe_flow.letters.kinds import medical_kinds

#: evaluation fields that reveal health (IJ = sick leave, ALD, AT/MP, pensions)
MEDICAL_FIELDS = ("ij", "ald_renewal_pole", "ald_renewal", "maintained_benefits")
MEDICAL_STEP = "medical_step"
MEDICAL_STEP_LABEL = "Étape médicale suivie par l'USMP"
_MEDICAL_WORDS = ("ALD", "AT/MP", "ATMP", "invalidité", "indemnités journalières")


def is_medical_warning(warning: dict[str, str]) -> bool:
    """ALD pole notes and anything naming a health benefit (its mere existence is medical)."""
    return warning["code"].startswith(("ald_", "atmp_", "ij_")) or any(
        word in warning["message"] for word in _MEDICAL_WORDS
    )


def masked_task(task: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": MEDICAL_STEP,
        "label": MEDICAL_STEP_LABEL,
        "owner": task["owner"],
        "medical": True,
        "due": task["due"],
        "rules": [],
    }


def redact_evaluation(output: dict[str, Any], *, medical: bool) -> dict[str, Any]:
    """The evaluation as this reader may see it (unchanged for medical roles)."""
    if medical:
        return output
    shown = {k: v for k, v in output.items() if k not in MEDICAL_FIELDS}
    shown["tasks"] = [masked_task(t) if t.get("medical") else t for t in output["tasks"]]
    hidden = medical_kinds()  # the letters' table says which
    shown["letters"] = [x for x in output["letters"] if x["kind"] not in hidden]
    shown["warnings"] = [w for w in output.get("warnings", []) if not is_medical_warning(w)]
    shown["hidden_medical_fields"] = [k for k in MEDICAL_FIELDS if k in output]
    return shown
