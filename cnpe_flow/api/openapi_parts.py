"""Building blocks of the OpenAPI document (``openapi.py``): responses, bodies, parameters."""

from __future__ import annotations

from typing import Any

from cnpe_flow.api.schemas import ID, ref

ERROR_RESPONSES = {
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


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def ok(description: str, schema_name: str, status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": json_content(ref(schema_name))}}


def errors(*statuses: str) -> dict[str, Any]:
    return {
        status: {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"}
        for status in ("401", *statuses)
    }


def body(schema_name: str, description: str = "") -> dict[str, Any]:
    return {"required": True, "description": description, "content": json_content(ref(schema_name))}


def _param(name: str, where: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema,
    }


def path_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return _param(name, "path", description, schema)


def query_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return _param(name, "query", description, schema)


PERSON_ID = path_param("id", "identifiant du dossier", ID)
TASK_ID = path_param("task_id", "identifiant de la tâche", ID)


def pdf(description: str) -> dict[str, Any]:
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
