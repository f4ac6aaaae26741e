"""The personnel table of a period (Väsentliga personalförhållanden)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from economy import reporting, services
from economy.forms import FootnotesForm, PersonnelRowForm, PersonnelSheetForm
from economy.models import PersonnelFigure, PersonnelSheet
from economy.queries import exact_text
from solna_sn import permissions
from solna_sn.views import current_committee, permission_required


def _initial(value) -> dict:
    if value is None:
        return {}
    data = {name: getattr(value, name) for name in services.PERSONNEL_FIELDS}
    for name in ("value", "comparison_value", "change"):
        data[name] = exact_text(data[name], value.figure.decimals)
    return data


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_economy)
def personnel_detail(request, pk: int):
    sheet = get_object_or_404(PersonnelSheet.objects.select_related("committee"), pk=pk)
    may_enter = permissions.can_enter_economy(request.user, sheet.committee)
    figures = list(PersonnelFigure.objects.select_related("part_of").order_by("sort_order"))
    values = {value.figure_id: value for value in sheet.values.select_related("figure")}
    data = request.POST if request.method == "POST" else None
    if data is not None and not may_enter:
        raise PermissionDenied
    forms = [
        (
            figure,
            PersonnelRowForm(
                data,
                figure=figure,
                prefix=figure.code.lower(),
                initial=_initial(values.get(figure.pk)),
            ),
        )
        for figure in figures
    ]
    notes = [f.text for f in sheet.footnotes.order_by("sort_order", "pk")]
    footnotes_form = FootnotesForm(data, initial={"footnotes": "\n".join(notes)})
    error = ""
    if data is not None:
        try:
            expected = int(data.get("revision", ""))
        except ValueError:
            expected = -1
        if all(form.is_valid() for _, form in forms) and footnotes_form.is_valid():
            try:
                changed = services.personnel_save(
                    sheet=sheet,
                    rows={figure: form.cleaned_data for figure, form in forms},
                    footnotes=footnotes_form.lines(),
                    expected_revision=expected,
                    by=request.user,
                )
            except (services.EconomyError, ValidationError) as failure:
                error = (
                    str(failure)
                    if isinstance(failure, services.EconomyError)
                    else " ".join(failure.messages)
                )
            else:
                messages.success(
                    request, "Personaltabellen sparades." if changed else "Inget ändrades."
                )
                return redirect("economy:personnel", pk=sheet.pk)
        else:
            error = "Rätta de markerade fälten. Ingenting har sparats."
    table = reporting.personnel(year=sheet.year, period=sheet.period, committee=sheet.committee)
    return render(
        request,
        "economy/personnel.html",
        {
            "sheet": sheet,
            "forms": forms,
            "footnotes_form": footnotes_form,
            "table": table,
            "may_enter": may_enter,
            "error": error,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_economy)
def personnel_create(request):
    committee = current_committee()
    if not permissions.can_enter_economy(request.user, committee):
        raise PermissionDenied
    form = PersonnelSheetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.personnel_sheet_create(
                committee=committee, by=request.user, **form.cleaned_data
            )
        except ValidationError as failure:
            form.add_service_errors(failure)
        else:
            messages.success(request, f"{sheet} är skapad.")
            return redirect("economy:personnel", pk=sheet.pk)
    return render(request, "economy/personnel_form.html", {"form": form})
