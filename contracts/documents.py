"""Print HTML of avtalsuppföljningar: the same document for the PDF and the browser preview.
Built here only; views and reports ask for it."""

from django.template.loader import render_to_string

from contracts import reporting
from contracts.models import FollowUpKind


def document_title(followup) -> str:
    """The title of the printed follow-up, the same as its tjänsteskrivelse's."""
    return reporting.memo_title(followup)


def followup_html(followup, *, asset_base: str = "", preview_back_url: str = "") -> str:
    """The printed follow-up: the same template for the PDF and the browser preview."""
    return render_to_string(
        "contracts/print/followup.html",
        {
            "followup": followup,
            "contract": followup.contract,
            "areas": reporting.areas(followup),
            "counts": reporting.rating_counts(followup),
            "checklist": reporting.checklist(followup),
            "ordinary": followup.kind == FollowUpKind.ORDINARY,
            "document_title": document_title(followup),
            "document_date": followup.completed_on,
            "asset_base": asset_base,
            "preview_back_url": preview_back_url,
        },
    )
