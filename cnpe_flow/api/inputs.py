"""Reading API requests at the edge: the JSON body, ids, optional fields and query strings.

Whatever a client sends, a bad request ends as :class:`InvalidInput` (400) or
:class:`NotFound` (404) with a French message naming the field, never as a 500. Text that a
database cannot store (NUL characters, lone surrogates) is refused here, before any query.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from flask import request

from cnpe_flow.errors import InvalidInput, NotFound
from cnpe_flow.rules import Problem

#: ids are PostgreSQL ``integer`` columns: a larger number names nothing
MAX_ID = 2**31 - 1
#: JSON nested deeper than this is not a case anyone writes (and recursion has limits)
MAX_DEPTH = 32
MAX_PAGE = 100_000
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _finite_float(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(text)
    return number


def _bad_text(value: str) -> bool:
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (\ud800 …) is not text
        return True
    return False


def _check_values(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise InvalidInput.one("body", f"JSON imbriqué sur plus de {MAX_DEPTH} niveaux")
    if isinstance(value, str):
        if _bad_text(value):
            raise InvalidInput.one(
                "body", "le texte contient un caractère interdit (caractère nul ou invalide)"
            )
    elif isinstance(value, list):
        for item in value:
            _check_values(item, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_values(key, depth + 1)
            _check_values(item, depth + 1)


def json_body() -> Any:
    """The request's JSON value (any type), or a 400 naming ``body``."""
    if not request.is_json:
        raise InvalidInput.one(
            "body",
            "le corps de la requête doit être du JSON (en-tête Content-Type: application/json)",
        )
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise InvalidInput.one("body", "corps de requête vide : un objet JSON est attendu")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput.one("body", "le corps de la requête n'est pas en UTF-8") from None
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise InvalidInput.one(
            "body", f"JSON invalide ligne {exc.lineno}, colonne {exc.colno} ({exc.msg})"
        ) from None
    except RecursionError:
        raise InvalidInput.one("body", f"JSON imbriqué sur plus de {MAX_DEPTH} niveaux") from None
    except ValueError:  # NaN, Infinity, 1e999, integers of thousands of digits
        raise InvalidInput.one(
            "body", "JSON invalide : NaN, Infinity ou nombre trop grand pour être lu"
        ) from None
    _check_values(value)
    return value


def json_object(allowed: frozenset[str] | None = None) -> dict[str, Any]:
    """The request's JSON object; with ``allowed``, any other key is refused by name."""
    value = json_body()
    if not isinstance(value, dict):
        raise InvalidInput.one("body", "un objet JSON est attendu ({ … })")
    if allowed is not None:
        check_known_keys(value, allowed)
    return value


def check_known_keys(value: dict[str, Any], allowed: frozenset[str] | set[str]) -> None:
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        expected = ", ".join(sorted(allowed))
        raise InvalidInput(
            [Problem(k, f"champ inconnu (champs possibles : {expected})") for k in unknown]
        )


def path_id(value: int, what: str) -> int:
    """An id from the URL; beyond the column's range it names nothing (404, not a 500)."""
    if not 1 <= value <= MAX_ID:
        raise NotFound(f"{what} introuvable")
    return value


def optional_int(body: dict[str, Any], name: str, message: str) -> int | None:
    """A positive integer field (``bool`` is not one), or ``None`` when absent or null."""
    value = body.get(name)
    if value is None:
        return None
    if type(value) is not int or not 1 <= value <= MAX_ID:
        raise InvalidInput.one(name, message)
    return value


def optional_bool(body: dict[str, Any], name: str) -> bool:
    value = body.get(name, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidInput.one(name, "true ou false attendu")
    return value


def optional_text(body: dict[str, Any], name: str, limit: int) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput.one(name, "un texte est attendu")
    if len(value) > limit:
        raise InvalidInput.one(name, f"{limit} caractères au plus")
    return value


def query_text(name: str, limit: int = 200) -> str | None:
    """A query-string parameter, trimmed; ``None`` when absent or blank."""
    value = request.args.get(name, "")
    value = " ".join(value.split())
    if not value:
        return None
    if len(value) > limit:
        raise InvalidInput.one(name, f"{limit} caractères au plus")
    if _bad_text(value):
        raise InvalidInput.one(name, "le texte contient un caractère interdit")
    return value


def query_date(name: str) -> date | None:
    value = query_text(name, limit=40)
    if value is None:
        return None
    parsed = iso_date(value)
    if parsed is None:
        raise InvalidInput.one(name, f"« {value} » n'est pas une date (AAAA-MM-JJ)")
    return parsed


def iso_date(value: Any) -> date | None:
    """Strict ``AAAA-MM-JJ`` (``date.fromisoformat`` alone also takes 20261123 or 2026-W48-1)."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def query_page() -> int:
    value = query_text("page", limit=40)
    if value is None:
        return 1
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise InvalidInput.one("page", f"numéro de page entre 1 et {MAX_PAGE} attendu")
    return int(value)
