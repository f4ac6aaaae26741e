"""The PDF pipeline run in-process on PostgreSQL: content hashing, the stored file, PDF/UA
metadata, failures and retries, a worker that died mid-job, local-only fetching."""

import http.server
import io
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from casework import documents, services
from casework.models import RenderKind
from printing import services as printing_services
from printing.models import RenderedDocument, RenderStatus
from solna_sn.lib import pdf as pdflib
from solna_sn.lib import pdfua
from tests.casework.conftest import fill, pdf_bytes, upload
from tests.pdf_checks import assert_accessible, assert_document_accessible


def render_now(**kwargs):
    document = services.render_request(**kwargs)
    printing_services.run(document.pk)
    document.refresh_from_db()
    return document


def stored_pdf(document) -> bytes:
    with default_storage.open(document.file.name, "rb") as handle:
        return handle.read()


def test_memo_pdf_has_the_memo_and_pdf_ua_metadata(memo, handlaggare):
    services.memo_signatory_add(memo=memo, by=handlaggare, name="Emma Ling", title="Enhetschef")
    document = render_now(kind=RenderKind.MEMO, memo=memo)
    assert document.status == RenderStatus.DONE, document.error
    data = stored_pdf(document)
    assert_accessible(data, document.html)
    reader = PdfReader(io.BytesIO(data))
    text = pdflib.text_of(data)
    assert document.page_count == len(reader.pages) == 1
    for expected in (
        "Tjänsteskrivelse",
        "SN/2024:70",
        "2024-08-27",
        "Förslag till beslut",
        "Socialnämnden godkänner överenskommelse",
        "Tjänsteskrivelse daterad 2024-08-27",
        "Mikael Olofsson",
        "Emma Ling",
        "Enhetschef",
        "Beslutet expedieras till:",
        "sida 1 (1)",
        "438 000 kr/år",
    ):
        assert expected in text, expected
    assert text.index("Mikael Olofsson") < text.index("Emma Ling")
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "sv"
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert (
        reader.metadata.title
        == "Tjänsteskrivelse SN/2024:70 Överenskommelse om finansiering av Barnahus Stockholm"
    )
    fonts = {
        font.get_object()["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Source-Sans-3" in name for name in fonts)
    for font in (f.get_object() for p in reader.pages for f in p["/Resources"]["/Font"].values()):
        descendant = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"], "font not embedded"


def test_the_same_content_is_never_rendered_twice(memo):
    first = render_now(kind=RenderKind.MEMO, memo=memo)
    again = services.render_request(kind=RenderKind.MEMO, memo=memo)
    assert again.pk == first.pk and again.status == RenderStatus.DONE
    assert RenderedDocument.objects.count() == 1


def test_changed_content_gets_a_new_pdf(memo, handlaggare):
    first = render_now(kind=RenderKind.MEMO, memo=memo)
    memo = fill(memo, handlaggare, summary="Ny sammanfattning.")
    second = render_now(kind=RenderKind.MEMO, memo=memo)
    assert second.pk != first.pk and second.content_hash != first.content_hash
    assert "Ny sammanfattning." in pdflib.text_of(stored_pdf(second))
    assert "Ny sammanfattning." not in pdflib.text_of(stored_pdf(first))


def test_a_worker_that_died_mid_job_can_run_it_again(memo):
    document = services.render_request(kind=RenderKind.MEMO, memo=memo)
    # The first worker claimed the job and wrote half a file before it died.
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=RenderStatus.RUNNING, started_at=timezone.now() - printing_services.STALE_AFTER * 2
    )
    name = printing_services.storage_name(document)
    default_storage.save(name, ContentFile(b"%PDF-1.7 halv"))
    document.refresh_from_db()
    assert document.file.name == ""  # nothing points at the half-written file
    assert printing_services.is_stuck(document)
    printing_services.run(document.pk)  # the broker redelivers the message
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE and document.attempts == 1
    assert PdfReader(io.BytesIO(stored_pdf(document))).pages


def test_a_done_job_is_not_rendered_again_on_redelivery(memo):
    document = render_now(kind=RenderKind.MEMO, memo=memo)
    finished = document.finished_at
    printing_services.run(document.pk)
    document.refresh_from_db()
    assert document.finished_at == finished and document.attempts == 1


def test_a_broken_attachment_fails_the_bundle_with_a_message_and_can_be_retried(
    approved_memo, handlaggare, granskare, committee
):
    import datetime

    services.memo_return(memo=approved_memo, by=granskare, comment="Bifoga avtalet.")
    original = pdf_bytes("Avtalets text", pages=2)
    memo = services.memo_attachment_upload(
        memo=approved_memo, title="Överenskommelse", upload=upload(original), by=handlaggare
    ).memo
    services.memo_submit(memo=memo, by=handlaggare)
    services.memo_approve(memo=memo, by=granskare)
    meeting = services.meeting_create(
        committee=committee,
        date=datetime.date(2024, 10, 7),
        time=datetime.time(18),
        place="Stadshuset",
        by=granskare,
    )
    services.agenda_item_add(meeting=meeting, case=memo.case, by=granskare)
    attachment = memo.attachments.get()
    with default_storage.open(attachment.file.name, "rb") as handle:
        backup = handle.read()  # as stored: cleaned on upload, so not byte-equal to `original`
    # The stored file is damaged after upload.
    default_storage.delete(attachment.file.name)
    default_storage.save(attachment.file.name, ContentFile(b"%PDF-1.7 trasig"))
    document = render_now(kind=RenderKind.BUNDLE_INTERNAL, meeting=meeting)
    assert document.status == RenderStatus.FAILED
    assert document.error == "Bilagan ”Överenskommelse” har ändrats sedan den laddades upp."
    assert not document.file
    # Repaired from backup: the same content is retried, now with the attachment spliced in.
    default_storage.delete(attachment.file.name)
    default_storage.save(attachment.file.name, ContentFile(backup))
    assert (
        services.render_request(kind=RenderKind.BUNDLE_INTERNAL, meeting=meeting).pk == document.pk
    )
    printing_services.retry(document=document, by=granskare)
    printing_services.run(document.pk)
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE, document.error
    text = pdflib.text_of(assert_document_accessible(document))  # the enclosure spliced in
    assert "Avtalets text sida 1" in text and "Avtalets text sida 2" in text
    assert text.index("Tjänsteskrivelse daterad") < text.index("Avtalets text sida 1")


def test_retry_only_after_failure(memo, handlaggare):
    document = render_now(kind=RenderKind.MEMO, memo=memo)
    with pytest.raises(services.StateError):
        printing_services.retry(document=document, by=handlaggare)


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_remote_urls_in_content_are_never_fetched():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        html = (
            '<!DOCTYPE html><html lang="sv"><head><title>T</title>'
            f'<link rel="stylesheet" href="{url}/x.css"></head>'
            f'<body><p>Text</p><img src="{url}/bild.png" alt="Bild">'
            '<img src="file:///etc/passwd" alt="Lokal fil utanför"></body></html>'
        )
        rendered = pdflib.render_html(html, base_dir=printing_services.static_dir())
    finally:
        server.shutdown()
    assert _Counter.hits == 0
    assert rendered.pages == 1


def test_a_long_agenda_repeats_its_table_header_on_every_page(committee, granskare):
    import datetime

    from pypdf import PdfReader

    meeting = services.meeting_create(
        committee=committee,
        date=datetime.date(2024, 10, 7),
        time=datetime.time(18),
        place="Stadshuset",
        by=granskare,
    )
    for n in range(1, 46):
        services.agenda_item_add(
            meeting=meeting, title=f"Punkt nummer {n} med en lagom lång rubrik", by=granskare
        )
    html, _ = documents.bundle_html(meeting, internal=False)
    rendered = pdflib.render_html(html, base_dir=printing_services.static_dir())
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "Nr Ärende Dnr Sida" in text, number
        assert f"sida {number} ({len(pages)})" in text
    # No row is split: every title is whole on exactly one page.
    for n in range(1, 46):
        title = f"Punkt nummer {n} med en lagom lång rubrik"
        assert sum(title in " ".join(text.split()) for text in pages) == 1, title
    assert_accessible(pdfua.postprocess(rendered.pdf, html=html), html)  # one Table, one head


def test_other_documents_go_through_the_same_pipeline(db, django_capture_on_commit_callbacks):
    html = (
        '{% extends "printing/report.html" %}{% block doctype %}Rapport{% endblock %}'
        "{% block content %}<h1>Testrapport</h1><p>Summa 1 023 kr.</p>{% endblock %}"
    )
    from django.template import Context, Engine

    engine = Engine.get_default()
    rendered = engine.from_string(html).render(Context({"document_title": "Testrapport"}))
    with django_capture_on_commit_callbacks() as callbacks:
        document = printing_services.request_report(
            subject=("tests.report", 1), title="Testrapport", html=rendered
        )
    assert len(callbacks) == 1  # queued for the worker
    assert document.kind == printing_services.REPORT
    again = printing_services.request_report(
        subject=("tests.report", 1), title="Testrapport", html=rendered
    )
    assert again.pk == document.pk  # same content, same PDF
    printing_services.run(document.pk)
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE, document.error
    text = pdflib.text_of(assert_document_accessible(document))
    assert "Testrapport" in text and "1 023 kr" in text and "sida 1 (1)" in text
    assert printing_services.latest(("tests.report", 1)) == document
    assert printing_services.latest(("tests.report", 2)) is None
