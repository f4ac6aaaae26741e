"""Log in as two roles with the keyboard, see the right navigation, log out; axe-core checks."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from solna_sn.models import Role
from tests.core.test_navigation_and_login import STAFF_NAV
from tests.e2e.conftest import run_axe, serious
from tests.factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "rätt-lösenord-123"


def log_in_with_keyboard(page, username):
    page.goto("/")
    assert page.url.endswith("/logga-in/?next=/")
    expect(page.get_by_label("Användarnamn")).to_be_focused()  # autofocus on arrival
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/")


def nav_links(page) -> list[str]:
    return page.get_by_role("navigation", name="Huvudmeny").get_by_role("link").all_inner_texts()


def test_handlaggare_and_administrator_see_their_own_navigation(page):
    UserFactory(
        username="hanna",
        first_name="Hanna",
        role=Role.HANDLAGGARE,
        units=[UnitFactory(name="Barn- och ungdomsenheten")],
    )
    UserFactory(username="adam", first_name="Adam", role=Role.ADMINISTRATOR)

    log_in_with_keyboard(page, "hanna")
    assert page.get_by_role("heading", level=1).inner_text() == "Välkommen, Hanna"
    assert nav_links(page) == STAFF_NAV
    assert "Dina enheter: Barn- och ungdomsenheten." in page.content()
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/logga-in/")
    page.goto("/")
    assert "/logga-in/" in page.url

    log_in_with_keyboard(page, "adam")
    assert nav_links(page) == [*STAFF_NAV, "Systemstatus", "Administration"]
    page.get_by_role("link", name="Organisation").first.click()
    page.wait_for_url("**/organisation/")
    current = page.locator('nav a[aria-current="page"]')
    assert current.inner_text() == "Organisation"


def test_wrong_password_shows_an_announced_error(page):
    UserFactory(username="hanna", role=Role.HANDLAGGARE)
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill("hanna")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    assert "Fel användarnamn eller lösenord" in page.get_by_role("alert").inner_text()


def test_skip_link_is_first_and_moves_focus_to_main(page):
    UserFactory(username="hanna", role=Role.HANDLAGGARE)
    log_in_with_keyboard(page, "hanna")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Hoppa till huvudinnehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_login_and_start_pages_have_no_serious_accessibility_violations(page):
    UserFactory(username="nora", first_name="Nora", role=Role.NAMNDLEDAMOT)
    UserFactory(username="adam", first_name="Adam", role=Role.ADMINISTRATOR)
    page.goto("/logga-in/")
    assert serious(run_axe(page)) == []

    log_in_with_keyboard(page, "nora")
    assert nav_links(page) == ["Start", "Läsrum"]
    assert serious(run_axe(page)) == []
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/logga-in/")

    log_in_with_keyboard(page, "adam")
    assert serious(run_axe(page)) == []
    page.goto("/organisation/")
    assert serious(run_axe(page)) == []
    page.goto("/system/")
    assert serious(run_axe(page)) == []
