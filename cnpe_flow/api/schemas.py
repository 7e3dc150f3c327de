"""JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of the API objects, and every component.

The case contract's own schemas (input and output) are in ``contract_schemas.py``.
"""

from __future__ import annotations

from cnpe_flow.api.contract_schemas import (
    AFFILIATION_PERIOD,
    CASE_INPUT,
    CASE_OUTPUT,
    CONTRACT_PERSON,
    DATE,
    DATE_TIME,
    EVALUATION,
    HOUSEHOLD,
    ID,
    IJ_PERIOD,
    NULLABLE_DATE,
    NULLABLE_HOUSEHOLD,
    OUTPUT_LETTER,
    OUTPUT_TASK,
    PERIOD,
    RIGHT_TO_CHECK,
    RULES,
    STAY,
    VERSION,
    Schema,
    event_schema,
    ref,
)
from cnpe_flow.people.models import TaskStatus
from cnpe_flow.rules.case import BENEFITS, EVENT_TYPES, RESIDENCE_STATUSES

# --- API objects ---------------------------------------------------------------------------

ERRORS: Schema = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {
                        "type": ["string", "null"],
                        "description": "le champ en cause (`body` pour le corps entier)",
                    },
                    "message": {
                        "type": "string",
                        "description": "une phrase en français (dates JJ/MM/AAAA)",
                    },
                    "refs": {
                        "type": "array",
                        "items": {"type": "string", "examples": ["levee_ecrou 2026-01-01"]},
                        "description": "les événements en cause, comme le contrat les écrit "
                        "(type et date ISO) ; absent quand il n'y en a pas",
                    },
                },
            },
        }
    },
}
ESTABLISHMENT: Schema = {
    "type": ["object", "null"],
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
}
PERSON_SUMMARY_PROPERTIES: Schema = {
    "id": ID,
    "last_name": {"type": "string"},
    "first_name": {"type": "string"},
    "birth_date": DATE,
    "ecrou_number": {"type": ["string", "null"]},
    "establishment": ESTABLISHMENT,
    "planned_release": NULLABLE_DATE,
    "released_on": NULLABLE_DATE,
    "url": {"type": "string"},
}
PERSON_SUMMARY: Schema = {
    "type": "object",
    "required": list(PERSON_SUMMARY_PROPERTIES),
    "properties": PERSON_SUMMARY_PROPERTIES,
}
RELEASE_ADDRESS: Schema = {
    "type": ["object", "null"],
    "description": "L'adresse de sortie (où la personne vivra ou recevra son courrier) ; "
    "`null` : pas encore d'adresse (AFF-6 : la personne ira elle-même à sa CPAM). "
    "`residence_postcode` suit son code postal. Lignes de 38 caractères au plus.",
    "additionalProperties": False,
    "required": ["kind", "lines", "postcode", "city"],
    "properties": {
        "kind": {
            "enum": ["personal", "hosted", "domiciliation"],
            "description": "adresse personnelle, hébergement chez un tiers, ou domiciliation "
            "(CCAS, association)",
        },
        "care_of": {
            "type": ["string", "null"],
            "maxLength": 38,
            "description": "qui héberge (`hosted`) ou l'organisme (`domiciliation`) : obligatoire "
            "pour ces deux types",
        },
        "lines": {
            "type": "array",
            "minItems": 1,
            "maxItems": 3,
            "items": {"type": "string", "maxLength": 38},
        },
        "postcode": {"type": "string", "pattern": "^[0-9]{5}$"},
        "city": {"type": "string", "maxLength": 32},
    },
}
PERSON: Schema = {
    "type": "object",
    "description": "Identité, champs `person` du contrat et évaluation. "
    "`benefits_before_ecrou` n'apparaît que pour l'USMP et l'administration.",
    "required": [*PERSON_SUMMARY_PROPERTIES, "version", "evaluation"],
    "properties": {
        **PERSON_SUMMARY_PROPERTIES,
        "nir": {"type": ["string", "null"]},
        "residence_status": {"enum": list(RESIDENCE_STATUSES)},
        "carte_vitale": {"type": "boolean"},
        "residence_postcode": {"type": ["string", "null"]},
        "release_address": RELEASE_ADDRESS,
        "benefits_before_ecrou": {"type": "array", "items": {"enum": list(BENEFITS)}},
        "household": NULLABLE_HOUSEHOLD,
        "version": VERSION,
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
        "links": {"type": "object", "additionalProperties": {"type": "string"}},
        "evaluation": ref("Evaluation"),
    },
}
PERSON_INPUT: Schema = {
    "type": "object",
    "description": "Identité et champs `person` du contrat. Le SPIP crée des dossiers de son "
    "établissement (par défaut) ; `benefits_before_ecrou` est réservé à l'USMP et à "
    "l'administration.",
    "additionalProperties": False,
    "required": ["last_name", "first_name", "birth_date", "residence_status", "carte_vitale"],
    "properties": {
        "last_name": {"type": "string", "maxLength": 100},
        "first_name": {"type": "string", "maxLength": 100},
        "nir": {"type": ["string", "null"], "description": "NIR ou NIA (15 caractères)"},
        "ecrou_number": {"type": ["string", "null"], "maxLength": 40},
        "establishment": {"type": ["string", "null"], "description": "nom ou code"},
        **CONTRACT_PERSON["properties"],
        "release_address": RELEASE_ADDRESS,
    },
}
PERSON_PATCH: Schema = {
    "type": "object",
    "description": "Mise à jour partielle : seuls les champs présents changent, vérifiés comme "
    "à la création. `version` (obligatoire) est celle du dossier lu : si quelqu'un l'a modifié "
    "entre-temps, la réponse est 409. `benefits_before_ecrou` : USMP et administration "
    "seulement ; l'identité et l'adresse : SPIP et administration.",
    "additionalProperties": False,
    "required": ["version"],
    "properties": {**PERSON_INPUT["properties"], "version": VERSION},
}
HOUSEHOLD_UPDATE: Schema = {
    "type": "object",
    "description": "Le foyer remplacé en entier (`null` : plus rien n'est connu). SPIP, "
    "partenaire (dossiers partagés avec lui) et administration.",
    "additionalProperties": False,
    "required": ["household"],
    "properties": {"household": NULLABLE_HOUSEHOLD, "version": VERSION},
}
EVENT_EXTENSIONS: Schema = {
    "supersedes": {**ID, "description": "l'événement que celui-ci corrige"},
    "withdraw": {
        "type": "boolean",
        "description": "avec `supersedes` : retire cet événement sans le remplacer",
    },
    "comment": {
        "type": ["string", "null"],
        "maxLength": 1000,
        "description": "pourquoi : obligatoire pour une correction et pour un retrait",
    },
    "version": VERSION,
}
EVENT_INPUT: Schema = {
    "description": "Un événement du contrat, avec en plus `supersedes`, `withdraw`, `comment`, "
    "`version`. Une correction ou un retrait dit pourquoi (`comment`) ; pour un retrait, seuls "
    "`supersedes`, `withdraw` et `comment` sont nécessaires.",
    "anyOf": [
        {
            **event_schema(kind),
            "additionalProperties": False,
            "properties": {**event_schema(kind)["properties"], **EVENT_EXTENSIONS},
        }
        for kind in EVENT_TYPES
    ]
    + [
        {
            "type": "object",
            "title": "withdrawal",
            "required": ["supersedes", "withdraw", "comment"],
            "properties": {**EVENT_EXTENSIONS, "withdraw": {"const": True}},
        }
    ],
}
STORED_EVENT: Schema = {
    "type": "object",
    "required": ["id", "type", "date", "data", "superseded", "withdrawn", "effective"],
    "properties": {
        "id": ID,
        "type": {
            "type": "string",
            "description": "type du contrat ; `medical_event` : événement médical masqué",
        },
        "date": DATE,
        "data": {"type": "object", "description": "les autres champs de l'événement"},
        "supersedes": {"type": ["integer", "null"]},
        "withdrawn": {"type": "boolean"},
        "superseded": {"type": "boolean", "description": "corrigé par un événement plus récent"},
        "effective": {"type": "boolean", "description": "compte dans l'évaluation"},
        "comment": {"type": ["string", "null"]},
        "created_by": {"type": ["integer", "null"]},
        "created_at": DATE_TIME,
        "import_id": {
            "type": ["integer", "null"],
            "description": "l'import de liste qui l'a enregistré (`POST /api/v1/imports`)",
        },
    },
}
TASK: Schema = {
    "type": "object",
    "required": ["id", "kind", "label", "owner", "medical", "due", "rules", "status"],
    "properties": {
        "id": ID,
        "kind": {"type": "string", "description": "`medical_step` : tâche médicale masquée"},
        "label": {"type": "string"},
        "owner": {"type": "string"},
        "medical": {"type": "boolean"},
        "due": DATE,
        "rules": RULES,
        "status": {"enum": list(TaskStatus.ALL)},
        "comment": {"type": ["string", "null"]},
        "closed_by": {"type": ["integer", "null"]},
        "closed_at": {"type": ["string", "null"], "format": "date-time"},
        "event_id": {"type": ["integer", "null"]},
    },
}
TASK_UPDATE: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["status"],
    "properties": {
        "status": {"enum": list(TaskStatus.ALL)},
        "comment": {
            "type": ["string", "null"],
            "maxLength": 1000,
            "description": "obligatoire pour `not_applicable`",
        },
        "version": VERSION,
    },
}
SHARE_INPUT: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["partner", "consent_date"],
    "properties": {
        "partner": {
            "oneOf": [ID, {"type": "string", "minLength": 1}],
            "description": "identifiant ou nom d'utilisateur d'un compte partenaire actif",
        },
        "consent_date": {**DATE, "description": "jour où la personne a consenti au partage"},
        "note": {"type": ["string", "null"], "maxLength": 500},
    },
}
MAS_CONSENT_INPUT: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["consent_date"],
    "properties": {
        "consent_date": {
            **DATE,
            "description": "jour où la personne a accepté l'orientation (pas dans le futur)",
        },
        "version": {**ID, "description": "version de l'orientation lue (verrou optimiste)"},
    },
}
MAS_REFERRAL: Schema = {
    "type": "object",
    "required": ["id", "status", "consent_date", "problems", "version"],
    "properties": {
        "id": ID,
        "status": {"enum": ["to_send", "sent", "acknowledged", "accepted", "refused"]},
        "consent_date": DATE,
        "problems": {"type": "array", "items": {"type": "string"}},
        "version": ID,
    },
}
SHARE: Schema = {
    "type": "object",
    "required": ["id", "person_id", "partner", "consent_date"],
    "properties": {
        "id": ID,
        "person_id": ID,
        "partner": {
            "type": "object",
            "properties": {"id": ID, "username": {"type": "string"}},
        },
        "shared_by": ID,
        "shared_at": DATE_TIME,
        "consent_date": DATE,
        "note": {"type": ["string", "null"]},
    },
}
PEOPLE_PAGE: Schema = {
    "type": "object",
    "required": ["items", "page", "per_page", "total"],
    "properties": {
        "items": {"type": "array", "items": ref("PersonSummary")},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer"},
        "total": {"type": "integer"},
        "pages": {"type": "integer"},
    },
}

USER_INPUT: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "role", "password"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 80},
        "role": {"enum": ["spip", "usmp", "partner", "admin"]},
        "password": {
            "type": "string",
            "description": "12 caractères au moins ; un mot de passe courant ou devinable est "
            "refusé avec la raison",
        },
        "email": {"type": ["string", "null"], "maxLength": 254},
        "establishment": {
            "type": ["string", "null"],
            "description": "établissement du service (obligatoire pour SPIP et USMP)",
        },
        "organisation": {
            "type": ["string", "null"],
            "maxLength": 120,
            "description": "structure d'un partenaire, montrée à la place de l'identifiant",
        },
    },
}
USER: Schema = {
    "type": "object",
    "required": ["id", "username", "role"],
    "properties": {
        "id": ID,
        "username": {"type": "string"},
        "role": {"type": "string"},
        "establishment": {"type": ["string", "null"]},
        "organisation": {"type": ["string", "null"]},
    },
}

COMPONENTS: dict[str, Schema] = {
    "ContractPerson": CONTRACT_PERSON,
    "ContractEvent": {"oneOf": [event_schema(kind) for kind in EVENT_TYPES]},
    "CaseInput": CASE_INPUT,
    "Period": PERIOD,
    "AffiliationPeriod": AFFILIATION_PERIOD,
    "IjPeriod": IJ_PERIOD,
    "OutputTask": OUTPUT_TASK,
    "OutputLetter": OUTPUT_LETTER,
    "Stay": STAY,
    "Household": HOUSEHOLD,
    "HouseholdUpdate": HOUSEHOLD_UPDATE,
    "RightToCheck": RIGHT_TO_CHECK,
    "CaseOutput": CASE_OUTPUT,
    "Evaluation": EVALUATION,
    "Errors": ERRORS,
    "PersonSummary": PERSON_SUMMARY,
    "PeoplePage": PEOPLE_PAGE,
    "Person": PERSON,
    "PersonInput": PERSON_INPUT,
    "PersonPatch": PERSON_PATCH,
    "ReleaseAddress": RELEASE_ADDRESS,
    "EventInput": EVENT_INPUT,
    "StoredEvent": STORED_EVENT,
    "Task": TASK,
    "TaskUpdate": TASK_UPDATE,
    "ShareInput": SHARE_INPUT,
    "Share": SHARE,
    "UserInput": USER_INPUT,
    "User": USER,
    "MasConsentInput": MAS_CONSENT_INPUT,
    "MasReferral": MAS_REFERRAL,
}
