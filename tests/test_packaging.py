"""`pip install .` (not editable) gives a working app: the wheel holds every file of the
package, the page templates and the letter templates (CSS, fonts, meta), and, imported from
the unpacked wheel alone, the app serves its login page and renders a PDF.

The full path — fresh environment, dependencies, `cnpe-flow demo` over HTTP — is the CI step
« package » (`tools/wheel_smoke.py`); this test builds the real wheel (about ten seconds).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: checkout folders that are not part of the source a user installs from
_NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "instance",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
)


def _files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", work, source],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = work.glob("cnpe_flow-*.whl")
    return built


def test_wheel_holds_the_package_the_templates_and_the_letters(wheel: Path) -> None:
    expected = {f"cnpe_flow/{name}" for name in _files(ROOT / "cnpe_flow")}
    for folder in ("templates", "letters"):
        expected |= {f"cnpe_flow/_shipped/{folder}/{name}" for name in _files(ROOT / folder)}
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n for n in archive.namelist() if ".dist-info/" not in n}
    assert expected - shipped == set(), "missing from the wheel"
    assert shipped - expected == set(), "in the wheel but not in the checkout"
    # the pieces a page and a letter cannot do without, named so a failure reads plainly
    assert {
        "cnpe_flow/_shipped/templates/auth/login.html",
        "cnpe_flow/_shipped/letters/fonts/DejaVuSans.ttf",
        "cnpe_flow/_shipped/letters/release_summary/meta.yaml",
        "cnpe_flow/web/static/app.css",
        "cnpe_flow/rules/catalogue.yaml",
        "cnpe_flow/reference/data/establishments.csv",
        "cnpe_flow/migrations/env.py",
    } <= shipped


_FROM_THE_WHEEL = """
import sys
from pathlib import Path

import cnpe_flow
from cnpe_flow import create_app, migrate, paths
from cnpe_flow.letters.render import renderer

site = Path(sys.argv[1])
assert Path(cnpe_flow.__file__).is_relative_to(site), cnpe_flow.__file__
assert paths.installed() and paths.shipped("letters").is_relative_to(site)
url = f"sqlite:///{site.parent / 'app.sqlite3'}"
migrate.upgrade(url)
app = create_app(
    {"SECRET_KEY": "wheel", "DATABASE_URL": url, "INSTANCE_PATH": str(site.parent / "instance")}
)
client = app.test_client()
login = client.get("/login")
assert login.status_code == 200 and b'name="password"' in login.data, login.status_code
assert client.get("/static/app.css").status_code == 200
pdf = renderer().pdf_from_html("release_summary", "<article><p>Madame, Monsieur,</p></article>")
assert pdf.startswith(b"%PDF-")
print("served and rendered from", site)
"""


def test_the_unpacked_wheel_serves_pages_and_renders_letters(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    # the wheel's package comes first on the path; the checkout is neither the working
    # directory nor on the path
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", _FROM_THE_WHEEL, str(site)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"served and rendered from {site}" in done.stdout
