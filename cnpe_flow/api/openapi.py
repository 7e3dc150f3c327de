"""The OpenAPI 3.1 document of ``/api/v1`` (served at ``/api/v1/openapi.json``).

Written by hand next to the views: a test checks that every ``/api/v1`` route of the
application is described here and that the document is valid OpenAPI.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from cnpe_flow import __version__
from cnpe_flow.api.schemas import COMPONENTS, ID, ref
from cnpe_flow.rules.letters import LETTER_KINDS

Operation = dict[str, Any]

_ERROR_RESPONSES = {
    "400": ("BadRequest", "Entrée invalide : un message en français par champ en cause."),
    "401": ("Unauthorized", "Jeton absent ou invalide (en-tête `Authorization: Bearer JETON`)."),
    "403": ("Forbidden", "Personne visible, mais ce rôle ne peut pas faire cela."),
    "404": (
        "NotFound",
        "Inconnu, ou non visible pour ce compte (les deux ne sont jamais distingués).",
    ),
    "409": (
        "Conflict",
        "Le dossier a changé depuis la `version` envoyée : relisez-le puis recommencez.",
    ),
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _ok(description: str, schema_name: str, status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": _json(ref(schema_name))}}


def _errors(*statuses: str) -> dict[str, Any]:
    return {
        status: {"$ref": f"#/components/responses/{_ERROR_RESPONSES[status][0]}"}
        for status in ("401", *statuses)
    }


def _body(schema_name: str, description: str = "") -> dict[str, Any]:
    return {"required": True, "description": description, "content": _json(ref(schema_name))}


def _path_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


def _query_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


PERSON_ID = _path_param("id", "identifiant du dossier", ID)
TASK_ID = _path_param("task_id", "identifiant de la tâche", ID)


def _pdf(description: str) -> dict[str, Any]:
    return {
        "200": {
            "description": description,
            "content": {"application/pdf": {"schema": {"contentMediaType": "application/pdf"}}},
        }
    }


#: the report of a roster import (``ImportReport.as_json``)
IMPORT_REPORT: dict[str, Any] = {
    "type": "object",
    "required": ["file", "dry_run", "import_id", "counts", "summary", "unknown_columns", "rows"],
    "properties": {
        "file": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "sha256": {"type": "string"}},
        },
        "dry_run": {"type": "boolean"},
        "import_id": {"type": ["integer", "null"]},
        "counts": {
            "type": "object",
            "properties": {
                k: {"type": "integer"}
                for k in ("rows", "created", "modified", "unchanged", "refused")
            },
        },
        "summary": {
            "type": "string",
            "examples": ["3 lignes : 2 créées, 0 modifiées, 0 inchangées, 1 refusées"],
        },
        "unknown_columns": {"type": "array", "items": {"type": "string"}},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "line": {"type": "integer"},
                    "action": {"enum": ["created", "modified", "unchanged", "refused"]},
                    "name": {"type": "string"},
                    "person_id": {"type": ["integer", "null"]},
                    "changes": {"type": "array", "items": {"type": "string"}},
                    "problems": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


PATHS: dict[str, dict[str, Operation]] = {
    "/api/v1/evaluate": {
        "post": {
            "operationId": "evaluate",
            "summary": "Évaluer un dossier du contrat (sans rien enregistrer)",
            "description": "Le même calcul que `cnpe-flow evaluate` : le corps est un dossier du "
            "contrat, la réponse le résultat du moteur, et une entrée invalide donne 400 avec "
            "les mêmes messages que la ligne de commande (un par problème, avec son champ). "
            "Le dossier étant fourni par l'appelant, le résultat est rendu entier à tous les "
            "rôles (aucun masquage médical ici). Un corps qui n'est pas du JSON est signalé sur "
            "le champ `body` ; un JSON qui n'est pas un objet, sur `(racine)` comme en ligne "
            "de commande.",
            "requestBody": _body("CaseInput"),
            "responses": {**_ok("Résultat du moteur", "CaseOutput"), **_errors("400")},
        }
    },
    "/api/v1/people": {
        "get": {
            "operationId": "search_people",
            "summary": "Chercher parmi les personnes visibles",
            "description": "SPIP et USMP : personnes de leur établissement ; partenaire : "
            "dossiers partagés avec lui ; administration : toutes. Par pages.",
            "parameters": [
                _query_param("q", "nom et/ou prénom (sans accents ni casse)", {"type": "string"}),
                _query_param("ecrou", "numéro d'écrou exact", {"type": "string"}),
                _query_param(
                    "birth_date",
                    "date de naissance AAAA-MM-JJ",
                    {"type": "string", "format": "date"},
                ),
                _query_param(
                    "page", "numéro de page (1 par défaut)", {"type": "integer", "minimum": 1}
                ),
            ],
            "responses": {**_ok("Une page de résultats", "PeoplePage"), **_errors("400")},
        },
        "post": {
            "operationId": "create_person",
            "summary": "Créer un dossier (SPIP, administration)",
            "description": "`household` (facultatif) : le foyer et les ressources, vérifiés "
            "comme par `PUT /api/v1/people/{id}/household`.",
            "requestBody": _body("PersonInput"),
            "responses": {
                "201": {
                    "description": "Dossier créé ; `Location` donne son adresse",
                    "headers": {"Location": {"schema": {"type": "string"}}},
                    "content": _json(ref("Person")),
                },
                **_errors("400", "403"),
            },
        },
    },
    "/api/v1/people/{id}": {
        "get": {
            "operationId": "get_person",
            "summary": "Un dossier et son évaluation",
            "description": "La consultation est inscrite au journal d'audit. Pour le SPIP et "
            "les partenaires, les informations médicales sont retirées.",
            "parameters": [PERSON_ID],
            "responses": {**_ok("Le dossier", "Person"), **_errors("404")},
        },
        "patch": {
            "operationId": "patch_person",
            "summary": "Modifier l'identité, la situation ou l'adresse de sortie",
            "description": "Seuls les champs envoyés changent ; mêmes règles que les "
            "formulaires. `release_address` : l'adresse de sortie (ou `null`), dont "
            "`residence_postcode` suit le code postal. Le dossier est réévalué.",
            "parameters": [PERSON_ID],
            "requestBody": _body("PersonPatch"),
            "responses": {
                **_ok("Le dossier réévalué", "Person"),
                **_errors("400", "403", "404", "409"),
            },
        },
    },
    "/api/v1/people/{id}/household": {
        "put": {
            "operationId": "update_household",
            "summary": "Renseigner le foyer et les ressources (SPIP, partenaire, administration)",
            "description": "Remplace le foyer entier (`household` : membres, ressources "
            "annuelles, RSA, présence en France ; `null` : inconnu). Les erreurs nomment le "
            "champ (`household.members[0].birth_date` …), avec les mêmes messages que le "
            "moteur. Le dossier est réévalué : `evaluation.rights_to_check` donne les droits à "
            "vérifier (C2S et sa participation, AME, soins urgents …). L'USMP lit le foyer "
            "mais ne le modifie pas (403).",
            "parameters": [PERSON_ID],
            "requestBody": _body("HouseholdUpdate"),
            "responses": {
                **_ok("Le dossier réévalué", "Person"),
                **_errors("400", "403", "404", "409"),
            },
        }
    },
    "/api/v1/people/{id}/events": {
        "get": {
            "operationId": "list_events",
            "summary": "Les événements enregistrés (corrections et retraits compris)",
            "parameters": [PERSON_ID],
            "responses": {
                "200": {
                    "description": "Du plus ancien au plus récent",
                    "content": _json({"type": "array", "items": ref("StoredEvent")}),
                },
                **_errors("404"),
            },
        },
        "post": {
            "operationId": "add_event",
            "summary": "Ajouter un événement, ou en corriger/retirer un",
            "description": "Événements de détention (dont `transfer`) : SPIP ; AT/MP : USMP ; "
            "après la sortie : SPIP et partenaire ; administration : tous. Le dossier entier "
            "est réévalué avant l'enregistrement : un événement incohérent est refusé (400) "
            "sans rien écrire. Un `transfer` (ou une correction qui change l'établissement "
            "actuel) fait passer le dossier au SPIP et à l'USMP du nouvel établissement, qui "
            "sont prévenus ; l'ancien établissement n'y a plus accès (404 ensuite).",
            "parameters": [PERSON_ID],
            "requestBody": _body("EventInput"),
            "responses": {
                "201": {
                    "description": "L'événement enregistré et le dossier réévalué",
                    "content": _json(
                        {
                            "type": "object",
                            "required": ["event", "person"],
                            "properties": {"event": ref("StoredEvent"), "person": ref("Person")},
                        }
                    ),
                },
                **_errors("400", "403", "404", "409"),
            },
        },
    },
    "/api/v1/people/{id}/tasks": {
        "get": {
            "operationId": "list_tasks",
            "summary": "Les tâches en cours de validité, avec leur statut",
            "description": "Les tâches médicales sont masquées pour le SPIP et les partenaires.",
            "parameters": [PERSON_ID],
            "responses": {
                "200": {
                    "description": "Par échéance",
                    "content": _json({"type": "array", "items": ref("Task")}),
                },
                **_errors("404"),
            },
        }
    },
    "/api/v1/people/{id}/tasks/{task_id}": {
        "post": {
            "operationId": "update_task",
            "summary": "Marquer une tâche faite, sans objet, ou la rouvrir",
            "parameters": [PERSON_ID, TASK_ID],
            "requestBody": _body("TaskUpdate"),
            "responses": {
                "200": {
                    "description": "La tâche et la nouvelle version du dossier",
                    "content": _json(
                        {
                            "type": "object",
                            "required": ["task", "version"],
                            "properties": {"task": ref("Task"), "version": {"type": "integer"}},
                        }
                    ),
                },
                **_errors("400", "403", "404", "409"),
            },
        }
    },
    "/api/v1/people/{id}/share": {
        "post": {
            "operationId": "share_person",
            "summary": "Partager le dossier avec un partenaire (SPIP, administration)",
            "description": "Avec la date du consentement de la personne. Partager de nouveau "
            "avec le même partenaire rend le partage existant.",
            "parameters": [PERSON_ID],
            "requestBody": _body("ShareInput"),
            "responses": {**_ok("Le partage", "Share", "201"), **_errors("400", "403", "404")},
        }
    },
    "/api/v1/users": {
        "post": {
            "operationId": "create_user",
            "summary": "Créer un compte (administration)",
            "description": "Comme `cnpe-flow create-user` : le mot de passe doit compter au "
            "moins 12 caractères et ne pas être courant ou devinable (le message dit pourquoi).",
            "requestBody": _body("UserInput"),
            "responses": {**_ok("Le compte créé", "User", "201"), **_errors("400", "403")},
        }
    },
    "/api/v1/people/{id}/letters/{kind}.pdf": {
        "get": {
            "operationId": "letter_pdf",
            "summary": "Un courrier du dossier, en PDF",
            "description": "Avant la levée d'écrou, les courriers de la sortie prévue sont "
            "prévisionnels (marqués « prévisionnel »). 404 (JSON) quand ce courrier ne "
            "s'applique pas au dossier, ou qu'il est médical (`ald_renewal`) et que le rôle ne "
            "voit pas le médical ; 409 pour `mas_referral` tant que le consentement de la "
            "personne n'est pas enregistré (REL-5). Nom de fichier en français : "
            "`recapitulatif-sortie-NOM-Prenom-AAAA-MM-JJ.pdf`.",
            "parameters": [
                PERSON_ID,
                _path_param("kind", "type de courrier", {"enum": list(LETTER_KINDS)}),
            ],
            "responses": {**_pdf("Le courrier"), **_errors("404", "409")},
        }
    },
    "/api/v1/people/{id}/packet.pdf": {
        "get": {
            "operationId": "packet_pdf",
            "summary": "Le dossier de sortie : exemplaire de la personne ou des organismes",
            "description": "`copy=person` (défaut) : la page « Vos démarches santé à la "
            "sortie » et les courriers adressés à la personne ; `copy=institutions` : les "
            "courriers envoyés aux organismes (CPAM, CNPE, Mission accompagnement santé) et "
            "l'annexe des règles. Pages numérotées dans chaque document ; un partenaire a son "
            "propre dossier, qui ne remplace jamais celui du SPIP.",
            "parameters": [
                PERSON_ID,
                _query_param("copy", "exemplaire", {"enum": ["person", "institutions"]}),
            ],
            "responses": {**_pdf("Le dossier"), **_errors("400", "404")},
        }
    },
    "/api/v1/people/{id}/mas-referral": {
        "post": {
            "operationId": "mas_referral_consent",
            "summary": "Enregistrer le consentement à l'orientation MAS (SPIP, partenaire, "
            "administration)",
            "description": "Mêmes règles et même journal que la page « Orientation MAS » : "
            "date pas dans le futur, seulement quand l'orientation s'applique (409 sinon, avec "
            "la raison), pas après l'envoi de la saisine.",
            "parameters": [PERSON_ID],
            "requestBody": _body("MasConsentInput"),
            "responses": {
                **_ok("L'orientation", "MasReferral", "201"),
                **_errors("400", "403", "404", "409"),
            },
        }
    },
    # roster import (issue 11)
    "/api/v1/imports": {
        "post": {
            "operationId": "create_import",
            "summary": "Importer une liste de l'établissement (CSV ou XLSX) ; SPIP, administration",
            "description": "Mêmes règles que la page « Importer une liste » et que "
            "`cnpe-flow import roster` : colonnes décrites dans le README. Avec `dry_run` vrai, "
            "rien n'est écrit. Un fichier illisible ou sans colonne obligatoire : 400 (champ "
            "`file`), rien n'est écrit ; les lignes refusées figurent dans le rapport.",
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file"],
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "dry_run": {"type": "string", "enum": ["true", "false", "1", "0"]},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Simulation (rien n'est écrit)",
                    "content": _json(IMPORT_REPORT),
                },
                "201": {"description": "Import appliqué", "content": _json(IMPORT_REPORT)},
                **_errors("400", "403"),
            },
        }
    },
    "/api/v1/openapi.json": {
        "get": {
            "operationId": "openapi_json",
            "summary": "Ce document",
            "responses": {
                "200": {"description": "OpenAPI 3.1", "content": _json({"type": "object"})},
                **_errors(),
            },
        }
    },
}


@cache
def document() -> dict[str, Any]:
    """The whole OpenAPI document (built once: it does not change while the app runs)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "cnpe-flow API",
            "version": __version__,
            "description": "Droits à l'assurance maladie autour de la détention et de la levée "
            "d'écrou. Authentification par jeton (`Authorization: Bearer JETON`, créé par "
            'l\'administration). Les erreurs sont du JSON `{"errors": [{"field", '
            '"message", "refs"?}]}`. Mêmes droits que les pages : le SPIP et l\'USMP voient les '
            "personnes de leur établissement, un partenaire les dossiers partagés avec lui ; "
            "seuls l'USMP et l'administration voient les informations médicales. "
            "`GET /healthz` (hors de cette API) répond sans authentification.",
        },
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "jeton d'API"}
            },
            "schemas": COMPONENTS,
            "responses": {
                name: {"description": description, "content": _json(ref("Errors"))}
                for name, description in _ERROR_RESPONSES.values()
            },
        },
    }
