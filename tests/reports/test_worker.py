"""Through a real Celery worker and the Redis broker: render the demo Delårsrapport per
augusti 2024 and read the PDF (table of contents with page numbers, figures from the data,
a goal assessment, a verksamhetsmått value, PDF/UA)."""

import io
import os
import re
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.management import call_command
from pypdf import PdfReader

from printing.models import RenderedDocument, RenderStatus
from reports import assembly, demo, printed, services
from reports.models import Report
from solna_sn.celery import app
from solna_sn.lib import pdf as pdflib
from solna_sn.models import User
from tests.pdf_checks import assert_accessible, stored_bytes

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker(transactional_db):
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs the Redis broker that `make test` starts")
    app.control.purge()  # messages queued by other tests for rows that no longer exist
    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10
    ) as worker:
        yield worker


def wait_for(predicate, timeout=180.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def render_in_worker(report, out_variable: str):
    """Request the report's PDF as the report page does and wait for the real worker; the
    document and its bytes (also written to $out_variable when set, to look at the pages)."""
    sections = report.sections.select_related("writer", "unit", "last_writer").order_by("order")
    html = printed.report_html(assembly.assemble(report, sections))
    chief = User.objects.get(username="forvaltningschef")
    document = services.pdf_request(report=report, html=html, by=chief)
    assert wait_for(
        lambda: (
            RenderedDocument.objects.get(pk=document.pk).status
            in (RenderStatus.DONE, RenderStatus.FAILED)
        )
    )
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE, document.error
    pdf = stored_bytes(document)
    if path := os.environ.get(out_variable):
        with open(path, "wb") as handle:
            handle.write(pdf)
    return document, pdf


def test_the_worker_renders_the_demo_delarsrapport(celery_worker, monkeypatch):
    monkeypatch.setattr(demo, "render_sent", lambda **kwargs: 0)  # the worker renders it here
    call_command("load_demo", stdout=io.StringIO())
    report = Report.objects.get(kind__code="delarsrapport", year=2024)
    document, pdf = render_in_worker(report, "REPORT_PDF_OUT")
    assert document.sent_version and document.page_count > 10
    text = pdflib.text_of(pdf)
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    toc = next(page for page in pages if "Innehållsförteckning" in page)
    entries = re.findall(r"^(\S.*?) ?\.{3,} ?(\d+)$", toc, re.MULTILINE)
    titles = {title for title, _ in entries}
    assert {"Sammanfattning", "Ekonomisk analys", "Verksamhetsmått"} <= titles, toc
    for title, number in entries:  # each entry's page number is where its heading is
        assert title in pages[int(number) - 1].splitlines(), (title, number)
    assert "-138,2" in text
    assert "7,1 %" in text
    assert "Målet uppfylls i år" in text
    assert "10 210" in text
    assert_accessible(pdf, html=document.html)


def test_the_worker_renders_the_demo_verksamhetsplan(celery_worker, monkeypatch):
    """The demo Verksamhetsplan och budget 2025 as sent: the goal table with Agenda 2030, an
    activity, the driftbudget's -231,2 and a row of the konkurrensplan."""
    monkeypatch.setattr(demo, "render_sent", lambda **kwargs: 0)  # the worker renders it here
    call_command("load_demo", stdout=io.StringIO())
    plan = Report.objects.get(kind__code="verksamhetsplan", year=2025)
    document, pdf = render_in_worker(plan, "PLAN_PDF_OUT")
    assert document.sent_version
    text = pdflib.text_of(pdf)
    flat = " ".join(text.split())
    assert "Övergripande mål Nämndmål" in flat  # the goal table's header row
    assert "Socialnämnden ska säkerställa att barn och ungdomar inte far illa." in flat
    assert "Arbeta för ökad klientkontakt och delaktighet" in flat  # an activity
    assert "Aktiviteter Beskrivning" in flat
    assert "-231,2" in text
    assert "Avrop av fordon till socialförvaltningen SN/2023:94" in flat  # the konkurrensplan
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    toc = next(page for page in pages if "Innehållsförteckning" in page)
    entries = re.findall(r"^(\S.*?) ?\.{3,} ?(\d+)$", toc, re.MULTILINE)
    assert {"Mål och uppdrag", "Ekonomi", "Konkurrensutsättning"} <= {t for t, _ in entries}
    assert_accessible(pdf, html=document.html)
