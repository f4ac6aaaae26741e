"""The catalogues of goals are kept by the administratör: level definitions, scales with their
steps, the uppdrag settings and the 17 Agenda 2030 goals. Goals, mått, aktiviteter, uppdrag
and assessments change only through the app's own pages (audited services)."""

from django.contrib import admin

from goals.models import Agenda2030Goal, GoalSettings, Level, PlanYear, Scale, ScaleStep
from solna_sn import permissions
from solna_sn.admin import RoleAdmin


class ScaleStepInline(admin.TabularInline):
    model = ScaleStep
    extra = 0
    fields = ("rank", "symbol", "label", "colour")

    def has_view_permission(self, request, obj=None):
        return permissions.can_administer(request.user)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission


@admin.register(Scale)
class ScaleAdmin(RoleAdmin):
    list_display = ("name", "code", "committee", "introduction")
    list_filter = ("committee",)
    inlines = [ScaleStepInline]


@admin.register(Level)
class LevelAdmin(RoleAdmin):
    list_display = (
        "name",
        "order",
        "committee",
        "decided_by",
        "takes_measures",
        "takes_activities",
        "takes_agenda2030",
        "takes_assessments",
        "scale",
    )
    list_filter = ("committee",)
    ordering = ("committee", "order")


@admin.register(GoalSettings)
class GoalSettingsAdmin(RoleAdmin):
    list_display = ("committee", "assignment_scale", "ongoing_heading")


@admin.register(Agenda2030Goal)
class Agenda2030GoalAdmin(RoleAdmin):
    list_display = ("number", "name")
    ordering = ("number",)


@admin.register(PlanYear)
class PlanYearAdmin(RoleAdmin):
    """Read-only overview: years are created and copied on the goal pages."""

    list_display = ("__str__", "committee", "copied_from", "created_at")
    readonly_fields = [f.name for f in PlanYear._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
