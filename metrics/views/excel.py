"""Excel export and import (upload → preview → apply)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from metrics import importers
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


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_import_metrics)
def import_preview(request, pk: int):
    metric_import = get_object_or_404(MetricImport, pk=pk)
    if metric_import.uploaded_by_id != request.user.pk:
        raise Http404
    error = ""
    comment = request.POST.get("comment", "")
    delete_blanks = request.POST.get("delete_blanks") == "1"
    if request.method == "POST":
        try:
            written = importers.import_apply(
                metric_import=metric_import,
                fingerprint=request.POST.get("fingerprint", ""),
                user=request.user,
                comment=comment,
                delete_blanks=delete_blanks,
            )
        except MetricsError as refused:
            error = str(refused)
        else:
            messages.success(request, f"{written} värden lästes in från {metric_import.filename}.")
            return redirect("metrics:excel_import")
    preview = importers.import_preview(metric_import, user=request.user)
    return render(
        request,
        "metrics/excel_preview.html",
        {
            "metric_import": metric_import,
            "preview": preview,
            "error": error,
            "comment": comment,
            "delete_blanks": delete_blanks,
            "counts": {
                "new": preview.count(importers.NEW),
                "changed": preview.count(importers.CHANGED),
                "deleted": preview.count(importers.DELETED),
                "unchanged": preview.count(importers.UNCHANGED),
            },
        },
    )
