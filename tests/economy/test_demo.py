"""The demo economy reproduces the printed tables of the delårsrapport per augusti 2024 and
the VP 2025, and loading it twice changes nothing."""

from economy import demo, reporting
from economy.models import BudgetValue, SheetValue
from solna_sn.models import AuditEntry


def texts(table):
    return {row.label: [cell.text for cell in row.cells] for row in table.rows}


def test_demo_prints_the_resultatrakning_as_published(economy_demo):
    table = reporting.table("DELAR_RESULTATRAKNING", year=2024, period="augusti")
    assert [c.header for c in table.columns] == [
        "2024",
        "2023",
        "% 24/23",
        "Budgetavvikelse",
        "Årsbudget",
        "Årsprognos",
        "Prognosavvikelse",
    ]
    rows = texts(table)
    assert rows["Summa intäkter"] == ["26,1", "37,1", "-29,7 %", "-7,6", "50,5", "39,1", "-11,4"]
    assert rows["Lokalkostnader"] == ["-15,4", "-15,3", "", "0,4", "-23,9", "-24,0", "-0,1"]
    assert rows["Verksamhetens nettokostnader"] == [
        "-138,2",
        "-129,0",
        "7,1 %",
        "13,0",
        "-226,8",
        "-210,5",
        "16,3",
    ]
    assert table.budget_version == "Justerad budget 2024"
    # The one disagreement beyond rounding in the source: Lokalkostnader's budgetavvikelse.
    assert table.warnings == (
        "Lokalkostnader, Budgetavvikelse: angivet 0,4 men Utfall 2024 − Årsbudget × 8/12 ger 0,53.",
    )


def test_demo_loads_every_table_personnel_and_registers(economy_demo):
    verksamheter = reporting.table("DELAR_VERKSAMHETER", year=2024, period="augusti")
    rows = texts(verksamheter)
    assert rows["Ekonomi och arbetsmarknad"][5] == "-43,3"
    assert rows["Förvaltningsgemensam verksamhet"][3] == "3,0"
    assert rows["Verksamhetens nettokostnader"][2] == "7,1"  # no % sign in this table
    assert verksamheter.warnings == ()
    assert verksamheter.rows[0].commentary.startswith("Barn och ungdomsverksamheterna visar 0,4")
    plan = reporting.tables_for(year=2025, period="plan")
    assert [t.title for t in plan] == [
        "Driftbudget, nämnd",
        "Driftbudget, per verksamhet",
        "Investeringsbudget",
    ]
    assert [c.header for c in plan[0].columns] == ["Budget 2025", "Budget 2024", "Förändring"]
    assert texts(plan[0])["Intäkter"] == ["36,7", "45,8", "9,1"]
    assert plan[0].previous_budget_version == "Budget 2024"
    assert all(t.warnings == () for t in plan)
    personnel = reporting.personnel(year=2024, period="augusti")
    hme = personnel.rows[-1]
    assert (hme.value_text, hme.comparison_text, hme.change_text) == ("87,1", "84,8", "")
    assert len(personnel.footnotes) == 3
    tariffs = reporting.tariffs(year=2025)
    assert tariffs[0].name.startswith("Tillsyn") and tariffs[0].decided_text == "KF 2022-11-28"
    assert tariffs[3].warnings == (
        "Tillstånd att bedriva tobaksförsäljning: gäller från 2019-01-01, före beslutet "
        "2019-05-27.",
    )
    assert reporting.quality_declarations(year=2025)[-1].name == "Serveringstillstånd"


def test_demo_is_idempotent(economy_demo, controller):
    counts = (SheetValue.objects.count(), BudgetValue.objects.count(), AuditEntry.objects.count())
    demo.load(by=controller)
    assert (
        SheetValue.objects.count(),
        BudgetValue.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
