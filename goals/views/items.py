"""Goals, mått, aktiviteter and uppdrag: detail and edit pages. Each POST checks the role,
binds a form and calls a service; a save over a newer version answers 409 with both texts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goals import queries, services
from goals.forms import ActivityForm, AssignmentForm, GoalForm, MeasureForm
from goals.models import (
    Activity,
    AggregationChoice,
    Assignment,
    Goal,
    Level,
    Measure,
    MeasureSource,
)
from goals.views.common import PERIODS, NoPlan, conflict_rows, no_plan_page, plan_or_missing
from solna_sn import permissions
from solna_sn.lib.periods import PeriodKind, ReportPeriod
from solna_sn.views import current_committee, permission_required

STALE_MESSAGE = (
    "Inte sparat: någon annan har sparat en nyare version medan du skrev. Inget har skrivits "
    "över. Jämför texterna nedan; spara igen för att ersätta den sparade versionen med din."
)


def _goal(pk) -> Goal:
    goal = get_object_or_404(
        Goal.objects.select_related("plan__committee", "level__scale", "parent__level"), pk=pk
    )
    if goal.plan.committee_id != current_committee().pk:
        raise PermissionDenied
    return goal


def goal_number(goal: Goal) -> int:
    pks = list(
        Goal.objects.filter(plan_id=goal.plan_id, level_id=goal.level_id)
        .order_by("sort_order", "pk")
        .values_list("pk", flat=True)
    )
    return pks.index(goal.pk) + 1


def _stale(form, current, labels: dict, stored: dict) -> dict:
    """Context for a 409: the rows that differ; the form now carries the stored version, so
    saving again replaces it (knowingly)."""
    mine = {name: form.data.get(form.add_prefix(name), "") for name in labels}
    data = form.data.copy()
    data[form.add_prefix("version")] = str(current.version) if current else "0"
    form.data = data
    form.add_error(None, STALE_MESSAGE)
    return {
        "conflict": {
            "rows": conflict_rows(mine, stored, labels),
            "by": current.updated_by if current else None,
            "at": current.updated_at if current else None,
        }
    }


# --- Goals ------------------------------------------------------------------------------------


GOAL_LABELS = {"title": "Måltext", "description": "Beskrivning"}


def _goal_data(form) -> dict:
    return {
        name: form.cleaned_data.get(name)
        for name in (
            "level",
            "parent",
            "title",
            "description",
            "agenda2030",
            "responsible_unit",
            "sort_order",
        )
    }


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_goal_tree)
def goal_create(request, year):
    committee = current_committee()
    try:
        plan = plan_or_missing(committee, year)
    except NoPlan as missing:
        return no_plan_page(request, committee, missing)
    initial = {}
    if request.GET.get("under"):
        parent = plan.goals.filter(pk=request.GET["under"]).select_related("level").first()
        if parent is not None:
            below = Level.objects.filter(
                committee_id=plan.committee_id, order=parent.level.order + 1
            ).first()
            initial = {"parent": parent.pk, "level": below.pk if below else None}
    form = GoalForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_save(plan=plan, data=_goal_data(form), by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Målet är tillagt.")
            return redirect("goals:goal_detail", pk=goal.pk)
    return render(
        request,
        "goals/goal_form.html",
        {"plan": plan, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_goal_tree)
def goal_edit(request, pk):
    goal = _goal(pk)
    plan = goal.plan
    form = GoalForm(request.POST or None, plan=plan, goal=goal, initial=GoalForm.initial_for(goal))
    extra = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_save(
                plan=plan,
                goal=goal,
                data=_goal_data(form),
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except services.StaleEditError as stale:
            extra = _stale(
                form,
                stale.current,
                GOAL_LABELS,
                {"title": stale.current.title, "description": stale.current.description},
            )
        else:
            messages.success(request, "Målet är sparat.")
            return redirect("goals:goal_detail", pk=goal.pk)
    status = 409 if extra else (400 if request.method == "POST" else 200)
    return render(
        request,
        "goals/goal_form.html",
        {"plan": plan, "goal": goal, "form": form, **extra},
        status=status,
    )


@require_POST
@permission_required(permissions.can_edit_goal_tree)
def goal_delete(request, pk):
    goal = _goal(pk)
    plan = goal.plan
    try:
        services.goal_delete(goal=goal, by=request.user)
    except services.GoalInUse as error:
        messages.error(request, str(error))
        return redirect("goals:goal_detail", pk=goal.pk)
    messages.success(request, "Målet är borttaget.")
    return redirect("goals:tree", year=plan.year)


def figure_rows(plan, measures: list[Measure]) -> list[dict]:
    """Per mått, its figure for each report period of the plan year."""
    by_period = {
        kind.value: queries.key_figures(plan, ReportPeriod(plan.year, kind), measures)
        for kind in PeriodKind
    }
    return [
        {
            "measure": measure,
            "figures": [(kind.value, by_period[kind.value][measure.pk]) for kind in PeriodKind],
            "source": by_period[PeriodKind.AUGUST.value][measure.pk].source,
        }
        for measure in measures
    ]


@require_GET
@permission_required(permissions.can_view_goals)
def goal_detail(request, pk):
    goal = _goal(pk)
    goal = queries.goal_detail(goal.pk)
    plan = goal.plan
    measures = list(goal.measures.all())
    assessments = {a.period: a for a in goal.assessments.all()}
    context = {
        "plan": plan,
        "goal": goal,
        "number": goal_number(goal),
        "sdgs": list(goal.agenda2030.all()),
        "children": list(goal.children.select_related("level").order_by("sort_order", "pk")),
        "rows": figure_rows(plan, measures),
        "activities": list(goal.activities.all()),
        "assessments": [(slug, label, assessments.get(slug)) for slug, label, _short in PERIODS],
        "can_edit": permissions.can_edit_goal_tree(request.user) and not goal.plan.is_adopted,
        "config": services.settings_for(plan.committee),
    }
    return render(request, "goals/goal_detail.html", context)


# --- Mått -------------------------------------------------------------------------------------


MEASURE_LABELS = {"title": "Mått", "unit": "Enhet", "series_code": "Verksamhetsmått"}


def _measure_data(form) -> dict:
    return {name: form.cleaned_data.get(name) for name in services.MEASURE_FIELDS}


def _preview(goal: Goal, data) -> dict:
    """Context of the figure preview: what the chosen series gives for the plan year."""
    code = (data.get("series_code") or "").strip()
    aggregation = data.get("aggregation") or ""
    if data.get("source") != MeasureSource.SERIES:
        return {"preview": None}
    if not code or aggregation not in AggregationChoice.values:
        return {"preview": {"empty": True}}
    try:
        decimals = max(0, min(4, int(data.get("decimals") or 0)))
    except (TypeError, ValueError):
        decimals = 0
    measure = Measure(
        goal=goal,
        title="",
        unit=(data.get("unit") or "")[:60],
        decimals=decimals,
        source=MeasureSource.SERIES,
        series_code=code[:60],
        aggregation=aggregation,
    )
    figures = [
        queries.key_figure(measure, ReportPeriod(goal.plan.year, kind)) for kind in PeriodKind
    ]
    return {"preview": {"figures": figures, "source": figures[1].source}}


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_goal_tree)
def measure_create(request, pk):
    goal = _goal(pk)
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_save(goal=goal, data=_measure_data(form), by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Måttet är tillagt.")
            return redirect(reverse("goals:goal_detail", args=[goal.pk]) + "#matt")
    data = form.data if form.is_bound else form.initial
    return render(
        request,
        "goals/measure_form.html",
        {"goal": goal, "plan": goal.plan, "form": form, **_preview(goal, data)},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_goal_tree)
def measure_edit(request, pk):
    measure = get_object_or_404(Measure, pk=pk)
    goal = _goal(measure.goal_id)
    form = MeasureForm(
        request.POST or None,
        initial=MeasureForm.initial_for(measure),
        current_code=measure.series_code,
    )
    extra = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_save(
                goal=goal,
                measure=measure,
                data=_measure_data(form),
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except services.StaleEditError as stale:
            current = stale.current
            extra = _stale(
                form,
                current,
                MEASURE_LABELS,
                {"title": current.title, "unit": current.unit, "series_code": current.series_code},
            )
        else:
            messages.success(request, "Måttet är sparat.")
            return redirect(reverse("goals:goal_detail", args=[goal.pk]) + "#matt")
    data = form.data if form.is_bound else form.initial
    status = 409 if extra else (400 if request.method == "POST" else 200)
    return render(
        request,
        "goals/measure_form.html",
        {
            "goal": goal,
            "plan": goal.plan,
            "measure": measure,
            "form": form,
            **_preview(goal, data),
            **extra,
        },
        status=status,
    )


@require_GET
@permission_required(permissions.can_edit_goal_tree)
def measure_preview(request, pk):
    """htmx: the figure the chosen series and aggregation give for the plan year."""
    goal = _goal(pk)
    return render(
        request,
        "goals/measure_form.html#figure-preview",
        {"goal": goal, **_preview(goal, request.GET)},
    )


@require_POST
@permission_required(permissions.can_edit_goal_tree)
def measure_delete(request, pk):
    measure = get_object_or_404(Measure, pk=pk)
    goal = _goal(measure.goal_id)
    try:
        services.measure_delete(measure=measure, by=request.user)
    except services.GoalInUse as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Måttet är borttaget.")
    return redirect(reverse("goals:goal_detail", args=[goal.pk]) + "#matt")


# --- Aktiviteter ------------------------------------------------------------------------------


ACTIVITY_LABELS = {"title": "Aktivitet", "description": "Beskrivning"}


def _activity_data(form) -> dict:
    return {name: form.cleaned_data.get(name) for name in services.ACTIVITY_FIELDS}


def _after_activity(activity) -> str:
    if activity.goal_id:
        return reverse("goals:goal_detail", args=[activity.goal_id]) + "#aktiviteter"
    return reverse("goals:tree", args=[activity.plan.year]) + "#lopande"


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_goal_tree)
def activity_create(request, year):
    committee = current_committee()
    try:
        plan = plan_or_missing(committee, year)
    except NoPlan as missing:
        return no_plan_page(request, committee, missing)
    config = services.settings_for(committee)
    initial = {}
    if request.GET.get("mal"):
        initial["goal"] = request.GET["mal"]
    form = ActivityForm(
        request.POST or None, plan=plan, ongoing_heading=config.ongoing_heading, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_save(plan=plan, data=_activity_data(form), by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Aktiviteten är tillagd.")
            return redirect(_after_activity(activity))
    return render(
        request,
        "goals/activity_form.html",
        {"plan": plan, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_goal_tree)
def activity_edit(request, pk):
    activity = get_object_or_404(Activity.objects.select_related("plan"), pk=pk)
    plan = activity.plan
    if plan.committee_id != current_committee().pk:
        raise PermissionDenied
    config = services.settings_for(plan.committee)
    form = ActivityForm(
        request.POST or None,
        plan=plan,
        ongoing_heading=config.ongoing_heading,
        initial=ActivityForm.initial_for(activity),
    )
    extra = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(
                plan=plan,
                activity=activity,
                data=_activity_data(form),
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except services.StaleEditError as stale:
            current = stale.current
            extra = _stale(
                form,
                current,
                ACTIVITY_LABELS,
                {"title": current.title, "description": current.description},
            )
        else:
            messages.success(request, "Aktiviteten är sparad.")
            activity.refresh_from_db()
            return redirect(_after_activity(activity))
    status = 409 if extra else (400 if request.method == "POST" else 200)
    return render(
        request,
        "goals/activity_form.html",
        {"plan": plan, "activity": activity, "form": form, **extra},
        status=status,
    )


@require_POST
@permission_required(permissions.can_edit_goal_tree)
def activity_delete(request, pk):
    activity = get_object_or_404(Activity.objects.select_related("plan"), pk=pk)
    if activity.plan.committee_id != current_committee().pk:
        raise PermissionDenied
    target = _after_activity(activity)
    services.activity_delete(activity=activity, by=request.user)
    messages.success(request, "Aktiviteten är borttagen.")
    return redirect(target)


# --- Uppdrag ----------------------------------------------------------------------------------


def _assignment_data(form) -> dict:
    return {
        name: form.cleaned_data.get(name)
        for name in (
            "text",
            "decided_by",
            "lead_committee",
            "participating_committees",
            "sort_order",
        )
    }


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_goal_tree)
def assignment_create(request, year):
    committee = current_committee()
    try:
        plan = plan_or_missing(committee, year)
    except NoPlan as missing:
        return no_plan_page(request, committee, missing)
    form = AssignmentForm(
        request.POST or None, initial={"participating_committees": [committee.pk]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_save(plan=plan, data=_assignment_data(form), by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Uppdraget är tillagt.")
            return redirect(reverse("goals:tree", args=[plan.year]) + "#uppdrag")
    return render(
        request,
        "goals/assignment_form.html",
        {"plan": plan, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_goal_tree)
def assignment_edit(request, pk):
    assignment = get_object_or_404(Assignment.objects.select_related("plan"), pk=pk)
    plan = assignment.plan
    if plan.committee_id != current_committee().pk:
        raise PermissionDenied
    form = AssignmentForm(request.POST or None, initial=AssignmentForm.initial_for(assignment))
    extra = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_save(
                plan=plan,
                assignment=assignment,
                data=_assignment_data(form),
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except services.StaleEditError as stale:
            extra = _stale(form, stale.current, {"text": "Uppdrag"}, {"text": stale.current.text})
        else:
            messages.success(request, "Uppdraget är sparat.")
            return redirect(reverse("goals:tree", args=[plan.year]) + "#uppdrag")
    status = 409 if extra else (400 if request.method == "POST" else 200)
    return render(
        request,
        "goals/assignment_form.html",
        {"plan": plan, "assignment": assignment, "form": form, **extra},
        status=status,
    )


@require_POST
@permission_required(permissions.can_edit_goal_tree)
def assignment_delete(request, pk):
    assignment = get_object_or_404(Assignment.objects.select_related("plan"), pk=pk)
    plan = assignment.plan
    if plan.committee_id != current_committee().pk:
        raise PermissionDenied
    try:
        services.assignment_delete(assignment=assignment, by=request.user)
    except services.GoalInUse as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Uppdraget är borttaget.")
    return redirect(reverse("goals:tree", args=[plan.year]) + "#uppdrag")
