"""One avtalsuppföljning: start, record findings, checklist, brister, approve, then the
tjänsteskrivelse, Excel and PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from contracts import exporters, reporting, services
from contracts.documents import document_title, followup_html
from contracts.forms import (
    ActivityForm,
    ActivityStatusForm,
    DeficiencyForm,
    FollowUpForm,
    StartForm,
)
from contracts.models import (
    ActivityStatus,
    ChecklistActivity,
    Deficiency,
    FollowUpKind,
    FollowUpStatus,
)
from contracts.views.common import error_messages, xlsx_response
from printing import services as printing
from printing.views import status_response
from solna_sn import permissions
from solna_sn.views import permission_required


def _followup(pk):
    return get_object_or_404(services.followups_with_content(), pk=pk)


def _url(followup, anchor: str = "") -> str:
    return reverse("contracts:followup_detail", args=[followup.pk]) + (
        f"#{anchor}" if anchor else ""
    )


def _page(request, followup, *, status=200, **forms):
    can_edit = permissions.can_edit_contracts(request.user, followup.contract.unit)
    editable = can_edit and followup.status == FollowUpStatus.IN_PROGRESS
    context = {
        "followup": followup,
        "contract": followup.contract,
        "can_edit": can_edit,
        "editable": editable,
        "can_approve": permissions.can_approve_contract_followup(request.user),
        "approval_blocker": services.followup_may_approve(followup, request.user)[1],
        "problems": services.followup_problems(followup)
        if followup.status == FollowUpStatus.IN_PROGRESS
        else [],
        "areas": reporting.areas(followup),
        "counts": reporting.rating_counts(followup),
        "checklist": reporting.checklist(followup),
        "render": printing.latest(followup),
        "start_form": forms.get("start_form") or StartForm(),
        "form": forms.get("form") or FollowUpForm(followup=followup),
        "activity_form": forms.get("activity_form") or ActivityForm(),
        "deficiency_form": forms.get("deficiency_form") or DeficiencyForm(),
        "ordinary": followup.kind == FollowUpKind.ORDINARY,
        "status_choices": ActivityStatus.choices,
    }
    return render(request, "contracts/followup_detail.html", context, status=status)


@require_GET
@permission_required(permissions.can_view_contracts)
def followup_detail(request, pk):
    return _page(request, _followup(pk))


@require_POST
@permission_required(permissions.can_view_contracts)
def followup_start(request, pk):
    followup = _followup(pk)
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            services.followup_start(
                followup=followup, template=form.cleaned_data["template"], by=request.user
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Uppföljningen är påbörjad.")
            return redirect(_url(followup))
    return _page(request, followup, start_form=form, status=400)


@require_POST
@permission_required(permissions.can_view_contracts)
def followup_save(request, pk):
    followup = _followup(pk)
    form = FollowUpForm(request.POST, followup=followup)
    if form.is_valid():
        try:
            services.followup_save(followup=followup, data=form.service_data(), by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Uppföljningen är sparad.")
            return redirect(_url(followup))
    return _page(request, followup, form=form, status=400)


@require_POST
@permission_required(permissions.can_view_contracts)
def activity_add(request, pk):
    followup = _followup(pk)
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            services.activity_add(followup=followup, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Aktiviteten är tillagd i checklistan.")
            return redirect(_url(followup, "checklista"))
    return _page(request, followup, activity_form=form, status=400)


@require_POST
@permission_required(permissions.can_view_contracts)
def activity_remove(request, pk, aid):
    followup = _followup(pk)
    activity = get_object_or_404(ChecklistActivity, pk=aid, followup=followup)
    try:
        services.activity_remove(activity=activity, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, "Aktiviteten är borttagen.")
    return redirect(_url(followup, "checklista"))


@require_POST
@permission_required(permissions.can_view_contracts)
def activity_status(request, pk, aid):
    """Save an activity's status, with the places that differ; `ta_bort_enhet` drops one."""
    followup = _followup(pk)
    activity = get_object_or_404(ChecklistActivity, pk=aid, followup=followup)
    form = ActivityStatusForm(request.POST, prefix=f"aktivitet-{activity.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_url(followup, "checklista"))
    places = {p.place: p.status for p in activity.places.all()}
    places.pop(request.POST.get("ta_bort_enhet", ""), None)
    if form.cleaned_data["place"]:
        places[form.cleaned_data["place"]] = form.cleaned_data["place_status"]
    try:
        services.activity_update(
            activity=activity,
            status=form.cleaned_data["status"],
            places=places,
            by=request.user,
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, "Status är sparad.")
    return redirect(_url(followup, "checklista"))


@require_POST
@permission_required(permissions.can_view_contracts)
def deficiency_add(request, pk):
    followup = _followup(pk)
    form = DeficiencyForm(request.POST)
    if form.is_valid():
        try:
            services.deficiency_add(followup=followup, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Bristen är registrerad.")
            return redirect(_url(followup, "brister"))
    return _page(request, followup, deficiency_form=form, status=400)


@require_POST
@permission_required(permissions.can_view_contracts)
def deficiency_remove(request, pk, did):
    followup = _followup(pk)
    deficiency = get_object_or_404(Deficiency, pk=did, followup=followup)
    try:
        services.deficiency_remove(deficiency=deficiency, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, "Bristen är borttagen.")
    return redirect(_url(followup, "brister"))


@require_POST
@permission_required(permissions.can_approve_contract_followup)
def followup_approve(request, pk):
    followup = _followup(pk)
    try:
        services.followup_approve(followup=followup, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
        return _page(request, _followup(pk), status=400)
    messages.success(request, "Uppföljningen är godkänd och låst.")
    return redirect(_url(followup))


@require_POST
@permission_required(permissions.can_view_contracts)
def followup_memo(request, pk):
    followup = _followup(pk)
    try:
        memo = services.followup_memo_create(followup=followup, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
        return redirect(_url(followup))
    messages.success(request, "Tjänsteskrivelsen är skapad med rubrik och sammanfattning ifyllda.")
    return redirect("casework:memo_detail", pk=memo.pk)


@require_GET
@permission_required(permissions.can_view_contracts)
def followup_excel(request, pk):
    followup = _followup(pk)
    filename = f"avtalsuppfoljning-{followup.plan.year}-{followup.pk}.xlsx"
    return xlsx_response(exporters.followup_workbook(followup), filename)


@require_GET
@permission_required(permissions.can_view_contracts)
def followup_preview(request, pk):
    followup = _followup(pk)
    return HttpResponse(
        followup_html(followup, asset_base=static(""), preview_back_url=_url(followup))
    )


@require_POST
@permission_required(permissions.can_view_contracts)
def followup_pdf(request, pk):
    followup = _followup(pk)
    document = printing.request_report(
        subject=followup, title=document_title(followup), html=followup_html(followup)
    )
    return status_response(request, document, _url(followup, "pdf"))
