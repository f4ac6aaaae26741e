"""Tjänsteskrivelser on PostgreSQL: the state machine, who may do each step, stale saves,
frozen sent memos and revisions, attachments and their bad cases."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from casework import services
from casework.models import Memo, MemoAttachment, MemoState
from solna_sn.audit import entries_for
from solna_sn.models import Role
from tests.casework.conftest import blank_pdf, fill, upload
from tests.factories import UnitFactory, UserFactory


def test_new_memo_takes_case_title_and_chief_first(memo):
    assert memo.title == "Överenskommelse om finansiering av Barnahus Stockholm"
    assert memo.state == MemoState.DRAFT
    assert [(s.name, s.title) for s in memo.signatories.all()] == [
        ("Mikael Olofsson", "Förvaltningschef")
    ]


def test_one_memo_per_case_then_revisions(memo, handlaggare):
    with pytest.raises(services.StateError):
        services.memo_create(case=memo.case, by=handlaggare)


def test_the_whole_way_to_the_nämnd(memo, handlaggare, granskare, chief):
    memo = services.memo_submit(memo=memo, by=handlaggare)
    assert memo.state == MemoState.REVIEW
    memo = services.memo_approve(memo=memo, by=granskare)
    assert memo.state == MemoState.APPROVED
    memo = services.memo_send(memo=memo, by=chief)
    assert memo.state == MemoState.SENT and memo.sent_at is not None
    actions = [e.action for e in entries_for(memo)]
    assert {"memo.granskning", "memo.godkand", "memo.skickad"} <= set(actions)


def test_review_needs_a_decision_proposal(memo, handlaggare):
    memo = fill(memo, handlaggare, decision_proposal="   ")
    with pytest.raises(ValidationError) as caught:
        services.memo_submit(memo=memo, by=handlaggare)
    assert "Förslag till beslut saknas" in caught.value.message_dict["decision_proposal"][0]
    assert Memo.objects.get(pk=memo.pk).state == MemoState.DRAFT


def test_review_needs_a_signatory(memo, handlaggare):
    services.memo_signatory_remove(signatory=memo.signatories.get(), by=handlaggare)
    with pytest.raises(ValidationError) as caught:
        services.memo_submit(memo=memo, by=handlaggare)
    assert "signatories" in caught.value.message_dict


@pytest.mark.parametrize("role", [Role.HANDLAGGARE, Role.CONTROLLER, Role.NAMNDLEDAMOT])
def test_only_leadership_approves_and_sends(memo, handlaggare, role, unit):
    services.memo_submit(memo=memo, by=handlaggare)
    other = UserFactory(role=role, units=[unit])
    with pytest.raises(PermissionDenied):
        services.memo_approve(memo=memo, by=other)
    with pytest.raises(PermissionDenied):
        services.memo_send(memo=memo, by=other)


def test_sending_needs_approval_first(memo, chief):
    with pytest.raises(services.StateError):
        services.memo_send(memo=memo, by=chief)


def test_return_to_draft_needs_a_comment(memo, handlaggare, granskare):
    services.memo_submit(memo=memo, by=handlaggare)
    with pytest.raises(ValidationError):
        services.memo_return(memo=memo, by=granskare, comment=" ")
    memo = services.memo_return(memo=memo, by=granskare, comment="Lägg till kostnaden.")
    assert memo.state == MemoState.DRAFT and memo.review_comment == "Lägg till kostnaden."


def test_another_units_handläggare_cannot_write(memo):
    stranger = UserFactory(role=Role.HANDLAGGARE, units=[UnitFactory()])
    with pytest.raises(PermissionDenied):
        fill(memo, stranger, title="Kapad")
    assert Memo.objects.get(pk=memo.pk).title != "Kapad"


def test_a_stale_save_is_refused_and_changes_nothing(memo, handlaggare, granskare):
    old_version = memo.version
    services.memo_save(
        memo=memo,
        version=old_version,
        by=granskare,
        data={"title": memo.title, "date": memo.date, "summary": "Granskarens text."},
    )
    with pytest.raises(services.StaleEditError) as caught:
        services.memo_save(
            memo=memo,
            version=old_version,
            by=handlaggare,
            data={"title": memo.title, "date": memo.date, "summary": "Min text."},
        )
    assert caught.value.current["summary"] == "Granskarens text."
    assert Memo.objects.get(pk=memo.pk).summary == "Granskarens text."


def test_bad_values_are_refused(memo, handlaggare):
    with pytest.raises(ValidationError) as caught:
        services.memo_save(
            memo=memo, version=memo.version, by=handlaggare, data={"title": "", "date": None}
        )
    assert set(caught.value.message_dict) == {"title", "date"}


def test_a_sent_memo_is_frozen_and_a_revision_keeps_both(approved_memo, chief, handlaggare):
    sent = services.memo_send(memo=approved_memo, by=chief)
    with pytest.raises(services.StateError) as caught:
        fill(sent, handlaggare, summary="Ändrad i efterhand")
    assert "ny revision" in str(caught.value)
    with pytest.raises(services.StateError):
        services.memo_signatory_add(memo=sent, by=handlaggare, name="X", title="Y")
    with pytest.raises(ValidationError):
        services.memo_new_revision(memo=sent, by=handlaggare, reason="")
    new = services.memo_new_revision(memo=sent, by=handlaggare, reason="Fel belopp")
    assert (new.revision, new.previous_id, new.state) == (2, sent.pk, MemoState.DRAFT)
    assert list(new.signatories.values_list("name", flat=True)) == ["Mikael Olofsson"]
    new = fill(new, handlaggare, summary="Rättad text.")
    sent.refresh_from_db()
    assert sent.summary.startswith("Solna deltar") and new.summary == "Rättad text."
    with pytest.raises(services.StateError):
        services.memo_new_revision(memo=sent, by=handlaggare, reason="igen")


def test_upload_a_pdf(memo, handlaggare):
    attachment = services.memo_attachment_upload(
        memo=memo, title="Överenskommelse", upload=upload(blank_pdf(pages=3)), by=handlaggare
    )
    assert attachment.page_count == 3 and len(attachment.sha256) == 64
    assert attachment.file.name.startswith("bilagor/")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Hej, jag ar en textfil", "Filen är ingen PDF"),
        (b"%PDF-1.7\n%trasig\n1 0 obj << /Type /Catalog", "skadad"),
        (blank_pdf(encrypt=True), "lösenordsskyddad"),
    ],
)
def test_bad_uploads_are_refused_with_a_message(memo, handlaggare, data, message):
    with pytest.raises(ValidationError) as caught:
        services.memo_attachment_upload(
            memo=memo, title="Bilaga", upload=upload(data), by=handlaggare
        )
    assert message in caught.value.message_dict["file"][0]
    assert not MemoAttachment.objects.exists()


@override_settings(MEMO_ATTACHMENT_MAX_BYTES=1024 * 1024)
def test_a_file_beyond_the_limit_is_refused(memo, handlaggare):
    data = blank_pdf() + b"%" + b"x" * (1024 * 1024 // 2 * 3)
    with pytest.raises(ValidationError) as caught:
        services.memo_attachment_upload(
            memo=memo, title="Stor", upload=upload(data), by=handlaggare
        )
    assert caught.value.message_dict["file"] == [
        "Filen är för stor (1,5 MB). Största tillåtna storlek är 1 MB."
    ]
    assert not MemoAttachment.objects.exists()


def test_attachments_keep_their_order(memo, handlaggare):
    first = services.memo_attachment_upload(
        memo=memo, title="Första", upload=upload(blank_pdf()), by=handlaggare
    )
    services.memo_attachment_upload(
        memo=memo, title="Andra", upload=upload(blank_pdf(2)), by=handlaggare
    )
    services.memo_attachment_move(attachment=first, direction=1, by=handlaggare)
    assert list(memo.attachments.values_list("title", flat=True)) == ["Andra", "Första"]


def test_link_another_memo_only_when_approved(memo, handlaggare, granskare, committee, unit):
    other_case = services.case_register(
        committee=committee,
        title="Annat",
        unit=unit,
        by=handlaggare,
        today=datetime.date(2024, 9, 1),
    )
    other = fill(services.memo_create(case=other_case, by=handlaggare), handlaggare)
    with pytest.raises(ValidationError):
        services.memo_attachment_link(memo=memo, source=other, by=handlaggare)
    services.memo_submit(memo=other, by=handlaggare)
    other = services.memo_approve(memo=other, by=granskare)
    attachment = services.memo_attachment_link(memo=memo, source=other, by=handlaggare)
    assert attachment.title.startswith("Tjänsteskrivelse SN/2024:")


def test_the_last_one_who_changed_the_memo_may_not_approve_it(
    memo, handlaggare, granskare, chief, client
):
    fill(memo, granskare, summary="Granskaren skrev om sammanfattningen.")
    memo = services.memo_submit(memo=Memo.objects.get(pk=memo.pk), by=handlaggare)
    with pytest.raises(services.StateError, match="fyraögonprincipen"):
        services.memo_approve(memo=memo, by=granskare)
    assert Memo.objects.get(pk=memo.pk).state == MemoState.REVIEW
    client.force_login(granskare)
    page = client.get(f"/tjansteskrivelser/{memo.pk}/").content.decode()
    assert "Du har själv senast ändrat tjänsteskrivelsen" in page
    assert ">Godkänn</button>" not in page
    assert services.memo_approve(memo=memo, by=chief).state == MemoState.APPROVED


def test_a_signatory_change_makes_its_author_the_last_editor(memo, granskare):
    services.memo_signatory_add(memo=memo, name="Greta", title="Stabschef", by=granskare)
    assert Memo.objects.get(pk=memo.pk).updated_by == granskare
