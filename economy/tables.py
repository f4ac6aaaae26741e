"""The arithmetic of the economic tables: sums, derived columns and soft checks. Pure, no Django.

DESIGN.md §4 rule 1: figures people give are kept as given. A sum row or a derived column is
computed only where no figure is given, and where a given figure disagrees with the arithmetic
beyond the tolerance a warning is produced; nothing is ever corrected. The printed sources
compute their totals from unrounded data, so a printed total may miss the sum of the printed
rows by up to half a unit per row: the tolerance is one printed unit (0,1 at one decimal) per
row the sum covers.

Rule 2: the sign convention and the operand order of every derived column belong to the table
definition (here: `TableSpec`), never to this code. "Förändring" is `A − B` with A and B chosen
by the definition, so the VP's "Budget 2024 − Budget 2025" and the personnel table's "2024 −
2023" are the same formula with different operands.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from decimal import Decimal

from solna_sn.lib.numbers import format_number, format_percent

HUNDRED = Decimal(100)
TWELVE = Decimal(12)


class RowKind(enum.StrEnum):
    LINE = "line"
    SUBTOTAL = "subtotal"
    TOTAL = "total"

    @property
    def is_sum(self) -> bool:
        return self is not RowKind.LINE


class Sign(enum.StrEnum):
    """The sign an amount of the row has under the table's convention."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    ANY = "any"


class Figure(enum.StrEnum):
    """What a given column holds."""

    OUTCOME = "outcome"  # utfall för perioden
    OUTCOME_PREV = "outcome_prev"  # utfall samma period föregående år
    ANNUAL_BUDGET = "annual_budget"  # årsbudget (the sheet's budget version)
    PERIOD_BUDGET = "period_budget"  # periodbudget, when it is not årsbudget × months / 12
    FORECAST = "forecast"  # årsprognos
    BUDGET_PREV = "budget_prev"  # föregående års budget (the sheet's earlier budget version)

    @property
    def is_budget(self) -> bool:
        return self in (Figure.ANNUAL_BUDGET, Figure.BUDGET_PREV)

    @property
    def label(self) -> str:
        return FIGURE_LABELS[self]


# In a formula beside a bare year: "Utfall 2024 − Utfall 2023".
FIGURE_SHORT = {
    Figure.OUTCOME: "Utfall",
    Figure.OUTCOME_PREV: "Utfall",
    Figure.ANNUAL_BUDGET: "Budget",
    Figure.BUDGET_PREV: "Budget",
}
FIGURE_LABELS = {
    Figure.OUTCOME: "Utfall",
    Figure.OUTCOME_PREV: "Utfall föregående år",
    Figure.ANNUAL_BUDGET: "Årsbudget",
    Figure.PERIOD_BUDGET: "Periodbudget",
    Figure.FORECAST: "Årsprognos",
    Figure.BUDGET_PREV: "Budget föregående år",
}


class Derived(enum.StrEnum):
    """Derived columns. Every one but PERCENT_CHANGE and BUDGET_VARIANCE is A − B."""

    PERCENT_CHANGE = "percent_change"  # (A − B) / B × 100
    BUDGET_VARIANCE = "budget_variance"  # A − periodbudget, periodbudget = B × months / 12
    FORECAST_VARIANCE = "forecast_variance"  # A − B
    CHANGE = "change"  # A − B
    DIFFERENCE = "difference"  # A − B
    REMAINING = "remaining"  # A − B

    @property
    def additive(self) -> bool:
        """Whether the values of the rows add up to the value of their sum row."""
        return self is not Derived.PERCENT_CHANGE


@dataclass(frozen=True)
class RowSpec:
    code: str
    label: str
    kind: RowKind = RowKind.LINE
    covers: tuple[str, ...] = ()
    sign: Sign = Sign.ANY


@dataclass(frozen=True)
class ColumnSpec:
    code: str
    header: str
    figure: Figure | None = None
    derived: Derived | None = None
    a: str | None = None
    b: str | None = None
    decimals: int = 1
    sum_rows_only: bool = False
    percent_sign: bool = True
    printed: bool = True

    @property
    def is_derived(self) -> bool:
        return self.derived is not None

    @property
    def additive(self) -> bool:
        return self.derived is None or self.derived.additive

    @property
    def unit(self) -> Decimal:
        """One unit of the last printed decimal: 0,1 at one decimal."""
        return Decimal(1).scaleb(-self.decimals)

    @property
    def operand_name(self) -> str:
        """The column's name in a formula: its header, or "Utfall 2024" for a bare year."""
        bare = re.sub(r"\{[^}]*\}|[\d\s/%]", "", self.header)
        if self.figure is not None and not bare:
            return f"{FIGURE_SHORT.get(self.figure, self.figure.label)} {self.header}".strip()
        return self.header


class SpecError(ValueError):
    """A table definition that cannot be computed; str() is Swedish."""


@dataclass(frozen=True)
class TableSpec:
    rows: tuple[RowSpec, ...]
    columns: tuple[ColumnSpec, ...]

    def __post_init__(self):
        validate(self)

    def row(self, code: str) -> RowSpec:
        return self._rows[code]

    def column(self, code: str) -> ColumnSpec:
        return self._columns[code]

    @property
    def _rows(self) -> dict[str, RowSpec]:
        return {row.code: row for row in self.rows}

    @property
    def _columns(self) -> dict[str, ColumnSpec]:
        return {column.code: column for column in self.columns}

    def period_budget_column(self) -> ColumnSpec | None:
        return next((c for c in self.columns if c.figure is Figure.PERIOD_BUDGET), None)


def validate(spec: TableSpec) -> None:
    """Refuse definitions the arithmetic cannot follow: unknown or derived-on-derived operands
    of the wrong kind, sums over unknown rows, sums that include themselves."""
    rows = {row.code: row for row in spec.rows}
    columns = {column.code: column for column in spec.columns}
    if len(rows) != len(spec.rows):
        raise SpecError("Två rader har samma kod.")
    if len(columns) != len(spec.columns):
        raise SpecError("Två kolumner har samma kod.")
    for row in spec.rows:
        if row.kind.is_sum and not row.covers:
            raise SpecError(f"Summaraden ”{row.label}” anger inte vilka rader den summerar.")
        if not row.kind.is_sum and row.covers:
            raise SpecError(f"Raden ”{row.label}” är ingen summarad men anger rader att summera.")
        for code in row.covers:
            if code not in rows:
                raise SpecError(f"Summaraden ”{row.label}” summerar en okänd rad ({code}).")
    for row in spec.rows:
        _check_no_cycle(row.code, rows, ())
    for column in spec.columns:
        if (column.figure is None) == (column.derived is None):
            raise SpecError(
                f"Kolumnen ”{column.header}” ska vara antingen en angiven siffra eller beräknad."
            )
        if column.derived is None:
            continue
        for operand in (column.a, column.b):
            if operand not in columns:
                raise SpecError(f"Kolumnen ”{column.header}” räknar med en okänd kolumn.")
            if columns[operand].is_derived:
                raise SpecError(
                    f"Kolumnen ”{column.header}” räknar med en annan beräknad kolumn; "
                    "räkna med angivna siffror."
                )


def _check_no_cycle(code: str, rows: dict[str, RowSpec], path: tuple[str, ...]) -> None:
    if code in path:
        raise SpecError(f"Summaraden ”{rows[code].label}” summerar sig själv.")
    for covered in rows[code].covers:
        _check_no_cycle(covered, rows, (*path, code))


def fill_header(template: str, year: int) -> str:
    """Fill a header template: {år} → 2024, {fg_år} → 2023, {åå} → 24, {fg_åå} → 23. Plain
    replacement, never str.format (the templates are user data)."""
    return (
        template.replace("{fg_år}", str(year - 1))
        .replace("{fg_åå}", f"{(year - 1) % 100:02d}")
        .replace("{år}", str(year))
        .replace("{åå}", f"{year % 100:02d}")
    )


# --- Formulas ------------------------------------------------------------------------------


def percent_change(current: Decimal, previous: Decimal) -> Decimal | None:
    """(current − previous) / previous × 100; None when previous is zero.

    Divides by the signed previous value, so a net cost that grows (−129,0 → −138,2) is +7,1 %
    and costs that shrink (−166,0 → −164,3) are −1,0 %: the change of the magnitude."""
    if previous == 0:
        return None
    return (current - previous) / previous * HUNDRED


def period_budget(annual_budget: Decimal, months: int) -> Decimal:
    """Linear period budget ("linjärt budgetutfall"): årsbudget × months / 12."""
    return annual_budget * Decimal(months) / TWELVE


def budget_variance(
    outcome: Decimal, annual_budget: Decimal | None, months: int, given_period_budget=None
) -> Decimal | None:
    """Budgetavvikelse = utfall − periodbudget; the period budget is the given one, or
    årsbudget × months / 12. Positive is favourable under the revenue +, cost − convention."""
    if given_period_budget is not None:
        return outcome - given_period_budget
    if annual_budget is None:
        return None
    return outcome - period_budget(annual_budget, months)


def difference(a: Decimal, b: Decimal) -> Decimal:
    return a - b


def formula_text(
    column: ColumnSpec, spec: TableSpec, months: int, *, with_period_budget: bool = False
) -> str:
    """The column's formula in words, with the operands' names: "Årsprognos − Årsbudget".
    A budget variance reads "Utfall 2024 − Årsbudget × 8/12", or "… − Periodbudget" where a
    period budget is given (`with_period_budget`)."""
    if column.derived is None:
        return ""
    a = spec.column(column.a).operand_name
    b = spec.column(column.b).operand_name
    if column.derived is Derived.PERCENT_CHANGE:
        return f"({a} − {b}) / {b} × 100"
    if column.derived is Derived.BUDGET_VARIANCE:
        period = spec.period_budget_column()
        if with_period_budget and period is not None:
            return f"{a} − {period.operand_name}"
        return f"{a} − {b} × {months}/12"
    return f"{a} − {b}"


# --- Computing a table ----------------------------------------------------------------------


class CheckKind(enum.StrEnum):
    SUM = "sum"
    FORMULA = "formula"
    SIGN = "sign"


@dataclass(frozen=True)
class Check:
    """A given figure compared with the arithmetic. `ok` when within tolerance; `rounding` when
    it differs, but only as much as rounding of the printed figures can explain."""

    kind: CheckKind
    row: str
    column: str
    given: Decimal
    expected: Decimal | None
    tolerance: Decimal
    message: str = ""

    @property
    def difference(self) -> Decimal:
        return Decimal(0) if self.expected is None else abs(self.given - self.expected)

    @property
    def ok(self) -> bool:
        return self.kind is not CheckKind.SIGN and self.difference <= self.tolerance

    @property
    def rounding(self) -> bool:
        return self.ok and self.difference != 0


@dataclass(frozen=True)
class CellResult:
    given: Decimal | None
    computed: Decimal | None
    shown: bool = True  # False where the column is printed on sum rows only
    checks: tuple[Check, ...] = ()

    @property
    def value(self) -> Decimal | None:
        """What is printed: the given figure, else the computed one."""
        if not self.shown:
            return None
        return self.given if self.given is not None else self.computed

    @property
    def warnings(self) -> list[str]:
        return [check.message for check in self.checks if not check.ok]

    @property
    def rounding(self) -> bool:
        return any(check.rounding for check in self.checks)


@dataclass
class TableResult:
    spec: TableSpec
    months: int
    cells: dict[tuple[str, str], CellResult] = field(default_factory=dict)

    def cell(self, row: str, column: str) -> CellResult:
        return self.cells[(row, column)]

    def value(self, row: str, column: str) -> Decimal | None:
        return self.cells[(row, column)].value

    def text(self, row: str, column: str) -> str:
        column_spec = self.spec.column(column)
        return format_value(self.value(row, column), column_spec)

    @property
    def checks(self) -> list[Check]:
        return [check for cell in self.cells.values() for check in cell.checks]

    @property
    def warnings(self) -> list[str]:
        return [check.message for check in self.checks if not check.ok]


def format_value(value: Decimal | None, column: ColumnSpec) -> str:
    if value is None:
        return ""
    if column.derived is Derived.PERCENT_CHANGE and column.percent_sign:
        return format_percent(value, column.decimals)
    return format_number(value, column.decimals)


def _fmt(value: Decimal | None, column: ColumnSpec) -> str:
    """A computed figure in a message: one decimal more than printed when it has more, so
    0,5333 shows as 0,53 beside a printed 0,4."""
    if value is None:
        return "saknas"
    extra = 1 if value != value.quantize(column.unit) else 0
    return format_number(value, column.decimals + extra)


def _percent_tolerance(current: Decimal, previous: Decimal, a: ColumnSpec, b: ColumnSpec):
    """How far a percentage computed from rounded figures can be from the unrounded one:
    the operands' half units propagated, plus half a unit of the printed percentage."""
    half_a = a.unit / 2
    half_b = b.unit / 2
    spread = HUNDRED * (half_a / abs(previous) + abs(current) * half_b / (previous * previous))
    return spread + Decimal(5).scaleb(-1 - a.decimals)


def compute(
    spec: TableSpec, given: dict[tuple[str, str], Decimal | None], *, months: int
) -> TableResult:
    """Every cell of the table: the given figure, the computed one, and the checks of given
    figures against the arithmetic. `given` maps (row code, column code) to a figure; missing
    keys and None mean "not given". `months` is the length of the period (8 per augusti)."""
    result = TableResult(spec, months)
    rows = {row.code: row for row in spec.rows}
    base_columns = [column for column in spec.columns if not column.is_derived]
    derived_columns = [column for column in spec.columns if column.is_derived]
    shown: dict[tuple[str, str], Decimal | None] = {}
    period_budget_column = spec.period_budget_column()

    def base_value(row_code: str, column: ColumnSpec) -> Decimal | None:
        key = (row_code, column.code)
        if key in shown:
            return shown[key]
        row = rows[row_code]
        value_given = given.get(key)
        computed = None
        checks = []
        if row.kind.is_sum:
            parts = [base_value(code, column) for code in row.covers]
            if all(part is not None for part in parts):
                computed = sum(parts, Decimal(0))
                if value_given is not None:
                    checks.append(_sum_check(row, column, value_given, computed))
        if value_given is not None:
            checks.extend(_sign_checks(row, column, value_given))
        value = value_given if value_given is not None else computed
        shown[key] = value
        result.cells[key] = CellResult(value_given, computed, True, tuple(checks))
        return value

    for column in base_columns:
        for row in spec.rows:
            base_value(row.code, column)

    for column in derived_columns:
        a = spec.column(column.a)
        b = spec.column(column.b)
        for row in spec.rows:
            key = (row.code, column.code)
            value_given = given.get(key)
            display = row.kind.is_sum or not column.sum_rows_only
            va, vb = shown[(row.code, a.code)], shown[(row.code, b.code)]
            computed = None
            tolerance = column.unit
            given_period = None
            if column.derived is Derived.BUDGET_VARIANCE:
                given_period = (
                    shown.get((row.code, period_budget_column.code))
                    if period_budget_column is not None
                    else None
                )
                if va is not None:
                    computed = budget_variance(va, vb, months, given_period)
            elif va is not None and vb is not None:
                if column.derived is Derived.PERCENT_CHANGE:
                    computed = percent_change(va, vb)
                    if computed is not None:
                        tolerance = max(column.unit, _percent_tolerance(va, vb, a, b))
                else:
                    computed = difference(va, vb)
            checks = []
            if value_given is not None and computed is not None:
                checks.append(
                    Check(
                        CheckKind.FORMULA,
                        row.code,
                        column.code,
                        value_given,
                        computed,
                        tolerance,
                        _formula_message(
                            row,
                            column,
                            value_given,
                            computed,
                            formula_text(
                                column,
                                spec,
                                months,
                                with_period_budget=column.derived is Derived.BUDGET_VARIANCE
                                and given_period is not None,
                            ),
                        ),
                    )
                )
            result.cells[key] = CellResult(value_given, computed, display, tuple(checks))
        if not column.additive:
            continue
        # A given sum of a derived column is also checked against its rows, as printed.
        for row in spec.rows:
            cell = result.cells[(row.code, column.code)]
            if not row.kind.is_sum or cell.given is None:
                continue
            parts = [_unhidden(result.cells[(code, column.code)]) for code in row.covers]
            if all(part is not None for part in parts):
                check = _sum_check(row, column, cell.given, sum(parts, Decimal(0)))
                result.cells[(row.code, column.code)] = CellResult(
                    cell.given, cell.computed, cell.shown, (*cell.checks, check)
                )
    return result


def _unhidden(cell: CellResult) -> Decimal | None:
    return cell.given if cell.given is not None else cell.computed


def _sum_check(row: RowSpec, column: ColumnSpec, value: Decimal, computed: Decimal) -> Check:
    n = len(row.covers)
    tolerance = column.unit * n
    message = (
        f"{row.label}, {column.header}: angivet {format_number(value, column.decimals)} men "
        f"raderna summerar till {_fmt(computed, column)} (skillnad "
        f"{_fmt(abs(value - computed), column)}; avrundning förklarar högst "
        f"{format_number(tolerance, column.decimals)} för {n} rader)."
    )
    return Check(CheckKind.SUM, row.code, column.code, value, computed, tolerance, message)


def _formula_message(row, column, value, computed, formula) -> str:
    text = format_value(value, column)
    expected = (
        format_percent(computed, column.decimals + 1)
        if column.derived is Derived.PERCENT_CHANGE
        else _fmt(computed, column)
    )
    return f"{row.label}, {column.header}: angivet {text} men {formula} ger {expected}."


def _sign_checks(row: RowSpec, column: ColumnSpec, value: Decimal) -> list[Check]:
    """Amounts (not variances) of a cost row are negative, of a revenue row positive."""
    if row.sign is Sign.ANY or value == 0 or column.figure is None:
        return []
    if row.sign is Sign.NEGATIVE and value > 0:
        message = (
            f"{row.label}, {column.header}: {format_number(value, column.decimals)} är positivt, "
            "men raden redovisas med minustecken (kostnader är negativa i tabellen)."
        )
    elif row.sign is Sign.POSITIVE and value < 0:
        message = (
            f"{row.label}, {column.header}: {format_number(value, column.decimals)} är negativt, "
            "men raden redovisas som ett positivt belopp."
        )
    else:
        return []
    return [Check(CheckKind.SIGN, row.code, column.code, value, None, Decimal(0), message)]


# --- Verksamhetsplan ------------------------------------------------------------------------


def plan_change(last_year: Decimal | None, next_year: Decimal | None) -> Decimal | None:
    """The VP's "Förändring" = last year's budget − next year's budget (DESIGN.md §4 rule 2):
    Budget 2024 −226,8 and Budget 2025 −231,2 give 4,4, a higher net cost. None when either
    is missing. The seeded plan tables use the same formula as their derived column
    (Derived.CHANGE with A = last year, B = next year)."""
    if last_year is None or next_year is None:
        return None
    return difference(last_year, next_year)
