"""The years, a year's goal tree, copying it to the next year, the follow-up per period and
the plan's goal table."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from goals import queries, reporting, services
from goals.forms import CopyForm, PlanCreateForm
from goals.models import Measure, PlanYear
from goals.views.common import (
    PERIODS,
    NoPlan,
    no_plan_page,
    period_kind,
    plan_or_missing,
)
from solna_sn import permissions
from solna_sn.views import current_committee, permission_required


def _years(committee):
    return list(PlanYear.objects.filter(committee=committee).order_by("-year"))


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_goals)
def index(request):
    committee = current_committee()
    years = _years(committee)
    form = PlanCreateForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not permissions.can_edit_goal_tree(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                plan = services.plan_create(
                    committee=committee, year=form.cleaned_data["year"], by=request.user
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Målträdet för {plan.year} är skapat.")
                return redirect("goals:tree", year=plan.year)
    return render(
        request,
        "goals/index.html",
        {
            "years": years,
            "form": form,
            "can_edit": permissions.can_edit_goal_tree(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@permission_required(permissions.can_view_goals)
def tree(request, year):
    committee = current_committee()
    try:
        plan = plan_or_missing(committee, year)
    except NoPlan as missing:
        return no_plan_page(request, committee, missing)
    years = _years(committee)
    context = {
        "plan": plan,
        "tree": queries.plan_tree(plan),
        "config": services.settings_for(committee),
        "years": years,
        "next_exists": any(y.year == plan.year + 1 for y in years),
        "previous_exists": any(y.year == plan.year - 1 for y in years),
        "may_edit_tree": permissions.can_edit_goal_tree(request.user),
        "can_edit": permissions.can_edit_goal_tree(request.user) and not plan.is_adopted,
        "can_start_next": permissions.can_start_plan_year(request.user),
        "can_revise": permissions.can_adopt_plan_year(request.user) and plan.is_adopted,
        "periods": PERIODS,
    }
    return render(request, "goals/tree.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_goal_tree)
def copy(request, year):
    """Confirm step (GET), then the copy (POST) of a year's tree to the next year."""
    committee = current_committee()
    try:
        plan = plan_or_missing(committee, year)
    except NoPlan as missing:
        return no_plan_page(request, committee, missing)
    target = plan.year + 1
    form = CopyForm(request.POST or None, initial={"year": target})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["year"] != target:
            form.add_error(None, "Året stämmer inte med sidan; ladda om sidan och försök igen.")
        else:
            try:
                copy = services.plan_copy(source=plan, year=target, by=request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    f"Målträdet {plan.year} är kopierat till {copy.year}. Målen, måtten, "
                    "aktiviteterna och uppdragen har samma nycklar som förra året.",
                )
                return redirect("goals:tree", year=copy.year)
    counts = {
        "goals": plan.goals.count(),
        "measures": Measure.objects.filter(goal__plan=plan).count(),
        "activities": plan.activities.count(),
        "assignments": plan.assignments.count(),
    }
    return render(
        request,
        "goals/copy_confirm.html",
        {
            "plan": plan,
            "target": target,
            "exists": PlanYear.objects.filter(committee=committee, year=target).exists(),
            "counts": counts,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@permission_required(permissions.can_view_goals)
def follow_up(request, year, period):
    """What the follow-up report prints for a period: the same data as goals.reporting."""
    committee = current_committee()
    kind = period_kind(period)
    try:
        report = reporting.follow_up(committee=committee, year=year, period=kind.value)
    except reporting.PlanYearMissing as error:
        return no_plan_page(request, committee, NoPlan(year, str(error)))
    return render(
        request,
        "goals/follow_up.html",
        {
            "report": report,
            "year": year,
            "periods": PERIODS,
            "current_period": kind.value,
            "plan": PlanYear.objects.get(committee=committee, year=year),
        },
    )


@require_GET
@permission_required(permissions.can_view_goals)
def plan_table(request, year):
    """The goal part of the verksamhetsplan, as the plan prints it."""
    committee = current_committee()
    try:
        table = reporting.plan(committee=committee, year=year)
    except reporting.PlanYearMissing as error:
        return no_plan_page(request, committee, NoPlan(year, str(error)))
    return render(
        request,
        "goals/plan_table.html",
        {"table": table, "plan": PlanYear.objects.get(committee=committee, year=year)},
    )
