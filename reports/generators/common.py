"""Helpers shared by the generators: rendering a section template, the nämnd of a period, the
period's last day, and the section body printed when a source is missing."""

from __future__ import annotations

import calendar
import datetime

from django.template.loader import render_to_string

from reports.generators.base import Generated, ReportPeriod
from solna_sn.models import Committee

TEMPLATE_DIR = "reports/generated"


def render(name: str, context: dict) -> str:
    """The section body from templates/reports/generated/<name>.html (autoescaped)."""
    return render_to_string(f"{TEMPLATE_DIR}/{name}.html", context).strip()


def committee(period: ReportPeriod) -> Committee:
    return Committee.objects.get(pk=period.committee_id)


def period_end(period: ReportPeriod) -> datetime.date:
    """The last day of the period: 30 april, 31 augusti or 31 december."""
    month = period.months
    return datetime.date(period.year, month, calendar.monthrange(period.year, month)[1])


def period_text(period: ReportPeriod) -> str:
    """ "per augusti 2024", "helår 2024"."""
    return f"{period.label} {period.year}"


def unavailable(message: str, *, warning: str | None = None) -> Generated:
    """A visible paragraph instead of the section, and the warning for the check."""
    return Generated(
        html=render("unavailable", {"message": message}),
        warnings=[warning or message],
    )
