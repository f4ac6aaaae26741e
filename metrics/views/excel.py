"""Excel export and import (upload → preview → apply)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from metrics import history_import, importers
from metrics.excel import export_workbook
from metrics.models import MetricImport, MetricValue
from metrics.services import MetricsError
from solna_sn import permissions
from solna_sn.lib.periods import year_to_open
from solna_sn.views import permission_required

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ExportForm(forms.Form):
    fran = forms.IntegerField(label="Från år", min_value=1900, max_value=2999)
    till = forms.IntegerField(label="Till och med år", min_value=1900, max_value=2999)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("fran"), cleaned.get("till")
        if first and last:
            if last < first:
                raise forms.ValidationError("Slutåret kan inte vara före startåret.")
            if last - first > 9:
                raise forms.ValidationError("Exportera högst tio år åt gången.")
        return cleaned


class UploadForm(forms.Form):
    fil = forms.FileField(label="Excelfil (.xlsx)")

    def clean_fil(self):
        upload = self.cleaned_data["fil"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Filen måste vara en Excelfil med ändelsen .xlsx.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Filen är för stor (högst 5 MB).")
        if upload.size == 0:
            raise forms.ValidationError("Filen är tom.")
        return upload


@require_http_methods(["GET"])
@permission_required(permissions.can_view_metrics)
def export(request):
    # The three years up to this one, or up to the latest with values while this one has none.
    latest = MetricValue.objects.order_by("-month").values_list("month", flat=True).first()
    year = year_to_open(timezone.localdate().year, [latest.year] if latest else [])
    if "fran" in request.GET or "till" in request.GET:
        form = ExportForm(request.GET)
        if form.is_valid():
            first, last = form.cleaned_data["fran"], form.cleaned_data["till"]
            response = HttpResponse(
                export_workbook(first, last),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="verksamhetsmatt-{first}-{last}.xlsx"'
            )
            return response
    else:
        form = ExportForm(initial={"fran": year - 2, "till": year})
    return render(request, "metrics/excel_export.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_import_metrics)
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fil"]
        try:
            metric_import = importers.import_upload(
                filename=upload.name, content=upload.read(), by=request.user
            )
        except importers.ImportFileError as error:
            form.add_error("fil", str(error))
        else:
            return redirect("metrics:excel_import_preview", pk=metric_import.pk)
    return render(request, "metrics/excel_import.html", {"form": form})


def _own_import(request, pk: int) -> MetricImport:
    metric_import = get_object_or_404(MetricImport, pk=pk)
    if metric_import.uploaded_by_id != request.user.pk:
        raise Http404
    return metric_import


def _candidates(preview, by_code) -> list[dict]:
    """The unknown titles with their "Menade du …?" candidates as metrics."""
    return [
        {
            "unknown": unknown,
            "index": index,
            "candidates": [by_code[code] for code in unknown.candidates if code in by_code],
        }
        for index, unknown in enumerate(preview.unknown_metrics, start=1)
    ]


def _preview_page(request, metric_import, *, error="", status=200, **extra):
    if metric_import.applied_at:  # only the form for the imported months is shown
        preview, by_code = importers.Preview(), {}
    else:
        preview = importers.import_preview(metric_import, user=request.user)
        _, by_code = importers.catalogue()
    context = {
        "metric_import": metric_import,
        "preview": preview,
        "summary": preview.summary(),
        "error_groups": preview.error_groups(),
        "unknown_sheet_messages": [
            preview.unknown_sheet_message(sheet) for sheet in preview.unknown_sheets
        ],
        "unknown_titles": _candidates(preview, by_code),
        "read_as": [(item, by_code.get(item.code)) for item in preview.read_as],
        "error": error,
        "comment": request.POST.get("comment", ""),
        "delete_blanks": request.POST.get("delete_blanks") == "1",
        "counts": {
            "new": preview.count(importers.NEW),
            "changed": preview.count(importers.CHANGED),
            "deleted": preview.count(importers.DELETED),
            "unchanged": preview.count(importers.UNCHANGED),
        },
        "closable": history_import.closable_months(metric_import, user=request.user),
        "close_reason": "",
        "close_error": "",
        "chosen": None,
        **extra,
    }
    context["closable_rows"] = [
        {
            "item": item,
            "key": history_import.month_key(item.unit, item.month),
            "checked": context["chosen"] is None
            or history_import.month_key(item.unit, item.month) in context["chosen"],
        }
        for item in context["closable"]
    ]
    return render(request, "metrics/excel_preview.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_import_metrics)
def import_preview(request, pk: int):
    metric_import = _own_import(request, pk)
    if request.method == "POST":
        try:
            written = importers.import_apply(
                metric_import=metric_import,
                fingerprint=request.POST.get("fingerprint", ""),
                user=request.user,
                comment=request.POST.get("comment", ""),
                delete_blanks=request.POST.get("delete_blanks") == "1",
            )
        except MetricsError as refused:
            return _preview_page(request, metric_import, error=str(refused))
        messages.success(request, f"{written} värden lästes in från {metric_import.filename}.")
        if history_import.closable_months(MetricImport.objects.get(pk=pk), user=request.user):
            return redirect("metrics:excel_import_preview", pk=pk)
        return redirect("metrics:excel_import")
    return _preview_page(request, metric_import)


@require_POST
@permission_required(permissions.can_import_metrics)
def import_title(request, pk: int):
    """ "Menade du …?": the chosen metric for one unknown title."""
    metric_import = _own_import(request, pk)
    try:
        earlier = history_import.import_title_choose(
            metric_import=metric_import,
            sheet=request.POST.get("sheet", ""),
            ref=request.POST.get("ref", ""),
            title=request.POST.get("title", ""),
            metric_id=request.POST.get("metric", ""),
            by=request.user,
        )
    except MetricsError as refused:
        metric_import.refresh_from_db()
        return _preview_page(request, metric_import, error=str(refused), status=422)
    messages.success(
        request,
        f"”{earlier.title}” sparades som tidigare rubrik för {earlier.metric.title}. "
        "Förhandsgranskningen är uppdaterad.",
    )
    return redirect("metrics:excel_import_preview", pk=pk)


@require_POST
@permission_required(permissions.can_import_metrics)
def import_close(request, pk: int):
    """After the import: mark the chosen imported months inrapporterad and låst."""
    metric_import = _own_import(request, pk)
    keys = request.POST.getlist("month")
    reason = request.POST.get("reason", "")
    if request.POST.get("confirm") != "1":
        return _preview_page(
            request,
            metric_import,
            close_error="Bekräfta att månaderna ska rapporteras in och låsas.",
            close_reason=reason,
            chosen=set(keys),
            status=422,
        )
    try:
        closed = history_import.import_months_close(
            metric_import=metric_import, keys=keys, reason=reason, by=request.user
        )
    except MetricsError as refused:
        return _preview_page(
            request,
            metric_import,
            close_error=str(refused),
            close_reason=reason,
            chosen=set(keys),
            status=422,
        )
    messages.success(request, f"{closed} månader är inrapporterade och låsta.")
    return redirect("metrics:excel_import_preview", pk=pk)
