import os
from pathlib import Path

import pytest
from django.core import mail

from solna_sn import notifications, tasks
from solna_sn.models import Role, User
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


# Every Content-Security-Policy violation in the browser is reported to the console by the page
# itself (the init script runs before any page script and is not subject to the policy), so a
# test notices an inline style or script the policy blocked, which the user would not see.
CSP_WATCH_SCRIPT = """
document.addEventListener('securitypolicyviolation', (event) => {
    console.error('CSP violation: ' + event.violatedDirective + ' blocked '
        + (event.blockedURI || 'inline') + ' at ' + event.sourceFile + ':' + event.lineNumber
        + ' ' + (event.sample || ''));
});
"""


def watch_csp(context) -> list[str]:
    """Collect the Content-Security-Policy violations of every page in `context`."""
    violations: list[str] = []
    context.add_init_script(CSP_WATCH_SCRIPT)

    def on_console(message):
        text = message.text
        if "CSP violation" in text or "Content Security Policy" in text:
            violations.append(f"{message.page.url if message.page else ''}: {text}")

    context.on("console", on_console)
    return violations


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    csp_violations = watch_csp(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert csp_violations == [], "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


class QueuedNotifications(list):
    """The broker, faked at the process boundary for e-mail notifications: what would have
    been sent to the worker. `deliver()` runs it as the worker would (Django's locmem backend)
    and returns the (address, subject) of every message sent, emptying both queues."""

    def send_task(self, name, kwargs=None, **options):
        self.append((name, kwargs))

    def deliver(self) -> list[tuple[str, str]]:
        for name, kwargs in self:
            assert name == notifications.NOTIFY_TASK
            tasks.send_notifications(**kwargs)
        self.clear()
        sent = sorted((message.to[0], message.subject) for message in mail.outbox)
        mail.outbox = []
        return sent


@pytest.fixture
def queued_notifications(monkeypatch):
    queued = QueuedNotifications()
    monkeypatch.setattr(notifications.celery_app, "send_task", queued.send_task)
    return queued


def give_addresses(*users) -> None:
    """E-mail addresses for users made without one (username@solna.se)."""
    for user in users:
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@solna.se")
