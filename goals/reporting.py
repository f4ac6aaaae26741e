"""What the plan and the follow-up reports print from goals: plain dataclasses, no templates.

This is the only module of `goals` that the documents import.

- `follow_up(committee=, year=, period=)`: the goals on assessed levels with their assessment
  for the period (level on the scale, method, commentary, viktiga aktiviteter) and their key
  figures for the period vs the same period last year; the uppdrag with their status.
- `plan(committee=, year=)`: the levels above the working level (vision, övergripande mål with
  descriptions), the goal table (övergripande mål | nämndmål with Agenda 2030 labels, mått and
  aktiviteter), löpande verksamhet and the uppdrag.

Both raise `PlanYearMissing` (a LookupError with a Swedish message) for a year without a tree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from goals import aggregates, queries
from goals.models import ActivityStatus, AssessmentState, Period, ScaleStep
from goals.queries import KeyFigure
from solna_sn import figures
from solna_sn.lib.periods import PeriodKind, ReportPeriod

PlanYearMissing = queries.PlanYearMissing

__all__ = [
    "AssessedAssignment",
    "AssessedGoal",
    "FollowUp",
    "KeyFigure",
    "Plan",
    "PlanActivity",
    "PlanAssignment",
    "PlanGoal",
    "PlanGroup",
    "PlanLevel",
    "PlanMeasure",
    "PlanYearMissing",
    "Scale",
    "Step",
    "follow_up",
    "plan",
]


@dataclass(frozen=True)
class Step:
    rank: int
    label: str
    symbol: str
    colour: str  # a palette name (goals.models.Colour), decoration only

    @property
    def text(self) -> str:
        return f"{self.symbol} {self.label}"


@dataclass(frozen=True)
class Scale:
    name: str
    introduction: str  # "Målen bedöms enligt:"
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class AssessedGoal:
    key: str
    level: str  # "Nämndmål"
    number: int  # 1 for "Nämndmål 1"
    title: str  # the canonical goal text
    parent_title: str
    agenda2030: tuple[str, ...]  # ("Mål 10 Minskad ojämlikhet",)
    step: Step | None  # None: not assessed yet
    method: str
    commentary: str
    key_activities: tuple[str, ...]
    state: str  # "utkast" / "klar" / "" (no assessment)
    state_label: str
    writer: str
    figures: tuple[KeyFigure, ...]


@dataclass(frozen=True)
class AssessedAssignment:
    key: str
    text: str
    decided_by: str
    lead_committee: str
    participating: tuple[str, ...]
    step: Step | None
    commentary: str
    state: str
    state_label: str
    writer: str


@dataclass(frozen=True)
class FollowUp:
    year: int
    period: str  # "april" / "augusti" / "helar"
    period_label: str  # "Delårsrapport per augusti 2024"
    months_label: str  # "jan–aug 2024"
    goal_scale: Scale | None
    assignment_scale: Scale | None
    goals: tuple[AssessedGoal, ...]
    assignments: tuple[AssessedAssignment, ...]
    not_done: tuple[str, ...]  # "Nämndmål 2" … without a finished (klar) assessment


@dataclass(frozen=True)
class PlanMeasure:
    key: str
    title: str
    unit: str
    target_text: str
    direction: str
    computed_from: str  # "" for a hand-entered mått


@dataclass(frozen=True)
class PlanActivity:
    key: str
    title: str
    description: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    status: str


@dataclass(frozen=True)
class PlanGoal:
    key: str
    level: str
    number: int
    title: str
    description: str
    agenda2030: tuple[str, ...]
    measures: tuple[PlanMeasure, ...]
    activities: tuple[PlanActivity, ...]


@dataclass(frozen=True)
class PlanLevel:
    name: str
    plural: str
    decided_by: str
    goals: tuple[PlanGoal, ...]


@dataclass(frozen=True)
class PlanGroup:
    """One merged first-column cell of the goal table and its goals."""

    parent: PlanGoal | None
    goals: tuple[PlanGoal, ...]


@dataclass(frozen=True)
class PlanAssignment:
    key: str
    text: str
    decided_by: str
    lead_committee: str
    participating: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    year: int
    upper_levels: tuple[PlanLevel, ...]  # Vision, Övergripande mål (all, with descriptions)
    table_headings: tuple[str, str]  # ("Övergripande mål", "Nämndmål")
    groups: tuple[PlanGroup, ...]  # only parents that have goals on the working level
    ongoing_heading: str  # "Löpande verksamhet enligt reglemente"
    ongoing: tuple[PlanActivity, ...]
    assignments: tuple[PlanAssignment, ...]


def _step(step: ScaleStep | None) -> Step | None:
    if step is None:
        return None
    return Step(step.rank, step.label, step.symbol, step.colour)


def _scale(scale) -> Scale | None:
    if scale is None:
        return None
    steps = tuple(_step(s) for s in queries.scale_steps(scale.pk))
    return Scale(scale.name, scale.introduction, steps)


def _sdgs(goal) -> tuple[str, ...]:
    return tuple(str(sdg) for sdg in sorted(goal.agenda2030.all(), key=lambda s: s.number))


def follow_up(*, committee, year: int, period: str) -> FollowUp:
    """Goals and uppdrag as assessed for a report period (april, augusti, helar)."""
    kind = PeriodKind(period)
    plan_year = queries.plan_for(committee, year)
    report_period = ReportPeriod(year, kind)
    tree = queries.plan_tree(plan_year)
    assessed = [node for node in tree.nodes if node.goal.level.takes_assessments]
    key_figures = queries.key_figures(
        plan_year, report_period, [m for node in assessed for m in node.measures]
    )
    by_pk = {node.goal.pk: node for node in tree.nodes}
    goals = []
    not_done = []
    goal_scale = None
    for node in assessed:
        goal = node.goal
        goal_scale = goal_scale or goal.level.scale
        assessment = node.assessments.get(kind.value)
        parent = by_pk.get(goal.parent_id)
        if assessment is None or assessment.state != AssessmentState.DONE:
            not_done.append(f"{goal.level.name} {node.number}")
        goals.append(
            AssessedGoal(
                key=str(goal.key),
                level=goal.level.name,
                number=node.number,
                title=goal.title,
                parent_title=parent.goal.title if parent else "",
                agenda2030=_sdgs(goal),
                step=_step(assessment.step) if assessment else None,
                method=assessment.method if assessment else "",
                commentary=assessment.commentary if assessment else "",
                key_activities=tuple(assessment.activity_lines) if assessment else (),
                state=assessment.state if assessment else "",
                state_label=assessment.get_state_display() if assessment else "Ej påbörjad",
                writer=str(assessment.writer) if assessment and assessment.writer else "",
                figures=tuple(key_figures[m.pk] for m in node.measures),
            )
        )
    assignments = []
    for assignment in tree.assignments:
        assessment = tree.assignment_assessments.get(assignment.pk, {}).get(kind.value)
        assignments.append(
            AssessedAssignment(
                key=str(assignment.key),
                text=assignment.text,
                decided_by=assignment.decided_by,
                lead_committee=str(assignment.lead_committee),
                participating=tuple(str(c) for c in assignment.participating_committees.all()),
                step=_step(assessment.step) if assessment else None,
                commentary=assessment.commentary if assessment else "",
                state=assessment.state if assessment else "",
                state_label=assessment.get_state_display() if assessment else "Ej påbörjad",
                writer=str(assessment.writer) if assessment and assessment.writer else "",
            )
        )
    config = queries.settings_of(committee)
    return FollowUp(
        year=year,
        period=kind.value,
        period_label=f"{Period(kind.value).label} {year}",
        months_label=queries._period_span(report_period),
        goal_scale=_scale(goal_scale),
        assignment_scale=_scale(config.assignment_scale),
        goals=tuple(goals),
        assignments=tuple(assignments),
        not_done=tuple(not_done),
    )


def _activity(activity) -> PlanActivity:
    return PlanActivity(
        key=str(activity.key),
        title=activity.title,
        description=activity.description,
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        status=ActivityStatus(activity.status).label if activity.status else "",
    )


def _plan_goal(node, titles: dict[str, str]) -> PlanGoal:
    goal = node.goal
    return PlanGoal(
        key=str(goal.key),
        level=goal.level.name,
        number=node.number,
        title=goal.title,
        description=goal.description,
        agenda2030=_sdgs(goal),
        measures=tuple(
            PlanMeasure(
                key=str(m.key),
                title=m.title,
                unit=m.unit,
                target_text=(
                    aggregates.figure_text(m.target, m.decimals, m.unit)
                    if m.target is not None
                    else ""
                ),
                direction=m.get_direction_display() if m.direction else "",
                computed_from=(
                    f"{m.get_aggregation_display()} av ”{titles.get(m.series_code, m.series_code)}”"
                    if m.is_computed
                    else ""
                ),
            )
            for m in node.measures
        ),
        activities=tuple(_activity(a) for a in node.activities),
    )


def plan(*, committee, year: int) -> Plan:
    """The goal part of the verksamhetsplan for `year`."""
    plan_year = queries.plan_for(committee, year)
    tree = queries.plan_tree(plan_year)
    try:
        titles = figures.series_titles()
    except figures.NoSeriesProvider:
        titles = {}
    working = [lvl for lvl in tree.levels if lvl.takes_activities or lvl.takes_measures]
    work_level = working[0] if working else (tree.levels[-1] if tree.levels else None)
    upper = [lvl for lvl in tree.levels if work_level and lvl.order < work_level.order]
    goals = {node.goal.pk: _plan_goal(node, titles) for node in tree.nodes}
    upper_levels = tuple(
        PlanLevel(
            lvl.name,
            lvl.plural_name,
            lvl.decided_by,
            tuple(goals[n.goal.pk] for n in tree.level_nodes(lvl)),
        )
        for lvl in upper
    )
    groups: list[PlanGroup] = []
    index: dict[int | None, int] = {}
    for node in tree.level_nodes(work_level) if work_level else []:
        parent_id = node.goal.parent_id
        if parent_id not in index:
            index[parent_id] = len(groups)
            groups.append(PlanGroup(goals.get(parent_id), ()))
        group = groups[index[parent_id]]
        groups[index[parent_id]] = PlanGroup(group.parent, (*group.goals, goals[node.goal.pk]))
    parent_heading = upper[-1].name if upper else ""
    config = queries.settings_of(committee)
    return Plan(
        year=year,
        upper_levels=upper_levels,
        table_headings=(parent_heading, work_level.name if work_level else ""),
        groups=tuple(groups),
        ongoing_heading=config.ongoing_heading,
        ongoing=tuple(_activity(a) for a in tree.ongoing),
        assignments=tuple(
            PlanAssignment(
                key=str(a.key),
                text=a.text,
                decided_by=a.decided_by,
                lead_committee=str(a.lead_committee),
                participating=tuple(str(c) for c in a.participating_committees.all()),
            )
            for a in tree.assignments
        ),
    )
