"""A controller brings in two years of history with the keyboard: one title is misspelt in
the file, "Menade du …?" offers the metric, the choice is remembered, the file is read in and
the past months are reported and locked in one step."""

import datetime
import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from metrics.models import (
    Metric,
    MetricCategory,
    MetricTitle,
    MetricValue,
    MonthState,
    MonthStatus,
)
from solna_sn.lib.periods import MONTH_ABBREVIATIONS
from solna_sn.models import AuditEntry, Role
from tests.e2e.conftest import login_as, run_axe, serious
from tests.factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Placering enligt LVM, antal personer"
TYPO = "Placering enligt LMV, antal personer"


@pytest.fixture
def catalogue(db):
    unit = UnitFactory(name="Vuxenenheten", code="VUX")
    category = MetricCategory.objects.create(code="VUXNA", title="Vuxna", sort_order=1)
    metric = Metric.objects.create(
        code="A",
        category=category,
        title=TITLE,
        measure_unit="antal personer",
        owner=unit,
        valid_from=datetime.date(2020, 1, 1),
    )
    UserFactory(username="carl", first_name="Carl", role=Role.CONTROLLER, units=[unit])
    return metric


def history_file(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Vuxna"
    for row in (
        [TITLE],
        ["", *MONTH_ABBREVIATIONS],
        [2023, *[4] * 12],
        [],
        [TYPO],
        ["", *MONTH_ABBREVIATIONS],
        [2022, *[4] * 12],
    ):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    path = tmp_path / "historik.xlsx"
    path.write_bytes(out.getvalue())
    return path


def press_until_focused(page, key, predicate, limit=80):
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(predicate):
            return
    raise AssertionError(f"Nådde aldrig fokus med {key}")


def test_history_with_a_misspelt_title_is_brought_in_and_locked(page, catalogue, tmp_path):
    login_as(page, "carl", "/verksamhetsmatt/excel/import/")
    page.get_by_label("Excelfil (.xlsx)").set_input_files(history_file(tmp_path))
    page.get_by_role("button", name="Förhandsgranska").focus()
    page.keyboard.press("Enter")

    expect(
        page.get_by_role("heading", name="Okända rubriker (12 värden läses inte in)")
    ).to_be_visible()
    choice = page.get_by_label("Menade du …?")
    expect(choice).to_have_value(str(catalogue.pk))
    expect(page.get_by_role("table", name="Per mått och år")).to_contain_text("2023")
    assert serious(run_axe(page)) == []

    press_until_focused(page, "Tab", "document.activeElement.id === 'title-choice-1'")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        f"”{TYPO}” sparades som tidigare rubrik för {TITLE}."
    )
    expect(page.get_by_text("Okända rubriker")).to_have_count(0)
    expect(page.get_by_text("24 nya, 0 ändrade och 0 oförändrade värden.")).to_be_visible()
    earlier = MetricTitle.objects.get(metric=catalogue)
    assert (earlier.title, earlier.valid_from.year, earlier.valid_to.year) == (TYPO, 2022, 2022)

    press_until_focused(
        page, "Tab", "document.activeElement.textContent.startsWith('Läs in ändringarna (24)')"
    )
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Rapportera in och lås de inlästa månaderna")
    ).to_be_visible()
    assert MetricValue.objects.filter(metric=catalogue).count() == 24
    assert serious(run_axe(page)) == []

    page.get_by_label("Motivering (krävs)").focus()
    page.keyboard.type("Historik från årsredovisningarna 2022 och 2023")
    page.keyboard.press("Tab")
    expect(page.locator("#close-confirm")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("24 månader är inrapporterade och låsta.")
    assert MonthStatus.objects.filter(state=MonthState.LOCKED).count() == 24
    assert (
        AuditEntry.objects.filter(
            action="metric_month.locked",
            reason="Historik från årsredovisningarna 2022 och 2023",
        ).count()
        == 24
    )
