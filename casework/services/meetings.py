"""Sammanträden: agenda items, sending the kallelse, recording decisions."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from casework.models import (
    AgendaItem,
    Case,
    Decision,
    Meeting,
    MemoState,
    RenderKind,
)
from casework.services.memos import _lock_memo, _send
from casework.services.rendering import render_request
from solna_sn import audit, ordering, permissions
from solna_sn.errors import StateError, require
from solna_sn.models import Committee


def _meeting_errors(date, time_, place) -> dict:
    errors = {}
    if not isinstance(date, datetime.date):
        errors["date"] = "Ange datum som ÅÅÅÅ-MM-DD."
    if not isinstance(time_, datetime.time):
        errors["time"] = "Ange tid som TT:MM, till exempel 18:00."
    if not (place or "").strip():
        errors["place"] = "Ange var sammanträdet hålls."
    return errors


@transaction.atomic
def meeting_create(*, committee: Committee, date, time, place: str, by) -> Meeting:
    require(permissions.can_manage_meetings(by))
    errors = _meeting_errors(date, time, place)
    if not errors and Meeting.objects.filter(committee=committee, date=date, time=time).exists():
        errors["date"] = "Nämnden har redan ett sammanträde den dagen och tiden."
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(committee=committee, date=date, time=time, place=place.strip())
    audit.record(
        "meeting.created", by=by, target=meeting, changes={"datum": (None, date.isoformat())}
    )
    return meeting


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)


def _require_unsent(meeting: Meeting) -> None:
    if meeting.is_sent:
        raise StateError("Kallelsen är redan skickad till nämnden; ärendelistan kan inte ändras.")


def _next_label(meeting: Meeting) -> str:
    highest = 0
    for label in meeting.items.values_list("label", flat=True):
        tail = label.replace("–", "-").split("-")[-1].strip()
        if tail.isdigit():
            highest = max(highest, int(tail))
    return str(highest + 1)


LABEL_HELP = "Numret ska vara ett tal eller ett intervall, till exempel 6 eller 4-5."


def _clean_label(label: str) -> str:
    label = (label or "").strip().replace("–", "-").replace(" ", "")
    if not re.fullmatch(r"[1-9]\d{0,2}(-[1-9]\d{0,2})?", label):
        raise ValidationError({"label": LABEL_HELP})
    if "-" in label:
        first, last = (int(x) for x in label.split("-"))
        if last <= first:
            raise ValidationError({"label": "I ett intervall ska det andra talet vara större."})
    return label


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by,
    case: Case | None = None,
    title: str = "",
    label: str = "",
    confidential: bool = False,
    osl_reference: str = "",
    show_contact_text: bool = True,
) -> AgendaItem:
    meeting = _lock_meeting(meeting)
    require(permissions.can_manage_meetings(by))
    _require_unsent(meeting)
    errors = {}
    title = (title or "").strip() or (case.title if case else "")
    if not title:
        errors["title"] = "Välj ett ärende eller skriv en rubrik för punkten."
    if case is not None and case.committee_id != meeting.committee_id:
        errors["case"] = "Ärendet hör till en annan nämnd."
    try:
        label = _clean_label(label) if (label or "").strip() else _next_label(meeting)
    except ValidationError as error:
        errors.update(error.message_dict)
    else:
        if meeting.items.filter(label=label).exists():
            errors["label"] = f"Nummer {label} finns redan på ärendelistan."
    osl_reference = (osl_reference or "").strip()
    if confidential and not osl_reference:
        errors["osl_reference"] = (
            "Ange hänvisning till offentlighets- och sekretesslagen, till exempel 26 kap. 1 § OSL."
        )
    if errors:
        raise ValidationError({k: v[0] if isinstance(v, list) else v for k, v in errors.items()})
    memo = case.memos.order_by("-revision").first() if case else None
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        label=label,
        title=title,
        case=case,
        memo=memo,
        confidential=confidential,
        osl_reference=osl_reference if confidential else "",
        show_contact_text=show_contact_text,
    )
    audit.record(
        "meeting.item_added",
        by=by,
        target=meeting,
        changes={"ärende": (None, f"{label}. {title}"), "sekretess": (None, confidential)},
    )
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by) -> None:
    meeting = _lock_meeting(item.meeting)
    require(permissions.can_manage_meetings(by))
    _require_unsent(meeting)
    audit.record(
        "meeting.item_removed", by=by, target=meeting, changes={"ärende": (str(item), None)}
    )
    item.delete()
    _renumber(meeting)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, direction: int, by) -> None:
    meeting = _lock_meeting(item.meeting)
    require(permissions.can_manage_meetings(by))
    _require_unsent(meeting)
    if ordering.move(AgendaItem, item, direction, meeting=meeting):
        _renumber(meeting)


def _label_span(label: str) -> int:
    """How many numbers a label covers: "6" one, "4-5" two."""
    first, _, last = label.partition("-")
    if first.isdigit() and last.isdigit():
        return int(last) - int(first) + 1
    return 1


def _renumber(meeting: Meeting) -> None:
    """Number the items 1, 2, 3 … in their order after a removal or a move. A range such as
    "4-5" (several ärenden under one item) stays a range of the same width, moved along.
    Labels are unique per meeting, so the changed rows are parked on temporary labels first."""
    items = list(meeting.items.order_by("position", "pk"))
    labels, number = [], 1
    for item in items:
        span = _label_span(item.label)
        labels.append(str(number) if span == 1 else f"{number}-{number + span - 1}")
        number += span
    changed = [(i, new) for i, new in zip(items, labels, strict=True) if i.label != new]
    for item, _ in changed:
        AgendaItem.objects.filter(pk=item.pk).update(label=f"~{item.pk}")
    for item, new in changed:
        AgendaItem.objects.filter(pk=item.pk).update(label=new)


def agenda_numbering_problems(labels: list[str]) -> list[str]:
    """Gaps and duplicates in an ärendelista's numbers, in order (pure; the labels in the
    order of the list). The kallelse numbers its items 1, 2, 3 … without holes."""
    problems, expected, seen = [], 1, set()
    for label in labels:
        first, _, last = label.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            problems.append(f"Ärende {label} har inget giltigt nummer.")
            continue
        first_n, last_n = int(first), int(last or first)
        numbers = set(range(first_n, last_n + 1))
        if numbers & seen:
            problems.append(f"Nummer {label} förekommer två gånger på ärendelistan.")
        elif first_n != expected:
            if first_n > expected:
                missing = str(expected) if first_n - 1 == expected else f"{expected}-{first_n - 1}"
                problems.append(
                    f"Ärendelistan hoppar över nummer {missing} före ärende {label}; "
                    "numrera om eller flytta punkterna."
                )
            else:
                problems.append(f"Ärende {label} står i fel ordning på ärendelistan.")
        seen |= numbers
        expected = max(expected, last_n + 1)
    return problems


def meeting_problems(meeting: Meeting) -> list[str]:
    """What stops the kallelse from being sent."""
    problems = []
    items = list(meeting.items.select_related("case").prefetch_related("case__memos"))
    if not items:
        problems.append("Ärendelistan är tom.")
    problems.extend(agenda_numbering_problems([item.label for item in items]))
    for item in items:
        if item.case_id is None:
            continue
        latest = max(item.case.memos.all(), key=lambda m: m.revision, default=None)
        if latest is None:
            problems.append(f"Ärende {item.label} ({item.title}) saknar tjänsteskrivelse.")
        elif latest.state not in (MemoState.APPROVED, MemoState.SENT):
            problems.append(
                f"Tjänsteskrivelsen i ärende {item.label} ({item.title}) är inte godkänd "
                f"(status {latest.get_state_display().lower()})."
            )
    return problems


@transaction.atomic
def meeting_send(*, meeting: Meeting, by) -> Meeting:
    """Send the kallelse with its papers to the nämnd: every memo on the list must be approved
    (it is sent now) or already sent. The PDFs of the memos and both bundles are requested in
    the same transaction and queued for the worker when it commits."""
    meeting = _lock_meeting(meeting)
    require(permissions.can_send_to_committee(by))
    _require_unsent(meeting)
    problems = meeting_problems(meeting)
    if problems:
        raise ValidationError({"__all__": problems})
    memos = []
    for item in meeting.items.select_related("case"):
        if item.case_id is None:
            continue
        latest = _lock_memo(item.case.memos.order_by("-revision").first())
        if latest.state == MemoState.APPROVED:
            latest = _send(latest, by)
        if item.memo_id != latest.pk:
            item.memo = latest
            item.save(update_fields=["memo"])
        memos.append(latest)
    meeting.sent_at = timezone.now()
    meeting.sent_by = by
    meeting.version = F("version") + 1
    meeting.save()
    meeting.refresh_from_db()
    audit.record("meeting.sent", by=by, target=meeting, changes={"kallelse": (None, "skickad")})
    # The render rows belong to the sending: made in this transaction, so a failure leaves
    # neither a sent meeting nor documents of it. The worker is told only on commit
    # (printing.services.request enqueues with transaction.on_commit).
    for memo in memos:
        render_request(kind=RenderKind.MEMO, memo=memo)
    render_request(kind=RenderKind.BUNDLE_PUBLIC, meeting=meeting)
    render_request(kind=RenderKind.BUNDLE_INTERNAL, meeting=meeting)
    return meeting


@transaction.atomic
def decision_record(
    *,
    item: AgendaItem,
    paragraph,
    text: str,
    report_back_required: bool,
    report_back_due=None,
    by,
    today: datetime.date | None = None,
) -> Decision:
    """Protokollsutdrag for an item: § number and Beslut (recorded again = corrected)."""
    require(permissions.can_record_minutes(by))
    meeting = _lock_meeting(item.meeting)
    today = today or timezone.localdate()
    if meeting.date > today:
        raise StateError("Protokollet kan föras först från sammanträdesdagen.")
    errors = {}
    if not isinstance(paragraph, int) or not 1 <= paragraph <= 9999:
        errors["paragraph"] = "Paragrafen ska vara ett heltal från 1, till exempel 78."
    text = (text or "").strip()
    if not text:
        errors["text"] = "Skriv nämndens beslut."
    if report_back_due and not report_back_required:
        errors["report_back_due"] = "Ange ett datum bara när beslutet kräver återrapportering."
    existing = Decision.objects.filter(item=item).first()
    if isinstance(paragraph, int) and (
        Decision.objects.filter(meeting=meeting, paragraph=paragraph).exclude(item=item).exists()
    ):
        errors["paragraph"] = f"§ {paragraph} finns redan i protokollet."
    if errors:
        raise ValidationError(errors)
    before = (
        {"paragraf": existing.paragraph, "beslut": existing.text}
        if existing
        else {"paragraf": None, "beslut": None}
    )
    decision, _ = Decision.objects.update_or_create(
        item=item,
        defaults={
            "meeting": meeting,
            "paragraph": paragraph,
            "text": text,
            "report_back_required": report_back_required,
            "report_back_due": report_back_due if report_back_required else None,
        },
    )
    audit.record(
        "decision.recorded",
        by=by,
        target=decision,
        changes=audit.diff(before, {"paragraf": paragraph, "beslut": text}),
    )
    return decision


@transaction.atomic
def decision_report_back(*, decision: Decision, on: datetime.date, note: str, by) -> Decision:
    require(permissions.can_record_minutes(by))
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.report_back_required:
        raise StateError("Beslutet kräver ingen återrapportering.")
    if decision.reported_back_on:
        raise StateError("Beslutet är redan återrapporterat.")
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": "Ange hur beslutet återrapporterades, till exempel ärende och datum."}
        )
    decision.reported_back_on = on
    decision.reported_back_note = note
    decision.save(update_fields=["reported_back_on", "reported_back_note"])
    audit.record(
        "decision.reported_back",
        by=by,
        target=decision,
        changes={"återrapporterat": (None, f"{on:%Y-%m-%d} {note}")},
    )
    return decision
