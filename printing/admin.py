"""Read-only overview of the rendered PDFs for administrators, failed ones included."""

from django.contrib import admin

from printing.models import RenderedDocument
from solna_sn.admin import ReadOnlyAdmin


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "kind",
        "subject_type",
        "sent_version",
        "status",
        "page_count",
        "attempts",
        "requested_at",
        "error",
    )
    list_filter = ("status", "kind", "subject_type", "sent_version")
    exclude = ("html",)
