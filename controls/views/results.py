"""Internkontroll pages: plans and risks, the risk matrix, the control calendar, results with
figures and åtgärder, follow-up per period, Excel and PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from controls import excel, rules, services
from controls.forms import (
    ACTION_ROWS_EXTRA,
    FIGURE_ROWS_EXTRA,
    PERIOD_SLUGS,
    AdoptForm,
    CommentForm,
    FollowUpForm,
    ImportForm,
    PlanCreateForm,
    ReasonForm,
    ResultForm,
    RiskForm,
)
from controls.models import (
    Action,
    ControlPlan,
    DeviationLevel,
    FollowUpPeriod,
    Occasion,
    PlanImport,
    PlanState,
    Result,
    ResultState,
    Risk,
)
from printing import services as printing
from solna_sn import permissions
from solna_sn.lib.periods import MONTH_NAMES
from solna_sn.lib.text import without_control_characters
from solna_sn.models import Unit
from solna_sn.views import current_committee, permission_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SLUG_FOR_PERIOD = {period: slug for slug, period in PERIOD_SLUGS.items()}


def _plan(pk) -> ControlPlan:
    return get_object_or_404(
        ControlPlan.objects.select_related("committee", "previous", "adopted_by"), pk=pk
    )


def _plans(committee):
    return ControlPlan.objects.filter(committee=committee).order_by("-year", "-revision")


# --- Plans ------------------------------------------------------------------------------------


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
    today = timezone.localdate()
    current = services.current_plan(committee, today.year)
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


# --- Risks ------------------------------------------------------------------------------------


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


# --- Calendar and results ---------------------------------------------------------------------


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


@require_POST
@permission_required(permissions.can_view_controls)
def result_transition(request, pk, action):
    result = get_object_or_404(Result.objects.select_related("occasion"), pk=pk)
    try:
        if action == "skicka":
            services.result_submit(result=result, by=request.user)
            messages.success(request, "Resultatet är skickat för granskning.")
        elif action == "godkann":
            services.result_approve(result=result, by=request.user)
            messages.success(request, "Resultatet är godkänt och låst.")
        elif action == "aterlamna":
            form = CommentForm(request.POST)
            if not form.is_valid():
                if "comment" in form.data and form.data["comment"].strip():
                    for message in form.errors.get("comment", []):
                        messages.error(request, message)  # too long, or control characters
                else:
                    messages.error(
                        request, "Skriv vad som behöver ändras innan du lämnar tillbaka."
                    )
                return redirect("controls:occasion", pk=result.occasion_id)
            services.result_return(
                result=result, by=request.user, comment=form.cleaned_data["comment"]
            )
            messages.success(request, "Resultatet är tillbakaskickat till utkast.")
        else:
            raise Http404
    except services.StateError as error:
        messages.error(request, str(error))
    return redirect("controls:occasion", pk=result.occasion_id)


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


# --- Follow-up --------------------------------------------------------------------------------


def _period(slug) -> str:
    if slug not in PERIOD_SLUGS:
        raise Http404("Okänd uppföljningsperiod.")
    return PERIOD_SLUGS[slug]


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_controls)
def follow_up(request, pk, period):
    plan = _plan(pk)
    period = _period(period)
    record = services.follow_up_for(plan, period)
    form = FollowUpForm(
        request.POST or None,
        initial={"assessment": record.assessment, "version": record.version if record.pk else 0},
    )
    status = 200
    if request.method == "POST":
        if not permissions.can_edit_control_plan(request.user):
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                services.follow_up_save(
                    plan=plan,
                    period=period,
                    assessment=form.cleaned_data["assessment"],
                    version=form.cleaned_data["version"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except services.StaleEditError:
                status = 409
                form.add_error(
                    None,
                    "Någon annan har sparat bedömningen medan du skrev. Din text är inte sparad; "
                    "kopiera den och läs in sidan igen.",
                )
            except services.StateError as error:
                messages.error(request, str(error))
                return redirect("controls:follow_up", pk=plan.pk, period=SLUG_FOR_PERIOD[period])
            else:
                messages.success(request, "Den samlade bedömningen är sparad.")
                return redirect("controls:follow_up", pk=plan.pk, period=SLUG_FOR_PERIOD[period])
    rows = services.follow_up_rows(plan, period)
    return render(
        request,
        "controls/follow_up.html",
        {
            "plan": plan,
            "period": period,
            "period_label": FollowUpPeriod(period).label,
            "periods": [(SLUG_FOR_PERIOD[p], p.label, p == period) for p in FollowUpPeriod],
            "rows": rows,
            "record": record,
            "form": form,
            "can_edit": permissions.can_edit_control_plan(request.user)
            and plan.state == PlanState.ADOPTED,
            "pending": sum(1 for r in rows if r.result and r.result.state != ResultState.APPROVED),
            "missing": sum(1 for r in rows if r.result is None),
        },
        status=status,
    )


# --- Export, print and import -----------------------------------------------------------------


@require_GET
@permission_required(permissions.can_view_controls)
def plan_excel(request, pk):
    plan = _plan(pk)
    response = HttpResponse(excel.export_plan_workbook(plan), content_type=XLSX)
    suffix = f"-revision-{plan.revision}" if plan.revision > 1 else ""
    response["Content-Disposition"] = (
        f'attachment; filename="internkontrollplan-{plan.year}{suffix}.xlsx"'
    )
    return response


def plan_print_html(plan, *, asset_base="", preview_back_url="") -> str:
    groups = services.grouped_risks(plan)
    risks = [risk for group in groups for risk in group.risks]
    rows, unplaced = services.risk_matrix(plan, risks)
    return render_to_string(
        "controls/print/plan.html",
        {
            "plan": plan,
            "groups": groups,
            "matrix_rows": rows,
            "unplaced": unplaced,
            "scale": range(1, plan.scale_max + 1),
            "top_index": plan.scale_max * plan.scale_max,
            "document_title": _plan_title(plan),
            "document_date": plan.adopted_on,
            "asset_base": asset_base,
            "preview_back_url": preview_back_url,
        },
    )


def _plan_title(plan) -> str:
    state = "" if plan.state == PlanState.ADOPTED else f" ({plan.get_state_display().lower()})"
    return f"{plan}{state}"


@require_GET
@permission_required(permissions.can_view_controls)
def plan_preview(request, pk):
    plan = _plan(pk)
    return HttpResponse(
        plan_print_html(
            plan,
            asset_base="/static/",
            preview_back_url=reverse("controls:plan_detail", args=[plan.pk]),
        )
    )


@require_POST
@permission_required(permissions.can_view_controls)
def plan_pdf(request, pk):
    plan = _plan(pk)
    document = printing.request_report(
        subject=plan, title=_plan_title(plan), html=plan_print_html(plan)
    )
    if request.htmx:
        return render(request, "printing/_render_status.html", {"document": document})
    messages.success(request, "PDF:en framställs. Den visas här när den är klar.")
    return redirect("controls:plan_detail", pk=plan.pk)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_control_plan)
def plan_import(request):
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"year": timezone.localdate().year + 1},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # An earlier upload that was never applied is abandoned: its file goes.
        PlanImport.objects.filter(uploaded_by=request.user).delete()
        record = PlanImport.objects.create(
            uploaded_by=request.user,
            filename=without_control_characters(upload.name, multiline=False)[:255],
            year=form.cleaned_data["year"],
            content=upload.read(),
        )
        return redirect("controls:plan_import_preview", pk=record.pk)
    return render(
        request,
        "controls/import.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_control_plan)
def plan_import_preview(request, pk):
    record = get_object_or_404(PlanImport, pk=pk)
    if record.uploaded_by_id != request.user.pk:
        raise Http404
    committee = current_committee()
    config = services.settings_for(committee)
    errors = []
    if request.method == "POST":
        try:
            plan = excel.import_plan(
                committee=committee, year=record.year, data=bytes(record.content), by=request.user
            )
        except ValidationError as error:
            errors = error.messages
        else:
            record.delete()
            messages.success(
                request,
                f"{plan} är inläst från {record.filename} som utkast. Granska och fastställ.",
            )
            return redirect("controls:plan_detail", pk=plan.pk)
    sheet = excel.parse_plan_workbook(bytes(record.content), scale_max=config.scale_max)
    return render(
        request,
        "controls/import_preview.html",
        {
            "record": record,
            "sheet": sheet,
            "errors": errors or sheet.errors,
            "month_list": rules.month_list,
            "exists": ControlPlan.objects.filter(committee=committee, year=record.year).exists(),
        },
        status=400 if errors else 200,
    )
