"""Metrics as the reports print them: a category's year × month tables and one metric's chart."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from metrics import charts, queries
from metrics.models import Metric, MetricCategory
from solna_sn import permissions
from solna_sn.lib.periods import MONTH_ABBREVIATIONS, Month
from solna_sn.views import permission_required


def year_tables(metrics, first_year: int, last_year: int) -> list[dict]:
    """Per metric, the rows the report prints: only years where the metric is measured."""
    table = queries.value_table(metrics, Month(first_year, 1), Month(last_year, 12))
    result = []
    for metric in metrics:
        values = table.get(metric.pk, {})
        rows = []
        for year in range(first_year, last_year + 1):
            months = [Month(year, m) for m in range(1, 13)]
            if not any(metric.is_valid_in(month) for month in months):
                continue
            rows.append(
                {
                    "year": year,
                    "cells": [
                        queries.cell_text(metric, month, values.get(month)) for month in months
                    ],
                    "numbers": [
                        values[month].value
                        if month in values and metric.is_valid_in(month)
                        else None
                        for month in months
                    ],
                }
            )
        result.append({"metric": metric, "rows": rows})
    return result


def _check_year(year: int) -> None:
    if not 1902 <= year <= 2999:
        raise Http404("Året finns inte.")


@require_GET
@permission_required(permissions.can_view_metrics)
def category_table(request, category_code: str, year: int):
    _check_year(year)
    category = get_object_or_404(MetricCategory, code=category_code)
    metrics = list(queries.metrics_for_years(year - 2, year).filter(category=category))
    return render(
        request,
        "metrics/category_table.html",
        {
            "category": category,
            "categories": MetricCategory.objects.all(),
            "year": year,
            "years": range(year - 5, year + 2),
            "months": MONTH_ABBREVIATIONS,
            "tables": year_tables(metrics, year - 2, year),
        },
    )


@require_GET
@permission_required(permissions.can_view_metrics)
def metric_history(request, metric_code: str):
    metric = get_object_or_404(
        Metric.objects.select_related("category", "owner", "predecessor"), code=metric_code
    )
    latest = metric.values.order_by("-month").values_list("month", flat=True).first()
    last_year = latest.year if latest else (metric.valid_to or metric.valid_from).year
    [table] = year_tables([metric], last_year - 2, last_year)
    svg = charts.line_chart_svg(
        [charts.ChartSeries(str(row["year"]), tuple(row["numbers"])) for row in table["rows"]],
        title=metric.title,
        unit=metric.measure_unit,
        decimals=metric.decimals,
    )
    start = Month.from_date(metric.valid_from)
    return render(
        request,
        "metrics/metric_history.html",
        {
            "metric": metric,
            "table": table,
            "months": MONTH_ABBREVIATIONS,
            "chart": mark_safe(svg),  # built by charts.py, which escapes every text
            "valid_from": start,
            "valid_to": Month.from_date(metric.valid_to) if metric.valid_to else None,
            "successors": list(metric.successors.select_related("category")),
            "earlier_titles": list(metric.earlier_titles.all()),
        },
    )
