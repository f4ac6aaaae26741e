"""A controller imports the ekonomisystem's export, has one cell refused, fixes it and applies
the file; then corrects a refused figure in the entry grid by keyboard. axe-core on every page.
Playwright driving Debian's Chromium (see tests/e2e/conftest.py)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from economy import services
from economy.models import BudgetValue, SheetValue, TableDefinition
from tests.e2e.conftest import run_axe, serious
from tests.economy import exports

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CODES = ("DELAR_RESULTATRAKNING", "DELAR_VERKSAMHETER", "DELAR_INVESTERINGAR")


@pytest.fixture
def august(definitions, controller):
    version = services.budget_version_create(
        committee=definitions,
        year=2024,
        kind="justerad",
        name="Justerad budget 2024",
        by=controller,
    )
    for code in CODES:
        services.sheet_create(
            committee=definitions,
            definition=TableDefinition.objects.get(code=code),
            year=2024,
            period="augusti",
            budget_version=version,
            by=controller,
        )
    return version


def login(page, username, next_path):
    page.goto(next_path)
    expect(page.get_by_label("Användarnamn")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == next_path)


def upload(page, tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    page.get_by_label("Export från ekonomisystemet (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Förhandsgranska").click()
    page.wait_for_url(lambda url: "/ekonomi/import/" in url and url.rstrip("/")[-1].isdigit())


def test_controller_imports_fixes_a_refused_cell_and_corrects_the_grid(
    page,
    august,
    tmp_path,
):
    login(page, "controller", "/ekonomi/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import från ekonomisystemet")
    expect(page.get_by_label("Period")).to_have_value("augusti")
    assert serious(run_axe(page)) == []

    # The export as it came: the prognos of one account reads "-43,3,0".
    lines = exports.account_lines()
    broken = [list(line) for line in lines]
    broken[2][6] = "-43,3,0"
    upload(page, tmp_path, exports.workbook(broken), "export-fel.xlsx")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Filen kan inte läsas in")
    expect(alert).to_contain_text("Export!G5: ”-43,3,0” har mer än ett decimalkomma.")
    expect(page.get_by_role("button", name="Läs in")).to_have_count(0)
    assert serious(run_axe(page)) == []
    assert not SheetValue.objects.exists()

    # Fixed in the file and uploaded again: the preview shows the tables after the import.
    page.get_by_role("link", name="Ladda upp en ny fil").click()
    upload(page, tmp_path, exports.workbook(lines), "export.xlsx")
    expect(page.get_by_text("60 nya och 0 ändrade siffror")).to_be_visible()
    expect(page.locator("#printed-DELAR_RESULTATRAKNING")).to_contain_text("-138,2")
    assert serious(run_axe(page)) == []
    page.get_by_role("button", name="Läs in 60 siffror").click()
    expect(page.get_by_role("status")).to_contain_text("60 siffror lästes in från export.xlsx.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultaträkning, per augusti 2024")
    assert SheetValue.objects.count() + BudgetValue.objects.count() == 60
    assert serious(run_axe(page)) == []

    # In the grid, by keyboard: a budget typed as "12,3,0" is refused at its cell, then fixed.
    page.locator("#in-LOKAL-BUDGET").focus()
    page.keyboard.press("ArrowDown")  # moving by keyboard selects the cell's text
    cell = page.locator("#in-KAPITAL-BUDGET")
    expect(cell).to_be_focused()
    page.keyboard.type("12,3,0")
    page.keyboard.press("Enter")
    expect(page.locator("#st-KAPITAL-BUDGET")).to_contain_text(
        "”12,3,0” har mer än ett decimalkomma."
    )
    expect(cell).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#in-OVRIGA_KOSTNADER-BUDGET")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(cell).to_be_focused()
    page.keyboard.type("-12,3")  # focus selects the text, typing replaces it
    page.keyboard.press("Enter")
    expect(page.locator("#st-KAPITAL-BUDGET")).to_contain_text("Sparat")
    expect(cell).not_to_have_attribute("aria-invalid", "true")
    # The sums are computed again and shown in the printed table and as placeholders.
    expect(page.locator('[data-printed="SUMMA_KOSTNADER-BUDGET"]')).to_contain_text("-289,6")
    expect(page.locator("#in-SUMMA_KOSTNADER-BUDGET")).to_have_attribute("placeholder", "-289,6")
    assert serious(run_axe(page)) == []
    assert str(BudgetValue.objects.get(row__code="KAPITAL").value.normalize()) == "-12.3"


def test_the_other_economy_pages_have_no_serious_accessibility_violations(
    page,
    economy_demo,
):
    login(page, "controller", "/ekonomi/")
    assert serious(run_axe(page)) == []
    for link in (
        "Driftbudget, per verksamhet",
        "Personaltabell per augusti 2024",
    ):
        page.goto("/ekonomi/")
        page.get_by_role("link", name=link).first.click()
        page.wait_for_load_state()
        assert serious(run_axe(page)) == [], link
    for path in (
        "/ekonomi/taxor/2025/",
        "/ekonomi/kvalitetsdeklarationer/2025/",
        "/ekonomi/budgetversioner/",
        "/ekonomi/definition/DELAR_RESULTATRAKNING/",
        "/ekonomi/tabell/ny/",
    ):
        page.goto(path)
        assert serious(run_axe(page)) == [], path
