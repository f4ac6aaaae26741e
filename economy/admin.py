"""The administratör keeps the table definitions (rows, columns, formulas, sign conventions),
the account mapping and the personnel catalogue here. Figures are entered in the grid and the
import, which audit every change; in the admin they can only be read."""

from django.contrib import admin

from economy import queries
from economy.models import (
    AccountMapping,
    BudgetVersion,
    MappingRule,
    PersonnelFigure,
    RowSet,
    Sheet,
    TableColumn,
    TableDefinition,
    TableRow,
)
from economy.tables import SpecError
from solna_sn import permissions
from solna_sn.admin import RoleAdmin


class RoleInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request, obj=None):
        return permissions.can_define_economy_tables(request.user)

    def has_add_permission(self, request, obj=None):
        return permissions.can_define_economy_tables(request.user)

    has_change_permission = has_delete_permission = has_view_permission


class TableRowInline(RoleInline):
    model = TableRow
    fields = ("sort_order", "code", "label", "kind", "sign", "covers", "unit")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "covers":
            rowset_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = TableRow.objects.filter(rowset_id=rowset_id or 0)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(RowSet)
class RowSetAdmin(RoleAdmin):
    list_display = ("title", "code")
    inlines = [TableRowInline]


class TableColumnInline(RoleInline):
    model = TableColumn
    fk_name = "definition"
    fields = (
        "sort_order",
        "code",
        "header",
        "figure",
        "derived",
        "operand_a",
        "operand_b",
        "decimals",
        "sum_rows_only",
        "percent_sign",
        "printed",
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("operand_a", "operand_b"):
            definition_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = TableColumn.objects.filter(definition_id=definition_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(TableDefinition)
class TableDefinitionAdmin(RoleAdmin):
    list_display = ("title", "document", "code", "rowset", "sort_order")
    list_filter = ("document",)
    readonly_fields = ("arithmetic_check",)
    inlines = [TableColumnInline]

    @admin.display(description="Kontroll av definitionen")
    def arithmetic_check(self, obj):
        if obj is None or obj.pk is None:
            return "Sparas först."
        try:
            queries.spec_from(
                queries.definition_rows(obj), queries.definition_columns(obj), year=None
            )
        except SpecError as error:
            return f"Går inte att räkna: {error}"
        return "Definitionen går att räkna."


class MappingRuleInline(RoleInline):
    model = MappingRule
    fields = ("account_from", "account_to", "activity", "row", "ignore", "note")
    autocomplete_fields = ("row",)


@admin.register(AccountMapping)
class AccountMappingAdmin(RoleAdmin):
    list_display = ("name", "code", "header_account", "amount_divisor")
    inlines = [MappingRuleInline]


@admin.register(TableRow)
class TableRowAdmin(RoleAdmin):
    list_display = ("label", "rowset", "code", "kind", "sort_order")
    list_filter = ("rowset",)
    search_fields = ("label", "code", "rowset__title")


@admin.register(PersonnelFigure)
class PersonnelFigureAdmin(RoleAdmin):
    list_display = ("label", "code", "unit_label", "decimals", "part_of", "sort_order")


class ReadOnlyAdmin(RoleAdmin):
    """Figures change through the services (audited, locked, checked), not here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BudgetVersion)
class BudgetVersionAdmin(ReadOnlyAdmin):
    list_display = ("name", "year", "kind", "decided_on", "is_locked")
    list_filter = ("year", "kind")


@admin.register(Sheet)
class SheetAdmin(ReadOnlyAdmin):
    list_display = ("definition", "year", "period", "budget_version", "status")
    list_filter = ("year", "period", "status")
