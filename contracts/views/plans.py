"""Tidsplan för avtalsuppföljning: one page per year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from casework.models import Meeting
from contracts import services
from contracts.forms import PlanAddForm, PlanRowForm
from contracts.models import Contract, ContractFollowUp, FollowUpPlan
from contracts.views.common import error_messages
from solna_sn import permissions
from solna_sn.lib.periods import year_to_open
from solna_sn.views import permission_required


def _check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _plan_url(year: int) -> str:
    return reverse("contracts:plan_detail", args=[year])


@require_GET
@permission_required(permissions.can_view_contracts)
def plan_index(request):
    # A new year without a tidsplan yet opens on the latest one.
    years = FollowUpPlan.objects.filter(committee=services.default_committee()).values_list(
        "year", flat=True
    )
    return redirect("contracts:plan_detail", year=year_to_open(timezone.localdate().year, years))


def _plan_page(request, year, *, row_forms=None, add_form=None, status=200):
    committee = services.default_committee()
    plan = FollowUpPlan.objects.filter(committee=committee, year=year).first()
    today = timezone.localdate()
    meetings = list(Meeting.objects.filter(committee=committee, date__year=year).order_by("date"))
    rows = []
    can_plan = permissions.can_plan_contract_followups(request.user)
    if plan:
        followups = plan.followups.select_related("contract__unit", "meeting").order_by(
            "contract__area", "contract__name"
        )
        for followup in followups:
            form = (row_forms or {}).get(followup.pk) or PlanRowForm(
                prefix=f"rad-{followup.pk}",
                meetings=meetings,
                initial={
                    "kind": followup.kind,
                    "meeting": str(followup.meeting_id or ""),
                    "planned_date": followup.planned_date,
                },
            )
            rows.append((followup, form, followup.is_overdue(today)))
    if add_form is None and plan and not plan.is_approved and can_plan:
        add_form = PlanAddForm()
        planned = [f.contract_id for f, _, _ in rows]
        add_form.fields["contract"].queryset = Contract.objects.exclude(pk__in=planned).order_by(
            "area", "name"
        )
    return render(
        request,
        "contracts/plan_detail.html",
        {
            "year": year,
            "plan": plan,
            "rows": rows,
            "add_form": add_form,
            "overdue": sum(1 for _, _, late in rows if late),
            "can_plan": can_plan,
            "can_approve": permissions.can_approve_contract_followup(request.user),
            "problems": services.plan_problems(plan) if plan and not plan.is_approved else [],
            "today": today,
        },
        status=status,
    )


@require_GET
@permission_required(permissions.can_view_contracts)
def plan_detail(request, year):
    return _plan_page(request, _check_year(year))


@require_POST
@permission_required(permissions.can_plan_contract_followups)
def plan_generate(request, year):
    _check_year(year)
    try:
        plan = services.plan_generate(year=year, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            f"Tidsplanen för {year} har {plan.followups.count()} avtal. Typen är föreslagen "
            "utifrån förra årets uppföljning; ändra den där det behövs.",
        )
    return redirect(_plan_url(year))


def _followup_in_plan(year, pk) -> ContractFollowUp:
    return get_object_or_404(
        ContractFollowUp.objects.select_related("plan", "contract"), pk=pk, plan__year=year
    )


@require_POST
@permission_required(permissions.can_plan_contract_followups)
def plan_row_update(request, year, pk):
    followup = _followup_in_plan(year, pk)
    meetings = Meeting.objects.filter(committee=followup.plan.committee, date__year=year)
    form = PlanRowForm(request.POST, prefix=f"rad-{followup.pk}", meetings=list(meetings))
    if form.is_valid():
        try:
            services.plan_followup_update(followup=followup, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Planeringen för {followup.contract.name} är sparad.")
            return redirect(_plan_url(year) + f"#rad-{followup.pk}")
    return _plan_page(request, year, row_forms={followup.pk: form}, status=400)


@require_POST
@permission_required(permissions.can_plan_contract_followups)
def plan_row_remove(request, year, pk):
    followup = _followup_in_plan(year, pk)
    try:
        services.plan_followup_remove(followup=followup, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, f"{followup.contract.name} är borttaget ur tidsplanen.")
    return redirect(_plan_url(year))


@require_POST
@permission_required(permissions.can_plan_contract_followups)
def plan_add(request, year):
    plan = get_object_or_404(FollowUpPlan, year=_check_year(year))
    form = PlanAddForm(request.POST)
    if form.is_valid():
        try:
            followup = services.plan_followup_add(
                plan=plan, contract=form.cleaned_data["contract"], by=request.user
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{followup.contract.name} är tillagt i tidsplanen.")
            return redirect(_plan_url(year))
    return _plan_page(request, year, add_form=form, status=400)


@require_POST
@permission_required(permissions.can_view_contracts)
def plan_approve(request, year):
    if not permissions.can_approve_contract_followup(request.user):
        raise PermissionDenied
    plan = get_object_or_404(FollowUpPlan, year=_check_year(year))
    try:
        services.plan_approve(plan=plan, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
        return _plan_page(request, year, status=400)
    messages.success(request, f"Tidsplanen för {year} är godkänd.")
    return redirect(_plan_url(year))
