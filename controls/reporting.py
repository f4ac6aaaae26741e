"""What the documents print from the internal control: the plan table of the verksamhetsplan
(process | risk | riskindex | kontrollmoment | hur och när), its risk matrix, and the follow-up
table of a report period (risk | kontrollmoment | resultat) with the samlad bedömning.
Plain dataclasses; reads only.

This is the only module of `controls` that the documents import. The follow-up prints only
approved results (as the follow-up page says); a risk whose latest result is missing or not yet
approved is listed in `not_approved` for the consistency check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from controls import rules
from controls.models import (
    PERIOD_LAST_MONTH,
    ControlFollowUp,
    ControlPlan,
    FollowUpPeriod,
    Occasion,
    PlanState,
    Result,
    ResultState,
)
from solna_sn.lib.numbers import format_number, format_percent

__all__ = [
    "REPORT_PERIODS",
    "FollowUpRow",
    "FollowUpTable",
    "Level",
    "MatrixCell",
    "PlanGroup",
    "PlanRisk",
    "PlanTable",
    "follow_up",
    "plan_table",
]

# The reports' period codes → the follow-up periods of controls.
REPORT_PERIODS = {
    "april": FollowUpPeriod.APRIL,
    "augusti": FollowUpPeriod.AUGUST,
    "helar": FollowUpPeriod.YEAR,
}


@dataclass(frozen=True)
class Level:
    rank: int
    label: str
    symbol: str

    @property
    def text(self) -> str:
        return f"{self.symbol} {self.label}"


@dataclass(frozen=True)
class FollowUpRow:
    risk_key: str
    risk_number: int
    risk: str
    control_activity: str
    level: Level | None  # None: no approved result for the period
    finding: str
    figure_lines: tuple[str, ...]  # "Barn: 1,6 % (3 av 189). …"
    action_lines: tuple[str, ...]  # "Åtgärd: … (genomförd 2024-09-30)"
    month: int | None  # the control month of the printed result


@dataclass(frozen=True)
class FollowUpTable:
    year: int
    period: str  # the reports' code: "april" / "augusti" / "helar"
    period_label: str  # "Delårsrapport per augusti"
    plan_label: str  # "Internkontrollplan 2024"
    plan_adopted: bool
    rows: tuple[FollowUpRow, ...]
    assessment: str  # the samlad bedömning, "" when not written
    not_approved: tuple[str, ...]  # "Risk 3: resultatet är inte godkänt (För granskning)."


@dataclass(frozen=True)
class PlanRisk:
    key: str
    number: int
    title: str
    risk_index: int
    likelihood: int | None
    consequence: int | None
    control_activity: str
    how_when: str
    band_label: str  # "Låg" / "Medel" / "Hög"


@dataclass(frozen=True)
class PlanGroup:
    process: str
    risks: tuple[PlanRisk, ...]


@dataclass(frozen=True)
class MatrixCell:
    likelihood: int
    consequence: int
    index: int
    band: str
    band_label: str
    risk_numbers: tuple[int, ...]


@dataclass(frozen=True)
class PlanTable:
    year: int
    label: str  # "Internkontrollplan 2025"
    adopted: bool
    adopted_text: str  # "Fastställd 2024-10-07, Socialnämnden … § 64" or "Utkast, inte fastställd"
    scale_max: int
    groups: tuple[PlanGroup, ...]
    matrix: tuple[tuple[MatrixCell, ...], ...]  # rows from the highest sannolikhet down
    unplaced: tuple[PlanRisk, ...]  # only the index is known


# The reads below mirror controls.services (plan_risks, follow_up_rows, risk_matrix): the
# documents may not import services, even indirectly (import-linter).


def _plan_risks(plan: ControlPlan) -> list:
    return list(
        plan.risks.select_related("process").order_by("process__sort_order", "process_id", "number")
    )


def _latest_occasions(plan: ControlPlan, last_month: int, *, approved_only: bool) -> dict:
    """risk id → the occasion with the latest result up to `last_month` (approved only if
    asked), result, level, figures and actions loaded. Three queries."""
    results = Result.objects.select_related("level").prefetch_related("figures", "actions")
    occasions = (
        Occasion.objects.filter(risk__plan=plan, month__lte=last_month, result__isnull=False)
        .prefetch_related(Prefetch("result", queryset=results))
        .order_by("month")
    )
    if approved_only:
        occasions = occasions.filter(result__state=ResultState.APPROVED)
    latest = {}
    for occasion in occasions:
        latest[occasion.risk_id] = occasion  # ordered by month: the last one wins
    return latest


def _plan(committee_id: int, year: int) -> ControlPlan | None:
    plans = ControlPlan.objects.filter(committee_id=committee_id, year=year)
    return plans.filter(state=PlanState.ADOPTED).first() or plans.order_by("-revision").first()


def _figure_line(figure) -> str | None:
    percent = figure.percent
    if percent is None and not figure.note:
        return None
    text = f"{figure.group}: " if figure.group else ""
    if percent is None:
        text += "inga ärenden"
    else:
        base = figure.checked if figure.checked is not None else figure.population
        counts = f"{format_number(figure.deviations)} av {format_number(base)}"
        text += f"{format_percent(percent)} ({counts})"
    if figure.note:
        text += f". {figure.note}"
    return text


def follow_up(*, committee_id: int, year: int, period: str) -> FollowUpTable | None:
    """The follow-up of the year's plan for a report period ("april", "augusti", "helar");
    None when the nämnd has no plan for the year. A constant number of queries."""
    plan = _plan(committee_id, year)
    if plan is None:
        return None
    control_period = REPORT_PERIODS[period]
    last_month = PERIOD_LAST_MONTH[control_period]
    latest = _latest_occasions(plan, last_month, approved_only=False)
    approved = _latest_occasions(plan, last_month, approved_only=True)
    rows = []
    not_approved = []
    for risk in _plan_risks(plan):
        newest = latest.get(risk.pk)
        printed = approved.get(risk.pk)
        result = printed.result if printed else None
        if newest is None:
            not_approved.append(f"Risk {risk.number}: inget resultat för perioden.")
        elif newest.result.state != ResultState.APPROVED:
            not_approved.append(
                f"Risk {risk.number}: resultatet är inte godkänt "
                f"({newest.result.get_state_display()})."
            )
        rows.append(
            FollowUpRow(
                risk_key=str(risk.key),
                risk_number=risk.number,
                risk=risk.title,
                control_activity=risk.control_activity,
                level=Level(result.level.rank, result.level.label, result.level.symbol)
                if result
                else None,
                finding=result.finding if result else "",
                figure_lines=tuple(
                    line
                    for line in (_figure_line(f) for f in result.figures.all())
                    if line is not None
                )
                if result
                else (),
                action_lines=tuple(
                    f"Åtgärd: {a.description}"
                    + (f" (genomförd {a.done_on:%Y-%m-%d})" if a.done_on else "")
                    for a in result.actions.all()
                )
                if result
                else (),
                month=printed.month if printed else None,
            )
        )
    record = ControlFollowUp.objects.filter(plan=plan, period=control_period).first()
    return FollowUpTable(
        year=year,
        period=period,
        period_label=control_period.label,
        plan_label=str(plan),
        plan_adopted=plan.state == PlanState.ADOPTED,
        rows=tuple(rows),
        assessment=record.assessment if record else "",
        not_approved=tuple(not_approved),
    )


def _plan_risk(risk, scale_max: int) -> PlanRisk:
    return PlanRisk(
        key=str(risk.key),
        number=risk.number,
        title=risk.title,
        risk_index=risk.risk_index,
        likelihood=risk.likelihood,
        consequence=risk.consequence,
        control_activity=risk.control_activity,
        how_when=risk.how_when,
        band_label=rules.band_label(risk.risk_index, scale_max),
    )


def plan_table(*, committee_id: int, year: int) -> PlanTable | None:
    """The internkontrollplan for `year` as the verksamhetsplan prints it; None without one."""
    plan = _plan(committee_id, year)
    if plan is None:
        return None
    risks = _plan_risks(plan)
    groups: dict[int, tuple[str, list[PlanRisk]]] = {}
    for risk in risks:
        groups.setdefault(risk.process_id, (risk.process.name, []))[1].append(
            _plan_risk(risk, plan.scale_max)
        )
    placed: dict[tuple[int, int], list[int]] = {}
    unplaced = []
    for risk in risks:
        if risk.likelihood is None:
            unplaced.append(risk)
        else:
            placed.setdefault((risk.likelihood, risk.consequence), []).append(risk.number)
    top = plan.scale_max
    if plan.adopted_on:
        adopted_text = f"Fastställd {plan.adopted_on:%Y-%m-%d}" + (
            f", {plan.decision_reference}" if plan.decision_reference else ""
        )
    else:
        adopted_text = f"{plan.get_state_display()}, inte fastställd"
    return PlanTable(
        year=plan.year,
        label=str(plan),
        adopted=plan.state == PlanState.ADOPTED,
        adopted_text=adopted_text,
        scale_max=plan.scale_max,
        groups=tuple(PlanGroup(name, tuple(members)) for name, members in groups.values()),
        matrix=tuple(
            tuple(
                MatrixCell(
                    likelihood=lik,
                    consequence=con,
                    index=lik * con,
                    band=rules.band(lik * con, top),
                    band_label=rules.band_label(lik * con, top),
                    risk_numbers=tuple(placed.get((lik, con), ())),
                )
                for con in range(1, top + 1)
            )
            for lik in range(top, 0, -1)
        ),
        unplaced=tuple(_plan_risk(r, plan.scale_max) for r in unplaced),
    )


def period_last_month(period: str) -> int:
    return PERIOD_LAST_MONTH[REPORT_PERIODS[period]]
