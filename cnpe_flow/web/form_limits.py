"""Too-long texts in a page form come back as the same form, never as a bare 413 page.

A page form (``application/x-www-form-urlencoded``, not the API) may be up to
``FORM_MAX_BYTES``; each value is cut at ``FORM_FIELD_MAX_CHARS`` characters, far above any
field's own limit, so the field's own check refuses it and its page shows the form again with
the message by the field and the start of what was typed. A body larger still is read up to
``FORM_MAX_BYTES``: the value being read there is the one cut. The API keeps
``MAX_CONTENT_LENGTH`` and the import its ``IMPORT_MAX_BYTES``.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Flask, Response, current_app, flash, g, render_template, request
from werkzeug.datastructures import ImmutableMultiDict

from cnpe_flow.web.security import is_api_request

_FORM_TYPE = "application/x-www-form-urlencoded"


def _is_page_form() -> bool:
    return request.method == "POST" and request.mimetype == _FORM_TYPE and not is_api_request()


def _set_form(form: ImmutableMultiDict[str, str]) -> None:
    # ``form`` and ``files`` are cached properties of the request object itself (not of the
    # proxy); with both set, werkzeug never reads the body again
    real = request._get_current_object()  # type: ignore[attr-defined]
    real.form = form
    real.files = ImmutableMultiDict()


def _read_form() -> None:
    if not _is_page_form():
        return
    limit = current_app.config["FORM_MAX_BYTES"]
    length = request.content_length
    if length is not None and length > limit:
        # Too large to read whole: its beginning, parsed here (werkzeug would refuse it all).
        head = request.environ["wsgi.input"].read(limit).decode("utf-8", "replace")
        _set_form(ImmutableMultiDict(parse_qsl(head, keep_blank_values=True)))
    else:
        request.max_content_length = limit
    cap = current_app.config["FORM_FIELD_MAX_CHARS"]
    cut = [k for k, v in request.form.items(multi=True) if len(v) > cap and k != "csrf_token"]
    if length is not None and length > limit and request.form:
        cut.append(list(request.form.keys())[-1])  # the value being read when the limit came
    if not cut:
        return
    g.cut_fields = sorted(set(cut))
    _set_form(
        ImmutableMultiDict(
            [(k, v if k == "csrf_token" else v[:cap]) for k, v in request.form.items(multi=True)]
        )
    )
    flash(
        "Un texte saisi était bien trop long : il a été coupé (le début est gardé ci-dessous) "
        "et rien n'a été enregistré. Raccourcissez-le puis enregistrez de nouveau.",
        "error",
    )


def _never_save_cut(response: Response) -> Response:
    """A cut value is refused by its field's own check; should a field have none, nothing is
    saved either: the response becomes a refusal, so the request rolls back."""
    if getattr(g, "cut_fields", None) and response.status_code < 400:
        page = render_template(
            "errors/error.html",
            status=413,
            title="Envoi trop volumineux",
            message="Un texte saisi était trop long : rien n'a été enregistré. Revenez en "
            "arrière, raccourcissez-le puis recommencez.",
        )
        # changed in place: the headers the later-registered hooks set (security) stay
        response.status_code = 413
        response.headers.pop("Location", None)
        response.mimetype = "text/html"
        response.set_data(page)
    return response


def init_app(app: Flask) -> None:
    # first of the hooks: before the CSRF check reads the form
    app.before_request_funcs.setdefault(None, []).insert(0, _read_form)
    # registered after the database's: runs before its commit (hooks run in reverse order)
    app.after_request(_never_save_cut)
