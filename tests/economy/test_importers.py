"""Import of the ekonomisystem's export on PostgreSQL: preview, atomic apply, refusals."""

from decimal import Decimal

import pytest

from economy import importers, reporting, services
from economy.models import (
    AccountMapping,
    BudgetValue,
    EconomyImport,
    Sheet,
    SheetValue,
    TableDefinition,
)
from solna_sn.models import AuditEntry
from tests.economy import exports

D = Decimal
CODES = ("DELAR_RESULTATRAKNING", "DELAR_VERKSAMHETER", "DELAR_INVESTERINGAR")


@pytest.fixture
def period(definitions, controller):
    """Empty delårsrapport tables per augusti 2024 printing the justerad budget."""
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


def upload(content, user, committee, *, year=2024, period="augusti"):
    return EconomyImport.objects.create(
        committee=committee,
        mapping=AccountMapping.objects.get(),
        year=year,
        period=period,
        filename="export.xlsx",
        content=content,
        uploaded_by=user,
    )


def errors(preview):
    return [str(error) for error in preview.errors]


def test_preview_shows_every_change_and_writes_nothing(period, controller, solna):
    preview = importers.build_preview(
        upload(exports.workbook(), controller, solna), user=controller
    )
    assert errors(preview) == []
    assert [s.sheet.definition.code for s in preview.sheets] == list(CODES)
    # Resultaträkning: 10 lines × 4 figures, Verksamheter 4 × 4, investments 1 × 4.
    assert preview.count(importers.NEW) == 40 + 16 + 4
    assert not SheetValue.objects.exists() and not BudgetValue.objects.exists()
    after = {row.code: row for row in preview.sheets[0].after.rows}
    assert [c.text for c in after["NETTO"].cells] == [
        "-138,2",
        "-129,0",
        "7,1 %",
        "13,0",
        "-226,8",
        "-210,5",
        "16,3",
    ]


def test_apply_writes_everything_in_one_go_and_prints_the_published_rows(period, controller, solna):
    economy_import = upload(exports.workbook(), controller, solna)
    preview = importers.build_preview(economy_import, user=controller)
    written = importers.import_apply(
        economy_import=economy_import, fingerprint=preview.fingerprint, user=controller
    )
    assert written == 60
    table = reporting.table("DELAR_RESULTATRAKNING", year=2024, period="augusti")
    rows = {row.label: [c.text for c in row.cells] for row in table.rows}
    assert rows["Summa intäkter"] == ["26,1", "37,1", "-29,7 %", "-7,6", "50,5", "39,1", "-11,4"]
    assert rows["Summa kostnader"] == [
        "-164,3",
        "-166,0",
        "-1,1 %",
        "20,6",
        "-277,3",
        "-249,6",
        "27,7",
    ]
    assert rows["Personalkostnader"][0] == "-97,6"
    # Figures kept unrounded (to the krona); sums and derived columns computed, no warnings.
    assert SheetValue.objects.get(row__code="PERSONAL", column__code="UTFALL").value == D("-97.64")
    assert table.warnings == ()
    verksamheter = reporting.table("DELAR_VERKSAMHETER", year=2024, period="augusti")
    assert [r.cells[0].text for r in verksamheter.rows] == [
        "-61,7",
        "-40,7",
        "-28,3",
        "-7,5",
        "-138,2",
    ]
    assert AuditEntry.objects.filter(action="economy.figure_imported").count() == 60
    with pytest.raises(services.EconomyError, match="redan inläst"):
        importers.import_apply(
            economy_import=economy_import, fingerprint=preview.fingerprint, user=controller
        )


def test_reimporting_the_same_file_changes_nothing(period, controller, solna):
    first = upload(exports.workbook(), controller, solna)
    importers.import_apply(
        economy_import=first,
        fingerprint=importers.build_preview(first, user=controller).fingerprint,
        user=controller,
    )
    second = upload(exports.workbook(), controller, solna)
    preview = importers.build_preview(second, user=controller)
    assert preview.count(importers.UNCHANGED) == 60 and preview.to_write == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda lines: lines[2].__setitem__(6, "-43,3,0"), "Export!G5: ”-43,3,0” har mer än"),
        (lambda lines: lines[4].__setitem__(5, "12,3,0"), "Export!F7: ”12,3,0” har mer än"),
        (lambda lines: lines.append([999, "Okänt", "71", 1, 1, 1, 1]), "Konto 999 (verksamhet"),
    ],
)
def test_bad_cells_and_unknown_accounts_stop_the_import(period, controller, solna, change, message):
    lines = exports.account_lines()
    change(lines)
    economy_import = upload(exports.workbook(lines), controller, solna)
    preview = importers.build_preview(economy_import, user=controller)
    assert not preview.ok and any(message in text for text in errors(preview))
    with pytest.raises(services.EconomyError, match="ingenting har lästs in"):
        importers.import_apply(economy_import=economy_import, fingerprint="", user=controller)
    assert not SheetValue.objects.exists() and not BudgetValue.objects.exists()


def test_a_missing_row_and_a_missing_column_are_named(period, controller, solna):
    lines = [line for line in exports.account_lines() if not 6000 <= line[0] <= 6299]
    preview = importers.build_preview(
        upload(exports.workbook(lines), controller, solna), user=controller
    )
    assert errors(preview) == [
        "Filen har inga konton för raden ”Lokalkostnader” (konto 6000–6299). Ta med kontona, "
        "med 0 om raden ska vara noll."
    ]
    headers = exports.HEADERS[:-1]
    content = exports.workbook([line[:-1] for line in exports.account_lines()], headers=headers)
    preview = importers.build_preview(upload(content, controller, solna), user=controller)
    assert errors(preview) == ["Export!2: Kolumnen ”Prognos” saknas på rubrikraden (rad 2)."]


def test_a_file_that_is_not_an_xlsx_is_refused(period, controller, solna):
    preview = importers.build_preview(upload(b"not a zip", controller, solna), user=controller)
    assert errors(preview) == ["Filen är inte en Excelfil (.xlsx)."]


def test_no_tables_for_the_period(definitions, controller, solna):
    preview = importers.build_preview(
        upload(exports.workbook(), controller, solna, year=2023), user=controller
    )
    assert "Det finns inga tabeller för per augusti 2023" in errors(preview)[0]


def test_a_figure_saved_after_the_preview_stops_the_apply(period, controller, granskare, solna):
    economy_import = upload(exports.workbook(), controller, solna)
    preview = importers.build_preview(economy_import, user=controller)
    sheet = Sheet.objects.select_related("definition", "committee").get(
        definition__code="DELAR_RESULTATRAKNING"
    )
    from economy.models import TableColumn, TableRow

    services.cell_save(
        sheet=sheet,
        row=TableRow.objects.get(rowset=sheet.definition.rowset, code="TAXOR"),
        column=TableColumn.objects.get(definition=sheet.definition, code="UTFALL"),
        raw="3,0",
        expected_revision=0,
        by=granskare,
    )
    with pytest.raises(services.EconomyError, match="ändrats sedan förhandsgranskningen"):
        importers.import_apply(
            economy_import=economy_import, fingerprint=preview.fingerprint, user=controller
        )
    assert SheetValue.objects.count() == 1  # only the granskare's figure


def test_a_locked_table_or_version_refuses_the_import(period, controller, granskare, solna):
    sheet = Sheet.objects.select_related("definition", "committee").get(
        definition__code="DELAR_VERKSAMHETER"
    )
    services.sheet_lock(sheet=sheet, by=controller)
    preview = importers.build_preview(
        upload(exports.workbook(), controller, solna), user=controller
    )
    assert errors(preview) == [
        "Verksamheter, per augusti 2024 är låst och kan inte läsas in. Be förvaltningsledningen "
        "öppna tabellen."
    ]
    services.sheet_reopen(sheet=sheet, reason="Import", by=granskare)
    services.budget_version_set_locked(version=period, locked=True, by=granskare)
    preview = importers.build_preview(
        upload(exports.workbook(), controller, solna), user=controller
    )
    assert "Justerad budget 2024 är låst" in errors(preview)[0]


def test_given_totals_that_the_import_contradicts_are_warned_about_and_kept(
    period, controller, solna
):
    sheet = Sheet.objects.select_related("definition", "committee").get(
        definition__code="DELAR_RESULTATRAKNING"
    )
    from economy.models import TableColumn, TableRow

    services.cell_save(
        sheet=sheet,
        row=TableRow.objects.get(rowset=sheet.definition.rowset, code="SUMMA_INTAKTER"),
        column=TableColumn.objects.get(definition=sheet.definition, code="UTFALL"),
        raw="30,0",
        expected_revision=0,
        by=controller,
    )
    economy_import = upload(exports.workbook(), controller, solna)
    preview = importers.build_preview(economy_import, user=controller)
    assert preview.ok
    assert preview.sheets[0].after.warnings == (
        "Summa intäkter, 2024: angivet 30,0 men raderna summerar till 26,05 (skillnad 3,95; "
        "avrundning förklarar högst 0,5 för 5 rader).",
    )
    importers.import_apply(
        economy_import=economy_import, fingerprint=preview.fingerprint, user=controller
    )
    assert SheetValue.objects.get(row__code="SUMMA_INTAKTER").value == D("30.0")


def test_only_the_uploader_applies_and_only_staff_who_may_enter(
    period, controller, handlaggare, solna
):
    economy_import = upload(exports.workbook(), controller, solna)
    with pytest.raises(services.EconomyError, match="själv har laddat upp"):
        importers.import_apply(economy_import=economy_import, fingerprint="", user=handlaggare)
    preview = importers.build_preview(
        upload(exports.workbook(), handlaggare, solna), user=handlaggare
    )
    assert errors(preview) == ["Du får inte läsa in ekonomiska siffror för nämnden."]


def test_the_upload_is_read_once_and_again_when_the_mapping_changes(period, controller, solna):
    from economy.models import MappingRule

    economy_import = importers.import_create(
        committee=solna,
        mapping=AccountMapping.objects.get(),
        year=2024,
        period="augusti",
        filename="export.xlsx",
        content=exports.workbook(),
        by=controller,
    )
    assert economy_import.parsed["lines"] == len(exports.account_lines())
    assert importers.build_preview(economy_import, user=controller).ok
    AccountMapping.objects.update(header_outcome="Utfall 2024")
    economy_import.refresh_from_db()
    assert errors(importers.build_preview(economy_import, user=controller)) == [
        "Export!2: Kolumnen ”Utfall 2024” saknas på rubrikraden (rad 2)."
    ]
    MappingRule.objects.filter(account_from=6000).update(account_to=6100)
    AccountMapping.objects.update(header_outcome="Utfall")
    economy_import.refresh_from_db()
    found = errors(importers.build_preview(economy_import, user=controller))
    assert (
        "Konto 6110 (verksamhet 71) ligger bland kontona för ”Resultaträkningens rader”"
        in (found[0])
    )
    assert found[-1].startswith("Filen har inga konton för raden ”Lokalkostnader”")


def test_a_broken_upload_stores_no_sums(period, controller, solna):
    lines = exports.account_lines()
    lines[0][3] = "x"
    economy_import = importers.import_create(
        committee=solna,
        mapping=AccountMapping.objects.get(),
        year=2024,
        period="augusti",
        filename="export.xlsx",
        content=exports.workbook(lines),
        by=controller,
    )
    assert economy_import.parsed is None
    assert errors(importers.build_preview(economy_import, user=controller)) == [
        "Export!D3: ”x” är inte ett tal."
    ]
