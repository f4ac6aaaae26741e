"""Every change to metric values and reporting states: atomic, checked, audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from metrics import checks
from metrics.cells import Cell, CellError, CellKind, format_cell, parse_cell
from metrics.models import Metric, MetricRule, MetricValue, MonthState, MonthStatus
from solna_sn import audit, permissions
from solna_sn.lib.periods import Month
from solna_sn.models import Unit


class MetricsError(Exception):
    """A refused change; str(error) is a Swedish message for the person."""


class LockedMonthError(MetricsError):
    pass


class StaleValueError(MetricsError):
    """Someone else saved the cell after this person loaded it."""

    def __init__(self, message: str, current: MetricValue):
        super().__init__(message)
        self.current = current


@dataclass
class SaveOutcome:
    value: MetricValue | None
    saved: bool
    warnings: list[str] = field(default_factory=list)


def month_state(unit: Unit, month: Month) -> str:
    status = MonthStatus.objects.filter(unit=unit, month=month.first_day).first()
    return status.state if status else MonthState.OPEN


def value_display(value: MetricValue | None) -> str:
    if value is None:
        return ""
    return format_cell(
        value.value, not_applicable=value.not_applicable, decimals=value.metric.decimals
    )


def _cell_of(value: MetricValue | None) -> Cell:
    if value is None or not value.is_reported:
        return Cell(CellKind.NOT_REPORTED)
    if value.not_applicable:
        return Cell(CellKind.NOT_APPLICABLE)
    return Cell.number(value.value)


def _check_writable(metric: Metric, month: Month, by) -> None:
    if not permissions.can_enter_metrics(by, metric.owner):
        raise MetricsError(f"Du får inte rapportera verksamhetsmått för {metric.owner.name}.")
    if not metric.is_valid_in(month):
        raise MetricsError(f"Måttet mäts inte {month.label}: det gäller {_validity_text(metric)}.")
    state = (
        MonthStatus.objects.select_for_update()
        .filter(unit=metric.owner, month=month.first_day)
        .values_list("state", flat=True)
        .first()
    )
    if state == MonthState.LOCKED:
        raise LockedMonthError(
            f"{month.label.capitalize()} är låst för {metric.owner.name}. Be en granskare "
            "öppna månaden om värdet behöver ändras."
        )


def _validity_text(metric: Metric) -> str:
    start = Month.from_date(metric.valid_from).label
    if metric.valid_to:
        return f"från {start} till och med {Month.from_date(metric.valid_to).label}"
    return f"från {start}"


@transaction.atomic
def value_save(
    *,
    metric: Metric,
    month: Month,
    raw,
    expected_version: int | None,
    by,
    confirm: bool = False,
    comment: str = "",
) -> SaveOutcome:
    """Save one cell typed in the month grid.

    Hard errors raise (`CellError`, `MetricsError`); nothing is written. Soft warnings
    (outliers, rule breaches) return `saved=False` with the warnings until the person confirms
    them with a comment. `expected_version` is the version the person saw (0 when the cell was
    empty); a newer version saved by someone else is never overwritten silently.
    """
    _check_writable(metric, month, by)
    cell = parse_cell(raw, decimals=metric.decimals, allow_negative=metric.allow_negative)
    current = (
        MetricValue.objects.select_for_update().filter(metric=metric, month=month.first_day).first()
    )
    if current is None:
        if cell.kind is CellKind.NOT_REPORTED:
            return SaveOutcome(value=None, saved=False)  # blank stays blank
        # Create the row first and lock it, so two first saves of the same cell queue up on
        # the row instead of racing: the second then sees the first one's version.
        MetricValue.objects.get_or_create(
            metric=metric, month=month.first_day, defaults={"version": 0}
        )
        current = MetricValue.objects.select_for_update().get(metric=metric, month=month.first_day)
    current_version = current.version
    if expected_version is not None and expected_version != current_version:
        raise StaleValueError(
            "Någon annan har ändrat värdet efter att du öppnade sidan. Det sparade värdet är nu "
            f"”{value_display(current) or 'tomt'}”. Kontrollera och skriv in ditt värde igen.",
            current,
        )
    comment = (comment or "").strip()
    if _cell_of(current) == cell and comment in ("", current.comment):
        return SaveOutcome(value=current, saved=False)  # nothing changed

    warnings = warnings_for(metric=metric, month=month, cell=cell)
    if warnings and not confirm:
        return SaveOutcome(value=current, saved=False, warnings=warnings)
    if warnings and not comment:
        raise MetricsError("Skriv en kommentar som förklarar varför värdet stämmer.")

    old_display = value_display(current)
    current.value = cell.value if cell.kind is CellKind.NUMBER else None
    current.not_applicable = cell.kind is CellKind.NOT_APPLICABLE
    if comment or warnings:
        current.comment = comment
    current.version += 1
    current.updated_by = by
    current.save()
    audit.record(
        "metric_value.changed",
        target=current,
        by=by,
        changes={"värde": (old_display, value_display(current))},
        reason=comment,
    )
    return SaveOutcome(value=current, saved=True, warnings=warnings)


def _status_for_update(unit: Unit, month: Month) -> MonthStatus:
    status, _ = MonthStatus.objects.select_for_update().get_or_create(
        unit=unit, month=month.first_day
    )
    return status


@transaction.atomic
def month_mark_reported(*, unit: Unit, month: Month, by) -> MonthStatus:
    if not permissions.can_enter_metrics(by, unit):
        raise MetricsError(f"Du får inte rapportera verksamhetsmått för {unit.name}.")
    status = _status_for_update(unit, month)
    if status.state != MonthState.OPEN:
        raise MetricsError(
            f"{month.label.capitalize()} är redan {status.get_state_display().lower()}."
        )
    missing = missing_metrics(unit, month)
    if missing:
        names = ", ".join(m.title for m in missing[:5]) + (" …" if len(missing) > 5 else "")
        raise MetricsError(
            f"{len(missing)} mått saknar värde för {month.label}: {names}. Fyll i dem (eller "
            "”-” för ej tillämpligt) innan månaden rapporteras in."
        )
    status.state = MonthState.REPORTED
    status.reported_at = timezone.now()
    status.reported_by = by
    status.save()
    audit.record(
        "metric_month.reported", target=status, by=by, changes={"läge": ("Öppen", "Inrapporterad")}
    )
    return status


@transaction.atomic
def month_lock(*, unit: Unit, month: Month, by) -> MonthStatus:
    if not permissions.can_lock_metric_month(by, unit):
        raise MetricsError(f"Du får inte låsa månader för {unit.name}.")
    status = _status_for_update(unit, month)
    if status.state == MonthState.LOCKED:
        raise MetricsError(f"{month.label.capitalize()} är redan låst.")
    if status.state != MonthState.REPORTED:
        raise MetricsError("Månaden måste vara inrapporterad innan den kan låsas.")
    old = status.get_state_display()
    status.state = MonthState.LOCKED
    status.locked_at = timezone.now()
    status.locked_by = by
    status.save()
    audit.record("metric_month.locked", target=status, by=by, changes={"läge": (old, "Låst")})
    return status


@transaction.atomic
def month_reopen(*, unit: Unit, month: Month, reason: str, by) -> MonthStatus:
    if not permissions.can_reopen_metric_month(by, unit):
        raise MetricsError("Bara en granskare eller förvaltningschefen kan öppna en låst månad.")
    reason = (reason or "").strip()
    if not reason:
        raise MetricsError("Ange varför månaden behöver öppnas igen.")
    status = _status_for_update(unit, month)
    if status.state == MonthState.OPEN:
        raise MetricsError(f"{month.label.capitalize()} är redan öppen.")
    old = status.get_state_display()
    status.state = MonthState.OPEN
    status.locked_at = status.locked_by = None
    status.reported_at = status.reported_by = None
    status.save()
    audit.record(
        "metric_month.reopened",
        target=status,
        by=by,
        changes={"läge": (old, "Öppen")},
        reason=reason,
    )
    return status


def missing_metrics(unit: Unit, month: Month) -> list[Metric]:
    """Metrics of the enhet that are measured this month but have no value (number or "-")."""
    metrics = Metric.objects.valid_in(month).filter(owner=unit).select_related("category")
    reported = set(
        MetricValue.objects.reported()
        .filter(metric__owner=unit, month=month.first_day)
        .values_list("metric_id", flat=True)
    )
    return [m for m in metrics if m.pk not in reported]


def warnings_for(*, metric: Metric, month: Month, cell: Cell) -> list[str]:
    """Soft warnings for a new number: outlier against the last 24 months, and the metric's
    rules in both directions (vårddygn against personer, and personer against vårddygn)."""
    if cell.kind is not CellKind.NUMBER:
        return []
    warnings = []
    earliest = month
    for _ in range(24):
        earliest = earliest.previous()
    history = list(
        MetricValue.objects.filter(
            metric=metric,
            month__gte=earliest.first_day,
            month__lt=month.first_day,
            value__isnull=False,
        ).values_list("value", flat=True)
    )
    if message := checks.outlier_warning(cell.value, history, metric.decimals):
        warnings.append(message)
    for rule in MetricRule.objects.filter(metric=metric).select_related("reference"):
        reference = _number_in(rule.reference, month)
        if reference is not None and (
            message := checks.days_limit_warning(
                value=cell.value,
                reference=reference,
                days=month.days,
                title=metric.title,
                reference_title=rule.reference.title,
            )
        ):
            warnings.append(message)
    for rule in MetricRule.objects.filter(reference=metric).select_related("metric"):
        limited = _number_in(rule.metric, month)
        if limited is not None and (
            message := checks.days_limit_warning(
                value=limited,
                reference=cell.value,
                days=month.days,
                title=rule.metric.title,
                reference_title=metric.title,
            )
        ):
            warnings.append(message)
    return warnings


def _number_in(metric: Metric, month: Month) -> Decimal | None:
    return (
        MetricValue.objects.filter(metric=metric, month=month.first_day)
        .values_list("value", flat=True)
        .first()
    )


__all__ = [
    "CellError",
    "LockedMonthError",
    "MetricsError",
    "SaveOutcome",
    "StaleValueError",
    "month_lock",
    "month_mark_reported",
    "month_reopen",
    "month_state",
    "value_save",
]
