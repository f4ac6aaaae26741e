"""Pure rules for one metric cell: parsing what a person typed or an Excel cell held, and
printing a stored value. No database.

Cell semantics (the reports' tables): a number; "-" = ej tillämpligt; blank = ej rapporterat.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from metrics import checks
from solna_sn.lib.numbers import (
    MAX_DECIMALS,
    NumberFormatError,
    check_limits,
    format_number,
    parse_number,
)

# Dashes people type (or Word/Excel substitute) for "ej tillämpligt".
NOT_APPLICABLE_MARKS = frozenset({"-", "–", "—", "−"})


class CellKind(enum.Enum):
    NUMBER = "number"
    NOT_APPLICABLE = "not_applicable"
    NOT_REPORTED = "not_reported"


@dataclass(frozen=True)
class Cell:
    kind: CellKind
    value: Decimal | None = None

    @classmethod
    def number(cls, value: Decimal) -> Cell:
        return cls(CellKind.NUMBER, value)

    @property
    def display(self) -> str:
        return format_cell(self.value, not_applicable=self.kind is CellKind.NOT_APPLICABLE)


NOT_APPLICABLE = Cell(CellKind.NOT_APPLICABLE)
NOT_REPORTED = Cell(CellKind.NOT_REPORTED)


class CellError(ValueError):
    """The cell cannot be stored; str(error) is a Swedish message for the person."""


NOT_A_NUMBER = "Värdet är inte ett tal (oändligt eller odefinierat)."
# Longer text is never a number; the message then does not repeat it.
_LONGEST_NUMBER_TEXT = 40


@dataclass(frozen=True)
class CellSpec:
    """What one metric accepts: its decimals and sign, its optional range from the catalogue,
    and the limits of the column the value is stored in (`max_digits`, `decimal_places`)."""

    decimals: int = 0
    allow_negative: bool = False
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    max_digits: int | None = None
    decimal_places: int | None = None

    def parse(self, raw) -> Cell:
        return parse_cell(
            raw,
            decimals=self.decimals,
            allow_negative=self.allow_negative,
            min_value=self.min_value,
            max_value=self.max_value,
            max_digits=self.max_digits,
            decimal_places=self.decimal_places,
        )


def parse_cell(
    raw,
    *,
    decimals: int = 0,
    allow_negative: bool = False,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    max_digits: int | None = None,
    decimal_places: int | None = None,
) -> Cell:
    """Interpret a typed or imported cell for a metric with `decimals` decimals.

    Accepts text ("1 023", "-", "", "12,5") and numbers from Excel (int, float, Decimal).
    A float from Excel is taken through its shortest repr, so 1023.0 is exactly 1023.
    `max_digits` and `decimal_places` are the storing column's limits: a value that does not
    fit (15 digits, 1e308), infinity and NaN are refused with a message, never passed on to the
    database. `min_value`/`max_value` are the metric's absolute range from the catalogue; a
    value outside it is a hard error (unlike the soft checks in `metrics.checks`).
    """
    if raw is None:
        return NOT_REPORTED
    if isinstance(raw, bool):
        raise CellError("Ett sant/falskt-värde är inte ett tal.")
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(NOT_A_NUMBER)
        number = Decimal(repr(raw))
    elif isinstance(raw, int | Decimal):
        number = Decimal(raw)
        if not number.is_finite():
            raise CellError(NOT_A_NUMBER)
    else:
        text = str(raw).strip()
        if text == "":
            return NOT_REPORTED
        if text in NOT_APPLICABLE_MARKS:
            return NOT_APPLICABLE
        if len(text) > _LONGEST_NUMBER_TEXT:
            if text.replace(" ", "").replace("\u00a0", "").isdigit():
                raise CellError("Talet är för stort.")
            raise CellError("Värdet är för långt för att vara ett tal.")
        try:
            number = parse_number(text)
        except NumberFormatError as error:
            raise CellError(str(error)) from None
    try:
        # The column's integer digits first, so -1e308 is "too large", not "negative".
        check_limits(
            number.to_integral_value(rounding=ROUND_DOWN),
            max_digits=max_digits,
            decimal_places=decimal_places,
        )
    except NumberFormatError as error:
        raise CellError(str(error)) from None
    if _places(number) > MAX_DECIMALS:  # 1e-300 from Excel: too long to print in a message
        raise CellError(
            "Ange ett heltal, utan decimaler." if decimals == 0 else _too_many_decimals(decimals)
        )
    if number < 0 and not allow_negative:
        raise CellError(
            f"{format_number(number, _places(number))} är negativt; måttet kan "
            "inte vara mindre än 0."
        )
    if decimals == 0 and number != number.to_integral_value():
        raise CellError(f"{format_number(number, _places(number))} är inte ett heltal.")
    if _places(number) > decimals:
        raise CellError(_too_many_decimals(decimals))
    try:
        check_limits(number, max_digits=max_digits, decimal_places=decimal_places)
    except NumberFormatError as error:
        raise CellError(str(error)) from None
    if message := checks.range_error(number, min_value, max_value, decimals):
        raise CellError(message)
    return Cell.number(number.normalize() if number != 0 else Decimal(0))


def _too_many_decimals(decimals: int) -> str:
    return f"Högst {decimals} decimaler är tillåtna."


def _places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_cell(value: Decimal | None, *, not_applicable: bool = False, decimals: int = 0) -> str:
    """Print a stored value as the reports do: "1 023", "-" or blank."""
    if not_applicable:
        return "-"
    if value is None:
        return ""
    return format_number(value, decimals)
