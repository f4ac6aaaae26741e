"""Templates for ordinarie follow-ups are a catalogue kept by administrators (audited by
RoleAdmin). Avtal, upphandlingar and uppföljningar change only through the app's pages."""

from django.contrib import admin

from contracts.models import FollowUpTemplate, Supplier, TemplateArea, TemplateItem
from solna_sn.admin import RoleAdmin


class TemplateAreaInline(admin.TabularInline):
    model = TemplateArea
    extra = 1
    show_change_link = True


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 1


@admin.register(FollowUpTemplate)
class FollowUpTemplateAdmin(RoleAdmin):
    list_display = ("name",)
    inlines = [TemplateAreaInline]


@admin.register(TemplateArea)
class TemplateAreaAdmin(RoleAdmin):
    list_display = ("template", "number", "title")
    list_filter = ("template",)
    inlines = [TemplateItemInline]


@admin.register(Supplier)
class SupplierAdmin(RoleAdmin):
    """Read-only: suppliers are created with their contracts (org numbers checked there)."""

    list_display = ("name", "org_number")
    search_fields = ("name", "org_number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
