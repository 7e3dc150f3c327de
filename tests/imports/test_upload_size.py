"""A file above the import's limit (``IMPORT_MAX_BYTES``): the import page again with the limit
in Mo under the file field, or the API's JSON error naming ``file``; nothing is written."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from roster_tools import roster, row
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

MEGABYTE = 1024 * 1024
MESSAGE = "le fichier dépasse 1 Mo, la taille maximale d'un import"


@pytest.fixture
def one_megabyte(app):  # type: ignore[no-untyped-def]
    app.config["IMPORT_MAX_BYTES"] = MEGABYTE
    return app


def _post(client, url: str, fields: dict, headers: dict | None = None):  # type: ignore[no-untyped-def]
    # encoded here: the test client would spool a large body to a file it never closes
    boundary, body = encode_multipart(fields)
    return client.post(
        url,
        data=body,
        headers=headers or {},
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _upload(client, data: bytes):  # type: ignore[no-untyped-def]
    fields = {"csrf_token": client.csrf, "fichier": FileStorage(io.BytesIO(data), "gros.csv")}
    return _post(client, "/import", fields)


def _file_error(response) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r'<p class="error" id="fichier-error"[^>]*>(.*?)</p>', response.text)
    return html.unescape(found.group(1)) if found else ""


def _waiting_uploads(app) -> list[Path]:  # type: ignore[no-untyped-def]
    return list((Path(app.instance_path) / "imports").glob("*.upload"))


def test_a_file_one_byte_over_the_limit_comes_back_with_the_limit_under_the_field(
    one_megabyte, client, login, make_user, counts
):
    login(client, make_user("spip"))

    refused = _upload(client, b"x" * (MEGABYTE + 1))

    assert refused.status_code == 413
    assert _file_error(refused) == "Le fichier dépasse 1 Mo, la taille maximale d'un import."
    assert 'aria-describedby="fichier-error"' in refused.text
    assert "Importer une liste" in refused.text and "Traceback" not in refused.text
    assert counts() == (0, 0)
    assert _waiting_uploads(one_megabyte) == []


def test_a_body_far_above_the_limit_gets_the_same_page_unread(
    one_megabyte, client, login, make_user, counts
):
    """Above the cap the body is not read at all (nor its CSRF token): same page, same words,
    not the general « Envoi trop volumineux » of the other forms."""
    login(client, make_user("spip"))

    refused = _upload(client, b"x" * (2 * MEGABYTE))

    assert refused.status_code == 413
    assert _file_error(refused) == "Le fichier dépasse 1 Mo, la taille maximale d'un import."
    assert "Ko en tout" not in refused.text
    assert counts() == (0, 0)
    assert _waiting_uploads(one_megabyte) == []


def test_a_file_of_exactly_the_limit_is_previewed(app, client, login, make_user, counts):
    app.config["IMPORT_MAX_BYTES"] = 64 * 1024
    login(client, make_user("spip"))
    data = roster(row("1001", ecrou="10/01/2026"))
    data += b"\n" * (64 * 1024 - len(data))  # blank lines: the same one row

    previewed = _upload(client, data)
    refused = _upload(client, data + b"\n")

    assert previewed.status_code == 200
    assert "1 ligne : 1 créées" in html.unescape(previewed.text)
    assert refused.status_code == 413
    assert counts() == (0, 0)


def test_a_role_that_may_not_import_gets_no_import_page_for_a_large_body(
    one_megabyte, client, login, make_user
):
    login(client, make_user("usmp"))

    refused = _upload(client, b"x" * (2 * MEGABYTE))

    assert refused.status_code == 303
    assert client.get(refused.headers["Location"]).status_code == 403


def test_the_api_names_the_file_field_with_the_limit(
    one_megabyte, client, make_user, token_for, counts
):
    headers = token_for(make_user("spip"))

    def send(size: int):  # type: ignore[no-untyped-def]
        fields = {"file": FileStorage(io.BytesIO(b"x" * size), "gros.csv"), "dry_run": "false"}
        return _post(client, "/api/v1/imports", fields, headers)

    over = send(MEGABYTE + 1)
    far_over = send(2 * MEGABYTE)

    for answer in (over, far_over):
        assert answer.status_code == 413
        assert answer.json == {"errors": [{"field": "file", "message": MESSAGE}]}
    assert counts() == (0, 0)
