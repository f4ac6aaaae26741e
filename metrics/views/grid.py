"""Månadsrapportering: the month grid, cell saves (htmx), month states, rapporteringsläge."""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from metrics import queries, services
from metrics.cells import CellError
from metrics.models import Metric, MetricCategory, MetricValue, MonthState, MonthStatus
from solna_sn import audit, audit_labels, permissions
from solna_sn.lib.periods import Month
from solna_sn.models import Role, Unit
from solna_sn.views import permission_required


def _reporting_units():
    return Unit.objects.filter(metrics__isnull=False).distinct().order_by("sort_order", "name")


def _next_month_to_report(unit: Unit) -> Month:
    """The month after the last locked one, or the current month."""
    last_locked = (
        MonthStatus.objects.filter(unit=unit, state=MonthState.LOCKED)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return (
        Month.from_date(last_locked).next()
        if last_locked
        else Month.from_date(timezone.localdate())
    )


@require_GET
@permission_required(permissions.can_view_metrics)
def index(request):
    user = request.user
    if user.role == Role.CONTROLLER:
        unit = user.units.filter(metrics__isnull=False).order_by("sort_order").first()
        if unit:
            month = _next_month_to_report(unit)
            return redirect("metrics:month_grid", month=month, unit_code=unit.code)
    latest = MetricValue.objects.order_by("-month").values_list("month", flat=True).first()
    year = latest.year if latest else timezone.localdate().year
    return redirect("metrics:status_overview", year=year)


def _url_for_code(name: str, month: Month):
    """reverse() once per page, not once per row: the URL with the metric code filled in."""
    marker = "METRICCODE"
    url = reverse(name, kwargs={"metric_code": marker, "month": month})
    return lambda code: url.replace(marker, quote(code))


# One row of the month grid. Built with format_html rather than by the template engine: 40
# rows × 25 variables through the engine cost more than three bare pages (see
# bench/bench_metrics_server.py); every value is escaped by format_html. The status cell's
# later states (error, warning, saved) come from the template's `cell-status` partial.
_ROW = (
    '<tr id="rad-{code}">'
    '<th scope="row" id="title-{code}">{title} <span class="muted">({unit})</span></th>'
    '<td class="num">{previous}</td><td class="num">{last_year}</td>'
    '<td class="num">{value_cell}</td>{status_cell}'
    '<td><a href="{history_url}" aria-label="Historik för {title}, {month}">Historik</a></td>'
    "</tr>"
)
_INPUT = (
    '<form id="form-{code}" method="post" action="{save_url}" hx-post="{save_url}" '
    'hx-trigger="change" hx-target="#status-{code}" hx-swap="outerHTML" '
    'hx-sync="this:queue last" hx-indicator="#rad-{code}">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
    '<input type="hidden" id="version-{code}" name="version" value="{version}">'
    '<input type="text" inputmode="numeric" class="cell-input" name="value" value="{text}" '
    'data-saved="{text}" id="input-{code}" aria-labelledby="title-{code} col-value" '
    'aria-describedby="status-{code}" autocomplete="off" size="8"></form>'
)
_IDLE_STATUS = '<td id="status-{code}" class="cell-status" data-state="idle"></td>'
_READ_STATUS = '<td id="status-{code}" class="cell-status">{note}</td>'
_NOT_MEASURED = mark_safe(
    '<span class="visually-hidden"> (mäts inte denna månad)</span>'
)  # constant markup


def _row_html(metric: Metric, month: Month, row: dict, *, state: str, csrf: str) -> str:
    code = metric.code
    if row["editable"]:
        value_cell = format_html(
            _INPUT,
            code=code,
            save_url=row["save_url"],
            csrf=csrf,
            version=row["version"],
            text=row["text"],
        )
        status_cell = format_html(_IDLE_STATUS, code=code)
    else:
        if row["valid"]:
            value_cell = format_html("<span>{}</span>", row["text"])
            note = mark_safe('<span class="muted">Låst</span>') if state == "locked" else ""
        else:
            value_cell = format_html(
                '<span title="Mäts inte denna månad">{}</span>{}', row["text"], _NOT_MEASURED
            )
            note = mark_safe('<span class="muted">Mäts inte</span>')
        status_cell = format_html(_READ_STATUS, code=code, note=note)
    return format_html(
        _ROW,
        code=code,
        title=metric.title,
        unit=metric.measure_unit,
        previous=row["previous"],
        last_year=row["last_year"],
        value_cell=value_cell,
        status_cell=status_cell,
        history_url=row["history_url"],
        month=month.label,
    )


def _row(metric: Metric, month: Month, table, *, editable: bool, urls) -> dict:
    values = table.get(metric.pk, {})
    value = values.get(month)
    valid = metric.is_valid_in(month)
    save_url, history_url = urls
    return {
        "metric": metric,
        "valid": valid,
        "editable": editable and valid,
        "value": value,
        "version": value.version if value else 0,
        "text": queries.cell_text(metric, month, value),
        "previous": queries.cell_text(metric, month.previous(), values.get(month.previous())),
        "last_year": queries.cell_text(
            metric, month.same_month_last_year(), values.get(month.same_month_last_year())
        ),
        "save_url": save_url(metric.code),
        "history_url": history_url(metric.code),
    }


@require_GET
@permission_required(permissions.can_view_metrics)
def month_grid(request, month: Month, unit_code: str):
    units = list(_reporting_units())  # the unit switcher; the unit itself is usually one of them
    unit = next((u for u in units if u.code == unit_code), None) or get_object_or_404(
        Unit, code=unit_code
    )
    metrics = list(
        Metric.objects.overlapping_years(month.year, month.year)
        .filter(owner=unit)
        .select_related("category")
        .order_by("category__sort_order", "sort_order", "title")
    )
    table = queries.values_in(metrics, [month, month.previous(), month.same_month_last_year()])
    status = MonthStatus.objects.filter(unit=unit, month=month.first_day).first()
    state = status.state if status else MonthState.OPEN
    may_enter = permissions.can_enter_metrics(request.user, unit)
    started = month <= services.last_reportable_month()
    editable = may_enter and state != MonthState.LOCKED and started
    urls = (
        _url_for_code("metrics:cell_save", month),
        _url_for_code("metrics:cell_history", month),
    )
    rows = [_row(metric, month, table, editable=editable, urls=urls) for metric in metrics]
    csrf = get_token(request)
    for row in rows:
        row["html"] = _row_html(row["metric"], month, row, state=state, csrf=csrf)
    return render(
        request,
        "metrics/month_grid.html",
        {
            "unit": unit,
            "units": units,
            "month": month,
            "previous_month": month.previous(),
            "next_month": month.next(),
            "rows": rows,
            "state": state,
            "state_label": MonthState(state).label,
            "status": status,
            "editable": editable,
            "may_enter": may_enter,
            "started": started,
            "not_started": services.not_started_message(month),
            "may_report": may_enter and state == MonthState.OPEN and started,
            "may_lock": state == MonthState.REPORTED
            and permissions.can_lock_metric_month(request.user, unit),
            "may_reopen": permissions.can_reopen_metric_month(request.user, unit)
            and state != MonthState.OPEN,
            "missing": sum(1 for r in rows if r["valid"] and not r["text"]),
        },
    )


@require_POST
@login_required
def cell_save(request, metric_code: str, month: Month):
    metric = get_object_or_404(Metric.objects.select_related("owner", "category"), code=metric_code)
    if not permissions.can_enter_metrics(request.user, metric.owner):
        raise PermissionDenied
    try:
        expected_version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponseBadRequest("Versionsnummer saknas eller är felaktigt.")
    context = {
        "metric": metric,
        "month": month,
        "version": expected_version,
        "error": "",
        "warnings": [],
        "saved": False,
        "raw": request.POST.get("value", ""),
        "comment": request.POST.get("comment", ""),
        "comment_error": "",
        "live_missing": None,
    }
    try:
        outcome = services.value_save(
            metric=metric,
            month=month,
            raw=request.POST.get("value", ""),
            expected_version=expected_version,
            confirm=request.POST.get("confirm") == "1",
            comment=request.POST.get("comment", ""),
            by=request.user,
        )
    except services.StaleValueError as error:
        context.update(error=str(error), version=error.current.version, stale=True)
    except services.CommentError as error:
        # The value still needs its comment: keep the warning and the comment field.
        if error.warnings:
            context.update(warnings=error.warnings, comment_error=str(error))
        else:
            context["error"] = str(error)
    except (CellError, services.MetricsError) as error:
        context["error"] = str(error)
    else:
        context.update(
            saved=outcome.saved,
            warnings=outcome.warnings if not outcome.saved else [],
            confirmed=outcome.warnings if outcome.saved else [],
            version=outcome.value.version if outcome.value else expected_version,
            unchanged=not outcome.saved and not outcome.warnings,
        )
        if outcome.saved:
            context["live_missing"] = len(services.missing_metrics(metric.owner, month))
    if request.htmx:
        return render(request, "metrics/month_grid.html#cell-status", context)
    if context["error"]:
        messages.error(request, f"{metric.title}: {context['error']}")
    elif context["warnings"]:
        messages.warning(
            request,
            f"{metric.title}: inte sparat. "
            + " ".join(context["warnings"])
            + " "
            + (context["comment_error"] or "Bekräfta värdet med en kommentar."),
        )
    elif context["saved"]:
        messages.success(request, f"{metric.title}: värdet sparades.")
    return redirect(
        reverse("metrics:month_grid", kwargs={"month": month, "unit_code": metric.owner.code})
        + f"#rad-{metric.code}"
    )


@require_GET
@permission_required(permissions.can_view_metrics)
def cell_history(request, metric_code: str, month: Month):
    metric = get_object_or_404(Metric.objects.select_related("owner", "category"), code=metric_code)
    value = MetricValue.objects.filter(metric=metric, month=month.first_day).first()
    entries = list(audit.entries_for(value)) if value else []
    names = audit_labels.actor_names(entries)
    for entry in entries:
        entry.actor_name = audit_labels.actor_name(entry, names)
        entry.label = audit_labels.describe_action(entry.action)
    return render(
        request,
        "metrics/cell_history.html",
        {
            "metric": metric,
            "month": month,
            "value": value,
            "entries": entries,
            "text": queries.cell_text(metric, month, value),
        },
    )


def _month_action(
    request, month: Month, unit_code: str, action, success: str, *, allowed, **kwargs
):
    unit = get_object_or_404(Unit, code=unit_code)
    if not allowed(request.user, unit):
        raise PermissionDenied
    try:
        action(unit=unit, month=month, by=request.user, **kwargs)
    except services.MetricsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success.format(month=month.label.capitalize(), unit=unit.name))
    return redirect("metrics:month_grid", month=month, unit_code=unit.code)


@require_POST
@permission_required(permissions.can_view_metrics)
def month_report(request, month: Month, unit_code: str):
    return _month_action(
        request,
        month,
        unit_code,
        services.month_mark_reported,
        "{month} är inrapporterad för {unit}.",
        allowed=permissions.can_enter_metrics,
    )


@require_POST
@permission_required(permissions.can_view_metrics)
def month_lock(request, month: Month, unit_code: str):
    return _month_action(
        request,
        month,
        unit_code,
        services.month_lock,
        "{month} är låst för {unit}.",
        allowed=permissions.can_lock_metric_month,
    )


@require_POST
@permission_required(permissions.can_view_metrics)
def month_reopen(request, month: Month, unit_code: str):
    return _month_action(
        request,
        month,
        unit_code,
        services.month_reopen,
        "{month} är öppnad igen för {unit}.",
        allowed=permissions.can_reopen_metric_month,
        reason=request.POST.get("reason", ""),
    )


@require_GET
@permission_required(permissions.can_view_metrics)
def status_overview(request, year: int):
    if not 1900 <= year <= 2999:
        year = timezone.localdate().year
    months = [Month(year, m) for m in range(1, 13)]
    units = list(_reporting_units())
    metrics = list(
        Metric.objects.overlapping_years(year, year).only("owner_id", "valid_from", "valid_to")
    )
    expected = Counter(
        (metric.owner_id, month)
        for metric in metrics
        for month in months
        if metric.is_valid_in(month)
    )
    reported = {
        (row["metric__owner_id"], Month.from_date(row["month"])): row["n"]
        for row in MetricValue.objects.reported()
        .filter(month__year=year)
        .values("metric__owner_id", "month")
        .annotate(n=Count("id"))
    }
    states = {
        (s.unit_id, Month.from_date(s.month)): s.state
        for s in MonthStatus.objects.filter(month__year=year)
    }
    table = []
    for unit in units:
        cells = []
        for month in months:
            state = states.get((unit.pk, month), MonthState.OPEN)
            due = expected.get((unit.pk, month), 0)
            missing = max(0, due - reported.get((unit.pk, month), 0))
            cells.append(
                {
                    "month": month,
                    "state": state,
                    "label": MonthState(state).label,
                    "missing": missing,
                    "due": due,
                }
            )
        table.append({"unit": unit, "cells": cells})
    return render(
        request,
        "metrics/status_overview.html",
        {
            "year": year,
            "months": months,
            "table": table,
            "categories": MetricCategory.objects.all(),
        },
    )
