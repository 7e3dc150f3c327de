"""Errors as French pages or JSON ``{"errors": [{"field", "message"}]}`` — never a traceback."""

from __future__ import annotations

import json
import logging
import traceback
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, flash, redirect, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from cnpe_flow.errors import Conflict, Forbidden, InvalidInput, NotFound
from cnpe_flow.web.security import api_error, is_api_request

log = logging.getLogger("cnpe_flow.web")

_TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    409: "Modification concurrente",
    413: "Envoi trop volumineux",
    429: "Trop de tentatives",
    500: "Erreur interne",
}


def _sentence(text: str) -> str:
    """First letter up, the rest untouched (rule IDs and names keep their case)."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _page(status: int, message: str) -> tuple[str, int]:
    return render_template(
        "errors/error.html", status=status, title=_TITLES.get(status, "Erreur"), message=message
    ), status


def too_large_back() -> Response:
    """A form sent too big comes back to the page it was on with a French message, never a
    bare error page (nothing of it was read, so nothing was recorded)."""
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024
    flash(
        "Envoi trop volumineux : le formulaire n'a pas été enregistré. Un texte saisi ou "
        f"collé dépasse la taille permise ({limit} Ko en tout) ; raccourcissez-le puis "
        "recommencez.",
        "error",
    )
    back = request.referrer or ""
    # only back to a page of this site: the Referer header is the sender's to write
    if urlsplit(back).netloc != request.host or not back:
        back = request.path
    return redirect(back, 303)  # type: ignore[return-value]


def init_app(app: Flask) -> None:
    @app.errorhandler(InvalidInput)
    def _invalid(exc: InvalidInput) -> Response | tuple[str, int]:
        if is_api_request():
            # ``refs`` (the events in the contract's words) for tools, as the command line prints
            body = {
                "errors": [
                    {
                        "field": p.field,
                        "message": p.message,
                        **({"refs": list(p.refs)} if p.refs else {}),
                    }
                    for p in exc.problems
                ]
            }
            return Response(
                json.dumps(body, ensure_ascii=False), status=400, mimetype="application/json"
            )
        # pages: the sentences only (no internal event names)
        return _page(400, " ; ".join(p.message for p in exc.problems))

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound) -> Response | tuple[str, int]:
        if is_api_request():
            return api_error(404, str(exc))
        return _page(404, _sentence(str(exc)))

    @app.errorhandler(Forbidden)
    def _forbidden(exc: Forbidden) -> Response | tuple[str, int]:
        if is_api_request():
            return api_error(403, str(exc))
        return _page(403, _sentence(str(exc)))

    @app.errorhandler(Conflict)
    def _conflict(exc: Conflict) -> Response | tuple[str, int]:
        if is_api_request():
            return api_error(409, exc.message, "version")
        return _page(409, exc.message)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> tuple[str, int]:
        return _page(
            400,
            "Le formulaire a expiré ou n'a pas été envoyé depuis cnpe-flow. Rechargez la page et recommencez.",
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response | tuple[str, int]:
        status = exc.code or 500
        if is_api_request():
            return api_error(status, _TITLES.get(status, exc.name).lower())
        if status == 413 and request.method == "POST":
            return too_large_back()
        return _page(status, _TITLES.get(status, exc.name))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response | tuple[str, int]:
        # Log the type and place only: messages may carry personal data.
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        log.error(
            "internal error %s at %s:%s",
            type(exc).__name__,
            where and where.filename,
            where and where.lineno,
        )
        if app.config.get("PROPAGATE_EXCEPTIONS"):
            raise exc
        if is_api_request():
            return api_error(500, "erreur interne : elle a été enregistrée, merci de la signaler")
        return _page(
            500, "Une erreur interne s'est produite. Elle a été enregistrée ; merci de la signaler."
        )
