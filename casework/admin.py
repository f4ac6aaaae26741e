"""Read-only overviews for administrators. Ärenden, tjänsteskrivelser and sammanträden change
only through the app's own pages (services: checked, audited); the admin shows them."""

from django.contrib import admin

from casework.models import Case, Meeting, Memo
from solna_sn.admin import ReadOnlyAdmin


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
