"""The OpenAPI 3.1 document of ``/api/v1`` (served at ``/api/v1/openapi.json``).

Written by hand next to the views: a test checks that every ``/api/v1`` route of the
application is described here and that the document is valid OpenAPI.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from cnpe_flow import __version__
from cnpe_flow.api.openapi_parts import (
    ERROR_RESPONSES,
    IMPORT_REPORT,
    PERSON_ID,
    TASK_ID,
    body,
    errors,
    json_content,
    ok,
    path_param,
    pdf,
    query_param,
)
from cnpe_flow.api.schemas import COMPONENTS, ref
from cnpe_flow.rules.letters import LETTER_KINDS

Operation = dict[str, Any]

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
            "requestBody": body("CaseInput"),
            "responses": {**ok("Résultat du moteur", "CaseOutput"), **errors("400")},
        }
    },
    "/api/v1/people": {
        "get": {
            "operationId": "search_people",
            "summary": "Chercher parmi les personnes visibles",
            "description": "SPIP et USMP : personnes de leur établissement ; partenaire : "
            "dossiers partagés avec lui ; administration : toutes. Par pages.",
            "parameters": [
                query_param("q", "nom et/ou prénom (sans accents ni casse)", {"type": "string"}),
                query_param("ecrou", "numéro d'écrou exact", {"type": "string"}),
                query_param(
                    "birth_date",
                    "date de naissance AAAA-MM-JJ",
                    {"type": "string", "format": "date"},
                ),
                query_param(
                    "page", "numéro de page (1 par défaut)", {"type": "integer", "minimum": 1}
                ),
            ],
            "responses": {**ok("Une page de résultats", "PeoplePage"), **errors("400")},
        },
        "post": {
            "operationId": "create_person",
            "summary": "Créer un dossier (SPIP, administration)",
            "description": "`household` (facultatif) : le foyer et les ressources, vérifiés "
            "comme par `PUT /api/v1/people/{id}/household`.",
            "requestBody": body("PersonInput"),
            "responses": {
                "201": {
                    "description": "Dossier créé ; `Location` donne son adresse",
                    "headers": {"Location": {"schema": {"type": "string"}}},
                    "content": json_content(ref("Person")),
                },
                **errors("400", "403"),
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
            "responses": {**ok("Le dossier", "Person"), **errors("404")},
        },
        "patch": {
            "operationId": "patch_person",
            "summary": "Modifier l'identité, la situation ou l'adresse de sortie",
            "description": "Seuls les champs envoyés changent ; mêmes règles que les "
            "formulaires. `release_address` : l'adresse de sortie (ou `null`), dont "
            "`residence_postcode` suit le code postal. Le dossier est réévalué.",
            "parameters": [PERSON_ID],
            "requestBody": body("PersonPatch"),
            "responses": {
                **ok("Le dossier réévalué", "Person"),
                **errors("400", "403", "404", "409"),
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
            "requestBody": body("HouseholdUpdate"),
            "responses": {
                **ok("Le dossier réévalué", "Person"),
                **errors("400", "403", "404", "409"),
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
                    "content": json_content({"type": "array", "items": ref("StoredEvent")}),
                },
                **errors("404"),
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
            "requestBody": body("EventInput"),
            "responses": {
                "201": {
                    "description": "L'événement enregistré et le dossier réévalué",
                    "content": json_content(
                        {
                            "type": "object",
                            "required": ["event", "person"],
                            "properties": {"event": ref("StoredEvent"), "person": ref("Person")},
                        }
                    ),
                },
                **errors("400", "403", "404", "409"),
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
                    "content": json_content({"type": "array", "items": ref("Task")}),
                },
                **errors("404"),
            },
        }
    },
    "/api/v1/people/{id}/tasks/{task_id}": {
        "post": {
            "operationId": "update_task",
            "summary": "Marquer une tâche faite, sans objet, ou la rouvrir",
            "parameters": [PERSON_ID, TASK_ID],
            "requestBody": body("TaskUpdate"),
            "responses": {
                "200": {
                    "description": "La tâche et la nouvelle version du dossier",
                    "content": json_content(
                        {
                            "type": "object",
                            "required": ["task", "version"],
                            "properties": {"task": ref("Task"), "version": {"type": "integer"}},
                        }
                    ),
                },
                **errors("400", "403", "404", "409"),
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
            "requestBody": body("ShareInput"),
            "responses": {**ok("Le partage", "Share", "201"), **errors("400", "403", "404")},
        }
    },
    "/api/v1/users": {
        "post": {
            "operationId": "create_user",
            "summary": "Créer un compte (administration)",
            "description": "Comme `cnpe-flow create-user` : le mot de passe doit compter au "
            "moins 12 caractères et ne pas être courant ou devinable (le message dit pourquoi).",
            "requestBody": body("UserInput"),
            "responses": {**ok("Le compte créé", "User", "201"), **errors("400", "403")},
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
                path_param("kind", "type de courrier", {"enum": list(LETTER_KINDS)}),
            ],
            "responses": {**pdf("Le courrier"), **errors("404", "409")},
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
                query_param("copy", "exemplaire", {"enum": ["person", "institutions"]}),
            ],
            "responses": {**pdf("Le dossier"), **errors("400", "404")},
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
            "requestBody": body("MasConsentInput"),
            "responses": {
                **ok("L'orientation", "MasReferral", "201"),
                **errors("400", "403", "404", "409"),
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
                    "content": json_content(IMPORT_REPORT),
                },
                "201": {"description": "Import appliqué", "content": json_content(IMPORT_REPORT)},
                **errors("400", "403"),
            },
        }
    },
    "/api/v1/openapi.json": {
        "get": {
            "operationId": "openapi_json",
            "summary": "Ce document",
            "responses": {
                "200": {"description": "OpenAPI 3.1", "content": json_content({"type": "object"})},
                **errors(),
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
                name: {"description": description, "content": json_content(ref("Errors"))}
                for name, description in ERROR_RESPONSES.values()
            },
        },
    }
