from django.contrib import admin

from reports.generators.base import REGISTRY
from reports.models import OutlineSection, Report, ReportKind


class OutlineInline(admin.TabularInline):
    model = OutlineSection
    fk_name = "kind"
    extra = 0
    fields = ("order", "title", "level", "mode", "generator", "in_toc", "anvisning", "default_text")
    ordering = ("order",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "generator" and field is not None:
            field.help_text = "Finns: " + ", ".join(sorted(REGISTRY))
        return field


@admin.register(ReportKind)
class ReportKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "period", "committee")
    inlines = [OutlineInline]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("title", "state", "case", "meeting", "sent_at")
    list_filter = ("state", "kind")
    readonly_fields = ("sent_at", "sent_by", "sent_warnings", "frozen_figures", "approved_at")

    def has_delete_permission(self, request, obj=None):
        return False
