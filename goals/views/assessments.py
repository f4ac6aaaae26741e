"""Assessments per report period: a goal's level, method, commentary and viktiga aktiviteter
with its key figures; an uppdrag's status. Written by the assigned writer or
förvaltningsledning; others read them. A stale save answers 409 with both texts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from goals import aggregates, queries, services
from goals.forms import (
    AssessmentForm,
    AssignmentAssessmentForm,
    AssignWriterForm,
    MeasureValueForm,
)
from goals.models import (
    Assignment,
    AssignmentAssessment,
    GoalAssessment,
    Measure,
    MeasureValue,
    ScaleStep,
)
from goals.views.common import PERIODS, conflict_rows, period_heading, report_period
from goals.views.items import STALE_MESSAGE, _goal, goal_number
from solna_sn import permissions
from solna_sn.views import current_committee, permission_required

GOAL_ASSESSMENT_LABELS = {
    "step": "Bedömning",
    "method": "Hur måluppfyllelsen mäts",
    "commentary": "Kommentar",
    "key_activities": "Viktiga aktiviteter",
    "state": "Status",
}
ASSIGNMENT_ASSESSMENT_LABELS = {"step": "Status", "commentary": "Kommentar", "state": "Klar?"}


def _step_text(pk) -> str:
    step = ScaleStep.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    return str(step) if step else ""


def _stored(assessment, names) -> dict:
    if assessment is None:
        return {}
    stored = {name: getattr(assessment, name) for name in names if name not in ("step", "state")}
    stored["step"] = str(assessment.step) if assessment.step else ""
    stored["state"] = assessment.get_state_display()
    return stored


def _conflict(form, current, labels) -> dict:
    """Both texts of a stale save; the form now carries the stored version, so saving again
    replaces it knowingly."""
    mine = {name: form.data.get(name, "") for name in labels}
    mine["step"] = _step_text(mine.get("step"))
    mine["state"] = dict(form.fields["state"].choices).get(form.data.get("state"), "")
    rows = conflict_rows(mine, _stored(current, labels), labels)
    data = form.data.copy()
    data["version"] = str(current.version) if current else "0"
    form.data = data
    form.add_error(None, STALE_MESSAGE)
    return {
        "conflict": {
            "rows": rows,
            "by": current.updated_by if current else None,
            "at": current.updated_at if current else None,
        }
    }


def _measure_rows(goal, period, can_enter: bool, forms: dict | None = None) -> list[dict]:
    measures = list(Measure.objects.filter(goal=goal).order_by("sort_order", "pk"))
    figures = queries.key_figures(goal.plan, period, measures)
    values = {
        v.measure_id: v
        for v in MeasureValue.objects.filter(measure__in=measures, period=period.kind.value)
    }
    rows = []
    for measure in measures:
        row = {"measure": measure, "figure": figures[measure.pk]}
        if can_enter and not measure.is_computed:
            stored = values.get(measure.pk)
            row["form"] = (forms or {}).get(measure.pk) or MeasureValueForm(
                measure=measure,
                initial={
                    "value": stored.value if stored else None,
                    "comparison_value": stored.comparison_value if stored else None,
                    "version": stored.version if stored else 0,
                },
            )
        rows.append(row)
    return rows


def _assessment_context(request, goal, period, assessment, form, **extra) -> dict:
    can_assess = permissions.can_assess_goal(request.user, assessment)
    can_enter = services.can_enter_measure_values(request.user, goal, period.kind.value)
    return {
        "goal": goal,
        "plan": goal.plan,
        "number": goal_number(goal),
        "period": period,
        "period_slug": period.kind.value,
        "heading": period_heading(period),
        "assessment": assessment,
        "form": form,
        "can_assess": can_assess,
        "can_assign": permissions.can_assign_goal_assessments(request.user),
        "assign_form": AssignWriterForm(
            initial={"writer": assessment.writer_id if assessment else None}
        ),
        "rows": _measure_rows(goal, period, can_enter),
        "can_enter": can_enter,
        "scale": goal.level.scale,
        "periods": PERIODS,
        **extra,
    }


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_goals)
def assessment_edit(request, pk, period):
    goal = _goal(pk)
    period = report_period(goal.plan.year, period)
    if not goal.level.takes_assessments:
        messages.error(request, f"Nivån {goal.level.name} bedöms inte per period.")
        return redirect("goals:goal_detail", pk=goal.pk)
    assessment = (
        GoalAssessment.objects.filter(goal=goal, period=period.kind.value)
        .select_related("step", "writer", "updated_by")
        .first()
    )
    if request.method == "POST" and not permissions.can_assess_goal(request.user, assessment):
        raise PermissionDenied
    form = AssessmentForm(
        request.POST or None,
        scale_id=goal.level.scale_id,
        initial=AssessmentForm.initial_for(assessment),
    )
    extra = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save(
                goal=goal,
                period=period.kind.value,
                data={name: form.cleaned_data.get(name) for name in AssessmentForm.FIELDS},
                version=form.cleaned_data["version"] or 0,
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except services.StateError as error:
            form.add_error(None, str(error))
        except services.StaleEditError as stale:
            extra = _conflict(form, stale.current, GOAL_ASSESSMENT_LABELS)
        else:
            messages.success(request, "Bedömningen är sparad.")
            return redirect("goals:assessment", pk=goal.pk, period=period.kind.value)
    if not permissions.can_assess_goal(request.user, assessment):
        for field in form.fields.values():
            field.disabled = True
    status = 409 if extra else (400 if request.method == "POST" else 200)
    return render(
        request,
        "goals/assessment_form.html",
        _assessment_context(request, goal, period, assessment, form, **extra),
        status=status,
    )


@require_POST
@permission_required(permissions.can_assign_goal_assessments)
def assessment_assign(request, pk, period):
    goal = _goal(pk)
    period = report_period(goal.plan.year, period)
    form = AssignWriterForm(request.POST)
    if form.is_valid():
        try:
            assessment = services.assessment_assign(
                goal=goal,
                period=period.kind.value,
                writer=form.cleaned_data["writer"],
                by=request.user,
            )
        except (ValidationError, services.StateError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            writer = assessment.writer
            messages.success(
                request,
                f"Bedömningen skrivs av {writer.get_full_name() or writer.username}."
                if writer
                else "Bedömningen har ingen skribent.",
            )
    else:
        messages.error(request, "Välj en skribent i listan.")
    return redirect("goals:assessment", pk=goal.pk, period=period.kind.value)


@require_POST
@permission_required(permissions.can_view_goals)
def measure_value(request, pk, period):
    """Save the hand-entered figure of a mått for a period (htmx: only its row answers)."""
    measure = get_object_or_404(Measure, pk=pk)
    goal = _goal(measure.goal_id)
    period = report_period(goal.plan.year, period)
    if not services.can_enter_measure_values(request.user, goal, period.kind.value):
        raise PermissionDenied
    form = MeasureValueForm(request.POST, measure=measure)
    saved = False
    status = 200
    if form.is_valid():
        try:
            services.measure_value_save(
                measure=measure,
                period=period.kind.value,
                value=form.cleaned_data["value"],
                comparison_value=form.cleaned_data["comparison_value"],
                version=form.cleaned_data["version"] or 0,
                by=request.user,
            )
        except services.StateError as error:
            form.add_error(None, str(error))
            status = 400
        except services.StaleEditError as stale:
            current = stale.current
            decimals = measure.decimals
            stored = (
                f"sparat värde: {aggregates.figure_text(current.value, decimals) or 'tomt'}, "
                "föregående år: "
                f"{aggregates.figure_text(current.comparison_value, decimals) or 'tomt'}"
                if current
                else "siffrorna är borttagna"
            )
            form.add_error(
                None,
                f"Inte sparat: någon annan har sparat siffrorna medan du skrev ({stored}). "
                "Spara igen för att ersätta dem med dina.",
            )
            data = form.data.copy()
            data[form.add_prefix("version")] = str(current.version) if current else "0"
            form.data = data
            status = 409
        else:
            saved = True
    else:
        status = 400
    if not request.htmx:
        if saved:
            messages.success(request, f"Siffrorna för ”{measure.title}” är sparade.")
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("goals:assessment", pk=goal.pk, period=period.kind.value)
    rows = _measure_rows(goal, period, True, forms=None if saved else {measure.pk: form})
    row = next(r for r in rows if r["measure"].pk == measure.pk)
    return render(
        request,
        "goals/assessment_form.html#measure-row",
        {"row": row, "goal": goal, "period_slug": period.kind.value, "saved": saved},
        status=status,
    )


# --- Uppdrag ----------------------------------------------------------------------------------


def _assignment(pk) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("plan__committee", "lead_committee"), pk=pk
    )
    if assignment.plan.committee_id != current_committee().pk:
        raise PermissionDenied
    return assignment


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_goals)
def assignment_assessment_edit(request, pk, period):
    assignment = _assignment(pk)
    period = report_period(assignment.plan.year, period)
    config = services.settings_for(assignment.plan.committee)
    assessment = (
        AssignmentAssessment.objects.filter(assignment=assignment, period=period.kind.value)
        .select_related("step", "writer", "updated_by")
        .first()
    )
    can_assess = permissions.can_assess_goal(request.user, assessment)
    if request.method == "POST" and not can_assess:
        raise PermissionDenied
    form = AssignmentAssessmentForm(
        request.POST or None,
        scale_id=config.assignment_scale_id,
        initial=AssignmentAssessmentForm.initial_for(assessment),
    )
    extra = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_assessment_save(
                assignment=assignment,
                period=period.kind.value,
                data={
                    name: form.cleaned_data.get(name) for name in AssignmentAssessmentForm.FIELDS
                },
                version=form.cleaned_data["version"] or 0,
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except services.StaleEditError as stale:
            extra = _conflict(form, stale.current, ASSIGNMENT_ASSESSMENT_LABELS)
        else:
            messages.success(request, "Uppdragets status är sparad.")
            return redirect(
                "goals:assignment_assessment", pk=assignment.pk, period=period.kind.value
            )
    if not can_assess:
        for field in form.fields.values():
            field.disabled = True
    status = 409 if extra else (400 if request.method == "POST" else 200)
    return render(
        request,
        "goals/assignment_assessment_form.html",
        {
            "assignment": assignment,
            "plan": assignment.plan,
            "period": period,
            "period_slug": period.kind.value,
            "heading": period_heading(period),
            "assessment": assessment,
            "form": form,
            "can_assess": can_assess,
            "can_assign": permissions.can_assign_goal_assessments(request.user),
            "assign_form": AssignWriterForm(
                initial={"writer": assessment.writer_id if assessment else None}
            ),
            "scale": config.assignment_scale,
            **extra,
        },
        status=status,
    )


@require_POST
@permission_required(permissions.can_assign_goal_assessments)
def assignment_assessment_assign(request, pk, period):
    assignment = _assignment(pk)
    period = report_period(assignment.plan.year, period)
    form = AssignWriterForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_assessment_assign(
                assignment=assignment,
                period=period.kind.value,
                writer=form.cleaned_data["writer"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Skribenten är sparad.")
    else:
        messages.error(request, "Välj en skribent i listan.")
    return redirect("goals:assignment_assessment", pk=assignment.pk, period=period.kind.value)
