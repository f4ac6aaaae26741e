"""Mål och uppdrag: the nämndmål follow-up (assessment, method, key figures against the same
period last year, commentary, viktiga aktiviteter), the uppdrag with their status, and the plan's
goal table for the verksamhetsplan. Reads goals/reporting.py only."""

from __future__ import annotations

from goals import reporting
from reports.generators.base import Figure, Generated, ReportPeriod, register
from reports.generators.common import committee, render, unavailable


def _follow_up(period: ReportPeriod) -> reporting.FollowUp:
    return reporting.follow_up(committee=committee(period), year=period.year, period=period.period)


def goal_groups(goals) -> list[tuple[str, list]]:
    """The goal table's merged first column: (övergripande mål, its nämndmål) in order."""
    groups: dict[str, list] = {}
    for goal in goals:
        groups.setdefault(goal.parent_title, []).append(goal)
    return list(groups.items())


def goal_figures(follow_up: reporting.FollowUp) -> list[Figure]:
    figures = []
    for goal in follow_up.goals:
        name = f"{goal.level} {goal.number}"
        if goal.step is not None:
            figures.append(
                Figure(f"goals.{goal.key}.bedomning", f"{name}: bedömning", goal.step.label)
            )
        for figure in goal.figures:
            if figure.text:
                figures.append(
                    Figure(
                        f"goals.{goal.key}.{figure.key}",
                        f"{name}: {figure.title}, {figure.period_label}",
                        figure.text,
                    )
                )
            if figure.comparison_text:
                figures.append(
                    Figure(
                        f"goals.{goal.key}.{figure.key}.jamforelse",
                        f"{name}: {figure.title}, {figure.comparison_label}",
                        figure.comparison_text,
                    )
                )
    return figures


def goal_warnings(follow_up: reporting.FollowUp) -> list[str]:
    warnings = [f"{name}: bedömningen är inte klar." for name in follow_up.not_done]
    for goal in follow_up.goals:
        for figure in goal.figures:
            if not figure.text:
                reason = f" ({figure.problem})" if figure.problem else ""
                warnings.append(
                    f"{goal.level} {goal.number}: måttet ”{figure.title}” saknar värde för "
                    f"{figure.period_label}{reason}."
                )
    return warnings


@register("goals.follow_up", "Nämndmål: bedömning, nyckeltal och viktiga aktiviteter")
def follow_up(period: ReportPeriod) -> Generated:
    try:
        report = _follow_up(period)
    except reporting.PlanYearMissing as error:
        return unavailable(str(error))
    html = render(
        "goals_follow_up",
        {"report": report, "groups": goal_groups(report.goals)},
    )
    return Generated(html, goal_figures(report), goal_warnings(report))


@register("goals.assignments", "Uppdrag med status")
def assignments(period: ReportPeriod) -> Generated:
    try:
        report = _follow_up(period)
    except reporting.PlanYearMissing as error:
        return unavailable(str(error))
    figures = [
        Figure(f"goals.uppdrag.{a.key}.status", f"Uppdrag {n}: status", a.step.label)
        for n, a in enumerate(report.assignments, start=1)
        if a.step is not None
    ]
    warnings = [
        f"Uppdrag {n}: bedömningen är inte klar."
        for n, a in enumerate(report.assignments, start=1)
        if a.state != "klar"
    ]
    return Generated(render("goals_assignments", {"report": report}), figures, warnings)


@register("goals.plan", "Nämndmål med mått och aktiviteter (verksamhetsplan)")
def plan(period: ReportPeriod) -> Generated:
    """The plan for `period.year` (a verksamhetsplan 2025 has year 2025)."""
    try:
        report = reporting.plan(committee=committee(period), year=period.year)
    except reporting.PlanYearMissing as error:
        return unavailable(str(error))
    warnings = [
        f"{goal.level} {goal.number} har inga aktiviteter."
        for group in report.groups
        for goal in group.goals
        if not goal.activities
    ]
    return Generated(render("goals_plan", {"plan": report}), [], warnings)


def _plan_part(period: ReportPeriod, **show) -> Generated:
    try:
        report = reporting.plan(committee=committee(period), year=period.year)
    except reporting.PlanYearMissing as error:
        return unavailable(str(error))
    warnings = []
    if show.get("goals"):
        warnings = [
            f"{goal.level} {goal.number} har inga aktiviteter."
            for group in report.groups
            for goal in group.goals
            if not goal.activities
        ]
    return Generated(render("goals_plan", {"plan": report, "show": show}), [], warnings)


@register("goals.vision", "Vision och övergripande mål (verksamhetsplan)")
def vision(period: ReportPeriod) -> Generated:
    return _plan_part(period, upper=True)


@register(
    "goals.namndmal", "Nämndmål: tabell med Agenda 2030, mått och aktiviteter (verksamhetsplan)"
)
def namndmal(period: ReportPeriod) -> Generated:
    return _plan_part(period, goals=True)


@register("goals.ongoing", "Löpande verksamhet enligt reglemente (verksamhetsplan)")
def ongoing(period: ReportPeriod) -> Generated:
    return _plan_part(period, ongoing=True)
