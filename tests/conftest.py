import os
from pathlib import Path

import pytest

from solna_sn.models import Role
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def unit(db):
    return UnitFactory(name="Barn- och ungdomsenheten", code="BOU")


@pytest.fixture
def other_unit(db):
    return UnitFactory(name="Vuxenenheten", code="VUX")


@pytest.fixture
def user_with_role(db, unit):
    """Make a user with the given role, belonging to `unit`."""

    def make(role: str, **kwargs):
        kwargs.setdefault("username", role)
        return UserFactory(role=role, units=[unit], **kwargs)

    return make


@pytest.fixture(params=Role.values)
def any_role(request):
    return request.param


# --- One user per role, in `unit` ------------------------------------------------------------
# The roles whose fixture names no folder conftest uses. handlaggare, controller and granskare
# are defined per folder (casework, contracts, controls, economy, metrics and e2e), each as that
# folder's tests need them. These are the same people as the folders' chief, member and
# admin_user (mikael, nora, adam): a test takes one or the other, not both.


@pytest.fixture
def forvaltningschef(unit):
    return UserFactory(
        username="mikael",
        role=Role.FORVALTNINGSCHEF,
        units=[unit],
        first_name="Mikael",
        last_name="Olofsson",
        title="Förvaltningschef",
    )


@pytest.fixture
def namndledamot(unit):
    return UserFactory(
        username="nora",
        role=Role.NAMNDLEDAMOT,
        units=[unit],
        first_name="Nora",
        committee=unit.administration.committee,
    )


@pytest.fixture
def administrator(unit):
    return UserFactory(username="adam", role=Role.ADMINISTRATOR, units=[unit], first_name="Adam")


# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SOURCE = (Path(__file__).parent / "e2e" / "axe-4.14.1.min.js").read_text()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium saknas på {CHROMIUM}: installera paketet chromium (make test gör det)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
