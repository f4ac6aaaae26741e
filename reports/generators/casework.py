"""Återrapportering av vissa nämndbeslut: the nämnd's decisions that require återrapportering
and are not reported back as of the report's date, from the protokoll (casework, a lower
layer, read only); or "Inga beslut finns att återrapportera."."""

from __future__ import annotations

import datetime

from django.db.models import Q

from casework.models import Decision
from reports.generators.base import Figure, Generated, ReportPeriod, register
from reports.generators.common import period_end, render

NONE_TEXT = "Inga beslut finns att återrapportera."


def pending_decisions(committee_id: int, as_of: datetime.date | None) -> list[Decision]:
    """Decisions that require återrapportering and are not reported back, oldest due date
    first. With `as_of` (the report's date), as the protokoll stood that day: decisions taken
    by then and not reported back by then. Without it, as the protokoll stands now, which is
    what a draft shows and what is frozen when the report is sent. One query."""
    decisions = Decision.objects.filter(
        meeting__committee_id=committee_id, report_back_required=True
    )
    if as_of is None:
        decisions = decisions.filter(reported_back_on__isnull=True)
    else:
        decisions = decisions.filter(meeting__date__lte=as_of).filter(
            Q(reported_back_on__isnull=True) | Q(reported_back_on__gt=as_of)
        )
    return list(
        decisions.select_related("meeting", "item__case").order_by(
            "report_back_due", "meeting__date", "paragraph"
        )
    )


@register("casework.aterrapportering", "Återrapportering av vissa nämndbeslut")
def aterrapportering(period: ReportPeriod) -> Generated:
    decisions = pending_decisions(period.committee_id, period.as_of)
    today = period.as_of or period_end(period)
    warnings = [
        f"Beslut § {d.paragraph} ({d.meeting.date:%Y-%m-%d}) skulle ha återrapporterats senast "
        f"{d.report_back_due:%Y-%m-%d}."
        for d in decisions
        if d.report_back_due and d.report_back_due < today
    ]
    figures = [
        Figure(
            "casework.aterrapportering.antal",
            "Antal beslut att återrapportera",
            str(len(decisions)),
        )
    ]
    html = render("casework_aterrapportering", {"decisions": decisions, "none_text": NONE_TEXT})
    return Generated(html, figures, warnings)
