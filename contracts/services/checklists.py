"""Avtalsuppföljningar, the checklist: aktiviteter with their places and brister."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from contracts.models import (
    ActivityStatus,
    ChecklistActivity,
    ChecklistPlaceStatus,
    ContractFollowUp,
    Deficiency,
    FollowUpKind,
    FollowUpStatus,
    Frequency,
)
from contracts.services.common import (
    PLACE_MAX,
    _choice,
    _date,
    _max,
    _raise,
    _text,
)
from contracts.services.followups import _lock_for_edit
from solna_sn import audit
from solna_sn.lib.text import text_problem


def _activity_fields(frequency, text, status, errors) -> tuple[str, str, str]:
    frequency = _choice(
        frequency,
        Frequency,
        field="frequency",
        errors=errors,
        message="Välj hur ofta: varje vecka, månad, kvartal, halvår eller år.",
    )
    text = _text(
        text,
        field="text",
        errors=errors,
        required="Beskriv aktiviteten.",
        max_length=_max(ChecklistActivity, "text"),
    )
    status = _choice(
        status,
        ActivityStatus,
        field="status",
        errors=errors,
        message="Välj status: Pågår, Pågår med avvikelse eller Pågår ej.",
    )
    return frequency, text, status


def _checklist_allowed(followup: ContractFollowUp) -> None:
    if followup.kind != FollowUpKind.ORDINARY:
        raise ValidationError(
            {NON_FIELD_ERRORS: "Leverantörens checklista hör till ordinarie uppföljningar."}
        )
    if followup.status == FollowUpStatus.PLANNED:
        raise ValidationError({NON_FIELD_ERRORS: "Starta uppföljningen först."})


@transaction.atomic
def activity_add(*, followup: ContractFollowUp, frequency, text, status, by) -> ChecklistActivity:
    followup = _lock_for_edit(followup, by)
    _checklist_allowed(followup)
    errors: dict = {}
    frequency, text, status = _activity_fields(frequency, text, status, errors)
    _raise(errors)
    activity = ChecklistActivity.objects.create(
        followup=followup, frequency=frequency, text=text, status=status
    )
    audit.record(
        "followup.activity_added",
        by=by,
        target=followup,
        changes={"aktivitet": (None, f"{activity.get_frequency_display()}: {text} ({status})")},
    )
    return activity


@transaction.atomic
def activity_update(
    *, activity: ChecklistActivity, status, by, places: dict[str, str] | None = None
) -> ChecklistActivity:
    """Set the common status and the statuses of units/homes that differ from it
    (`places`: name → status; a place whose status equals the common one is dropped)."""
    followup = _lock_for_edit(activity.followup, by)
    errors: dict = {}
    message = "Välj status: Pågår, Pågår med avvikelse eller Pågår ej."
    status = _choice(status, ActivityStatus, field="status", errors=errors, message=message)
    cleaned_places = {}
    for name, place_status in (places or {}).items():
        name = (name or "").strip()
        if not name:
            continue
        if len(name) > PLACE_MAX:
            errors["place"] = f"Enhetens namn får vara högst {PLACE_MAX} tecken."
            continue
        if problem := text_problem(name, max_length=PLACE_MAX, multiline=False):
            errors["place"] = problem
            continue
        if place_status not in ActivityStatus.values:
            errors["place_status"] = f"{name}: {message}"
            continue
        if place_status != status:
            cleaned_places[name] = place_status
    _raise(errors)
    before = {"status": activity.status} | {p.place: p.status for p in activity.places.all()}
    activity.status = status
    activity.save(update_fields=["status"])
    activity.places.all().delete()
    ChecklistPlaceStatus.objects.bulk_create(
        ChecklistPlaceStatus(activity=activity, place=name, status=value)
        for name, value in cleaned_places.items()
    )
    after = {"status": status} | cleaned_places
    audit.record(
        "followup.activity_updated",
        by=by,
        target=followup,
        changes={activity.text: (before, after)},
    )
    return activity


@transaction.atomic
def activity_remove(*, activity: ChecklistActivity, by) -> None:
    followup = _lock_for_edit(activity.followup, by)
    audit.record(
        "followup.activity_removed",
        by=by,
        target=followup,
        changes={"aktivitet": (activity.text, None)},
    )
    activity.delete()


@transaction.atomic
def deficiency_add(*, followup: ContractFollowUp, description, action, deadline, by) -> Deficiency:
    followup = _lock_for_edit(followup, by)
    if followup.status == FollowUpStatus.PLANNED:
        raise ValidationError({NON_FIELD_ERRORS: "Starta uppföljningen först."})
    errors: dict = {}
    description = _text(
        description, field="description", errors=errors, required="Beskriv bristen."
    )
    action = _text(action, field="action", errors=errors, required="Ange vilken åtgärd som krävs.")
    deadline = _date(
        deadline, field="deadline", errors=errors, required="Ange när bristen ska vara åtgärdad."
    )
    _raise(errors)
    deficiency = Deficiency.objects.create(
        followup=followup, description=description, action=action, deadline=deadline
    )
    audit.record(
        "followup.deficiency_added",
        by=by,
        target=followup,
        changes={"brist": (None, f"{description} – {action} ({deadline:%Y-%m-%d})")},
    )
    return deficiency


@transaction.atomic
def deficiency_remove(*, deficiency: Deficiency, by) -> None:
    followup = _lock_for_edit(deficiency.followup, by)
    audit.record(
        "followup.deficiency_removed",
        by=by,
        target=followup,
        changes={"brist": (deficiency.description, None)},
    )
    deficiency.delete()
