"""Around the Excel import's preview: "Menade du …?" (an unknown title remembered as an earlier
title of the metric chosen) and, once applied, the imported past months marked *inrapporterad*
and *låst* in one step with one reason (hundreds of clicks for a few years of history)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from metrics import services
from metrics.importers import parsed_of, reparse
from metrics.models import Metric, MetricImport, MetricTitle, MonthState, MonthStatus
from metrics.services import MetricsError
from solna_sn import audit, permissions
from solna_sn.forms import text_max_length
from solna_sn.lib.periods import Month
from solna_sn.lib.text import text_problem
from solna_sn.models import AuditEntry, Unit


def _own_open_import(metric_import: MetricImport, user) -> MetricImport:
    metric_import = MetricImport.objects.select_for_update().get(pk=metric_import.pk)
    if metric_import.uploaded_by_id != user.pk:
        raise MetricsError("Du kan bara läsa in filer som du själv har laddat upp.")
    return metric_import


@transaction.atomic
def import_title_choose(
    *, metric_import: MetricImport, sheet: str, ref: str, title: str, metric_id, by
) -> MetricTitle:
    """ "Menade du …?": remember an unknown title of the file as an earlier title of one of its
    candidates, valid for the years it was read under, and parse the file again so the
    preview includes its rows. Audited. Refused, with nothing changed, when the import is
    applied or another user's, when the title is no longer unknown in this import (a stale
    preview), or when the metric is not one of the title's candidates."""
    metric_import = _own_open_import(metric_import, by)
    if metric_import.applied_at:
        raise MetricsError("Filen är redan inläst.")
    parsed = parsed_of(metric_import)
    unknown = next(
        (u for u in parsed.unknown_metrics if (u.sheet, u.ref, u.title) == (sheet, ref, title)),
        None,
    )
    if unknown is None:
        raise MetricsError(
            "Rubriken finns inte längre bland de okända i filen (förhandsgranskningen är "
            "inaktuell). Granska filen igen."
        )
    try:
        metric = Metric.objects.select_related("category").get(pk=int(metric_id))
    except (TypeError, ValueError, Metric.DoesNotExist):
        metric = None
    if metric is None or metric.code not in unknown.candidates:
        raise MetricsError(f"Välj ett av de föreslagna måtten för ”{unknown.title}”.")
    if metric.category.title != unknown.category:
        raise MetricsError(f"Välj ett av de föreslagna måtten för ”{unknown.title}”.")
    years = unknown.years or [timezone.localdate().year]
    earlier, created = MetricTitle.objects.get_or_create(
        metric=metric,
        title=unknown.title,
        defaults={
            "valid_from": datetime.date(min(years), 1, 1),
            "valid_to": datetime.date(max(years), 12, 31),
        },
    )
    if not created:
        raise MetricsError(f"”{unknown.title}” är redan en tidigare rubrik för {metric.title}.")
    audit.record(
        "metric.earlier_title_added",
        target=metric,
        by=by,
        changes={"tidigare rubrik": (None, unknown.title)},
        reason=f"Menade du …? i Excelimport {metric_import.filename} ({sheet}!{ref})",
    )
    reparse(metric_import)
    return earlier


@dataclass(frozen=True)
class MonthToClose:
    unit: Unit
    month: Month
    state: str  # the current state


def closable_months(metric_import: MetricImport, *, user) -> list[MonthToClose]:
    """The imported months before the current one that are not yet locked, for the units the
    user may both report and lock for: what "inrapportera och lås" offers after an import."""
    if not metric_import.applied_at:
        return []
    current = Month.from_date(timezone.localdate())
    wanted = {
        (unit_id, Month.parse(month))
        for unit_id, month in metric_import.imported_months
        if Month.parse(month) < current
    }
    if not wanted:
        return []
    units = Unit.objects.in_bulk({unit_id for unit_id, _ in wanted})
    states = {
        (s.unit_id, Month.from_date(s.month)): s.state
        for s in MonthStatus.objects.filter(
            unit_id__in=units, month__in=[month.first_day for _, month in wanted]
        )
    }
    wanted = {(unit_id, month) for unit_id, month in wanted if unit_id in units}
    allowed = {
        unit_id
        for unit_id, unit in units.items()
        if permissions.can_enter_metrics(user, unit)
        and permissions.can_lock_metric_month(user, unit)
    }
    return [
        MonthToClose(units[unit_id], month, states.get((unit_id, month), MonthState.OPEN))
        for unit_id, month in sorted(wanted, key=lambda key: (key[1], units[key[0]].sort_order))
        if unit_id in allowed and states.get((unit_id, month)) != MonthState.LOCKED
    ]


def month_key(unit: Unit, month: Month) -> str:
    """How a month to close is named in the form: "<unit code>:<yyyy-mm>"."""
    return f"{unit.code}:{month}"


@transaction.atomic
def import_months_close(*, metric_import: MetricImport, keys: list[str], reason: str, by) -> int:
    """Mark the chosen imported months *inrapporterad* and *låst* in one step, with one reason
    in every audit entry. All or nothing: a month not offered by `closable_months` (not in the
    import, current or future, already locked, or outside the user's units), a month with a
    metric still missing a value, or a missing reason refuses everything. Returns the number
    of months locked."""
    metric_import = _own_open_import(metric_import, by)
    if not metric_import.applied_at:
        raise MetricsError("Läs in filen innan månaderna rapporteras in och låses.")
    reason = (reason or "").strip()
    if not reason:
        raise MetricsError("Ange varför månaderna rapporteras in och låses.")
    if problem := text_problem(reason, max_length=text_max_length(AuditEntry, "reason")):
        raise MetricsError(f"Motiveringen: {problem}")
    offered = {month_key(m.unit, m.month): m for m in closable_months(metric_import, user=by)}
    if not keys:
        raise MetricsError("Välj minst en månad.")
    unknown = [key for key in keys if key not in offered]
    if unknown:
        raise MetricsError(
            f"{', '.join(unknown[:3])}: månaden finns inte bland de inlästa månader som kan "
            "rapporteras in och låsas. Ingenting har ändrats."
        )
    chosen = [offered[key] for key in dict.fromkeys(keys)]
    for item in chosen:
        try:
            if item.state == MonthState.OPEN:
                services.month_mark_reported(unit=item.unit, month=item.month, by=by, reason=reason)
            services.month_lock(unit=item.unit, month=item.month, by=by, reason=reason)
        except MetricsError as error:
            raise MetricsError(
                f"{item.unit.name}, {item.month.label}: {error} Ingenting har ändrats."
            ) from None
    return len(chosen)
