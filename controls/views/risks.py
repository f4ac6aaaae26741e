"""Risks of a plan: create, edit, delete, and the riskindex preview while typing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from controls import rules, services
from controls.forms import (
    RiskForm,
)
from controls.models import (
    PlanState,
    Risk,
)
from controls.views.common import _plan
from solna_sn import permissions
from solna_sn.views import permission_required


def _risk_data(form: RiskForm) -> dict:
    return {name: form.cleaned_data.get(name) for name in services.RISK_FIELDS}


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_control_plan)
def risk_create(request, pk):
    plan = _plan(pk)
    if plan.state != PlanState.DRAFT:
        messages.error(
            request, "Planen är fastställd och låst. Skapa en ny revision för att ändra."
        )
        return redirect("controls:plan_detail", pk=plan.pk)
    form = RiskForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_save(plan=plan, data=_risk_data(form), by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        except services.StateError as error:
            messages.error(request, str(error))
            return redirect("controls:plan_detail", pk=plan.pk)
        else:
            messages.success(request, f"Risk {risk.number} är tillagd.")
            if "spara-och-ny" in request.POST:
                return redirect("controls:risk_create", pk=plan.pk)
            return redirect(f"{reverse('controls:plan_detail', args=[plan.pk])}#risk-{risk.number}")
    return render(
        request,
        "controls/risk_form.html",
        {
            "plan": plan,
            "form": form,
            "processes": plan.processes.all(),
            "preview": _form_preview(plan, form),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_controls)
def risk_edit(request, pk):
    risk = get_object_or_404(Risk.objects.select_related("plan__committee", "process"), pk=pk)
    plan = risk.plan
    editable = plan.state == PlanState.DRAFT and permissions.can_edit_control_plan(request.user)
    if request.method == "POST" and not editable:
        if not permissions.can_edit_control_plan(request.user):
            raise PermissionDenied
        messages.error(
            request, "Planen är fastställd och låst. Skapa en ny revision för att ändra."
        )
        return redirect("controls:risk_edit", pk=risk.pk)
    form = RiskForm(request.POST or None, plan=plan, initial=RiskForm.initial_for(risk))
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_save(
                plan=plan,
                risk=risk,
                data=_risk_data(form),
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except services.StaleEditError:
            conflict = True
            risk.refresh_from_db()
            form.add_error(
                None,
                "Någon annan har sparat risken medan du redigerade. Dina ändringar är inte "
                "sparade; jämför med den sparade versionen nedan och gör om dem.",
            )
        else:
            messages.success(request, f"Risk {risk.number} är sparad.")
            return redirect(f"{reverse('controls:plan_detail', args=[plan.pk])}#risk-{risk.number}")
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "controls/risk_form.html",
        {
            "plan": plan,
            "risk": risk,
            "form": form,
            "editable": editable,
            "conflict": conflict,
            "processes": plan.processes.all(),
            "preview": _form_preview(plan, form),
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@require_POST
@permission_required(permissions.can_edit_control_plan)
def risk_delete(request, pk):
    risk = get_object_or_404(Risk.objects.select_related("plan", "process"), pk=pk)
    plan = risk.plan
    try:
        services.risk_delete(risk=risk, by=request.user)
    except services.StateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Risk {risk.number} är borttagen.")
    return redirect("controls:plan_detail", pk=plan.pk)


def _preview(plan, likelihood, consequence, index) -> dict:
    """Context for controls/_riskindex.html: the index of the factors, or what is wrong."""
    context = {"plan": plan}
    if "fel" in (likelihood, consequence, index):
        context["error"] = "Ange heltal."
    elif likelihood is None and consequence is None and index is None:
        context["empty"] = True
    else:
        try:
            value = rules.risk_index(
                likelihood=likelihood,
                consequence=consequence,
                index=index if likelihood is None else None,
                scale_max=plan.scale_max,
            )
        except rules.RuleError as error:
            context["error"] = str(error)
        else:
            context.update(
                value=value,
                band=rules.band(value, plan.scale_max),
                band_label=rules.band_label(value, plan.scale_max),
            )
    return context


def _form_preview(plan, form) -> dict:
    names = ("likelihood", "consequence", "risk_index")
    if form.is_bound:
        data = getattr(form, "cleaned_data", {})
        return _preview(plan, *(data.get(n) for n in names))
    return _preview(plan, *(form.initial.get(n) for n in names))


@require_GET
@permission_required(permissions.can_view_controls)
def riskindex_preview(request, pk):
    """htmx: the riskindex for the typed factors, or what is wrong with them."""
    plan = _plan(pk)

    def number(name):
        raw = (request.GET.get(name) or "").strip()
        if not raw:
            return None
        try:
            return int(raw)
        except ValueError:
            return "fel"

    context = _preview(plan, number("likelihood"), number("consequence"), number("risk_index"))
    return render(request, "controls/_riskindex.html", context)
