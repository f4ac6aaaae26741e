"""Figures, commentary and footnotes of a sheet; creating, versioning and locking sheets.

Figures are stored as given; nothing here adjusts another figure to make the arithmetic
agree (DESIGN.md §4 rule 1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from economy import tables
from economy.models import (
    PERIODS_FOR_DOCUMENT,
    BudgetValue,
    Document,
    Period,
    RowCommentary,
    Sheet,
    SheetStatus,
    SheetValue,
    TableColumn,
    TableRow,
    period_label,
)
from economy.queries import BUDGET_FIGURES, budget_version_id, exact_text
from economy.services.common import (
    CellOutcome,
    EconomyError,
    StaleError,
    check_may_enter,
    clean_footnotes,
    lock_sheet,
    lock_version,
    parse_figure,
    replace_footnotes,
)
from solna_sn import audit, permissions
from solna_sn.lib.text import text_problem


@transaction.atomic
def cell_save(
    *,
    sheet: Sheet,
    row: TableRow,
    column: TableColumn,
    raw,
    expected_revision: int | None,
    by,
    note: str = "",
) -> CellOutcome:
    """Save one cell of the entry grid as given. A budget cell writes the sheet's budget
    version (every sheet that prints that version sees the change). Blank clears the given
    figure, so a sum or a derived cell goes back to being computed.

    Raises EconomyError (nothing written) for bad input, a locked table or version, or
    StaleError when someone else saved the cell after `expected_revision`."""
    check_may_enter(sheet.committee, by)
    if row.rowset_id != sheet.definition.rowset_id or column.definition_id != sheet.definition_id:
        raise EconomyError("Raden eller kolumnen hör inte till tabellen.")
    value = parse_figure(raw, column)
    note = (note or "").strip()
    if problem := text_problem(note, max_length=500, multiline=False):
        raise EconomyError(problem)
    locked_sheet = lock_sheet(sheet)
    if column.figure in BUDGET_FIGURES:
        version_id = budget_version_id(locked_sheet, column)
        if version_id is None:
            raise EconomyError(
                "Tabellen har ingen budgetversion för kolumnen. Välj budgetversion för "
                "tabellen först."
            )
        version = lock_version(version_id)
        model, lookup = BudgetValue, {"budget_version": version, "row": row}
    else:
        model, lookup = SheetValue, {"sheet": locked_sheet, "row": row, "column": column}
    current = model.objects.select_for_update().filter(**lookup).first()
    if current is None:
        if value is None:
            return CellOutcome(saved=False, value=None, revision=0)
        # Create and lock the row first, so two first saves of a cell queue up on it.
        model.objects.get_or_create(**lookup, defaults={"revision": 0})
        current = model.objects.select_for_update().get(**lookup)
    if expected_revision is not None and expected_revision != current.revision:
        text = exact_text(current.value)
        raise StaleError(
            "Någon annan har ändrat siffran efter att du öppnade sidan. Den sparade siffran är "
            f"nu ”{text or 'tom'}”. Kontrollera och skriv in din siffra igen.",
            current_text=text,
            current_revision=current.revision,
        )
    if current.value == value and (not note or note == current.note):
        return CellOutcome(saved=False, value=value, revision=current.revision)
    old_text = exact_text(current.value)
    current.value = value
    if note:
        current.note = note
    current.revision += 1
    current.updated_by = by
    current.save()
    audit.record(
        "economy.budget_changed" if model is BudgetValue else "economy.figure_changed",
        target=current,
        by=by,
        changes={
            f"{row.label}, {tables.fill_header(column.header, sheet.year)}": (
                old_text,
                exact_text(value),
            )
        },
        reason=note,
    )
    return CellOutcome(saved=True, value=value, revision=current.revision, old_text=old_text)


@transaction.atomic
def commentary_save(*, sheet: Sheet, row: TableRow, text: str, expected_revision: int, by):
    """The paragraph explaining a row. Stale saves are refused (StaleError carries the text
    that is stored now)."""
    check_may_enter(sheet.committee, by)
    if row.rowset_id != sheet.definition.rowset_id:
        raise EconomyError("Raden hör inte till tabellen.")
    text = (text or "").strip()
    if problem := text_problem(text, max_length=10_000, multiline=True):
        raise EconomyError(problem)
    lock_sheet(sheet)
    RowCommentary.objects.get_or_create(sheet=sheet, row=row, defaults={"revision": 0})
    current = RowCommentary.objects.select_for_update().get(sheet=sheet, row=row)
    if current.revision != expected_revision:
        raise StaleError(
            "Någon annan har ändrat kommentaren efter att du öppnade sidan. Den sparade texten "
            "visas nedan; för över dina ändringar och spara igen.",
            current_text=current.text,
            current_revision=current.revision,
        )
    if current.text == text:
        return current
    old = current.text
    current.text = text
    current.revision += 1
    current.updated_by = by
    current.save()
    audit.record(
        "economy.commentary_changed",
        target=current,
        by=by,
        changes={"kommentar": (old, text)},
    )
    return current


@transaction.atomic
def sheet_footnotes_save(*, sheet: Sheet, texts: list[str], expected: str, by) -> bool:
    """Replace a sheet's footnotes; `expected` is the footnotes_fingerprint the person saw."""
    check_may_enter(sheet.committee, by)
    lock_sheet(sheet)
    return replace_footnotes({"sheet": sheet}, clean_footnotes(texts), expected, by, sheet)


def _check_versions(definition, year, period, budget_version, previous_budget_version):
    errors = {}
    if period not in PERIODS_FOR_DOCUMENT[Document(definition.document)]:
        allowed = ", ".join(
            Period(p).label for p in PERIODS_FOR_DOCUMENT[Document(definition.document)]
        )
        errors["period"] = (
            f"{definition.title} ({definition.get_document_display()}) gäller {allowed}."
        )
    figures = set(definition.columns.values_list("figure", flat=True))
    if budget_version is not None and budget_version.year != year:
        errors["budget_version"] = (
            f"{budget_version.name} är en budget för {budget_version.year}, tabellen gäller {year}."
        )
    if "annual_budget" in figures and budget_version is None:
        errors["budget_version"] = "Välj vilken budgetversion tabellens budget hämtas från."
    if previous_budget_version is not None and previous_budget_version.year != year - 1:
        errors["previous_budget_version"] = (
            f"{previous_budget_version.name} är en budget för {previous_budget_version.year}; "
            f"föregående år är {year - 1}."
        )
    if "budget_prev" in figures and previous_budget_version is None:
        errors["previous_budget_version"] = (
            "Välj vilken budgetversion föregående års budget hämtas från."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def sheet_create(
    *,
    committee,
    definition,
    year: int,
    period: str,
    budget_version=None,
    previous_budget_version=None,
    by,
) -> Sheet:
    """Start a table for a period. The budget versions must be for the sheet's year (and the
    year before); ValidationError otherwise."""
    check_may_enter(committee, by)
    _check_versions(definition, year, period, budget_version, previous_budget_version)
    if Sheet.objects.filter(
        committee=committee, definition=definition, year=year, period=period
    ).exists():
        raise ValidationError(
            {"definition": f"{definition.title} finns redan för {period_label(year, period)}."}
        )
    sheet = Sheet.objects.create(
        committee=committee,
        definition=definition,
        year=year,
        period=period,
        budget_version=budget_version,
        previous_budget_version=previous_budget_version,
        created_by=by,
    )
    audit.record("economy.sheet_created", target=sheet, by=by)
    return sheet


@transaction.atomic
def sheet_set_versions(*, sheet: Sheet, budget_version, previous_budget_version, by) -> Sheet:
    """Change which budget versions a sheet prints (the document states which one it uses)."""
    check_may_enter(sheet.committee, by)
    locked = lock_sheet(sheet)
    _check_versions(
        sheet.definition, sheet.year, sheet.period, budget_version, previous_budget_version
    )
    changes = audit.diff(
        {
            "budgetversion": str(locked.budget_version or ""),
            "föregående års budgetversion": str(locked.previous_budget_version or ""),
        },
        {
            "budgetversion": str(budget_version or ""),
            "föregående års budgetversion": str(previous_budget_version or ""),
        },
    )
    if not changes:
        return locked
    locked.budget_version = budget_version
    locked.previous_budget_version = previous_budget_version
    locked.save(update_fields=["budget_version", "previous_budget_version"])
    audit.record("economy.sheet_versions_changed", target=locked, by=by, changes=changes)
    return locked


@transaction.atomic
def sheet_lock(*, sheet: Sheet, by) -> Sheet:
    check_may_enter(sheet.committee, by)
    locked = lock_sheet(sheet)
    locked.status = SheetStatus.LOCKED
    locked.locked_at = timezone.now()
    locked.locked_by = by
    locked.save(update_fields=["status", "locked_at", "locked_by"])
    audit.record("economy.sheet_locked", target=locked, by=by, changes={"läge": ("Öppen", "Låst")})
    return locked


@transaction.atomic
def sheet_reopen(*, sheet: Sheet, reason: str, by) -> Sheet:
    if not permissions.can_reopen_economy(by):
        raise EconomyError("Bara förvaltningsledningen kan öppna en låst tabell.")
    reason = (reason or "").strip()
    if not reason:
        raise EconomyError("Ange varför tabellen behöver öppnas igen.")
    if problem := text_problem(reason, max_length=2000, multiline=True):
        raise EconomyError(problem)
    locked = Sheet.objects.select_for_update().get(pk=sheet.pk)
    if locked.status == SheetStatus.OPEN:
        raise EconomyError("Tabellen är redan öppen.")
    locked.status = SheetStatus.OPEN
    locked.locked_at = None
    locked.locked_by = None
    locked.save(update_fields=["status", "locked_at", "locked_by"])
    audit.record(
        "economy.sheet_reopened",
        target=locked,
        by=by,
        changes={"läge": ("Låst", "Öppen")},
        reason=reason,
    )
    return locked
