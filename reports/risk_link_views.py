"""Pages for linking internkontroll risks to the nämndmål they threaten: the plan's risks
with their goals, adding a link (POST) and removing one (confirm, then POST)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from controls.models import ControlPlan, PlanState, Risk
from goals.models import Goal
from reports import risk_links
from reports.models import RiskGoalLink
from reports.risk_link_forms import RiskGoalLinkForm
from solna_sn import permissions
from solna_sn.errors import StateError
from solna_sn.views import current_committee, permission_required


def _plan(pk) -> ControlPlan:
    plan = get_object_or_404(ControlPlan, pk=pk)
    if plan.committee_id != current_committee().pk:
        raise PermissionDenied
    return plan


def _goal_labels(plan: ControlPlan) -> list[tuple[str, Goal]]:
    goals = list(risk_links.goal_choices(plan))
    return [(f"{goal.level.name} {number}", goal) for number, goal in enumerate(goals, 1)]


def _page(request, plan: ControlPlan, form: RiskGoalLinkForm, status: int = 200):
    risks = list(
        Risk.objects.filter(plan=plan)
        .select_related("process")
        .order_by("process__sort_order", "process_id", "number")
    )
    links = {}
    for link in (
        RiskGoalLink.objects.filter(risk__plan=plan)
        .select_related("goal__level", "goal__plan")
        .order_by("goal__level__order", "goal__sort_order", "goal_id")
    ):
        links.setdefault(link.risk_id, []).append(link)
    labels = {goal.pk: label for label, goal in _goal_labels(plan)}
    rows = []
    for risk in risks:
        own = links.get(risk.pk, [])
        rows.append((risk, [(link, labels.get(link.goal_id, str(link.goal))) for link in own]))
    return render(
        request,
        "risk_links/plan.html",
        {
            "plan": plan,
            "rows": rows,
            "form": form,
            "can_edit": risk_links.may_edit_links(request.user) and plan.state == PlanState.DRAFT,
        },
        status=status,
    )


def _form(plan: ControlPlan, data=None) -> RiskGoalLinkForm:
    return RiskGoalLinkForm(
        data,
        risks=Risk.objects.filter(plan=plan).order_by("number"),
        goals=_goal_labels(plan),
    )


@require_GET
@permission_required(permissions.can_view_controls)
def plan_links(request, plan_pk):
    plan = _plan(plan_pk)
    return _page(request, plan, _form(plan))


@require_POST
@permission_required(risk_links.may_edit_links)
def link_add(request, plan_pk):
    plan = _plan(plan_pk)
    form = _form(plan, request.POST)
    if form.is_valid():
        risk = Risk.objects.filter(plan=plan, pk=form.cleaned_data["risk"]).first()
        goal = Goal.objects.filter(
            plan__committee_id=plan.committee_id, pk=form.cleaned_data["goal"]
        ).first()
        if risk is None:
            form.add_error("risk", "Välj en risk i planen.")
        if goal is None:
            form.add_error("goal", "Välj ett nämndmål i listan.")
        if risk is not None and goal is not None:
            try:
                risk_links.link_add(risk=risk, goal=goal, by=request.user)
            except StateError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Risk {risk.number} är kopplad till målet.")
                return redirect("risk_links:plan", plan_pk=plan.pk)
    return _page(request, plan, form, status=400)


@require_http_methods(["GET", "POST"])
@permission_required(risk_links.may_edit_links)
def link_remove(request, pk):
    """Confirm (GET), then remove (POST) a link."""
    link = get_object_or_404(RiskGoalLink.objects.select_related("risk__plan", "goal"), pk=pk)
    plan = _plan(link.risk.plan_id)
    error = ""
    if request.method == "POST":
        try:
            risk_links.link_remove(link=link, by=request.user)
        except StateError as problem:
            error = str(problem)
        else:
            messages.success(request, f"Kopplingen från risk {link.risk.number} är borttagen.")
            return redirect("risk_links:plan", plan_pk=plan.pk)
    return render(
        request,
        "risk_links/remove.html",
        {"link": link, "plan": plan, "error": error},
        status=400 if error else 200,
    )


@require_POST
@permission_required(risk_links.may_edit_links)
def links_from_previous(request, plan_pk):
    """Carry the previous revision's links over to this draft revision."""
    plan = _plan(plan_pk)
    try:
        count = risk_links.links_copy_revision(plan=plan, by=request.user)
    except StateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{count} kopplingar hämtade från föregående revision.")
    return redirect("risk_links:plan", plan_pk=plan.pk)
