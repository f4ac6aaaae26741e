"""Internkontroll pages: the plans list, a plan, its risk matrix, adopting and revising."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from controls import services
from controls.forms import (
    AdoptForm,
    PlanCreateForm,
    ReasonForm,
)
from controls.models import (
    FollowUpPeriod,
    PlanState,
)
from controls.views.common import SLUG_FOR_PERIOD, _plan, _plans
from printing import services as printing
from solna_sn import permissions
from solna_sn.lib.periods import year_to_open
from solna_sn.views import current_committee, permission_required


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_controls)
def index(request):
    committee = current_committee()
    plans = list(_plans(committee).select_related("next_revision"))
    form = PlanCreateForm(
        request.POST or None,
        plans=_plans(committee),
        initial={
            "year": timezone.localdate().year + 1,
            "copy_from": plans[0].pk if plans else None,
        },
    )
    if request.method == "POST":
        if not permissions.can_edit_control_plan(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                plan = services.plan_create(
                    committee=committee,
                    year=form.cleaned_data["year"],
                    copy_from=form.cleaned_data["copy_from"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"{plan} är skapad som utkast.")
                return redirect("controls:plan_detail", pk=plan.pk)
    # The plan of this year, or of the latest year with a plan while this year has none.
    year = year_to_open(timezone.localdate().year, [plan.year for plan in plans])
    current = services.current_plan(committee, year)
    return render(
        request,
        "controls/index.html",
        {
            "plans": plans,
            "form": form,
            "current": current,
            "can_edit": permissions.can_edit_control_plan(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


def _plan_context(request, plan, **extra):
    groups = services.grouped_risks(plan)
    pdf = printing.latest(plan)
    return {
        "plan": plan,
        "groups": groups,
        "risk_count": sum(len(group.risks) for group in groups),
        "can_edit": plan.state == PlanState.DRAFT
        and permissions.can_edit_control_plan(request.user),
        "can_adopt": plan.state == PlanState.DRAFT
        and permissions.can_approve_control_plan(request.user),
        "can_revise": plan.state == PlanState.ADOPTED
        and permissions.can_edit_control_plan(request.user)
        and not hasattr(plan, "next_revision"),
        "pdf": pdf,
        "periods": [(SLUG_FOR_PERIOD[p], p.label) for p in FollowUpPeriod],
        "adopt_form": extra.pop("adopt_form", None)
        or AdoptForm(initial={"adopted_on": timezone.localdate()}),
        "reason_form": extra.pop("reason_form", None) or ReasonForm(),
        **extra,
    }


@require_GET
@permission_required(permissions.can_view_controls)
def plan_detail(request, pk):
    plan = _plan(pk)
    return render(request, "controls/plan_detail.html", _plan_context(request, plan))


@require_GET
@permission_required(permissions.can_view_controls)
def plan_matrix(request, pk):
    plan = _plan(pk)
    groups = services.grouped_risks(plan)
    rows, unplaced = services.risk_matrix(plan, [risk for g in groups for risk in g.risks])
    context = {
        "plan": plan,
        "groups": groups,
        "matrix_rows": rows,
        "unplaced": unplaced,
        "scale": range(1, plan.scale_max + 1),
    }
    return render(request, "controls/plan_matrix.html", context)


@require_POST
@permission_required(permissions.can_approve_control_plan)
def plan_adopt(request, pk):
    plan = _plan(pk)
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            services.plan_adopt(
                plan=plan,
                by=request.user,
                adopted_on=form.cleaned_data["adopted_on"],
                decision_reference=form.cleaned_data["decision_reference"],
            )
        except services.StateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{plan} är fastställd. Kontrolltillfällena är skapade.")
            return redirect("controls:plan_detail", pk=plan.pk)
    plan.refresh_from_db()
    return render(
        request,
        "controls/plan_detail.html",
        _plan_context(request, plan, adopt_form=form),
        status=400,
    )


@require_POST
@permission_required(permissions.can_edit_control_plan)
def plan_revise(request, pk):
    plan = _plan(pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            revision = services.plan_new_revision(
                plan=plan, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.StateError as error:
            messages.error(request, str(error))
            return redirect("controls:plan_detail", pk=plan.pk)
        messages.success(
            request,
            f"{revision} är skapad som utkast. Den fastställda planen gäller tills "
            "revisionen fastställs.",
        )
        return redirect("controls:plan_detail", pk=revision.pk)
    return render(
        request,
        "controls/plan_detail.html",
        _plan_context(request, plan, reason_form=form),
        status=400,
    )
