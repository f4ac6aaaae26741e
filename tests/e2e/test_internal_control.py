"""Internkontroll in the browser: a handläggare records a Lindrig avvikelse with an åtgärd
using only the keyboard and finds it in the follow-up table; axe-core on the plan, matrix,
result and follow-up pages."""

import datetime

import pytest
from playwright.sync_api import expect

from controls import services
from controls.models import ControlMethod, Result
from solna_sn.models import Committee
from tests.e2e.conftest import login_as, run_axe, serious

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(unit, handlaggare, controller, forvaltningschef):
    committee = Committee.objects.get(code="SN")
    plan = services.plan_create(committee=committee, year=2025, by=controller)
    common = {
        "category": "verksamhetsprocesser",
        "method": ControlMethod.TOTAL,
        "sample_size": None,
        "responsible_unit": unit,
        "responsible_role": "Enhetschef",
    }
    services.risk_save(
        plan=plan,
        data={
            **common,
            "process_name": "Myndighetsbeslut",
            "title": "Förhandsbedömningar görs inte inom lagstadgad tidsfrist.",
            "likelihood": 4,
            "consequence": 3,
            "risk_index": None,
            "control_activity": "Kontroll av samtliga förhandsbedömningar.",
            "how_when": "Två gånger per år, i april och oktober.",
            "control_months": [4, 10],
        },
        by=controller,
    )
    services.risk_save(
        plan=plan,
        data={
            **common,
            "process_name": "Placeringar",
            "title": "Barn placeras i jourhem som inte är godkända av en socialnämnd.",
            "likelihood": None,
            "consequence": None,
            "risk_index": 9,
            "control_activity": "Kontroll av att jourhemmen är godkända.",
            "how_when": "I april och oktober.",
            "control_months": [4, 10],
        },
        by=controller,
    )
    services.plan_adopt(plan=plan, by=forvaltningschef, adopted_on=datetime.date(2024, 10, 7))
    return plan, handlaggare


def test_record_a_minor_deviation_by_keyboard_and_see_it_in_the_follow_up(page, plan):
    plan, handlaggare = plan
    occasion = plan.risks.get(number=1).occasions.get(month=4)
    path = f"/internkontroll/kontroll/{occasion.pk}/"
    login_as(page, handlaggare, path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk 1: kontroll i april 2025")
    assert serious(run_axe(page)) == []

    # Level: the radio group takes focus, an arrow key moves to Lindrig avvikelse.
    page.get_by_label("● Ingen eller försumbar avvikelse").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("◆ Lindrig avvikelse")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Iakttagelse")).to_be_focused()
    page.keyboard.type("5 av 330 förhandsbedömningar var över tid utan anteckning.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Grupp, rad 1")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type("330")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("5")
    # Submitting without an åtgärd is refused with a message and nothing is saved.
    page.keyboard.press("Enter")
    expect(page.locator(".field-error").first).to_contain_text("kräver minst en åtgärd")
    assert not Result.objects.exists()

    page.get_by_label("Åtgärd, åtgärd 1").focus()
    page.keyboard.type("Resultatet återkopplas till cheferna i varje arbetsgrupp.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Ansvarig, åtgärd 1")).to_be_focused()
    page.keyboard.type("Enhetschefer")
    page.keyboard.press("Enter")
    expect(page.locator(".message--success")).to_contain_text("Resultatet är sparat.")
    expect(
        page.get_by_role("heading", level=2, name="Resultat: ◆ Lindrig avvikelse")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="1,5 %")).to_be_visible()

    # Send it for review with the keyboard.
    page.get_by_role("button", name="Skicka för granskning").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".message--success")).to_contain_text("skickat för granskning")

    page.goto(f"/internkontroll/plan/{plan.pk}/uppfoljning/april/")
    row = page.get_by_role("row").filter(has_text="Förhandsbedömningar görs inte")
    expect(row).to_contain_text("◆ Lindrig avvikelse")
    expect(row).to_contain_text("5 av 330 förhandsbedömningar var över tid utan anteckning.")
    expect(row).to_contain_text("1,5 % (5 av 330)")
    expect(row).to_contain_text("Åtgärd: Resultatet återkopplas till cheferna")
    other = page.get_by_role("row").filter(has_text="jourhem")
    expect(other).to_contain_text("Inget resultat registrerat")
    assert serious(run_axe(page)) == []


def test_plan_and_matrix_pages_pass_axe(page, plan, controller):
    plan, _ = plan
    login_as(page, controller, f"/internkontroll/plan/{plan.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Internkontrollplan 2025")
    assert serious(run_axe(page)) == []
    page.get_by_role("link", name="Riskmatris").first.click()
    matrix = page.get_by_role("table", name="Riskmatris 2025")
    expect(matrix).to_contain_text("Risk 1")
    cell = page.locator(".risk-cell").filter(has_text="Risk 1")
    expect(cell).to_contain_text("12")
    expect(cell).to_contain_text("Hög")  # the level is written out, not only coloured
    expect(page.get_by_text("kan inte placeras i matrisen")).to_contain_text("risk 2 (index 9)")
    assert serious(run_axe(page)) == []
    page.goto(f"/internkontroll/plan/{plan.pk}/kalender/")
    assert serious(run_axe(page)) == []
