"""The audit log: who viewed or changed which case, when, from which page.

Rows are only ever inserted. ``event_type`` values are stable numbers: never reuse one.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from cnpe_flow.clock import now_utc
from cnpe_flow.db import JsonType, UtcDateTime


class AuditEvent(IntEnum):
    LOGIN = 1
    LOGIN_FAILED = 2
    LOGOUT = 3
    PERSON_VIEWED = 10
    PERSON_CREATED = 11
    PERSON_UPDATED = 12
    EVENT_ADDED = 13
    TASK_UPDATED = 14
    PERSON_SHARED = 15
    SHARE_REVOKED = 16
    PEOPLE_SEARCHED = 17
    #: the file moved to another establishment (details: old and new establishment codes)
    PERSON_TRANSFERRED = 18
    #: household and resources changed (details: the names of the fields, never their values)
    HOUSEHOLD_UPDATED = 19
    LETTER_GENERATED = 20
    LETTER_VIEWED = 21
    MAS_REFERRAL_UPDATED = 22
    USER_CREATED = 30
    USER_UPDATED = 31
    TOKEN_CREATED = 32
    REFERENCE_UPDATED = 33
    AUDIT_VIEWED = 34
    CALENDAR_TOKEN_CREATED = 35
    # --- issue 10 (privacy and RGPD): this block holds 40–49; other additions use other numbers
    #: a login refused while throttled (details: user name, "account" or "address")
    LOGIN_THROTTLED = 40
    #: every session of an account ended (details: user_id, reason)
    SESSIONS_ENDED = 41
    #: an API token revoked (details: user_id, token_id)
    TOKEN_REVOKED = 42
    #: a user changed their own password (never the password)
    PASSWORD_CHANGED = 43
    #: subject access: everything held on a person exported (details: format)
    PERSON_EXPORTED = 44
    #: retention: a person's file purged (person_id NULL; details: the former id and dates only)
    PERSON_PURGED = 45
    # --- roster import (issue 11) ---------------------------------------------------------
    #: a roster file applied (details: import id, file name, SHA-256, row counts; no names)
    ROSTER_IMPORTED = 50
    # --- end roster import ----------------------------------------------------------------
    PROFILE_UPDATED = 36


AUDIT_LABELS = {
    AuditEvent.LOGIN: "Connexion",
    AuditEvent.LOGIN_FAILED: "Échec de connexion",
    AuditEvent.LOGOUT: "Déconnexion",
    AuditEvent.PERSON_VIEWED: "Dossier consulté",
    AuditEvent.PERSON_CREATED: "Dossier créé",
    AuditEvent.PERSON_UPDATED: "Dossier modifié",
    AuditEvent.EVENT_ADDED: "Événement ajouté",
    AuditEvent.TASK_UPDATED: "Tâche mise à jour",
    AuditEvent.PERSON_SHARED: "Dossier partagé",
    AuditEvent.SHARE_REVOKED: "Partage retiré",
    AuditEvent.PEOPLE_SEARCHED: "Recherche de personnes",
    AuditEvent.PERSON_TRANSFERRED: "Dossier transféré à un autre établissement",
    AuditEvent.HOUSEHOLD_UPDATED: "Foyer et ressources modifiés",
    AuditEvent.LETTER_GENERATED: "Courrier généré",
    AuditEvent.LETTER_VIEWED: "Courrier consulté",
    AuditEvent.MAS_REFERRAL_UPDATED: "Orientation MAS mise à jour",
    AuditEvent.USER_CREATED: "Utilisateur créé",
    AuditEvent.USER_UPDATED: "Utilisateur modifié",
    AuditEvent.PROFILE_UPDATED: "Profil modifié (nom, service, téléphone)",
    AuditEvent.TOKEN_CREATED: "Jeton d'API créé",
    AuditEvent.REFERENCE_UPDATED: "Données de référence modifiées",
    AuditEvent.AUDIT_VIEWED: "Journal d'audit consulté",
    AuditEvent.CALENDAR_TOKEN_CREATED: "Lien d'agenda créé",
    # --- issue 10, privacy and RGPD (40–49)
    AuditEvent.LOGIN_THROTTLED: "Connexion refusée (trop de tentatives)",
    AuditEvent.SESSIONS_ENDED: "Sessions fermées partout",
    AuditEvent.TOKEN_REVOKED: "Jeton d'API révoqué",
    AuditEvent.PASSWORD_CHANGED: "Mot de passe changé",
    AuditEvent.PERSON_EXPORTED: "Données d'une personne exportées",
    AuditEvent.PERSON_PURGED: "Dossier purgé (durée de conservation)",
    # --- roster import (issue 11)
    AuditEvent.ROSTER_IMPORTED: "Liste importée",
}


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(
        default_factory=now_utc, sa_column=Column(UtcDateTime, nullable=False, index=True)
    )
    #: the user who acted; null for the scheduler and the command line
    actor_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="people.id", index=True)
    #: an :class:`AuditEvent` value
    event_type: int
    #: the page or API route, e.g. "people.case_page" or "POST /api/v1/people/12/events"
    route: str = Field(default="", max_length=200)
    remote_addr: str | None = Field(default=None, max_length=64)
    #: old/new values of what changed (never a password; NIR only as "changed")
    details: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JsonType, nullable=False)
    )
