"""A plan as Excel and PDF, and importing a plan from Excel (preview, then apply)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from controls import excel, rules, services
from controls.documents import plan_print_html, plan_title
from controls.forms import (
    ImportForm,
)
from controls.models import (
    ControlPlan,
    PlanImport,
)
from controls.views.common import XLSX, _plan
from printing import services as printing
from solna_sn import permissions
from solna_sn.lib.text import without_control_characters
from solna_sn.views import current_committee, permission_required


@require_GET
@permission_required(permissions.can_view_controls)
def plan_excel(request, pk):
    plan = _plan(pk)
    response = HttpResponse(excel.export_plan_workbook(plan), content_type=XLSX)
    suffix = f"-revision-{plan.revision}" if plan.revision > 1 else ""
    response["Content-Disposition"] = (
        f'attachment; filename="internkontrollplan-{plan.year}{suffix}.xlsx"'
    )
    return response


@require_GET
@permission_required(permissions.can_view_controls)
def plan_preview(request, pk):
    plan = _plan(pk)
    return HttpResponse(
        plan_print_html(
            plan,
            asset_base="/static/",
            preview_back_url=reverse("controls:plan_detail", args=[plan.pk]),
        )
    )


@require_POST
@permission_required(permissions.can_view_controls)
def plan_pdf(request, pk):
    plan = _plan(pk)
    document = printing.request_report(
        subject=plan, title=plan_title(plan), html=plan_print_html(plan)
    )
    if request.htmx:
        return render(request, "printing/_render_status.html", {"document": document})
    messages.success(request, "PDF:en framställs. Den visas här när den är klar.")
    return redirect("controls:plan_detail", pk=plan.pk)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_control_plan)
def plan_import(request):
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"year": timezone.localdate().year + 1},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # An earlier upload that was never applied is abandoned: its file goes.
        PlanImport.objects.filter(uploaded_by=request.user).delete()
        record = PlanImport.objects.create(
            uploaded_by=request.user,
            filename=without_control_characters(upload.name, multiline=False)[:255],
            year=form.cleaned_data["year"],
            content=upload.read(),
        )
        return redirect("controls:plan_import_preview", pk=record.pk)
    return render(
        request,
        "controls/import.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_control_plan)
def plan_import_preview(request, pk):
    record = get_object_or_404(PlanImport, pk=pk)
    if record.uploaded_by_id != request.user.pk:
        raise Http404
    committee = current_committee()
    config = services.settings_for(committee)
    errors = []
    if request.method == "POST":
        try:
            plan = excel.import_plan(
                committee=committee, year=record.year, data=bytes(record.content), by=request.user
            )
        except ValidationError as error:
            errors = error.messages
        else:
            record.delete()
            messages.success(
                request,
                f"{plan} är inläst från {record.filename} som utkast. Granska och fastställ.",
            )
            return redirect("controls:plan_detail", pk=plan.pk)
    sheet = excel.parse_plan_workbook(bytes(record.content), scale_max=config.scale_max)
    return render(
        request,
        "controls/import_preview.html",
        {
            "record": record,
            "sheet": sheet,
            "errors": errors or sheet.errors,
            "month_list": rules.month_list,
            "exists": ControlPlan.objects.filter(committee=committee, year=record.year).exists(),
        },
        status=400 if errors else 200,
    )
