"""The three doors of the import (command line, page, API) on both backends: same report."""

from __future__ import annotations

import html
import io
import re

from click.testing import CliRunner
from roster_tools import HEADER, roster, row
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from cnpe_flow import db
from cnpe_flow.cli import main
from cnpe_flow.people.models import Person

MIXED = roster(
    row("1001", ecrou="10/01/2026", planned="15/12/2026"),
    row("1002", "Martin", "Léa", "1990-05-02", ecrou="2026-02-01"),
    row("1003", "Petit", "Jo", ecrou="31/02/2026"),
)


def _cli(database_url, tmp_path, data, *args):
    """The command line makes its own app and engine: the test asks for ``database_url``,
    so its writes are real commits (see ``tests/conftest.py``)."""
    path = tmp_path / "liste.csv"
    path.write_bytes(data)
    env = {"SECRET_KEY": "k", "DATABASE_URL": database_url}
    return CliRunner().invoke(main, ["import", "roster", str(path), *args], env=env)


def test_the_command_line_prints_refused_rows_and_a_summary(
    database_url, tmp_path, make_user, counts
):
    make_user("spip", username="camille")

    dry = _cli(database_url, tmp_path, MIXED, "--as", "camille", "--dry-run")
    assert counts() == (0, 0)
    real = _cli(database_url, tmp_path, MIXED, "--as", "camille")
    again = _cli(
        database_url, tmp_path, roster(row("1001", planned="15/12/2026")), "--as", "camille"
    )

    assert dry.exit_code == 1
    assert dry.output == (
        "ligne 4 : date_ecrou : 31/02/2026 n'est pas une date\n"
        "simulation, rien n'est écrit — 3 lignes : 2 créées, 0 modifiées, 0 inchangées, "
        "1 refusées\n"
    )
    assert real.exit_code == 1
    assert real.output.splitlines()[-1] == (
        "3 lignes : 2 créées, 0 modifiées, 0 inchangées, 1 refusées"
    )
    assert counts() == (2, 3)
    assert (again.exit_code, again.output) == (
        0,
        "1 ligne : 0 créées, 0 modifiées, 1 inchangées, 0 refusées\n",
    )


def test_the_command_line_exits_2_and_writes_nothing_for_an_unusable_file(
    database_url, tmp_path, make_user, counts
):
    make_user("spip", username="camille")

    missing = _cli(database_url, tmp_path, b"nom;prenom\nDurand;Alex\n", "--as", "camille")
    unknown = _cli(database_url, tmp_path, MIXED, "--as", "personne")
    usmp = make_user("usmp", username="dr")
    forbidden = _cli(database_url, tmp_path, MIXED, "--as", usmp.username)

    assert missing.exit_code == 2
    assert missing.output.startswith("liste.csv : colonnes obligatoires absentes : numero_ecrou")
    assert (unknown.exit_code, unknown.output) == (2, "--as : aucun compte actif « personne »\n")
    assert forbidden.exit_code == 2
    assert counts() == (0, 0)


_TOKEN = re.compile(r'name="token" value="([^"]+)"')


def test_the_page_previews_without_writing_then_confirms(client, login, make_user, counts, app):
    login(client, make_user("spip"))

    page = client.get("/import").get_data(as_text=True)
    preview = client.form(
        "/import",
        {"fichier": (io.BytesIO(MIXED), "entrees.csv")},
        content_type="multipart/form-data",
    )
    body = html.unescape(preview.get_data(as_text=True))
    assert counts() == (0, 0)
    done = client.form("/import/confirmer", {"token": _TOKEN.search(body).group(1)})
    replay = client.form("/import/confirmer", {"token": _TOKEN.search(body).group(1)})

    assert "modele.csv" in page and "modele.xlsx" in page
    assert preview.status_code == 200
    assert "rien n'est encore enregistré" in body
    assert "3 lignes : 2 créées, 0 modifiées, 0 inchangées, 1 refusées" in body
    assert "date_ecrou : 31/02/2026 n'est pas une date" in body
    assert "sortie prévue le 15/12/2026" in body
    assert done.status_code == 200
    assert "Import enregistré" in done.get_data(as_text=True)
    assert counts() == (2, 3)
    assert replay.status_code == 400  # a preview is confirmed once
    assert counts() == (2, 3)
    with db.transaction(app) as s:
        person = s.execute(select(Person).where(Person.ecrou_number == "1001")).scalar_one()
    case = client.get(f"/personnes/{person.id}").get_data(as_text=True)
    assert "de la liste « entrees.csv » du 23/11/2026" in case


def test_the_page_says_why_a_file_is_refused(client, login, make_user):
    login(client, make_user("spip"))

    answer = client.form(
        "/import",
        {"fichier": (io.BytesIO(b""), "vide.csv")},
        content_type="multipart/form-data",
    )

    assert answer.status_code == 400
    assert "vide.csv : le fichier est vide" in answer.get_data(as_text=True)


def test_the_templates_download(client, login, make_user):
    login(client, make_user("spip"))

    csv_file = client.get("/import/modele.csv")
    xlsx_file = client.get("/import/modele.xlsx")

    assert csv_file.data.decode("utf-8-sig").startswith(";".join(HEADER))
    assert "attachment" in csv_file.headers["Content-Disposition"]
    assert xlsx_file.data.startswith(b"PK\x03\x04")


def test_the_api_gives_the_same_report_as_json(client, make_user, token_for, counts):
    headers = token_for(make_user("spip"))

    dry = client.post(
        "/api/v1/imports",
        data={"file": (io.BytesIO(MIXED), "liste.csv"), "dry_run": "true"},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert counts() == (0, 0)
    real = client.post(
        "/api/v1/imports",
        data={"file": (io.BytesIO(MIXED), "liste.csv")},
        headers=headers,
        content_type="multipart/form-data",
    )
    missing = client.post("/api/v1/imports", data={}, headers=headers)
    empty = client.post(
        "/api/v1/imports",
        data={"file": (io.BytesIO(b""), "vide.csv")},
        headers=headers,
        content_type="multipart/form-data",
    )

    assert dry.status_code == 200 and dry.json["dry_run"] is True
    assert dry.json["counts"] == {
        "rows": 3,
        "created": 2,
        "modified": 0,
        "unchanged": 0,
        "refused": 1,
    }
    assert dry.json["rows"][2]["problems"] == ["date_ecrou : 31/02/2026 n'est pas une date"]
    assert real.status_code == 201 and real.json["import_id"] is not None
    assert real.json["summary"] == dry.json["summary"]
    assert counts() == (2, 3)
    person_id = real.json["rows"][0]["person_id"]
    events = client.get(f"/api/v1/people/{person_id}/events", headers=headers).json
    assert {e["import_id"] for e in events} == {real.json["import_id"]}
    assert missing.status_code == 400 and missing.json["errors"][0]["field"] == "file"
    assert empty.json["errors"] == [{"field": "file", "message": "le fichier est vide"}]


def test_a_large_file_is_accepted_by_the_import_routes_only(client, make_user, token_for):
    headers = token_for(make_user("spip"))

    # rows refused for their date: the point is the size (over the 1 MB of other routes)
    big = roster(*[row(f"{n}", f"Nom{n}", "X" * 80, ecrou="31/02/2026") for n in range(12_000)])
    assert len(big) > 1024 * 1024

    # encoded here: the test client would spool a large body to a file it never closes
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(big), "gros.csv"), "dry_run": "true"}
    )
    answer = client.post(
        "/api/v1/imports",
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    other = client.post(
        "/api/v1/evaluate", data=big, headers=headers, content_type="application/json"
    )

    assert answer.status_code == 200
    assert answer.json["counts"]["refused"] == 12_000
    assert other.status_code == 413
