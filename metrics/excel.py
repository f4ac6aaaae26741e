"""Excel in the layout people already use: one sheet per category; per metric a title row, a
header row `jan … dec` and one row per year.

`export_workbook` reads the database; `parse_workbook` is pure (it gets the catalogue as data)
and reports every problem with sheet and cell, in Swedish.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from metrics import queries
from metrics.cells import Cell, CellError, CellSpec
from metrics.models import MetricCategory
from solna_sn.lib.periods import MONTH_ABBREVIATIONS, Month
from solna_sn.lib.xlsx import UNCACHED_FORMULA_MESSAGE, XlsxError, append_row, load_workbook_checked

SHEET_TITLE_MAX = 31  # Excel's limit
HEADER = tuple(MONTH_ABBREVIATIONS)


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:SHEET_TITLE_MAX]


def export_workbook(first_year: int, last_year: int) -> bytes:

    metrics = list(queries.metrics_for_years(first_year, last_year))
    table = queries.value_table(metrics, Month(first_year, 1), Month(last_year, 12))
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    right = Alignment(horizontal="right")
    sheets = {}
    for category in MetricCategory.objects.all():
        sheet = workbook.create_sheet(_sheet_title(category.title))
        sheet.column_dimensions["A"].width = 14
        for column in "BCDEFGHIJKLM":
            sheet.column_dimensions[column].width = 9
        sheets[category.pk] = sheet
    started: set[int] = set()
    for metric in metrics:
        sheet = sheets[metric.category_id]
        if metric.category_id in started:
            append_row(sheet, [])  # one empty row between metrics
        started.add(metric.category_id)
        append_row(sheet, [metric.title])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        append_row(sheet, ["", *HEADER])
        values = table.get(metric.pk, {})
        for year in range(first_year, last_year + 1):
            months = [Month(year, m) for m in range(1, 13)]
            if not any(metric.is_valid_in(month) for month in months):
                continue
            row = [year]
            for month in months:
                value = values.get(month)
                if not metric.is_valid_in(month) or (value and value.not_applicable):
                    row.append("-")
                elif value is None or value.value is None:
                    row.append(None)
                elif value.value == value.value.to_integral_value():
                    row.append(int(value.value))
                else:
                    row.append(float(value.value))
            append_row(sheet, row)
            for cell in sheet[sheet.max_row][1:]:
                cell.alignment = right
                if isinstance(cell.value, int):
                    cell.number_format = "# ##0"
    if not workbook.sheetnames:
        workbook.create_sheet("Verksamhetsmått")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@dataclass(frozen=True)
class MetricSpec:
    """A metric as the parser needs it: its code and what its cells accept."""

    code: str
    cell: CellSpec = field(default_factory=CellSpec)


@dataclass(frozen=True)
class ParsedCell:
    sheet: str
    ref: str
    code: str
    month: Month
    cell: Cell


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    ref: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.ref}: {self.message}" if self.ref else self.message


@dataclass
class Problems:
    """What stops a workbook from being read in: cell errors, unknown sheets and titles."""

    errors: list[CellProblem] = field(default_factory=list)
    unknown_sheets: list[str] = field(default_factory=list)
    unknown_metrics: list[CellProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.errors or self.unknown_sheets or self.unknown_metrics)

    @property
    def file_errors(self) -> list[CellProblem]:
        """Problems with the file as a whole (not a workbook, too large), not with a cell."""
        return [problem for problem in self.errors if not problem.sheet]


@dataclass
class ParseResult(Problems):
    cells: list[ParsedCell] = field(default_factory=list)


class _Uncached:
    """A formula cell without a cached value: not blank, and never a value."""

    def __str__(self) -> str:
        return "(formel)"


UNCACHED = _Uncached()


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _is_header(values: list) -> bool:
    return tuple(_text(v).lower() for v in values[1:13]) == HEADER


def _is_empty(values: list) -> bool:
    return all(_text(v) == "" for v in values)


def parse_workbook(fileobj, catalogue: dict[tuple[str, str], MetricSpec]) -> ParseResult:
    """Read a workbook in the export layout. `catalogue` maps (category title, metric title) to
    the metric's spec. Unknown sheets and titles are listed, never guessed.

    The archive and the sheets' sizes are checked before anything is parsed (a zip bomb or a
    100 000-row sheet gets a message, not minutes of work). A formula without a cached value
    is refused at its cell: read as blank it would clear a stored value."""

    result = ParseResult()
    data = fileobj.read() if hasattr(fileobj, "read") else bytes(fileobj)
    try:
        checked = load_workbook_checked(data, read_only=True)
    except XlsxError as error:
        result.errors.append(CellProblem("", "", str(error)))
        return result
    workbook = checked.workbook

    categories: dict[str, str] = {}
    for category_title, _ in catalogue:
        categories[_sheet_title(category_title)] = category_title
    for sheet in workbook.worksheets:
        category = categories.get(sheet.title.strip()[:SHEET_TITLE_MAX])
        if category is None:
            result.unknown_sheets.append(sheet.title)
            continue
        spec: MetricSpec | None = None
        title = ""
        for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = list(row) + [None] * max(0, 13 - len(row))
            if sheet.title in checked.uncached_formulas:
                values = [
                    UNCACHED
                    if value is None
                    and checked.is_uncached_formula(
                        sheet.title, f"{get_column_letter(column)}{row_number}"
                    )
                    else value
                    for column, value in enumerate(values, start=1)
                ]
            first = values[0]
            if _is_empty(values) or _is_header(values):
                continue
            rest_empty = _is_empty(values[1:])
            first_text = _text(first)
            is_year = (
                isinstance(first, int)
                or (first_text.isdigit() and len(first_text) == 4)
                or (isinstance(first, float) and first.is_integer())
            )
            if first is UNCACHED:
                result.errors.append(
                    CellProblem(sheet.title, f"A{row_number}", UNCACHED_FORMULA_MESSAGE)
                )
                continue
            if not is_year and rest_empty:
                title = first_text
                spec = catalogue.get((category, title))
                if spec is None:
                    result.unknown_metrics.append(
                        CellProblem(
                            sheet.title, f"A{row_number}", f"Okänt mått i {category}: ”{title}”."
                        )
                    )
                continue
            if not is_year:
                result.errors.append(
                    CellProblem(
                        sheet.title,
                        f"A{row_number}",
                        f"”{first_text}” är inget årtal (till exempel 2024)."
                        if first_text
                        else "Raden saknar årtal i kolumn A.",
                    )
                )
                continue
            if spec is None:
                if not title:
                    result.errors.append(
                        CellProblem(
                            sheet.title,
                            f"A{row_number}",
                            "Årsraden saknar en rubrikrad med måttets namn ovanför.",
                        )
                    )
                continue  # rows of an unknown metric are skipped; the title is listed
            year = int(float(first_text)) if not isinstance(first, int) else first
            if not 1900 <= year <= 2999:
                result.errors.append(
                    CellProblem(sheet.title, f"A{row_number}", f"Året {year} är utanför 1900–2999.")
                )
                continue
            for index in range(12):
                raw = values[index + 1]
                ref = f"{get_column_letter(index + 2)}{row_number}"
                if raw is UNCACHED:
                    result.errors.append(CellProblem(sheet.title, ref, UNCACHED_FORMULA_MESSAGE))
                    continue
                try:
                    cell = spec.cell.parse(raw)
                except CellError as error:
                    result.errors.append(CellProblem(sheet.title, ref, str(error)))
                    continue
                result.cells.append(
                    ParsedCell(sheet.title, ref, spec.code, Month(year, index + 1), cell)
                )
    checked.close()
    return result
