"""Internkontroll rules and writes. Every change checks the role, runs in one transaction,
and leaves an audit entry. Bad input raises ValidationError with Swedish messages."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from controls import rules
from controls.models import (
    PERIOD_LAST_MONTH,
    Action,
    ControlMethod,
    ControlPlan,
    ControlSettings,
    DeviationLevel,
    FollowUp,
    Occasion,
    PlanState,
    Process,
    Result,
    ResultFigure,
    ResultState,
    Risk,
    RiskCategory,
)
from solna_sn import audit, permissions
from solna_sn.models import Committee

DEFAULT_LEVELS = [
    # rank, label, symbol, colour, active
    (0, "Ingen eller försumbar avvikelse", "●", "#1a7f37", True),
    (1, "Lindrig avvikelse", "◆", "#9a6700", True),
    (2, "Kännbar avvikelse", "▲", "#bc4c00", True),
    (3, "Allvarlig avvikelse", "■", "#cf222e", False),
]

RISK_FIELDS = [
    "process_name",
    "title",
    "category",
    "likelihood",
    "consequence",
    "risk_index",
    "control_activity",
    "method",
    "sample_size",
    "how_when",
    "control_months",
    "responsible_unit",
    "responsible_role",
]


class StateError(Exception):
    """The object is not in a state that allows this; str() is shown to the user."""


class StaleEditError(Exception):
    """Someone else saved since the form was opened."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Configuration ----------------------------------------------------------------------------


def settings_for(committee: Committee) -> ControlSettings:
    """The nämnd's configuration, created with Solna's defaults (1–5, four levels, the fourth
    not in use) the first time it is needed."""
    config, created = ControlSettings.objects.get_or_create(committee=committee)
    if created or not DeviationLevel.objects.filter(committee=committee).exists():
        for rank, label, symbol, colour, active in DEFAULT_LEVELS:
            DeviationLevel.objects.get_or_create(
                committee=committee,
                rank=rank,
                defaults={"label": label, "symbol": symbol, "colour": colour, "active": active},
            )
    return config


def active_levels(committee: Committee) -> list[DeviationLevel]:
    settings_for(committee)
    return list(DeviationLevel.objects.filter(committee=committee, active=True).order_by("rank"))


# --- Plans ------------------------------------------------------------------------------------


def _lock_plan(plan: ControlPlan) -> ControlPlan:
    return ControlPlan.objects.select_for_update().get(pk=plan.pk)


def _require_draft(plan: ControlPlan) -> None:
    if plan.state != PlanState.DRAFT:
        raise StateError(
            f"{plan} är fastställd och låst. Skapa en ny revision för att ändra den."
            if plan.state == PlanState.ADOPTED
            else f"{plan} har ersatts av en nyare revision och kan inte ändras."
        )


@transaction.atomic
def plan_create(
    *, committee: Committee, year: int, by, copy_from: ControlPlan | None = None
) -> ControlPlan:
    """A new draft plan for a year, empty or copied from another plan (usually last year's):
    processes and risks with their keys, not the results."""
    _require(permissions.can_edit_control_plan(by))
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "Ange ett år mellan 2000 och 2100."})
    config = settings_for(committee)
    Committee.objects.select_for_update().get(pk=committee.pk)  # one creator at a time
    if ControlPlan.objects.filter(committee=committee, year=year).exists():
        raise ValidationError({"year": f"Det finns redan en internkontrollplan för {year}."})
    plan = ControlPlan.objects.create(committee=committee, year=year, scale_max=config.scale_max)
    if copy_from is not None:
        if copy_from.committee_id != committee.pk:
            raise PermissionDenied
        plan.scale_max = copy_from.scale_max
        plan.save(update_fields=["scale_max"])
        _copy_contents(copy_from, plan)
    audit.record(
        "control_plan.created",
        by=by,
        target=plan,
        changes={"kopierad från": (None, str(copy_from))} if copy_from else None,
    )
    return plan


def _copy_contents(source: ControlPlan, target: ControlPlan) -> None:
    processes = {}
    for process in source.processes.all():
        processes[process.pk] = Process.objects.create(
            plan=target, name=process.name, sort_order=process.sort_order
        )
    Risk.objects.bulk_create(
        Risk(
            plan=target,
            process=processes[risk.process_id],
            key=risk.key,
            number=risk.number,
            title=risk.title,
            category=risk.category,
            likelihood=risk.likelihood,
            consequence=risk.consequence,
            risk_index=risk.risk_index,
            control_activity=risk.control_activity,
            method=risk.method,
            sample_size=risk.sample_size,
            how_when=risk.how_when,
            control_months=list(risk.control_months),
            responsible_unit_id=risk.responsible_unit_id,
            responsible_role=risk.responsible_role,
        )
        for risk in source.risks.all()
    )


def _clean_risk(plan: ControlPlan, data: dict) -> dict:
    errors = {}
    cleaned = dict(data)
    for name, message in (
        ("process_name", "Ange vilken process risken hör till."),
        ("title", "Beskriv risken."),
        ("control_activity", "Beskriv kontrollmomentet."),
        ("how_when", "Beskriv hur och när kontrollen ska utföras."),
    ):
        cleaned[name] = (data.get(name) or "").strip()
        if not cleaned[name]:
            errors[name] = message
    try:
        cleaned["risk_index"] = rules.risk_index(
            likelihood=data.get("likelihood"),
            consequence=data.get("consequence"),
            index=data.get("risk_index"),
            scale_max=plan.scale_max,
        )
    except rules.RuleError as error:
        errors[error.field or "risk_index"] = str(error)
    try:
        cleaned["control_months"] = rules.check_months(data.get("control_months") or [])
    except rules.RuleError as error:
        errors["control_months"] = str(error)
    else:
        if not cleaned["control_months"]:
            errors["control_months"] = "Välj minst en månad då kontrollen ska göras."
    category = data.get("category") or RiskCategory.VERKSAMHETSPROCESSER
    if category not in RiskCategory.values:
        errors["category"] = "Välj en kategori i listan."
    cleaned["category"] = category
    method = data.get("method") or ControlMethod.TOTAL
    if method not in ControlMethod.values:
        errors["method"] = "Välj en metod i listan."
    cleaned["method"] = method
    sample = data.get("sample_size")
    if method == ControlMethod.SAMPLE:
        if not sample or sample < 1:
            errors["sample_size"] = "Ange hur många ärenden stickprovet omfattar."
        elif sample > rules.SAMPLE_SIZE_MAX:
            errors["sample_size"] = rules.SAMPLE_SIZE_MESSAGE
    else:
        sample = None
    cleaned["sample_size"] = sample
    unit = data.get("responsible_unit")
    if unit is not None and unit.administration.committee_id != plan.committee_id:
        errors["responsible_unit"] = "Enheten hör inte till nämnden."
    cleaned["responsible_role"] = (data.get("responsible_role") or "").strip()
    if errors:
        raise ValidationError(errors)
    return cleaned


def _process(plan: ControlPlan, name: str) -> Process:
    process = plan.processes.filter(name__iexact=name).first()
    if process is None:
        top = plan.processes.aggregate(top=Max("sort_order"))["top"]
        process = Process.objects.create(plan=plan, name=name, sort_order=(top or 0) + 1)
    return process


def _risk_snapshot(risk: Risk) -> dict:
    return {
        "process": risk.process.name,
        "risk": risk.title,
        "kategori": risk.category,
        "sannolikhet": risk.likelihood,
        "konsekvens": risk.consequence,
        "riskindex": risk.risk_index,
        "kontrollmoment": risk.control_activity,
        "metod": risk.method,
        "stickprov": risk.sample_size,
        "hur och när": risk.how_when,
        "månader": risk.control_months,
        "enhet": risk.responsible_unit_id,
        "funktion": risk.responsible_role,
    }


@transaction.atomic
def risk_save(
    *,
    plan: ControlPlan,
    data: dict,
    by,
    risk: Risk | None = None,
    version: int | None = None,
) -> Risk:
    """Add a risk to a draft plan, or change one (refused if someone saved since `version`)."""
    _require(permissions.can_edit_control_plan(by))
    plan = _lock_plan(plan)
    _require_draft(plan)
    cleaned = _clean_risk(plan, data)
    if risk is None:
        top = plan.risks.aggregate(top=Max("number"))["top"]
        risk = Risk(plan=plan, key=uuid.uuid4(), number=(top or 0) + 1)
        before = {}
    else:
        risk = Risk.objects.select_for_update().select_related("process").get(pk=risk.pk)
        if risk.plan_id != plan.pk:
            raise PermissionDenied
        if version is not None and risk.version != version:
            raise StaleEditError()
        before = _risk_snapshot(risk)
        risk.version += 1
    old_process = risk.process if risk.pk else None
    risk.process = _process(plan, cleaned["process_name"])
    for name in RISK_FIELDS[1:]:
        setattr(risk, name, cleaned.get(name))
    risk.save()
    if old_process is not None and old_process != risk.process and not old_process.risks.exists():
        old_process.delete()
    audit.record(
        "control_risk.saved" if before else "control_risk.created",
        by=by,
        target=risk,
        changes=audit.diff(before, _risk_snapshot(risk)),
    )
    return risk


@transaction.atomic
def risk_delete(*, risk: Risk, by) -> None:
    _require(permissions.can_edit_control_plan(by))
    plan = _lock_plan(risk.plan)
    _require_draft(plan)
    process = risk.process
    audit.record("control_risk.deleted", by=by, target=plan, changes={"risk": (risk.title, None)})
    risk.delete()
    if not process.risks.exists():
        process.delete()


@transaction.atomic
def process_move(*, process: Process, direction: int, by) -> None:
    """Move a process (with its risks) up (-1) or down (+1) in the plan."""
    _require(permissions.can_edit_control_plan(by))
    plan = _lock_plan(process.plan)
    _require_draft(plan)
    processes = list(plan.processes.all())
    index = next(i for i, p in enumerate(processes) if p.pk == process.pk)
    other = index + direction
    if 0 <= other < len(processes):
        processes[index], processes[other] = processes[other], processes[index]
        for order, item in enumerate(processes, start=1):
            if item.sort_order != order:
                Process.objects.filter(pk=item.pk).update(sort_order=order)


@transaction.atomic
def plan_adopt(
    *, plan: ControlPlan, by, adopted_on: datetime.date | None = None, decision_reference=""
) -> ControlPlan:
    """Fastställ: freeze the plan and create its control occasions. Adopting a new revision
    supersedes the old one and carries over the occasions (with their results) of the risks and
    months that remain."""
    _require(permissions.can_approve_control_plan(by))
    plan = _lock_plan(plan)
    _require_draft(plan)
    risks = list(plan.risks.all())
    if not risks:
        raise StateError("Planen har inga risker. Lägg till minst en risk innan den fastställs.")
    without = [r.number for r in risks if not r.control_months]
    if without:
        raise StateError(f"Risk {', '.join(map(str, without))} saknar kontrollmånader.")
    previous = plan.previous
    carried = 0
    kept_on_old = 0
    if previous is not None:
        previous = _lock_plan(previous)
        old = {
            (o.risk.key, o.month): o
            for o in Occasion.objects.filter(risk__plan=previous).select_related("risk", "result")
        }
        new_risks = {r.key: r for r in risks}
        for (key, month), occasion in old.items():
            risk = new_risks.get(key)
            if risk is not None and month in risk.control_months:
                occasion.risk = risk
                occasion.save(update_fields=["risk"])
                carried += 1
            elif hasattr(occasion, "result"):
                kept_on_old += 1
        previous.follow_ups.update(plan=plan)
        previous.state = PlanState.SUPERSEDED
        previous.save(update_fields=["state"])
    existing = set(Occasion.objects.filter(risk__plan=plan).values_list("risk_id", "month"))
    Occasion.objects.bulk_create(
        Occasion(risk=risk, month=month)
        for risk in risks
        for month in risk.control_months
        if (risk.pk, month) not in existing
    )
    plan.state = PlanState.ADOPTED
    plan.adopted_on = adopted_on or timezone.localdate()
    plan.adopted_by = by
    plan.decision_reference = (decision_reference or "").strip()
    plan.save(update_fields=["state", "adopted_on", "adopted_by", "decision_reference"])
    audit.record(
        "control_plan.adopted",
        by=by,
        target=plan,
        changes={
            "status": (PlanState.DRAFT.label, PlanState.ADOPTED.label),
            "överförda kontrolltillfällen": (None, carried),
            "resultat kvar på tidigare revision": (None, kept_on_old),
        }
        if previous
        else {"status": (PlanState.DRAFT.label, PlanState.ADOPTED.label)},
        reason=plan.decision_reference,
    )
    return plan


@transaction.atomic
def plan_new_revision(*, plan: ControlPlan, by, reason: str) -> ControlPlan:
    """Changing an adopted plan: a new draft revision, a copy of this one. The adopted plan
    stays in force until the revision is adopted."""
    _require(permissions.can_edit_control_plan(by))
    plan = _lock_plan(plan)
    if plan.state != PlanState.ADOPTED:
        raise StateError("Bara en fastställd plan kan få en ny revision.")
    if ControlPlan.objects.filter(previous=plan).exists():
        raise StateError("Det finns redan en ny revision av planen under arbete.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Ange varför planen ändras."})
    revision = ControlPlan.objects.create(
        committee=plan.committee,
        year=plan.year,
        revision=plan.revision + 1,
        previous=plan,
        revision_reason=reason,
        scale_max=plan.scale_max,
    )
    _copy_contents(plan, revision)
    audit.record("control_plan.revised", by=by, target=revision, reason=reason)
    return revision


def current_plan(committee: Committee, year: int) -> ControlPlan | None:
    """The plan in force for a year (adopted), else the newest draft."""
    plans = ControlPlan.objects.filter(committee=committee, year=year)
    return plans.filter(state=PlanState.ADOPTED).first() or plans.order_by("-revision").first()


def plan_risks(plan: ControlPlan):
    return plan.risks.select_related("process", "responsible_unit").order_by(
        "process__sort_order", "process_id", "number"
    )


@dataclass
class ProcessGroup:
    process: Process
    risks: list[Risk] = field(default_factory=list)


def grouped_risks(plan: ControlPlan) -> list[ProcessGroup]:
    """The VP table's rows: risks grouped under their process (merged cell in print)."""
    groups: dict[int, ProcessGroup] = {}
    for risk in plan_risks(plan):
        groups.setdefault(risk.process_id, ProcessGroup(risk.process)).risks.append(risk)
    return list(groups.values())


# --- Risk matrix ------------------------------------------------------------------------------


@dataclass
class MatrixCell:
    likelihood: int
    consequence: int
    index: int
    band: str
    band_label: str
    risks: list[Risk]


def risk_matrix(plan: ControlPlan, risks: list[Risk] | None = None):
    """Rows from the highest sannolikhet down, columns konsekvens 1…max; and the risks whose
    factors are unknown (only the index is stated), which cannot be placed."""
    risks = list(plan_risks(plan)) if risks is None else risks
    placed: dict[tuple[int, int], list[Risk]] = {}
    unplaced = []
    for risk in risks:
        if risk.likelihood is None:
            unplaced.append(risk)
        else:
            placed.setdefault((risk.likelihood, risk.consequence), []).append(risk)
    top = plan.scale_max
    rows = [
        [
            MatrixCell(
                likelihood=lik,
                consequence=con,
                index=lik * con,
                band=rules.band(lik * con, top),
                band_label=rules.band_label(lik * con, top),
                risks=placed.get((lik, con), []),
            )
            for con in range(1, top + 1)
        ]
        for lik in range(top, 0, -1)
    ]
    return rows, unplaced


# --- Results ----------------------------------------------------------------------------------


def _lock_result_target(occasion: Occasion) -> Occasion:
    return (
        Occasion.objects.select_for_update(of=("self",))
        .select_related("risk__plan", "risk__responsible_unit")
        .get(pk=occasion.pk)
    )


def _may_record(by, occasion: Occasion) -> bool:
    unit = occasion.risk.responsible_unit
    if unit is None:
        return permissions.can_approve_control_plan(by) or permissions.can_approve_control_result(
            by
        )
    return permissions.can_record_control_result(by, unit)


def may_record(by, occasion: Occasion) -> bool:
    return _may_record(by, occasion)


def _clean_figures(rows: list[dict]) -> list[dict]:
    cleaned = []
    errors = []
    for number, row in enumerate(rows, start=1):
        if not any(row.get(k) not in (None, "") for k in ("group", "population", "deviations")):
            continue
        try:
            rules.check_figures(row.get("population"), row.get("checked"), row.get("deviations"))
        except rules.RuleError as error:
            errors.append(f"Siffror rad {number}: {error}")
            continue
        cleaned.append(
            {
                "group": (row.get("group") or "").strip(),
                "population": row["population"],
                "checked": row.get("checked"),
                "deviations": row["deviations"],
                "note": (row.get("note") or "").strip(),
            }
        )
    if errors:
        raise ValidationError({"figures": errors})
    return cleaned


def _clean_actions(rows: list[dict]) -> list[dict]:
    cleaned = []
    errors = []
    for number, row in enumerate(rows, start=1):
        description = (row.get("description") or "").strip()
        responsible = (row.get("responsible") or "").strip()
        if not description and not responsible and not row.get("due"):
            continue
        if not description:
            errors.append(f"Åtgärd {number}: beskriv åtgärden.")
        if not responsible:
            errors.append(f"Åtgärd {number}: ange vem som ansvarar.")
        cleaned.append({**row, "description": description, "responsible": responsible})
    if errors:
        raise ValidationError({"actions": errors})
    return cleaned


def _result_snapshot(result: Result) -> dict:
    return {
        "nivå": result.level.label,
        "iakttagelse": result.finding,
        "förklaring": result.explanation,
        "siffror": [
            [f.group, f.population, f.checked, f.deviations, f.note] for f in result.figures.all()
        ],
        "åtgärder": [
            [a.description, a.responsible, str(a.due or ""), str(a.done_on or "")]
            for a in result.actions.all()
        ],
    }


@transaction.atomic
def result_save(
    *,
    occasion: Occasion,
    by,
    level: DeviationLevel | None,
    finding: str,
    explanation: str = "",
    figures: list[dict] | None = None,
    actions: list[dict] | None = None,
    version: int | None = None,
) -> Result:
    """Record (or change) the result of a control occasion with its figures and åtgärder.
    A deviation above the lowest level needs an åtgärd or an explanation."""
    occasion = _lock_result_target(occasion)
    _require(_may_record(by, occasion))
    plan = occasion.risk.plan
    if plan.state != PlanState.ADOPTED:
        raise StateError("Resultat registreras bara i en fastställd plan.")
    result = Result.objects.select_for_update().filter(occasion=occasion).first()
    if result is not None:
        if result.state == ResultState.APPROVED:
            raise StateError("Resultatet är godkänt och låst. Det kan inte ändras.")
        if version is not None and result.version != version:
            raise StaleEditError()
    errors = {}
    if level is None:
        errors["level"] = "Välj avvikelsenivå."
    elif level.committee_id != plan.committee_id or not level.active:
        errors["level"] = "Välj en avvikelsenivå i listan."
    try:
        figure_rows = _clean_figures(figures or [])
    except ValidationError as error:
        errors.update(error.message_dict)
        figure_rows = []
    try:
        action_rows = _clean_actions(actions or [])
    except ValidationError as error:
        errors.update(error.message_dict)
        action_rows = []
    explanation = (explanation or "").strip()
    finding = (finding or "").strip()
    if level is not None and level.is_deviation and not action_rows and not explanation:
        errors["actions"] = [
            *errors.get("actions", []),
            f"”{level.label}” kräver minst en åtgärd, eller en förklaring till varför ingen "
            "åtgärd behövs.",
        ]
    if errors:
        raise ValidationError(errors)
    before = _result_snapshot(result) if result else {}
    if result is None:
        result = Result(occasion=occasion, level=level, recorded_by=by)
    else:
        result.version += 1
    result.level = level
    result.finding = finding
    result.explanation = explanation
    result.recorded_by = by
    if result.state == ResultState.REVIEW:
        result.state = ResultState.DRAFT  # changed after submission: submit again
    result.save()
    result.figures.all().delete()
    ResultFigure.objects.bulk_create(
        ResultFigure(result=result, sort_order=n, **row) for n, row in enumerate(figure_rows)
    )
    result.actions.all().delete()
    Action.objects.bulk_create(
        Action(
            result=result,
            description=row["description"],
            responsible=row["responsible"],
            due=row.get("due"),
            done_on=row.get("done_on"),
        )
        for row in action_rows
    )
    audit.record(
        "control_result.saved" if before else "control_result.recorded",
        by=by,
        target=result,
        changes=audit.diff(before, _result_snapshot(result)),
    )
    return result


def _lock_result(result: Result) -> Result:
    return (
        Result.objects.select_for_update(of=("self",))
        .select_related("occasion__risk__plan", "occasion__risk__responsible_unit", "level")
        .get(pk=result.pk)
    )


@transaction.atomic
def result_submit(*, result: Result, by) -> Result:
    result = _lock_result(result)
    _require(_may_record(by, result.occasion))
    if result.state != ResultState.DRAFT:
        raise StateError("Bara ett resultat i utkast kan skickas för granskning.")
    result.state = ResultState.REVIEW
    result.return_comment = ""
    result.save(update_fields=["state", "return_comment"])
    audit.record("control_result.submitted", by=by, target=result)
    return result


@transaction.atomic
def result_approve(*, result: Result, by) -> Result:
    """Granskare approves; the result is then locked."""
    _require(permissions.can_approve_control_result(by))
    result = _lock_result(result)
    if result.state != ResultState.REVIEW:
        raise StateError("Bara ett resultat som är skickat för granskning kan godkännas.")
    result.state = ResultState.APPROVED
    result.approved_by = by
    result.approved_at = timezone.now()
    result.save(update_fields=["state", "approved_by", "approved_at"])
    audit.record("control_result.approved", by=by, target=result)
    return result


@transaction.atomic
def result_return(*, result: Result, by, comment: str) -> Result:
    _require(permissions.can_approve_control_result(by))
    result = _lock_result(result)
    if result.state != ResultState.REVIEW:
        raise StateError("Bara ett resultat som är skickat för granskning kan lämnas tillbaka.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Skriv vad som behöver ändras."})
    result.state = ResultState.DRAFT
    result.return_comment = comment
    result.save(update_fields=["state", "return_comment"])
    audit.record("control_result.returned", by=by, target=result, reason=comment)
    return result


@transaction.atomic
def action_mark_done(*, action: Action, by, done_on: datetime.date | None) -> Action:
    """Mark an åtgärd done (or not done). Allowed after approval: following through on the
    åtgärd does not change the result."""
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("result__occasion__risk__responsible_unit")
        .get(pk=action.pk)
    )
    _require(_may_record(by, action.result.occasion))
    if done_on is not None and done_on > timezone.localdate():
        raise ValidationError({"done_on": "Datumet kan inte ligga i framtiden."})
    before = str(action.done_on or "")
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    audit.record(
        "control_action.done" if done_on else "control_action.reopened",
        by=by,
        target=action,
        changes={"genomförd": (before, str(done_on or ""))},
    )
    return action


# --- Calendar ---------------------------------------------------------------------------------


class CalendarStatus:
    DONE = "done"
    REVIEW = "review"
    DRAFT = "draft"
    DUE = "due"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"

    LABELS = {
        "done": "Godkänd",
        "review": "För granskning",
        "draft": "Påbörjad",
        "due": "Ska göras denna månad",
        "overdue": "Försenad",
        "upcoming": "Kommande",
    }


def occasion_status(occasion: Occasion, year: int, today: datetime.date) -> str:
    result = getattr(occasion, "result", None)
    if result is not None:
        return {
            ResultState.APPROVED: CalendarStatus.DONE,
            ResultState.REVIEW: CalendarStatus.REVIEW,
        }.get(result.state, CalendarStatus.DRAFT)
    month_start = datetime.date(year, occasion.month, 1)
    if (today.year, today.month) == (year, occasion.month):
        return CalendarStatus.DUE
    if month_start < today:
        return CalendarStatus.OVERDUE
    return CalendarStatus.UPCOMING


def plan_occasions(plan: ControlPlan):
    return (
        Occasion.objects.filter(risk__plan=plan)
        .select_related("risk__process", "risk__responsible_unit", "result__level")
        .order_by("month", "risk__number")
    )


@dataclass
class CalendarEntry:
    occasion: Occasion
    status: str

    @property
    def status_label(self) -> str:
        return CalendarStatus.LABELS[self.status]


def calendar(plan: ControlPlan, *, today: datetime.date, unit=None) -> list[CalendarEntry]:
    occasions = plan_occasions(plan)
    if unit is not None:
        occasions = occasions.filter(risk__responsible_unit=unit)
    return [CalendarEntry(o, occasion_status(o, plan.year, today)) for o in occasions]


# --- Follow-up --------------------------------------------------------------------------------


@dataclass
class FollowUpRow:
    risk: Risk
    occasion: Occasion | None
    result: Result | None


def follow_up_rows(
    plan: ControlPlan, period: str, *, approved_only: bool = False
) -> list[FollowUpRow]:
    """Per risk, the latest result recorded up to the period's last month. In the report
    (`approved_only`) only approved results count."""
    last_month = PERIOD_LAST_MONTH[period]
    results = Result.objects.select_related("level").prefetch_related("figures", "actions")
    occasions = (
        Occasion.objects.filter(risk__plan=plan, month__lte=last_month, result__isnull=False)
        .prefetch_related(Prefetch("result", queryset=results))
        .order_by("month")
    )
    if approved_only:
        occasions = occasions.filter(result__state=ResultState.APPROVED)
    latest: dict[int, Occasion] = {}
    for occasion in occasions:
        latest[occasion.risk_id] = occasion  # ordered by month: the last one wins
    rows = []
    for risk in plan_risks(plan):
        occasion = latest.get(risk.pk)
        rows.append(FollowUpRow(risk, occasion, occasion.result if occasion else None))
    return rows


def follow_up_for(plan: ControlPlan, period: str) -> FollowUp:
    return FollowUp.objects.filter(plan=plan, period=period).first() or FollowUp(
        plan=plan, period=period
    )


@transaction.atomic
def follow_up_save(
    *, plan: ControlPlan, period: str, assessment: str, by, version: int | None = None
) -> FollowUp:
    _require(permissions.can_edit_control_plan(by))
    plan = _lock_plan(plan)
    if plan.state != PlanState.ADOPTED:
        raise StateError("Uppföljningen skrivs för den fastställda planen.")
    follow_up, _ = FollowUp.objects.select_for_update().get_or_create(
        plan=plan, period=period, defaults={"version": 0}
    )
    if version is not None and follow_up.version != version:
        raise StaleEditError()
    assessment = (assessment or "").strip()
    if not assessment:
        raise ValidationError({"assessment": "Skriv den samlade bedömningen."})
    before = follow_up.assessment
    follow_up.assessment = assessment
    follow_up.version += 1
    follow_up.updated_by = by
    follow_up.save()
    audit.record(
        "control_follow_up.saved",
        by=by,
        target=follow_up,
        changes={"samlad bedömning": (before, assessment)},
    )
    return follow_up
