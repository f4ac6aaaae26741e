"""Key figures computed from a monthly series over a report period. Pure, no Django.

A monthly cell has three states (DESIGN.md §4 rule 3): a number, *ej tillämpligt* ("-") and
*ej rapporterat* (None, or no point at all for the month). The rules for a period:

- a month that is *ej rapporterat* makes the period incomplete: no figure, and a message
  that names the months (a mean of seven of eight months would be printed as if it were
  the mean of all eight);
- *ej tillämpligt* months are left out (the series was not measured then, e.g. it starts
  in April), and the source sentence says so;
- a period where every month is *ej tillämpligt* gives no figure, with a message.

Means are unweighted means of the monthly values, as in the reports: *medelbistånd jan–aug*
is the mean of the eight monthly *Snittbidrag* values (2024: 10 210,375 → "10 210").
Figures stay unrounded Decimals; rounding (half up) happens only when printed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from solna_sn.lib.numbers import format_number
from solna_sn.lib.periods import MONTH_ABBREVIATIONS, MONTH_NAMES

NOT_APPLICABLE = "-"


class Aggregation(enum.StrEnum):
    MEAN = "mean"
    SUM = "sum"
    LAST = "last"

    @property
    def label(self) -> str:
        return {"mean": "Medelvärde", "sum": "Summa", "last": "Senaste värde"}[self.value]


@dataclass(frozen=True)
class Figure:
    """The outcome of aggregating one series over one period. `value` is None exactly when
    `problem` says why."""

    value: Decimal | None
    used: tuple[int, ...] = ()
    not_applicable: tuple[int, ...] = ()
    missing: tuple[int, ...] = ()
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None


def _runs(months: Sequence[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for month in sorted(set(months)):
        if runs and runs[-1][1] == month - 1:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def month_span(months: Iterable[int], *, abbreviated: bool = True) -> str:
    """[1..8] → "jan–aug"; [9, 10, 11, 12] → "sep–dec"; [2, 5] → "feb och maj"."""
    names = MONTH_ABBREVIATIONS if abbreviated else MONTH_NAMES
    parts = [
        names[a - 1] if a == b else f"{names[a - 1]}–{names[b - 1]}" for a, b in _runs(list(months))
    ]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def aggregate(
    points: Iterable[tuple[int, object]],
    *,
    months: Sequence[int],
    how: Aggregation | str,
    title: str,
    year: int,
) -> Figure:
    """Aggregate the monthly `points` (month number, Decimal | None | "-") over `months`.

    Points outside `months` are ignored; a month without a point is *ej rapporterat*.
    `title` and `year` only go into the Swedish message."""
    how = Aggregation(how)
    by_month: dict[int, object] = {}
    for month, value in points:
        if month in months:
            by_month[month] = value
    used: list[int] = []
    values: list[Decimal] = []
    not_applicable: list[int] = []
    missing: list[int] = []
    for month in months:
        value = by_month.get(month)
        if value is None:
            missing.append(month)
        elif isinstance(value, str) and value == NOT_APPLICABLE:
            not_applicable.append(month)
        elif isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise TypeError(f"month {month}: {value!r} is not a Decimal, None or '-'")
        else:
            used.append(month)
            values.append(Decimal(value))
    period = f"{month_span(months)} {year}"
    if missing:
        word = "månaden" if len(missing) == 1 else "månaderna"
        return Figure(
            None,
            tuple(used),
            tuple(not_applicable),
            tuple(missing),
            f"Ingen siffra för {period}: ”{title}” är inte rapporterat för {word} "
            f"{month_span(missing, abbreviated=False)} {year}.",
        )
    if not values:
        return Figure(
            None,
            (),
            tuple(not_applicable),
            (),
            f"Ingen siffra för {period}: ”{title}” är ej tillämpligt under hela perioden.",
        )
    if how is Aggregation.MEAN:
        value = sum(values, Decimal(0)) / len(values)
    elif how is Aggregation.SUM:
        value = sum(values, Decimal(0))
    else:
        value = values[-1]
    return Figure(value, tuple(used), tuple(not_applicable), ())


def source_text(figure: Figure, *, how: Aggregation | str, title: str, year: int, origin: str):
    """Where a computed figure came from: "Medelvärde av ”Snittbidrag per månad, kr”
    jan–aug 2024 ur verksamhetsmåtten"."""
    how = Aggregation(how)
    months = sorted(figure.used + figure.not_applicable + figure.missing)
    text = f"{how.label} av ”{title}” {month_span(months)} {year}"
    if origin:
        text += f" {origin}"
    if figure.not_applicable and figure.used:
        text += f" ({month_span(figure.not_applicable)} ej tillämpligt)"
    return text


def rounded(value: Decimal | None, decimals: int) -> Decimal | None:
    """Half up, as printed: 10 210,375 → 10 210; 9 414,75 → 9 415."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def figure_text(value: Decimal | None, decimals: int, unit: str = "") -> str:
    """10 210 kr; "" for no value."""
    if value is None:
        return ""
    text = format_number(value, decimals)
    return f"{text} {unit}".strip() if unit else text
