"""Pure checks for a metric value.

The soft checks (`value_warnings`) give warnings only: the person may confirm them with a
comment (the sources break these rules for good reasons). The month grid and the Excel import
both get their warnings from `value_warnings`, through `metrics.services.SoftChecks`.

`range_error` is the one hard check here: a value outside the metric's absolute range, kept in
the catalogue (`Metric.min_value`/`max_value`), cannot be stored (a percentage over 100 is a
typing error, not an unusual month).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from solna_sn.lib.numbers import format_number

OUTLIER_MIN_HISTORY = 6
# A jump from only 0 and "-" warns after this many reported months and above this size.
ZERO_JUMP_MIN_HISTORY = 2
ZERO_JUMP_MARGIN = Decimal(2)


def range_error(
    value: Decimal,
    min_value: Decimal | None,
    max_value: Decimal | None,
    decimals: int = 0,
) -> str | None:
    """A Swedish message when `value` lies outside the metric's configured range."""
    if min_value is not None and value < min_value:
        return (
            f"{format_number(value, decimals)} är lägre än det lägsta tillåtna värdet för "
            f"måttet, {format_number(min_value, decimals)}."
        )
    if max_value is not None and value > max_value:
        return (
            f"{format_number(value, decimals)} är högre än det högsta tillåtna värdet för "
            f"måttet, {format_number(max_value, decimals)}."
        )
    return None


def zero_jump_warning(
    value: Decimal, history: Sequence[Decimal | None], decimals: int = 0
) -> str | None:
    """Warn when a series that had only 0 and "-" (None) jumps: 1 023 where it was 0.

    `history` is the reported months of the last 24 (numbers, None for ej tillämpligt). The
    outlier check needs six numbers, so a short series of zeros, or one of dashes, would
    otherwise let any value through."""
    if len(history) < ZERO_JUMP_MIN_HISTORY:
        return None
    if any(earlier not in (None, 0) for earlier in history):
        return None
    if abs(value) <= ZERO_JUMP_MARGIN:
        return None
    return (
        f"{format_number(value, decimals)} är ett stort hopp: de {len(history)} tidigare "
        "rapporterade månaderna (senaste 24) är alla 0 eller ”-”."
    )


def outlier_warning(value: Decimal, history: Sequence[Decimal], decimals: int = 0) -> str | None:
    """Warn when `value` lies far outside the range of the earlier values (last 24 months).

    "Far" is half the range's width, at least a fifth of its top and at least 2, beyond either
    end, so steady small series (0–2 persons) do not warn at every change.
    """
    if len(history) < OUTLIER_MIN_HISTORY:
        return None
    low, high = min(history), max(history)
    margin = max((high - low) / 2, abs(high) / 5, Decimal(2))
    if low - margin <= value <= high + margin:
        return None
    return (
        f"{format_number(value, decimals)} ligger långt utanför de senaste 24 månadernas "
        f"värden ({format_number(low, decimals)}–{format_number(high, decimals)})."
    )


def days_limit_warning(
    *, value: Decimal, reference: Decimal, days: int, title: str, reference_title: str
) -> str | None:
    """Warn when e.g. vårddygn exceed personer × days in the month."""
    limit = reference * days
    if value <= limit:
        return None
    return (
        f"{title} ({format_number(value)}) är fler än {reference_title.lower()} × dagar i "
        f"månaden ({format_number(reference)} × {days} = {format_number(limit)})."
    )


@dataclass(frozen=True)
class DaysLimit:
    """One `MetricRule` of kind days_limit, with both values of the month: `value` (vårddygn)
    must not exceed `reference` (personer) × days."""

    value: Decimal
    reference: Decimal
    title: str
    reference_title: str


def value_warnings(
    value: Decimal,
    *,
    history: Sequence[Decimal | None],
    decimals: int = 0,
    days: int = 30,
    limits: Sequence[DaysLimit] = (),
) -> list[str]:
    """Every soft warning for a new number: a jump from only 0 and "-", else an outlier
    against the numbers of the last 24 months; then each days limit it takes part in."""
    warnings = []
    message = zero_jump_warning(value, history, decimals) or outlier_warning(
        value, [earlier for earlier in history if earlier is not None], decimals
    )
    if message:
        warnings.append(message)
    for limit in limits:
        if message := days_limit_warning(
            value=limit.value,
            reference=limit.reference,
            days=days,
            title=limit.title,
            reference_title=limit.reference_title,
        ):
            warnings.append(message)
    return warnings
