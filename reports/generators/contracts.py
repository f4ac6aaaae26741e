"""Konkurrensutsättning: Uppföljning av genomförda upphandlingar (table) and the
Avtalsuppföljning paragraph for the follow-ups; the verksamhetsplan's konkurrensplan (Avtal som
ska upphandlas). From contracts/reporting.py."""

from __future__ import annotations

from contracts import reporting
from reports.generators.base import Figure, Generated, ReportPeriod, register
from reports.generators.common import period_end, render


@register(
    "contracts.konkurrensutsattning", "Konkurrensutsättning: upphandlingar och avtalsuppföljning"
)
def konkurrensutsattning(period: ReportPeriod) -> Generated:
    procurements = list(reporting.procurements_followed_up(period.year))
    # The paragraph says "under resten av året" for follow-ups still planned: as of the
    # report's date, else the period's end, never the day it happens to be printed.
    paragraph = reporting.followup_paragraph(period.year, today=period.as_of or period_end(period))
    warnings = [
        f"Upphandlingen ”{p.designation}” saknar text i kolumnen Uppföljning."
        for p in procurements
        if not p.follow_up.strip()
    ]
    figures = [
        Figure(
            "contracts.upphandlingar.antal",
            f"Antal upphandlingar som följs upp {period.year}",
            str(len(procurements)),
        )
    ]
    html = render(
        "contracts_konkurrensutsattning",
        {"procurements": procurements, "year": period.year, "paragraph": paragraph},
    )
    return Generated(html, figures, warnings)


@register("contracts.konkurrensplan", "Konkurrensplan: avtal som ska upphandlas (verksamhetsplan)")
def konkurrensplan(period: ReportPeriod) -> Generated:
    """The konkurrensplan of the plan year: the procurements put in that year's plan."""
    procurements = list(reporting.procurements_to_tender(period.year))
    figures = [
        Figure(
            "contracts.konkurrensplan.antal",
            f"Antal avtal som ska upphandlas {period.year}",
            str(len(procurements)),
        )
    ]
    html = render("contracts_konkurrensplan", {"procurements": procurements, "year": period.year})
    return Generated(html, figures)
