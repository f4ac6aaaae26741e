"""The demo reports: the sent delårsrapport and the årsredovisning in progress."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx import Document

from printing.models import RenderedDocument, RenderStatus
from reports.models import Report, ReportState
from solna_sn.models import User

pytestmark = pytest.mark.django_db


def test_demo_loads_a_sent_delarsrapport_and_an_annual_report_in_progress():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    delar = Report.objects.get(kind__code="delarsrapport", year=2024)
    assert delar.state == ReportState.SENT and delar.is_frozen
    assert delar.case.dnr == "SN/2023:1" and str(delar.meeting.date) == "2024-10-07"
    assert delar.sections.filter(title="Sammanfattning").get().frozen_body
    assert delar.corrections.exists()
    assert delar.memo.title == "Delårsrapport per augusti 2024" and delar.memo.is_frozen
    pdf = RenderedDocument.objects.for_subject(delar).get()
    assert pdf.status == RenderStatus.DONE and pdf.sent_version and pdf.page_count > 10
    client = Client()
    client.force_login(User.objects.get(username="namndledamot"))
    room = client.get(reverse("casework:reading_room")).content.decode()
    link = reverse("printing:render_file", args=[pdf.token])
    assert f'href="{link}"' in room and "Delårsrapport per augusti 2024 (PDF," in room
    assert client.get(link).status_code == 200
    annual = Report.objects.get(kind__code="arsredovisning", year=2024)
    assert annual.state == ReportState.DRAFT and annual.carried_from == delar
    done = annual.sections.filter(mode="written", status="klar").count()
    assert 0 < done < annual.sections.filter(mode="written").count()
    assert annual.sections.filter(carried_over=True).exists()
    # The review round shows in the redline, and the Word file has the sent texts and tables.
    staff = Client()
    staff.force_login(User.objects.get(username="forvaltningschef"))
    compare = staff.get(reverse("reports:report_compare", args=[delar.pk])).content.decode()
    assert "tillagt: </span>Kostnaderna för placeringar följs upp månadsvis" in compare
    docx = staff.get(reverse("reports:report_word", args=[delar.pk])).content
    document = Document(io.BytesIO(docx))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    toc = [s.title for s in delar.sections.filter(in_toc=True).exclude(title="").order_by("order")]
    assert [h for h in headings if h in toc] == toc
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert "-138,2" in cells and "7,1" in cells
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    assert Report.objects.count() == 3  # and the Verksamhetsplan och budget 2025
    print(out.getvalue())
