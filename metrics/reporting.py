"""What the follow-up reports print from the verksamhetsmått: per category, per metric a
year × jan–dec table for the report year and the two years before, the period aggregates a
text may quote, and which months of the period are not locked. Plain dataclasses.

This is the only module of `metrics` that the documents import. Reads only.

Cells are printed as stored (DESIGN.md §4 rule 3): a number, "-" for *ej tillämpligt* and for
months outside the metric's validity, blank for *ej rapporterat*. A metric gets a year row only
for years it is measured in, so a metric started 2024-04-01 prints only 2024.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from metrics import charts, queries
from metrics.models import Aggregation, MetricCategory, MonthState, MonthStatus
from solna_sn.lib.numbers import format_number
from solna_sn.lib.periods import MONTH_ABBREVIATIONS, Month, months_between
from solna_sn.models import Unit

__all__ = [
    "CategoryTables",
    "MetricTable",
    "PeriodAggregate",
    "UnlockedMonth",
    "YearRow",
    "aggregate",
    "chart_svg",
    "month_span",
    "unlocked_months",
    "verksamhetsmatt",
]


@dataclass(frozen=True)
class YearRow:
    year: int
    cells: tuple[str, ...]  # 12 printed cells: "1 023", "-", ""
    numbers: tuple[Decimal | None, ...]  # 12 values, None for "-" and blank


@dataclass(frozen=True)
class MetricTable:
    code: str
    title: str
    unit: str
    decimals: int
    aggregation: str  # "sum" / "mean"
    owner: str  # the responsible enhet
    rows: tuple[YearRow, ...]  # oldest year first, only years the metric is measured in


@dataclass(frozen=True)
class CategoryTables:
    code: str
    title: str
    metrics: tuple[MetricTable, ...]


@dataclass(frozen=True)
class UnlockedMonth:
    unit: str
    month: Month
    state: str  # "Öppen" / "Inrapporterad"


@dataclass(frozen=True)
class PeriodAggregate:
    """The mean (or sum) of a metric's monthly values over jan–`months` of a year."""

    code: str
    title: str
    year: int
    months: int
    aggregation: str
    value: Decimal | None  # unrounded; None when a month of the span has no number
    text: str  # rounded to the metric's decimals, "" when there is no value


def month_span(months: int) -> str:
    """ "jan–aug"; "jan" for one month."""
    if months == 1:
        return MONTH_ABBREVIATIONS[0]
    return f"{MONTH_ABBREVIATIONS[0]}–{MONTH_ABBREVIATIONS[months - 1]}"


def aggregate(numbers, aggregation: str) -> Decimal | None:
    """Sum or unweighted mean of monthly numbers; None when one of them is missing (a mean
    over fewer months would be a different figure). Pure."""
    numbers = list(numbers)
    if not numbers or any(n is None for n in numbers):
        return None
    total = sum(numbers, Decimal(0))
    return total if aggregation == Aggregation.SUM else total / len(numbers)


def _table(metric, values, first_year: int, last_year: int) -> MetricTable:
    rows = []
    for year in range(first_year, last_year + 1):
        months = [Month(year, m) for m in range(1, 13)]
        if not any(metric.is_valid_in(month) for month in months):
            continue
        rows.append(
            YearRow(
                year=year,
                cells=tuple(
                    queries.cell_text(metric, month, values.get(month)) for month in months
                ),
                numbers=tuple(
                    values[month].value if month in values and metric.is_valid_in(month) else None
                    for month in months
                ),
            )
        )
    return MetricTable(
        code=metric.code,
        title=metric.title,
        unit=metric.measure_unit,
        decimals=metric.decimals,
        aggregation=metric.aggregation,
        owner=str(metric.owner),
        rows=tuple(rows),
    )


def verksamhetsmatt(*, year: int, years: int = 3) -> tuple[CategoryTables, ...]:
    """Every category with its metrics measured in `year` − (`years` − 1) … `year`, in print
    order. Three queries whatever the number of metrics (categories, metrics, values)."""
    first_year = year - years + 1
    metrics = list(queries.metrics_for_years(first_year, year))
    table = queries.value_table(metrics, Month(first_year, 1), Month(year, 12))
    by_category: dict[int, list[MetricTable]] = {}
    for metric in metrics:
        by_category.setdefault(metric.category_id, []).append(
            _table(metric, table.get(metric.pk, {}), first_year, year)
        )
    return tuple(
        CategoryTables(category.code, category.title, tuple(by_category[category.pk]))
        for category in MetricCategory.objects.filter(pk__in=by_category).order_by(
            "sort_order", "title"
        )
    )


def period_aggregate(metric: MetricTable, year: int, months: int) -> PeriodAggregate | None:
    """The aggregate of jan–`months` of `year` from a printed table; None without that year."""
    row = next((r for r in metric.rows if r.year == year), None)
    if row is None:
        return None
    value = aggregate(row.numbers[:months], metric.aggregation)
    return PeriodAggregate(
        code=metric.code,
        title=metric.title,
        year=year,
        months=months,
        aggregation=metric.aggregation,
        value=value,
        text=format_number(value, metric.decimals) if value is not None else "",
    )


def unlocked_months(*, year: int, months: int) -> tuple[UnlockedMonth, ...]:
    """Per enhet that owns a metric measured in the period, the months jan–`months` of `year`
    that are not locked (no status row counts as Öppen). Two queries."""
    period = months_between(Month(year, 1), Month(year, months))
    units = list(
        Unit.objects.filter(
            metrics__in=queries.metrics_for_years(year, year).filter(
                valid_from__lte=period[-1].first_day
            )
        )
        .distinct()
        .order_by("name")
    )
    states = {
        (status.unit_id, Month.from_date(status.month)): status.state
        for status in MonthStatus.objects.filter(
            unit__in=units, month__gte=period[0].first_day, month__lte=period[-1].first_day
        )
    }
    result = []
    for unit in units:
        for month in period:
            state = states.get((unit.pk, month), MonthState.OPEN)
            if state != MonthState.LOCKED:
                result.append(UnlockedMonth(str(unit), month, MonthState(state).label))
    return tuple(result)


_IDS = re.compile(r'\b(id|aria-labelledby)="([^"]*)"')


def chart_svg(metric: MetricTable, *, suffix: str) -> str:
    """A line chart per year of the metric (metrics.charts), with element ids made unique by
    `suffix` so several charts can share one document. Every text is escaped by charts.py."""
    svg = charts.line_chart_svg(
        [charts.ChartSeries(str(row.year), row.numbers) for row in metric.rows],
        title=metric.title,
        unit=metric.unit,
        decimals=metric.decimals,
    )
    return _IDS.sub(
        lambda m: f'{m[1]}="{" ".join(f"{part}-{suffix}" for part in m[2].split())}"', svg
    )
