"""Follow-up of a plan per period: the rows and the saved text."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch

from controls.models import (
    PERIOD_LAST_MONTH,
    ControlFollowUp,
    ControlPlan,
    Occasion,
    PlanState,
    Result,
    ResultState,
    Risk,
)
from controls.services.common import StaleEditError, StateError, _require
from controls.services.plans import _lock_plan, plan_risks
from solna_sn import audit, permissions

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


def follow_up_for(plan: ControlPlan, period: str) -> ControlFollowUp:
    return ControlFollowUp.objects.filter(plan=plan, period=period).first() or ControlFollowUp(
        plan=plan, period=period
    )


@transaction.atomic
def follow_up_save(
    *, plan: ControlPlan, period: str, assessment: str, by, version: int | None = None
) -> ControlFollowUp:
    _require(permissions.can_edit_control_plan(by))
    plan = _lock_plan(plan)
    if plan.state != PlanState.ADOPTED:
        raise StateError("Uppföljningen skrivs för den fastställda planen.")
    follow_up, _ = ControlFollowUp.objects.select_for_update().get_or_create(
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
