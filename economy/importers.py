"""Import of the ekonomisystem's export: preview what would change in which table, then apply
everything in one transaction, or nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from economy import accounts, queries, reporting
from economy.models import (
    AMOUNT_PLACES,
    BudgetValue,
    BudgetVersion,
    EconomyImport,
    MappingRule,
    Sheet,
    SheetStatus,
    SheetValue,
    period_label,
)
from economy.services import EconomyError
from economy.tables import Figure
from solna_sn import audit, permissions
from solna_sn.lib.xlsx import XlsxError, load_workbook_checked

# A full year's export of every account and verksamhet runs to a few thousand rows.
MAX_ROWS = 20_000
IMPORTED_FIGURES = (Figure.OUTCOME, Figure.OUTCOME_PREV, Figure.ANNUAL_BUDGET, Figure.FORECAST)
NEW, CHANGED, UNCHANGED = "ny", "ändrad", "oförändrad"


@dataclass(frozen=True)
class Change:
    sheet_id: int
    row_id: int
    column_id: int
    budget_version_id: int | None
    row_label: str
    column_header: str
    old: Decimal | None
    new: Decimal
    old_text: str
    new_text: str
    kind: str
    old_revision: int


@dataclass
class SheetPreview:
    sheet: Sheet
    changes: list[Change] = field(default_factory=list)
    after: reporting.PrintedTable | None = None

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


@dataclass
class Preview:
    errors: list[accounts.Problem] = field(default_factory=list)
    sheets: list[SheetPreview] = field(default_factory=list)
    lines: int = 0
    skipped_rows: int = 0
    ignored: int = 0
    read_cache: dict | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_write(self) -> list[Change]:
        seen = set()
        result = []
        for sheet in self.sheets:
            for change in sheet.changes:
                if change.kind == UNCHANGED:
                    continue
                # Two sheets printing the same budget version write its figure once.
                key = (
                    ("budget", change.budget_version_id, change.row_id)
                    if change.budget_version_id
                    else ("sheet", change.sheet_id, change.row_id, change.column_id)
                )
                if key not in seen:
                    seen.add(key)
                    result.append(change)
        return result

    def count(self, kind: str) -> int:
        return sum(sheet.count(kind) for sheet in self.sheets)

    @property
    def fingerprint(self) -> str:
        """Identifies the stored figures the preview was computed against."""
        digest = hashlib.sha256()
        for change in self.to_write:
            digest.update(
                f"{change.sheet_id}|{change.budget_version_id}|{change.row_id}|"
                f"{change.column_id}|{change.old_revision}|{change.new}\n".encode()
            )
        return digest.hexdigest()[:32]


def _layout(mapping) -> accounts.Layout:
    return accounts.Layout(
        account=mapping.header_account,
        activity=mapping.header_activity,
        sheet_name=mapping.sheet_name,
        figures={
            Figure.OUTCOME.value: mapping.header_outcome,
            Figure.OUTCOME_PREV.value: mapping.header_outcome_prev,
            Figure.ANNUAL_BUDGET.value: mapping.header_budget,
            Figure.FORECAST.value: mapping.header_forecast,
        },
    )


@dataclass
class Read:
    """The file summed to table rows (or why it cannot be)."""

    totals: dict[tuple[str, str], dict[str, Decimal]] = field(default_factory=dict)
    errors: list[accounts.Problem] = field(default_factory=list)
    lines: int = 0
    skipped: int = 0
    ignored: int = 0
    cache: dict | None = None  # what to store on the upload so it is not parsed again


def _read_key(mapping, rules, needed, rowset_codes) -> str:
    """Identifies everything reading the file depends on besides its bytes: when the mapping
    changes after the upload, the file is read again."""
    digest = hashlib.sha256()
    for part in (
        mapping.sheet_name,
        mapping.header_account,
        mapping.header_activity,
        mapping.header_outcome,
        mapping.header_outcome_prev,
        mapping.header_budget,
        mapping.header_forecast,
        mapping.amount_divisor,
        mapping.reverse_sign,
        sorted(needed),
        sorted(rowset_codes),
        sorted((r.account_from, r.account_to, r.activity, r.target or ("", "")) for r in rules),
    ):
        digest.update(repr(part).encode())
    return digest.hexdigest()[:32]


def _read(economy_import, rules, labels, needed, rowset_codes, rowset_titles) -> Read:
    """Parse and sum the file, or take the sums stored when it was uploaded (the file does not
    change; the key tells whether the mapping did)."""
    mapping = economy_import.mapping
    key = _read_key(mapping, rules, needed, rowset_codes)
    cached = economy_import.parsed or {}
    if cached.get("key") == key:
        return Read(
            totals={
                (rowset, row): {name: Decimal(amount) for name, amount in figures.items()}
                for rowset, row, figures in cached["totals"]
            },
            lines=cached["lines"],
            skipped=cached["skipped"],
            ignored=cached["ignored"],
        )
    result = Read()
    try:
        checked = load_workbook_checked(
            bytes(economy_import.content), read_only=True, max_rows=MAX_ROWS
        )
    except XlsxError as error:
        result.errors.append(accounts.Problem("", "", str(error)))
        return result
    try:
        layout = _layout(mapping)
        if not any(rule.activity for rule in rules):
            layout = accounts.Layout(layout.account, layout.figures, "", layout.sheet_name)
        parsed = accounts.parse_export(checked, layout, needed)
    finally:
        checked.close()
    result.errors.extend(parsed.errors)
    result.lines, result.skipped = len(parsed.lines), parsed.skipped_rows
    if parsed.errors:
        return result
    summed = accounts.aggregate(
        parsed.lines,
        rules,
        rowsets=rowset_codes,
        divisor=Decimal(mapping.amount_divisor) * (-1 if mapping.reverse_sign else 1),
        places=AMOUNT_PLACES,
        labels=labels,
        rowset_titles=rowset_titles,
    )
    result.errors.extend(summed.errors)
    result.ignored = summed.ignored
    result.totals = summed.totals
    if not result.errors:
        result.cache = {
            "key": key,
            "lines": result.lines,
            "skipped": result.skipped,
            "ignored": result.ignored,
            "totals": [
                [rowset, row, {name: str(amount) for name, amount in figures.items()}]
                for (rowset, row), figures in sorted(summed.totals.items())
            ],
        }
    return result


def build_preview(economy_import: EconomyImport, *, user) -> Preview:
    """What applying the file would change, per table, with the tables' warnings afterwards.
    Reads only."""
    preview = Preview()
    mapping = economy_import.mapping
    db_rules = list(MappingRule.objects.filter(mapping=mapping).select_related("row__rowset"))
    rules = [
        accounts.Rule(
            rule.account_from,
            rule.account_to,
            rule.activity,
            None if rule.ignore else (rule.row.rowset.code, rule.row.code),
        )
        for rule in db_rules
    ]
    labels = {(r.row.rowset.code, r.row.code): r.row.label for r in db_rules if r.row_id}
    rowset_ids = {rule.row.rowset_id for rule in db_rules if rule.row_id}
    sheets = list(
        queries.sheets_with_definitions()
        .filter(
            committee=economy_import.committee,
            year=economy_import.year,
            period=economy_import.period,
            definition__rowset_id__in=rowset_ids,
        )
        .order_by("definition__sort_order")
    )
    label = period_label(economy_import.year, economy_import.period)
    if not sheets:
        preview.errors.append(
            accounts.Problem(
                "",
                "",
                f"Det finns inga tabeller för {label} som kontokopplingen ”{mapping.name}” "
                "fyller. Skapa tabellerna för perioden först.",
            )
        )
        return preview
    if not permissions.can_enter_economy(user, economy_import.committee):
        preview.errors.append(
            accounts.Problem("", "", "Du får inte läsa in ekonomiska siffror för nämnden.")
        )
        return preview
    loaded = [queries.load_sheet(sheet) for sheet in sheets]
    needed = {
        column.figure
        for data in loaded
        for column in data.columns
        if column.figure in {figure.value for figure in IMPORTED_FIGURES}
    }
    rowset_codes = {data.sheet.definition.rowset.code for data in loaded}
    rowset_titles = {
        data.sheet.definition.rowset.code: data.sheet.definition.rowset.title for data in loaded
    }
    read = _read(economy_import, rules, labels, needed, rowset_codes, rowset_titles)
    preview.errors.extend(read.errors)
    preview.lines, preview.skipped_rows, preview.ignored = read.lines, read.skipped, read.ignored
    preview.read_cache = read.cache
    if read.errors:
        return preview
    versions = {
        version.pk: version
        for version in BudgetVersion.objects.filter(
            pk__in={data.sheet.budget_version_id for data in loaded if data.sheet.budget_version_id}
        )
    }
    for data in loaded:
        sheet = data.sheet
        sheet_preview = SheetPreview(sheet)
        overrides = {}
        rowset = sheet.definition.rowset.code
        for row in data.rows:
            figures = read.totals.get((rowset, row.code))
            if figures is None:
                continue
            for column in data.columns:
                if column.figure not in figures:
                    continue
                new = figures[column.figure]
                stored = data.stored(row, column)
                old = stored.value if stored is not None else None
                kind = UNCHANGED if old == new else (NEW if old is None else CHANGED)
                header = data.spec.column(column.code).header if data.spec else column.header
                version_id = queries.budget_version_id(sheet, column)
                if kind != UNCHANGED:
                    if sheet.status == SheetStatus.LOCKED:
                        preview.errors.append(
                            accounts.Problem(
                                "",
                                "",
                                f"{sheet.definition.title}, {label} är låst och kan "
                                "inte läsas in. Be förvaltningsledningen öppna tabellen.",
                            )
                        )
                        return preview
                    if column.figure == Figure.ANNUAL_BUDGET:
                        if version_id is None:
                            preview.errors.append(
                                accounts.Problem(
                                    "",
                                    "",
                                    f"{sheet.definition.title}, {label} har ingen budgetversion "
                                    "att läsa in budgeten i. Välj budgetversion för tabellen.",
                                )
                            )
                            return preview
                        if versions[version_id].is_locked:
                            preview.errors.append(
                                accounts.Problem(
                                    "",
                                    "",
                                    f"{versions[version_id].name} är låst; filens budget för "
                                    f"”{row.label}” skiljer sig från den fastställda.",
                                )
                            )
                            return preview
                overrides[(row.code, column.code)] = new
                sheet_preview.changes.append(
                    Change(
                        sheet_id=sheet.pk,
                        row_id=row.pk,
                        column_id=column.pk,
                        budget_version_id=version_id,
                        row_label=row.label,
                        column_header=header,
                        old=old,
                        new=new,
                        old_text=queries.exact_text(old, column.decimals),
                        new_text=queries.exact_text(new, column.decimals),
                        kind=kind,
                        old_revision=stored.revision if stored is not None else 0,
                    )
                )
        queries.compute_sheet(data, overrides)
        sheet_preview.after = reporting.printed_sheet(data)
        preview.sheets.append(sheet_preview)
    return preview


def import_create(
    *, committee, mapping, year: int, period: str, filename: str, content: bytes, by
) -> EconomyImport:
    """Keep an uploaded export for its preview and apply. The file is read once here; its sums
    are stored with the upload so the preview and the apply do not parse it again (unless the
    mapping has changed since)."""
    if not permissions.can_enter_economy(by, committee):
        raise EconomyError("Du får inte läsa in ekonomiska siffror för nämnden.")
    economy_import = EconomyImport.objects.create(
        committee=committee,
        mapping=mapping,
        year=year,
        period=period,
        filename=filename,
        content=content,
        uploaded_by=by,
    )
    preview = build_preview(economy_import, user=by)
    if preview.read_cache is not None:
        economy_import.parsed = preview.read_cache
        economy_import.save(update_fields=["parsed"])
    audit.record(
        "economy.import_uploaded",
        target=economy_import,
        by=by,
        reason=f"{preview.lines} kontorader, {len(preview.errors)} fel",
    )
    return economy_import


def _locked_targets(model, changes, key, lookup_of):
    """Lock the stored figures the changes write, creating the missing ones first (so two
    imports or an import and a cell save queue up on the same rows)."""
    wanted = {key(change): change for change in changes}
    if not wanted:
        return {}
    filters = Q()
    for change in wanted.values():
        filters |= Q(**lookup_of(change))
    model.objects.bulk_create(
        [model(**lookup_of(change), revision=0) for change in wanted.values()],
        ignore_conflicts=True,
    )
    return {key(stored): stored for stored in model.objects.select_for_update().filter(filters)}


@transaction.atomic
def import_apply(*, economy_import: EconomyImport, fingerprint: str, user) -> int:
    """Write every new or changed figure, or nothing. Returns the number of figures written."""
    economy_import = (
        EconomyImport.objects.select_for_update()
        .select_related("mapping", "committee")
        .get(pk=economy_import.pk)
    )
    if economy_import.applied_at:
        raise EconomyError("Filen är redan inläst.")
    if economy_import.uploaded_by_id != user.pk:
        raise EconomyError("Du kan bara läsa in filer som du själv har laddat upp.")
    # Lock the sheets first, so nobody locks or saves them between the check and the write.
    list(
        Sheet.objects.select_for_update().filter(
            committee=economy_import.committee,
            year=economy_import.year,
            period=economy_import.period,
        )
    )
    preview = build_preview(economy_import, user=user)
    if not preview.ok:
        raise EconomyError("Filen innehåller fel; ingenting har lästs in.")
    if preview.fingerprint != fingerprint:
        raise EconomyError(
            "Siffrorna har ändrats sedan förhandsgranskningen (någon annan har sparat). "
            "Granska filen igen innan du läser in den."
        )
    changes = preview.to_write
    budget_changes = [c for c in changes if c.budget_version_id]
    sheet_changes = [c for c in changes if not c.budget_version_id]
    budget = _locked_targets(
        BudgetValue,
        budget_changes,
        lambda x: (x.budget_version_id, x.row_id),
        lambda c: {"budget_version_id": c.budget_version_id, "row_id": c.row_id},
    )
    figures = _locked_targets(
        SheetValue,
        sheet_changes,
        lambda x: (x.sheet_id, x.row_id, x.column_id),
        lambda c: {"sheet_id": c.sheet_id, "row_id": c.row_id, "column_id": c.column_id},
    )
    reason = f"Import från ekonomisystemet: {economy_import.filename}"
    now = timezone.now()
    written = {BudgetValue: [], SheetValue: []}
    for change in changes:
        if change.budget_version_id:
            stored = budget[(change.budget_version_id, change.row_id)]
        else:
            stored = figures[(change.sheet_id, change.row_id, change.column_id)]
        if stored.revision != change.old_revision:
            raise EconomyError("Siffrorna har ändrats sedan förhandsgranskningen. Granska igen.")
        stored.value = change.new
        stored.revision += 1
        stored.updated_by = user
        stored.updated_at = now
        stored.note = reason[:500]
        written[type(stored)].append(stored)
        audit.record(
            "economy.figure_imported",
            target=stored,
            by=user,
            changes={
                f"{change.row_label}, {change.column_header}": (change.old_text, change.new_text)
            },
            reason=reason,
        )
    for model, objects in written.items():
        model.objects.bulk_update(
            objects, ["value", "revision", "updated_by", "updated_at", "note"]
        )
    economy_import.applied_at = now
    economy_import.save(update_fields=["applied_at"])
    audit.record(
        "economy.import_applied",
        target=economy_import,
        by=user,
        reason=f"{len(changes)} siffror inlästa",
    )
    return len(changes)
