"""Reusable reads: a year's tree in a fixed number of queries, and the key figures of mått
for a report period (computed from monthly series or entered by hand)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from goals import aggregates
from goals.models import (
    Activity,
    Assignment,
    AssignmentAssessment,
    Direction,
    Goal,
    GoalAssessment,
    GoalSettings,
    Level,
    Measure,
    MeasureValue,
    PlanYear,
    ScaleStep,
)
from solna_sn import figures
from solna_sn.lib.periods import PeriodKind, ReportPeriod
from solna_sn.planning import Item, compare

# --- The tree ---------------------------------------------------------------------------------


@dataclass
class Node:
    goal: Goal
    number: int
    """Position among the goals of its level in the plan (Nämndmål 1, 2, …)."""
    of: int = 1
    """How many goals the level has in the plan."""
    children: list[Node] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    assessments: dict[str, GoalAssessment] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """ "Nämndmål 2"; just "Vision" when the level has one goal."""
        if self.of == 1:
            return self.goal.level.name
        return f"{self.goal.level.name} {self.number}"

    @property
    def assessment_list(self) -> list[tuple[str, GoalAssessment | None]]:
        return [(kind.value, self.assessments.get(kind.value)) for kind in PeriodKind]


@dataclass
class Tree:
    plan: PlanYear
    levels: list[Level]
    roots: list[Node]
    nodes: list[Node]
    ongoing: list[Activity]
    assignments: list[Assignment]
    assignment_assessments: dict[int, dict[str, AssignmentAssessment]]

    @property
    def assignment_list(self) -> list[tuple[Assignment, list]]:
        """Each uppdrag with its assessment (or None) per period."""
        return [
            (
                a,
                [
                    (kind.value, self.assignment_assessments.get(a.pk, {}).get(kind.value))
                    for kind in PeriodKind
                ],
            )
            for a in self.assignments
        ]

    @property
    def max_order(self) -> int:
        return max((level.order for level in self.levels), default=0)

    def level_nodes(self, level: Level) -> list[Node]:
        return [n for n in self.nodes if n.goal.level_id == level.pk]


def plan_tree(plan: PlanYear) -> Tree:
    """The whole tree of a year with mått, aktiviteter and assessments: eight queries
    whatever its size."""
    levels = list(Level.objects.filter(committee_id=plan.committee_id).select_related("scale"))
    goals = list(
        plan.goals.select_related("level", "responsible_unit")
        .prefetch_related("agenda2030")
        .order_by("level__order", "sort_order", "pk")
    )
    measures = defaultdict(list)
    for measure in Measure.objects.filter(goal__plan=plan).order_by("sort_order", "pk"):
        measures[measure.goal_id].append(measure)
    activities = defaultdict(list)
    ongoing = []
    for activity in plan.activities.order_by("sort_order", "pk"):
        (activities[activity.goal_id] if activity.goal_id else ongoing).append(activity)
    assessments = defaultdict(dict)
    for assessment in GoalAssessment.objects.filter(goal__plan=plan).select_related(
        "step", "writer"
    ):
        assessments[assessment.goal_id][assessment.period] = assessment
    numbers: dict[int, int] = defaultdict(int)
    nodes: dict[int, Node] = {}
    ordered = []
    for goal in goals:
        numbers[goal.level_id] += 1
        node = Node(
            goal,
            numbers[goal.level_id],
            measures=measures[goal.pk],
            activities=activities[goal.pk],
            assessments=assessments[goal.pk],
        )
        nodes[goal.pk] = node
        ordered.append(node)
    for node in ordered:
        node.of = numbers[node.goal.level_id]
    roots = []
    for node in ordered:
        parent = nodes.get(node.goal.parent_id)
        (parent.children if parent else roots).append(node)
    assignments = list(
        plan.assignments.select_related("lead_committee").prefetch_related(
            "participating_committees"
        )
    )
    by_assignment = defaultdict(dict)
    for assessment in AssignmentAssessment.objects.filter(assignment__plan=plan).select_related(
        "step", "writer"
    ):
        by_assignment[assessment.assignment_id][assessment.period] = assessment
    return Tree(plan, levels, roots, ordered, ongoing, assignments, dict(by_assignment))


def goals_with_level(plan: PlanYear):
    return plan.goals.select_related("level", "parent__level").order_by(
        "level__order", "sort_order", "pk"
    )


def scale_steps(scale_id: int | None) -> list[ScaleStep]:
    if scale_id is None:
        return []
    return list(ScaleStep.objects.filter(scale_id=scale_id).order_by("rank"))


# --- Key figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    """A mått's figure for a report period and the same period last year, ready to print."""

    key: str
    title: str
    unit: str
    decimals: int
    period_label: str  # "jan–aug 2024"
    value: Decimal | None  # unrounded
    text: str  # "10 210 kr", "" when there is no figure
    comparison_label: str  # "jan–aug 2023"
    comparison_value: Decimal | None
    comparison_text: str
    computed: bool
    source: str  # where the figure came from
    problem: str = ""  # why there is no figure
    comparison_problem: str = ""
    target_text: str = ""
    direction: str = ""


def _period_span(period: ReportPeriod) -> str:
    return f"{aggregates.month_span(period.months)} {period.year}"


def series_titles() -> dict[str, str]:
    try:
        return figures.series_titles()
    except figures.NoSeriesProvider:
        return {}


def _computed(measure: Measure, period: ReportPeriod, titles: dict[str, str]):
    """(figure value, source text, problem) of a computed mått for a period."""
    try:
        title = titles.get(measure.series_code, measure.series_code)
        points = figures.fetch_series(measure.series_code, period.year, period.months)
    except (figures.UnknownSeries, figures.NoSeriesProvider) as error:
        return None, "", f"Ingen siffra för {_period_span(period)}: {error}"
    figure = aggregates.aggregate(
        points, months=period.months, how=measure.aggregation, title=title, year=period.year
    )
    source = aggregates.source_text(
        figure,
        how=measure.aggregation,
        title=title,
        year=period.year,
        origin=figures.source_description(),
    )
    return figure.value, source, figure.problem


def previous_values(plan: PlanYear, period: str) -> dict:
    """Hand-entered values of last year's plan for a period, by mått key (one query)."""
    rows = MeasureValue.objects.filter(
        measure__goal__plan__committee_id=plan.committee_id,
        measure__goal__plan__year=plan.year - 1,
        period=period,
    ).select_related("measure")
    return {row.measure.key: row for row in rows}


def key_figure(
    measure: Measure,
    period: ReportPeriod,
    *,
    entered: MeasureValue | None = None,
    last_year: MeasureValue | None = None,
    titles: dict[str, str] | None = None,
) -> KeyFigure:
    """The mått's figure for `period`. Computed mått read their series for the period and the
    same period last year; hand-entered ones use `entered` (this period's row) and its
    comparison value, or else `last_year` (the row of last year's mått with the same key)."""
    previous = period.previous_year()
    unit, decimals = measure.unit, measure.decimals
    if measure.is_computed:
        titles = series_titles() if titles is None else titles
        value, source, problem = _computed(measure, period, titles)
        comparison, _, comparison_problem = _computed(measure, previous, titles)
    else:
        value = entered.value if entered else None
        comparison = entered.comparison_value if entered else None
        if comparison is None and last_year is not None:
            comparison = last_year.value
        source = "Angivet för hand"
        problem = "" if value is not None else "Ej rapporterat för perioden."
        comparison_problem = ""
    target_text = ""
    if measure.target is not None:
        target_text = aggregates.figure_text(measure.target, decimals, unit)
    return KeyFigure(
        key=str(measure.key),
        title=measure.title,
        unit=unit,
        decimals=decimals,
        period_label=_period_span(period),
        value=value,
        text=aggregates.figure_text(value, decimals, unit),
        comparison_label=_period_span(previous),
        comparison_value=comparison,
        comparison_text=aggregates.figure_text(comparison, decimals, unit),
        computed=measure.is_computed,
        source=source,
        problem=problem,
        comparison_problem=comparison_problem,
        target_text=target_text,
        direction=Direction(measure.direction).label if measure.direction else "",
    )


def key_figures(
    plan: PlanYear, period: ReportPeriod, measures: list[Measure]
) -> dict[int, KeyFigure]:
    """measure id → key figure for the period. Two queries plus the series reads of the
    computed mått."""
    entered = {
        row.measure_id: row
        for row in MeasureValue.objects.filter(
            measure__in=[m.pk for m in measures], period=period.kind.value
        )
    }
    last_year = previous_values(plan, period.kind.value)
    titles = series_titles() if any(m.is_computed for m in measures) else {}
    return {
        m.pk: key_figure(
            m, period, entered=entered.get(m.pk), last_year=last_year.get(m.key), titles=titles
        )
        for m in measures
    }


def goal_detail(goal_pk: int):
    """A goal with everything its page shows."""
    return (
        Goal.objects.select_related("plan__committee", "level__scale", "parent", "responsible_unit")
        .prefetch_related(
            "agenda2030",
            Prefetch("measures", queryset=Measure.objects.order_by("sort_order", "pk")),
            Prefetch("activities", queryset=Activity.objects.order_by("sort_order", "pk")),
            Prefetch(
                "assessments",
                queryset=GoalAssessment.objects.select_related("step", "writer"),
            ),
        )
        .get(pk=goal_pk)
    )


class PlanYearMissing(LookupError):
    """No goal tree for the year; str() is a Swedish message."""


def plan_for(committee, year: int) -> PlanYear:
    plan = PlanYear.objects.filter(committee=committee, year=year).first()
    if plan is None:
        raise PlanYearMissing(
            f"Det finns inget målträd för {year}. Skapa det genom att kopiera föregående år."
        )
    return plan


def settings_of(committee) -> GoalSettings:
    """The nämnd's goal settings, read only (services.settings_for creates the defaults)."""
    config = (
        GoalSettings.objects.filter(committee=committee).select_related("assignment_scale").first()
    )
    if config is None:
        raise PlanYearMissing("Målstyrningen är inte inställd för nämnden.")
    return config


# --- Year to year -----------------------------------------------------------------------------


def change_items(plan: PlanYear, ongoing_heading: str = "Löpande verksamhet") -> list:
    """The tree as comparable items (goals, mått, aktiviteter, uppdrag) with labels as the
    year numbers them: four queries."""
    goals = list(plan.goals.select_related("level").order_by("level__order", "sort_order", "pk"))
    numbers: dict[int, int] = defaultdict(int)
    totals: dict[int, int] = defaultdict(int)
    for goal in goals:
        totals[goal.level_id] += 1
    labels = {}
    items = []
    for goal in goals:
        numbers[goal.level_id] += 1
        label = goal.level.name
        if totals[goal.level_id] > 1:
            label = f"{label} {numbers[goal.level_id]}"
        labels[goal.pk] = label
        items.append(Item(str(goal.key), label, goal.title, goal.description))
    for measure in Measure.objects.filter(goal__plan=plan).order_by("goal_id", "sort_order", "pk"):
        items.append(Item(str(measure.key), f"Mått under {labels[measure.goal_id]}", measure.title))
    for activity in plan.activities.order_by("goal_id", "sort_order", "pk"):
        under = labels[activity.goal_id] if activity.goal_id else ongoing_heading
        items.append(
            Item(
                str(activity.key), f"Aktivitet under {under}", activity.title, activity.description
            )
        )
    for assignment in plan.assignments.all():
        items.append(Item(str(assignment.key), "Uppdrag", assignment.text))
    return items


def plan_changes(plan: PlanYear) -> list:
    """What differs in `plan` from the tree of the year before (by key); empty when there is
    no tree the year before."""
    previous = PlanYear.objects.filter(committee_id=plan.committee_id, year=plan.year - 1).first()
    if previous is None:
        return []
    config = GoalSettings.objects.filter(committee_id=plan.committee_id).first()
    heading = config.ongoing_heading if config else "Löpande verksamhet"
    return compare(change_items(previous, heading), change_items(plan, heading))
