from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.html import format_html_join

from solna_sn import audit, audit_labels, permissions, services
from solna_sn.models import (
    Administration,
    AuditEntry,
    Committee,
    Municipality,
    Unit,
    UnitName,
    User,
)


def _plain(value):
    """A JSON-friendly form of a form value for the audit trail."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "__iter__") and not isinstance(value, dict):
        return sorted(str(v) for v in value)
    return str(value)


class RoleAdmin(admin.ModelAdmin):
    """Admin access follows the Administratör role; every save and delete is audited."""

    audit_exclude = frozenset({"password", "last_login", "renamed_from", "rename_reason"})

    def has_module_permission(self, request):
        return permissions.can_administer(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_administer(request.user)

    def has_add_permission(self, request):
        return permissions.can_administer(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_administer(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_administer(request.user)

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changes = {
            field: (
                _plain(form.initial.get(field)) if change else None,
                _plain(form.cleaned_data.get(field)),
            )
            for field in form.changed_data
            if field not in self.audit_exclude
        }
        for formset in formsets:
            for obj in formset.new_objects:
                changes[f"{obj._meta.verbose_name} tillagt"] = (None, str(obj))
            for obj, fields in formset.changed_objects:
                changes[f"{obj._meta.verbose_name} ändrat ({', '.join(fields)})"] = (None, str(obj))
            for obj in formset.deleted_objects:
                changes[f"{obj._meta.verbose_name} borttaget"] = (str(obj), None)
        if changes or not change:
            audit.record(
                f"{form.instance._meta.model_name}.{'changed' if change else 'created'}",
                target=form.instance,
                by=request.user,
                changes=changes,
            )

    @transaction.atomic
    def delete_model(self, request, obj):
        audit.record(f"{obj._meta.model_name}.deleted", target=obj, by=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Municipality)
class MunicipalityAdmin(RoleAdmin):
    list_display = ("name", "code", "valid_from", "valid_to")


@admin.register(Committee)
class CommitteeAdmin(RoleAdmin):
    list_display = ("name", "code", "dnr_prefix", "municipality", "valid_from", "valid_to")
    list_filter = ("municipality",)


@admin.register(Administration)
class AdministrationAdmin(RoleAdmin):
    list_display = ("name", "code", "committee", "valid_from", "valid_to")
    list_filter = ("committee",)


class UnitNameInline(admin.TabularInline):
    model = UnitName
    extra = 0
    fields = ("name", "valid_from", "valid_to")

    def has_view_permission(self, request, obj=None):
        return permissions.can_administer(request.user)

    def has_add_permission(self, request, obj=None):
        return permissions.can_administer(request.user)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission


class UnitAdminForm(forms.ModelForm):
    renamed_from = forms.DateField(
        label="Namnbytet gäller från",
        required=False,
        help_text="Fyll i när du ändrar namnet: det gamla namnet sparas för tiden före detta "
        "datum. Lämnas fältet tomt gäller namnbytet från i dag.",
    )
    rename_reason = forms.CharField(label="Motivering till namnbytet", required=False)

    class Meta:
        model = Unit
        fields = ("administration", "code", "name", "sort_order", "valid_from", "valid_to")


@admin.register(Unit)
class UnitAdmin(RoleAdmin):
    form = UnitAdminForm
    audit_exclude = RoleAdmin.audit_exclude | {"name"}  # renames are audited by unit_rename
    list_display = ("name", "code", "administration", "sort_order", "valid_from", "valid_to")
    list_filter = ("administration",)
    inlines = [UnitNameInline]
    fields = (
        "administration",
        "code",
        "name",
        "renamed_from",
        "rename_reason",
        "sort_order",
        "valid_from",
        "valid_to",
    )

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            # A rename keeps the old name for the period before it (papers printed then).
            new_name = obj.name
            obj.name = form.initial["name"]
            super().save_model(request, obj, form, change)
            effective = form.cleaned_data.get("renamed_from") or timezone.localdate()
            services.unit_rename(
                unit=obj,
                new_name=new_name,
                effective=effective,
                by=request.user,
                reason=form.cleaned_data.get("rename_reason") or "",
            )
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)


@admin.register(User)
class UserAdmin(RoleAdmin, DjangoUserAdmin):
    list_display = ("username", "get_full_name", "role", "title", "is_active")
    list_filter = ("role", "is_active", "units")
    filter_horizontal = ("units",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "title")}),
        ("Roll och enheter", {"fields": ("role", "units", "committee", "is_active")}),
        ("Datum", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        ("Roll och enheter", {"fields": ("first_name", "last_name", "email", "role", "units")}),
    )


class AuditActionFilter(admin.SimpleListFilter):
    """Filter by händelse, listed by their Swedish descriptions."""

    title = "händelse"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((a, audit_labels.describe_action(a)) for a in actions), key=lambda p: p[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class AuditTargetTypeFilter(admin.SimpleListFilter):
    title = "objekttyp"
    parameter_name = "target_type"

    def lookups(self, request, model_admin):
        types = AuditEntry.objects.order_by().values_list("target_type", flat=True).distinct()
        return sorted(
            ((t, audit_labels.target_type_label(t)) for t in types if t), key=lambda p: p[1]
        )

    def queryset(self, request, queryset):
        return queryset.filter(target_type=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(RoleAdmin):
    """Read-only: the audit trail is written by services, never edited. Shown in words: the
    person's name, the Swedish description of the action and of the kind of object."""

    list_display = ("at", "actor_display", "action_display", "target_display", "target_repr")
    list_filter = (AuditActionFilter, AuditTargetTypeFilter)
    search_fields = ("actor_username", "action", "target_repr", "reason", "target_id")
    date_hierarchy = "at"
    readonly_fields = [
        "actor_display",
        "action_display",
        "target_display",
        "changes_display",
        *(f.name for f in AuditEntry._meta.fields),
    ]

    def get_queryset(self, request):
        users = User.objects.filter(pk=OuterRef("actor_id"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                actor_first_name=Subquery(users.values("first_name")[:1]),
                actor_last_name=Subquery(users.values("last_name")[:1]),
            )
        )

    @admin.display(description="användare", ordering="actor_username")
    def actor_display(self, obj):
        name = f"{getattr(obj, 'actor_first_name', '') or ''} "
        name = (name + (getattr(obj, "actor_last_name", "") or "")).strip()
        return name or obj.actor_username or "Systemet"

    @admin.display(description="händelse", ordering="action")
    def action_display(self, obj):
        return audit_labels.describe_action(obj.action)

    @admin.display(description="objekttyp", ordering="target_type")
    def target_display(self, obj):
        return audit_labels.target_type_label(obj.target_type)

    @admin.display(description="ändringar")
    def changes_display(self, obj):
        rows = audit_labels.change_rows(obj)
        if not rows:
            return "–"
        return format_html_join(
            "", "<p>{}: {} → {}</p>", ((f, "" if o is None else o, n) for f, o, n in rows)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Group)


class ReadOnlyAdmin(RoleAdmin):
    """An overview for administrators of what changes only through the app's own pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
