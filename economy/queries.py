"""Reads: a sheet with everything needed to compute and show it, in a fixed number of queries
whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from economy import tables
from economy.models import (
    BudgetValue,
    BudgetVersion,
    Footnote,
    RowCommentary,
    Sheet,
    SheetValue,
    TableColumn,
    TableRow,
)
from solna_sn.lib.numbers import format_number


def exact_text(value: Decimal | None, min_places: int = 0) -> str:
    """A stored figure in full, Swedish style, with at least `min_places` decimals:
    Decimal("-43.300000") → "-43,3"; Decimal("4.000000"), 1 → "4,0"; nothing is rounded."""
    if value is None:
        return ""
    normalized = value.normalize()
    exponent = normalized.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(value, max(places, min_places))


def spec_from(
    rows: list[TableRow], columns: list[TableColumn], year: int | None
) -> tables.TableSpec:
    """The pure table spec of a definition (rows need `covers` prefetched); headers filled in
    for `year`, or left as templates ({år}) when it is None."""
    row_codes = {row.pk: row.code for row in rows}
    column_codes = {column.pk: column.code for column in columns}
    return tables.TableSpec(
        tuple(
            tables.RowSpec(
                row.code,
                row.label,
                tables.RowKind(row.kind),
                tuple(
                    row_codes.get(covered.pk, f"?{covered.pk}")
                    for covered in sorted(row.covers.all(), key=lambda r: (r.sort_order, r.pk))
                ),
                tables.Sign(row.sign),
            )
            for row in rows
        ),
        tuple(
            tables.ColumnSpec(
                code=column.code,
                header=column.header if year is None else tables.fill_header(column.header, year),
                figure=tables.Figure(column.figure) if column.figure else None,
                derived=tables.Derived(column.derived) if column.derived else None,
                a=column_codes.get(column.operand_a_id) if column.operand_a_id else None,
                b=column_codes.get(column.operand_b_id) if column.operand_b_id else None,
                decimals=column.decimals,
                sum_rows_only=column.sum_rows_only,
                percent_sign=column.percent_sign,
                printed=column.printed,
            )
            for column in columns
        ),
    )


def definition_rows(definition) -> list[TableRow]:
    return list(
        TableRow.objects.filter(rowset_id=definition.rowset_id)
        .prefetch_related("covers")
        .order_by("sort_order", "pk")
    )


def definition_columns(definition) -> list[TableColumn]:
    return list(TableColumn.objects.filter(definition=definition).order_by("sort_order", "pk"))


@dataclass
class SheetData:
    """A sheet, its definition, its stored figures and the computed table."""

    sheet: Sheet
    rows: list[TableRow]
    columns: list[TableColumn]
    values: dict[tuple[int, int], SheetValue]
    budget: dict[tuple[int, int], BudgetValue]
    commentary: dict[int, RowCommentary]
    footnotes: list[Footnote]
    spec: tables.TableSpec | None = None
    result: tables.TableResult | None = None
    spec_error: str = ""
    _given: dict = field(default_factory=dict)

    def stored(self, row: TableRow, column: TableColumn):
        """The stored object behind a cell: a BudgetValue for the budget columns, else a
        SheetValue; None when nothing has been stored yet."""
        version_id = budget_version_id(self.sheet, column)
        if column.figure in BUDGET_FIGURES:
            if version_id is None:
                return None
            return self.budget.get((version_id, row.pk))
        return self.values.get((row.pk, column.pk))

    def given(self) -> dict[tuple[str, str], Decimal | None]:
        return self._given


BUDGET_FIGURES = (tables.Figure.ANNUAL_BUDGET.value, tables.Figure.BUDGET_PREV.value)


def budget_version_id(sheet: Sheet, column: TableColumn) -> int | None:
    if column.figure == tables.Figure.ANNUAL_BUDGET:
        return sheet.budget_version_id
    if column.figure == tables.Figure.BUDGET_PREV:
        return sheet.previous_budget_version_id
    return None


def sheets_with_definitions():
    return Sheet.objects.select_related(
        "definition", "definition__rowset", "budget_version", "previous_budget_version", "committee"
    )


def load_sheet(sheet: Sheet) -> SheetData:
    """Everything about one sheet (8 queries at most), computed."""
    rows = definition_rows(sheet.definition)
    columns = definition_columns(sheet.definition)
    values = {
        (value.row_id, value.column_id): value for value in SheetValue.objects.filter(sheet=sheet)
    }
    version_ids = [v for v in (sheet.budget_version_id, sheet.previous_budget_version_id) if v]
    budget = (
        {
            (value.budget_version_id, value.row_id): value
            for value in BudgetValue.objects.filter(
                budget_version_id__in=version_ids, row__rowset_id=sheet.definition.rowset_id
            )
        }
        if version_ids
        else {}
    )
    commentary = {c.row_id: c for c in RowCommentary.objects.filter(sheet=sheet)}
    footnotes = list(Footnote.objects.filter(sheet=sheet).order_by("sort_order", "pk"))
    data = SheetData(sheet, rows, columns, values, budget, commentary, footnotes)
    compute_sheet(data)
    return data


def compute_sheet(data: SheetData, overrides: dict | None = None) -> None:
    """Compute the table; `overrides` maps (row code, column code) to a figure that replaces
    the stored one (the import preview's "what the table would look like")."""
    try:
        data.spec = spec_from(data.rows, data.columns, data.sheet.year)
    except tables.SpecError as error:
        data.spec, data.result, data.spec_error = None, None, str(error)
        return
    given: dict[tuple[str, str], Decimal | None] = {}
    for row in data.rows:
        for column in data.columns:
            stored = data.stored(row, column)
            if stored is not None and stored.value is not None:
                given[(row.code, column.code)] = stored.value
    if overrides:
        given.update(overrides)
    data._given = given
    data.result = tables.compute(data.spec, given, months=data.sheet.months)


# --- Verksamhetsplan year -------------------------------------------------------------------


def plan_sheets(committee, year: int):
    """The plan tables of a verksamhetsplan year (period "plan"), in print order."""
    return (
        sheets_with_definitions()
        .filter(committee=committee, year=year, period="plan")
        .order_by("definition__sort_order", "definition__title")
    )


def plan_budget_versions(committee, year: int) -> list[BudgetVersion]:
    """The budget versions the year's plan tables print as Budget <year> (one, normally)."""
    ids = set(plan_sheets(committee, year).values_list("budget_version_id", flat=True))
    ids.discard(None)
    return list(BudgetVersion.objects.filter(pk__in=ids).order_by("name"))


@dataclass(frozen=True)
class BudgetRowChange:
    table: str  # "Driftbudget, nämnd"
    row: str  # "Intäkter"
    last_year: Decimal | None
    next_year: Decimal | None
    change: Decimal | None  # Förändring: last year − next year
    decimals: int


def plan_budget_changes(committee, year: int) -> tuple[list[BudgetRowChange], list[str]]:
    """Rows of the year's plan tables whose budget differs from last year's budget (the
    tables' own Budget <year> and Budget <year − 1> columns), and the tables' warnings (rows
    that do not add up, signs): figures are shown as given, never corrected."""
    changes: list[BudgetRowChange] = []
    warnings: list[str] = []
    for sheet in plan_sheets(committee, year):
        data = load_sheet(sheet)
        if data.result is None:
            warnings.append(f"{sheet.definition.title}: {data.spec_error}")
            continue
        current = next(
            (c for c in data.spec.columns if c.figure is tables.Figure.ANNUAL_BUDGET), None
        )
        previous = next(
            (c for c in data.spec.columns if c.figure is tables.Figure.BUDGET_PREV), None
        )
        warnings += [f"{sheet.definition.title}: {w}" for w in data.result.warnings]
        if current is None or previous is None:
            continue
        for row in data.rows:
            new = data.result.value(row.code, current.code)
            old = data.result.value(row.code, previous.code)
            if new == old:
                continue
            changes.append(
                BudgetRowChange(
                    sheet.definition.title,
                    row.label,
                    old,
                    new,
                    tables.plan_change(old, new),
                    current.decimals,
                )
            )
    return changes, warnings
