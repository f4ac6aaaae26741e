"""Verksamhetsmått: per category, per metric a year × jan–dec table for the report year and
the two years before, cells as stored ("-" ej tillämpligt, blank ej rapporterat); a metric
started during the period prints only its years. From metrics/reporting.py. Months of the
period that are not locked are warnings."""

from __future__ import annotations

from metrics import reporting
from reports.generators.base import Figure, Generated, ReportPeriod, register
from reports.generators.common import render
from solna_sn.lib.periods import MONTH_ABBREVIATIONS


def metric_figures(categories, period: ReportPeriod) -> list[Figure]:
    """Each printed cell of the report year and the year before up to the period's last month
    (metrics.<code>.<year>-<month>), and the period aggregate of both years
    (metrics.<code>.<year>.jan-aug: the mean, or the sum for flows such as vårddygn)."""
    figures = []
    span = reporting.month_span(period.months)
    for category in categories:
        for metric in category.metrics:
            for row in metric.rows:
                if row.year < period.year - 1:
                    continue
                for index, text in enumerate(row.cells[: period.months]):
                    if text:
                        figures.append(
                            Figure(
                                f"metrics.{metric.code}.{row.year}-{index + 1:02d}",
                                f"{category.title}: {metric.title}, "
                                f"{MONTH_ABBREVIATIONS[index]} {row.year}",
                                text,
                            )
                        )
                total = reporting.period_aggregate(metric, row.year, period.months)
                if total is not None and total.text:
                    how = "summa" if total.aggregation == "sum" else "medel"
                    figures.append(
                        Figure(
                            f"metrics.{metric.code}.{row.year}.{span.replace('–', '-')}",
                            f"{category.title}: {metric.title}, {how} {span} {row.year}",
                            total.text,
                        )
                    )
    return figures


def unlocked_warnings(period: ReportPeriod) -> list[str]:
    by_unit: dict[str, list[str]] = {}
    for item in reporting.unlocked_months(year=period.year, months=period.months):
        by_unit.setdefault(item.unit, []).append(
            f"{item.month.abbreviation} ({item.state.lower()})"
        )
    return [
        f"Verksamhetsmått: {unit} har månader som inte är låsta: {', '.join(months)}."
        for unit, months in by_unit.items()
    ]


def _section(period: ReportPeriod, *, charts: bool) -> Generated:
    categories = reporting.verksamhetsmatt(year=period.year)
    tables = [
        {
            "category": category,
            "metrics": [
                {
                    "metric": metric,
                    "chart": reporting.chart_svg(metric, suffix=metric.code.lower())
                    if charts and metric.rows
                    else "",
                }
                for metric in category.metrics
            ],
        }
        for category in categories
    ]
    html = render("metrics_verksamhetsmatt", {"tables": tables, "months": MONTH_ABBREVIATIONS})
    return Generated(html, metric_figures(categories, period), unlocked_warnings(period))


@register("metrics.verksamhetsmatt", "Verksamhetsmått per kategori (tre år × jan–dec)")
def verksamhetsmatt(period: ReportPeriod) -> Generated:
    return _section(period, charts=False)


@register("metrics.verksamhetsmatt_diagram", "Verksamhetsmått per kategori med diagram")
def verksamhetsmatt_diagram(period: ReportPeriod) -> Generated:
    return _section(period, charts=True)
