"""What waits in verksamhetsmått: for a controller, the months of this year (up to the current
one) that are still open for her enheter and lack values. One line per enhet, linking to the
earliest such month. Four queries, however many enheter, mått or months."""

from collections import Counter

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from metrics.models import Metric, MetricValue, MonthState, MonthStatus
from solna_sn.lib.periods import Month, months_between
from solna_sn.models import Role
from solna_sn.worklist import Line, register


def month_lines(user) -> list[Line]:
    if user.role != Role.CONTROLLER:
        return []
    now = Month.from_date(timezone.localdate())
    months = months_between(Month(now.year, 1), now)
    units = list(user.units.filter(metrics__isnull=False).distinct().order_by("sort_order", "name"))
    if not units:
        return []
    metrics = list(
        Metric.objects.overlapping_years(now.year, now.year)
        .filter(owner__in=units)
        .values_list("owner_id", "valid_from", "valid_to")
    )
    closed = set(
        MonthStatus.objects.filter(
            unit__in=units,
            month__year=now.year,
            state__in=[MonthState.REPORTED, MonthState.LOCKED],
        ).values_list("unit_id", "month")
    )
    reported = {
        (row["metric__owner_id"], row["month"]): row["n"]
        for row in MetricValue.objects.reported()
        .filter(metric__owner__in=units, month__year=now.year)
        .values("metric__owner_id", "month")
        .annotate(n=Count("id"))
    }
    lines = []
    for unit in units:
        expected = Counter()
        for owner_id, valid_from, valid_to in metrics:
            if owner_id != unit.pk:
                continue
            for month in months:
                first = month.first_day
                if valid_from <= first and (valid_to is None or valid_to >= first):
                    expected[month] += 1
        missing = [
            month
            for month in months
            if (unit.pk, month.first_day) not in closed
            and reported.get((unit.pk, month.first_day), 0) < expected[month]
        ]
        if not missing:
            continue
        first = missing[0]
        text = (
            f"Rapportera verksamhetsmått för {unit.name}, {first.label}"
            if len(missing) == 1
            else f"Rapportera verksamhetsmått för {unit.name}: {len(missing)} månader, "
            f"den första {first.label}"
        )
        lines.append(
            Line(
                text,
                reverse("metrics:month_grid", kwargs={"month": first, "unit_code": unit.code}),
                "att rapportera",
            )
        )
    return lines


register(month_lines)
