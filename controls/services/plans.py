"""Internkontrollplaner: create, risks and processes, adopt, revise, and the risk matrix."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from controls import rules
from controls.models import (
    ControlMethod,
    ControlPlan,
    Occasion,
    PlanState,
    Process,
    Risk,
    RiskCategory,
)
from controls.services.common import RISK_FIELDS, StaleEditError, StateError, _require, settings_for
from solna_sn import audit, ordering, permissions
from solna_sn.models import Committee

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
    ordering.move(Process, process, direction, field="sort_order", plan=plan)


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
