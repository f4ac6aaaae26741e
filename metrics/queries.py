"""Reusable reads for metric tables (one query for any number of metrics and years)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from metrics.cells import format_cell
from metrics.models import Metric, MetricValue
from solna_sn.lib.periods import Month


def value_table(
    metrics: Iterable[Metric], first: Month, last: Month
) -> dict[int, dict[Month, MetricValue]]:
    """metric id → month → stored value, for months first..last inclusive. One query."""
    table: dict[int, dict[Month, MetricValue]] = defaultdict(dict)
    ids = [m.pk for m in metrics]
    for value in MetricValue.objects.filter(
        metric_id__in=ids, month__gte=first.first_day, month__lte=last.first_day
    ):
        table[value.metric_id][Month.from_date(value.month)] = value
    return table


def values_in(
    metrics: Iterable[Metric], months: Iterable[Month]
) -> dict[int, dict[Month, MetricValue]]:
    """metric id → month → stored value, for the given months only (the month grid needs
    three: the month, the one before and the same month last year). One query."""
    table: dict[int, dict[Month, MetricValue]] = defaultdict(dict)
    for value in MetricValue.objects.filter(
        metric_id__in=[m.pk for m in metrics], month__in=[month.first_day for month in months]
    ).only("id", "metric_id", "month", "value", "not_applicable", "version"):
        table[value.metric_id][Month.from_date(value.month)] = value
    return table


def cell_text(metric: Metric, month: Month, value: MetricValue | None) -> str:
    """What a report prints for one metric and month: "-" outside the metric's validity or
    when marked ej tillämpligt, blank when not reported, else the Swedish number."""
    if not metric.is_valid_in(month):
        return "-"
    if value is None:
        return ""
    return format_cell(value.value, not_applicable=value.not_applicable, decimals=metric.decimals)


def metrics_for_years(first_year: int, last_year: int):
    """Metrics measured at some point in the years, in print order, category loaded."""
    return (
        Metric.objects.overlapping_years(first_year, last_year)
        .select_related("category", "owner")
        .order_by("category__sort_order", "sort_order", "title")
    )
