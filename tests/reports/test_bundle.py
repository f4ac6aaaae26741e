"""The sent delårsrapport printed in the meeting's bundle after the memo that presents it,
spliced in from its stored PDF like an uploaded enclosure (casework.meeting_papers)."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from casework import documents
from casework.models import Meeting, RenderKind
from casework.services import render_request
from printing import services as printing
from printing.models import RenderedDocument, RenderStatus
from reports.models import Report
from solna_sn.lib import pdf as pdflib
from tests.pdf_checks import assert_document_accessible

pytestmark = pytest.mark.django_db


def test_the_public_bundle_prints_the_sent_report_after_its_memo():
    call_command("load_demo", stdout=io.StringIO())
    report = Report.objects.get(kind__code="delarsrapport", year=2024)
    meeting = Meeting.objects.get(date="2024-10-07")
    report_pdf = RenderedDocument.objects.for_subject(report).get()
    assert report_pdf.sent_version

    document = render_request(kind=RenderKind.BUNDLE_PUBLIC, meeting=meeting)
    assert document.status == RenderStatus.QUEUED  # new content: the report is in it
    titles = [insert["title"] for insert in document.inserts]
    assert report.title in titles
    printing.run(document.pk)
    pdf = assert_document_accessible(document)
    assert document.sent_version
    assert "-138,2" in pdflib.text_of(pdf)
    label = meeting.items.get(memo=report.memo).label
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    memo_page = next(
        number
        for number, page in enumerate(pages)
        if f"ÄRENDE {label}" in page.splitlines() and report.memo.title in page
    )
    report_pages = [number for number, page in enumerate(pages) if "Resultaträkning" in page]
    assert report_pages and min(report_pages) > memo_page
    cover = next(n for n, page in enumerate(pages) if "rapporten behandlas på" in page)
    assert cover > memo_page  # the report follows its memo, before the next item
    assert not any(page.startswith("ÄRENDE ") for page in pages[memo_page + 1 : cover + 1])
    assert any("-138,2" in pages[number] for number in range(memo_page + 1, len(pages)))
    assert f"Bilaga: {report.title}" in document.html


def test_a_draft_report_pdf_is_only_in_the_internal_bundle():
    call_command("load_demo", stdout=io.StringIO())
    report = Report.objects.get(kind__code="delarsrapport", year=2024)
    meeting = Meeting.objects.get(date="2024-10-07")
    RenderedDocument.objects.for_subject(report).update(sent_version=False)
    _, public = documents.bundle_html(meeting, internal=False)
    _, internal = documents.bundle_html(meeting, internal=True)
    assert report.title not in [insert["title"] for insert in public]
    assert report.title in [insert["title"] for insert in internal]
