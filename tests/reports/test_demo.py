"""The demo reports: the sent delårsrapport and the årsredovisning in progress."""

import io

import pytest
from django.core.management import call_command

from reports.models import Report, ReportState

pytestmark = pytest.mark.django_db


def test_demo_loads_a_sent_delarsrapport_and_an_annual_report_in_progress():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    delar = Report.objects.get(kind__code="delarsrapport", year=2024)
    assert delar.state == ReportState.SENT and delar.is_frozen
    assert delar.case.dnr == "SN/2023:1" and str(delar.meeting.date) == "2024-10-07"
    assert delar.sections.filter(title="Sammanfattning").get().frozen_body
    assert delar.corrections.exists()
    annual = Report.objects.get(kind__code="arsredovisning", year=2024)
    assert annual.state == ReportState.DRAFT and annual.carried_from == delar
    done = annual.sections.filter(mode="written", status="klar").count()
    assert 0 < done < annual.sections.filter(mode="written").count()
    assert annual.sections.filter(carried_over=True).exists()
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    assert Report.objects.count() == 2
    print(out.getvalue())
