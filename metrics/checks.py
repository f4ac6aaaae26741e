"""Pure soft checks for a metric value. Warnings only: the person may confirm them with a
comment (the sources break these rules for good reasons)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from solna_sn.lib.numbers import format_number

OUTLIER_MIN_HISTORY = 6


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
