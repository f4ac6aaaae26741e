"""Excel in the layouts people already use. The export (and import): one sheet per category;
per metric a title row, a header row `jan … dec` and one row per year. The import also reads
the layout printed in the annual reports: one sheet, a category heading row, then one row per
metric and year (mått, år, jan … dec).

`export_workbook` reads the database; `parse_workbook` is pure (it gets the catalogue as data)
and reports every problem with sheet and cell, in Swedish.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from metrics import queries
from metrics.cells import Cell, CellError, CellSpec
from metrics.models import MetricCategory
from metrics.titles import TitleIndex, normalise
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


@dataclass
class Catalogue:
    """The catalogue as the parser needs it: per category title its titles (current and
    earlier, `TitleIndex`), and per metric code what its cells accept."""

    categories: dict[str, TitleIndex] = field(default_factory=dict)
    specs: dict[str, MetricSpec] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        metrics: dict[tuple[str, str], MetricSpec],
        earlier: Iterable[tuple[str, str, str]] = (),
    ) -> Catalogue:
        """From (category, title) → spec and (category, code, earlier title) triples."""
        current: dict[str, dict[str, str]] = {}
        for (category, title), spec in metrics.items():
            current.setdefault(category, {})[spec.code] = title
        earlier_by: dict[str, list[tuple[str, str]]] = {}
        for category, code, title in earlier:
            earlier_by.setdefault(category, []).append((code, title))
        return cls(
            categories={
                category: TitleIndex(titles, earlier_by.get(category, ()))
                for category, titles in current.items()
            },
            specs={spec.code: spec for spec in metrics.values()},
        )

    def category(self, text: str) -> str | None:
        """The category a sheet name or a heading row names (case, spacing and punctuation
        aside; a sheet name may be cut at Excel's 31 characters)."""
        wanted = normalise(text)
        if not wanted:
            return None
        for title in self.categories:
            if wanted in (normalise(title), normalise(_sheet_title(title))):
                return title
        return None


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
    cells: int = 1  # how many cells the problem keeps out

    def __str__(self) -> str:
        return f"{self.sheet}!{self.ref}: {self.message}" if self.ref else self.message


@dataclass
class UnknownTitle:
    """A title the catalogue does not know: its rows are not read in. `candidates` are the
    codes offered as "Menade du …?"; `years` the year rows under it; `cells` the non-empty
    cells it keeps out."""

    sheet: str
    ref: str
    category: str
    title: str
    candidates: tuple[str, ...] = ()
    years: list[int] = field(default_factory=list)
    cells: int = 0

    def __str__(self) -> str:
        return f"{self.sheet}!{self.ref}: Okänt mått i {self.category}: ”{self.title}”."


@dataclass(frozen=True)
class ReadAs:
    """A title matched through an earlier title or a near-identical spelling."""

    sheet: str
    ref: str
    title: str
    code: str
    how: str


@dataclass
class Problems:
    """What stops a workbook from being read in (cell errors, unknown sheets) and the titles
    that only keep their own rows out (unknown titles)."""

    errors: list[CellProblem] = field(default_factory=list)
    unknown_sheets: list[str] = field(default_factory=list)
    unknown_metrics: list[UnknownTitle] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)  # the valid ones, for the message

    @property
    def ok(self) -> bool:
        return not (self.errors or self.unknown_sheets)

    @property
    def file_errors(self) -> list[CellProblem]:
        """Problems with the file as a whole (not a workbook, too large), not with a cell."""
        return [problem for problem in self.errors if not problem.sheet]

    @property
    def blocked_cells(self) -> int:
        """Cells kept out by unknown titles."""
        return sum(unknown.cells for unknown in self.unknown_metrics)

    def unknown_sheet_message(self, sheet: str) -> str:
        names = ", ".join(f"”{name}”" for name in self.sheet_names)
        return (
            f"Okänt blad ”{sheet}”. Bladnamnet ska vara en kategori ({names}), eller bladet "
            "ska ha årsredovisningens uppställning: en rad med kategorins rubrik och sedan en "
            "rad per mått och år (mått, år, jan … dec)."
        )


@dataclass
class ParseResult(Problems):
    cells: list[ParsedCell] = field(default_factory=list)
    read_as: list[ReadAs] = field(default_factory=list)


class _Uncached:
    """A formula cell without a cached value: not blank, and never a value."""

    def __str__(self) -> str:
        return "(formel)"


UNCACHED = _Uncached()


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _months(values) -> bool:
    return tuple(_text(v).lower() for v in values) == HEADER


def _is_header(values: list) -> bool:
    return _months(values[1:13])


def _is_annual_header(values: list) -> bool:
    return _text(values[1]).lower() == "år" and _months(values[2:14])


def _is_empty(values: list) -> bool:
    return all(_text(v) == "" for v in values)


def _year_of(value) -> int | None:
    """The year a cell holds (2024, "2024", 2024.0), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    if text.isdigit() and len(text) == 4:
        return int(text)
    return None


class _Reader:
    """Reads the sheets of one workbook into a ParseResult."""

    def __init__(self, catalogue: Catalogue, checked):
        self.catalogue = catalogue
        self.checked = checked
        self.result = ParseResult(sheet_names=list(catalogue.categories))
        self.unknown: dict[tuple[str, str, str], UnknownTitle] = {}
        self.seen: dict[tuple[str, Month], str] = {}

    def rows(self, sheet):
        uncached = sheet.title in self.checked.uncached_formulas
        for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = list(row) + [None] * max(0, 14 - len(row))
            if uncached:
                values = [
                    UNCACHED
                    if value is None
                    and self.checked.is_uncached_formula(
                        sheet.title, f"{get_column_letter(column)}{row_number}"
                    )
                    else value
                    for column, value in enumerate(values, start=1)
                ]
            yield row_number, values

    def error(self, sheet: str, ref: str, message: str, cells: int = 1) -> None:
        self.result.errors.append(CellProblem(sheet, ref, message, cells))

    def title(self, sheet: str, ref: str, category: str, title: str) -> str | None:
        """The code `title` names in `category`, or None (listed as an unknown title)."""
        match = self.catalogue.categories[category].match(title)
        if match.code:
            if match.how != "exakt":
                self.result.read_as.append(ReadAs(sheet, ref, title, match.code, match.how))
            return match.code
        key = (sheet, category, title)
        if key not in self.unknown:
            self.unknown[key] = UnknownTitle(sheet, ref, category, title, match.candidates)
            self.result.unknown_metrics.append(self.unknown[key])
        return None

    def year_row(self, sheet: str, row_number: int, code: str | None, year, values, first_col):
        """One row of twelve months starting at column `first_col` (1-based)."""
        if year is None:
            return
        if not 1900 <= year <= 2999:
            self.error(
                sheet,
                f"{get_column_letter(first_col - 1)}{row_number}",
                f"Året {year} är utanför 1900–2999.",
                12,
            )
            return
        months = values[first_col - 1 : first_col + 11]
        if code is None:
            return
        spec = self.catalogue.specs[code]
        for index, raw in enumerate(months):
            ref = f"{get_column_letter(first_col + index)}{row_number}"
            if raw is UNCACHED:
                self.error(sheet, ref, UNCACHED_FORMULA_MESSAGE)
                continue
            try:
                cell = spec.cell.parse(raw)
            except CellError as error:
                self.error(sheet, ref, str(error))
                continue
            month = Month(year, index + 1)
            if (code, month) in self.seen:
                self.error(
                    sheet, ref, f"Samma mått och månad står redan i {self.seen[code, month]}."
                )
                continue
            self.seen[code, month] = f"{sheet}!{ref}"
            self.result.cells.append(ParsedCell(sheet, ref, code, month, cell))

    def block(self, code: str | None, title: str, sheet: str, category: str, year, values):
        """Counts what an unknown title keeps out."""
        if code is None and year is not None:
            unknown = self.unknown.get((sheet, category, title))
            if unknown is not None:
                unknown.years.append(year)
                unknown.cells += sum(1 for v in values if _text(v) != "")

    def category_sheet(self, sheet, category: str) -> None:
        """Per metric a title row, a header row `jan … dec` and one row per year."""
        code: str | None = None
        title = ""
        for row_number, values in self.rows(sheet):
            first = values[0]
            if _is_empty(values[:13]) or _is_header(values):
                continue
            if first is UNCACHED:
                self.error(sheet.title, f"A{row_number}", UNCACHED_FORMULA_MESSAGE)
                continue
            first_text = _text(first)
            year = _year_of(first)
            if year is None and _is_empty(values[1:13]):
                title = first_text
                code = self.title(sheet.title, f"A{row_number}", category, title)
                continue
            if year is None and len(first_text) > 6 and 1900 <= (_year_of(values[1]) or 0) <= 2999:
                self.error(
                    sheet.title,
                    f"A{row_number}",
                    f"Raden har årsredovisningens uppställning (mått, år, jan … dec), men bladet "
                    f"”{sheet.title}” har exportens: en rubrikrad per mått och årtal i kolumn A. "
                    "Lägg årsredovisningens uppställning på ett blad som inte heter som en "
                    "kategori, med kategorins rubrik på en egen rad.",
                    sum(1 for v in values[2:14] if _text(v) != ""),
                )
                continue
            if year is None:
                self.error(
                    sheet.title,
                    f"A{row_number}",
                    f"”{first_text}” är inget årtal (till exempel 2024)."
                    if first_text
                    else "Raden saknar årtal i kolumn A.",
                    sum(1 for v in values[1:13] if _text(v) != ""),
                )
                continue
            if not title:
                self.error(
                    sheet.title,
                    f"A{row_number}",
                    "Årsraden saknar en rubrikrad med måttets namn ovanför.",
                    sum(1 for v in values[1:13] if _text(v) != ""),
                )
                continue
            self.block(code, title, sheet.title, category, year, values[1:13])
            self.year_row(sheet.title, row_number, code, year, values, 2)

    def annual_sheet(self, sheet) -> None:
        """The annual report's layout: a row with a category heading, then one row per metric
        and year: mått (blank repeats the one above), år, jan … dec."""
        category: str | None = None
        code: str | None = None
        title = ""
        for row_number, values in self.rows(sheet):
            if _is_empty(values[:14]) or _is_annual_header(values):
                continue
            if values[0] is UNCACHED or values[1] is UNCACHED:
                column = "A" if values[0] is UNCACHED else "B"
                self.error(sheet.title, f"{column}{row_number}", UNCACHED_FORMULA_MESSAGE)
                continue
            first_text = _text(values[0])
            cells = sum(1 for v in values[2:14] if _text(v) != "")
            if _is_empty(values[1:14]):
                category = self.catalogue.category(first_text)
                code, title = None, ""
                if category is None:
                    names = ", ".join(f"”{name}”" for name in self.catalogue.categories)
                    self.error(
                        sheet.title,
                        f"A{row_number}",
                        f"”{first_text}” är ingen kategori. En rad med bara text i kolumn A "
                        f"ska vara en kategorirubrik: {names}.",
                    )
                continue
            if category is None:
                self.error(
                    sheet.title,
                    f"A{row_number}",
                    "Raden saknar en kategorirubrik ovanför (en rad med bara kategorins namn).",
                    cells,
                )
                continue
            if first_text and first_text != title:
                title = first_text
                code = self.title(sheet.title, f"A{row_number}", category, title)
            if not title:
                self.error(
                    sheet.title, f"A{row_number}", "Raden saknar måttets namn i kolumn A.", cells
                )
                continue
            year = _year_of(values[1])
            if year is None:
                year_text = _text(values[1])
                self.error(
                    sheet.title,
                    f"B{row_number}",
                    f"”{year_text}” är inget årtal (till exempel 2024)."
                    if year_text
                    else "Raden saknar årtal i kolumn B.",
                    cells,
                )
                continue
            self.block(code, title, sheet.title, category, year, values[2:14])
            self.year_row(sheet.title, row_number, code, year, values, 3)

    def looks_annual(self, sheet) -> bool:
        """A sheet in the annual report's layout: its first row with content is a category
        heading or the header `mått, år, jan … dec`."""
        for _, values in self.rows(sheet):
            if _is_empty(values[:14]):
                continue
            if _is_annual_header(values):
                return True
            return _is_empty(values[1:14]) and self.catalogue.category(_text(values[0])) is not None
        return False


def parse_workbook(fileobj, catalogue: Catalogue) -> ParseResult:
    """Read a workbook in the export layout (one sheet per category) or in the annual
    report's layout (one sheet, category headings, one row per metric and year). Titles are
    matched to the catalogue as `metrics.titles` describes; unknown titles are listed with
    the candidates for "Menade du …?", never guessed, and keep only their own rows out.

    The archive and the sheets' sizes are checked before anything is parsed (a zip bomb or a
    100 000-row sheet gets a message, not minutes of work). A formula without a cached value
    is refused at its cell: read as blank it would clear a stored value."""

    data = fileobj.read() if hasattr(fileobj, "read") else bytes(fileobj)
    try:
        checked = load_workbook_checked(data, read_only=True)
    except XlsxError as error:
        result = ParseResult()
        result.errors.append(CellProblem("", "", str(error)))
        return result
    reader = _Reader(catalogue, checked)
    for sheet in checked.workbook.worksheets:
        category = catalogue.category(sheet.title)
        if category is not None:
            reader.category_sheet(sheet, category)
        elif reader.looks_annual(sheet):
            reader.annual_sheet(sheet)
        else:
            reader.result.unknown_sheets.append(sheet.title)
    checked.close()
    return reader.result
