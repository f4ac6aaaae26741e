"""A handläggare registers a contract and completes a förenklad follow-up with the keyboard
only (Tab, Enter, typing); a granskare approves it; the tjänsteskrivelse is created from it.
axe-core checks the pages on the way."""

import datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from casework.models import Memo
from contracts import services
from contracts.models import (
    CheckResult,
    Contract,
    ContractFollowUp,
    FollowUpKind,
    FollowUpStatus,
    Outcome,
)
from tests.e2e.conftest import login_as, run_axe, serious

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DATE_PARTS = {"y": "2022", "m": "01", "d": "31"}


@pytest.fixture
def date_order(browser):
    """The order in which this Chromium's date fields take year, month and day from the
    keyboard (it follows the browser's own locale, not the page's)."""
    context = browser.new_context()
    probe = context.new_page()
    probe.set_content('<input type="date" id="d" aria-label="Datum">')
    try:
        for order in (("m", "d", "y"), ("y", "m", "d"), ("d", "m", "y")):
            probe.eval_on_selector("#d", "e => { e.value = ''; }")
            probe.focus("#d")
            for part in order:
                probe.keyboard.type(DATE_PARTS[part])
            if probe.eval_on_selector("#d", "e => e.value") == "2022-01-31":
                return order
        pytest.fail("Kunde inte skriva ett datum i datumfältet med tangentbordet.")
    finally:
        context.close()


def type_date(page, order, day: datetime.date) -> None:
    parts = {"y": f"{day.year}", "m": f"{day.month:02}", "d": f"{day.day:02}"}
    for part in order:
        page.keyboard.type(parts[part])


def tab_to(page, predicate: str, key: str = "Tab", limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"() => {{ const e = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Nådde aldrig fokus: {predicate}")


def tab_to_id(page, element_id: str) -> None:
    tab_to(page, f"e && e.id === {element_id!r}")


def tab_to_button(page, text: str) -> None:
    tab_to(page, f"e && e.tagName === 'BUTTON' && e.textContent.trim().startsWith({text!r})")


def test_register_a_contract_and_complete_a_simplified_follow_up_by_keyboard(
    page, handlaggare, controller, granskare, date_order
):
    login_as(page, handlaggare, "/avtal/nytt/")
    assert serious(run_axe(page)) == []

    tab_to_id(page, "id_name")
    page.keyboard.type("Familjerådgivning med kundval")
    page.keyboard.press("Tab")
    page.keyboard.type("Familjerådgivning")
    page.keyboard.press("Tab")
    page.keyboard.type("Familjecentrum AB, 556036-0793")
    page.keyboard.press("Tab")
    page.keyboard.type("SN/2021:12")
    page.keyboard.press("Tab")
    page.keyboard.type("LOV")  # type-ahead picks LOV/kundval
    tab_to_id(page, "id_start_date")
    type_date(page, date_order, datetime.date(2023, 1, 1))
    tab_to_id(page, "id_end_date")
    type_date(page, date_order, datetime.date(2024, 12, 31))
    tab_to_id(page, "id_term_pattern")
    page.keyboard.type("2,1,1")
    page.keyboard.press("Tab")
    page.keyboard.type("1 200 000")
    tab_to_id(page, "id_unit")
    page.keyboard.type("Barn")
    tab_to_button(page, "Registrera avtal")
    page.keyboard.press("Enter")

    # Bad input: a Swedish message at the field, nothing saved.
    expect(page.get_by_text("”2,1,1” är ingen förlängningsmodell.")).to_be_visible()
    expect(page.locator("#id_term_pattern")).to_have_attribute("aria-invalid", "true")
    assert not Contract.objects.exists()
    assert serious(run_axe(page)) == []
    tab_to_id(page, "id_term_pattern")
    page.keyboard.press("Control+A")
    page.keyboard.type("2+1+1")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Familjerådgivning med kundval")
    contract = Contract.objects.get()
    assert contract.term_pattern == "2+1+1" and contract.annual_value == 1_200_000
    assert contract.start_date == datetime.date(2023, 1, 1)
    assert [s.org_number for s in contract.suppliers.all()] == ["556036-0793"]
    assert contract.acquisition == "lov" and contract.unit.code == "BOU"
    assert serious(run_axe(page)) == []
    page.goto("/avtal/")
    expect(page.get_by_role("link", name="Familjerådgivning med kundval")).to_be_visible()
    assert serious(run_axe(page)) == []

    # The controller has put it in the 2024 plan as a förenklad follow-up.
    services.plan_generate(year=2024, by=controller)
    followup = ContractFollowUp.objects.get(contract=contract)
    services.plan_followup_update(
        followup=followup,
        kind=FollowUpKind.SIMPLIFIED,
        planned_date=datetime.date(2024, 11, 11),
        by=controller,
    )
    url = f"/avtal/uppfoljningar/{followup.pk}/"
    page.goto(url)
    tab_to_button(page, "Starta uppföljningen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Uppföljningen är påbörjad.")).to_be_visible()
    assert serious(run_axe(page)) == []

    for check in followup.checks.all():
        tab_to_id(page, f"id_check-{check.pk}-result")
        page.keyboard.type("Godk")
        page.keyboard.press("Tab")
        page.keyboard.type(f"{check.get_topic_display()} är kontrollerad utan anmärkning.")
    tab_to_id(page, "id_outcome")
    page.keyboard.type("Avtalet")  # type-ahead: the first option, Avtalet följs
    page.keyboard.press("Tab")
    page.keyboard.type("Leverantören uppfyller avtalets grundkrav.")
    tab_to_id(page, "id_completed_on")
    type_date(page, date_order, datetime.date(2024, 9, 20))
    tab_to_button(page, "Spara uppföljningen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Uppföljningen är sparad.")).to_be_visible()
    expect(page.get_by_text("Uppföljningen är komplett och kan godkännas")).to_be_visible()
    followup.refresh_from_db()
    assert {c.result for c in followup.checks.all()} == {CheckResult.PASS}
    assert followup.outcome == Outcome.FULFILLED
    assert followup.completed_on == datetime.date(2024, 9, 20)

    login_as(page, granskare, url)
    page.once("dialog", lambda dialog: dialog.accept())
    tab_to_button(page, "Godkänn uppföljningen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Uppföljningen är godkänd och låst.")).to_be_visible()
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.APPROVED
    assert serious(run_axe(page)) == []

    login_as(page, handlaggare, url)
    tab_to_button(page, "Skapa tjänsteskrivelse")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda u: urlsplit(u).path.startswith("/tjansteskrivelser/"))
    memo = Memo.objects.get()
    assert urlsplit(page.url).path == f"/tjansteskrivelser/{memo.pk}/"
    assert memo.title == "Förenklad avtalsuppföljning 2024 av familjerådgivning med kundval"
    assert "- Ekonomisk ställning: godkänd" in memo.summary


def test_plan_and_ordinary_follow_up_pages_pass_axe(page, handlaggare, controller):
    """The pages with the most controls: the tidsplan and an ordinarie follow-up in progress."""
    from contracts.models import FollowUpTemplate, TemplateArea, TemplateItem

    template = FollowUpTemplate.objects.create(name="Boende")
    area = TemplateArea.objects.create(template=template, number=1, title="Innehåll")
    TemplateItem.objects.create(area=area, number=1, text="Insatsen ges enligt uppdraget")
    contract = services.contract_create(
        by=handlaggare,
        name="Gruppbostäder",
        area="Grupp- och träningsbostäder",
        acquisition="entreprenad",
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2025, 2, 28),
        term_pattern="2+1+1",
        unit=handlaggare.units.get(),
        template=template,
    )
    plan = services.plan_generate(year=2024, by=controller)
    followup = services.followup_start(followup=plan.followups.get(), by=handlaggare)
    services.activity_add(
        followup=followup, frequency="manad", text="Brandrond", status="pagar", by=handlaggare
    )
    login_as(page, controller, "/avtal/tidsplan/2024/")
    expect(page.get_by_role("link", name="Gruppbostäder")).to_be_visible()
    assert serious(run_axe(page)) == []
    login_as(page, handlaggare, f"/avtal/uppfoljningar/{followup.pk}/")
    expect(page.get_by_label("1.1 Insatsen ges enligt uppdraget")).to_be_visible()
    assert serious(run_axe(page)) == []
    page.goto(f"/avtal/{contract.pk}/")
    assert serious(run_axe(page)) == []
    page.goto("/avtal/upphandlingar/")
    assert serious(run_axe(page)) == []
