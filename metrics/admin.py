from django.contrib import admin

from metrics.models import Metric, MetricCategory, MetricRule, MetricTitle
from solna_sn.admin import RoleAdmin


@admin.register(MetricCategory)
class MetricCategoryAdmin(RoleAdmin):
    list_display = ("title", "code", "sort_order")


class MetricRuleInline(admin.TabularInline):
    model = MetricRule
    fk_name = "metric"
    extra = 0

    def has_view_permission(self, request, obj=None):
        return RoleAdmin.has_view_permission(self, request, obj)

    def has_add_permission(self, request, obj=None):
        return RoleAdmin.has_view_permission(self, request, obj)

    has_change_permission = has_delete_permission = has_view_permission


class MetricTitleInline(admin.TabularInline):
    """Earlier titles (as units keep earlier names); the Excel import matches them."""

    model = MetricTitle
    extra = 0
    fields = ("title", "valid_from", "valid_to")

    def has_view_permission(self, request, obj=None):
        return RoleAdmin.has_view_permission(self, request, obj)

    def has_add_permission(self, request, obj=None):
        return RoleAdmin.has_view_permission(self, request, obj)

    has_change_permission = has_delete_permission = has_view_permission


@admin.register(Metric)
class MetricAdmin(RoleAdmin):
    list_display = (
        "title",
        "category",
        "code",
        "measure_unit",
        "owner",
        "aggregation",
        "valid_from",
        "valid_to",
    )
    list_filter = ("category", "owner", "aggregation")
    search_fields = ("title", "code")
    inlines = [MetricTitleInline, MetricRuleInline]
    autocomplete_fields = ("predecessor",)
