"""Avtalsuppföljningar: start, fill in, check, approve and write the tjänsteskrivelse."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from casework import services as report_services
from casework.models import MemoState
from contracts import reporting
from contracts.documents import document_title, followup_html
from contracts.models import (
    ChecklistActivity,
    CheckResult,
    CheckTopic,
    ContractFollowUp,
    FollowUpItem,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTemplate,
    Outcome,
    Rating,
    SimplifiedCheck,
    TemplateArea,
)
from contracts.services.common import (
    _choice,
    _date,
    _raise,
    _require,
    _text,
)
from printing import services as printing
from solna_sn import audit, notifications, permissions, review
from solna_sn.celery import app as celery_app
from solna_sn.lib.text import text_problem

# --- Avtalsuppföljningar -------------------------------------------------------------------


def _lock_followup(followup: ContractFollowUp) -> ContractFollowUp:
    return (
        ContractFollowUp.objects.select_for_update(of=("self",))
        .select_related("contract__unit", "plan")
        .get(pk=followup.pk)
    )


def _lock_for_edit(followup: ContractFollowUp, by) -> ContractFollowUp:
    """Lock the follow-up for a change by `by`: their enhet's, and not yet approved."""
    followup = _lock_followup(followup)
    _require(permissions.can_edit_contracts(by, followup.contract.unit))
    _require_editable(followup)
    return followup


def _require_editable(followup: ContractFollowUp) -> None:
    if followup.is_locked:
        raise ValidationError(
            {NON_FIELD_ERRORS: "Uppföljningen är godkänd och låst. Den kan inte ändras."}
        )


@transaction.atomic
def followup_start(*, followup: ContractFollowUp, by, template: FollowUpTemplate | None = None):
    """Start the follow-up: an ordinarie one gets its numbered items from the template (the
    contract's unless another is chosen), a förenklad one its four checks."""
    followup = _lock_for_edit(followup, by)
    if followup.status != FollowUpStatus.PLANNED:
        raise ValidationError({NON_FIELD_ERRORS: "Uppföljningen är redan påbörjad."})
    if followup.kind == FollowUpKind.ORDINARY:
        template = template or followup.contract.template
        if template is None:
            raise ValidationError(
                {"template": "Välj en mall för ordinarie uppföljning med områden och punkter."}
            )
        areas = TemplateArea.objects.filter(template=template).prefetch_related("items")
        items = [
            FollowUpItem(
                followup=followup,
                area_number=area.number,
                area_title=area.title,
                number=item.number,
                text=item.text,
            )
            for area in areas
            for item in area.items.all()
        ]
        if not items:
            raise ValidationError({"template": f"Mallen {template} har inga punkter."})
        FollowUpItem.objects.bulk_create(items)
        followup.template_name = template.name
    else:
        SimplifiedCheck.objects.bulk_create(
            SimplifiedCheck(followup=followup, topic=topic, position=position)
            for position, topic in enumerate(CheckTopic.values, start=1)
        )
    followup.status = FollowUpStatus.IN_PROGRESS
    followup.updated_by = by
    followup.save()
    audit.record(
        "followup.started",
        by=by,
        target=followup,
        changes={"status": (FollowUpStatus.PLANNED.value, followup.status)},
        reason=f"mall: {followup.template_name}" if followup.template_name else "",
    )
    return followup


TEXT_FIELDS = ("method_documents", "method_visits", "method_interviews", "verdict")


@transaction.atomic
def followup_save(*, followup: ContractFollowUp, data: dict, by) -> ContractFollowUp:
    """Save what the follow-up found. `data` may hold TEXT_FIELDS, "outcome", "completed_on",
    "items" {item_pk: (rating, comment)} and "checks" {check_pk: (result, narrative)}.
    Ratings must be on the scale; nothing is saved if anything is wrong."""
    followup = _lock_for_edit(followup, by)
    if followup.status == FollowUpStatus.PLANNED:
        raise ValidationError({NON_FIELD_ERRORS: "Starta uppföljningen först."})
    errors: dict = {}
    texts = {
        name: _text(data.get(name), field=name, errors=errors)
        for name in TEXT_FIELDS
        if name in data
    }
    outcome = None
    if "outcome" in data:
        outcome = _choice(
            data.get("outcome"),
            Outcome,
            field="outcome",
            errors=errors,
            allow_blank=True,
            message="Välj ett resultat i listan.",
        )
    completed_on = _date(data.get("completed_on"), field="completed_on", errors=errors)
    if completed_on and completed_on > timezone.localdate():
        errors["completed_on"] = "Datumet för genomförd uppföljning kan inte ligga i framtiden."

    items = {item.pk: item for item in followup.items.all()}
    item_updates = []
    scale = ", ".join(Rating.labels)
    for pk, value in (data.get("items") or {}).items():
        item = items.get(pk)
        if item is None:
            errors[NON_FIELD_ERRORS] = "En bedömningspunkt hör inte till uppföljningen."
            continue
        if not isinstance(value, tuple | list) or len(value) != 2:
            errors[f"item-{pk}-rating"] = f"Punkt {item.code}: ange bedömning och kommentar."
            continue
        rating, comment = value
        if not isinstance(comment, str | None):
            errors[f"item-{pk}-comment"] = f"Punkt {item.code}: kommentaren ska vara text."
            continue
        if problem := text_problem(comment or ""):
            errors[f"item-{pk}-comment"] = f"Punkt {item.code}: {problem}"
            continue
        if rating not in ("", None, *Rating.values):
            errors[f"item-{pk}-rating"] = (
                f"Punkt {item.code}: ”{rating}” finns inte på skalan ({scale})."
            )
            continue
        item.rating = rating or ""
        item.comment = (comment or "").strip()
        item_updates.append(item)
    checks = {check.pk: check for check in followup.checks.all()}
    check_updates = []
    for pk, value in (data.get("checks") or {}).items():
        check = checks.get(pk)
        if check is None:
            errors[NON_FIELD_ERRORS] = "En kontroll hör inte till uppföljningen."
            continue
        if not isinstance(value, tuple | list) or len(value) != 2:
            errors[f"check-{pk}-result"] = f"{check.get_topic_display()}: ange resultat."
            continue
        result, narrative = value
        if not isinstance(narrative, str | None):
            errors[f"check-{pk}-narrative"] = "Beskrivningen ska vara text."
            continue
        if problem := text_problem(narrative or ""):
            errors[f"check-{pk}-narrative"] = f"{check.get_topic_display()}: {problem}"
            continue
        if result not in ("", None, *CheckResult.values):
            errors[f"check-{pk}-result"] = (
                f"{check.get_topic_display()}: välj godkänd eller ej godkänd."
            )
            continue
        check.result = result or ""
        check.narrative = (narrative or "").strip()
        check_updates.append(check)
    _raise(errors)

    before = _followup_snapshot(followup)
    for name, value in texts.items():
        setattr(followup, name, value)
    if outcome is not None:
        followup.outcome = outcome
    if "completed_on" in data:
        followup.completed_on = completed_on
    followup.updated_by = by
    followup.save()
    FollowUpItem.objects.bulk_update(item_updates, ["rating", "comment"])
    SimplifiedCheck.objects.bulk_update(check_updates, ["result", "narrative"])
    changes = audit.diff(before, _followup_snapshot(followup))
    if changes:
        audit.record("followup.saved", by=by, target=followup, changes=changes)
    return followup


def _followup_snapshot(followup: ContractFollowUp) -> dict:
    data = {name: getattr(followup, name) for name in (*TEXT_FIELDS, "outcome", "completed_on")}
    for item in followup.items.all():
        data[f"punkt {item.code}"] = f"{item.rating}: {item.comment}" if item.rating else ""
    for check in followup.checks.all():
        data[check.get_topic_display()] = f"{check.result}: {check.narrative}"
    return data


def followup_problems(followup: ContractFollowUp) -> list[str]:
    """What must be in place before the follow-up can be approved."""
    if followup.status == FollowUpStatus.PLANNED:
        return ["Uppföljningen är inte påbörjad."]
    problems = []
    if followup.kind == FollowUpKind.ORDINARY:
        unrated = [item.code for item in followup.items.all() if not item.rating]
        if unrated:
            problems.append(
                f"{len(unrated)} punkter saknar bedömning: {', '.join(unrated)}."
                if len(unrated) > 1
                else f"Punkt {unrated[0]} saknar bedömning."
            )
        if not (followup.method_documents or followup.method_visits or followup.method_interviews):
            problems.append("Beskriv metoden: granskade dokument, besök eller intervjuer.")
    else:
        missing = [c.get_topic_display() for c in followup.checks.all() if not c.result]
        if missing:
            problems.append(f"Kontroller utan resultat: {', '.join(missing)}.")
    if not followup.outcome:
        problems.append("Välj resultat för uppföljningen.")
    if not followup.verdict:
        problems.append("Skriv den samlade bedömningen.")
    if followup.completed_on is None:
        problems.append("Ange när uppföljningen genomfördes.")
    return problems


def followup_may_approve(followup: ContractFollowUp, user) -> tuple[bool, str]:
    """Fyraögonprincipen: not the one who last changed the follow-up."""
    return review.may_approve(user, followup.updated_by_id, what="uppföljningen")


@transaction.atomic
def followup_approve(*, followup: ContractFollowUp, by) -> ContractFollowUp:
    """Approve a complete follow-up; it is locked from then on."""
    _require(permissions.can_approve_contract_followup(by))
    followup = _lock_followup(followup)
    _require_editable(followup)
    allowed, reason = followup_may_approve(followup, by)
    if not allowed:
        raise ValidationError({NON_FIELD_ERRORS: reason})
    problems = followup_problems(followup)
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: problems})
    # Who did the follow-up: the one who started it and the one who last changed it.
    writers = [notifications.last_actor(followup, "followup.started"), followup.updated_by_id]
    followup.status = FollowUpStatus.APPROVED
    followup.approved_at = timezone.now()
    followup.approved_by = by
    followup.updated_by = by
    followup.save()
    audit.record(
        "followup.approved",
        by=by,
        target=followup,
        changes={"status": (FollowUpStatus.IN_PROGRESS.value, FollowUpStatus.APPROVED.value)},
    )
    notifications.notify(
        notifications.APPROVED,
        recipients=writers,
        by=by,
        what="uppföljningen",
        title=document_title(followup),
        path=reverse("contracts:followup_detail", args=[followup.pk]),
    )
    return followup


def followups_with_content():
    """Follow-ups with everything their pages, exports and texts read."""
    return ContractFollowUp.objects.select_related(
        "contract__unit", "plan", "meeting", "approved_by", "memo"
    ).prefetch_related(
        "contract__suppliers",
        "contract__extensions",
        "items",
        "checks",
        "deficiencies",
        Prefetch(
            "activities",
            queryset=ChecklistActivity.objects.prefetch_related("places"),
        ),
    )


@transaction.atomic
def followup_memo_create(*, followup: ContractFollowUp, by):
    """The tjänsteskrivelse for an approved follow-up: registers an ärende, creates the memo
    with title and summary filled in, and links it to the follow-up. Asking again returns the
    memo already made."""

    followup = _lock_followup(followup)
    _require(permissions.can_edit_contracts(by, followup.contract.unit))
    if followup.status != FollowUpStatus.APPROVED:
        raise ValidationError(
            {NON_FIELD_ERRORS: "Tjänsteskrivelsen skapas när uppföljningen är godkänd."}
        )
    if followup.memo_id:
        return followup.memo
    full = followups_with_content().get(pk=followup.pk)
    title = reporting.memo_title(full)
    case = report_services.case_register(
        committee=followup.plan.committee,
        title=title,
        by=by,
        unit=followup.contract.unit,
        dnr="",
    )
    memo = report_services.memo_create(case=case, by=by, unit=followup.contract.unit)
    memo = report_services.memo_save(
        memo=memo,
        version=memo.version,
        data={
            "title": title,
            "date": memo.date,
            "decision_proposal": reporting.memo_decision_proposal(full),
            "summary": reporting.memo_summary(full),
            "dispatch_to": "",
            "dispatch_bulleted": True,
        },
        by=by,
    )
    followup.memo = memo
    followup.save(update_fields=["memo", "updated_at"])
    audit.record(
        "followup.memo_created", by=by, target=followup, changes={"ärende": (None, case.dnr)}
    )
    # The follow-up's PDF belongs under the memo's Handlingar; rendering is the worker's.
    transaction.on_commit(
        lambda: celery_app.send_task(
            ATTACH_TASK, kwargs={"followup_id": followup.pk, "by_id": by.pk}
        )
    )
    return memo


ATTACH_TASK = "contracts.attach_followup_pdf"


@transaction.atomic
def followup_pdf_attach(*, followup: ContractFollowUp, by) -> None:
    """Render the approved follow-up through printing and add the PDF to its memo's
    Handlingar as an uploaded handling (run by the worker after the memo is created). Does
    nothing when the memo is no longer a draft or already has the follow-up's PDF."""
    full = followups_with_content().get(pk=followup.pk)
    memo = full.memo
    if memo is None or memo.state != MemoState.DRAFT:
        return
    title = f"Avtalsuppföljning: {document_title(full)}"
    if memo.attachments.filter(title=title).exists():
        return
    pdf, _pages = printing.render_pdf(followup_html(full), [], [])
    report_services.memo_attachment_upload(
        memo=memo, title=title, upload=ContentFile(pdf, name="avtalsuppfoljning.pdf"), by=by
    )
