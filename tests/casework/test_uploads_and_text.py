"""Hostile uploads and text in tjänsteskrivelser, on PostgreSQL: a PDF attachment is stored and
spliced without scripts or actions, a broken or oversized one is refused at the field, and a NUL
or 100 000 characters in a heading or a reason gets a message instead of a 500."""

import datetime
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, NumberObject

from casework import services
from casework.models import MemoAttachment, MemoSection, MemoState, RenderKind
from printing import services as printing_services
from printing.models import RenderStatus
from tests.casework.conftest import blank_pdf, upload
from tests.lib.test_pdf_cleaning import active_content, hostile_pdf, web_links


def stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def zero_media_box_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.pages[0][NameObject("/MediaBox")] = ArrayObject([NumberObject(0)] * 4)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_bundle(memo, *, committee, granskare):
    meeting = services.meeting_create(
        committee=committee,
        date=datetime.date(2024, 10, 7),
        time=datetime.time(18),
        place="Stadshuset",
        by=granskare,
    )
    services.agenda_item_add(meeting=meeting, case=memo.case, by=granskare)
    document = services.render_request(kind=RenderKind.BUNDLE_INTERNAL, meeting=meeting)
    printing_services.run(document.pk)
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE, document.error
    return stored(document.file.name)


# --- PDF attachments ---------------------------------------------------------------------------


def test_an_uploaded_pdf_is_stored_without_scripts_actions_or_non_web_links(
    client, handlaggare, memo
):
    client.force_login(handlaggare)
    response = client.post(
        reverse("casework:attachment_upload", args=[memo.pk]),
        {"title": "Avtal", "file": upload(hostile_pdf(pages=2))},
    )
    assert response.status_code == 302
    attachment = memo.attachments.get()
    data = stored(attachment.file.name)
    assert active_content(data) == []
    assert web_links(data) == ["https://www.solna.se/", "https://www.solna.se/avtal"]
    assert attachment.page_count == 2 and attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()


def test_the_kallelse_carries_no_script_from_an_attachment(
    approved_memo, handlaggare, granskare, committee
):
    services.memo_return(memo=approved_memo, by=granskare, comment="Bifoga avtalet.")
    memo = services.memo_attachment_upload(
        memo=approved_memo, title="Avtal", upload=upload(hostile_pdf(pages=2)), by=handlaggare
    ).memo
    services.memo_submit(memo=memo, by=handlaggare)
    services.memo_approve(memo=memo, by=granskare)
    bundle = render_bundle(memo, committee=committee, granskare=granskare)
    assert active_content(bundle) == []
    uris = [
        str(annotation.get_object()["/A"].get("/URI", ""))
        for page in PdfReader(io.BytesIO(bundle)).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert "https://www.solna.se/avtal" in uris
    assert not [uri for uri in uris if uri and not uri.startswith(("https://", "http://"))]


def test_a_file_stored_before_the_cleaning_is_cleaned_when_spliced(
    approved_memo, handlaggare, granskare, committee
):
    """An attachment uploaded before uploads were cleaned still has its scripts in storage."""
    services.memo_return(memo=approved_memo, by=granskare, comment="Bifoga avtalet.")
    memo = approved_memo
    memo.refresh_from_db()
    assert memo.state == MemoState.DRAFT
    raw = hostile_pdf(pages=1)
    attachment = MemoAttachment(
        memo=memo,
        position=1,
        title="Gammalt avtal",
        sha256=hashlib.sha256(raw).hexdigest(),
        page_count=1,
        size=len(raw),
    )
    attachment.file.name = default_storage.save("bilagor/gammal.pdf", ContentFile(raw))
    attachment.save()
    assert active_content(stored(attachment.file.name))
    services.memo_submit(memo=memo, by=handlaggare)
    services.memo_approve(memo=memo, by=granskare)
    assert active_content(render_bundle(memo, committee=committee, granskare=granskare)) == []


def test_a_pdf_with_a_zero_media_box_is_refused_at_the_field(client, handlaggare, memo):
    client.force_login(handlaggare)
    response = client.post(
        reverse("casework:attachment_upload", args=[memo.pk]),
        {"title": "Avtal", "file": upload(zero_media_box_pdf())},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sidan 1 i PDF-filen har ingen yta (sidstorleken är noll)." in html
    assert 'aria-invalid="true"' in html
    assert not MemoAttachment.objects.exists()


@override_settings(ATTACHMENT_MAX_PAGES=3)
def test_a_pdf_over_the_page_limit_is_refused(client, handlaggare, memo):
    client.force_login(handlaggare)
    url = reverse("casework:attachment_upload", args=[memo.pk])
    response = client.post(url, {"title": "Avtal", "file": upload(blank_pdf(pages=4))})
    assert response.status_code == 400
    assert "PDF-filen har 4 sidor. En bifogad handling får ha högst 3 sidor" in (
        response.content.decode()
    )
    assert not MemoAttachment.objects.exists()
    assert (
        client.post(url, {"title": "Avtal", "file": upload(blank_pdf(pages=3))}).status_code == 302
    )
    assert memo.attachments.get().page_count == 3


def test_the_default_page_limit_is_two_hundred(memo, handlaggare):
    with pytest.raises(services.ValidationError) as caught:
        services.memo_attachment_upload(
            memo=memo, title="Stor", upload=upload(blank_pdf(pages=201)), by=handlaggare
        )
    assert "högst 200 sidor" in caught.value.message_dict["file"][0]


# --- Text ---------------------------------------------------------------------------------------

BAD_TEXT = [
    pytest.param("Bakgrund\x00", "otillåtna styrtecken", id="nul"),
    pytest.param("x" * 100_000, "Texten är för lång: högst", id="100000"),
]


@pytest.mark.parametrize(("text", "message"), BAD_TEXT)
def test_a_bad_section_heading_gets_a_message_and_nothing_is_saved(
    client, handlaggare, memo, text, message
):
    section = services.memo_section_add(memo=memo, by=handlaggare, heading="Bakgrund")
    memo.refresh_from_db()
    client.force_login(handlaggare)
    response = client.post(
        reverse("casework:memo_save", args=[memo.pk]),
        {
            "version": memo.version,
            "title": memo.title,
            "date": "2024-08-27",
            f"section-{section.pk}-heading": text,
            f"section-{section.pk}-body": "Ny text",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    section.refresh_from_db()
    assert section.heading == "Bakgrund" and section.body == ""


@pytest.mark.parametrize(("text", "message"), BAD_TEXT)
def test_a_bad_heading_for_a_new_section_gets_a_message(client, handlaggare, memo, text, message):
    client.force_login(handlaggare)
    response = client.post(
        reverse("casework:section_add", args=[memo.pk]), {"heading": text}, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MemoSection.objects.filter(memo=memo).exists()


@pytest.mark.parametrize(("text", "message"), BAD_TEXT)
def test_a_bad_reason_for_returning_a_memo_gets_a_message(
    client, handlaggare, granskare, memo, text, message
):
    services.memo_submit(memo=memo, by=handlaggare)
    client.force_login(granskare)
    response = client.post(
        reverse("casework:memo_return", args=[memo.pk]),
        {"reason": text},
        follow=True,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    memo.refresh_from_db()
    assert memo.state == MemoState.REVIEW and memo.review_comment == ""


@pytest.mark.parametrize(("text", "message"), BAD_TEXT)
def test_a_bad_reason_for_a_new_revision_is_refused(memo, handlaggare, text, message):
    memo.state = MemoState.SENT
    memo.save(update_fields=["state"])
    with pytest.raises(services.ValidationError) as caught:
        services.memo_new_revision(memo=memo, by=handlaggare, reason=text)
    assert message in caught.value.message_dict["reason"][0]
