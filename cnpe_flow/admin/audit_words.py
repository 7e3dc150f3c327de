"""The audit log in words: one French sentence per event code, details spelled out.

Only what the entry holds is said: values the log never copied (NIR, address, medical
fields: « (modifié) ») stay so, and nothing is looked up about the person.
"""

from __future__ import annotations

import re
from typing import Any

from cnpe_flow.audit.models import AuditEvent

#: the opening sentence of each code
SENTENCES: dict[int, str] = {
    AuditEvent.LOGIN: "Connexion",
    AuditEvent.LOGIN_FAILED: "Connexion refusée (identifiant ou mot de passe inexact)",
    AuditEvent.LOGOUT: "Déconnexion",
    AuditEvent.PERSON_VIEWED: "Dossier consulté",
    AuditEvent.PERSON_CREATED: "Dossier créé",
    AuditEvent.PERSON_UPDATED: "Dossier modifié",
    AuditEvent.EVENT_ADDED: "Événement enregistré",
    AuditEvent.TASK_UPDATED: "Tâche mise à jour",
    AuditEvent.PERSON_SHARED: "Dossier partagé avec un partenaire",
    AuditEvent.SHARE_REVOKED: "Partage retiré",
    AuditEvent.PEOPLE_SEARCHED: "Recherche de personnes",
    AuditEvent.PERSON_TRANSFERRED: "Dossier transféré vers un autre établissement",
    AuditEvent.HOUSEHOLD_UPDATED: "Foyer et ressources modifiés",
    AuditEvent.LETTER_GENERATED: "Courrier généré",
    AuditEvent.LETTER_VIEWED: "Courrier téléchargé",
    AuditEvent.MAS_REFERRAL_UPDATED: "Orientation vers la Mission accompagnement santé mise à jour",
    AuditEvent.USER_CREATED: "Compte créé",
    AuditEvent.USER_UPDATED: "Compte modifié",
    AuditEvent.TOKEN_CREATED: "Jeton d'API créé",
    AuditEvent.REFERENCE_UPDATED: "Tables de référence mises à jour",
    AuditEvent.AUDIT_VIEWED: "Journal d'audit consulté",
    AuditEvent.CALENDAR_TOKEN_CREATED: "Lien d'agenda créé",
    AuditEvent.PROFILE_UPDATED: "Profil modifié",
    AuditEvent.LOGIN_THROTTLED: "Connexion bloquée (trop de tentatives)",
    AuditEvent.SESSIONS_ENDED: "Sessions fermées",
    AuditEvent.TOKEN_REVOKED: "Jeton d'API révoqué",
    AuditEvent.PASSWORD_CHANGED: "Mot de passe changé",
    AuditEvent.PERSON_EXPORTED: "Export RGPD du dossier",
    AuditEvent.PERSON_PURGED: "Dossier effacé (durée de conservation dépassée)",
    AuditEvent.ROSTER_IMPORTED: "Liste de l'établissement importée",
}

#: the detail keys in words (anything else is shown with its key made readable)
KEYS = {
    "user_id": "compte n°",
    "token_id": "jeton n°",
    "task_id": "tâche n°",
    "event_id": "événement n°",
    "letter_id": "courrier n°",
    "import_id": "import n°",
    "person_id": "dossier n°",
    "partner_id": "partenaire n°",
    "role": "rôle",
    "establishment": "établissement",
    "establishment_code": "établissement",
    "days": "validité (jours)",
    "username": "identifiant saisi",
    "by": "bloqué par",
    "kind": "type",
    "type": "type",
    "version": "version",
    "date": "date",
    "old": "avant",
    "new": "après",
    "from": "de",
    "to": "vers",
    "supersedes": "corrige l'événement n°",
    "withdrawn": "retiré",
    "consent_date": "consentement du",
    "filters": "filtres",
    "results": "résultats",
    "page": "page",
    "reason": "motif",
    "regenerated": "nouveau lien",
    "password_reset": "mot de passe réinitialisé",
    "changed": "modifié",
    "fields": "champs",
    "filename": "fichier",
    "format": "format",
    "released_on": "levée d'écrou le",
    "purged_on": "effacé le",
    "active": "actif",
    "email": "e-mail",
    "status": "statut",
}
_VALUES = {True: "oui", False: "non", None: "—", "done": "fait", "open": "à faire"}
_VALUES_TEXT = {"not_applicable": "sans objet", "medical_step": "étape médicale"}
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
#: integrity fingerprints say nothing to a reader
_SKIPPED = frozenset({"sha256"})


_ORDER = {key: n for n, key in enumerate(KEYS)}


def _ordered(details: dict[str, Any]) -> list[tuple[str, Any]]:
    """The order of :data:`KEYS`, then alphabetical: PostgreSQL's JSONB keeps no key order."""
    return sorted(details.items(), key=lambda kv: (_ORDER.get(kv[0], len(_ORDER)), kv[0]))


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{_key(k)} : {_value(v)}" for k, v in _ordered(value)) or "—"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "—"
    if isinstance(value, bool) or value is None:
        return _VALUES[value]
    if isinstance(value, str):
        if found := _ISO.match(value):
            year, month, day = found.groups()
            return f"{day}/{month}/{year}"
        return _VALUES_TEXT.get(value) or _VALUES.get(value) or value  # type: ignore[call-overload]
    return str(value)


def _key(key: str) -> str:
    return KEYS.get(key, key.replace("_", " "))


def describe(event_type: int, details: dict[str, Any] | None) -> str:
    """``Tâche mise à jour : tâche n° 35 ; type : contact cpam ; avant : à faire ; après : fait.``"""
    try:
        lead = SENTENCES.get(AuditEvent(event_type), f"Événement n° {event_type}")
    except ValueError:
        lead = f"Événement n° {event_type}"
    parts = [
        f"{_key(k)} {_value(v)}" if _key(k).endswith("n°") else f"{_key(k)} : {_value(v)}"
        for k, v in _ordered(details or {})
        if k not in _SKIPPED
    ]
    return lead + (" — " + " ; ".join(parts) if parts else "") + "."
