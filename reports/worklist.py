"""What waits in rapporter: sections assigned to me that are not klar, reports in review
(förvaltningsledning) and reports returned with the reviewer's comment to their creator."""

from django.urls import reverse

from reports.models import Report, ReportSection, ReportState, SectionStatus
from solna_sn import permissions
from solna_sn.worklist import MAX_LINES, Line, register


def report_lines(user) -> list[Line]:
    if not permissions.can_view_reports(user):
        return []
    lines = []
    sections = (
        ReportSection.objects.filter(writer=user, report__state=ReportState.DRAFT)
        .exclude(status=SectionStatus.DONE)
        .select_related("report")
        .order_by("report__year", "report_id", "order")[:MAX_LINES]
    )
    for section in sections:
        lines.append(
            Line(
                f"Skriv avsnittet ”{section}” i {section.report.title}",
                reverse("reports:section_edit", args=[section.pk]),
                "att skriva",
            )
        )
    if permissions.can_manage_reports(user):
        for report in Report.objects.filter(state=ReportState.REVIEW).order_by("year", "pk")[
            :MAX_LINES
        ]:
            lines.append(
                Line(
                    f"Granska rapporten {report.title}",
                    reverse("reports:report_detail", args=[report.pk]),
                    "granska",
                )
            )
    returned = (
        Report.objects.filter(created_by=user, state=ReportState.DRAFT)
        .exclude(review_comment="")
        .order_by("year", "pk")[:MAX_LINES]
    )
    for report in returned:
        lines.append(
            Line(
                f"Rapporten {report.title} har återförts",
                reverse("reports:report_detail", args=[report.pk]),
                "återförd",
                detail=report.review_comment,
            )
        )
    return lines


register(report_lines)
