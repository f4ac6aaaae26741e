"""Import of the ekonomisystem's export: upload → preview → apply."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from economy import importers
from economy.forms import ImportUploadForm
from economy.models import EconomyImport, Sheet
from economy.services import EconomyError
from solna_sn import permissions
from solna_sn.lib.text import without_control_characters
from solna_sn.views import current_committee, permission_required


def _may_import(request, committee) -> None:
    if not permissions.can_enter_economy(request.user, committee):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_economy)
def import_upload(request):
    committee = current_committee()
    _may_import(request, committee)
    initial = {}
    latest = Sheet.objects.filter(committee=committee).exclude(period="plan").first()
    if latest:
        initial = {"year": latest.year, "period": latest.period}
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if not request.POST:
        mappings = form.fields["mapping"].queryset
        if mappings.count() == 1:
            form.initial["mapping"] = mappings.first().pk
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        economy_import = importers.import_create(
            committee=committee,
            mapping=form.cleaned_data["mapping"],
            year=form.cleaned_data["year"],
            period=form.cleaned_data["period"],
            filename=without_control_characters(upload.name, multiline=False)[:255],
            content=upload.read(),
            by=request.user,
        )
        return redirect("economy:import_preview", pk=economy_import.pk)
    return render(request, "economy/import.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_economy)
def import_preview(request, pk: int):
    economy_import = get_object_or_404(
        EconomyImport.objects.select_related("mapping", "committee"), pk=pk
    )
    _may_import(request, economy_import.committee)
    if economy_import.uploaded_by_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        try:
            written = importers.import_apply(
                economy_import=economy_import,
                fingerprint=request.POST.get("fingerprint", ""),
                user=request.user,
            )
        except EconomyError as error:
            messages.error(request, str(error))
            return redirect("economy:import_preview", pk=economy_import.pk)
        messages.success(request, f"{written} siffror lästes in från {economy_import.filename}.")
        first = (
            Sheet.objects.filter(
                committee=economy_import.committee,
                year=economy_import.year,
                period=economy_import.period,
            )
            .order_by("definition__sort_order")
            .first()
        )
        return redirect("economy:sheet", pk=first.pk) if first else redirect("economy:index")
    preview = importers.build_preview(economy_import, user=request.user)
    return render(
        request,
        "economy/import_preview.html",
        {
            "economy_import": economy_import,
            "preview": preview,
            "applied": economy_import.applied_at is not None,
            "counts": {
                "new": preview.count(importers.NEW),
                "changed": preview.count(importers.CHANGED),
                "unchanged": preview.count(importers.UNCHANGED),
            },
        },
    )
