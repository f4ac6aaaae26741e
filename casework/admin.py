"""Read-only overviews for administrators. Ärenden, tjänsteskrivelser and sammanträden change
only through the app's own pages (services: checked, audited); the admin shows them and the
PDF renderings, failed ones included."""

from django.contrib import admin

from casework.models import Case, Meeting, Memo, RenderedDocument
from solna_sn.admin import RoleAdmin


class ReadOnlyAdmin(RoleAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("dnr", "title", "unit", "registered_on")
    search_fields = ("dnr", "title")
    list_filter = ("year", "unit")


@admin.register(Memo)
class MemoAdmin(ReadOnlyAdmin):
    list_display = ("title", "case", "revision", "state", "date", "unit")
    list_filter = ("state", "unit")
    search_fields = ("title", "case__dnr")
    list_select_related = ("case", "unit")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("date", "time", "place", "committee", "sent_at")


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "kind",
        "sent_version",
        "status",
        "page_count",
        "attempts",
        "requested_at",
        "error",
    )
    list_filter = ("status", "kind", "sent_version")
    exclude = ("html",)
