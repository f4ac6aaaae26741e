"""The sent reports of a meeting in the reading room (registered with
`casework.meeting_papers`): the PDF rendered from the frozen report, readable by whoever
`reports.pdf_access` lets read it. The report's PDF is also printed in the meeting bundle
after the memo that presents it (the public bundle only the sent version), and a verksamhetsplan
is listed in its memo's Handlingar (the follow-up reports are not, as in the sources)."""

import hashlib

from django.core.files.storage import default_storage

from casework.meeting_papers import (
    register_bundle_enclosures,
    register_handlingar,
    register_meeting_papers,
)
from casework.models import Memo
from printing.models import RenderedDocument, RenderStatus
from reports.models import Report
from reports.services import RENDER_KIND
from solna_sn.lib import pdf as pdflib


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


def report_enclosures(memo_ids, internal: bool) -> dict[int, list[dict]]:
    """{memo_id: [the latest finished PDF of the report the memo presents]}; for the public
    bundle only a sent version (for the nämnd)."""
    reports = dict(
        Report.objects.filter(memo_id__in=memo_ids).values_list("pk", "memo_id").order_by("pk")
    )
    if not reports:
        return {}
    documents = (
        RenderedDocument.objects.for_subjects("reports.report", reports)
        .filter(status=RenderStatus.DONE, kind=RENDER_KIND)
        .exclude(file="")
        .order_by("finished_at", "pk")
    )
    if not internal:
        documents = documents.filter(sent_version=True)
    latest: dict[int, RenderedDocument] = {}
    for document in documents:
        latest[document.subject_id] = document  # the latest wins
    enclosures: dict[int, list[dict]] = {}
    for report_id, document in sorted(latest.items()):
        try:
            with default_storage.open(document.file.name, "rb") as handle:
                data = handle.read()
            pages = pdflib.inspect_pdf(data).pages
        except (OSError, pdflib.PdfError):
            continue  # the renderer would refuse it: the reading room still lists the report
        enclosures.setdefault(reports[report_id], []).append(
            {
                "name": document.file.name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "pages": pages,
                "title": document.title,
            }
        )
    return enclosures


def plan_handlingar(memo_ids) -> dict[int, list[str]]:
    """{memo_id: ["Verksamhetsplan och budget 2025"]} for every revision of the memo of a
    verksamhetsplan's ärende."""
    cases = dict(Memo.objects.filter(pk__in=memo_ids).values_list("pk", "case_id"))
    titles: dict[int, list[str]] = {}
    for case_id, title in (
        Report.objects.filter(kind__plan=True, case_id__in=set(cases.values()))
        .order_by("year", "pk")
        .values_list("case_id", "title")
    ):
        titles.setdefault(case_id, []).append(title)
    return {memo_id: titles[case_id] for memo_id, case_id in cases.items() if case_id in titles}


register_meeting_papers(sent_reports)
register_bundle_enclosures(report_enclosures)
register_handlingar(plan_handlingar)
