"""The configurable scales are kept by the administratör; plans and results change only
through the app's own pages (read-only overview here)."""

from django.contrib import admin

from controls.models import ControlPlan, ControlSettings, DeviationLevel
from solna_sn.admin import RoleAdmin


@admin.register(ControlSettings)
class ControlSettingsAdmin(RoleAdmin):
    list_display = ("committee", "scale_max")


@admin.register(DeviationLevel)
class DeviationLevelAdmin(RoleAdmin):
    list_display = ("committee", "rank", "symbol", "label", "active")
    list_filter = ("committee", "active")
    ordering = ("committee", "rank")


@admin.register(ControlPlan)
class ControlPlanAdmin(RoleAdmin):
    list_display = ("__str__", "committee", "state", "adopted_on", "decision_reference")
    list_filter = ("state", "year")
    readonly_fields = [f.name for f in ControlPlan._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
