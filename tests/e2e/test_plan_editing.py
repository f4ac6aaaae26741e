"""The verksamhetsplan beside this year's follow-up: a writer edits next year's plan in one tab
while this year's delårsrapport is open in another, each section saved in its own report; the
förvaltningschef creates the plan's tjänsteskrivelse with one action. axe-core on the plan's
pages (report, section editor, preview) and the memo it makes."""

import datetime
import time

import pytest
from django.test import Client
from playwright.sync_api import expect

from casework.models import Case, Meeting
from goals import services as goal_services
from goals.models import PlanYear
from reports import services
from reports.models import ReportKind
from solna_sn.models import Committee, Role
from tests.e2e.conftest import run_axe, serious
from tests.factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VP_DECISION = (
    "Socialnämnden fastställer förvaltningens förslag till verksamhetsplan och budget "
    "inklusive mål, ekonomiska ramar, konkurrensplan och internkontrollplan."
)


@pytest.fixture
def reports(db):
    unit = UnitFactory(name="Stabsenheten", code="STAB")
    committee = Committee.objects.get(code="SN")
    hanna = UserFactory(
        username="hanna", first_name="Hanna", last_name="Berg", role=Role.HANDLAGGARE, units=[unit]
    )
    greta = UserFactory(
        username="greta", first_name="Greta", last_name="Sundin", role=Role.GRANSKARE
    )
    fredrik = UserFactory(
        username="fredrik",
        first_name="Fredrik",
        last_name="Holm",
        role=Role.FORVALTNINGSCHEF,
        units=[unit],
    )
    goal_services.setup_defaults(committee)
    PlanYear.objects.create(committee=committee, year=2024)
    services.kinds_seed(committee=committee)
    meeting = Meeting.objects.create(
        committee=committee, date=datetime.date(2024, 10, 7), time=datetime.time(18), place="Solna"
    )

    def case(number, title):
        return Case.objects.create(
            committee=committee,
            year=2024,
            number=number,
            title=title,
            registered_on=datetime.date(2024, 1, 2),
            unit=unit,
        )

    delar = services.report_create(
        kind=ReportKind.objects.get(committee=committee, code="delarsrapport"),
        year=2024,
        case=case(1, "Delårsrapport per augusti 2024"),
        by=greta,
    )
    plan = services.report_create(
        kind=ReportKind.objects.get(committee=committee, code="verksamhetsplan"),
        year=2025,
        case=case(2, "Verksamhetsplan och budget 2025"),
        meeting=meeting,
        by=greta,
    )
    for report in (delar, plan):
        section = report.sections.get(title="Sammanfattning")
        services.section_assign(section=section, writer=hanna, by=greta)
    return delar, plan, hanna, fredrik


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


def saved(section, text: str, timeout: float = 10.0) -> bool:
    """Wait until the autosave has stored `text` in the section."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        section.refresh_from_db()
        if text in section.body:
            return True
        time.sleep(0.2)
    return False


def test_a_writer_edits_next_years_plan_while_this_years_delarsrapport_is_open(
    browser, live_server, reports
):
    delar, plan, hanna, _fredrik = reports
    delar_section = delar.sections.get(title="Sammanfattning")
    plan_section = plan.sections.get(title="Sammanfattning")
    context = signed_in(browser, live_server, hanna)
    try:
        follow_up = context.new_page()
        follow_up.set_default_timeout(10_000)
        follow_up.goto(f"/rapporter/avsnitt/{delar_section.pk}/")
        expect(follow_up.get_by_role("heading", level=1)).to_contain_text("Sammanfattning")
        follow_up.locator(".ql-editor").click()
        follow_up.keyboard.type("Perioden i korthet.")
        expect(follow_up.locator("#save-status")).to_contain_text("Sparat kl.")

        planning = context.new_page()  # a second tab of the same browser
        planning.set_default_timeout(10_000)
        planning.goto(f"/rapporter/avsnitt/{plan_section.pk}/")
        expect(planning.get_by_text("Verksamhetsplan och budget 2025").first).to_be_visible()
        assert serious(run_axe(planning)) == []
        planning.locator(".ql-editor").click()
        planning.keyboard.type("Nämndens ram för nästa år.")
        expect(planning.locator("#save-status")).to_contain_text("Sparat kl.")

        # Back in the first tab: its report is untouched by the plan, and it saves again.
        follow_up.bring_to_front()
        follow_up.locator(".ql-editor").click()
        follow_up.keyboard.press("Control+End")
        follow_up.keyboard.type(" Mer om ekonomin.")
        # The status line still says Sparat from the first save: wait for the stored text.
        assert saved(delar_section, "Mer om ekonomin."), delar_section.body
        plan_section.refresh_from_db()
        assert "Perioden i korthet. Mer om ekonomin." in delar_section.body
        assert "Nämndens ram" not in delar_section.body
        assert "Nämndens ram för nästa år." in plan_section.body
        assert "Perioden" not in plan_section.body

        planning.goto(f"/rapporter/{plan.pk}/")
        expect(planning.get_by_role("heading", level=1)).to_have_text(
            "Verksamhetsplan och budget 2025"
        )
        assert serious(run_axe(planning)) == []
        planning.goto(f"/rapporter/{plan.pk}/forhandsgranska/")
        expect(planning.get_by_role("heading", name="Innehållsförteckning")).to_be_visible()
        expect(planning.get_by_role("heading", name="Konkurrensutsättning")).to_be_visible()
        assert serious(run_axe(planning)) == []
    finally:
        context.close()


def test_the_forvaltningschef_creates_the_plan_memo_with_one_action(browser, live_server, reports):
    _delar, plan, _hanna, fredrik = reports
    context = signed_in(browser, live_server, fredrik)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"/rapporter/{plan.pk}/")
        page.get_by_role(
            "button", name="Skapa tjänsteskrivelsen och placera den på sammanträdet"
        ).click()
        expect(
            page.get_by_text("Tjänsteskrivelsen är skapad och placerad på sammanträdet")
        ).to_be_visible()
        expect(page.get_by_label("Förslag till beslut")).to_have_value(VP_DECISION)
        expect(page.get_by_label("Beslutet expedieras till")).to_have_value("Kommunstyrelsen")
        handlingar = page.locator("#handlingar")
        expect(handlingar).to_contain_text("Tjänsteskrivelse daterad")
        expect(handlingar).to_contain_text("Verksamhetsplan och budget 2025")
        assert serious(run_axe(page)) == []
        plan.refresh_from_db()
        memo = plan.memo
        assert memo.decision_proposal == VP_DECISION
        assert memo.dispatch_lines == ["Kommunstyrelsen"]
        assert plan.meeting.items.filter(case=plan.case).exists()
    finally:
        context.close()
