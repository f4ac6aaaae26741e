"""Excel import: preview what would change, then apply everything in one transaction or nothing."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from metrics.cells import Cell, CellKind, format_cell
from metrics.excel import CellProblem, MetricSpec, ParseResult, Problems, parse_workbook
from metrics.models import Metric, MetricImport, MetricValue, MonthState, MonthStatus
from metrics.services import MetricsError, value_display
from solna_sn import audit, permissions
from solna_sn.lib.periods import Month

NEW, CHANGED, UNCHANGED = "ny", "ändrad", "oförändrad"


@dataclass(frozen=True)
class Change:
    sheet: str
    ref: str
    metric: Metric
    month: Month
    cell: Cell
    old: str
    new: str
    kind: str
    old_version: int


@dataclass
class Preview(Problems):
    changes: list[Change] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def to_write(self) -> list[Change]:
        return [change for change in self.changes if change.kind != UNCHANGED]

    @property
    def fingerprint(self) -> str:
        """Identifies the stored values the preview was computed against."""
        digest = hashlib.sha256()
        for change in self.to_write:
            digest.update(
                f"{change.metric.code}|{change.month}|{change.old_version}|{change.new}\n".encode()
            )
        return digest.hexdigest()[:32]


def catalogue() -> tuple[dict[tuple[str, str], MetricSpec], dict[str, Metric]]:
    metrics = list(Metric.objects.select_related("category", "owner"))
    specs = {
        (m.category.title, m.title): MetricSpec(m.code, m.decimals, m.allow_negative)
        for m in metrics
    }
    return specs, {m.code: m for m in metrics}


def _display(cell: Cell, metric: Metric) -> str:
    return format_cell(
        cell.value, not_applicable=cell.kind is CellKind.NOT_APPLICABLE, decimals=metric.decimals
    )


def build_preview(content: bytes, *, user) -> Preview:
    specs, by_code = catalogue()
    parsed: ParseResult = parse_workbook(io.BytesIO(content), specs)
    preview = Preview(
        errors=list(parsed.errors),
        unknown_sheets=parsed.unknown_sheets,
        unknown_metrics=parsed.unknown_metrics,
    )
    if not parsed.cells:
        if preview.ok:
            preview.errors.append(CellProblem("", "", "Filen innehåller inga värden att läsa in."))
        return preview
    months = {c.month for c in parsed.cells}
    first, last = min(months), max(months)
    stored = {
        (v.metric_id, Month.from_date(v.month)): v
        for v in MetricValue.objects.filter(
            metric__code__in={c.code for c in parsed.cells},
            month__gte=first.first_day,
            month__lte=last.first_day,
        )
    }
    locked = {
        (s.unit_id, Month.from_date(s.month))
        for s in MonthStatus.objects.filter(
            state=MonthState.LOCKED, month__gte=first.first_day, month__lte=last.first_day
        )
    }
    allowed_units: dict[int, bool] = {}
    for item in parsed.cells:
        metric = by_code[item.code]
        if not metric.is_valid_in(item.month):
            if item.cell.kind is CellKind.NUMBER:
                preview.errors.append(
                    CellProblem(
                        item.sheet,
                        item.ref,
                        f"Måttet ”{metric.title}” mäts inte {item.month.label}.",
                    )
                )
            continue  # "-" or blank outside the validity is what the report prints anyway
        current = stored.get((metric.pk, item.month))
        old = value_display(current) if current else ""
        new = _display(item.cell, metric)
        if old == new:
            kind = UNCHANGED
        else:
            kind = NEW if not old else CHANGED
            if metric.owner_id not in allowed_units:
                allowed_units[metric.owner_id] = permissions.can_enter_metrics(user, metric.owner)
            if not allowed_units[metric.owner_id]:
                preview.errors.append(
                    CellProblem(
                        item.sheet,
                        item.ref,
                        f"Du får inte rapportera verksamhetsmått för {metric.owner.name}.",
                    )
                )
                continue
            if (metric.owner_id, item.month) in locked:
                preview.errors.append(
                    CellProblem(
                        item.sheet,
                        item.ref,
                        f"{item.month.label.capitalize()} är låst för {metric.owner.name}.",
                    )
                )
                continue
        preview.changes.append(
            Change(
                sheet=item.sheet,
                ref=item.ref,
                metric=metric,
                month=item.month,
                cell=item.cell,
                old=old,
                new=new,
                kind=kind,
                old_version=current.version if current else 0,
            )
        )
    return preview


@transaction.atomic
def import_apply(*, metric_import: MetricImport, fingerprint: str, user) -> int:
    """Write every new or changed cell, or nothing. Returns the number of values written."""
    metric_import = MetricImport.objects.select_for_update().get(pk=metric_import.pk)
    if metric_import.applied_at:
        raise MetricsError("Filen är redan inläst.")
    if metric_import.uploaded_by_id != user.pk:
        raise MetricsError("Du kan bara läsa in filer som du själv har laddat upp.")
    preview = build_preview(bytes(metric_import.content), user=user)
    if not preview.ok:
        raise MetricsError("Filen innehåller fel; ingenting har lästs in.")
    # Each row is locked and its version compared again below, so a save between this
    # check and the write is refused too.
    if preview.fingerprint != fingerprint:
        raise MetricsError(
            "Värdena har ändrats sedan förhandsgranskningen (någon annan har sparat). "
            "Granska filen igen innan du läser in den."
        )
    written = 0
    for change in preview.to_write:
        value, _ = MetricValue.objects.select_for_update().get_or_create(
            metric=change.metric, month=change.month.first_day, defaults={"version": 0}
        )
        if value.version != change.old_version:
            raise MetricsError(
                "Värdena har ändrats sedan förhandsgranskningen. Granska filen igen."
            )
        value.value = change.cell.value if change.cell.kind is CellKind.NUMBER else None
        value.not_applicable = change.cell.kind is CellKind.NOT_APPLICABLE
        value.version += 1
        value.updated_by = user
        value.save()
        audit.record(
            "metric_value.imported",
            target=value,
            by=user,
            changes={"värde": (change.old, change.new)},
            reason=f"Excelimport {metric_import.filename}",
        )
        written += 1
    metric_import.applied_at = timezone.now()
    metric_import.save(update_fields=["applied_at"])
    return written
