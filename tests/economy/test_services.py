"""Saving figures, budget versions, locking and registers on PostgreSQL."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from economy import reporting, services
from economy.models import (
    BudgetValue,
    BudgetVersion,
    BudgetVersionKind,
    Sheet,
    SheetValue,
    TableColumn,
    TableDefinition,
    TableRow,
    Tariff,
)
from solna_sn.models import AuditEntry

D = Decimal


@pytest.fixture
def versions(definitions, controller):
    committee = definitions
    adjusted = services.budget_version_create(
        committee=committee,
        year=2024,
        kind=BudgetVersionKind.ADJUSTED,
        name="Justerad budget 2024",
        by=controller,
    )
    original = services.budget_version_create(
        committee=committee,
        year=2024,
        kind=BudgetVersionKind.ORIGINAL,
        name="Budget 2024",
        by=controller,
    )
    return adjusted, original


@pytest.fixture
def sheet(definitions, versions, controller):
    created = services.sheet_create(
        committee=definitions,
        definition=TableDefinition.objects.get(code="DELAR_RESULTATRAKNING"),
        year=2024,
        period="augusti",
        budget_version=versions[0],
        by=controller,
    )
    return Sheet.objects.select_related("definition", "committee").get(pk=created.pk)


def cell(sheet, row_code, column_code):
    return (
        TableRow.objects.get(rowset=sheet.definition.rowset, code=row_code),
        TableColumn.objects.get(definition=sheet.definition, code=column_code),
    )


def save(sheet, row_code, column_code, raw, by, revision=None):
    row, column = cell(sheet, row_code, column_code)
    return services.cell_save(
        sheet=sheet, row=row, column=column, raw=raw, expected_revision=revision, by=by
    )


def printed(sheet, row_code, column_code):
    table = reporting.table(sheet.definition.code, year=sheet.year, period=sheet.period)
    row = next(r for r in table.rows if r.code == row_code)
    return next(c for c in row.cells if c.column == column_code)


def test_a_figure_is_stored_as_given_and_audited(sheet, controller):
    outcome = save(sheet, "TAXOR", "UTFALL", "3,14159", controller, revision=0)
    assert outcome.saved and outcome.revision == 1
    value = SheetValue.objects.get()
    assert value.value == D("3.14159")  # never rounded to the printed decimal
    assert printed(sheet, "TAXOR", "UTFALL").text == "3,1"
    entry = AuditEntry.objects.get(action="economy.figure_changed")
    assert entry.changes == {"Taxor och avgifter, 2024": ["", "3,14159"]}
    assert entry.actor_username == "controller"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12,3,0", "”12,3,0” har mer än ett decimalkomma."),
        ("tolv", "”tolv” är inte ett tal."),
        ("12.3", "Använd decimalkomma: 12,3 i stället för 12.3."),
        ("1234567890123,4", "Talet är för stort"),
        ("1,1234567", "för många decimaler"),
    ],
)
def test_bad_input_in_a_budget_cell_is_refused_and_nothing_is_written(
    sheet, controller, raw, message
):
    with pytest.raises(services.EconomyError, match=message):
        save(sheet, "TAXOR", "BUDGET", raw, controller, revision=0)
    assert (
        not BudgetValue.objects.exists()
        and not AuditEntry.objects.filter(action="economy.budget_changed").exists()
    )


def test_blank_clears_a_given_sum_so_it_is_computed_again(sheet, controller):
    for code in ("TAXOR", "HYROR", "BIDRAG", "FORSALJNING", "OVRIGA_INTAKTER"):
        save(sheet, code, "UTFALL", "1", controller)
    save(sheet, "SUMMA_INTAKTER", "UTFALL", "9,9", controller, revision=0)
    assert printed(sheet, "SUMMA_INTAKTER", "UTFALL").text == "9,9"
    outcome = save(sheet, "SUMMA_INTAKTER", "UTFALL", "", controller, revision=1)
    assert outcome.saved and outcome.value is None
    cell_now = printed(sheet, "SUMMA_INTAKTER", "UTFALL")
    assert (cell_now.text, cell_now.given) == ("5,0", False)
    stored = SheetValue.objects.get(row__code="SUMMA_INTAKTER")
    assert stored.value is None and stored.revision == 2  # the row keeps its history


def test_a_total_that_disagrees_warns_and_nothing_else_changes(sheet, controller):
    for code, raw in (("TAXOR", "3,1"), ("HYROR", "4,4"), ("BIDRAG", "13,3")):
        save(sheet, code, "UTFALL", raw, controller)
    for code in ("FORSALJNING", "OVRIGA_INTAKTER"):
        save(sheet, code, "UTFALL", "0", controller)
    before = {v.pk: (v.value, v.revision) for v in SheetValue.objects.all()}
    save(sheet, "SUMMA_INTAKTER", "UTFALL", "28,1", controller)
    after = {v.pk: (v.value, v.revision) for v in SheetValue.objects.all()}
    assert all(after[pk] == state for pk, state in before.items())
    total = printed(sheet, "SUMMA_INTAKTER", "UTFALL")
    assert total.text == "28,1" and total.computed == D("20.8")
    assert total.warnings == (
        "Summa intäkter, 2024: angivet 28,1 men raderna summerar till 20,8 (skillnad 7,3; "
        "avrundning förklarar högst 0,5 för 5 rader).",
    )


def test_a_stale_save_is_refused_with_the_stored_figure(sheet, controller, granskare):
    save(sheet, "TAXOR", "UTFALL", "3,1", controller, revision=0)
    save(sheet, "TAXOR", "UTFALL", "3,2", granskare, revision=1)
    with pytest.raises(services.StaleError) as error:
        save(sheet, "TAXOR", "UTFALL", "3,3", controller, revision=1)
    assert "Den sparade siffran är nu ”3,2”" in str(error.value)
    assert error.value.current_revision == 2
    assert SheetValue.objects.get().value == D("3.2")


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_saves_of_a_cell_never_both_win(solna, controller):
    from economy import demo

    demo.load_definitions()
    version = services.budget_version_create(
        committee=solna, year=2024, kind="justerad", name="J", by=controller
    )
    sheet = services.sheet_create(
        committee=solna,
        definition=TableDefinition.objects.get(code="DELAR_RESULTATRAKNING"),
        year=2024,
        period="augusti",
        budget_version=version,
        by=controller,
    )
    sheet = Sheet.objects.select_related("definition", "committee").get(pk=sheet.pk)
    results = []
    barrier = threading.Barrier(2)

    def worker(raw):
        try:
            barrier.wait()
            results.append(("ok", save(sheet, "TAXOR", "BUDGET", raw, controller, revision=0)))
        except Exception as error:
            results.append(("error", error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(raw,)) for raw in ("4,1", "4,2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    assert isinstance(next(e for kind, e in results if kind == "error"), services.StaleError)
    assert BudgetValue.objects.get().revision == 1


def test_a_locked_sheet_refuses_saves_until_reopened_with_a_reason(sheet, controller, granskare):
    services.sheet_lock(sheet=sheet, by=controller)
    with pytest.raises(services.EconomyError, match="är låst"):
        save(sheet, "TAXOR", "UTFALL", "3,1", controller)
    with pytest.raises(services.EconomyError, match="Bara förvaltningsledningen"):
        services.sheet_reopen(sheet=sheet, reason="Rättelse", by=controller)
    with pytest.raises(services.EconomyError, match="Ange varför"):
        services.sheet_reopen(sheet=sheet, reason=" ", by=granskare)
    services.sheet_reopen(sheet=sheet, reason="Rättelse av bidrag", by=granskare)
    assert save(sheet, "TAXOR", "UTFALL", "3,1", controller).saved
    assert AuditEntry.objects.get(action="economy.sheet_reopened").reason == "Rättelse av bidrag"


def test_only_controllers_of_the_forvaltning_and_leadership_enter_figures(
    sheet, handlaggare, other_controller, granskare
):
    for user in (handlaggare, other_controller):
        with pytest.raises(services.EconomyError, match="Du får inte mata in"):
            save(sheet, "TAXOR", "UTFALL", "3,1", user)
    assert save(sheet, "TAXOR", "UTFALL", "3,1", granskare).saved


# --- Budget versions ------------------------------------------------------------------------


def test_a_budget_cell_writes_the_sheets_version_and_leaves_the_other_alone(
    sheet, versions, controller
):
    adjusted, original = versions
    save(sheet, "SUMMA_INTAKTER", "BUDGET", "50,5", controller)
    value = BudgetValue.objects.get()
    assert value.budget_version == adjusted and value.value == D("50.5")
    assert not original.values.exists()
    assert AuditEntry.objects.filter(action="economy.budget_changed").count() == 1


def test_changing_the_sheets_version_changes_the_printed_budget(sheet, versions, controller):
    original = versions[1]
    save(sheet, "SUMMA_INTAKTER", "BUDGET", "50,5", controller)  # justerad
    row = TableRow.objects.get(rowset=sheet.definition.rowset, code="SUMMA_INTAKTER")
    BudgetValue.objects.create(budget_version=original, row=row, value=D("45.8"))
    assert printed(sheet, "SUMMA_INTAKTER", "BUDGET").text == "50,5"
    services.sheet_set_versions(
        sheet=sheet, budget_version=original, previous_budget_version=None, by=controller
    )
    assert printed(sheet, "SUMMA_INTAKTER", "BUDGET").text == "45,8"
    table = reporting.table("DELAR_RESULTATRAKNING", year=2024, period="augusti")
    assert table.budget_version == "Budget 2024"
    entry = AuditEntry.objects.get(action="economy.sheet_versions_changed")
    assert entry.changes == {"budgetversion": ["Justerad budget 2024", "Budget 2024"]}


def test_two_sheets_printing_one_version_share_its_figures(sheet, versions, controller, solna):
    annual = services.sheet_create(
        committee=solna,
        definition=TableDefinition.objects.get(code="AR_RESULTATRAKNING"),
        year=2024,
        period="helar",
        budget_version=versions[0],
        by=controller,
    )
    save(sheet, "PERSONAL", "BUDGET", "-152,5", controller)
    table = reporting.table("AR_RESULTATRAKNING", year=2024, period="helar")
    personal = next(r for r in table.rows if r.code == "PERSONAL")
    assert personal.cells[4].text == "-152,5" and annual.budget_version == versions[0]


def test_a_version_copies_another_and_then_differs(sheet, versions, controller, solna):
    save(sheet, "PERSONAL", "BUDGET", "-152,5", controller)
    save(sheet, "KOP", "BUDGET", "-77,0", controller)
    copy = services.budget_version_create(
        committee=solna,
        year=2024,
        kind=BudgetVersionKind.OTHER,
        name="Justerad budget 2024, oktober",
        copy_from=versions[0],
        by=controller,
    )
    assert sorted(copy.values.values_list("value", flat=True)) == [D("-152.5"), D("-77.0")]
    services.sheet_set_versions(
        sheet=sheet, budget_version=copy, previous_budget_version=None, by=controller
    )
    save(sheet, "KOP", "BUDGET", "-70,0", controller)
    assert versions[0].values.get(row__code="KOP").value == D("-77.0")
    assert copy.values.get(row__code="KOP").value == D("-70.0")
    with pytest.raises(ValidationError):
        services.budget_version_create(
            committee=solna, year=2024, kind="justerad", name="Justerad budget 2024", by=controller
        )


def test_a_locked_version_refuses_budget_changes(sheet, versions, controller, granskare):
    with pytest.raises(services.EconomyError, match="förvaltningsledningen"):
        services.budget_version_set_locked(version=versions[0], locked=True, by=controller)
    services.budget_version_set_locked(version=versions[0], locked=True, by=granskare)
    with pytest.raises(services.EconomyError, match="Justerad budget 2024 är låst"):
        save(sheet, "PERSONAL", "BUDGET", "-152,5", controller)
    assert save(sheet, "PERSONAL", "UTFALL", "-97,6", controller).saved  # utfall is the sheet's


def test_a_sheet_needs_versions_of_its_own_year(definitions, versions, controller):
    vp = TableDefinition.objects.get(code="VP_DRIFTBUDGET_NAMND")
    with pytest.raises(ValidationError) as error:
        services.sheet_create(
            committee=definitions,
            definition=vp,
            year=2025,
            period="plan",
            budget_version=versions[0],
            previous_budget_version=None,
            by=controller,
        )
    assert error.value.message_dict == {
        "budget_version": ["Justerad budget 2024 är en budget för 2024, tabellen gäller 2025."],
        "previous_budget_version": ["Välj vilken budgetversion föregående års budget hämtas från."],
    }
    with pytest.raises(ValidationError, match="gäller per april, per augusti"):
        services.sheet_create(
            committee=definitions,
            definition=TableDefinition.objects.get(code="DELAR_RESULTATRAKNING"),
            year=2024,
            period="plan",
            budget_version=versions[0],
            by=controller,
        )


# --- Commentary, footnotes, registers -------------------------------------------------------


def test_row_commentary_is_versioned(sheet, controller, granskare):
    row = TableRow.objects.get(rowset=sheet.definition.rowset, code="BIDRAG")
    services.commentary_save(
        sheet=sheet, row=row, text="Lägre bidrag.", expected_revision=0, by=controller
    )
    with pytest.raises(services.StaleError) as error:
        services.commentary_save(
            sheet=sheet, row=row, text="Annan text.", expected_revision=0, by=granskare
        )
    assert error.value.current_text == "Lägre bidrag."
    table = reporting.table("DELAR_RESULTATRAKNING", year=2024, period="augusti")
    assert next(r for r in table.rows if r.code == "BIDRAG").commentary == "Lägre bidrag."


def test_footnotes_refuse_a_stale_list(sheet, controller):
    empty = services.footnotes_fingerprint([])
    services.sheet_footnotes_save(sheet=sheet, texts=["A", "B"], expected=empty, by=controller)
    with pytest.raises(services.StaleError):
        services.sheet_footnotes_save(sheet=sheet, texts=["C"], expected=empty, by=controller)
    table = reporting.table("DELAR_RESULTATRAKNING", year=2024, period="augusti")
    assert table.footnotes == ("A", "B")


def test_registers_keep_their_order_and_copy_to_the_next_year(solna, controller):
    import datetime

    for order, name in ((20, "Familjerådgivning"), (10, "Tillsyn nikotinprodukter")):
        services.register_save(
            model=Tariff,
            committee=solna,
            plan_year=2025,
            data={
                "name": name,
                "decided_by": "KF",
                "decided_on": datetime.date(2012, 11, 26),
                "status": "oforandrad",
                "new_decision_on": None,
                "valid_from": datetime.date(2013, 1, 1),
                "sort_order": order,
            },
            by=controller,
        )
    assert [t.name for t in reporting.tariffs(year=2025)] == [
        "Tillsyn nikotinprodukter",
        "Familjerådgivning",
    ]
    assert (
        services.register_copy_year(
            model=Tariff, committee=solna, from_year=2025, to_year=2026, by=controller
        )
        == 2
    )
    assert [t.name for t in reporting.tariffs(year=2026)] == [
        "Tillsyn nikotinprodukter",
        "Familjerådgivning",
    ]
    with pytest.raises(ValidationError):
        services.register_save(
            model=Tariff,
            committee=solna,
            plan_year=2025,
            data={
                "name": "Familjerådgivning",
                "decided_by": "KF",
                "decided_on": datetime.date(2012, 11, 26),
                "status": "oforandrad",
                "new_decision_on": None,
                "valid_from": datetime.date(2013, 1, 1),
                "sort_order": 5,
            },
            by=controller,
        )


def test_budget_versions_of_the_demo_match_the_sources(economy_demo):
    """§4.5: the same year's budget with two gross figures and one net."""
    adjusted = BudgetVersion.objects.get(name="Justerad budget 2024")
    original = BudgetVersion.objects.get(name="Budget 2024")
    delar = reporting.table("DELAR_RESULTATRAKNING", year=2024, period="augusti")
    vp = reporting.table("VP_DRIFTBUDGET_NAMND", year=2025, period="plan")
    delar_rows = {r.code: r for r in delar.rows}
    vp_rows = {r.code: r for r in vp.rows}
    assert delar_rows["SUMMA_INTAKTER"].cells[4].text == "50,5"
    assert vp_rows["INTAKTER"].cells[1].text == "45,8"
    assert delar_rows["NETTO"].cells[4].text == vp_rows["NETTO"].cells[1].text == "-226,8"
    assert delar.budget_version == adjusted.name and vp.previous_budget_version == original.name
