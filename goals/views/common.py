"""Shared helpers of the goal pages: the year's tree or a 404 page that says why, report
periods from URL slugs, and the conflict table of a stale save."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from goals import services
from goals.models import Period, PlanYear
from solna_sn import permissions
from solna_sn.lib.periods import PeriodKind, ReportPeriod


class NoPlan(Exception):
    def __init__(self, year: int, message: str):
        super().__init__(message)
        self.year = year
        self.message = message


def plan_or_missing(committee, year: int) -> PlanYear:
    try:
        return services.plan_for(committee, year)
    except services.PlanYearMissing as error:
        raise NoPlan(year, str(error)) from None


def no_plan_page(request, committee, missing: NoPlan):
    """404 with the reason and, for those who may, the way to create the year."""
    previous = PlanYear.objects.filter(committee=committee, year=missing.year - 1).first()
    return render(
        request,
        "goals/no_plan.html",
        {
            "year": missing.year,
            "message": missing.message,
            "previous": previous,
            "can_edit": permissions.can_edit_goal_tree(request.user),
            "years": PlanYear.objects.filter(committee=committee).order_by("-year"),
        },
        status=404,
    )


def period_kind(slug: str) -> PeriodKind:
    try:
        return PeriodKind(slug)
    except ValueError:
        raise Http404("Perioden finns inte: välj april, augusti eller helar.") from None


def report_period(year: int, slug: str) -> ReportPeriod:
    return ReportPeriod(year, period_kind(slug))


def period_heading(period: ReportPeriod) -> str:
    """ "Delårsrapport per augusti 2024"."""
    return f"{Period(period.kind.value).label} {period.year}"


PERIODS = [(kind.value, Period(kind.value).label, kind.label) for kind in PeriodKind]


def conflict_rows(mine: dict, stored: dict, labels: dict) -> list[dict]:
    """Field, the stored text and the user's text, for every field where they differ."""
    rows = []
    for name, label in labels.items():
        theirs = str(stored.get(name) or "").strip()
        own = str(mine.get(name) or "").strip()
        if own != theirs:
            rows.append({"label": label, "stored": theirs, "mine": own})
    return rows
