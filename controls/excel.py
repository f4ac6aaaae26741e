"""The internkontrollplan in Excel, in the verksamhetsplan's table layout: `Process | Risk |
Riskindex | Kontrollmoment | Hur ska kontrollen utföras och när`, the Process cell merged over
its risks.

`export_plan_workbook` writes a plan; `parse_plan_workbook` is pure (no database) and reports
every problem in Swedish with its cell or row; `import_plan` creates a draft plan from a sheet,
all rows or nothing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from controls import rules, services
from controls.models import ControlMethod, ControlPlan, PlanState, Process, Risk, RiskCategory
from solna_sn import audit, permissions
from solna_sn.forms import integer_limits, text_max_length
from solna_sn.lib.numbers import format_number
from solna_sn.lib.periods import MONTH_NAMES
from solna_sn.lib.text import text_problem
from solna_sn.lib.xlsx import (
    UNCACHED_FORMULA_MESSAGE,
    append_header,
    append_row,
    load_workbook_checked,
    workbook_bytes,
)

# The verksamhetsplan's columns, in print order: (field, title).
PLAN_COLUMNS = (
    ("process_name", "Process"),
    ("title", "Risk"),
    ("risk_index", "Riskindex"),
    ("control_activity", "Kontrollmoment"),
    ("how_when", "Hur ska kontrollen utföras och när"),
)
# Read when present; the verksamhetsplan prints only the index.
OPTIONAL_COLUMNS = (
    ("likelihood", "Sannolikhet"),
    ("consequence", "Konsekvens"),
)
TITLES = dict(PLAN_COLUMNS + OPTIONAL_COLUMNS)
PLAN_WIDTHS = (22, 45, 11, 45, 60)

DETAIL_COLUMNS = (
    ("Nr", 6),
    ("Process", 22),
    ("Risk", 45),
    ("Kategori", 20),
    ("Sannolikhet", 12),
    ("Konsekvens", 12),
    ("Riskindex", 11),
    ("Metod", 20),
    ("Stickprov", 10),
    ("Kontrollmånader", 28),
    ("Ansvarig enhet", 28),
    ("Ansvarig funktion", 24),
)

PROCESS_NAME_MAX = Process._meta.get_field("name").max_length
HEADER_SEARCH_ROWS = 30  # the header is looked for among the sheet's first rows
# A VP table has some thirty risks; page-broken rows and repeated headers add a few. Anything
# far beyond is refused before the cells are read.
MAX_ROWS = 2_000
MAX_COLUMNS = 40
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024


# --- Export -----------------------------------------------------------------------------------


def _month_names(months: list[int]) -> str:
    return ", ".join(MONTH_NAMES[m - 1] for m in months)


def export_plan_workbook(plan: ControlPlan) -> bytes:
    """The plan as the verksamhetsplan prints it, plus a sheet "Detaljer" with every field."""

    wrap = Alignment(wrap_text=True, vertical="top")
    groups = services.grouped_risks(plan)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Internkontrollplan {plan.year}"
    title = f"{plan} – {plan.committee.name}"
    if plan.state != PlanState.ADOPTED:
        title += f" ({plan.get_state_display().lower()})"
    append_row(sheet, [title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    append_header(sheet, [title for _, title in PLAN_COLUMNS], PLAN_WIDTHS, wrap=True)
    for group in groups:
        first = sheet.max_row + 1
        for position, risk in enumerate(group.risks):
            append_row(
                sheet,
                [
                    group.process.name if position == 0 else None,
                    risk.title,
                    risk.risk_index,
                    risk.control_activity,
                    risk.how_when,
                ],
            )
            for cell in sheet[sheet.max_row]:
                cell.alignment = wrap
            sheet.cell(row=sheet.max_row, column=3).number_format = "0"
        if len(group.risks) > 1:
            sheet.merge_cells(start_row=first, start_column=1, end_row=sheet.max_row, end_column=1)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"  # the header repeats on every printed page, as in the VP
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    details = workbook.create_sheet("Detaljer")
    append_header(
        details,
        [title for title, _ in DETAIL_COLUMNS],
        [width for _, width in DETAIL_COLUMNS],
        wrap=True,
    )
    for group in groups:
        for risk in group.risks:
            append_row(
                details,
                [
                    risk.number,
                    group.process.name,
                    risk.title,
                    risk.get_category_display(),
                    risk.likelihood,
                    risk.consequence,
                    risk.risk_index,
                    risk.get_method_display(),
                    risk.sample_size,
                    _month_names(risk.control_months),
                    risk.responsible_unit.name if risk.responsible_unit else "",
                    risk.responsible_role,
                ],
            )
            for cell in details[details.max_row]:
                cell.alignment = wrap
    details.freeze_panes = "A2"
    return workbook_bytes(workbook)


# --- Parse ------------------------------------------------------------------------------------


@dataclass
class ParsedRisk:
    process_name: str
    title: str
    risk_index: int
    likelihood: int | None
    consequence: int | None
    control_activity: str
    how_when: str
    control_months: list[int]
    method: str
    sample_size: int | None
    row: int  # the sheet row the risk starts on

    @property
    def method_label(self) -> str:
        return ControlMethod(self.method).label

    @property
    def month_names(self) -> str:
        return rules.month_list(self.control_months)


@dataclass
class PlanSheet:
    rows: list[ParsedRisk] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _RawRow:
    """One table row as read, before checking; continuation rows are already appended."""

    number: int
    values: dict[str, object]


class _CellProblem:
    """A cell whose value cannot be used: an error such as #DIV/0!, or a formula saved without
    its value (which `data_only` would read as blank)."""

    def __init__(self, message: str):
        self.message = message


def _text(value) -> str:
    return "" if value is None or isinstance(value, _CellProblem) else str(value).strip()


def _title_key(value) -> str:
    """Header cells compare case-insensitively, with any run of whitespace as one space and
    a trailing colon or question mark ignored."""
    return " ".join(_text(value).split()).lower().rstrip(":?").strip()


TEXT_LIMITS = {
    name: text_max_length(Risk, name) for name in ("title", "control_activity", "how_when")
}

_KNOWN_TITLES = {_title_key(title): name for name, title in PLAN_COLUMNS + OPTIONAL_COLUMNS}


def _quoted_list(titles: list[str]) -> str:
    quoted = [f"”{title}”" for title in titles]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " och " + quoted[-1]


# What the integer columns hold (PositiveSmallIntegerField), whatever the database.
INTEGER_LIMITS = integer_limits(Risk, "risk_index")


def _integer(value) -> int | None:
    """An integer cell: 12, 12.0 and "12" are read; ValueError (Swedish) for anything else,
    including infinity and numbers the column cannot hold."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"”{value}” är inte ett heltal.")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("Värdet är inte ett tal (oändligt eller odefinierat).")
        if not value.is_integer():
            raise ValueError(f"{str(value).replace('.', ',')} är inte ett heltal.")
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = _text(value)
        if len(text) > 40:
            raise ValueError("Cellen ska innehålla ett heltal.")
        if re.fullmatch(r"[+-]?\d+", text):
            number = int(text)
        elif re.fullmatch(r"[+-]?\d+[.,]0+", text):
            number = int(re.split(r"[.,]", text)[0])
        else:
            raise ValueError(f"”{text}” är inte ett heltal.")
    low, high = INTEGER_LIMITS["min_value"], INTEGER_LIMITS["max_value"]
    if number > high:
        raise ValueError(f"Talet är för stort: högst {format_number(high)}.")
    if number < low:
        raise ValueError(f"Talet får inte vara mindre än {format_number(low)}.")
    return number


def _method(control_activity: str, how_when: str) -> tuple[str, int | None]:
    """The control method from the texts: a stickprov whose size is stated, else all cases
    ("samtliga"), else a document review, else another method. A stickprov without a stated
    size (the VP has "Kontroll genom stickprov av placeringar …") falls through to the other
    rules: a sample needs a size, and the texts name none."""
    text = f"{control_activity} {how_when}".lower()
    if "stickprov" in text:
        size = rules.sample_size_in_text(how_when) or rules.sample_size_in_text(control_activity)
        if size:
            return ControlMethod.SAMPLE, size
    if "samtliga" in text:
        return ControlMethod.TOTAL, None
    if "dokumentation" in text or "granskning" in text:
        return ControlMethod.DOCUMENT, None
    return ControlMethod.OTHER, None


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int], list[str]]:
    """(row number, field → column index, errors) for the header row: the first row naming
    all the VP columns, else the row naming most of them (at least two). Row number 0 when
    none is found."""
    best: tuple[int, int, dict[str, int], list[str]] | None = None  # found, row, …
    for number, values in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        columns: dict[str, int] = {}
        errors: list[str] = []
        for index, value in enumerate(values):
            name = _KNOWN_TITLES.get(_title_key(value))
            if name is None:
                continue
            if name in columns:
                errors.append(
                    f"Kolumnen ”{TITLES[name]}” finns två gånger i rubrikraden (rad {number})."
                )
                continue
            columns[name] = index
        found = sum(1 for name, _ in PLAN_COLUMNS if name in columns)
        if found == len(PLAN_COLUMNS):
            return number, columns, errors
        if found >= 2 and (best is None or found > best[0]):
            best = (found, number, columns, errors)
    if best is None:
        return 0, {}, []
    _, number, columns, errors = best
    missing = [title for name, title in PLAN_COLUMNS if name not in columns]
    if len(missing) == 1:
        errors.append(f"Kolumnen {_quoted_list(missing)} saknas i rubrikraden (rad {number}).")
    else:
        errors.append(f"Kolumnerna {_quoted_list(missing)} saknas i rubrikraden (rad {number}).")
    return number, columns, errors


def _load_rows(data: bytes) -> tuple[str, list[tuple]]:
    """The first sheet's title and cell values; ValueError (Swedish) if it cannot be read.

    The archive's unpacked size and the sheets' rows and columns are checked before the cells
    are read. An error cell or a formula without a saved value is a `_CellProblem`."""
    # Not read-only: merged Process cells then read as empty below their first cell.
    checked = load_workbook_checked(
        data,
        max_rows=MAX_ROWS,
        max_columns=MAX_COLUMNS,
        max_uncompressed=MAX_UNCOMPRESSED_BYTES,
    )
    try:
        if not checked.workbook.worksheets:
            raise ValueError("Excelfilen innehåller inga blad.")
        sheet = checked.workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows():
            values = []
            for cell in row:
                if cell.data_type == "e":
                    values.append(
                        _CellProblem(
                            f"Cellen innehåller felvärdet {cell.value}. Rätta formeln i Excel "
                            "eller skriv in värdet."
                        )
                    )
                elif cell.value is None and checked.is_uncached_formula(
                    sheet.title, cell.coordinate
                ):
                    values.append(_CellProblem(UNCACHED_FORMULA_MESSAGE))
                else:
                    values.append(cell.value)
            rows.append(tuple(values))
        return sheet.title, rows
    finally:
        checked.close()


def parse_plan_workbook(data: bytes, *, scale_max: int) -> PlanSheet:
    """Read the plan table from the first sheet of an .xlsx file. Never raises for bad input:
    every problem is in `errors`, and `rows` holds the risks that had none."""

    result = PlanSheet()
    try:
        sheet_title, rows = _load_rows(data)
    except ValueError as error:
        result.errors.append(str(error))
        return result
    if not any(_text(value) for row in rows for value in row):
        result.errors.append(f"Första bladet (”{sheet_title}”) är tomt.")
        return result
    header_row, columns, header_errors = _find_header(rows)
    if not header_row:
        result.errors.append(
            f"Hittar ingen rubrikrad på första bladet (”{sheet_title}”). Tabellen ska ha "
            f"kolumnerna {_quoted_list([title for _, title in PLAN_COLUMNS])}."
        )
        return result
    result.errors.extend(header_errors)
    if header_errors:
        return result

    def ref(name: str, row: int) -> str:
        return f"Cell {get_column_letter(columns[name] + 1)}{row} ({TITLES[name]})"

    # Gather the table rows, joining page-broken continuations to the row above.
    table: list[_RawRow] = []
    for number, values in enumerate(rows[header_row:], start=header_row + 1):
        row = {
            name: values[index] if index < len(values) else None for name, index in columns.items()
        }
        filled = [
            name for name, value in row.items() if isinstance(value, _CellProblem) or _text(value)
        ]
        if not filled:
            continue
        if all(_title_key(row[name]) == _title_key(title) for name, title in PLAN_COLUMNS):
            continue  # the header repeated after a page break
        if filled == ["how_when"] and table and not isinstance(row["how_when"], _CellProblem):
            previous = table[-1].values
            previous["how_when"] = f"{_text(previous['how_when'])} {_text(row['how_when'])}"
            continue
        table.append(_RawRow(number, row))
    if not table:
        result.errors.append(f"Tabellen har inga risker under rubrikraden (rad {header_row}).")
        return result

    process = ""
    for raw in table:
        number, values = raw.number, raw.values
        problems = [
            f"{ref(key, number)}: {value.message}"
            for key, value in values.items()
            if isinstance(value, _CellProblem)
        ]
        if problems:
            # Read as blank, the cell would silently become "no value"; say so and go on.
            result.errors.extend(problems)
            continue
        errors: list[str] = []
        name = " ".join(_text(values["process_name"]).split())
        if len(name) > PROCESS_NAME_MAX:
            errors.append(
                f"{ref('process_name', number)}: Processens namn får vara högst "
                f"{PROCESS_NAME_MAX} tecken."
            )
        elif problem := text_problem(name, max_length=PROCESS_NAME_MAX, multiline=False):
            errors.append(f"{ref('process_name', number)}: {problem}")
        elif name:
            process = name
        elif not process:
            errors.append(
                f"{ref('process_name', number)}: Den första risken saknar process. "
                "Skriv processens namn i cellen."
            )
        texts = {}
        for key, message in (
            ("title", "Beskriv risken."),
            ("control_activity", "Beskriv kontrollmomentet."),
            ("how_when", "Beskriv hur och när kontrollen ska utföras."),
        ):
            texts[key] = _text(values[key])
            if not texts[key]:
                errors.append(f"{ref(key, number)}: {message}")
            elif problem := text_problem(texts[key], max_length=TEXT_LIMITS[key]):
                errors.append(f"{ref(key, number)}: {problem}")
                texts[key] = ""
        numbers: dict[str, int | None] = {}
        readable = True
        for key in ("risk_index", "likelihood", "consequence"):
            numbers[key] = None
            if key not in columns:
                continue
            try:
                numbers[key] = _integer(values[key])
            except ValueError as error:
                errors.append(f"{ref(key, number)}: {error}")
                readable = False  # the index rules below would only repeat the problem
        index = None
        if readable:
            try:
                index = rules.risk_index(
                    likelihood=numbers["likelihood"],
                    consequence=numbers["consequence"],
                    index=numbers["risk_index"],
                    scale_max=scale_max,
                )
            except rules.RuleError as error:
                where = error.field if error.field in columns else "risk_index"
                errors.append(f"{ref(where, number)}: {error}")
        months = rules.months_in_text(texts["how_when"])
        if texts["how_when"] and not months:
            errors.append(
                f"{ref('how_when', number)}: Ingen kontrollmånad hittades i texten. Skriv ut "
                "månaderna, till exempel ”Kontrollen ska genomföras i april och oktober.”"
            )
        method, sample_size = _method(texts["control_activity"], texts["how_when"])
        if sample_size is not None and sample_size > rules.SAMPLE_SIZE_MAX:
            where = (
                "how_when" if rules.sample_size_in_text(texts["how_when"]) else "control_activity"
            )
            errors.append(f"{ref(where, number)}: {rules.SAMPLE_SIZE_MESSAGE}")
        if errors:
            result.errors.extend(errors)
            continue
        result.rows.append(
            ParsedRisk(
                process_name=process,
                title=texts["title"],
                risk_index=index,
                likelihood=numbers["likelihood"],
                consequence=numbers["consequence"],
                control_activity=texts["control_activity"],
                how_when=texts["how_when"],
                control_months=months,
                method=method,
                sample_size=sample_size,
                row=number,
            )
        )
    return result


# --- Import -----------------------------------------------------------------------------------


def import_plan(*, committee, year: int, data: bytes, by) -> ControlPlan:
    """A new draft plan for `year` with the sheet's risks: every row or, on any error,
    nothing (ValidationError with the Swedish messages)."""
    if not permissions.can_edit_control_plan(by):
        raise PermissionDenied
    with transaction.atomic():
        scale_max = services.settings_for(committee).scale_max
        sheet = parse_plan_workbook(data, scale_max=scale_max)
        if sheet.errors:
            raise ValidationError(sheet.errors)
        plan = services.plan_create(committee=committee, year=year, by=by)
        for row in sheet.rows:
            try:
                services.risk_save(
                    plan=plan,
                    data={
                        "process_name": row.process_name,
                        "title": row.title,
                        "category": RiskCategory.VERKSAMHETSPROCESSER,
                        "likelihood": row.likelihood,
                        "consequence": row.consequence,
                        "risk_index": row.risk_index,
                        "control_activity": row.control_activity,
                        "method": row.method,
                        "sample_size": row.sample_size,
                        "how_when": row.how_when,
                        "control_months": row.control_months,
                        "responsible_unit": None,
                        "responsible_role": "",
                    },
                    by=by,
                )
            except ValidationError as error:
                raise ValidationError(
                    [f"Rad {row.row}: {message}" for message in error.messages]
                ) from error
        audit.record(
            "control_plan.imported", by=by, target=plan, changes={"rader": (None, len(sheet.rows))}
        )
    return plan
