"""« Importer une liste » (SPIP, admin): upload → preview of every row (nothing written) →
confirm. The preview is a dry run of :func:`run_import`; the uploaded bytes wait in the
instance folder (named by a random token kept in the user's session) until confirmed."""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    current_app,
    render_template,
    request,
    session,
)
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from cnpe_flow import db
from cnpe_flow.auth import access
from cnpe_flow.auth.models import User
from cnpe_flow.imports.reading import FileRefused
from cnpe_flow.imports.roster import (
    CREATED,
    MODIFIED,
    REFUSED,
    UNCHANGED,
    ImportReport,
    run_import,
)
from cnpe_flow.imports.template_files import template_csv, template_xlsx
from cnpe_flow.imports.upload_limit import body_limit, file_too_large, read_within_limit
from cnpe_flow.web.errors import too_large_back
from cnpe_flow.web.security import acting_user

bp = Blueprint("imports", __name__)

ACTION_LABELS = {
    CREATED: "Nouveau dossier",
    MODIFIED: "Modifié",
    UNCHANGED: "Inchangé",
    REFUSED: "Refusé",
}
#: the preview lists every row but the unchanged ones past this many
SHOWN_UNCHANGED = 200
#: uploads waiting for a confirmation are dropped after this long
UPLOAD_TTL_SECONDS = 24 * 3600
_SESSION_KEY = "roster_upload"
_LARGE_ENDPOINTS = frozenset({"imports.upload", "api.create_import"})


@bp.record_once
def _allow_large_uploads(state: Any) -> None:
    """The import routes take files up to ``IMPORT_MAX_BYTES`` (others keep the 1 MB limit).

    It must run before CSRF protection reads the form, hence first in the app's hooks."""

    def raise_limit() -> None:
        if request.endpoint in _LARGE_ENDPOINTS:
            request.max_content_length = body_limit()

    state.app.before_request_funcs.setdefault(None, []).insert(0, raise_limit)


def _uploads() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    limit = time.time() - UPLOAD_TTL_SECONDS
    for old in folder.glob("*.upload"):
        if old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)
    return folder


@bp.errorhandler(RequestEntityTooLarge)
def _body_too_large(exc: RequestEntityTooLarge) -> Any:
    """A body above the import's cap is refused before anything is read (its CSRF token
    neither, so nothing can be written): the import page again, the limit under the file."""
    user = current_user
    if request.endpoint == "imports.upload" and user.is_authenticated and access.can_import(user):
        return _too_large_page()
    return too_large_back()


def _too_large_page() -> tuple[str, int]:
    message = file_too_large()
    return _page(413, error=f"{message[:1].upper()}{message[1:]}.")


def _page(status: int = 200, **context: Any) -> tuple[str, int]:
    context.setdefault("error", None)
    context.setdefault("report", None)
    return render_template(
        "imports/import.html",
        labels=ACTION_LABELS,
        shown_unchanged=SHOWN_UNCHANGED,
        rows=report_rows(context["report"]) if context["report"] else [],
        **context,
    ), status


@bp.get("/import")
def import_page() -> Any:
    access.check_can_import(acting_user())
    return _page()


@bp.post("/import")
def upload() -> Any:
    """Preview: the dry run's report, and a confirmation form for the same bytes. The
    confirmation posts here too (field ``token``), so a refusal keeps this address."""
    user = acting_user()
    access.check_can_import(user)
    if "token" in request.form:
        return _confirm(user)
    sent = request.files.get("fichier")
    if sent is None or not sent.filename:
        return _page(400, error="Choisissez un fichier CSV ou XLSX.")
    data = read_within_limit(sent)
    if data is None:
        return _too_large_page()
    filename = Path(sent.filename).name[:255]
    try:
        report = run_import(
            db.session(),
            user,
            filename,
            data,
            dry_run=True,
            max_rows=current_app.config["IMPORT_MAX_ROWS"],
        )
    except FileRefused as exc:
        return _page(400, error=f"{filename} : {exc}")
    token = secrets.token_urlsafe(24)
    (_uploads() / f"{token}.upload").write_bytes(data)
    session[_SESSION_KEY] = {"token": token, "filename": filename, "sha256": report.sha256}
    return _page(report=report, token=token)


@bp.post("/import/confirmer")
def confirm() -> Any:
    """Former address of the confirmation, kept for bookmarked pages and scripts."""
    user = acting_user()
    access.check_can_import(user)
    return _confirm(user)


def _confirm(user: User) -> Any:
    """Apply the previewed file (the same bytes: their SHA-256 is checked)."""
    pending = session.get(_SESSION_KEY) or {}
    token = request.form.get("token", "")
    path = _uploads() / f"{pending.get('token', '-')}.upload"
    if not token or token != pending.get("token") or not path.is_file():
        return _page(
            400, error="Cet aperçu a expiré ou a déjà été importé : envoyez le fichier à nouveau."
        )
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != pending.get("sha256"):
        return _page(400, error="Le fichier a changé depuis l'aperçu : envoyez-le à nouveau.")
    try:
        report = run_import(
            db.session(),
            user,
            pending["filename"],
            data,
            dry_run=False,
            max_rows=current_app.config["IMPORT_MAX_ROWS"],
        )
    except FileRefused as exc:
        return _page(400, error=f"{pending['filename']} : {exc}")
    path.unlink(missing_ok=True)
    session.pop(_SESSION_KEY, None)
    return _page(report=report, done=True)


@bp.get("/import/modele.csv")
def template_csv_file() -> Response:
    access.check_can_import(acting_user())
    return _download(template_csv(), "modele-liste.csv", "text/csv; charset=utf-8")


@bp.get("/import/modele.xlsx")
def template_xlsx_file() -> Response:
    access.check_can_import(acting_user())
    return _download(
        template_xlsx(),
        "modele-liste.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _download(data: bytes, name: str, mimetype: str) -> Response:
    response = current_app.response_class(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_rows(report: ImportReport) -> list[Any]:
    """The rows the page lists: all but the unchanged ones past ``SHOWN_UNCHANGED``."""
    shown, unchanged = [], 0
    for row in report.rows:
        if row.action == UNCHANGED:
            unchanged += 1
            if unchanged > SHOWN_UNCHANGED:
                continue
        shown.append(row)
    return shown
