"""French labels for what the read-side pages show (events, statuses, owners, letters)."""

from __future__ import annotations

from typing import Any

from cnpe_flow.letters.models import MasStatus
from cnpe_flow.people.models import TaskStatus
from cnpe_flow.reference import find_establishment
from cnpe_flow.rules.dates import fr_last_day
from cnpe_flow.rules.event_types import REGISTRY

EVENT_LABELS = {t.name: t.label for t in REGISTRY.values()}
MEDICAL_EVENT_LABEL = "Événement médical"

MEASURE_LABELS = {
    "surveillance_electronique": "surveillance électronique",
    "semi_liberte": "semi-liberté",
    "placement_exterieur": "placement à l'extérieur",
}
ACTIVITY_LABELS = {
    "work": "activité professionnelle",
    "paid_training": "formation rémunérée",
    "unemployment_benefits": "indemnités de chômage",
}
TASK_STATUS_LABELS = {
    TaskStatus.OPEN: "À faire",
    TaskStatus.DONE: "Fait",
    TaskStatus.NOT_APPLICABLE: "Sans objet",
}
OWNER_LABELS = {"spip": "SPIP", "usmp": "USMP", "partner": "Partenaire"}
RESIDENCE_LABELS = {
    "regular": "régulière",
    "irregular": "irrégulière (au regard du droit au séjour)",
}
BENEFIT_LABELS = {
    "ij": "indemnités journalières",
    "ald": "affection longue durée (ALD)",
    "atmp_rente": "rente AT/MP",
    "invalidity_pension": "pension d'invalidité",
}
MAS_STATUS_LABELS = {
    MasStatus.TO_SEND: "à envoyer",
    MasStatus.SENT: "envoyée",
    MasStatus.ACKNOWLEDGED: "reçue par la CPAM",
    MasStatus.ACCEPTED: "acceptée",
    MasStatus.REFUSED: "refusée",
}


def establishment_label(name_or_code: Any) -> str:
    """The full name of an establishment stored by name or code (as stored when unknown)."""
    if not isinstance(name_or_code, str) or not name_or_code:
        return "établissement non renseigné"
    found = find_establishment(name_or_code)
    return found.name if found is not None else name_or_code


def event_details(event_type: str, data: dict[str, Any]) -> str:
    """The event's own fields in a short French phrase (empty when there is nothing to add)."""
    if event_type == "ecrou":
        return str(data.get("establishment") or "")
    if event_type == "transfer":
        return f"vers {establishment_label(data.get('establishment'))}"
    if event_type == "amenagement":
        return MEASURE_LABELS.get(data.get("measure", ""), str(data.get("measure") or ""))
    if event_type == "activity_start":
        return ACTIVITY_LABELS.get(data.get("activity", ""), str(data.get("activity") or ""))
    if event_type == "atmp_during_ecrou":
        return "consolidé à la sortie" if data.get("consolidated") else "non consolidé"
    if event_type == "ame_filed":
        return "dossier complet" if data.get("complete") else "dossier incomplet"
    if event_type == "c2s_granted" and data.get("end"):
        return f"jusqu'au {fr_last_day(str(data['end']))} inclus"
    if event_type == "residence_permit_expiry" and data.get("oqtf"):
        return "avec OQTF définitive"
    return ""
