"""Screenshots of the main pages on the demo data, to look at before saying a page is done.

    .venv/bin/python tools/screenshots.py OUT_DIR [--only case,release]

For each role (SPIP, USMP, partner, admin) and each main page the role may open: a full-page
PNG at 1280 px (``desktop``), at 390 px (``phone``, with the page's scroll width checked), and
in print emulation (``print``); for the pages people print (dashboard, case page, release
preparation), the PDF Chromium would print too. The demo database is made afresh in a
temporary folder; Debian's chromium is driven by Playwright, as in the browser tests.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from cnpe_flow.demo import prepare_demo

#: (name, path, roles); people: 1 Martin (release coming, hosted), 2 Dubois (ALD, IJ),
#: 3 Leroy (released, shared with the partner)
PAGES = [
    ("dashboard", "/", "spip usmp partner admin"),
    ("search", "/personnes?q=", "spip usmp partner admin"),
    ("case", "/personnes/{person}", "spip usmp partner admin"),
    ("release", "/personnes/{person}/sortie", "spip usmp partner admin"),
    ("letters", "/personnes/{person}/courriers", "spip usmp partner admin"),
    ("household", "/personnes/{person}/foyer", "spip partner"),
    ("mas", "/personnes/{person}/mas", "spip"),
    ("event-types", "/personnes/{person}/evenements/nouveau", "spip"),
    ("event-form", "/personnes/{person}/evenements/nouveau?type=planned_release", "spip"),
    ("edit", "/personnes/{person}/modifier", "spip usmp"),
    ("share", "/personnes/{person}/partage", "spip"),
    ("new-person", "/personnes/nouvelle", "spip"),
    ("notifications", "/notifications", "spip"),
    ("calendar", "/agenda", "spip"),
    ("account", "/compte", "spip"),
    ("profile", "/profil", "partner"),
    ("import", "/import", "spip"),
    ("users", "/admin/utilisateurs", "admin"),
    ("audit", "/admin/audit", "admin"),
    ("reference", "/admin/etablissements", "admin"),
    ("privacy", "/admin/rgpd", "admin"),
]
PRINTED = {"dashboard", "case", "release"}
#: the person each role looks at (the partner sees only the people shared with them)
PERSON = {"spip": 1, "usmp": 2, "partner": 3, "admin": 2}


def shoot(page: Page, out: Path, name: str, url: str, printed: bool) -> list[str]:
    """The three views of one page; returns what looked wrong (page wider than the phone)."""
    problems = []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    if page.url.endswith("/login") or "Accès refusé" in page.title():
        return [f"{name}: not reachable ({page.url}, {page.title()})"]
    page.screenshot(path=out / f"{name}-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 390:
        problems.append(f"{name}: {width} px wide at 390 px")
    page.screenshot(path=out / f"{name}-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    page.screenshot(path=out / f"{name}-print.png", full_page=True)
    if printed:
        page.pdf(path=out / f"{name}.pdf", format="A4", print_background=False)
    page.emulate_media(media="screen")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    instance = Path(tempfile.mkdtemp(prefix="cnpe-shots-"))
    demo = prepare_demo(instance)
    app = demo.app
    passwords = {username: password for _role, username, password in demo.logins}
    users = {"spip": "spip", "usmp": "usmp", "partner": "partenaire", "admin": "admin"}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    problems: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"]
            )
            for role, username in users.items():
                out = args.out / role
                out.mkdir(parents=True, exist_ok=True)
                context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
                page = context.new_page()
                page.goto(f"{base}/login")
                page.screenshot(path=args.out / "login-desktop.png")
                page.get_by_label("Identifiant").fill(username)
                page.get_by_label("Mot de passe").fill(passwords[username])
                page.get_by_role("button", name="Se connecter").click()
                page.wait_for_load_state()
                for name, path, roles in PAGES:
                    if role not in roles.split() or (only and name not in only):
                        continue
                    url = base + path.format(person=PERSON[role])
                    problems += [
                        f"{role} {p}" for p in shoot(page, out, name, url, name in PRINTED)
                    ]
                context.close()
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(instance, ignore_errors=True)
    print("\n".join(problems) or "every page fits a 390 px screen")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
