"""The control calendar and results: an occasion with figures and åtgärder, and the result's
way to approval."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from controls import services
from controls.forms import (
    ACTION_ROWS_EXTRA,
    FIGURE_ROWS_EXTRA,
    CommentForm,
    ResultForm,
)
from controls.models import (
    Action,
    DeviationLevel,
    Occasion,
    PlanState,
    Result,
    ResultState,
)
from controls.views.common import _plan
from solna_sn import permissions
from solna_sn.lib.periods import MONTH_NAMES
from solna_sn.models import Unit
from solna_sn.views import permission_required


@require_GET
@permission_required(permissions.can_view_controls)
def calendar(request, pk):
    plan = _plan(pk)
    units = Unit.objects.filter(control_risks__plan=plan).distinct().order_by("sort_order", "name")
    unit = None
    if request.GET.get("enhet"):
        try:
            unit = units.get(pk=int(request.GET["enhet"]))
        except (ValueError, Unit.DoesNotExist):
            raise Http404("Enheten har inga kontroller i planen.") from None
    today = timezone.localdate()
    entries = services.calendar(plan, today=today, unit=unit)
    months = []
    for entry in entries:
        if not months or months[-1][0] != entry.occasion.month:
            months.append((entry.occasion.month, MONTH_NAMES[entry.occasion.month - 1], []))
        months[-1][2].append(entry)
    counts = {}
    for entry in entries:
        counts[entry.status] = counts.get(entry.status, 0) + 1
    context = {
        "plan": plan,
        "units": units,
        "unit": unit,
        "months": months,
        "counts": [
            (services.CalendarStatus.LABELS[s], counts.get(s, 0))
            for s in ("overdue", "due", "draft", "review", "done", "upcoming")
        ],
        "today": today,
    }
    template = "controls/calendar.html"
    if request.htmx:
        template += "#calendar-body"
    return render(request, template, context)


def _occasion(pk) -> Occasion:
    return get_object_or_404(
        Occasion.objects.select_related(
            "risk__plan__committee", "risk__process", "risk__responsible_unit"
        ),
        pk=pk,
    )


def _result_of(occasion):
    return (
        Result.objects.select_related("level", "recorded_by", "approved_by")
        .prefetch_related("figures", "actions")
        .filter(occasion=occasion)
        .first()
    )


def _occasion_page(request, occasion, *, form=None, status=200, conflict=False):
    plan = occasion.risk.plan
    result = _result_of(occasion)
    may_record = services.may_record(request.user, occasion)
    editable = (
        may_record
        and plan.state == PlanState.ADOPTED
        and (result is None or result.state != ResultState.APPROVED)
    )
    levels = DeviationLevel.objects.filter(committee=plan.committee, active=True).order_by("rank")
    if form is None:
        form = ResultForm(
            initial=ResultForm.initial_for(result) if result else {},
            levels=levels,
            figure_rows=result.figures.count() if result else 0,
            action_rows=result.actions.count() if result else 0,
        )
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "controls/occasion.html",
        {
            "occasion": occasion,
            "risk": occasion.risk,
            "plan": plan,
            "month_name": MONTH_NAMES[occasion.month - 1],
            "result": result,
            "figures": result.figures.all() if result else [],
            "form": form,
            "editable": editable,
            "may_record": may_record,
            "can_approve": permissions.can_approve_control_result(request.user),
            "approval_blocker": (
                services.result_may_approve(result, request.user)[1] if result else ""
            ),
            "comment_form": CommentForm(),
            "conflict": conflict,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_controls)
def occasion_detail(request, pk):
    occasion = _occasion(pk)
    if request.method == "GET":
        return _occasion_page(request, occasion)
    if not services.may_record(request.user, occasion):
        raise PermissionDenied
    plan = occasion.risk.plan
    levels = DeviationLevel.objects.filter(committee=plan.committee, active=True)
    form = ResultForm(
        request.POST,
        levels=levels,
        figure_rows=_posted_rows(request.POST, "figure"),
        action_rows=_posted_rows(request.POST, "action"),
    )
    if form.is_valid():
        try:
            services.result_save(
                occasion=occasion,
                by=request.user,
                level=form.cleaned_data["level"],
                finding=form.cleaned_data["finding"],
                explanation=form.cleaned_data["explanation"],
                figures=form.figures_data(),
                actions=form.actions_data(),
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except services.StaleEditError:
            form.add_error(
                None,
                "Någon annan har sparat resultatet medan du redigerade. Dina ändringar är inte "
                "sparade. Läs in sidan igen för att se den sparade versionen.",
            )
            return _occasion_page(request, occasion, form=form, status=409, conflict=True)
        except services.StateError as error:
            messages.error(request, str(error))
            return redirect("controls:occasion", pk=occasion.pk)
        else:
            messages.success(request, "Resultatet är sparat.")
            return redirect("controls:occasion", pk=occasion.pk)
    return _occasion_page(request, occasion, form=form, status=400)


def _posted_rows(data, prefix: str) -> int:
    """How many existing rows the posted form had (it always shows that many plus extras)."""
    extra = FIGURE_ROWS_EXTRA if prefix == "figure" else ACTION_ROWS_EXTRA
    # isdecimal, not isdigit: "²" is a digit int() cannot read. Four digits are plenty.
    indices = {
        int(key.split("-")[1])
        for key in data
        if key.startswith(f"{prefix}-")
        and key.split("-")[1].isdecimal()
        and len(key.split("-")[1]) <= 4
    }
    count = (max(indices) + 1) if indices else 0
    return min(max(count - extra, 0), 50)


def _result(pk) -> Result:
    return get_object_or_404(Result.objects.select_related("occasion"), pk=pk)


def _result_step(request, result, run, success: str):
    try:
        run()
    except services.StateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("controls:occasion", pk=result.occasion_id)


@require_POST
@permission_required(permissions.can_view_controls)
def result_submit(request, pk):
    result = _result(pk)
    return _result_step(
        request,
        result,
        lambda: services.result_submit(result=result, by=request.user),
        "Resultatet är skickat för granskning.",
    )


@require_POST
@permission_required(permissions.can_view_controls)
def result_approve(request, pk):
    result = _result(pk)
    return _result_step(
        request,
        result,
        lambda: services.result_approve(result=result, by=request.user),
        "Resultatet är godkänt och låst.",
    )


@require_POST
@permission_required(permissions.can_view_controls)
def result_return(request, pk):
    result = _result(pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        if "comment" in form.data and form.data["comment"].strip():
            for message in form.errors.get("comment", []):
                messages.error(request, message)  # too long, or control characters
        else:
            messages.error(request, "Skriv vad som behöver ändras innan du lämnar tillbaka.")
        return redirect("controls:occasion", pk=result.occasion_id)
    return _result_step(
        request,
        result,
        lambda: services.result_return(
            result=result, by=request.user, comment=form.cleaned_data["comment"]
        ),
        "Resultatet är tillbakaskickat till utkast.",
    )


@require_POST
@permission_required(permissions.can_view_controls)
def action_done(request, pk):
    """Mark an åtgärd done today, or not done (htmx answers with the row)."""
    action = get_object_or_404(Action.objects.select_related("result__occasion"), pk=pk)
    done = request.POST.get("klar") == "1"
    error = ""
    try:
        action = services.action_mark_done(
            action=action, by=request.user, done_on=timezone.localdate() if done else None
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        return render(
            request,
            "controls/occasion.html#action-row",
            {"action": action, "may_record": True, "action_error": error},
        )
    if error:
        messages.error(request, error)
    return redirect("controls:occasion", pk=action.result.occasion_id)
