"""Two writers edit the same report section in two browsers: the first autosave wins, the
second is refused with both texts shown. axe-core on the editor, report and check pages."""

import datetime

import pytest
from django.test import Client
from playwright.sync_api import expect

from casework.models import Case
from goals import services as goal_services
from goals.models import PlanYear
from reports import services
from reports.models import OutlineSection, ReportKind
from solna_sn.models import Committee, Role
from tests.e2e.conftest import run_axe, serious
from tests.factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report(db):
    unit = UnitFactory(name="Stabsenheten", code="STAB")
    committee = Committee.objects.get(code="SN")
    greta = UserFactory(
        username="greta", first_name="Greta", last_name="Sundin", role=Role.GRANSKARE
    )
    fredrik = UserFactory(
        username="fredrik", first_name="Fredrik", last_name="Holm", role=Role.FORVALTNINGSCHEF
    )
    goal_services.setup_defaults(committee)
    PlanYear.objects.create(committee=committee, year=2024)
    kind = ReportKind.objects.create(
        committee=committee,
        code="delarsrapport",
        name="Delårsrapport per augusti",
        period="augusti",
    )
    OutlineSection.objects.create(
        kind=kind,
        order=10,
        title="Sammanfattning",
        level=1,
        mode="written",
        anvisning="Det viktigaste från perioden.",
    )
    OutlineSection.objects.create(
        kind=kind, order=20, title="Förväntad utveckling", level=1, mode="written"
    )
    case = Case.objects.create(
        committee=committee,
        year=2023,
        number=1,
        title="Delårsrapport",
        registered_on=datetime.date(2023, 1, 2),
        unit=unit,
    )
    report = services.report_create(kind=kind, year=2024, case=case, by=greta)
    return report, greta, fredrik


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_two_writers_in_one_section_the_second_save_is_refused_with_both_texts(
    browser, live_server, report
):
    report, greta, fredrik = report
    section = report.sections.get(title="Sammanfattning")
    url = f"/rapporter/avsnitt/{section.pk}/"
    greta_context, greta_page = signed_in(browser, live_server, greta)
    fredrik_context, fredrik_page = signed_in(browser, live_server, fredrik)
    try:
        greta_page.goto(url)
        fredrik_page.goto(url)
        expect(fredrik_page.get_by_text("Greta Sundin skriver i avsnittet sedan")).to_be_visible()
        assert serious(run_axe(fredrik_page)) == []

        greta_page.locator(".ql-editor").click()
        greta_page.keyboard.type("Gretas sammanfattning av perioden.")
        expect(greta_page.locator("#save-status")).to_contain_text("Sparat kl.")

        fredrik_page.locator(".ql-editor").click()
        fredrik_page.keyboard.type("Fredriks egen text.")
        status = fredrik_page.locator("#save-status")
        expect(status).to_contain_text("Inte sparat")
        expect(status.locator("[data-conflict=stored]")).to_contain_text("Gretas sammanfattning")
        expect(status.locator("[data-conflict=mine]")).to_contain_text("Fredriks egen text.")
        section.refresh_from_db()
        assert "Gretas sammanfattning av perioden." in section.body
        assert "Fredrik" not in section.body

        fredrik_page.goto(f"/rapporter/{report.pk}/")
        expect(fredrik_page.get_by_text("0 av 2 avsnitt klara")).to_be_visible()
        assert serious(run_axe(fredrik_page)) == []
        fredrik_page.goto(f"/rapporter/{report.pk}/kontroll/")
        expect(fredrik_page.get_by_text("är inte klarmarkerat").first).to_be_visible()
        assert serious(run_axe(fredrik_page)) == []
    finally:
        greta_context.close()
        fredrik_context.close()
