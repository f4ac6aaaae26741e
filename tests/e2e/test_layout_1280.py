"""The wide pages fit a 1280 px screen (issue 14, item 9).

On the demo, at 1280 × 900: the page itself does not scroll sideways, no table sits in a box
that scrolls (the key columns, such as the contract register's "Löper ut" and "Värde per år",
are in view), no date breaks over two lines, and the minutes of a meeting show one line per
agenda item with the form opened only for the item being edited (from the keyboard).
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from casework.models import Meeting
from solna_sn import demo as solna_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}

LAYOUT = """() => {
    const page = document.scrollingElement;
    const scrolling = [...document.querySelectorAll('.table-scroll, table')]
        .map(e => e.classList.contains('table-scroll') ? e : e.parentElement)
        .filter(e => e && e.scrollWidth > e.clientWidth + 1)
        .map(e => (e.getAttribute('aria-label') || e.tagName.toLowerCase())
                  + ` ${e.scrollWidth}/${e.clientWidth}`);
    const wrapped = [...document.querySelectorAll('.date')]
        .filter(e => e.getClientRects().length > 1)
        .map(e => e.textContent.trim());
    return {scrollWidth: page.scrollWidth, clientWidth: page.clientWidth, scrolling, wrapped,
            dates: document.querySelectorAll('.date').length};
}"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())
    return Meeting.objects.get(date="2024-10-07")


def login(page, username: str) -> None:
    # Leave the page first: a request still in flight from it (htmx polling a PDF status)
    # would set the old session's cookies again after the clear, and the login form's CSRF
    # token would no longer match.
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(reverse("login"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(solna_demo.DEMO_PASSWORD)
    page.get_by_label("Lösenord").press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path != reverse("login"))


def layout_problems(page, url: str) -> list[str]:
    page.goto(url)
    found = page.evaluate(LAYOUT)
    problems = []
    if found["scrollWidth"] > found["clientWidth"]:
        problems.append(f"{url}: the page is {found['scrollWidth']} px wide")
    problems += [f"{url}: a table scrolls sideways: {box}" for box in found["scrolling"]]
    problems += [f"{url}: a date wraps: {date}" for date in found["wrapped"]]
    return problems


def test_the_wide_pages_fit_1280_px_with_their_key_columns_and_unbroken_dates(
    live_server, browser, demo
):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, "granskare")
        urls = [
            reverse("contracts:index"),
            reverse("contracts:procurement_list"),
            reverse("metrics:status_overview", args=[2024]),
            reverse("metrics:status_overview", args=[2025]),
            reverse("casework:meeting_detail", args=[demo.pk]),
            reverse("casework:meeting_list"),
            reverse("casework:memo_list"),
            reverse("casework:case_list"),
            reverse("casework:reading_room"),
            reverse("casework:report_back"),
        ]
        problems = [problem for url in urls for problem in layout_problems(page, url)]
        assert problems == []

        # The register's key columns are on the screen, not behind a scroll.
        page.goto(reverse("contracts:index"))
        for header in ("Löper ut", "Värde per år (kr)"):
            box = page.get_by_role("columnheader", name=header).bounding_box()
            assert box and box["x"] + box["width"] <= DESKTOP["width"], header
        # An ended contract says so in a neutral badge, never in the green of "done".
        ended = page.locator(".badge", has_text="Har upphört")
        if ended.count():
            assert "badge--neutral" in ended.first.get_attribute("class")
        # The dates on the register were looked at (the check above is not vacuous).
        assert page.locator(".register-table .date").count() >= 5
    finally:
        context.close()


def test_the_minutes_show_one_line_per_item_and_open_one_form_from_the_keyboard(
    live_server, browser, demo
):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, "granskare")
        page.goto(reverse("casework:meeting_detail", args=[demo.pk]))
        items = page.locator(".decision-list > li")
        assert items.count() == demo.items.count() == 12
        # No form is open: the 12 decisions are one line each.
        expect(page.locator(".decision-form").first).to_be_hidden()
        assert page.locator(".decision-form:visible").count() == 0
        section_height = page.locator(".decision-list").bounding_box()["height"]
        assert section_height < 12 * 120, section_height

        # Keyboard only: focus the first item's summary, Enter opens its form, and only that.
        summary = page.locator(".decision > summary").first
        summary.focus()
        page.keyboard.press("Enter")
        form = page.locator(".decision-form").first
        expect(form).to_be_visible()
        assert page.locator(".decision-form:visible").count() == 1
        page.keyboard.press("Tab")
        expect(form.get_by_label("Paragraf (§)")).to_be_focused()
    finally:
        context.close()
