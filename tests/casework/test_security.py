"""Issue 11: who reads which PDF, secrecy that follows the content, who keeps the protokoll,
and where the retry form may send the browser. Each test walks the path the probe found."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from casework import services
from casework.forms import AttachmentLinkForm
from casework.models import CONFIDENTIAL_TEXT, Decision, Meeting, Memo, RenderKind
from printing import services as printing_services
from printing.models import RenderedDocument, RenderStatus
from solna_sn.lib import pdf as pdflib
from solna_sn.models import Role, User
from tests.casework.conftest import fill, pdf_bytes, upload
from tests.pdf_checks import assert_document_accessible

MEETING_DAY = datetime.date(2024, 10, 7)
DRAFT_TEXT = "Utkastets text som aldrig skickades."
SENT_TEXT = "Den skickade sammanfattningen."


def pdf_url(name: str, document) -> str:
    return reverse(f"printing:{name}", args=[document.token])


def render_now(**kwargs):
    document = services.render_request(**kwargs)
    printing_services.run(document.pk)
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE, document.error
    return document


def render_queued():
    for document in RenderedDocument.objects.filter(status=RenderStatus.QUEUED):
        printing_services.run(document.pk)


def stored_text(document) -> str:
    document.refresh_from_db()
    with default_storage.open(document.file.name, "rb") as handle:
        return " ".join(pdflib.text_of(handle.read()).split())


def opened_text(response) -> str:
    return " ".join(pdflib.text_of(b"".join(response.streaming_content)).split())


@pytest.fixture
def meeting(committee, granskare):
    return services.meeting_create(
        committee=committee,
        date=MEETING_DAY,
        time=datetime.time(18),
        place="Solna stadshus",
        by=granskare,
    )


def approve(memo, writer, reviewer):
    services.memo_submit(memo=memo, by=writer)
    return services.memo_approve(memo=memo, by=reviewer)


# --- 1. Draft renders stay staff-only -------------------------------------------------------


def test_pdfs_rendered_from_a_draft_stay_closed_to_the_nämnd_after_sending(
    client, member, memo, meeting, handlaggare, granskare, chief, django_capture_on_commit_callbacks
):
    services.agenda_item_add(meeting=meeting, case=memo.case, by=granskare)
    memo = fill(memo, handlaggare, summary=DRAFT_TEXT)
    draft_memo_pdf = render_now(kind=RenderKind.MEMO, memo=memo)
    draft_bundle = render_now(kind=RenderKind.BUNDLE_PUBLIC, meeting=meeting)
    client.force_login(member)
    assert client.get(pdf_url("render_file", draft_memo_pdf)).status_code == 403
    assert client.get(pdf_url("render_file", draft_bundle)).status_code == 403

    memo = fill(memo, handlaggare, summary=SENT_TEXT)
    approve(memo, handlaggare, granskare)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send(meeting=meeting, by=chief)
    render_queued()
    for document in RenderedDocument.objects.all():  # drafts and sent: memo, public bundle
        assert_document_accessible(document)

    # The earlier renders print the draft: closed for good, although memo and meeting are sent.
    for document in (draft_memo_pdf, draft_bundle):
        assert client.get(pdf_url("render_file", document)).status_code == 403
        assert client.get(pdf_url("render_status", document)).status_code == 403
    sent_memo_pdf = RenderedDocument.objects.for_subject(memo).exclude(pk=draft_memo_pdf.pk).get()
    sent_bundle = (
        RenderedDocument.objects.for_subject(meeting)
        .filter(kind=RenderKind.BUNDLE_PUBLIC)
        .exclude(pk=draft_bundle.pk)
    )
    sent_bundle = sent_bundle.get()
    for document in (sent_memo_pdf, sent_bundle):
        response = client.get(pdf_url("render_file", document))
        assert response.status_code == 200
        text = opened_text(response)
        assert SENT_TEXT in text and DRAFT_TEXT not in text
    html = client.get(reverse("casework:reading_room")).content.decode()
    assert pdf_url("render_file", sent_bundle) in html
    assert pdf_url("render_file", sent_memo_pdf) in html
    assert pdf_url("render_file", draft_bundle) not in html
    assert pdf_url("render_file", draft_memo_pdf) not in html


def test_a_render_of_the_approved_memo_is_not_the_sent_render_though_the_html_is_the_same(
    client, member, approved_memo, chief, django_capture_on_commit_callbacks
):
    before_sending = render_now(kind=RenderKind.MEMO, memo=approved_memo)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.memo_send(memo=approved_memo, by=chief)
    render_queued()
    after_sending = RenderedDocument.objects.for_subject(sent).exclude(pk=before_sending.pk).get()
    assert after_sending.html == before_sending.html
    client.force_login(member)
    assert client.get(pdf_url("render_file", before_sending)).status_code == 403
    assert client.get(pdf_url("render_file", after_sending)).status_code == 200


def test_staff_still_open_draft_renders(client, granskare, memo):
    document = render_now(kind=RenderKind.MEMO, memo=memo)
    client.force_login(granskare)
    assert client.get(pdf_url("render_file", document)).status_code == 200


def test_pdf_urls_carry_a_random_token_not_the_row_id(client, granskare, memo):
    document = render_now(kind=RenderKind.MEMO, memo=memo)
    other = render_now(kind=RenderKind.MEMO, memo=fill(memo, memo.created_by, summary="Ny."))
    assert len(document.token) >= 32 and document.token != other.token
    url = reverse("printing:render_file", args=[document.token])
    assert url == f"/pdf/{document.token}/fil/" and str(document.pk) not in url.split("/")
    client.force_login(granskare)
    assert client.get(f"/pdf/{document.pk}/fil/").status_code == 404
    assert client.get(url).status_code == 200
    html = client.get(reverse("casework:memo_detail", args=[memo.pk])).content.decode()
    assert f"/pdf/{other.token}/" in html


# --- 2. Secrecy follows the content --------------------------------------------------------


@pytest.fixture
def secret_memo(committee, handlaggare, granskare, chief, unit):
    case = services.case_register(
        committee=committee,
        title="Individärende Svensson",
        unit=unit,
        by=handlaggare,
        today=datetime.date(2024, 9, 1),
    )
    memo = services.memo_create(case=case, by=handlaggare)
    memo = fill(
        memo,
        handlaggare,
        title="Individärende Svensson",
        summary="Uppgifter om familjen Svensson som omfattas av sekretess.",
    )
    services.memo_attachment_upload(
        memo=memo,
        title="Utredning Svensson",
        upload=upload(pdf_bytes("Utredningen om Svensson")),
        by=handlaggare,
    )
    return approve(memo, handlaggare, granskare)


def _secret_item(meeting, memo, granskare):
    return services.agenda_item_add(
        meeting=meeting,
        case=memo.case,
        confidential=True,
        osl_reference="26 kap. 1 § OSL",
        by=granskare,
    )


def test_the_picker_offers_no_secret_memo_to_a_public_memo(
    client, meeting, memo, secret_memo, granskare
):
    _secret_item(meeting, secret_memo, granskare)
    assert secret_memo not in AttachmentLinkForm(memo=memo).fields["source"].queryset
    client.force_login(granskare)
    html = client.get(reverse("casework:memo_detail", args=[memo.pk])).content.decode()
    assert f'value="{secret_memo.pk}"' not in html
    response = client.post(
        reverse("casework:attachment_link", args=[memo.pk]), {"source": secret_memo.pk}
    )
    assert response.status_code == 400 and not memo.attachments.exists()
    with pytest.raises(services.ValidationError) as caught:
        services.memo_attachment_link(memo=memo, source=secret_memo, by=granskare)
    assert "sekretess" in caught.value.message_dict["source"][0]


def test_a_secret_memo_may_enclose_a_secret_memo(
    committee, meeting, secret_memo, granskare, handlaggare, unit
):
    case = services.case_register(
        committee=committee, title="Individärende Berg", unit=unit, by=handlaggare
    )
    other = services.memo_create(case=case, by=handlaggare)
    _secret_item(meeting, secret_memo, granskare)
    services.agenda_item_add(
        meeting=meeting, case=case, confidential=True, osl_reference="26 kap. 1 §", by=granskare
    )
    assert secret_memo in AttachmentLinkForm(memo=other).fields["source"].queryset
    services.memo_attachment_link(memo=other, source=secret_memo, by=handlaggare)


def test_the_public_bundle_withholds_an_enclosed_secret_memo_and_its_file(
    client,
    member,
    meeting,
    memo,
    secret_memo,
    handlaggare,
    granskare,
    chief,
    django_capture_on_commit_callbacks,
):
    # Linked before the secret memo was put on a confidential item: the picker could not know.
    services.memo_attachment_link(memo=memo, source=secret_memo, by=handlaggare)
    services.memo_attachment_upload(
        memo=memo,
        title="Bilaga till utredningen",
        upload=upload(pdf_bytes("Utredningen om Svensson")),  # the same file as the secret one
        by=handlaggare,
    )
    approve(memo, handlaggare, granskare)
    services.agenda_item_add(meeting=meeting, case=memo.case, by=granskare)
    _secret_item(meeting, secret_memo, granskare)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send(meeting=meeting, by=chief)
    render_queued()
    for document in RenderedDocument.objects.all():  # both bundles (enclosure, withheld), memos
        assert_document_accessible(document)

    public = RenderedDocument.objects.for_subject(meeting).get(kind=RenderKind.BUNDLE_PUBLIC)
    text = stored_text(public)
    assert "Barnahus" in text  # the public memo is there …
    for secret in ("familjen Svensson", "Individärende Svensson", "Utredningen om Svensson"):
        assert secret not in text, secret  # … its secret enclosures are not
    assert text.count(CONFIDENTIAL_TEXT) >= 3  # the secret item and both enclosures
    internal = stored_text(
        RenderedDocument.objects.for_subject(meeting).get(kind=RenderKind.BUNDLE_INTERNAL)
    )
    assert "familjen Svensson" in internal and "Utredningen om Svensson" in internal
    # The memo's own PDF lists its Handlingar without the secret title.
    memo_pdf = RenderedDocument.objects.for_subject(Memo.objects.get(pk=memo.pk)).get(
        kind=RenderKind.MEMO
    )
    memo_text = stored_text(memo_pdf)
    assert "Individärende Svensson" not in memo_text
    assert "Handling som omfattas av sekretess" in memo_text
    client.force_login(member)
    assert client.get(pdf_url("render_file", memo_pdf)).status_code == 200
    secret_pdf = RenderedDocument.objects.for_subject(Memo.objects.get(pk=secret_memo.pk)).get(
        kind=RenderKind.MEMO
    )
    assert client.get(pdf_url("render_file", secret_pdf)).status_code == 403


def test_the_demo_secret_memo_never_reaches_the_next_public_kallelse(
    db, client, django_capture_on_commit_callbacks
):
    call_command("load_demo")
    october = Meeting.objects.get(date="2024-10-07")
    secret = october.items.get(label="4-5").memo
    upcoming = Meeting.objects.get(sent_at__isnull=True)
    draft = upcoming.items.get().memo
    granskare = User.objects.filter(role=Role.GRANSKARE).first()
    chief = User.objects.filter(role=Role.FORVALTNINGSCHEF).first()
    client.force_login(granskare)
    response = client.post(
        reverse("casework:attachment_link", args=[draft.pk]), {"source": secret.pk}
    )
    assert response.status_code == 400
    assert "Välj en tjänsteskrivelse i listan." in response.content.decode()
    approve(draft, granskare, chief)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send(meeting=upcoming, by=chief)
    render_queued()
    bundle = RenderedDocument.objects.for_subject(upcoming).get(kind=RenderKind.BUNDLE_PUBLIC)
    assert_document_accessible(bundle)
    text = stored_text(bundle)
    assert secret.title not in text and "Ärendet gäller enskilda barn" not in text


# --- 12. Protokollsutdrag by the roles that keep the protokoll -------------------------------


@pytest.fixture
def sent_items(meeting, memo, secret_memo, handlaggare, granskare, chief):
    approve(memo, handlaggare, granskare)
    public = services.agenda_item_add(meeting=meeting, case=memo.case, by=granskare)
    secret = _secret_item(meeting, secret_memo, granskare)
    services.meeting_send(meeting=meeting, by=chief)
    return public, secret


def _decision_post(item, text):
    return {
        f"beslut-{item.pk}-paragraph": 80 + item.position,
        f"beslut-{item.pk}-text": text,
    }


def test_a_handläggare_cannot_record_or_overwrite_minutes(
    client, handlaggare, granskare, sent_items
):
    public, secret = sent_items
    services.decision_record(
        item=public,
        paragraph=79,
        text="Socialnämnden godkänner.",
        report_back_required=True,
        by=granskare,
        today=MEETING_DAY,
    )
    with pytest.raises(PermissionDenied):
        services.decision_record(
            item=public,
            paragraph=79,
            text="Ändrat av handläggaren",
            report_back_required=False,
            by=handlaggare,
            today=MEETING_DAY,
        )
    client.force_login(handlaggare)
    for item in (public, secret):
        url = reverse("casework:decision_record", args=[item.meeting_id, item.pk])
        response = client.post(url, _decision_post(item, "Ändrat av handläggaren"))
        assert response.status_code == 403
    assert Decision.objects.get(item=public).text == "Socialnämnden godkänner."
    assert not Decision.objects.filter(item=secret).exists()
    decision = Decision.objects.get(item=public)
    response = client.post(
        reverse("casework:report_back"),
        {
            "decision": decision.pk,
            f"ater-{decision.pk}-on": "2025-01-10",
            f"ater-{decision.pk}-note": "x",
        },
    )
    assert response.status_code == 403
    assert Decision.objects.get(pk=decision.pk).reported_back_on is None
    page = client.get(reverse("casework:meeting_detail", args=[public.meeting_id])).content
    assert "decision-form" not in page.decode()


@pytest.mark.parametrize("role", [Role.GRANSKARE, Role.FORVALTNINGSCHEF])
def test_leadership_records_minutes(client, role, sent_items, unit):
    from tests.factories import UserFactory

    public, secret = sent_items
    client.force_login(UserFactory(role=role))
    for item in (public, secret):
        url = reverse("casework:decision_record", args=[item.meeting_id, item.pk])
        assert client.post(url, _decision_post(item, "Bifall")).status_code == 302
    assert Decision.objects.filter(item__in=[public, secret], text="Bifall").count() == 2


# --- 15. The retry form redirects only within the site ---------------------------------------


@pytest.fixture
def failed_document(memo):
    document = services.render_request(kind=RenderKind.MEMO, memo=memo)
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=RenderStatus.FAILED, error="Tekniskt fel"
    )
    document.refresh_from_db()
    return document


@pytest.mark.parametrize(
    "target",
    ["http://evil.example/", "//evil.example/", "https://evil.example/lasrum/", "javascript:x"],
)
def test_retry_never_redirects_off_site(client, granskare, failed_document, target):
    client.force_login(granskare)
    response = client.post(pdf_url("render_retry", failed_document), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("start")
    failed_document.refresh_from_db()
    assert failed_document.status == RenderStatus.QUEUED


def test_retry_returns_to_the_page_it_came_from(client, granskare, failed_document, memo):
    client.force_login(granskare)
    back = reverse("casework:memo_detail", args=[memo.pk])
    response = client.post(pdf_url("render_retry", failed_document), {"next": back})
    assert response.status_code == 302 and response["Location"] == back


@pytest.mark.parametrize("value", ["abc", "²", "1 OR 1=1"])
def test_a_malformed_decision_id_in_report_back_is_a_404_not_a_500(client, granskare, value):
    client.force_login(granskare)
    response = client.post(reverse("casework:report_back"), {"decision": value})
    assert response.status_code == 404


def test_a_malformed_overwrite_version_is_ignored_not_a_500(client, handlaggare, memo):
    client.force_login(handlaggare)
    data = {
        "version": memo.version,
        "title": memo.title,
        "decision_proposal": memo.decision_proposal,
        "summary": memo.summary,
        "date": memo.date.isoformat(),
        "overwrite_version": "²",
    }
    response = client.post(reverse("casework:memo_save", args=[memo.pk]), data)
    assert response.status_code in (200, 302, 409)
