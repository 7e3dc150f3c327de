"""JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of the case contract and the API objects.

The contract's input and output are written from ``case-contract.md``; the names there are
fixed for outside tools, so these schemas list them as required and allow extra fields.
"""

from __future__ import annotations

from typing import Any

from cnpe_flow.people.models import TaskStatus
from cnpe_flow.rules.case import (
    ACTIVITIES,
    BENEFITS,
    EVENT_TYPES,
    MEASURES,
    RESIDENCE_STATUSES,
)
from cnpe_flow.rules.household import RELATIONS as HOUSEHOLD_RELATIONS
from cnpe_flow.rules.letters import LETTER_KINDS
from cnpe_flow.rules.tasks_catalogue import TASK_KINDS

Schema = dict[str, Any]

DATE: Schema = {"type": "string", "format": "date", "examples": ["2026-11-23"]}
NULLABLE_DATE: Schema = {"type": ["string", "null"], "format": "date"}
DATE_TIME: Schema = {"type": "string", "format": "date-time"}
RULES: Schema = {
    "type": "array",
    "items": {"type": "string", "examples": ["AFF-6"]},
    "description": "identifiants des règles du catalogue qui justifient l'élément",
}
ID: Schema = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
VERSION: Schema = {
    "type": "integer",
    "minimum": 1,
    "maximum": 2**31 - 1,
    "description": "verrou optimiste : la `version` du dossier lue avant la modification ; "
    "si quelqu'un l'a modifié depuis, la réponse est 409",
}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


# --- the contract's input ------------------------------------------------------------------

#: fields each event type carries besides ``type`` and ``date`` (case-contract.md)
EVENT_FIELDS: dict[str, dict[str, Schema]] = {
    "ecrou": {
        "establishment": {
            "type": "string",
            "minLength": 1,
            "description": "nom ou code d'un établissement des données de référence",
            "examples": ["Centre pénitentiaire de Liancourt"],
        }
    },
    # contract v2: a move to another establishment during the same écrou
    "transfer": {
        "establishment": {
            "type": "string",
            "minLength": 1,
            "description": "nom ou code de l'établissement qui accueille la personne ; le "
            "dossier passe au SPIP et à l'USMP de cet établissement",
            "examples": ["Centre pénitentiaire de Marseille-Baumettes"],
        }
    },
    "amenagement": {"measure": {"enum": list(MEASURES)}},
    "activity_start": {
        "activity": {
            "enum": list(ACTIVITIES),
            "description": "pendant un aménagement, ou signée avant lui dans le même écrou "
            "(effet à la date de l'aménagement, AFF-3)",
        }
    },
    "atmp_during_ecrou": {
        "consolidated": {"type": "boolean", "description": "consolidé à la libération (ATMP-2)"}
    },
    "ame_filed": {
        "complete": {"type": "boolean"},
        "care_date": {**DATE, "description": "date des soins (facultative, AME-5)"},
    },
    "c2s_granted": {"end": {**DATE, "description": "fin exclusive ; par défaut début + 1 an"}},
    "residence_permit_expiry": {"oqtf": {"type": "boolean"}},
}
#: the optional fields among :data:`EVENT_FIELDS`
OPTIONAL_EVENT_FIELDS = frozenset({"care_date", "end", "oqtf"})


def _event_schema(kind: str) -> Schema:
    fields = EVENT_FIELDS.get(kind, {})
    return {
        "type": "object",
        "title": kind,
        "required": ["type", "date", *(f for f in fields if f not in OPTIONAL_EVENT_FIELDS)],
        "properties": {"type": {"const": kind}, "date": DATE, **fields},
    }


#: the contract's ``person.household`` (household-spec.md); every fact may be null (unknown)
HOUSEHOLD: Schema = {
    "type": "object",
    "description": "Le foyer et ses ressources, quand ils sont connus (SPIP, partenaire). "
    "Un champ absent ou null est inconnu : le droit qui en dépend est « à vérifier ».",
    "additionalProperties": False,
    "properties": {
        "members": {
            "type": ["array", "null"],
            "description": "les AUTRES membres du foyer (la personne compte toujours) ; "
            "liste vide : la personne vit seule ; null : composition inconnue",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["birth_date"],
                "properties": {
                    "birth_date": DATE,
                    "relation": {
                        "enum": list(HOUSEHOLD_RELATIONS),
                        "description": "conjoint·e, enfant, personne à charge, autre "
                        "(par défaut : other)",
                    },
                },
            },
        },
        "annual_resources": {
            "type": ["number", "null"],
            "minimum": 0,
            "description": "ressources du foyer sur les 12 derniers mois, en euros",
            "examples": [25000],
        },
        "rsa": {"type": ["boolean", "null"], "description": "le foyer perçoit le RSA (C2S-5)"},
        "in_france_since": {
            **NULLABLE_DATE,
            "description": "début de la présence stable et ininterrompue en France (AME-1)",
        },
    },
}
NULLABLE_HOUSEHOLD: Schema = {
    "anyOf": [{"$ref": "#/components/schemas/Household"}, {"type": "null"}],
    "description": "null ou absent : rien n'est connu du foyer",
}

CONTRACT_PERSON: Schema = {
    "type": "object",
    "required": ["birth_date", "residence_status", "carte_vitale"],
    "properties": {
        "birth_date": DATE,
        "residence_status": {
            "enum": list(RESIDENCE_STATUSES),
            "description": "au regard du droit au séjour, à l'écrou",
        },
        "carte_vitale": {"type": "boolean"},
        "residence_postcode": {
            "type": ["string", "null"],
            "pattern": "^[0-9]{5}$",
            "description": "adresse de résidence donnée pour la sortie ; null sans adresse (AFF-6)",
        },
        "benefits_before_ecrou": {
            "type": "array",
            "items": {"enum": list(BENEFITS)},
            "description": "médical : lu et modifié par l'USMP et l'administration seulement",
        },
        "household": NULLABLE_HOUSEHOLD,
    },
}

CASE_INPUT: Schema = {
    "type": "object",
    "description": "Un dossier du contrat (case-contract.md, « Input »).",
    "required": ["person", "events"],
    "properties": {
        "as_of": {**DATE, "description": "date d'évaluation (par défaut : aujourd'hui, Paris)"},
        "person": ref("ContractPerson"),
        "events": {"type": "array", "items": ref("ContractEvent")},
    },
}

# --- the contract's output -----------------------------------------------------------------

PERIOD: Schema = {
    "type": "object",
    "required": ["start", "end", "rules"],
    "properties": {
        "start": DATE,
        "end": {**NULLABLE_DATE, "description": "exclusive ; null = sans fin"},
        "rules": RULES,
    },
}
AFFILIATION_PERIOD: Schema = {
    **PERIOD,
    "required": [*PERIOD["required"], "fund"],
    "properties": {
        **PERIOD["properties"],
        "fund": {"enum": ["CNPE", "CPAM_RESIDENCE", "AME", "NONE"]},
        "cpam": {"type": "string", "description": "nom de la CPAM de résidence"},
    },
}
IJ_PERIOD: Schema = {
    **PERIOD,
    "required": [*PERIOD["required"], "status"],
    "properties": {
        **PERIOD["properties"],
        "status": {"enum": ["suspended", "resumable", "payable_from_release"]},
    },
}
OUTPUT_TASK: Schema = {
    "type": "object",
    "required": ["kind", "due", "rules"],
    "properties": {
        "kind": {
            "type": "string",
            "examples": sorted(TASK_KINDS),
            "description": "`medical_step` : étape médicale masquée pour ce rôle",
        },
        "label": {"type": "string"},
        "owner": {"enum": ["spip", "usmp", "partner"]},
        "medical": {"type": "boolean"},
        "due": DATE,
        "rules": RULES,
        "event": {"type": "integer", "description": "indice de l'événement déclencheur"},
        "parameter": {"type": "string"},
    },
}
OUTPUT_LETTER: Schema = {
    "type": "object",
    "required": ["kind"],
    "properties": {
        "kind": {"type": "string", "examples": list(LETTER_KINDS)},
        "rules": RULES,
        "provisional": {
            "type": "boolean",
            "description": "vrai avant la levée d'écrou : courrier préparé pour la date de "
            "sortie prévue",
        },
    },
}
ESTABLISHMENT_DETAIL: Schema = {
    "type": "object",
    "required": ["code", "name"],
    "properties": {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "departement": {"type": ["string", "null"]},
        "pole": {"type": ["string", "null"]},
        "pole_status": {"type": ["string", "null"]},
    },
}
STAY: Schema = {
    "type": "object",
    "required": ["ecrou", "levee", "establishment"],
    "properties": {
        "ecrou": DATE,
        "levee": {**NULLABLE_DATE, "description": "null tant que la personne est écrouée"},
        "planned_release": {
            **NULLABLE_DATE,
            "description": "la dernière date de sortie prévue de cet écrou (null sans prévision)",
        },
        "establishment": {**ESTABLISHMENT_DETAIL, "description": "l'établissement de l'écrou"},
        "transfers": {
            "type": "array",
            "description": "les transferts pendant cet écrou, par date",
            "items": {
                "type": "object",
                "required": ["date", "establishment"],
                "properties": {"date": DATE, "establishment": ESTABLISHMENT_DETAIL},
            },
        },
    },
}
MONEY: Schema = {
    "type": "string",
    "pattern": "^[0-9]+\\.[0-9]{2}$",
    "description": "euros, deux décimales (point)",
    "examples": ["21.00"],
}
RIGHT_TO_CHECK: Schema = {
    "type": "object",
    "description": "Un « droit à vérifier » (C2S, AME, soins urgents, ASS, capital décès, "
    "affiliation PUMa individuelle) avec ses conditions : `met` vrai, faux, ou null (à "
    "vérifier, jamais deviné).",
    "required": ["right", "title", "status", "summary", "conditions", "steps", "rules"],
    "properties": {
        "right": {
            "type": "string",
            "examples": ["c2s", "ame", "soins_urgents", "ass", "capital_deces", "puma_individual"],
        },
        "title": {"type": "string"},
        "status": {"enum": ["likely", "unlikely", "to_check"]},
        "summary": {"type": "string"},
        "conditions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["text", "met", "rules"],
                "properties": {
                    "text": {"type": "string"},
                    "met": {"type": ["boolean", "null"]},
                    "rules": RULES,
                },
            },
        },
        "steps": {"type": "array", "items": {"type": "string"}},
        "participation": {
            "type": "object",
            "description": "C2S avec participation (C2S-2) : par membre et au total, par mois",
            "required": ["members", "total_monthly"],
            "properties": {
                "reference_date": {**DATE, "description": "les âges sont comptés ce jour-là"},
                "members": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["birth_date", "age", "monthly"],
                        "properties": {
                            "birth_date": DATE,
                            "age": {"type": "integer", "minimum": 0},
                            "monthly": MONEY,
                        },
                    },
                },
                "total_monthly": MONEY,
            },
        },
        "rules": RULES,
        "parameters": {
            "type": "array",
            "items": {"type": "string"},
            "description": "paramètres datés utilisés (vue technique)",
        },
    },
}
_OBJECT_OR_NULL: Schema = {"type": ["object", "null"]}
_OUTPUT_PROPERTIES: Schema = {
    "as_of": DATE,
    "affiliation": {"type": "array", "items": ref("AffiliationPeriod")},
    "ij": {"type": "array", "items": ref("IjPeriod"), "description": "médical"},
    "ald_renewal_pole": {"enum": ["NORD", "SUD", None], "description": "médical"},
    "tasks": {"type": "array", "items": ref("OutputTask")},
    "letters": {"type": "array", "items": ref("OutputLetter")},
    "current": {
        "type": "object",
        "properties": {
            "fund": {"type": ["string", "null"]},
            "in_custody": {"type": "boolean"},
            "establishment": {
                "type": ["string", "null"],
                "description": "l'établissement ce jour-là (après un transfert, le nouveau)",
            },
        },
    },
    "cpam_residence": _OBJECT_OR_NULL,
    "ald_renewal": {**_OBJECT_OR_NULL, "description": "médical"},
    "maintained_benefits": {"type": "array", "items": {"type": "object"}, "description": "médical"},
    "ame": {"type": "array", "items": {"type": "object"}},
    "c2s": {"type": "array", "items": ref("Period")},
    "puma_maintenance": _OBJECT_OR_NULL,
    "stays": {"type": "array", "items": ref("Stay")},
    "rights_to_check": {
        "type": "array",
        "items": ref("RightToCheck"),
        "description": "droits à vérifier, là où ils s'appliquent (jamais médicaux)",
    },
    "warnings": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        },
    },
    "engine": {"type": "object"},
}
CASE_OUTPUT: Schema = {
    "type": "object",
    "description": "Le résultat du contrat (case-contract.md, « Output »), champs en plus compris.",
    "required": ["affiliation", "ij", "ald_renewal_pole", "tasks", "letters"],
    "properties": _OUTPUT_PROPERTIES,
}
EVALUATION: Schema = {
    "type": "object",
    "description": "Le résultat du contrat pour un dossier enregistré, tel que ce rôle peut le "
    "voir : pour le SPIP et les partenaires, `ij`, `ald_renewal_pole`, `ald_renewal` et "
    "`maintained_benefits` sont absents (listés dans `hidden_medical_fields`), les tâches "
    "médicales sont masquées (`medical_step`) et le courrier `ald_renewal` n'apparaît pas.",
    "required": ["affiliation", "tasks", "letters"],
    "properties": {
        **_OUTPUT_PROPERTIES,
        "hidden_medical_fields": {"type": "array", "items": {"type": "string"}},
    },
}

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
    "comment": {"type": ["string", "null"], "maxLength": 1000},
    "version": VERSION,
}
EVENT_INPUT: Schema = {
    "description": "Un événement du contrat, avec en plus `supersedes`, `withdraw`, `comment`, "
    "`version`. Pour un retrait, seuls `supersedes` et `withdraw` sont nécessaires.",
    "anyOf": [
        {
            **_event_schema(kind),
            "additionalProperties": False,
            "properties": {**_event_schema(kind)["properties"], **EVENT_EXTENSIONS},
        }
        for kind in EVENT_TYPES
    ]
    + [
        {
            "type": "object",
            "title": "withdrawal",
            "required": ["supersedes", "withdraw"],
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
    "ContractEvent": {"oneOf": [_event_schema(kind) for kind in EVENT_TYPES]},
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
