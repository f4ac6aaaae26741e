"""Pages and htmx fragments: login and role checks, autosave and conflicts, the reading room."""

import datetime

import pytest
from django.urls import reverse

from casework import services
from casework.models import Case, Memo, RenderKind
from printing import services as printing_services
from printing.models import RenderedDocument, RenderStatus
from tests.casework.conftest import blank_pdf, upload


def render_now(**kwargs):
    document = services.render_request(**kwargs)
    printing_services.run(document.pk)
    document.refresh_from_db()
    return document


@pytest.fixture
def sent_meeting(committee, granskare, chief, approved_memo, django_capture_on_commit_callbacks):
    meeting = services.meeting_create(
        committee=committee,
        date=datetime.date(2024, 10, 7),
        time=datetime.time(18),
        place="Solna stadshus",
        by=granskare,
    )
    services.agenda_item_add(meeting=meeting, case=approved_memo.case, by=granskare)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send(meeting=meeting, by=chief)  # queues the PDFs
    return meeting


def test_every_page_needs_login(client, memo):
    for url in (
        reverse("casework:case_list"),
        reverse("casework:memo_detail", args=[memo.pk]),
        reverse("casework:reading_room"),
        reverse("casework:meeting_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_staff_pages_render(client, granskare, memo, sent_meeting):
    client.force_login(granskare)
    for url in (
        reverse("casework:case_list"),
        reverse("casework:case_detail", args=[memo.case.pk]),
        reverse("casework:memo_list"),
        reverse("casework:memo_detail", args=[memo.pk]),
        reverse("casework:meeting_list"),
        reverse("casework:meeting_detail", args=[sent_meeting.pk]),
        reverse("casework:reading_room"),
        reverse("casework:report_back"),
    ):
        assert client.get(url).status_code == 200, url


def test_register_a_case_in_the_browser(client, handlaggare, unit):
    client.force_login(handlaggare)
    response = client.post(reverse("casework:case_list"), {"title": "Nytt ärende", "unit": unit.pk})
    case = Case.objects.get()
    assert response.status_code == 302 and case.dnr.startswith("SN/")
    bad = client.post(reverse("casework:case_list"), {"title": "Till", "dnr": "SN/24:1"})
    assert bad.status_code == 400
    assert "måste ha fyra siffror" in bad.content.decode()
    assert Case.objects.count() == 1


def test_nämndledamot_sees_no_drafts_or_internal_papers(client, member, memo, sent_meeting):
    client.force_login(member)
    for url in (
        reverse("casework:memo_detail", args=[memo.pk]),
        reverse("casework:memo_preview", args=[memo.pk]),
        reverse("casework:meeting_detail", args=[sent_meeting.pk]),
        reverse("casework:meeting_preview", args=[sent_meeting.pk]),
        reverse("casework:case_list"),
    ):
        assert client.get(url).status_code == 403, url
    draft_pdf = render_now(kind=RenderKind.MEMO, memo=_draft(memo))
    internal = render_now(kind=RenderKind.BUNDLE_INTERNAL, meeting=sent_meeting)
    public = render_now(kind=RenderKind.BUNDLE_PUBLIC, meeting=sent_meeting)
    assert client.get(reverse("printing:render_file", args=[draft_pdf.token])).status_code == 403
    assert client.get(reverse("printing:render_file", args=[internal.token])).status_code == 403
    response = client.get(reverse("printing:render_file", args=[public.token]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def _draft(memo):
    """A second case with a draft memo (the fixture memo itself was sent with the meeting)."""
    case = services.case_register(
        committee=memo.case.committee,
        title="Utkast",
        unit=memo.unit,
        by=memo.created_by,
        today=datetime.date(2024, 9, 1),
    )
    return services.memo_create(case=case, by=memo.created_by)


def test_reading_room_lists_only_sent_meetings(client, member, sent_meeting, committee, granskare):
    services.meeting_create(
        committee=committee,
        date=datetime.date(2099, 1, 5),
        time=datetime.time(18),
        place="Ännu inte skickad",
        by=granskare,
    )
    for document in RenderedDocument.objects.for_subject(sent_meeting).all():
        printing_services.run(document.pk)
    client.force_login(member)
    html = client.get(reverse("casework:reading_room")).content.decode()
    assert "2024-10-07" in html and "Ännu inte skickad" not in html
    assert "Kallelse och handlingar (PDF" in html and "Intern version" not in html


def test_autosave_answers_with_the_status_and_new_version(client, handlaggare, memo):
    client.force_login(handlaggare)
    data = {
        "version": memo.version,
        "title": memo.title,
        "date": "2024-08-28",
        "decision_proposal": "Socialnämnden godkänner.",
        "summary": "Ny text",
    }
    response = client.post(
        reverse("casework:memo_save", args=[memo.pk]), data, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Sparat kl." in html
    assert f'value="{memo.version + 1}"' in html and 'hx-swap-oob="true"' in html
    assert Memo.objects.get(pk=memo.pk).summary == "Ny text"


def test_a_stale_autosave_shows_both_texts_and_keeps_the_newer(
    client, handlaggare, granskare, memo
):
    old = memo.version
    services.memo_save(
        memo=memo,
        version=old,
        by=granskare,
        data={"title": memo.title, "date": memo.date, "summary": "Granskarens text"},
    )
    client.force_login(handlaggare)
    data = {"version": old, "title": memo.title, "date": "2024-08-27", "summary": "Min text"}
    url = reverse("casework:memo_save", args=[memo.pk])
    html = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "någon annan har sparat en nyare version" in html
    assert "Granskarens text" in html and "Min text" in html
    assert Memo.objects.get(pk=memo.pk).summary == "Granskarens text"
    # Without htmx the page answers 409 Conflict with the same comparison.
    assert client.post(url, data).status_code == 409
    # The user chooses to keep their own text.
    fresh = Memo.objects.get(pk=memo.pk)
    client.post(url, {**data, "overwrite_version": fresh.version}, HTTP_HX_REQUEST="true")
    assert Memo.objects.get(pk=memo.pk).summary == "Min text"


def test_autosave_with_a_bad_date_saves_nothing(client, handlaggare, memo):
    client.force_login(handlaggare)
    response = client.post(
        reverse("casework:memo_save", args=[memo.pk]),
        {"version": memo.version, "title": memo.title, "date": "2024-13-40", "summary": "X"},
        HTTP_HX_REQUEST="true",
    )
    assert "Inte sparat" in response.content.decode()
    assert "Ange datum som ÅÅÅÅ-MM-DD." in response.content.decode()
    assert Memo.objects.get(pk=memo.pk).summary != "X"


def test_editing_a_sent_memo_is_refused(client, handlaggare, sent_meeting, approved_memo):
    memo = Memo.objects.get(pk=approved_memo.pk)
    client.force_login(handlaggare)
    response = client.post(
        reverse("casework:memo_save", args=[memo.pk]),
        {"version": memo.version, "title": "Ny", "date": "2024-08-27"},
    )
    assert response.status_code == 400
    assert "skickad till nämnden och kan inte ändras" in response.content.decode()
    assert Memo.objects.get(pk=memo.pk).title != "Ny"


def test_another_unit_cannot_save(client, memo, other_unit):
    from solna_sn.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.HANDLAGGARE, units=[other_unit]))
    response = client.post(
        reverse("casework:memo_save", args=[memo.pk]),
        {"version": memo.version, "title": "Kapad", "date": "2024-08-27"},
    )
    assert response.status_code == 403


def test_upload_errors_are_shown_on_the_field(client, handlaggare, memo):
    client.force_login(handlaggare)
    url = reverse("casework:attachment_upload", args=[memo.pk])
    response = client.post(url, {"title": "Avtal", "file": upload(b"inte en pdf", "avtal.docx")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Filen är ingen PDF." in html and 'aria-invalid="true"' in html
    ok = client.post(url, {"title": "Avtal", "file": upload(blank_pdf(2))})
    assert ok.status_code == 302 and memo.attachments.count() == 1


def test_render_status_polls_until_done(client, granskare, memo):
    client.force_login(granskare)
    response = client.post(reverse("casework:memo_render", args=[memo.pk]), HTTP_HX_REQUEST="true")
    document = RenderedDocument.objects.for_subject(memo).get()
    html = response.content.decode()
    assert "Köad" in html and 'hx-trigger="every 1s"' in html
    printing_services.run(document.pk)
    html = client.get(reverse("printing:render_status", args=[document.token])).content.decode()
    assert document.__class__.objects.get(pk=document.pk).status == RenderStatus.DONE
    assert "Klar" in html and "hx-trigger" not in html and "Öppna PDF" in html


def test_a_poll_while_the_status_is_unchanged_swaps_nothing(client, granskare, memo):
    """The box sits in an aria-live="polite" wrapper: the same text every second would be read
    out every second, so an unchanged status answers 204 (htmx swaps nothing)."""
    client.force_login(granskare)
    response = client.post(reverse("casework:memo_render", args=[memo.pk]), HTTP_HX_REQUEST="true")
    document = RenderedDocument.objects.for_subject(memo).get()
    poll = f"{reverse('printing:render_status', args=[document.token])}?visas=queued"
    assert f'hx-get="{poll}"' in response.content.decode()
    page = client.get(reverse("casework:memo_detail", args=[memo.pk])).content.decode()
    assert '<div id="memo-render" aria-live="polite">' in page
    unchanged = client.get(poll, HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 204 and unchanged.content == b""
    printing_services.run(document.pk)
    done = client.get(poll, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and "Öppna PDF" in done.content.decode()


def test_workflow_buttons_follow_the_role(client, handlaggare, granskare, memo):
    client.force_login(handlaggare)
    html = client.get(reverse("casework:memo_detail", args=[memo.pk])).content.decode()
    assert "Skicka till granskning" in html and "Godkänn" not in html
    client.post(reverse("casework:memo_submit", args=[memo.pk]))
    assert client.post(reverse("casework:memo_approve", args=[memo.pk])).status_code == 403
    assert Memo.objects.get(pk=memo.pk).state == "granskning"  # refused: not a reviewer
    client.force_login(granskare)
    client.post(reverse("casework:memo_approve", args=[memo.pk]))
    assert Memo.objects.get(pk=memo.pk).state == "godkand"


def test_preview_is_the_print_html(client, granskare, memo):
    client.force_login(granskare)
    html = client.get(reverse("casework:memo_preview", args=[memo.pk])).content.decode()
    assert '<html lang="sv">' in html and "/static/css/print.css" in html
    assert "Förslag till beslut" in html and "Tjänsteskrivelse daterad 2024-08-27" in html


def test_admin_shows_reports_read_only(client, memo):
    from solna_sn.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    for name in ("casework/case", "casework/memo", "casework/meeting", "printing/rendereddocument"):
        assert client.get(f"/admin/{name}/").status_code == 200
    assert client.get("/admin/casework/case/add/").status_code == 403
    html = client.get(f"/admin/casework/memo/{memo.pk}/change/").content.decode()
    assert "Spara" not in html or 'name="_save"' not in html
