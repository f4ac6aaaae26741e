from django.contrib import admin

from reports import services
from reports.forms import OutlineSectionForm, ReportKindAdminForm
from reports.generators.all import REGISTRY
from reports.models import OutlineSection, Report, ReportKind
from solna_sn import permissions
from solna_sn.admin import RoleAdmin


class OutlineInline(admin.TabularInline):
    model = OutlineSection
    form = OutlineSectionForm
    fk_name = "kind"
    extra = 0
    fields = ("order", "title", "level", "mode", "generator", "in_toc", "anvisning", "default_text")
    ordering = ("order",)

    # The admin follows the Administratör role (solna_sn.admin.RoleAdmin), not Django's perms.
    def has_view_permission(self, request, obj=None):
        return permissions.can_administer(request.user)

    def has_add_permission(self, request, obj=None):
        return permissions.can_administer(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_administer(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_administer(request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "generator" and field is not None:
            field.help_text = "Finns: " + ", ".join(sorted(REGISTRY))
        return field


@admin.register(ReportKind)
class ReportKindAdmin(RoleAdmin):
    list_display = ("name", "code", "period", "committee")
    form = ReportKindAdminForm
    inlines = [OutlineInline]

    def get_fields(self, request, obj=None):
        fields = ["committee", "code", "name", "period", "plan"]
        return fields if obj is not None else [*fields, "layout"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        layout = form.cleaned_data.get("layout")
        if not change and layout and not form.instance.outline.exists():
            services.outline_apply(kind=form.instance, layout=layout, by=request.user)


@admin.register(Report)
class ReportAdmin(RoleAdmin):
    list_display = ("title", "state", "case", "meeting", "sent_at")
    list_filter = ("state", "kind")
    readonly_fields = ("sent_at", "sent_by", "sent_warnings", "frozen_figures", "approved_at")

    def has_delete_permission(self, request, obj=None):
        return False
