"""Every change to the economic tables, budget versions, personnel figures and registers:
atomic, checked, audited. Figures are stored as given; nothing here adjusts another figure to
make the arithmetic agree (DESIGN.md §4 rule 1)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from economy import tables
from economy.models import (
    PERIODS_FOR_DOCUMENT,
    BudgetValue,
    BudgetVersion,
    Document,
    Footnote,
    Period,
    PersonnelSheet,
    PersonnelValue,
    QualityDeclaration,
    RowCommentary,
    Sheet,
    SheetStatus,
    SheetValue,
    TableColumn,
    TableRow,
    Tariff,
    period_label,
)
from economy.queries import BUDGET_FIGURES, budget_version_id, exact_text
from solna_sn import audit, permissions
from solna_sn.forms import decimal_limits
from solna_sn.lib.numbers import NumberFormatError, parse_number, parse_percent
from solna_sn.lib.text import text_problem


class EconomyError(Exception):
    """A refused change; str(error) is a Swedish message for the person."""


class StaleError(EconomyError):
    """Someone else saved after this person loaded the page."""

    def __init__(self, message: str, *, current_text: str = "", current_revision: int = 0):
        super().__init__(message)
        self.current_text = current_text
        self.current_revision = current_revision


def _check_may_enter(committee, by) -> None:
    if not permissions.can_enter_economy(by, committee):
        raise EconomyError(
            "Du får inte mata in ekonomiska siffror. Det gör förvaltningens controller eller "
            "förvaltningsledningen."
        )


def parse_figure(raw, column: TableColumn | None = None) -> Decimal | None:
    """A typed or imported figure: blank is "not given" (None); "12,3,0" and text are
    refused with a Swedish message; the column's limits are checked. A percentage column
    accepts "7,1 %"."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    limits = decimal_limits(SheetValue, "value")
    parse = parse_percent if column is not None and column.derived == "percent_change" else None
    try:
        if parse is not None:
            return parse_number(parse(raw), **limits)
        return parse_number(raw, **limits)
    except NumberFormatError as error:
        raise EconomyError(str(error)) from None


@dataclass
class CellOutcome:
    saved: bool
    value: Decimal | None
    revision: int
    old_text: str = ""


def _lock_sheet(sheet: Sheet) -> Sheet:
    locked = Sheet.objects.select_for_update().get(pk=sheet.pk)
    if locked.status == SheetStatus.LOCKED:
        raise EconomyError(
            f"{sheet.definition.title}, {locked.period_label} är låst. Be förvaltningsledningen "
            "öppna tabellen om en siffra behöver ändras."
        )
    return locked


def _lock_version(version_id: int) -> BudgetVersion:
    version = BudgetVersion.objects.select_for_update().get(pk=version_id)
    if version.is_locked:
        raise EconomyError(
            f"{version.name} är låst (fastställd). Skapa en ny budgetversion om budgeten har "
            "ändrats."
        )
    return version


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
    _check_may_enter(sheet.committee, by)
    if row.rowset_id != sheet.definition.rowset_id or column.definition_id != sheet.definition_id:
        raise EconomyError("Raden eller kolumnen hör inte till tabellen.")
    value = parse_figure(raw, column)
    note = (note or "").strip()
    if problem := text_problem(note, max_length=500, multiline=False):
        raise EconomyError(problem)
    locked_sheet = _lock_sheet(sheet)
    if column.figure in BUDGET_FIGURES:
        version_id = budget_version_id(locked_sheet, column)
        if version_id is None:
            raise EconomyError(
                "Tabellen har ingen budgetversion för kolumnen. Välj budgetversion för "
                "tabellen först."
            )
        version = _lock_version(version_id)
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
    _check_may_enter(sheet.committee, by)
    if row.rowset_id != sheet.definition.rowset_id:
        raise EconomyError("Raden hör inte till tabellen.")
    text = (text or "").strip()
    if problem := text_problem(text, max_length=10_000, multiline=True):
        raise EconomyError(problem)
    _lock_sheet(sheet)
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


def _clean_footnotes(texts: list[str]) -> list[str]:
    cleaned = [" ".join(text.split()) for text in texts]
    cleaned = [text for text in cleaned if text]
    for text in cleaned:
        if problem := text_problem(text, max_length=2000, multiline=False):
            raise EconomyError(problem)
    return cleaned


def footnotes_fingerprint(texts: list[str]) -> str:
    """Identifies a list of footnotes, so a save can tell whether someone changed them since
    the page was loaded."""
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]


def _replace_footnotes(owner: dict, texts: list[str], expected: str, by, target) -> bool:
    current = list(
        Footnote.objects.select_for_update().filter(**owner).order_by("sort_order", "pk")
    )
    current_texts = [footnote.text for footnote in current]
    if footnotes_fingerprint(current_texts) != expected:
        raise StaleError(
            "Någon annan har ändrat fotnoterna efter att du öppnade sidan. De sparade "
            "fotnoterna visas nu; för över dina ändringar och spara igen.",
            current_text="\n".join(current_texts),
        )
    if current_texts == texts:
        return False
    Footnote.objects.filter(**owner).delete()
    Footnote.objects.bulk_create(
        Footnote(**owner, text=text, sort_order=index) for index, text in enumerate(texts, 1)
    )
    audit.record(
        "economy.footnotes_changed",
        target=target,
        by=by,
        changes={"fotnoter": (current_texts, texts)},
    )
    return True


@transaction.atomic
def sheet_footnotes_save(*, sheet: Sheet, texts: list[str], expected: str, by) -> bool:
    """Replace a sheet's footnotes; `expected` is the footnotes_fingerprint the person saw."""
    _check_may_enter(sheet.committee, by)
    _lock_sheet(sheet)
    return _replace_footnotes({"sheet": sheet}, _clean_footnotes(texts), expected, by, sheet)


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
    _check_may_enter(committee, by)
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
    _check_may_enter(sheet.committee, by)
    locked = _lock_sheet(sheet)
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
    _check_may_enter(sheet.committee, by)
    locked = _lock_sheet(sheet)
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


# --- Budget versions ------------------------------------------------------------------------


@transaction.atomic
def budget_version_create(
    *,
    committee,
    year: int,
    kind: str,
    name: str,
    decided_on=None,
    decided_by: str = "",
    note: str = "",
    copy_from: BudgetVersion | None = None,
    by,
) -> BudgetVersion:
    """A new version of a year's budget, empty or as a copy of another version's figures
    (a justerad budget usually starts from the ursprungliga)."""
    _check_may_enter(committee, by)
    name = (name or "").strip()
    if BudgetVersion.objects.filter(committee=committee, year=year, name=name).exists():
        raise ValidationError({"name": f"Det finns redan en budgetversion ”{name}” för {year}."})
    if copy_from is not None and copy_from.committee_id != committee.pk:
        raise ValidationError({"copy_from": "Versionen hör till en annan nämnd."})
    try:
        with transaction.atomic():
            version = BudgetVersion.objects.create(
                committee=committee,
                year=year,
                kind=kind,
                name=name,
                decided_on=decided_on,
                decided_by=decided_by,
                note=note,
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            {"name": f"Det finns redan en budgetversion ”{name}” för {year}."}
        ) from None
    copied = 0
    if copy_from is not None:
        BudgetValue.objects.bulk_create(
            BudgetValue(
                budget_version=version,
                row_id=value.row_id,
                value=value.value,
                note=value.note,
                updated_by=by,
            )
            for value in copy_from.values.all()
        )
        copied = copy_from.values.count()
    audit.record(
        "economy.budget_version_created",
        target=version,
        by=by,
        changes={"kopierad från": (None, str(copy_from))} if copy_from else {},
        reason=f"{copied} belopp kopierade" if copy_from else "",
    )
    return version


@transaction.atomic
def budget_version_set_locked(*, version: BudgetVersion, locked: bool, by) -> BudgetVersion:
    """Lock a decided (fastställd) version, or open it again: förvaltningsledning."""
    if not permissions.can_reopen_economy(by):
        raise EconomyError("Bara förvaltningsledningen kan låsa eller öppna en budgetversion.")
    version = BudgetVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_locked == locked:
        return version
    version.is_locked = locked
    version.save(update_fields=["is_locked"])
    audit.record(
        "economy.budget_version_locked" if locked else "economy.budget_version_opened",
        target=version,
        by=by,
        changes={"låst": (not locked, locked)},
    )
    return version


# --- Personnel ------------------------------------------------------------------------------


@transaction.atomic
def personnel_sheet_create(*, committee, year: int, period: str, by) -> PersonnelSheet:
    _check_may_enter(committee, by)
    if period == Period.PLAN:
        raise ValidationError(
            {"period": "Personaltabellen följer upp en period, inte ett budgetår."}
        )
    if PersonnelSheet.objects.filter(committee=committee, year=year, period=period).exists():
        raise ValidationError(
            {"period": f"Personaltabellen finns redan för {period_label(year, period)}."}
        )
    sheet = PersonnelSheet.objects.create(
        committee=committee, year=year, period=period, updated_by=by
    )
    audit.record("economy.personnel_sheet_created", target=sheet, by=by)
    return sheet


PERSONNEL_FIELDS = (
    "value",
    "comparison_value",
    "change",
    "measured_from",
    "measured_to",
    "comparison_from",
    "comparison_to",
)


@transaction.atomic
def personnel_save(
    *, sheet: PersonnelSheet, rows: dict, footnotes: list[str], expected_revision: int, by
) -> bool:
    """Save the whole personnel table at once. `rows` maps a PersonnelFigure to a dict of the
    PERSONNEL_FIELDS. The table's revision guards against lost updates."""
    _check_may_enter(sheet.committee, by)
    locked = PersonnelSheet.objects.select_for_update().get(pk=sheet.pk)
    if locked.revision != expected_revision:
        raise StaleError(
            "Någon annan har sparat personaltabellen efter att du öppnade sidan. Ladda om sidan "
            "och för in dina ändringar igen.",
            current_revision=locked.revision,
        )
    existing = {value.figure_id: value for value in locked.values.select_for_update()}
    changes = {}
    for figure, data in rows.items():
        value = existing.get(figure.pk) or PersonnelValue(sheet=locked, figure=figure)
        before = {name: getattr(value, name) for name in PERSONNEL_FIELDS}
        after = {name: data.get(name) for name in PERSONNEL_FIELDS}
        if before == after and value.pk:
            continue
        if value.pk is None and not any(v is not None for v in after.values()):
            continue
        for name, new in after.items():
            setattr(value, name, new)
        value.save()
        for name, (old, new) in audit.diff(before, after).items():
            changes[f"{figure.label}: {PersonnelValue._meta.get_field(name).verbose_name}"] = (
                exact_text(old) if isinstance(old, Decimal) else (str(old) if old else ""),
                exact_text(new) if isinstance(new, Decimal) else (str(new) if new else ""),
            )
    cleaned = _clean_footnotes(footnotes)
    current_notes = [f.text for f in locked.footnotes.all()]
    if cleaned != current_notes:
        locked.footnotes.all().delete()
        Footnote.objects.bulk_create(
            Footnote(personnel_sheet=locked, text=text, sort_order=index)
            for index, text in enumerate(cleaned, 1)
        )
        changes["fotnoter"] = (current_notes, cleaned)
    if not changes:
        return False
    locked.revision += 1
    locked.updated_by = by
    locked.save(update_fields=["revision", "updated_by", "updated_at"])
    audit.record("economy.personnel_changed", target=locked, by=by, changes=changes)
    return True


# --- Registers: taxor och avgifter, kvalitetsdeklarationer ----------------------------------

REGISTER_FIELDS = {
    Tariff: (
        "name",
        "decided_by",
        "decided_on",
        "status",
        "new_decision_on",
        "valid_from",
        "sort_order",
    ),
    QualityDeclaration: ("name", "decided_on", "status", "sort_order"),
}


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def register_save(
    *,
    model,
    committee,
    plan_year: int,
    data: dict,
    by,
    entry=None,
    expected_revision: int | None = None,
):
    """Create or change a taxa or a kvalitetsdeklaration (as the VP of `plan_year` prints it)."""
    _check_may_enter(committee, by)
    fields = REGISTER_FIELDS[model]
    name = data["name"]
    duplicate = model.objects.filter(committee=committee, plan_year=plan_year, name=name)
    if entry is not None:
        duplicate = duplicate.exclude(pk=entry.pk)
    if duplicate.exists():
        raise ValidationError({"name": f"”{name}” finns redan för {plan_year}."})
    if entry is None:
        entry = model(committee=committee, plan_year=plan_year, revision=0)
        before = {}
    else:
        entry = model.objects.select_for_update().get(pk=entry.pk)
        if expected_revision is not None and entry.revision != expected_revision:
            raise StaleError(
                "Någon annan har ändrat raden efter att du öppnade sidan. Ladda om sidan och "
                "gör ändringen igen.",
                current_revision=entry.revision,
            )
        before = {name: _plain(getattr(entry, name)) for name in fields}
    for name in fields:
        setattr(entry, name, data[name])
    after = {name: _plain(data[name]) for name in fields}
    changes = audit.diff(before, after)
    if entry.pk and not changes:
        return entry
    entry.revision += 1
    entry.updated_by = by
    entry.save()
    audit.record(
        f"economy.{model._meta.model_name}_{'created' if not before else 'changed'}",
        target=entry,
        by=by,
        changes=changes,
    )
    return entry


@transaction.atomic
def register_delete(*, entry, by) -> None:
    _check_may_enter(entry.committee, by)
    audit.record(f"economy.{entry._meta.model_name}_deleted", target=entry, by=by)
    entry.delete()


@transaction.atomic
def register_copy_year(*, model, committee, from_year: int, to_year: int, by) -> int:
    """Start next year's register as a copy of this year's, status Oförändrad. Entries that
    already exist for `to_year` are kept."""
    _check_may_enter(committee, by)
    fields = REGISTER_FIELDS[model]
    existing = set(
        model.objects.filter(committee=committee, plan_year=to_year).values_list("name", flat=True)
    )
    created = 0
    for entry in model.objects.filter(committee=committee, plan_year=from_year):
        if entry.name in existing:
            continue
        copy = model(
            committee=committee,
            plan_year=to_year,
            revision=1,
            updated_by=by,
            **{name: getattr(entry, name) for name in fields},
        )
        copy.status = "oforandrad"
        if hasattr(copy, "new_decision_on"):
            copy.new_decision_on = None
        copy.save()
        created += 1
    audit.record(
        f"economy.{model._meta.model_name}_year_copied",
        by=by,
        changes={"år": (from_year, to_year)},
        reason=f"{created} rader kopierade",
    )
    return created
