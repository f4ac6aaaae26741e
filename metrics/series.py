"""Monthly series for other apps through `solna_sn.figures` (they never import metrics).

`register()` runs from MetricsConfig.ready(). Values follow the three cell states: a Decimal,
None (*ej rapporterat*: no row, or a cleared one) and "-" (*ej tillämpligt*, also for months
outside the metric's validity).
"""

from __future__ import annotations

from collections.abc import Sequence

from metrics.models import Metric, MetricValue
from solna_sn import figures
from solna_sn.lib.periods import Month


def monthly_series(code: str, year: int, months: Sequence[int]):

    metric = Metric.objects.filter(code=code).first()
    if metric is None:
        raise figures.UnknownSeries(f"Det finns inget verksamhetsmått med koden {code}.")
    stored = {
        value.month.month: value
        for value in MetricValue.objects.filter(
            metric=metric, month__year=year, month__month__in=list(months)
        )
    }
    points = []
    for number in months:
        value = stored.get(number)
        if not metric.is_valid_in(Month(year, number)) or (value and value.not_applicable):
            points.append((number, figures.NOT_APPLICABLE))
        else:
            points.append((number, value.value if value else None))
    return points


def series_titles() -> dict[str, str]:

    return {
        code: f"{category}: {title}"
        for code, category, title in Metric.objects.order_by(
            "category__sort_order", "sort_order", "title"
        ).values_list("code", "category__title", "title")
    }


def register() -> None:
    figures.register_series_provider(
        monthly_series, description="ur verksamhetsmåtten", titles=series_titles
    )
