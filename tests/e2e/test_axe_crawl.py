"""axe-core (WCAG 2.0/2.1 A and AA) over every page pattern, for every role (issue 17).

The pages are the URL table of tests/core/test_url_permissions.py: every URL pattern, filled in
with the same demo objects, and for each role (and the anonymous visitor) the GETs the table
says succeed. What answers 200 with a whole HTML page (not an htmx fragment, a PDF or an Excel
file) is opened in Chromium and checked; the administratör also gets a handful of admin pages
(the index, changelists, change forms with split date/time and autocomplete fields).

Each page is also looked at 320 CSS pixels wide (WCAG 1.4.10 Reflow): the page itself must not
scroll sideways; a wide table scrolls in its own labelled region.

One browser, one context per role, logged in once through the login form. Every violation of
every page is collected and reported at once. Slow (the demo, some hundred pages): `-m e2e`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve, reverse
from playwright.sync_api import expect

from economy.models import TableDefinition
from metrics.models import Metric
from solna_sn import demo as solna_demo
from solna_sn.models import Role, Unit
from tests.conftest import watch_csp
from tests.core import test_url_permissions as table
from tests.e2e.conftest import AXE_SOURCE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Pages that still scroll sideways at 320 px (found by this crawl; the issue named the month
# grid and the internkontrollplan, which are fixed: a visually hidden label inside a scroll
# region made the month grid 862 px wide until the region became its containing block). The
# wide tables of the other pages now scroll in their own labelled regions (issue 14, item 9);
# what is left are the print previews and the plan import's preview, which show the page as it
# is printed. A page not listed here that does not reflow fails the test, and so does a listed
# one that is fixed (remove it).
KNOWN_TOO_WIDE = frozenset(
    {
        "casework:meeting_preview",
        "contracts:followup_preview",
        "controls:plan_import_preview",
        "controls:plan_preview",
        # The report engine's print preview.
        "reports:report_preview",
    }
)

DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}


def admin_pages(demo: table.Demo) -> list[str]:
    """A handful of the admin's pages: the ones with the widgets the issue names."""
    user = demo.users[Role.ADMINISTRATOR.value]
    return [
        reverse("admin:index"),
        reverse("admin:solna_sn_user_changelist"),
        reverse("admin:solna_sn_user_change", args=[user.pk]),  # split date/time, filter_horizontal
        reverse("admin:solna_sn_unit_change", args=[Unit.objects.order_by("pk").first().pk]),
        reverse("admin:solna_sn_auditentry_changelist"),  # date hierarchy, filters, search
        reverse("admin:metrics_metric_change", args=[Metric.objects.order_by("pk").first().pk]),
        reverse(
            "admin:economy_tabledefinition_change",
            args=[TableDefinition.objects.order_by("pk").first().pk],
        ),
    ]


def pages_for(demo: table.Demo, user: str) -> list[str]:
    """The distinct URLs the table lets `user` GET, that answer 200 with a whole HTML page."""
    client = Client()
    if user != table.ANONYMOUS:
        client.force_login(demo.users[user])
    urls: list[str] = []
    for name, rows in table.TABLE.items():
        for row in rows if isinstance(rows, tuple) else (rows,):
            if row.get.get(user) != table.OK or row.xfail:
                continue
            url = reverse(name, kwargs=row.kwargs(demo))
            if url in urls:
                continue
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
                continue
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            if "<html" not in response.content.decode(errors="replace")[:500].lower():
                continue  # an htmx fragment, checked inside the page that shows it
            urls.append(url)
    return urls


def login(page, username: str) -> None:
    page.goto(reverse("login"))
    expect(page.get_by_label("Användarnamn")).to_be_visible()
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(solna_demo.DEMO_PASSWORD)
    page.get_by_label("Lösenord").press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path != reverse("login"))


DUPLICATE_IDS = """() => { const seen = new Set(), twice = new Set();
    for (const el of document.querySelectorAll('[id]')) {
        if (seen.has(el.id)) twice.add(el.id); seen.add(el.id); }
    return [...twice]; }"""


def axe(page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AA_TAGS
    )
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        + (f" (+{len(v['nodes']) - 5})" if len(v["nodes"]) > 5 else "")
        for v in result["violations"]
    ]
    # axe 4.14 no longer checks duplicate ids (a label then finds the wrong field): issue 14.
    duplicates = page.evaluate(DUPLICATE_IDS)
    if duplicates:
        found.append(f"duplicate-id: ids used more than once: {', '.join(duplicates[:5])}")
    return found


def reflow(page) -> list[str]:
    """At 320 px the page itself does not scroll sideways (a scroll region may)."""
    page.set_viewport_size(NARROW)
    try:
        overflow = page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth <= width + 1) return null;
                const wide = [...document.querySelectorAll('body *')].filter(e => {
                    const r = e.getBoundingClientRect();
                    if (r.right <= width + 1 || r.width === 0) return false;
                    for (let p = e.parentElement; p; p = p.parentElement) {
                        const o = getComputedStyle(p).overflowX;
                        if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
                    }
                    return true;
                });
                const outer = wide.filter(e => !wide.includes(e.parentElement)).slice(0, 4);
                return {scroll: document.documentElement.scrollWidth, width,
                        elements: outer.map(e => e.tagName.toLowerCase()
                            + (e.id ? '#' + e.id : '')
                            + (e.className && typeof e.className === 'string'
                               ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))};
            }"""
        )
    finally:
        page.set_viewport_size(DESKTOP)
    if not overflow:
        return []
    return [
        f"reflow: at 320 px the page is {overflow['scroll']} px wide "
        f"({', '.join(overflow['elements'])})"
    ]


def test_every_page_for_every_role_passes_axe_at_aa(live_server, browser):
    demo = table._load()
    users = [*Role.values, table.ANONYMOUS]
    problems: dict[str, list[str]] = {}
    still_wide: set[str] = set()
    checked = 0
    for user in users:
        urls = pages_for(demo, user)
        if user == Role.ADMINISTRATOR:
            urls += [url for url in admin_pages(demo) if url not in urls]
        context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=DESKTOP)
        csp_violations = watch_csp(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            if user != table.ANONYMOUS:
                login(page, demo.users[user].username)
            for url in urls:
                response = page.goto(url)
                if response is None or response.status != 200:
                    problems[f"{user} {url}"] = [f"status {response and response.status}"]
                    continue
                page.wait_for_load_state("load")
                found = axe(page)
                # An inline style or script the Content-Security-Policy blocked on this page.
                # Not on the Django admin's change forms: its own scripts there insert inline
                # styles (left to the admin; the product's pages have none).
                if not url.startswith("/admin/"):
                    found += [f"csp: {text}" for text in csp_violations]
                csp_violations.clear()
                wide = reflow(page)
                checked += 1
                name = resolve(url).view_name
                if name in KNOWN_TOO_WIDE:
                    if wide:
                        still_wide.add(name)
                    wide = []
                if found or wide:
                    problems[f"{user} {url}"] = found + wide
        finally:
            context.close()
    report = "\n".join(
        f"{where}\n" + "\n".join(f"    {problem}" for problem in found)
        for where, found in problems.items()
    )
    assert checked > 100, f"only {checked} pages checked"
    assert not problems, f"{len(problems)} of {checked} pages with violations:\n{report}"
    fixed = sorted(KNOWN_TOO_WIDE - still_wide)
    assert fixed == [], f"these reflow now: take them off the list: {fixed}"
