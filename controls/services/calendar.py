"""The control calendar: every occasion of a plan with its status today."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from controls.models import (
    ControlPlan,
    Occasion,
    ResultState,
)

# --- Calendar ---------------------------------------------------------------------------------


class CalendarStatus:
    DONE = "done"
    REVIEW = "review"
    DRAFT = "draft"
    DUE = "due"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"

    LABELS = {
        "done": "Godkänd",
        "review": "För granskning",
        "draft": "Påbörjad",
        "due": "Ska göras denna månad",
        "overdue": "Försenad",
        "upcoming": "Kommande",
    }


def occasion_status(occasion: Occasion, year: int, today: datetime.date) -> str:
    result = getattr(occasion, "result", None)
    if result is not None:
        return {
            ResultState.APPROVED: CalendarStatus.DONE,
            ResultState.REVIEW: CalendarStatus.REVIEW,
        }.get(result.state, CalendarStatus.DRAFT)
    month_start = datetime.date(year, occasion.month, 1)
    if (today.year, today.month) == (year, occasion.month):
        return CalendarStatus.DUE
    if month_start < today:
        return CalendarStatus.OVERDUE
    return CalendarStatus.UPCOMING


def plan_occasions(plan: ControlPlan):
    return (
        Occasion.objects.filter(risk__plan=plan)
        .select_related("risk__process", "risk__responsible_unit", "result__level")
        .order_by("month", "risk__number")
    )


@dataclass
class CalendarEntry:
    occasion: Occasion
    status: str

    @property
    def status_label(self) -> str:
        return CalendarStatus.LABELS[self.status]


def calendar(plan: ControlPlan, *, today: datetime.date, unit=None) -> list[CalendarEntry]:
    occasions = plan_occasions(plan)
    if unit is not None:
        occasions = occasions.filter(risk__responsible_unit=unit)
    return [CalendarEntry(o, occasion_status(o, plan.year, today)) for o in occasions]
