"""Internkontroll risks linked to the nämndmål they threaten: the writes (checked, audited)
and the reads the verksamhetsplan prints.

A risk and a goal belong to the same nämnd and plan year; a goal of another year is refused.
Links of a fastställd internkontrollplan are locked with it. The VP generator reads
`links_for_year(year)`: risk id → the linked goals, for the risks of the year's plan in
force (controls.reporting's plan for the year)."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction

from controls.models import ControlPlan, PlanState, Risk
from goals.models import Goal
from reports.models import RiskGoalLink
from solna_sn import audit, permissions
from solna_sn.errors import StateError, require


def may_edit_links(user) -> bool:
    """Who may link risks to goals: those who draft the internkontrollplan."""
    return permissions.can_edit_control_plan(user)


def _require_draft(plan: ControlPlan) -> None:
    if plan.state != PlanState.DRAFT:
        raise StateError(
            f"{plan} är fastställd och låst, och så är dess kopplingar till nämndmål. Skapa en "
            "ny revision av planen för att ändra dem."
            if plan.state == PlanState.ADOPTED
            else f"{plan} har ersatts av en nyare revision och kan inte ändras."
        )


def goal_choices(plan: ControlPlan):
    """The goals a risk of `plan` may be linked to: the nämndmål (assessed level) of the
    same nämnd and year."""
    return (
        Goal.objects.filter(
            plan__committee_id=plan.committee_id,
            plan__year=plan.year,
            level__takes_assessments=True,
        )
        .select_related("level")
        .order_by("level__order", "sort_order", "pk")
    )


@transaction.atomic
def link_add(*, risk: Risk, goal: Goal, by) -> RiskGoalLink:
    """Link a risk to the nämndmål it threatens. Refused (ValidationError on "goal", nothing
    changed) for a goal of another year or nämnd or one that is not a nämndmål; StateError
    when the plan is fastställd."""
    require(may_edit_links(by))
    plan = ControlPlan.objects.select_for_update().get(pk=risk.plan_id)
    _require_draft(plan)
    goal = Goal.objects.select_related("plan", "level").get(pk=goal.pk)
    if goal.plan.committee_id != plan.committee_id:
        raise ValidationError({"goal": "Målet hör till en annan nämnd än risken."})
    if goal.plan.year != plan.year:
        raise ValidationError(
            {
                "goal": f"Målet hör till målträdet {goal.plan.year}, men risken till "
                f"internkontrollplanen {plan.year}. Koppla risken till ett nämndmål för "
                f"{plan.year}."
            }
        )
    if not goal.level.takes_assessments:
        raise ValidationError(
            {"goal": f"Risker kopplas till nämndmål, inte till {goal.level.name.lower()}."}
        )
    if RiskGoalLink.objects.filter(risk=risk, goal=goal).exists():
        raise ValidationError({"goal": "Risken är redan kopplad till det målet."})
    link = RiskGoalLink.objects.create(risk=risk, goal=goal, created_by=by)
    audit.record(
        "risk_goal_link.created",
        by=by,
        target=link,
        changes={"nämndmål": (None, str(goal))},
    )
    return link


@transaction.atomic
def link_remove(*, link: RiskGoalLink, by) -> None:
    require(may_edit_links(by))
    plan = ControlPlan.objects.select_for_update().get(pk=link.risk.plan_id)
    _require_draft(plan)
    audit.record(
        "risk_goal_link.removed",
        by=by,
        target=link,
        changes={"nämndmål": (str(link.goal), None)},
    )
    link.delete()


def links_for_plan(plan: ControlPlan) -> dict[int, list[Goal]]:
    """risk id → linked goals (in the tree's order), for the risks of one plan: one query."""
    result: dict[int, list[Goal]] = defaultdict(list)
    links = (
        RiskGoalLink.objects.filter(risk__plan=plan)
        .select_related("goal__level")
        .order_by("goal__level__order", "goal__sort_order", "goal_id")
    )
    for link in links:
        result[link.risk_id].append(link.goal)
    return dict(result)


def links_for_year(year: int, committee=None) -> dict[int, list[Goal]]:
    """risk id → linked goals for the internkontrollplan in force for `year` (adopted, else
    the newest draft), of `committee` or the first nämnd with a plan that year. Empty when
    there is no plan. For the VP generator: print each risk's goals beside it."""
    plans = ControlPlan.objects.filter(year=year)
    if committee is not None:
        plans = plans.filter(committee=committee)
    plan = (
        plans.filter(state=PlanState.ADOPTED).order_by("committee_id").first()
        or plans.order_by("committee_id", "-revision").first()
    )
    return links_for_plan(plan) if plan else {}


@transaction.atomic
def links_copy_year(*, committee, from_year: int, to_year: int, by) -> int:
    """Carry the links of `from_year` over to `to_year` by the stable keys of the risks and
    goals (both are copied with their keys); links whose risk or goal is gone are left."""
    source = links_for_year(from_year, committee)
    target_plan = (
        ControlPlan.objects.filter(committee=committee, year=to_year).order_by("-revision").first()
    )
    if not source or target_plan is None:
        return 0
    old_risks = {r.pk: r.key for r in Risk.objects.filter(pk__in=source)}
    new_risks = {r.key: r for r in Risk.objects.filter(plan=target_plan)}
    new_goals = {
        g.key: g for g in Goal.objects.filter(plan__committee=committee, plan__year=to_year)
    }
    links = []
    for risk_id, goals in source.items():
        risk = new_risks.get(old_risks[risk_id])
        for goal in goals:
            copy = new_goals.get(goal.key)
            if risk is not None and copy is not None:
                links.append(RiskGoalLink(risk=risk, goal=copy, created_by=by))
    RiskGoalLink.objects.bulk_create(links, ignore_conflicts=True)
    audit.record(
        "risk_goal_link.year_copied",
        by=by,
        target=target_plan,
        changes={"år": (from_year, to_year)},
        reason=f"{len(links)} kopplingar",
    )
    return len(links)


@transaction.atomic
def links_copy_revision(*, plan: ControlPlan, by) -> int:
    """A new revision of an internkontrollplan starts without links (controls copies its
    risks, not the documents' links): make the previous revision's links again between the
    risks with the same keys. Only in a draft; links it already has are kept."""
    require(may_edit_links(by))
    plan = ControlPlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    if plan.previous_id is None:
        raise StateError(f"{plan} har ingen tidigare revision att hämta kopplingar från.")
    risks = {risk.key: risk for risk in Risk.objects.filter(plan=plan)}
    links = [
        RiskGoalLink(risk=risks[link.risk.key], goal_id=link.goal_id, created_by=by)
        for link in RiskGoalLink.objects.filter(risk__plan_id=plan.previous_id).select_related(
            "risk"
        )
        if link.risk.key in risks
    ]
    created = RiskGoalLink.objects.bulk_create(links, ignore_conflicts=True)
    audit.record(
        "risk_goal_link.revision_copied",
        by=by,
        target=plan,
        reason=f"{len(created)} kopplingar från revision {plan.revision - 1}",
    )
    return len(created)
