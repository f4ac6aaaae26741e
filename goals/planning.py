"""The goal tree as a part of the verksamhetsplan (see solna_sn.planning)."""

from __future__ import annotations

from goals import queries, services
from goals.models import PlanYear
from solna_sn import planning


def _plan(committee, year: int) -> PlanYear | None:
    return PlanYear.objects.filter(committee=committee, year=year).first()


def _exists(committee, year: int) -> bool:
    return PlanYear.objects.filter(committee=committee, year=year).exists()


def _copy(committee, from_year: int, to_year: int, by) -> PlanYear:
    return services.plan_copy(source=_plan(committee, from_year), year=to_year, by=by)


def _adoption_problem(committee, year: int) -> str:
    plan = _plan(committee, year)
    if plan is None:
        return f"Det finns inget målträd för {year}."
    if plan.is_adopted:
        return f"Målträdet {year} är redan fastställt ({plan.adoption_text})."
    if not plan.goals.exists():
        return f"Målträdet {year} har inga mål."
    return ""


def _adopt(committee, year: int, decided_on, paragraph: str, by) -> PlanYear:
    return services.plan_adopt(
        plan=_plan(committee, year), decided_on=decided_on, paragraph=paragraph, by=by
    )


def _changes(committee, year: int) -> list[planning.Change]:
    plan = _plan(committee, year)
    return queries.plan_changes(plan) if plan else []


def _adopted(committee, year: int) -> str:
    plan = _plan(committee, year)
    return plan.adoption_text if plan else ""


planning.register(
    planning.Part(
        code="goals",
        title="Målträd",
        order=10,
        exists=_exists,
        copy=_copy,
        adoption_problem=_adoption_problem,
        adopt=_adopt,
        changes=_changes,
        adopted=_adopted,
    )
)
