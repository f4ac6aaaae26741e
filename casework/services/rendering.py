"""PDFs of memos and meeting bundles: ask printing for a rendering of the current content."""

from __future__ import annotations

from casework import documents
from casework.models import (
    Meeting,
    Memo,
    RenderKind,
)
from printing import services as printing


def render_request(*, kind: str, memo: Memo | None = None, meeting: Meeting | None = None):
    """Queue a PDF of the memo or the meeting bundle, unless the same content is already
    rendered or on its way. Returns the RenderedDocument.

    The memo or meeting is read afresh: its state now decides whether the document is a
    `sent_version` (for the nämnd) or stays staff-only, whatever the caller's copy says."""
    if kind == RenderKind.MEMO:
        memo = Memo.objects.select_related("case__committee", "administration").get(pk=memo.pk)
        source = documents.memo_source(memo)
    else:
        meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)
        source = documents.bundle_source(meeting, internal=kind == RenderKind.BUNDLE_INTERNAL)
    return printing.request(source, subject=memo if kind == RenderKind.MEMO else meeting)
