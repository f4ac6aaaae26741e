"""The economic tables: the overview, the entry grid per table and period, cell saves (htmx),
row commentary, footnotes, budget versions of a sheet, locking."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from economy import queries, reporting, services
from economy.forms import (
    CommentaryForm,
    FootnotesForm,
    ReasonForm,
    SheetCreateForm,
    SheetVersionsForm,
)
from economy.models import (
    PersonnelSheet,
    QualityDeclaration,
    Sheet,
    TableColumn,
    TableDefinition,
    TableRow,
    Tariff,
    period_label,
)
from economy.tables import SpecError, fill_header, format_value, formula_text
from solna_sn import permissions
from solna_sn.views import current_committee, permission_required


def _sheet_or_404(pk: int) -> Sheet:
    return get_object_or_404(queries.sheets_with_definitions(), pk=pk)


@require_GET
@permission_required(permissions.can_view_economy)
def index(request):
    committee = current_committee()
    sheets = queries.sheets_with_definitions().filter(committee=committee)
    periods: dict[tuple[int, str], list[Sheet]] = defaultdict(list)
    for sheet in sheets.order_by("-year", "period", "definition__sort_order"):
        periods[(sheet.year, sheet.period)].append(sheet)
    personnel_sheets = list(PersonnelSheet.objects.filter(committee=committee))
    register_years = sorted(
        set(Tariff.objects.filter(committee=committee).values_list("plan_year", flat=True))
        | set(
            QualityDeclaration.objects.filter(committee=committee).values_list(
                "plan_year", flat=True
            )
        ),
        reverse=True,
    )
    return render(
        request,
        "economy/index.html",
        {
            "periods": [
                {"label": period_label(year, period).capitalize(), "sheets": items}
                for (year, period), items in periods.items()
            ],
            "personnel_sheets": personnel_sheets,
            "register_years": register_years,
            "definitions": TableDefinition.objects.order_by("sort_order"),
            "may_enter": permissions.can_enter_economy(request.user, committee),
            "may_define": permissions.can_define_economy_tables(request.user),
        },
    )


def _grid(data: queries.SheetData, printed: reporting.PrintedTable, editable: bool):
    """Rows of the entry grid: per cell the stored figure (as typed), its revision and what
    the printed table shows, so an empty sum or derived cell can show the computed figure."""
    printed_cells = {}
    printed_codes = [column.code for column in printed.columns]
    for row in printed.rows:
        for code, cell in zip(printed_codes, row.cells, strict=True):
            printed_cells[(row.code, code)] = cell
    rows = []
    for row in data.rows:
        cells = []
        for column in data.columns:
            spec_column = data.spec.column(column.code)
            stored = data.stored(row, column)
            shown = row.is_sum or not column.sum_rows_only
            result = data.result.cell(row.code, column.code)
            cells.append(
                {
                    "column": column,
                    "key": f"{row.code}-{column.code}",
                    "shown": shown,
                    "editable": editable and shown,
                    "text": queries.exact_text(stored.value if stored else None, column.decimals),
                    "revision": stored.revision if stored else 0,
                    "computed": format_value(result.computed, spec_column),
                    "warning": bool(result.warnings),
                    "note": stored.note if stored else "",
                    "budget": column.figure in queries.BUDGET_FIGURES,
                }
            )
        rows.append({"row": row, "cells": cells, "commentary": data.commentary.get(row.pk)})
    return rows


def _headers(data: queries.SheetData):
    return [
        {
            "column": column,
            "header": data.spec.column(column.code).header,
            "formula": formula_text(data.spec.column(column.code), data.spec, data.sheet.months),
        }
        for column in data.columns
    ]


def _sheet_context(request, sheet: Sheet, data: queries.SheetData | None = None) -> dict:
    data = data or queries.load_sheet(sheet)
    printed = reporting.printed_sheet(data)
    may_enter = permissions.can_enter_economy(request.user, sheet.committee)
    editable = may_enter and not sheet.is_locked and not data.spec_error
    context = {
        "sheet": sheet,
        "data": data,
        "printed": printed,
        "may_enter": may_enter,
        "editable": editable,
        "may_reopen": permissions.can_reopen_economy(request.user) and sheet.is_locked,
    }
    if not data.spec_error:
        context["headers"] = _headers(data)
        context["grid"] = _grid(data, printed, editable)
    return context


@require_GET
@permission_required(permissions.can_view_economy)
def sheet_detail(request, pk: int):
    sheet = _sheet_or_404(pk)
    context = _sheet_context(request, sheet)
    context["footnotes_form"] = FootnotesForm(
        initial={
            "footnotes": "\n".join(context["printed"].footnotes),
            "expected": services.footnotes_fingerprint(list(context["printed"].footnotes)),
        }
    )
    context["versions_form"] = SheetVersionsForm(
        committee=sheet.committee,
        initial={
            "budget_version": sheet.budget_version_id,
            "previous_budget_version": sheet.previous_budget_version_id,
        },
    )
    context["reopen_form"] = ReasonForm()
    return render(request, "economy/sheet.html", context)


def _may_enter(request, sheet: Sheet) -> None:
    if not permissions.can_enter_economy(request.user, sheet.committee):
        raise PermissionDenied


def _cell_or_404(sheet: Sheet, row_code: str, column_code: str):
    row = get_object_or_404(TableRow, rowset_id=sheet.definition.rowset_id, code=row_code)
    column = get_object_or_404(TableColumn, definition_id=sheet.definition_id, code=column_code)
    return row, column


@require_POST
@login_required
def cell_save(request, pk: int, row_code: str, column_code: str):
    sheet = _sheet_or_404(pk)
    if not permissions.can_enter_economy(request.user, sheet.committee):
        raise PermissionDenied
    row, column = _cell_or_404(sheet, row_code, column_code)
    try:
        expected = int(request.POST.get("revision", ""))
    except ValueError:
        return HttpResponseBadRequest("Versionsnummer saknas eller är felaktigt.")
    raw = request.POST.get("value", "")
    status = {"error": "", "saved": False, "stale": False, "revision": expected}
    try:
        outcome = services.cell_save(
            sheet=sheet,
            row=row,
            column=column,
            raw=raw,
            expected_revision=expected,
            by=request.user,
        )
    except services.StaleError as error:
        status.update(error=str(error), stale=True, revision=error.current_revision)
    except services.EconomyError as error:
        status["error"] = str(error)
    else:
        status.update(saved=outcome.saved, revision=outcome.revision)
    label = f"{row.label}, {fill_header(column.header, sheet.year)}"
    if not request.htmx:
        if status["error"]:
            messages.error(request, f"{label}: {status['error']}")
        elif status["saved"]:
            messages.success(request, f"{label}: siffran sparades.")
        return redirect(reverse("economy:sheet", kwargs={"pk": sheet.pk}) + "#inmatning")
    context = _sheet_context(request, sheet)
    context.update(status)
    context["key"] = f"{row.code}-{column.code}"
    context["cell_label"] = label
    return render(request, "economy/sheet.html#cell-response", context)


@require_POST
@login_required
def commentary_save(request, pk: int, row_code: str):
    sheet = _sheet_or_404(pk)
    if not permissions.can_enter_economy(request.user, sheet.committee):
        raise PermissionDenied
    row = get_object_or_404(TableRow, rowset_id=sheet.definition.rowset_id, code=row_code)
    form = CommentaryForm(request.POST)
    context = {"row": row, "sheet": sheet, "error": "", "saved": False, "current": ""}
    if not form.is_valid():
        context["error"] = " ".join(e for errors in form.errors.values() for e in errors)
        context["revision"] = request.POST.get("revision", "0")
    else:
        try:
            commentary = services.commentary_save(
                sheet=sheet,
                row=row,
                text=form.cleaned_data["text"],
                expected_revision=form.cleaned_data["revision"],
                by=request.user,
            )
        except services.StaleError as error:
            context.update(
                error=str(error), current=error.current_text, revision=error.current_revision
            )
        except services.EconomyError as error:
            context.update(error=str(error), revision=form.cleaned_data["revision"])
        else:
            context.update(saved=True, revision=commentary.revision)
    if request.htmx:
        return render(request, "economy/sheet.html#commentary-status", context)
    if context["error"]:
        messages.error(request, f"{row.label}: {context['error']}")
    else:
        messages.success(request, f"Kommentaren till {row.label} sparades.")
    return redirect(reverse("economy:sheet", kwargs={"pk": sheet.pk}) + f"#kommentar-{row.code}")


@require_POST
@permission_required(permissions.can_view_economy)
def footnotes_save(request, pk: int):
    sheet = _sheet_or_404(pk)
    _may_enter(request, sheet)
    form = FootnotesForm(request.POST)
    if form.is_valid():
        try:
            changed = services.sheet_footnotes_save(
                sheet=sheet,
                texts=form.lines(),
                expected=form.cleaned_data["expected"],
                by=request.user,
            )
        except services.EconomyError as error:
            messages.error(request, str(error))
        else:
            if changed:
                messages.success(request, "Fotnoterna sparades.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("economy:sheet", kwargs={"pk": sheet.pk}) + "#fotnoter")


@require_POST
@permission_required(permissions.can_view_economy)
def sheet_versions(request, pk: int):
    sheet = _sheet_or_404(pk)
    _may_enter(request, sheet)
    form = SheetVersionsForm(request.POST, committee=sheet.committee)
    if form.is_valid():
        try:
            services.sheet_set_versions(sheet=sheet, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except services.EconomyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Tabellens budgetversioner sparades.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("economy:sheet", pk=sheet.pk)


@require_POST
@permission_required(permissions.can_view_economy)
def sheet_lock(request, pk: int):
    sheet = _sheet_or_404(pk)
    _may_enter(request, sheet)
    try:
        services.sheet_lock(sheet=sheet, by=request.user)
    except services.EconomyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{sheet} är låst.")
    return redirect("economy:sheet", pk=sheet.pk)


@require_POST
@permission_required(permissions.can_view_economy)
def sheet_reopen(request, pk: int):
    sheet = _sheet_or_404(pk)
    if not permissions.can_reopen_economy(request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ange varför tabellen behöver öppnas igen.")
        return redirect("economy:sheet", pk=sheet.pk)
    try:
        services.sheet_reopen(sheet=sheet, reason=form.cleaned_data["reason"], by=request.user)
    except services.EconomyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{sheet} är öppen igen.")
    return redirect("economy:sheet", pk=sheet.pk)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_economy)
def sheet_create(request):
    committee = current_committee()
    if not permissions.can_enter_economy(request.user, committee):
        raise PermissionDenied
    form = SheetCreateForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.sheet_create(committee=committee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        except services.EconomyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{sheet} är skapad.")
            return redirect("economy:sheet", pk=sheet.pk)
    return render(request, "economy/sheet_form.html", {"form": form})


@require_GET
@permission_required(permissions.can_view_economy)
def definition_detail(request, code: str):
    definition = get_object_or_404(TableDefinition.objects.select_related("rowset"), code=code)
    rows = queries.definition_rows(definition)
    columns = queries.definition_columns(definition)
    spec_error = ""
    formulas = {}
    try:
        spec = queries.spec_from(rows, columns, year=None)
    except SpecError as error:
        spec_error = str(error)
    else:
        formulas = {c.code: formula_text(spec.column(c.code), spec, 8) for c in columns}
    return render(
        request,
        "economy/definition.html",
        {
            "definition": definition,
            "rows": rows,
            "columns": [{"column": c, "formula": formulas.get(c.code, "")} for c in columns],
            "spec_error": spec_error,
            "may_define": permissions.can_define_economy_tables(request.user),
        },
    )
