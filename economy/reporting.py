"""What the reports and the plan print from the economy: each table of a period with its
computed columns and warnings, the personnel table, taxor och avgifter and
kvalitetsdeklarationer. Plain dataclasses with Decimal values and formatted Swedish strings.

This is the only module of `economy` that the documents import. Periods are named by year
and one of "april", "augusti", "helar" (helår) or "plan" (the budget year of a verksamhetsplan).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from economy import personnel as personnel_rules
from economy import queries, tables
from economy.models import (
    Document,
    Period,
    PersonnelSheet,
    PersonnelValue,
    QualityDeclaration,
    Tariff,
    period_label,
)
from solna_sn.lib.numbers import format_number

PERIODS = tuple(Period.values)
DOCUMENTS = tuple(Document.values)


@dataclass(frozen=True)
class PrintedColumn:
    code: str
    header: str  # "% 24/23", "Budget 2025"
    derived: bool
    formula: str  # "Årsprognos − Årsbudget"; empty for a given figure


@dataclass(frozen=True)
class PrintedCell:
    column: str  # the column's code
    value: Decimal | None  # what is printed: the given figure, else the computed one
    text: str  # "-138,2", "7,1 %", "" when blank
    given: bool  # the figure was entered or imported (not computed)
    computed: Decimal | None  # what the arithmetic gives (None where it cannot)
    computed_text: str  # the computed figure formatted as the column prints it
    warnings: tuple[str, ...]  # soft warnings: the given figure disagrees beyond tolerance
    rounding: bool  # the given figure differs from the arithmetic only by rounding


@dataclass(frozen=True)
class PrintedRow:
    code: str
    label: str
    kind: str  # "line", "subtotal", "total"
    cells: tuple[PrintedCell, ...]  # one per printed column, in order
    commentary: str  # the paragraph explaining the row ("" when none)

    @property
    def is_sum(self) -> bool:
        return self.kind != "line"


@dataclass(frozen=True)
class PrintedTable:
    code: str  # the definition's code, e.g. "DELAR_RESULTATRAKNING"
    title: str  # "Resultaträkning"
    document: str  # "uppfoljning", "arsredovisning", "verksamhetsplan"
    stub_header: str  # "Resultaträkning (mkr)", the first column's header
    unit: str  # "mkr"
    year: int
    period: str
    period_label: str  # "per augusti 2024", "budget 2025"
    budget_version: str  # the version the budget column prints, "" when none
    previous_budget_version: str
    sign_convention: str
    columns: tuple[PrintedColumn, ...]
    rows: tuple[PrintedRow, ...]
    footnotes: tuple[str, ...]
    warnings: tuple[str, ...]  # every cell's warnings, in table order
    locked: bool  # the controllers have closed the table for the period


def _printed(data: queries.SheetData) -> PrintedTable:
    sheet = data.sheet
    definition = sheet.definition
    warnings: list[str] = []
    columns: tuple[PrintedColumn, ...] = ()
    rows: list[PrintedRow] = []
    if data.spec_error:
        warnings.append(f"Tabelldefinitionen går inte att räkna: {data.spec_error}")
    else:
        spec, result = data.spec, data.result
        printed_specs = [column for column in spec.columns if column.printed]
        columns = tuple(
            PrintedColumn(
                column.code,
                column.header,
                column.is_derived,
                tables.formula_text(column, spec, sheet.months),
            )
            for column in printed_specs
        )
        for row in data.rows:
            cells = []
            for column in printed_specs:
                cell = result.cell(row.code, column.code)
                cells.append(
                    PrintedCell(
                        column=column.code,
                        value=cell.value,
                        text=tables.format_value(cell.value, column),
                        given=cell.given is not None and cell.shown,
                        computed=cell.computed if cell.shown else None,
                        computed_text=tables.format_value(cell.computed, column)
                        if cell.shown
                        else "",
                        warnings=tuple(cell.warnings),
                        rounding=cell.rounding,
                    )
                )
                warnings.extend(cell.warnings)
            # Warnings of a column that is not printed (a period budget with the wrong sign).
            for column in spec.columns:
                if not column.printed:
                    warnings.extend(result.cell(row.code, column.code).warnings)
            commentary = data.commentary.get(row.pk)
            rows.append(
                PrintedRow(
                    row.code,
                    row.label,
                    row.kind,
                    tuple(cells),
                    commentary.text if commentary else "",
                )
            )
    return PrintedTable(
        code=definition.code,
        title=definition.title,
        document=definition.document,
        stub_header=definition.stub_header,
        unit=definition.unit_label,
        year=sheet.year,
        period=sheet.period,
        period_label=sheet.period_label,
        budget_version=str(sheet.budget_version or ""),
        previous_budget_version=str(sheet.previous_budget_version or ""),
        sign_convention=tables.fill_header(definition.sign_convention, sheet.year),
        columns=columns,
        rows=tuple(rows),
        footnotes=tuple(footnote.text for footnote in data.footnotes),
        warnings=tuple(warnings),
        locked=sheet.is_locked,
    )


def printed_sheet(data: queries.SheetData) -> PrintedTable:
    """The printed form of an already loaded sheet (for economy's own pages)."""
    return _printed(data)


def table(code: str, *, year: int, period: str, committee=None) -> PrintedTable | None:
    """One table for a period, e.g. table("DELAR_RESULTATRAKNING", year=2024,
    period="augusti"); None when the table has no figures for that period."""
    sheets = queries.sheets_with_definitions().filter(
        definition__code=code, year=year, period=period
    )
    if committee is not None:
        sheets = sheets.filter(committee=committee)
    sheet = sheets.order_by("committee_id").first()
    return _printed(queries.load_sheet(sheet)) if sheet else None


def tables_for(
    *, year: int, period: str, document: str | None = None, committee=None
) -> list[PrintedTable]:
    """Every table of a period in the definitions' order (the Ekonomisk analys section, or
    the VP's Ekonomi section with period="plan")."""
    sheets = queries.sheets_with_definitions().filter(year=year, period=period)
    if document is not None:
        sheets = sheets.filter(definition__document=document)
    if committee is not None:
        sheets = sheets.filter(committee=committee)
    return [
        _printed(queries.load_sheet(sheet))
        for sheet in sheets.order_by("definition__sort_order", "definition__title")
    ]


# --- Personnel ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonnelRow:
    code: str
    label: str
    unit: str  # "antal", "årsarbetare", "%", "index"
    decimals: int
    indented: bool  # a "varav" row
    value: Decimal | None
    value_text: str
    comparison: Decimal | None
    comparison_text: str
    change: Decimal | None  # printed change: given, else value − comparison when comparable
    change_text: str
    measured: tuple[datetime.date, datetime.date]
    compared_with: tuple[datetime.date, datetime.date]
    comparable: bool  # the comparison period is the measured period one year earlier
    warnings: tuple[str, ...]

    @property
    def printed_label(self) -> str:
        """ "- varav kvinnor" for a part row, as the table prints it."""
        return f"- {self.label}" if self.indented else self.label


@dataclass(frozen=True)
class PersonnelTable:
    year: int
    period: str
    period_label: str
    stub_header: str  # "Periodutfall"
    headers: tuple[str, str, str]  # ("2024", "2023", "Förändring")
    rows: tuple[PersonnelRow, ...]
    footnotes: tuple[str, ...]
    warnings: tuple[str, ...]


def personnel_rows(sheet: PersonnelSheet, values: list[PersonnelValue]) -> list[PersonnelRow]:
    """Rows in the catalogue's order; `values` with their figure (select_related)."""
    by_figure = {value.figure_id: value for value in values}
    result = []
    for value in sorted(values, key=lambda v: (v.figure.sort_order, v.figure.label)):
        figure = value.figure
        measured = (
            value.measured_from or sheet.period_start,
            value.measured_to or sheet.period_end,
        )
        compared = (
            value.comparison_from or personnel_rules.one_year_earlier(measured[0]),
            value.comparison_to or personnel_rules.one_year_earlier(measured[1]),
        )
        line = personnel_rules.PersonnelLine(
            label=figure.label,
            decimals=figure.decimals,
            value=value.value,
            comparison=value.comparison_value,
            given_change=value.change,
            measured=measured,
            compared=compared,
        )
        parts = [v for v in values if v.figure.part_of_id == figure.pk]
        warnings = list(line.warnings)
        if parts:
            warning = personnel_rules.parts_warning(
                figure.label,
                value.value,
                [(p.figure.label, p.value) for p in parts],
                figure.decimals,
            )
            if warning:
                warnings.append(warning)
        result.append(
            PersonnelRow(
                code=figure.code,
                label=figure.label,
                unit=figure.unit_label,
                decimals=figure.decimals,
                indented=figure.part_of_id is not None and figure.part_of_id in by_figure,
                value=value.value,
                value_text=format_number(value.value, figure.decimals),
                comparison=value.comparison_value,
                comparison_text=format_number(value.comparison_value, figure.decimals),
                change=line.change,
                change_text=format_number(line.change, figure.decimals),
                measured=measured,
                compared_with=compared,
                comparable=line.comparable,
                warnings=tuple(warnings),
            )
        )
    return result


def personnel(*, year: int, period: str, committee=None) -> PersonnelTable | None:
    """The personnel table (Väsentliga personalförhållanden) of a period, or None."""
    sheets = PersonnelSheet.objects.filter(year=year, period=period)
    if committee is not None:
        sheets = sheets.filter(committee=committee)
    sheet = sheets.order_by("committee_id").first()
    if sheet is None:
        return None
    values = list(sheet.values.select_related("figure"))
    rows = personnel_rows(sheet, values)
    return PersonnelTable(
        year=year,
        period=period,
        period_label=period_label(year, period),
        stub_header=sheet.stub_header,
        headers=(str(year), str(year - 1), "Förändring"),
        rows=tuple(rows),
        footnotes=tuple(f.text for f in sheet.footnotes.order_by("sort_order", "pk")),
        warnings=tuple(w for row in rows for w in row.warnings),
    )


# --- Registers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TariffRow:
    name: str
    decided_by: str  # "KF"
    decided_on: datetime.date
    decided_text: str  # "KF 2022-11-28", as the Beslutad column prints it
    status: str  # "Oförändrad"
    new_decision_on: datetime.date | None
    valid_from: datetime.date
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class QualityDeclarationRow:
    name: str
    decided_on: datetime.date
    status: str  # "Oförändrad"

    @property
    def decided_text(self) -> str:
        return f"{self.decided_on:%Y-%m-%d}"


def tariff_warnings(tariff: Tariff) -> tuple[str, ...]:
    """Soft checks; the printed dates are kept as they are."""
    warnings = []
    if tariff.valid_from < tariff.decided_on:
        warnings.append(
            f"{tariff.name}: gäller från {tariff.valid_from:%Y-%m-%d}, före beslutet "
            f"{tariff.decided_on:%Y-%m-%d}."
        )
    if tariff.new_decision_on and tariff.new_decision_on < tariff.decided_on:
        warnings.append(
            f"{tariff.name}: datum för nytt beslut {tariff.new_decision_on:%Y-%m-%d} ligger "
            "före det gällande beslutet."
        )
    return tuple(warnings)


def tariffs(*, year: int, committee=None) -> list[TariffRow]:
    """Nämndens taxor och avgifter as the VP for `year` prints them, in their order."""
    entries = Tariff.objects.filter(plan_year=year)
    if committee is not None:
        entries = entries.filter(committee=committee)
    return [
        TariffRow(
            name=t.name,
            decided_by=t.decided_by,
            decided_on=t.decided_on,
            decided_text=f"{t.decided_by} {t.decided_on:%Y-%m-%d}",
            status=t.get_status_display(),
            new_decision_on=t.new_decision_on,
            valid_from=t.valid_from,
            warnings=tariff_warnings(t),
        )
        for t in entries.order_by("sort_order", "pk")
    ]


def quality_declarations(*, year: int, committee=None) -> list[QualityDeclarationRow]:
    """Kvalitetsdeklarationer as the VP for `year` prints them, in their order."""
    entries = QualityDeclaration.objects.filter(plan_year=year)
    if committee is not None:
        entries = entries.filter(committee=committee)
    return [
        QualityDeclarationRow(q.name, q.decided_on, q.get_status_display())
        for q in entries.order_by("sort_order", "pk")
    ]


__all__ = [
    "DOCUMENTS",
    "PERIODS",
    "PersonnelRow",
    "PersonnelTable",
    "PrintedCell",
    "PrintedColumn",
    "PrintedRow",
    "PrintedTable",
    "QualityDeclarationRow",
    "TariffRow",
    "personnel",
    "quality_declarations",
    "table",
    "tables_for",
    "tariffs",
]
