"""Excel import: upload (parsed once), preview what would change, then apply everything in one
transaction or nothing.

The import runs the month grid's checks: the same hard checks per cell (`Metric.cell_spec`) and
the same soft warnings (`services.SoftChecks`); the warnings of a file are confirmed with one
comment. A blank cell over a stored value is listed as *raderas* and only cleared when the
person chooses to.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from metrics.cells import Cell, CellError, CellKind, format_cell
from metrics.excel import (
    Catalogue,
    CellProblem,
    MetricSpec,
    ParsedCell,
    ParseResult,
    Problems,
    ReadAs,
    UnknownTitle,
    parse_workbook,
)
from metrics.models import (
    Metric,
    MetricImport,
    MetricTitle,
    MetricValue,
    MonthState,
    MonthStatus,
)
from metrics.services import (
    MetricsError,
    SoftChecks,
    comment_problem,
    last_reportable_month,
    not_started_message,
)
from solna_sn import audit, permissions
from solna_sn.lib.periods import Month
from solna_sn.lib.text import text_problem

NEW, CHANGED, DELETED, UNCHANGED = "ny", "ändrad", "raderas", "oförändrad"
# An import not applied within this time is abandoned (deleted at the next upload).
ABANDONED_AFTER = datetime.timedelta(days=1)
COMMENT_REQUIRED = "Skriv en kommentar som förklarar varför värdena stämmer."


class ImportFileError(MetricsError):
    """The file as a whole cannot be read (not a workbook, too large); nothing is stored."""


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
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportWarning:
    sheet: str
    ref: str
    metric: Metric
    month: Month
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.ref}: {self.metric.title}, {self.month.label}: {self.message}"


@dataclass(frozen=True)
class SummaryRow:
    """One metric and year of the preview: how many cells of each kind, and the changes."""

    metric: Metric
    year: int
    counts: dict[str, int]
    warnings: int
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ErrorGroup:
    """Cells refused for the same reason on one sheet."""

    sheet: str
    message: str
    refs: tuple[str, ...]
    cells: int

    def __str__(self) -> str:
        shown = ", ".join(self.refs[:6]) + (" …" if len(self.refs) > 6 else "")
        where = f"{self.sheet}!{shown}: " if self.sheet else ""
        count = "1 cell" if self.cells == 1 else f"{self.cells} celler"
        return f"{where}{self.message} ({count})" if self.sheet else self.message


@dataclass
class Preview(Problems):
    changes: list[Change] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    read_as: list[ReadAs] = field(default_factory=list)
    # (owner unit id, month) of every cell read from the file for a known metric
    months: set[tuple[int, Month]] = field(default_factory=set)

    def summary(self) -> list[SummaryRow]:
        """Per metric and year, in print order (a flat list of a thousand cells reads as
        nothing)."""
        groups: dict[tuple[int, int], list[Change]] = {}
        for change in self.changes:
            groups.setdefault((change.metric.pk, change.month.year), []).append(change)
        rows = []
        for changes in groups.values():
            metric = changes[0].metric
            counts = dict.fromkeys((NEW, CHANGED, DELETED, UNCHANGED), 0)
            for change in changes:
                counts[change.kind] += 1
            rows.append(
                SummaryRow(
                    metric=metric,
                    year=changes[0].month.year,
                    counts=counts,
                    warnings=sum(1 for change in changes if change.warnings),
                    changes=tuple(c for c in changes if c.kind != UNCHANGED),
                )
            )
        rows.sort(
            key=lambda row: (
                row.metric.category.sort_order,
                row.metric.category.title,
                row.metric.sort_order,
                row.metric.title,
                row.year,
            )
        )
        return rows

    def error_groups(self) -> list[ErrorGroup]:
        """The errors with the cells each keeps out, one line per sheet and reason."""
        groups: dict[tuple[str, str], list[CellProblem]] = {}
        for problem in self.errors:
            groups.setdefault((problem.sheet, problem.message), []).append(problem)
        return [
            ErrorGroup(
                sheet=sheet,
                message=message,
                refs=tuple(p.ref for p in problems if p.ref),
                cells=sum(p.cells for p in problems),
            )
            for (sheet, message), problems in groups.items()
        ]

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def to_write(self) -> list[Change]:
        """New and changed values: written when the import is applied."""
        return [change for change in self.changes if change.kind in (NEW, CHANGED)]

    @property
    def deletions(self) -> list[Change]:
        """Blank cells over stored values: cleared only when the person chooses to."""
        return [change for change in self.changes if change.kind == DELETED]

    @property
    def listed(self) -> list[Change]:
        return [change for change in self.changes if change.kind != UNCHANGED]

    @property
    def fingerprint(self) -> str:
        """Identifies the stored values the preview was computed against."""
        digest = hashlib.sha256()
        for change in self.listed:
            digest.update(
                f"{change.metric.code}|{change.month}|{change.old_version}|{change.new}\n".encode()
            )
        return digest.hexdigest()[:32]


def catalogue() -> tuple[Catalogue, dict[str, Metric]]:
    """The catalogue for the parser (current and earlier titles) and the metrics by code."""
    metrics = list(Metric.objects.select_related("category", "owner"))
    specs = {(m.category.title, m.title): MetricSpec(m.code, m.cell_spec) for m in metrics}
    earlier = MetricTitle.objects.values_list("metric__category__title", "metric__code", "title")
    return Catalogue.of(specs, earlier), {m.code: m for m in metrics}


def _display(cell: Cell, metric: Metric) -> str:
    return format_cell(
        cell.value, not_applicable=cell.kind is CellKind.NOT_APPLICABLE, decimals=metric.decimals
    )


# What was parsed at upload, kept as JSON on MetricImport.parsed. `format` changes when the
# shape does; an import stored in an older shape is parsed again from its file.
PARSED_FORMAT = 2


def _problems_json(problems: list[CellProblem]) -> list[list]:
    return [[p.sheet, p.ref, p.message, p.cells] for p in problems]


def parsed_to_json(parsed: ParseResult) -> dict:
    return {
        "format": PARSED_FORMAT,
        "cells": [
            [
                c.sheet,
                c.ref,
                c.code,
                str(c.month),
                c.cell.kind.value,
                None if c.cell.value is None else str(c.cell.value),
            ]
            for c in parsed.cells
        ],
        "errors": _problems_json(parsed.errors),
        "unknown_sheets": list(parsed.unknown_sheets),
        "unknown_metrics": [
            [u.sheet, u.ref, u.category, u.title, list(u.candidates), u.years, u.cells]
            for u in parsed.unknown_metrics
        ],
        "read_as": [[r.sheet, r.ref, r.title, r.code, r.how] for r in parsed.read_as],
        "sheet_names": list(parsed.sheet_names),
    }


def parsed_from_json(data: dict) -> ParseResult:
    return ParseResult(
        cells=[
            ParsedCell(
                sheet,
                ref,
                code,
                Month.parse(month),
                Cell(CellKind(kind), None if value is None else Decimal(value)),
            )
            for sheet, ref, code, month, kind, value in data.get("cells", [])
        ],
        errors=[CellProblem(*problem) for problem in data.get("errors", [])],
        unknown_sheets=list(data.get("unknown_sheets", [])),
        unknown_metrics=[
            UnknownTitle(sheet, ref, category, title, tuple(candidates), list(years), cells)
            for sheet, ref, category, title, candidates, years, cells in (
                item for item in data.get("unknown_metrics", []) if len(item) == 7
            )  # an older shape is parsed again from the file (`parsed_of`)
        ],
        read_as=[ReadAs(*item) for item in data.get("read_as", [])],
        sheet_names=list(data.get("sheet_names", [])),
    )


@transaction.atomic
def import_upload(*, filename: str, content: bytes, by) -> MetricImport:
    """Parse an uploaded workbook, once, and store it with the cells read from it.

    Raises ImportFileError (Swedish) when the file as a whole cannot be read (not an .xlsx,
    too large unpacked, too many rows); nothing is stored then. Abandoned imports are deleted
    here: every import older than `ABANDONED_AFTER`, and, once the new file is stored, the
    uploader's earlier imports (a newer upload replaces them)."""
    MetricImport.objects.filter(uploaded_at__lt=timezone.now() - ABANDONED_AFTER).delete()
    filename = filename[:255]
    if problem := text_problem(filename, max_length=255, multiline=False):
        raise ImportFileError(f"Filnamnet: {problem}")
    specs, _ = catalogue()
    parsed = parse_workbook(io.BytesIO(content), specs)
    if parsed.file_errors:
        raise ImportFileError(" ".join(str(problem) for problem in parsed.file_errors))
    metric_import = MetricImport.objects.create(
        uploaded_by=by, filename=filename, content=content, parsed=parsed_to_json(parsed)
    )
    MetricImport.objects.filter(uploaded_by=by).exclude(pk=metric_import.pk).delete()
    return metric_import


def import_preview(metric_import: MetricImport, *, user) -> Preview:
    """Compare what was parsed at upload with the stored values (no reading of the file)."""
    return _preview(parsed_of(metric_import), user=user)


def parsed_of(metric_import: MetricImport) -> ParseResult:
    """What was parsed at upload (parsed again when stored in an older shape)."""
    if metric_import.parsed.get("format") != PARSED_FORMAT and bytes(metric_import.content):
        # Stored before uploads were parsed at once (or in an older shape): parse now, keep it.
        return reparse(metric_import)
    return parsed_from_json(metric_import.parsed)


def reparse(metric_import: MetricImport) -> ParseResult:
    """Parse the stored file again (the catalogue has changed) and keep the result."""
    specs, _ = catalogue()
    parsed = parse_workbook(io.BytesIO(bytes(metric_import.content)), specs)
    metric_import.parsed = parsed_to_json(parsed)
    if metric_import.pk:
        MetricImport.objects.filter(pk=metric_import.pk).update(parsed=metric_import.parsed)
    return parsed


def build_preview(content: bytes, *, user) -> Preview:
    """Parse `content` and preview it (for tests and benchmarks; the views keep the parse)."""
    specs, by_code = catalogue()
    return _preview(parse_workbook(io.BytesIO(content), specs), user=user, by_code=by_code)


def _preview(parsed: ParseResult, *, user, by_code: dict[str, Metric] | None = None) -> Preview:
    if by_code is None:
        _, by_code = catalogue()
    preview = Preview(
        errors=list(parsed.errors),
        unknown_sheets=parsed.unknown_sheets,
        unknown_metrics=parsed.unknown_metrics,
        sheet_names=parsed.sheet_names,
        read_as=parsed.read_as,
    )
    if not parsed.cells:
        if preview.ok and not preview.unknown_metrics:
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
    latest = last_reportable_month()
    allowed_units: dict[int, bool] = {}
    for item in parsed.cells:
        metric = by_code.get(item.code)
        if metric is None:
            preview.errors.append(
                CellProblem(item.sheet, item.ref, "Måttet finns inte längre i katalogen.")
            )
            continue
        cell = item.cell
        if cell.kind is CellKind.NUMBER:
            try:  # the catalogue may have changed since the upload
                cell = metric.cell_spec.parse(cell.value)
            except CellError as error:
                preview.errors.append(CellProblem(item.sheet, item.ref, str(error)))
                continue
        if not metric.is_valid_in(item.month):
            if cell.kind is CellKind.NUMBER:
                preview.errors.append(
                    CellProblem(
                        item.sheet,
                        item.ref,
                        f"Måttet ”{metric.title}” mäts inte {item.month.label}.",
                    )
                )
            continue  # "-" or blank outside the validity is what the report prints anyway
        if cell.kind is not CellKind.NOT_REPORTED:
            preview.months.add((metric.owner_id, item.month))
        current = stored.get((metric.pk, item.month))
        old = (
            format_cell(
                current.value, not_applicable=current.not_applicable, decimals=metric.decimals
            )
            if current
            else ""
        )  # not value_display(): it would load current.metric, one query per cell
        new = _display(cell, metric)
        if old == new:
            kind = UNCHANGED
        else:
            kind = DELETED if not new else NEW if not old else CHANGED
            if problem := _write_problem(metric, item.month, user, allowed_units, locked, latest):
                preview.errors.append(CellProblem(item.sheet, item.ref, problem))
                continue
        preview.changes.append(
            Change(
                sheet=item.sheet,
                ref=item.ref,
                metric=metric,
                month=item.month,
                cell=cell,
                old=old,
                new=new,
                kind=kind,
                old_version=current.version if current else 0,
            )
        )
    _add_warnings(preview)
    return preview


def _write_problem(metric, month, user, allowed_units, locked, latest) -> str:
    if metric.owner_id not in allowed_units:
        allowed_units[metric.owner_id] = permissions.can_enter_metrics(user, metric.owner)
    if not allowed_units[metric.owner_id]:
        return f"Du får inte rapportera verksamhetsmått för {metric.owner.name}."
    if (metric.owner_id, month) in locked:
        return f"{month.label.capitalize()} är låst för {metric.owner.name}."
    if month > latest:
        return not_started_message(month)
    return ""


def _add_warnings(preview: Preview) -> None:
    """The grid's soft checks for every value the import would write, against the stored
    values overlaid with the file's own."""
    to_write = preview.to_write
    if not to_write:
        return
    soft = SoftChecks(
        {change.metric.pk: change.metric for change in to_write}.values(),
        {change.month for change in to_write},
        pending={(change.metric.pk, change.month): change.cell for change in to_write},
    )
    checked = []
    for change in preview.changes:
        if change.kind in (NEW, CHANGED):
            messages = tuple(soft.warnings(change.metric, change.month, change.cell))
            if messages:
                change = Change(**{**change.__dict__, "warnings": messages})
                preview.warnings.extend(
                    ImportWarning(change.sheet, change.ref, change.metric, change.month, message)
                    for message in messages
                )
        checked.append(change)
    preview.changes = checked


@transaction.atomic
def import_apply(
    *,
    metric_import: MetricImport,
    fingerprint: str,
    user,
    comment: str = "",
    delete_blanks: bool = False,
) -> int:
    """Write every new or changed cell, and the blanks over stored values when
    `delete_blanks`, or nothing. Warnings need `comment`: it is stored on the values it
    confirms and in their audit entries. The stored file is emptied once applied.
    Returns the number of values written."""
    metric_import = MetricImport.objects.select_for_update().get(pk=metric_import.pk)
    if metric_import.applied_at:
        raise MetricsError("Filen är redan inläst.")
    if metric_import.uploaded_by_id != user.pk:
        raise MetricsError("Du kan bara läsa in filer som du själv har laddat upp.")
    preview = import_preview(metric_import, user=user)
    if not preview.ok:
        raise MetricsError("Filen innehåller fel; ingenting har lästs in.")
    # Each row is locked and its version compared again below, so a save between this
    # check and the write is refused too.
    if preview.fingerprint != fingerprint:
        raise MetricsError(
            "Värdena har ändrats sedan förhandsgranskningen (någon annan har sparat). "
            "Granska filen igen innan du läser in den."
        )
    comment = (comment or "").strip()
    if problem := comment_problem(comment):
        raise MetricsError(f"Kommentaren: {problem}")
    if preview.warnings and not comment:
        raise MetricsError(COMMENT_REQUIRED)
    changes = preview.to_write + (preview.deletions if delete_blanks else [])
    written = 0
    for change in changes:
        value, _ = MetricValue.objects.select_for_update().get_or_create(
            metric=change.metric, month=change.month.first_day, defaults={"version": 0}
        )
        if value.version != change.old_version:
            raise MetricsError(
                "Värdena har ändrats sedan förhandsgranskningen. Granska filen igen."
            )
        value.value = change.cell.value if change.cell.kind is CellKind.NUMBER else None
        value.not_applicable = change.cell.kind is CellKind.NOT_APPLICABLE
        if change.warnings:
            value.comment = comment
        value.version += 1
        value.updated_by = user
        value.save()
        reason = f"Excelimport {metric_import.filename}"
        audit.record(
            "metric_value.imported",
            target=value,
            by=user,
            changes={"värde": (change.old, change.new)},
            reason=f"{reason}: {comment}" if change.warnings else reason,
        )
        written += 1
    metric_import.applied_at = timezone.now()
    metric_import.content = b""
    metric_import.imported_months = sorted(
        [unit_id, str(month)] for unit_id, month in preview.months
    )
    metric_import.save(update_fields=["applied_at", "content", "imported_months"])
    return written
