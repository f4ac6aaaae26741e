"""Tidsplan för avtalsuppföljning: generate, edit and approve the yearly follow-up plan."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from casework.models import Meeting
from contracts import rules
from contracts.models import (
    Contract,
    ContractFollowUp,
    FollowUpKind,
    FollowUpPlan,
    FollowUpStatus,
)
from contracts.services.common import (
    _choice,
    _date,
    _raise,
    _require,
    default_committee,
)
from solna_sn import audit, permissions
from solna_sn.models import Committee

# --- Tidsplan för avtalsuppföljning ---------------------------------------------------------


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "Året ska vara mellan 2000 och 2100."})
    return year


def _previous_kinds(contract_ids: Iterable[int], year: int) -> dict[int, str]:
    """The kind of each contract's latest follow-up before `year`."""
    previous: dict[int, str] = {}
    rows = (
        ContractFollowUp.objects.filter(contract_id__in=list(contract_ids), plan__year__lt=year)
        .order_by("contract_id", "-plan__year")
        .values_list("contract_id", "kind")
    )
    for contract_id, kind in rows:
        previous.setdefault(contract_id, kind)
    return previous


def _lock_plan(plan: FollowUpPlan) -> FollowUpPlan:
    return FollowUpPlan.objects.select_for_update().get(pk=plan.pk)


def _require_unapproved_plan(plan: FollowUpPlan) -> None:
    if plan.is_approved:
        raise ValidationError(
            {NON_FIELD_ERRORS: f"Tidsplanen för {plan.year} är godkänd och kan inte ändras."}
        )


@transaction.atomic
def plan_generate(*, year: int, by, committee: Committee | None = None) -> FollowUpPlan:
    """Create (or complete) the year's plan: one row per contract in force during the year,
    with the proposed kind alternating from the contract's previous follow-up. Rows that exist
    are kept as the user decided them."""
    _require(permissions.can_plan_contract_followups(by))
    year = _check_year(year)
    committee = committee or default_committee()
    plan, created = FollowUpPlan.objects.get_or_create(committee=committee, year=year)
    plan = _lock_plan(plan)
    _require_unapproved_plan(plan)
    existing = set(plan.followups.values_list("contract_id", flat=True))
    contracts = [
        c
        for c in Contract.objects.prefetch_related("extensions").order_by("pk")
        if c.in_force_during(year) and c.pk not in existing
    ]
    previous = _previous_kinds([c.pk for c in contracts], year)
    added = []
    for contract in contracts:
        kind = rules.propose_kind(previous.get(contract.pk))
        added.append(
            ContractFollowUp(
                plan=plan, contract=contract, kind=kind, proposed_kind=kind, updated_by=by
            )
        )
    ContractFollowUp.objects.bulk_create(added)
    audit.record(
        "followup_plan.generated",
        by=by,
        target=plan,
        changes={"avtal": (None, [str(f.contract) for f in added])},
        reason="ny tidsplan" if created else "",
    )
    return plan


@transaction.atomic
def plan_followup_add(
    *, plan: FollowUpPlan, contract: Contract, by, kind: str = ""
) -> ContractFollowUp:
    """Add one contract to the plan. It must be in force during the plan's year."""
    _require(permissions.can_plan_contract_followups(by))
    plan = _lock_plan(plan)
    _require_unapproved_plan(plan)
    contract = Contract.objects.prefetch_related("extensions").get(pk=contract.pk)
    if not contract.in_force_during(plan.year):
        end = contract.current_end
        period = f"{contract.start_date:%Y-%m-%d}–{end:%Y-%m-%d}" if end else "tillsvidare"
        raise ValidationError(
            {
                "contract": f"Avtalet gäller inte under {plan.year} ({period}) och kan inte "
                "följas upp det året."
            }
        )
    if plan.followups.filter(contract=contract).exists():
        raise ValidationError({"contract": "Avtalet finns redan i tidsplanen."})
    proposed = rules.propose_kind(_previous_kinds([contract.pk], plan.year).get(contract.pk))
    errors: dict = {}
    kind = _choice(
        kind or proposed,
        FollowUpKind,
        field="kind",
        errors=errors,
        message="Välj ordinarie eller förenklad.",
    )
    _raise(errors)
    followup = ContractFollowUp.objects.create(
        plan=plan, contract=contract, kind=kind, proposed_kind=proposed, updated_by=by
    )
    audit.record("followup.planned", by=by, target=followup, changes={"typ": (None, kind)})
    return followup


@transaction.atomic
def plan_followup_update(
    *, followup: ContractFollowUp, by, kind: str, meeting=None, planned_date=None
):
    """Decide the kind and when it is reported. Once the plan is approved only the meeting
    and date may change; once the follow-up has started its kind is fixed."""
    _require(permissions.can_plan_contract_followups(by))
    followup = (
        ContractFollowUp.objects.select_for_update().select_related("plan").get(pk=followup.pk)
    )
    errors: dict = {}
    kind = _choice(
        kind, FollowUpKind, field="kind", errors=errors, message="Välj ordinarie eller förenklad."
    )
    planned_date = _date(planned_date, field="planned_date", errors=errors)

    if meeting is not None and not isinstance(meeting, Meeting):
        errors["meeting"] = "Välj ett sammanträde i listan."
    if followup.is_locked:
        errors[NON_FIELD_ERRORS] = "Uppföljningen är godkänd och kan inte planeras om."
    if kind and kind != followup.kind:
        if followup.plan.is_approved:
            errors["kind"] = "Tidsplanen är godkänd: typen kan inte ändras."
        elif followup.status != FollowUpStatus.PLANNED:
            errors["kind"] = "Uppföljningen har påbörjats: typen kan inte ändras."
    if planned_date and planned_date.year != followup.plan.year:
        errors["planned_date"] = f"Datumet ska ligga under {followup.plan.year}."
    if (
        meeting is not None
        and isinstance(meeting, Meeting)
        and (meeting.date.year != followup.plan.year)
    ):
        errors["meeting"] = f"Välj ett sammanträde under {followup.plan.year}."
    _raise(errors)
    before = {
        "typ": followup.kind,
        "sammanträde": str(followup.meeting.date) if followup.meeting_id else None,
        "datum": followup.planned_date,
    }
    followup.kind = kind
    followup.meeting = meeting
    followup.planned_date = planned_date
    followup.updated_by = by
    followup.save()
    after = {
        "typ": followup.kind,
        "sammanträde": str(meeting.date) if meeting else None,
        "datum": planned_date,
    }
    changes = audit.diff(before, after)
    if changes:
        audit.record("followup.replanned", by=by, target=followup, changes=changes)
    return followup


@transaction.atomic
def plan_followup_remove(*, followup: ContractFollowUp, by) -> None:
    _require(permissions.can_plan_contract_followups(by))
    followup = (
        ContractFollowUp.objects.select_for_update().select_related("plan").get(pk=followup.pk)
    )
    _require_unapproved_plan(followup.plan)
    if followup.status != FollowUpStatus.PLANNED:
        raise ValidationError(
            {NON_FIELD_ERRORS: "Uppföljningen har påbörjats och kan inte tas bort ur planen."}
        )
    audit.record(
        "followup.unplanned",
        by=by,
        target=followup.plan,
        changes={"avtal": (str(followup.contract), None)},
    )
    followup.delete()


def plan_problems(plan: FollowUpPlan) -> list[str]:
    """What stops the plan from being approved."""
    problems = []
    followups = list(plan.followups.select_related("contract"))
    if not followups:
        problems.append("Tidsplanen har inga avtal.")
    for followup in followups:
        if followup.meeting_id is None and followup.planned_date is None:
            problems.append(f"{followup.contract.name}: ange sammanträde eller planerat datum.")
    return problems


@transaction.atomic
def plan_approve(*, plan: FollowUpPlan, by) -> FollowUpPlan:
    _require(permissions.can_approve_contract_followup(by))
    plan = _lock_plan(plan)
    _require_unapproved_plan(plan)
    problems = plan_problems(plan)
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: problems})
    plan.approved_at = timezone.now()
    plan.approved_by = by
    plan.save(update_fields=["approved_at", "approved_by"])
    audit.record("followup_plan.approved", by=by, target=plan)
    return plan
