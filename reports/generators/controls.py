"""Intern kontroll: the period's Uppföljning av internkontrollplan (risk | kontrollmoment |
resultat) and the samlad bedömning; the verksamhetsplan's internkontrollplan with its risk
matrix. From controls/reporting.py. Only approved results are printed; every risk without one
is a warning."""

from __future__ import annotations

from controls import reporting
from reports.generators.base import Figure, Generated, ReportPeriod, register
from reports.generators.common import period_text, render, unavailable


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
    warnings = [] if table.adopted else [f"{table.label} är inte fastställd."]
    scale = range(1, table.scale_max + 1)
    return Generated(render("controls_plan", {"plan": table, "scale": scale}), [], warnings)
