"""The internkontrollplan as a part of the verksamhetsplan (see solna_sn.planning)."""

from __future__ import annotations

from controls import services
from controls.models import ControlPlan, PlanState
from solna_sn import planning
from solna_sn.errors import StateError


def _exists(committee, year: int) -> bool:
    return ControlPlan.objects.filter(committee=committee, year=year).exists()


def _draft(committee, year: int) -> ControlPlan | None:
    return (
        ControlPlan.objects.filter(committee=committee, year=year, state=PlanState.DRAFT)
        .order_by("-revision")
        .first()
    )


def _copy(committee, from_year: int, to_year: int, by) -> ControlPlan:
    source = services.current_plan(committee, from_year)
    return services.plan_create(committee=committee, year=to_year, copy_from=source, by=by)


def _adoption_problem(committee, year: int) -> str:
    draft = _draft(committee, year)
    if draft is None:
        adopted = ControlPlan.objects.filter(
            committee=committee, year=year, state=PlanState.ADOPTED
        ).first()
        if adopted is not None:
            return f"{adopted} är redan fastställd ({adopted.adopted_on.isoformat()})."
        return f"Det finns ingen internkontrollplan för {year}."
    risks = list(draft.risks.all())
    if not risks:
        return f"{draft} har inga risker."
    without = [str(risk.number) for risk in risks if not risk.control_months]
    if without:
        return f"{draft}: risk {', '.join(without)} saknar kontrollmånader."
    return ""


def decision_reference(committee, year: int, decided_on, paragraph: str) -> str:
    """ "Socialnämnden 2024-10-07 § 64, verksamhetsplan och budget 2025"."""
    return (
        f"{committee.name} {decided_on.isoformat()} {paragraph}, verksamhetsplan och budget {year}"
    )


def _adopt(committee, year: int, decided_on, paragraph: str, by) -> ControlPlan:
    try:
        return services.plan_adopt(
            plan=_draft(committee, year),
            by=by,
            adopted_on=decided_on,
            decision_reference=decision_reference(committee, year, decided_on, paragraph),
        )
    except services.StateError as error:
        raise StateError(str(error)) from None


def risk_items(plan: ControlPlan | None) -> list[planning.Item]:
    if plan is None:
        return []
    return [
        planning.Item(
            str(risk.key),
            f"Risk {risk.number} ({risk.process.name})",
            risk.title,
            risk.control_activity,
            "kontrollmoment",
        )
        for risk in services.plan_risks(plan)
    ]


def _changes(committee, year: int) -> list[planning.Change]:
    previous = services.current_plan(committee, year - 1)
    if previous is None:
        return []
    return planning.compare(
        risk_items(previous), risk_items(services.current_plan(committee, year))
    )


def _adopted(committee, year: int) -> str:
    plan = ControlPlan.objects.filter(
        committee=committee, year=year, state=PlanState.ADOPTED
    ).first()
    if plan is None:
        return ""
    return f"{plan} fastställd {plan.adopted_on.isoformat()}"


planning.register(
    planning.Part(
        code="controls",
        title="Internkontrollplan",
        order=30,
        exists=_exists,
        copy=_copy,
        adoption_problem=_adoption_problem,
        adopt=_adopt,
        changes=_changes,
        adopted=_adopted,
    )
)
