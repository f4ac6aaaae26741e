"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from solna_sn.models import Role

# The browser and page fixtures live in tests/conftest.py, so browser tests in any folder share
# one Playwright instance (a second sync_playwright() in the same process fails).
from tests.conftest import AXE_SOURCE, CHROMIUM, CHROMIUM_FLAGS  # noqa: F401
from tests.factories import PASSWORD, UserFactory

# --- The staff roles other folders define for themselves (see tests/conftest.py for the rest) --


@pytest.fixture
def handlaggare(unit):
    return UserFactory(username="hanna", role=Role.HANDLAGGARE, units=[unit], first_name="Hanna")


@pytest.fixture
def controller(unit):
    return UserFactory(username="carl", role=Role.CONTROLLER, units=[unit], first_name="Carl")


@pytest.fixture
def granskare(unit):
    return UserFactory(
        username="greta",
        role=Role.GRANSKARE,
        units=[unit],
        first_name="Greta",
        last_name="Sundin",
        title="Stabschef",
    )


def login_as(page, user, next_path: str = "/", *, password: str = PASSWORD) -> None:
    """Log `user` (a User or a username) in with the keyboard only, as anyone would: open
    `next_path`, land on the login form with the username field focused, type, Tab, type,
    Enter, and wait to be back on `next_path`. Any earlier session is dropped first."""
    username = user if isinstance(user, str) else user.username
    # Leave the page first: a request still in flight from it (htmx polling a PDF status)
    # would set the old session's cookies again after the clear, and the login form's CSRF
    # token would no longer match.
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(next_path)
    expect(page.get_by_label("Användarnamn")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == urlsplit(next_path).path)


def run_axe(page) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the current page; return violations."""
    # evaluate() goes through the DevTools protocol, so our Content-Security-Policy (which
    # forbids inline scripts, as it should) does not block the checker.
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    violations = result["violations"]
    # axe 4.14 no longer checks duplicate ids; a label pointing at the wrong field is exactly
    # what two inputs with one id cause, so every page a browser test visits is checked here.
    duplicates = page.evaluate(
        """() => { const seen = {}, twice = new Set();
            for (const el of document.querySelectorAll('[id]')) {
                if (seen[el.id]) twice.add(el.id); seen[el.id] = true; }
            return [...twice]; }"""
    )
    if duplicates:
        violations.append(
            {
                "id": "duplicate-id",
                "impact": "serious",
                "help": "Ids must be unique (a label or aria reference finds the first one)",
                "nodes": [{"target": [f"#{name}"]} for name in duplicates],
            }
        )
    return violations


def serious(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
