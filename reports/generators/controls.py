"""Intern kontroll: the period's Uppföljning av internkontrollplan (risk | kontrollmoment |
resultat) and the samlad bedömning; the verksamhetsplan's internkontrollplan with its risk
matrix, each risk with the nämndmål it threatens (reports.risk_links). From
controls/reporting.py. Only approved results are printed; every risk without one is a warning."""

from __future__ import annotations

from controls import reporting
from reports import risk_links
from reports.generators.base import Figure, Generated, ReportPeriod, register
from reports.generators.common import period_text, render, unavailable
from reports.models import RiskGoalLink


def follow_up_figures(table: reporting.FollowUpTable) -> list[Figure]:
    figures = [
        Figure(
            f"controls.{table.year}.{table.period}.{row.risk_key}",
            f"Intern kontroll: risk {row.risk_number}, resultat",
            row.level.label,
        )
        for row in table.rows
        if row.level is not None
    ]
    deviations = sum(1 for row in table.rows if row.level is not None and row.level.rank > 0)
    figures.append(
        Figure(
            f"controls.{table.year}.{table.period}.avvikelser",
            "Intern kontroll: antal kontrollmoment med avvikelse",
            str(deviations),
        )
    )
    return figures


@register("controls.follow_up", "Intern kontroll: uppföljning och samlad bedömning")
def follow_up(period: ReportPeriod) -> Generated:
    table = reporting.follow_up(
        committee_id=period.committee_id, year=period.year, period=period.period
    )
    if table is None:
        return unavailable(f"Det finns ingen internkontrollplan för {period.year}.")
    warnings = [f"Intern kontroll: {line}" for line in table.not_approved]
    if not table.plan_adopted:
        warnings.append(f"Intern kontroll: {table.plan_label} är inte fastställd.")
    if not table.assessment.strip():
        warnings.append(
            f"Intern kontroll: den samlade bedömningen för {period_text(period)} är inte skriven."
        )
    html = render("controls_follow_up", {"table": table})
    return Generated(html, follow_up_figures(table), warnings)


@register("controls.plan", "Internkontrollplan med riskmatris (verksamhetsplan)")
def plan(period: ReportPeriod) -> Generated:
    """The plan for `period.year` (a verksamhetsplan 2025 has year 2025)."""
    table = reporting.plan_table(committee_id=period.committee_id, year=period.year)
    if table is None:
        return unavailable(f"Det finns ingen internkontrollplan för {period.year}.")
    # In the verksamhetsplan the plan is a proposal, fastställd with it (reports.adoption).
    warnings = [] if table.adopted or period.plan else [f"{table.label} är inte fastställd."]
    scale = range(1, table.scale_max + 1)
    goals = linked_goals(period)
    groups = [
        (group.process, [(risk, goals.get(risk.key, [])) for risk in group.risks])
        for group in table.groups
    ]
    context = {"plan": table, "scale": scale, "groups": groups, "links": bool(goals)}
    return Generated(render("controls_plan", context), [], warnings)


def linked_goals(period: ReportPeriod) -> dict[str, list[str]]:
    """risk key → the titles of the nämndmål it is linked to (reports.risk_links), for the
    plan in force for the year."""
    links = risk_links.links_for_year(period.year, period.committee_id)
    if not links:
        return {}
    keys = {
        risk_id: str(key)
        for risk_id, key in RiskGoalLink.objects.filter(risk_id__in=links).values_list(
            "risk_id", "risk__key"
        )
    }
    return {keys[risk_id]: [goal.title for goal in goals] for risk_id, goals in links.items()}
