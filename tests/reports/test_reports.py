"""The report engine on PostgreSQL: outlines, carry-over, locking, four-eyes, freeze, access."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from casework.models import Meeting
from printing.models import RenderedDocument, RenderStatus
from reports import services
from reports.models import Report, ReportKind, ReportState, SectionVersion
from solna_sn.errors import StaleEditError, StateError
from solna_sn.models import AuditEntry
from tests.reports.conftest import DATA, written

pytestmark = pytest.mark.django_db


def _finish(report, people):
    for section in report.sections.filter(mode="written"):
        services.section_save(
            section=section, version=section.version, body="<p>Klart.</p>", by=people["writer"]
        )
        services.section_mark(section=section, done=True, by=people["writer"])


def _approve(report, people):
    services.report_submit(report=report, by=people["writer"])
    return services.report_approve(report=report, by=people["granskare"])


# --- Outline -----------------------------------------------------------------------------------


def test_seeded_kinds_carry_the_outline_of_the_sources(committee):
    kinds = services.kinds_seed(committee=committee)
    assert [k.code for k in kinds] == [
        "budgetuppfoljning",
        "delarsrapport",
        "arsredovisning",
        "verksamhetsplan",
    ]
    assert [k.plan for k in kinds] == [False, False, False, True]
    delar = ReportKind.objects.get(code="delarsrapport")
    titles = [s.title for s in delar.outline.order_by("order") if s.in_toc]
    assert titles[:4] == [
        "Förvaltningsberättelse",
        "Sammanfattning",
        "Händelser av väsentlig betydelse",
        "Styrning och uppföljning av den kommunala verksamheten",
    ]
    assert titles[-1] == "Återrapportering av vissa nämndbeslut"
    generators = set(delar.outline.exclude(generator="").values_list("generator", flat=True))
    assert {"goals.follow_up", "economy.resultatrakning", "metrics.verksamhetsmatt"} <= generators
    assert delar.outline.get(title="Nämndmål").parent.title == "Mål och uppdrag"
    services.kinds_seed(committee=committee)  # idempotent
    assert ReportKind.objects.filter(committee=committee).count() == 4


def test_report_sections_follow_the_outline_and_headings_match_the_toc(report, people, client):
    assert [s.title for s in report.sections.order_by("order")] == [
        "Förvaltningsberättelse",
        "Sammanfattning",
        "Ekonomisk analys",
        "",
    ]
    client.force_login(people["granskare"])
    html = client.get(reverse("reports:report_preview", args=[report.pk])).content.decode()
    assert html.count("Sammanfattning") == 2  # the TOC entry and the heading, one title
    assert (
        "SN/2023:1, rapporten behandlas på socialnämndens sammanträde den 7 oktober 2024." in html
    )
    assert "-138,2" in html  # the generated table


def test_a_period_whose_plan_year_does_not_exist_gives_a_message(kind, case, people):
    with pytest.raises(ValidationError) as error:
        services.report_create(kind=kind, year=2024, case=case, by=people["granskare"])
    assert "inget målträd för 2024" in error.value.message_dict["year"][0]
    assert not Report.objects.exists()


def test_texts_are_carried_over_from_the_previous_report_as_drafts(report, people, committee, case):
    section = written(report, "Sammanfattning")
    services.section_save(section=section, version=1, body="<p>Delår.</p>", by=people["writer"])
    services.section_mark(section=section, done=True, by=people["writer"])
    year_kind = ReportKind.objects.create(
        committee=committee, code="arsredovisning", name="Årsredovisning", period="helar"
    )
    for outline in report.kind.outline.all():
        outline.pk = None
        outline.kind = year_kind
        outline.save()
    annual = services.report_create(
        kind=year_kind, year=2024, case=case, by=people["granskare"], carry_over=True
    )
    carried = written(annual, "Sammanfattning")
    assert carried.body == "<p>Delår.</p>" and carried.carried_over
    assert carried.status == "utkast"
    assert annual.carried_from == report


# --- Writing together --------------------------------------------------------------------------


def test_every_saved_version_is_kept(report, people):
    section = written(report, "Sammanfattning")
    section = services.section_save(section=section, version=1, body="Ett.", by=people["writer"])
    section = services.section_save(section=section, version=2, body="Två.", by=people["writer"])
    assert list(SectionVersion.objects.filter(section=section).values_list("version", "body")) == [
        (3, "<p>Två.</p>"),
        (2, "<p>Ett.</p>"),
    ]


def test_a_stale_save_is_refused_with_409_and_both_texts(report, people, client):
    section = written(report, "Sammanfattning")
    services.section_save(
        section=section, version=1, body="<p>Gretas text</p>", by=people["granskare"]
    )
    with pytest.raises(StaleEditError):
        services.section_save(section=section, version=1, body="x", by=people["writer"])
    client.force_login(people["writer"])
    response = client.post(
        reverse("reports:section_save", args=[section.pk]),
        {"body": "<p>Hannas text</p>", "version": 1},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Gretas text" in page and "Hannas text" in page
    assert "någon annan (Greta Sundin) har sparat en nyare version" in page
    section.refresh_from_db()
    assert section.body == "<p>Gretas text</p>"


def test_html_and_script_pasted_into_the_editor_are_stripped(report, people, client):
    section = written(report, "Sammanfattning")
    client.force_login(people["writer"])
    response = client.post(
        reverse("reports:section_save", args=[section.pk]),
        {
            "body": '<p style="x">Hej<script>alert(1)</script> <b>då</b></p><iframe></iframe>',
            "version": 1,
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == "<p>Hej då</p>"


def test_a_writer_editing_a_section_assigned_to_someone_else_is_refused(report, people, client):
    section = written(report, "Sammanfattning")
    with pytest.raises(PermissionDenied):
        services.section_save(section=section, version=1, body="x", by=people["other"])
    client.force_login(people["other"])
    url = reverse("reports:section_save", args=[section.pk])
    assert client.post(url, {"body": "x", "version": 1}).status_code == 403
    page = client.get(reverse("reports:section_edit", args=[section.pk])).content.decode()
    assert "Du kan läsa det men inte ändra det" in page
    section.refresh_from_db()
    assert section.body == ""


def test_presence_of_another_writer_is_shown(report, people, client):
    section = written(report, "Sammanfattning")
    services.section_assign(section=section, writer=None, by=people["granskare"])
    client.force_login(people["granskare"])
    client.get(reverse("reports:section_edit", args=[section.pk]))
    client.force_login(people["chief"])
    page = client.get(reverse("reports:section_edit", args=[section.pk])).content.decode()
    assert "Greta Sundin skriver i avsnittet sedan" in page


def test_report_page_shows_progress_and_filters_to_my_sections(report, people, client):
    section = written(report, "Sammanfattning")
    services.section_save(section=section, version=1, body="Text", by=people["writer"])
    services.section_mark(section=section, done=True, by=people["writer"])
    services.section_assign(
        section=written(report, "Ekonomisk analys"), writer=people["other"], by=people["chief"]
    )
    client.force_login(people["writer"])
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "1 av 2 avsnitt klara" in page
    assert "Olle Ek: Ekonomisk analys" in page
    mine = client.get(reverse("reports:report_detail", args=[report.pk]) + "?mina=1")
    assert "Sammanfattning" in mine.content.decode()
    assert ">Ekonomisk analys</a>" not in mine.content.decode()


# --- Workflow ----------------------------------------------------------------------------------


def test_the_last_writer_of_a_section_cannot_approve(report, people, client):
    section = written(report, "Sammanfattning")
    services.section_assign(section=section, writer=people["granskare"], by=people["chief"])
    services.section_save(section=section, version=1, body="Text", by=people["granskare"])
    services.report_submit(report=report, by=people["granskare"])
    with pytest.raises(StateError, match="fyraögonprincipen"):
        services.report_approve(report=report, by=people["granskare"])
    client.force_login(people["granskare"])
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "fyraögonprincipen" in page and ">Godkänn</button>" not in page
    services.report_approve(report=report, by=people["chief"])
    assert Report.objects.get(pk=report.pk).state == ReportState.APPROVED


def test_sending_with_warnings_needs_the_chiefs_confirmation(report, people):
    _approve(report, people)  # nothing written: sections not klar
    with pytest.raises(StateError, match="Bara förvaltningschefen"):
        services.report_send(report=report, by=people["granskare"], confirm_warnings=True)
    with pytest.raises(StateError, match="Bekräfta"):
        services.report_send(report=report, by=people["chief"])
    assert Report.objects.get(pk=report.pk).sent_at is None
    sent = services.report_send(report=report, by=people["chief"], confirm_warnings=True)
    assert sent.state == ReportState.SENT
    assert any("inte klarmarkerat" in w for w in sent.sent_warnings)
    entry = AuditEntry.objects.get(action="report.sent")
    assert entry.changes["varningar"][1] == sent.sent_warnings


def test_checks_list_typed_figures_and_missing_sources(report, people, client):
    section = written(report, "Sammanfattning")
    services.section_save(
        section=section,
        version=1,
        body='<p>Kostnaden -138,2 mkr och <span data-figure="test.borta">1,0</span>.</p>',
        by=people["writer"],
    )
    client.force_login(people["chief"])
    page = client.get(reverse("reports:report_checks", args=[report.pk])).content.decode()
    assert "-138,2 är skrivet som vanlig siffra" in page
    assert "saknar källa (test.borta)" in page
    assert "Avsnittet ”Ekonomisk analys” är inte klarmarkerat" in page


def test_a_sent_report_is_frozen_against_data_changes(report, people, client):
    section = written(report, "Sammanfattning")
    services.section_save(
        section=section,
        version=1,
        body='<p>Ökning <span data-figure="test.andel">x</span>.</p>',
        by=people["writer"],
    )
    _finish_others = [s for s in report.sections.filter(mode="written") if s.pk != section.pk]
    services.section_mark(section=section, done=True, by=people["writer"])
    for other in _finish_others:
        services.section_save(section=other, version=1, body="Klart.", by=people["writer"])
        services.section_mark(section=other, done=True, by=people["writer"])
    _approve(report, people)
    services.report_send(report=report, by=people["granskare"])
    DATA["andel"] = "7,0 %"  # the data are corrected after sending
    DATA["nettokostnad"] = "-140,0"
    client.force_login(people["chief"])
    html = client.get(reverse("reports:report_preview", args=[report.pk])).content.decode()
    assert "Ökning <span" in html and ">7,1 %</span>" in html and "-138,2" in html
    assert "7,0 %" not in html and "-140,0" not in html
    with pytest.raises(StateError, match="skickad till nämnden"):
        services.section_save(
            section=section, version=section.version + 1, body="x", by=people["chief"]
        )
    services.report_correction_add(report=report, text="Andelen är 7,0 %.", by=people["chief"])
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "Andelen är 7,0 %." in page


def test_the_memo_is_created_and_placed_on_the_meeting(report, people):
    memo = services.report_memo_create(report=report, by=people["granskare"])
    assert memo.decision_proposal == "Socialnämnden tar del av delårsrapport per augusti 2024."
    assert report.meeting.items.get().memo == memo


def test_the_memo_action_links_the_memo_the_case_already_has(report, people, client):
    memo = casework_services.memo_create(case=report.case, by=people["granskare"])
    client.force_login(people["granskare"])
    response = client.post(reverse("reports:report_memo", args=[report.pk]))
    assert response.status_code == 302 and response.url == reverse(
        "reports:report_detail", args=[report.pk]
    )
    report.refresh_from_db()
    assert report.memo == memo and report.case.memos.count() == 1
    assert report.meeting.items.get().case == report.case
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert f'href="{reverse("casework:memo_detail", args=[memo.pk])}"' in page
    assert "Skapa tjänsteskrivelsen" not in page


def test_the_sent_report_is_in_the_reading_room_among_its_meetings_papers(report, people, client):
    _finish(report, people)
    _approve(report, people)
    services.report_send(report=report, by=people["chief"], confirm_warnings=True)
    Meeting.objects.filter(pk=report.meeting_id).update(sent_at=timezone.now())

    def rendered(sent_version, title):
        return RenderedDocument.objects.create(
            kind=services.RENDER_KIND,
            subject_type="reports.report",
            subject_id=report.pk,
            content_hash=title,
            title=title,
            html="<p></p>",
            status=RenderStatus.DONE,
            sent_version=sent_version,
            page_count=21,
            file="rendered/test.pdf",
            finished_at=timezone.now(),
        )

    sent = rendered(True, "Delårsrapport per augusti 2024")
    draft = rendered(False, "Utkastet")
    client.force_login(people["member"])
    page = client.get(reverse("casework:reading_room")).content.decode()
    link = reverse("printing:render_file", args=[sent.token])
    assert f'href="{link}"' in page and "Delårsrapport per augusti 2024 (PDF, 21 sidor)" in page
    assert draft.token not in page and "Utkastet" not in page


def test_corrections_since_the_delarsrapport_are_listed_in_the_next_report(
    report, people, committee, case, client
):
    _finish(report, people)
    _approve(report, people)
    services.report_send(report=report, by=people["chief"], confirm_warnings=True)
    services.report_correction_add(
        report=report,
        section=written(report, "Ekonomisk analys"),
        text="Andelen är 7,0 %, inte 7,1 %.",
        by=people["chief"],
    )
    year_kind = ReportKind.objects.create(
        committee=committee, code="arsredovisning", name="Årsredovisning", period="helar"
    )
    for outline in report.kind.outline.all():
        outline.pk = None
        outline.kind = year_kind
        outline.save()
    annual = services.report_create(kind=year_kind, year=2024, case=case, by=people["granskare"])
    client.force_login(people["granskare"])
    html = client.get(reverse("reports:report_preview", args=[annual.pk])).content.decode()
    assert '<a href="#rattelser"><span class="toc-title">Rättelser sedan delårsrapporten' in html
    assert "<h3>Delårsrapport per augusti 2024</h3>" in html
    assert "Ekonomisk analys: Andelen är 7,0 %, inte 7,1 %." in html
    own = client.get(reverse("reports:report_preview", args=[report.pk])).content.decode()
    assert "rattelser" not in own  # a report does not list its own corrections


# --- Access ------------------------------------------------------------------------------------


def test_a_committee_member_cannot_open_a_draft_or_its_preview(report, people, client):
    client.force_login(people["member"])
    for name in ("report_detail", "report_preview", "report_checks"):
        assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 403
    section = written(report, "Sammanfattning")
    assert client.get(reverse("reports:section_edit", args=[section.pk])).status_code == 403


def test_a_committee_member_reads_only_the_pdf_of_the_sent_report(report, people, client):
    client.force_login(people["granskare"])
    client.post(reverse("reports:report_pdf", args=[report.pk]))
    draft = RenderedDocument.objects.get(subject_type="reports.report")
    assert not draft.sent_version
    assert not RenderedDocument.objects.readable_by(people["member"]).filter(pk=draft.pk).exists()
    _finish(report, people)
    _approve(report, people)
    services.report_send(report=report, by=people["chief"])
    client.force_login(people["chief"])
    client.post(reverse("reports:report_pdf", args=[report.pk]))
    sent = RenderedDocument.objects.get(subject_type="reports.report", sent_version=True)
    assert RenderedDocument.objects.readable_by(people["member"]).filter(pk=sent.pk).exists()


# --- Performance -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["report_detail", "report_preview"])
def test_report_page_and_preview_have_a_constant_number_of_queries(
    report, people, client, kind, name
):
    client.force_login(people["writer"])
    url = reverse(f"reports:{name}", args=[report.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for order in range(100, 130, 10):
        kind.outline.create(order=order, title=f"Extra {order}", level=2, mode="written")
        section = report.sections.create(order=order, title=f"Extra {order}", mode="written")
        services.section_assign(section=section, writer=people["other"], by=people["chief"])
        services.section_save(section=section, version=1, body="Text", by=people["other"])
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
