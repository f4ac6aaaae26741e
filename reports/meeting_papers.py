"""The sent reports of a meeting in the reading room (registered with
`casework.meeting_papers`): the PDF rendered from the frozen report, readable by whoever
`reports.pdf_access` lets read it."""

from casework.meeting_papers import register_meeting_papers
from printing.models import RenderedDocument, RenderStatus
from reports.models import Report
from reports.services import RENDER_KIND


def sent_reports(meeting_ids, user) -> dict[int, list[RenderedDocument]]:
    reports = dict(
        Report.objects.filter(meeting_id__in=meeting_ids, sent_at__isnull=False).values_list(
            "pk", "meeting_id"
        )
    )
    if not reports:
        return {}
    latest: dict[int, RenderedDocument] = {}
    documents = (
        RenderedDocument.objects.readable_by(user)
        .for_subjects("reports.report", reports)
        .filter(status=RenderStatus.DONE, sent_version=True, kind=RENDER_KIND)
        .order_by("finished_at")
    )
    for document in documents:
        latest[document.subject_id] = document  # the latest wins
    papers: dict[int, list[RenderedDocument]] = {}
    for report_id, document in sorted(latest.items(), key=lambda pair: pair[1].title):
        papers.setdefault(reports[report_id], []).append(document)
    return papers


register_meeting_papers(sent_reports)
