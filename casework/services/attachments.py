"""Handlingar of a tjänsteskrivelse: uploaded PDFs and other memos enclosed."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from casework.models import (
    Memo,
    MemoAttachment,
    MemoState,
    Secrecy,
    attachment_upload_to,
)
from casework.services.memos import _bump, _lock_memo, _require_draft
from solna_sn import audit, ordering, permissions
from solna_sn.errors import require
from solna_sn.lib import pdf as pdflib
from solna_sn.lib.numbers import format_number


def memo_attachment_upload(*, memo: Memo, title: str, upload, by) -> MemoAttachment:
    """Add an uploaded PDF to the memo's Handlingar. The file must be a readable,
    unencrypted PDF within the size limit; nothing is stored otherwise."""
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Ange handlingens titel, så som den ska stå under Handlingar."
    if upload is None:
        errors["file"] = "Välj en PDF-fil att ladda upp."
    elif upload.size > settings.MEMO_ATTACHMENT_MAX_BYTES:
        limit = format_number(Decimal(settings.MEMO_ATTACHMENT_MAX_BYTES) / 1048576, 0)
        size = format_number(Decimal(upload.size) / 1048576, 1)
        errors["file"] = f"Filen är för stor ({size} MB). Största tillåtna storlek är {limit} MB."
    if errors:
        raise ValidationError(errors)
    try:
        # Stored without scripts, actions or embedded files; refused without a MediaBox or
        # over the page limit.
        info = pdflib.sanitize_pdf(
            upload.read(),
            max_pages=getattr(settings, "ATTACHMENT_MAX_PAGES", pdflib.MAX_PAGES),
        )
    except pdflib.PdfError as error:
        raise ValidationError({"file": str(error)}) from error
    data = info.data
    digest = hashlib.sha256(data).hexdigest()
    position = (memo.attachments.aggregate(m=Max("position"))["m"] or 0) + 1
    attachment = MemoAttachment(
        memo=memo,
        position=position,
        title=title,
        sha256=digest,
        page_count=info.pages,
        size=len(data),
    )
    name = attachment_upload_to(attachment, "")
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    attachment.file.name = name
    attachment.save()
    _bump(memo, by)
    audit.record(
        "memo.attachment_added",
        by=by,
        target=memo,
        changes={"handling": (None, f"{title} ({info.pages} s.)")},
    )
    return attachment


def linkable_memos(memo: Memo):
    """The memos the Handlingar picker offers `memo`: approved or sent, of another ärende,
    and no secret memo unless `memo` is itself confidential (see `Secrecy`)."""
    candidates = Memo.objects.filter(state__in=[MemoState.APPROVED, MemoState.SENT]).exclude(
        case=memo.case_id
    )
    secrecy = Secrecy.now()
    if memo.pk not in secrecy.confidential_memo_ids:
        candidates = candidates.exclude(pk__in=secrecy.memo_ids)
    return candidates


def may_enclose(memo: Memo, source: Memo) -> bool:
    return linkable_memos(memo).filter(pk=source.pk).exists()


@transaction.atomic
def memo_attachment_link(*, memo: Memo, source: Memo, by) -> MemoAttachment:
    """Add another tjänsteskrivelse in the system as an enclosure."""
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    if source.pk == memo.pk or source.case_id == memo.case_id:
        raise ValidationError({"source": "En tjänsteskrivelse kan inte bifoga sig själv."})
    if source.state not in (MemoState.APPROVED, MemoState.SENT):
        raise ValidationError(
            {"source": "Bara godkända eller skickade tjänsteskrivelser kan bifogas."}
        )
    if not may_enclose(memo, source):
        raise ValidationError(
            {
                "source": "Tjänsteskrivelsen omfattas av sekretess och kan bara bifogas till "
                "ett ärende som självt har sekretess."
            }
        )
    position = (memo.attachments.aggregate(m=Max("position"))["m"] or 0) + 1
    attachment = MemoAttachment.objects.create(
        memo=memo,
        position=position,
        title=f"Tjänsteskrivelse {source.case.dnr} {source.title}",
        source_memo=source,
    )
    _bump(memo, by)
    audit.record(
        "memo.attachment_added", by=by, target=memo, changes={"handling": (None, attachment.title)}
    )
    return attachment


@transaction.atomic
def memo_attachment_remove(*, attachment: MemoAttachment, by) -> None:
    memo = _lock_memo(attachment.memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    audit.record(
        "memo.attachment_removed",
        by=by,
        target=memo,
        changes={"handling": (attachment.title, None)},
    )
    attachment.delete()  # the stored file stays: other memos or sent PDFs may use it
    _bump(memo, by)


@transaction.atomic
def memo_attachment_move(*, attachment: MemoAttachment, direction: int, by) -> None:
    memo = _lock_memo(attachment.memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    ordering.move(MemoAttachment, attachment, direction, memo=memo)
    _bump(memo, by)
