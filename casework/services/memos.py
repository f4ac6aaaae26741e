"""Tjänsteskrivelser: create, edit, sections and signatories, and the way from draft to sent."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from casework.models import (
    AgendaItem,
    Case,
    Memo,
    MemoAttachment,
    MemoSection,
    MemoSignatory,
    MemoState,
    RenderKind,
)
from casework.services.rendering import render_request
from casework.text import is_blank
from solna_sn import audit, notifications, ordering, permissions, review
from solna_sn.errors import StaleEditError, StateError, require
from solna_sn.lib.text import text_problem
from solna_sn.models import Role, User

MEMO_TEXT_FIELDS = ("title", "date", "decision_proposal", "summary", "dispatch_to")


def default_signatories() -> list[tuple[User | None, str, str]]:
    """Förvaltningschef first, as on every memo in the sources."""
    chief = User.objects.filter(role=Role.FORVALTNINGSCHEF, is_active=True).order_by("pk").first()
    if chief is None:
        return []
    return [(chief, chief.get_full_name() or chief.username, chief.title or "Förvaltningschef")]


@transaction.atomic
def memo_create(*, case: Case, by, unit=None, date: datetime.date | None = None) -> Memo:
    unit = unit or case.unit or by.units.first()
    if unit is None:
        raise ValidationError({"unit": "Välj vilken enhet som ansvarar för tjänsteskrivelsen."})
    require(permissions.can_write_memo(by, unit))
    if case.memos.exists():
        raise StateError(
            "Ärendet har redan en tjänsteskrivelse. Skapa en ny revision av den i stället."
        )
    memo = Memo.objects.create(
        case=case,
        administration=unit.administration,
        unit=unit,
        date=date or timezone.localdate(),
        title=case.title,
        created_by=by,
    )
    for position, (user, name, title) in enumerate(default_signatories(), start=1):
        MemoSignatory.objects.create(
            memo=memo, position=position, user=user, name=name, title=title
        )
    audit.record("memo.created", by=by, target=memo, changes={"case": (None, case.dnr)})
    return memo


def _memo_snapshot(memo: Memo) -> dict:
    data = {name: getattr(memo, name) for name in MEMO_TEXT_FIELDS}
    data["date"] = memo.date.isoformat() if memo.date else ""
    data["dispatch_bulleted"] = memo.dispatch_bulleted
    for section in memo.sections.all():
        data[f"section-{section.pk}-heading"] = section.heading
        data[f"section-{section.pk}-body"] = section.body
    return data


def _require_draft(memo: Memo) -> None:
    if memo.state == MemoState.SENT:
        raise StateError(
            "Tjänsteskrivelsen är skickad till nämnden och kan inte ändras. "
            "Skapa en ny revision för att göra ändringar."
        )
    if memo.state != MemoState.DRAFT:
        raise StateError(
            f"Tjänsteskrivelsen har status {memo.get_state_display().lower()} och kan bara "
            "ändras som utkast."
        )


def _lock_memo(memo: Memo) -> Memo:
    return Memo.objects.select_for_update().select_related("case").get(pk=memo.pk)


@transaction.atomic
def memo_save(*, memo: Memo, version: int, data: dict, by) -> Memo:
    """Save the memo's texts (and its extra sections) if nobody saved since `version`.

    `data` holds the MEMO_TEXT_FIELDS (date as a date), `dispatch_bulleted`, and
    "section-<id>-heading"/"-body" for existing sections. Raises StaleEditError on conflict.
    """
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    if memo.version != version:
        raise StaleEditError(_memo_snapshot(memo))
    errors = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = "Rubriken får inte vara tom."
    date = data.get("date")
    if not isinstance(date, datetime.date):
        errors["date"] = "Ange datum som ÅÅÅÅ-MM-DD."
    if errors:
        raise ValidationError(errors)
    before = _memo_snapshot(memo)
    memo.title = title
    memo.date = date
    for name in ("decision_proposal", "summary", "dispatch_to"):
        setattr(memo, name, (data.get(name) or "").strip())
    memo.dispatch_bulleted = bool(data.get("dispatch_bulleted"))
    for section in memo.sections.all():
        heading = data.get(f"section-{section.pk}-heading")
        body = data.get(f"section-{section.pk}-body")
        if heading is None and body is None:
            continue
        section.heading = (heading or "").strip()
        section.body = (body or "").strip()
        section.save(update_fields=["heading", "body"])
    memo.version = F("version") + 1
    memo.updated_by = by
    memo.save()
    memo.refresh_from_db()
    changed = sorted(field for field, _ in audit.diff(before, _memo_snapshot(memo)).items())
    if changed:
        audit.record("memo.saved", by=by, target=memo, changes={"fält": (None, changed)})
    return memo


def _bump(memo: Memo, by) -> None:
    """A change to the memo's content: a new version, and `by` is its last editor."""
    Memo.objects.filter(pk=memo.pk).update(
        version=F("version") + 1, updated_at=timezone.now(), updated_by=by
    )


@transaction.atomic
def memo_section_add(*, memo: Memo, by, heading: str = "") -> MemoSection:
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    heading = (heading or "").strip()
    limit = MemoSection._meta.get_field("heading").max_length
    problem = text_problem(heading, max_length=limit, multiline=False)
    if problem:
        raise ValidationError({"heading": f"Avsnittets rubrik: {problem}"})
    position = (memo.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    section = MemoSection.objects.create(memo=memo, position=position, heading=heading)
    _bump(memo, by)
    audit.record("memo.section_added", by=by, target=memo, changes={"avsnitt": (None, heading)})
    return section


@transaction.atomic
def memo_section_remove(*, section: MemoSection, by) -> None:
    memo = _lock_memo(section.memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    audit.record(
        "memo.section_removed",
        by=by,
        target=memo,
        changes={"avsnitt": ((section.heading, section.body), None)},
    )
    section.delete()
    _bump(memo, by)


@transaction.atomic
def memo_signatory_add(*, memo: Memo, by, user=None, name: str = "", title: str = "") -> None:
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    name = (name or (user.get_full_name() if user else "")).strip()
    title = (title or (user.title if user else "")).strip()
    errors = {}
    if not name:
        errors["name"] = "Ange namn på den som undertecknar."
    if not title:
        errors["title"] = "Ange titeln som ska stå under namnet, till exempel Enhetschef."
    if errors:
        raise ValidationError(errors)
    position = (memo.signatories.aggregate(m=Max("position"))["m"] or 0) + 1
    MemoSignatory.objects.create(memo=memo, position=position, user=user, name=name, title=title)
    _bump(memo, by)
    audit.record(
        "memo.signatory_added", by=by, target=memo, changes={"undertecknare": (None, name)}
    )


@transaction.atomic
def memo_signatory_remove(*, signatory: MemoSignatory, by) -> None:
    memo = _lock_memo(signatory.memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    audit.record(
        "memo.signatory_removed",
        by=by,
        target=memo,
        changes={"undertecknare": (f"{signatory.name}, {signatory.title}", None)},
    )
    signatory.delete()
    _bump(memo, by)


@transaction.atomic
def memo_signatory_move(*, signatory: MemoSignatory, direction: int, by) -> None:
    memo = _lock_memo(signatory.memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    if ordering.move(MemoSignatory, signatory, direction, memo=memo):
        _bump(memo, by)


@transaction.atomic
def memo_problems(memo: Memo) -> dict[str, str]:
    """What must be in place before a memo goes to review."""
    problems = {}
    if is_blank(memo.decision_proposal):
        problems["decision_proposal"] = (
            "Förslag till beslut saknas. Skriv vad nämnden föreslås besluta."
        )
    if is_blank(memo.summary):
        problems["summary"] = "Sammanfattning saknas."
    if not memo.signatories.exists():
        problems["signatories"] = "Minst en person måste underteckna (förvaltningschefen först)."
    return problems


def _transition(memo: Memo, *, to: str, by, reason: str = "", **fields) -> Memo:
    old = memo.state
    memo.state = to
    for name, value in fields.items():
        setattr(memo, name, value)
    memo.version = F("version") + 1
    memo.save()
    memo.refresh_from_db()
    audit.record(f"memo.{to}", by=by, target=memo, changes={"status": (old, to)}, reason=reason)
    return memo


@transaction.atomic
def memo_submit(*, memo: Memo, by) -> Memo:
    """Utkast → För granskning."""
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    if memo.state != MemoState.DRAFT:
        raise StateError("Bara ett utkast kan skickas till granskning.")
    problems = memo_problems(memo)
    if problems:
        raise ValidationError(problems)
    memo = _transition(memo, to=MemoState.REVIEW, by=by, review_comment="")
    _notify(memo, notifications.REVIEW, by, notifications.reviewers(permissions.LEADERSHIP_ROLES))
    return memo


def _writers(memo: Memo) -> list[int | None]:
    """Who the memo goes back to: the one who sent it for review and its last writer."""
    return [
        notifications.last_actor(memo, f"memo.{MemoState.REVIEW}"),
        memo.updated_by_id or memo.created_by_id,
    ]


def _notify(memo: Memo, event: str, by, recipients, comment: str = "") -> None:
    notifications.notify(
        event,
        recipients=recipients,
        by=by,
        what="tjänsteskrivelsen",
        title=memo.title,
        path=reverse("casework:memo_detail", args=[memo.pk]),
        comment=comment,
    )


@transaction.atomic
def memo_return(*, memo: Memo, by, comment: str) -> Memo:
    """För granskning (or Godkänd) → Utkast, with a comment to the writer."""
    memo = _lock_memo(memo)
    require(permissions.can_review_memo(by))
    if memo.state not in (MemoState.REVIEW, MemoState.APPROVED):
        raise StateError("Bara en tjänsteskrivelse under granskning eller godkänd kan återföras.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Skriv vad som behöver ändras."})
    if problem := text_problem(comment):
        raise ValidationError({"comment": problem})
    memo = _transition(memo, to=MemoState.DRAFT, by=by, reason=comment, review_comment=comment)
    _notify(memo, notifications.RETURNED, by, _writers(memo), comment)
    return memo


@transaction.atomic
def memo_approve(*, memo: Memo, by) -> Memo:
    """För granskning → Godkänd."""
    memo = _lock_memo(memo)
    require(permissions.can_review_memo(by))
    if memo.state != MemoState.REVIEW:
        raise StateError("Bara en tjänsteskrivelse under granskning kan godkännas.")
    allowed, reason = memo_may_approve(memo, by)
    if not allowed:
        raise StateError(reason)
    memo = _transition(memo, to=MemoState.APPROVED, by=by)
    _notify(memo, notifications.APPROVED, by, _writers(memo))
    return memo


def memo_may_approve(memo: Memo, user) -> tuple[bool, str]:
    """Fyraögonprincipen: not the last one who changed the memo (or its first writer, for a
    memo nobody has changed since it was created)."""
    return review.may_approve(
        user, memo.updated_by_id or memo.created_by_id, what="tjänsteskrivelsen"
    )


def _send(memo: Memo, by) -> Memo:
    if memo.state != MemoState.APPROVED:
        raise StateError(
            f"”{memo.title}” är inte godkänd (status {memo.get_state_display().lower()})."
        )
    memo = _transition(memo, to=MemoState.SENT, by=by, sent_at=timezone.now())
    # Meetings not yet sent that carry an earlier revision now carry this one.
    if memo.previous_id:
        AgendaItem.objects.filter(memo_id=memo.previous_id, meeting__sent_at__isnull=True).update(
            memo=memo
        )
    return memo


@transaction.atomic
def memo_send(*, memo: Memo, by) -> Memo:
    """Godkänd → Skickad till nämnd. The memo is frozen from now on."""
    memo = _lock_memo(memo)
    require(permissions.can_send_to_committee(by))
    memo = _send(memo, by)
    transaction.on_commit(lambda: render_request(kind=RenderKind.MEMO, memo=memo))
    return memo


@transaction.atomic
def memo_new_revision(*, memo: Memo, by, reason: str) -> Memo:
    """A change to a sent memo: copy it into a new draft revision; the sent one stays as it
    was, readable and printable."""
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    if memo.state != MemoState.SENT:
        raise StateError("Bara en skickad tjänsteskrivelse behöver en ny revision; ändra utkastet.")
    if Memo.objects.filter(previous=memo).exists():
        raise StateError("Det finns redan en nyare revision av tjänsteskrivelsen.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Skriv varför tjänsteskrivelsen ändras."})
    if problem := text_problem(reason):
        raise ValidationError({"reason": problem})
    new = Memo.objects.create(
        case=memo.case,
        revision=memo.revision + 1,
        previous=memo,
        administration=memo.administration,
        unit=memo.unit,
        date=timezone.localdate(),
        title=memo.title,
        decision_proposal=memo.decision_proposal,
        summary=memo.summary,
        dispatch_to=memo.dispatch_to,
        dispatch_bulleted=memo.dispatch_bulleted,
        created_by=by,
    )
    for s in memo.signatories.all():
        MemoSignatory.objects.create(
            memo=new, position=s.position, user=s.user, name=s.name, title=s.title
        )
    for a in memo.attachments.all():
        MemoAttachment.objects.create(
            memo=new,
            position=a.position,
            title=a.title,
            file=a.file.name,
            sha256=a.sha256,
            page_count=a.page_count,
            size=a.size,
            source_memo=a.source_memo,
        )
    for s in memo.sections.all():
        MemoSection.objects.create(memo=new, position=s.position, heading=s.heading, body=s.body)
    audit.record(
        "memo.revision_created",
        by=by,
        target=new,
        changes={"revision": (memo.revision, new.revision)},
        reason=reason,
    )
    return new


def memo_read_only_reason(memo: Memo, user) -> str:
    """Why `user` may read but not change the memo's text (Swedish), or "" when they may: the
    memo belongs to another enhet, or its state (review, approved, sent) locks the text."""
    if not permissions.can_write_memo(user, memo.unit):
        return f"Tjänsteskrivelsen tillhör {memo.unit.name}. Du kan läsa den men inte ändra."
    if memo.state == MemoState.REVIEW:
        return (
            "Tjänsteskrivelsen är skickad för granskning och kan inte ändras nu. Granskaren "
            "godkänner den eller återför den till utkast."
        )
    if memo.state == MemoState.APPROVED:
        return (
            "Tjänsteskrivelsen är godkänd och kan inte ändras. Behöver den ändras återför "
            "granskaren den till utkast innan den skickas."
        )
    if memo.state == MemoState.SENT:
        return (
            "Tjänsteskrivelsen är skickad till nämnden och låst. Ändringar görs i en ny revision."
        )
    return ""
