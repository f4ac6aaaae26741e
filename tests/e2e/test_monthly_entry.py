"""A controller fills a month with the keyboard only, fixes a Swedish error, reports the month."""

import datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from metrics.models import Metric, MetricCategory, MetricValue, MonthState, MonthStatus
from solna_sn.models import Role
from tests.conftest import watch_csp
from tests.e2e.conftest import login_as, run_axe, serious
from tests.factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def month_setup(db):
    unit = UnitFactory(name="Vuxenenheten", code="VUX")
    category = MetricCategory.objects.create(code="VUXNA", title="Vuxna", sort_order=1)
    metrics = [
        Metric.objects.create(
            code=code,
            category=category,
            title=title,
            measure_unit="antal personer",
            owner=unit,
            sort_order=n,
            valid_from=datetime.date(2020, 1, 1),
        )
        for n, (code, title) in enumerate(
            [
                ("A", "Placering enligt LVM, antal personer"),
                ("B", "Pågående ärenden, antal personer"),
                ("C", "Kontaktmannaskap, antal personer"),
            ]
        )
    ]
    UserFactory(username="carl", first_name="Carl", role=Role.CONTROLLER, units=[unit])
    return unit, metrics


def press_until_focused(page, key, predicate, limit=60):
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(predicate):
            return
    raise AssertionError(f"Nådde aldrig fokus med {key}")


def test_controller_fills_a_month_with_the_keyboard_only(page, month_setup):
    unit, _metrics = month_setup
    login_as(page, "carl", "/verksamhetsmatt/manad/2024-09/VUX/")
    assert serious(run_axe(page)) == []

    press_until_focused(page, "Tab", "document.activeElement.id === 'input-A'")
    page.keyboard.type("tolv")
    page.keyboard.press("Enter")
    expect(page.locator("#status-A")).to_contain_text("”tolv” är inte ett tal.")
    expect(page.locator("#input-A")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#input-B")).to_be_focused()

    page.keyboard.press("ArrowUp")
    expect(page.locator("#input-A")).to_be_focused()
    page.keyboard.type("12")  # focus selects the old text, typing replaces it
    page.keyboard.press("Enter")
    expect(page.locator("#status-A")).to_contain_text("Sparat")
    expect(page.locator("#input-A")).not_to_have_attribute("aria-invalid", "true")
    page.keyboard.type("-")
    page.keyboard.press("Enter")
    expect(page.locator("#status-B")).to_contain_text("Sparat")
    page.keyboard.type("1 023")
    page.keyboard.press("Enter")
    expect(page.locator("#status-C")).to_contain_text("Sparat")
    assert serious(run_axe(page)) == []

    press_until_focused(
        page, "Shift+Tab", "document.activeElement.textContent === 'Markera som inrapporterad'"
    )
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        "September 2024 är inrapporterad för Vuxenenheten."
    )

    values = {v.metric.code: v for v in MetricValue.objects.select_related("metric")}
    assert values["A"].value == 12
    assert values["B"].not_applicable
    assert values["C"].value == 1023
    assert MonthStatus.objects.get(unit=unit).state == MonthState.REPORTED


def test_status_overview_has_no_serious_accessibility_violations(page, month_setup):
    login_as(page, "carl", "/verksamhetsmatt/lage/2024/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporteringsläge 2024")
    assert serious(run_axe(page)) == []


def test_value_needing_a_comment_is_kept_until_confirmed(page, month_setup):
    """4 000 where the history is 3–4: the value stays, marked, until its comment is given."""
    _unit, metrics = month_setup
    for month, value in enumerate((3, 4, 3, 4, 3, 4), start=3):
        MetricValue.objects.create(
            metric=metrics[0], month=datetime.date(2024, month, 1), value=value
        )
    login_as(page, "carl", "/verksamhetsmatt/manad/2024-09/VUX/")

    press_until_focused(page, "Tab", "document.activeElement.id === 'input-A'")
    page.keyboard.type("4000")
    page.keyboard.press("Enter")
    # The comment field is reached directly (before, focus had moved on to the next metric).
    expect(page.locator("#comment-A")).to_be_focused()
    status = page.locator("#status-A")
    expect(status).to_contain_text("Inte sparat.")
    expect(status).to_contain_text(
        "4 000 ligger långt utanför de senaste 24 månadernas värden (3–4)."
    )
    expect(page.locator("#input-A")).to_have_value("4000")
    expect(page.locator("#missing-line")).to_have_text("3 mått saknar värde.")
    expect(page.locator("#input-A")).to_have_class("cell-input cell-input--unsaved")
    assert serious(run_axe(page)) == []

    # Leaving the page now asks first; staying keeps the typed value.
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("link", name="oktober 2024 →").click(no_wait_after=True)
    page.wait_for_timeout(300)
    page.remove_listener("dialog", answer)
    assert dialogs == ["beforeunload"]
    assert urlsplit(page.url).path == "/verksamhetsmatt/manad/2024-09/VUX/"
    expect(page.locator("#input-A")).to_have_value("4000")

    page.locator("#comment-A").focus()
    page.keyboard.press("Enter")  # without a comment: still not saved, the field stays
    expect(page.locator("#status-A")).to_contain_text("Skriv en kommentar som förklarar")
    expect(page.locator("#comment-A")).to_be_focused()
    page.keyboard.type("Ny grupp placerad i september")
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Sparat med kommentar")
    expect(page.locator("#input-B")).to_be_focused()
    expect(page.locator("#missing-line")).to_have_text("2 mått saknar värde.")
    expect(page.locator("#missing-line")).to_have_attribute("aria-live", "polite")

    page.reload()  # nothing unsaved: no question, and the value is stored
    expect(page.locator("#input-A")).to_have_value("4 000")
    value = MetricValue.objects.get(metric=metrics[0], month=datetime.date(2024, 9, 1))
    assert value.value == 4000 and value.comment == "Ny grupp placerad i september"


def test_saving_cells_breaks_no_content_security_policy_rule(browser, live_server, month_setup):
    """htmx must not inject its indicator <style> (forbidden by style-src 'self'): each save
    once logged a violation. Every browser test fails on one (tests/conftest.py); this one
    shows it for the saves themselves, a plain one and one that needs a comment."""
    _unit, metrics = month_setup
    for month, value in enumerate((3, 4, 3, 4, 3, 4), start=3):
        MetricValue.objects.create(
            metric=metrics[1], month=datetime.date(2024, month, 1), value=value
        )
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    violations = watch_csp(context)
    page = context.new_page()
    try:
        login_as(page, "carl", "/verksamhetsmatt/manad/2024-09/VUX/")
        # The indicator styles are the product's own (app.css), not injected by htmx.
        assert page.evaluate("() => document.querySelectorAll('style').length") == 0
        page.locator("#input-A").fill("12")
        page.locator("#input-A").press("Enter")
        expect(page.locator("#status-A")).to_contain_text("Sparat")
        page.locator("#input-B").fill("4000")
        page.locator("#input-B").press("Enter")
        expect(page.locator("#status-B")).to_contain_text("Inte sparat.")
        page.locator("#comment-B").fill("Ny rutin för registrering.")
        page.locator("#comment-B").press("Enter")
        expect(page.locator("#status-B")).to_contain_text("Sparat")
        assert page.evaluate("() => document.querySelectorAll('style').length") == 0
    finally:
        context.close()
    assert violations == []
