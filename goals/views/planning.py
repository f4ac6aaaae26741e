"""Planning next year beside this year: start year N+1 as a copy of year N (every part of the
verksamhetsplan), what changed from the year before, and a new revision of a fastställd
tree."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from goals import services
from goals.forms import CopyForm, RevisionForm
from goals.views.common import NoPlan, no_plan_page, plan_or_missing
from solna_sn import permissions, planning
from solna_sn.errors import StateError
from solna_sn.views import current_committee, permission_required


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_start_plan_year)
def plan_next(request, year):
    """Confirm (GET), then start next year's plan (POST) as a copy of this year's: goal tree,
    budget with its tables, taxor and kvalitetsdeklarationer, internkontrollplan, links."""
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
                planning.start_next_year(committee=committee, year=plan.year, by=request.user)
            except StateError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    f"Planeringen för {target} är påbörjad som en kopia av {plan.year}. "
                    f"{plan.year} är oförändrat.",
                )
                return redirect("goals:tree", year=target)
    parts = [
        (part, part.exists(committee, plan.year), part.exists(committee, target))
        for part in planning.parts()
    ]
    return render(
        request,
        "goals/plan_next.html",
        {
            "plan": plan,
            "target": target,
            "parts": parts,
            "started": any(started for part, _, started in parts if part.adoptable),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@permission_required(permissions.can_view_goals)
def plan_changes(request, year):
    """What changed in year N from year N − 1: goals, mått, aktiviteter and risks added,
    reworded or removed (by key), budget rows changed, and the budget's warnings."""
    committee = current_committee()
    try:
        plan = plan_or_missing(committee, year)
    except NoPlan as missing:
        return no_plan_page(request, committee, missing)
    return render(
        request,
        "goals/plan_changes.html",
        {
            "plan": plan,
            "previous": year - 1,
            "groups": planning.changes_from_previous(committee, year),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_adopt_plan_year)
def plan_revise(request, year):
    """A new revision of a fastställd goal tree (the adopted texts are kept)."""
    committee = current_committee()
    try:
        plan = plan_or_missing(committee, year)
    except NoPlan as missing:
        return no_plan_page(request, committee, missing)
    form = RevisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_new_revision(
                plan=plan, reason=form.cleaned_data["reason"], by=request.user
            )
        except StateError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"Målträdet {plan.year} är en ny revision under arbete. Den fastställda "
                "versionen finns kvar att läsa.",
            )
            return redirect("goals:tree", year=plan.year)
    return render(
        request,
        "goals/plan_revise.html",
        {"plan": plan, "form": form},
        status=400 if request.method == "POST" else 200,
    )
