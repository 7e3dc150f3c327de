"""JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of the case contract: its input and output.

The contract's input and output are written from ``case-contract.md``; the names there are
fixed for outside tools, so these schemas list them as required and allow extra fields.
The API's own objects (people, events, tasks…) are in ``schemas.py``.
"""

from __future__ import annotations

from typing import Any

from cnpe_flow.rules.case import BENEFITS, RESIDENCE_STATUSES
from cnpe_flow.rules.event_types import REGISTRY, EventField
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


def _field_schema(f: EventField) -> Schema:
    """The JSON Schema of an event field, from its kind in the registry."""
    described = {"description": f.description} if f.description else {}
    if f.kind == "establishment":
        return {"type": "string", "minLength": 1, **described, "examples": [f.example]}
    if f.kind == "choice":
        return {"enum": list(f.values), **described}
    if f.kind == "date":
        return {**DATE, **described}
    return {"type": "boolean", **described}


#: fields each event type carries besides ``type`` and ``date`` (case-contract.md)
EVENT_FIELDS: dict[str, dict[str, Schema]] = {
    t.name: {f.name: _field_schema(f) for f in t.fields} for t in REGISTRY.values() if t.fields
}
#: the optional fields among :data:`EVENT_FIELDS`
OPTIONAL_EVENT_FIELDS = frozenset(
    f.name for t in REGISTRY.values() for f in t.fields if not f.required
)


def event_schema(kind: str) -> Schema:
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
