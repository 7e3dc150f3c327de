"""The pages on a phone and on paper: nothing wider than a 390 px screen, no navigation,
forms or toggles in print with the rule sources in full, and a visible keyboard focus."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from e2e_site import MatrixSite
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def admin_page(
    browser: Browser, browser_context_args: dict[str, Any], matrix_site: MatrixSite
) -> Iterator[Page]:
    """The administrator: the widest pages (establishment column, every person)."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    matrix_site.login(page, "admin")
    yield page
    context.close()


def case_url(site: MatrixSite, tail: str = "") -> str:
    return f"{site.url}/personnes/{site.world.people['followed'].id}{tail}"


def test_at_390_px_the_pages_are_as_wide_as_the_screen(
    admin_page: Page, matrix_site: MatrixSite
) -> None:
    page = admin_page
    page.set_viewport_size(PHONE)
    pages = {
        "tableau de bord": f"{matrix_site.url}/",
        "recherche": f"{matrix_site.url}/personnes?q=",
        "dossier": case_url(matrix_site),
        "préparer la sortie": case_url(matrix_site, "/sortie"),
        "foyer et ressources": case_url(matrix_site, "/foyer"),
        "utilisateurs": f"{matrix_site.url}/admin/utilisateurs",
    }
    widths = {}
    for name, url in pages.items():
        page.goto(url)
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == dict.fromkeys(pages, 390)
    # the dashboard's release rows are reflowed: each cell says which column it is
    page.goto(f"{matrix_site.url}/")
    cell = page.get_by_role("region", name="Sorties à venir").locator("td[data-label]").nth(2)
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Adresse de sortie : "'
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"


@pytest.mark.parametrize(
    "tail", ["", "/sortie", None], ids=["dossier", "préparer la sortie", "tableau de bord"]
)
def test_printing_hides_navigation_forms_and_toggles_and_prints_sources(
    tail: str | None, admin_page: Page, matrix_site: MatrixSite
) -> None:
    page = admin_page
    page.goto(f"{matrix_site.url}/" if tail is None else case_url(matrix_site, tail))
    navigation = page.get_by_role("navigation", name="Navigation principale")
    expect(navigation).to_be_visible()
    assert page.locator("form").count() > 0  # the logout form at least
    page.emulate_media(media="print")
    expect(navigation).to_be_hidden()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()
    for form in page.locator("form").all():
        expect(form).to_be_hidden()
    expect(page.locator("summary", has_text="Source")).to_have_count(
        page.locator("summary", has_text="Source").count()
    )
    for toggle in page.locator(".reasons summary").all():
        expect(toggle).to_be_hidden()
    quotes = page.locator(".reasons blockquote")
    if tail is not None:  # the dashboard has no rule sources
        assert quotes.count() > 0
        for quote in quotes.all():  # the sources, in full, without any click
            expect(quote).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.emulate_media(media="screen")
    expect(navigation).to_be_visible()


def test_the_keyboard_focus_is_visible_on_every_control(
    admin_page: Page, matrix_site: MatrixSite
) -> None:
    page = admin_page
    page.goto(case_url(matrix_site))
    controls = page.locator("a[href], button, input:not([type=hidden]), select, textarea, summary")
    count = controls.count()
    assert count > 20
    invisible = []
    for index in range(count):
        control = controls.nth(index)
        if not control.is_visible():
            continue
        control.focus()
        outline = control.evaluate(
            "e => e.matches(':focus-visible') ? getComputedStyle(e).outlineStyle + ' '"
            " + getComputedStyle(e).outlineWidth : 'not focus-visible'"
        )
        # the browser's own ring (``auto 1px``) is too faint on the blue bar: ours is 3 px
        if outline != "solid 3px":
            invisible.append(f"{control.evaluate('e => e.outerHTML.slice(0, 80)')}: {outline}")
    assert not invisible, "\n".join(invisible)


def test_the_first_tab_offers_to_skip_the_navigation(
    admin_page: Page, matrix_site: MatrixSite
) -> None:
    page = admin_page
    page.goto(case_url(matrix_site))
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next stop is in the page's content, past the navigation
    assert page.evaluate("document.activeElement.closest('main') !== null")
