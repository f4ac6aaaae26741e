"""Pure rules for one metric cell: parsing what a person typed or an Excel cell held, and
printing a stored value. No database.

Cell semantics (the reports' tables): a number; "-" = ej tillämpligt; blank = ej rapporterat.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from solna_sn.lib.numbers import NumberFormatError, format_number, parse_number

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


def parse_cell(raw, *, decimals: int = 0, allow_negative: bool = False) -> Cell:
    """Interpret a typed or imported cell for a metric with `decimals` decimals.

    Accepts text ("1 023", "-", "", "12,5") and numbers from Excel (int, float, Decimal).
    A float from Excel is taken through its shortest repr, so 1023.0 is exactly 1023.
    """
    if raw is None:
        return NOT_REPORTED
    if isinstance(raw, bool):
        raise CellError("Ett sant/falskt-värde är inte ett tal.")
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CellError("Värdet är inte ett tal.")
        number = Decimal(repr(raw))
    elif isinstance(raw, int | Decimal):
        number = Decimal(raw)
    else:
        text = str(raw).strip()
        if text == "":
            return NOT_REPORTED
        if text in NOT_APPLICABLE_MARKS:
            return NOT_APPLICABLE
        try:
            number = parse_number(text)
        except NumberFormatError as error:
            raise CellError(str(error)) from None
    if number < 0 and not allow_negative:
        raise CellError(
            f"{format_number(number, _places(number))} är negativt; måttet kan "
            "inte vara mindre än 0."
        )
    if decimals == 0 and number != number.to_integral_value():
        raise CellError(f"{format_number(number, _places(number))} är inte ett heltal.")
    if _places(number) > decimals:
        raise CellError(f"Högst {decimals} decimaler är tillåtna.")
    return Cell.number(number.normalize() if number != 0 else Decimal(0))


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
