"""Every change to metric values and reporting states: atomic, checked, audited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from metrics import checks
from metrics.cells import Cell, CellError, CellKind, format_cell
from metrics.models import Metric, MetricRule, MetricValue, MonthState, MonthStatus
from solna_sn import audit, permissions
from solna_sn.forms import text_max_length
from solna_sn.lib.periods import Month
from solna_sn.lib.text import text_problem
from solna_sn.models import AuditEntry, Unit

HISTORY_MONTHS = 24


class MetricsError(Exception):
    """A refused change; str(error) is a Swedish message for the person."""


class LockedMonthError(MetricsError):
    pass


class CommentError(MetricsError):
    """The comment cannot be stored, or warnings were confirmed without one. `warnings` are
    the value's warnings, so the comment field can be offered again."""

    def __init__(self, message: str, warnings: list[str]):
        super().__init__(message)
        self.warnings = warnings


COMMENT_REQUIRED = "Skriv en kommentar som förklarar varför värdet stämmer."


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


def last_reportable_month() -> Month:
    """The latest month values may be reported for: the current one, or the next one when
    `METRICS_ALLOW_NEXT_MONTH` is set (a unit that reports ahead, e.g. planned placements)."""
    current = Month.from_date(timezone.localdate())
    return current.next() if getattr(settings, "METRICS_ALLOW_NEXT_MONTH", False) else current


def not_started_message(month: Month) -> str:
    return (
        f"{month.label.capitalize()} har inte börjat: värden kan rapporteras från och med "
        "månadens första dag."
    )


def comment_problem(comment: str) -> str:
    """A Swedish message when a value's comment cannot be stored, else the empty string."""
    return text_problem(comment, max_length=text_max_length(MetricValue, "comment"))


def _check_writable(metric: Metric, month: Month, by) -> None:
    if not permissions.can_enter_metrics(by, metric.owner):
        raise MetricsError(f"Du får inte rapportera verksamhetsmått för {metric.owner.name}.")
    if not metric.is_valid_in(month):
        raise MetricsError(f"Måttet mäts inte {month.label}: det gäller {_validity_text(metric)}.")
    if month > last_reportable_month():
        raise MetricsError(not_started_message(month))
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
    comment = (comment or "").strip()
    problem = comment_problem(comment)
    _check_writable(metric, month, by)
    cell = metric.cell_spec.parse(raw)
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
    if problem:
        raise CommentError(problem, warnings_for(metric=metric, month=month, cell=cell))
    if _cell_of(current) == cell and comment in ("", current.comment):
        return SaveOutcome(value=current, saved=False)  # nothing changed

    warnings = warnings_for(metric=metric, month=month, cell=cell)
    if warnings and not confirm:
        return SaveOutcome(value=current, saved=False, warnings=warnings)
    if warnings and not comment:
        raise CommentError(COMMENT_REQUIRED, warnings)

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
def month_mark_reported(*, unit: Unit, month: Month, by, reason: str = "") -> MonthStatus:
    if not permissions.can_enter_metrics(by, unit):
        raise MetricsError(f"Du får inte rapportera verksamhetsmått för {unit.name}.")
    if month > last_reportable_month():
        raise MetricsError(not_started_message(month))
    status = _status_for_update(unit, month)
    if status.state != MonthState.OPEN:
        raise MetricsError(
            f"{month.label.capitalize()} är redan {status.get_state_display().lower()}."
        )
    missing = missing_metrics(unit, month)
    if missing:
        # The category too: the same title is measured under Barn and under Ungdom.
        names = "; ".join(qualified_title(m) for m in missing[:5]) + (
            " …" if len(missing) > 5 else ""
        )
        raise MetricsError(
            f"{len(missing)} mått saknar värde för {month.label}: {names}. Fyll i dem (eller "
            "”-” för ej tillämpligt) innan månaden rapporteras in."
        )
    status.state = MonthState.REPORTED
    status.reported_at = timezone.now()
    status.reported_by = by
    status.save()
    audit.record(
        "metric_month.reported",
        target=status,
        by=by,
        changes={"läge": ("Öppen", "Inrapporterad")},
        reason=reason,
    )
    return status


@transaction.atomic
def month_lock(*, unit: Unit, month: Month, by, reason: str = "") -> MonthStatus:
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
    audit.record(
        "metric_month.locked", target=status, by=by, changes={"läge": (old, "Låst")}, reason=reason
    )
    return status


@transaction.atomic
def month_reopen(*, unit: Unit, month: Month, reason: str, by) -> MonthStatus:
    if not permissions.can_reopen_metric_month(by, unit):
        raise MetricsError("Bara en granskare eller förvaltningschefen kan öppna en låst månad.")
    reason = (reason or "").strip()
    if not reason:
        raise MetricsError("Ange varför månaden behöver öppnas igen.")
    if problem := text_problem(reason, max_length=text_max_length(AuditEntry, "reason")):
        raise MetricsError(f"Motiveringen: {problem}")
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


def qualified_title(metric: Metric) -> str:
    """ "Barn: Familjehemsvård, antal personer": the metric's title after its category's short
    name (the category title up to its first comma, "Barn, 0-12 år" → "Barn")."""
    return f"{metric.category.title.split(',')[0].strip()}: {metric.title}"


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
    """Soft warnings for one new value in the month grid (see `SoftChecks`)."""
    return SoftChecks([metric], [month]).warnings(metric, month, cell)


class SoftChecks:
    """The soft checks of `metrics.checks.value_warnings` with the stored values they need:
    the last 24 months of each metric (a jump from 0 and "-", an outlier), and the month's
    value of every metric a rule ties it to, in both directions (vårddygn against personer,
    and personer against vårddygn).

    The month grid checks one cell; the Excel import checks all the cells it would write with
    one instance, loaded in a constant number of queries. `pending` holds those cells: they
    overlay the stored values, so a file that fills several months, or both personer and
    vårddygn, is checked against its own values. A rule between two pending numbers is
    reported once, at the limited metric (vårddygn)."""

    def __init__(
        self,
        metrics: Iterable[Metric],
        months: Iterable[Month],
        *,
        pending: dict[tuple[int, Month], Cell] | None = None,
    ):
        metrics, months = list(metrics), list(months)
        self.pending = pending or {}
        self.limits_of: dict[int, list[MetricRule]] = defaultdict(list)
        self.limited_by: dict[int, list[MetricRule]] = defaultdict(list)
        self.stored: dict[tuple[int, Month], Cell] = {}
        if not metrics or not months:
            return
        ids = {metric.pk for metric in metrics}
        related = set(ids)
        for rule in MetricRule.objects.filter(
            Q(metric_id__in=ids) | Q(reference_id__in=ids)
        ).select_related("metric", "reference"):
            self.limits_of[rule.metric_id].append(rule)
            self.limited_by[rule.reference_id].append(rule)
            related.update((rule.metric_id, rule.reference_id))
        earliest = min(months).plus(-HISTORY_MONTHS)
        for metric_id, first_day, value, not_applicable in MetricValue.objects.filter(
            metric_id__in=related,
            month__gte=earliest.first_day,
            month__lte=max(months).first_day,
        ).values_list("metric_id", "month", "value", "not_applicable"):
            key = (metric_id, Month.from_date(first_day))
            if not_applicable:
                self.stored[key] = Cell(CellKind.NOT_APPLICABLE)
            elif value is not None:
                self.stored[key] = Cell.number(value)

    def _cell(self, metric_id: int, month: Month) -> Cell | None:
        if (metric_id, month) in self.pending:
            return self.pending[(metric_id, month)]
        return self.stored.get((metric_id, month))

    def _number(self, metric_id: int, month: Month) -> Decimal | None:
        cell = self._cell(metric_id, month)
        return cell.value if cell is not None and cell.kind is CellKind.NUMBER else None

    def _pending_number(self, metric_id: int, month: Month) -> bool:
        cell = self.pending.get((metric_id, month))
        return cell is not None and cell.kind is CellKind.NUMBER

    def warnings(self, metric: Metric, month: Month, cell: Cell) -> list[str]:
        if cell.kind is not CellKind.NUMBER:
            return []
        history: list[Decimal | None] = []
        earlier = month.plus(-HISTORY_MONTHS)
        while earlier < month:
            past = self._cell(metric.pk, earlier)
            if past is not None and past.kind is CellKind.NUMBER:
                history.append(past.value)
            elif past is not None and past.kind is CellKind.NOT_APPLICABLE:
                history.append(None)
            earlier = earlier.next()
        limits = []
        for rule in self.limits_of.get(metric.pk, ()):
            reference = self._number(rule.reference_id, month)
            if reference is not None:
                limits.append(
                    checks.DaysLimit(cell.value, reference, metric.title, rule.reference.title)
                )
        for rule in self.limited_by.get(metric.pk, ()):
            if self._pending_number(rule.metric_id, month):
                continue  # checked at the limited metric's own cell
            limited = self._number(rule.metric_id, month)
            if limited is not None:
                limits.append(
                    checks.DaysLimit(limited, cell.value, rule.metric.title, metric.title)
                )
        return checks.value_warnings(
            cell.value, history=history, decimals=metric.decimals, days=month.days, limits=limits
        )


__all__ = [
    "CellError",
    "CommentError",
    "LockedMonthError",
    "MetricsError",
    "SaveOutcome",
    "SoftChecks",
    "StaleValueError",
    "month_lock",
    "month_mark_reported",
    "month_reopen",
    "month_state",
    "value_save",
    "warnings_for",
]
