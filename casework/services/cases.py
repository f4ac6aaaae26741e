"""Ärenden: register a case and give it its diarienummer."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casework.models import (
    Case,
    DnrCounter,
    MemoState,
)
from solna_sn import audit, permissions
from solna_sn.errors import StateError, require
from solna_sn.lib.dnr import DnrError, parse_dnr
from solna_sn.models import Committee


def _lock_counter(committee: Committee, year: int) -> DnrCounter:
    # Create the row if missing without racing (ON CONFLICT DO NOTHING), then lock it: every
    # registration for the nämnd and year waits here for the one before it to commit.
    DnrCounter.objects.bulk_create(
        [DnrCounter(committee=committee, year=year)], ignore_conflicts=True
    )
    return DnrCounter.objects.select_for_update().get(committee=committee, year=year)


@transaction.atomic
def case_register(
    *,
    committee: Committee,
    title: str,
    by,
    unit=None,
    dnr: str = "",
    today: datetime.date | None = None,
) -> Case:
    """Register an ärende. Without `dnr` the next number of the nämnd and year is allocated;
    with `dnr` (an existing number, e.g. from the old diarium) it is validated and must be
    free. Numbers are never reused."""
    require(permissions.can_register_case(by))
    today = today or timezone.localdate()
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Ange ärendets rubrik."
    year = today.year
    number = None
    if dnr.strip():
        try:
            parsed = parse_dnr(dnr)
        except DnrError as error:
            errors["dnr"] = str(error)
        else:
            if parsed.prefix != committee.dnr_prefix:
                errors["dnr"] = (
                    f"{committee.name} har prefixet {committee.dnr_prefix}, inte {parsed.prefix}."
                )
            elif parsed.year > today.year:
                errors["dnr"] = f"Året {parsed.year} har inte börjat än."
            year, number = parsed.year, parsed.number
    if errors:
        raise ValidationError(errors)

    counter = _lock_counter(committee, year)
    year_cases = Case.objects.filter(committee=committee, year=year)
    if number is None:
        taken = set(
            year_cases.filter(number__gt=counter.last_number).values_list("number", flat=True)
        )
        number = counter.last_number + 1
        while number in taken:
            number += 1
    elif year_cases.filter(number=number).exists():
        raise ValidationError(
            {"dnr": f"Diarienumret {committee.dnr_prefix}/{year}:{number} finns redan."}
        )
    if number > counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])
    case = Case.objects.create(
        committee=committee,
        year=year,
        number=number,
        title=title,
        unit=unit,
        registered_on=today,
        registered_by=by,
    )
    audit.record(
        "case.registered",
        by=by,
        target=case,
        changes={"dnr": (None, case.dnr), "title": (None, title)},
        reason="angivet diarienummer" if dnr.strip() else "",
    )
    return case


def case_locked_reason(case: Case) -> str:
    """Why nobody may correct the ärende's title and enhet any more (Swedish), or "": once a
    tjänsteskrivelse of it has been sent, the papers the nämnd has read carry them."""
    if case.memos.filter(state=MemoState.SENT).exists():
        return (
            f"Ärendet {case.dnr} har en tjänsteskrivelse som har skickats till nämnden. Rubrik "
            "och ansvarig enhet kan inte längre ändras."
        )
    return ""


def case_edit_refusal(*, case: Case, by) -> str:
    """Why `by` may not correct the ärende's title and enhet (Swedish), or "" if they may: the
    registrar, the enhet's own staff and förvaltningsledning may, until a memo is sent."""
    if locked := case_locked_reason(case):
        return locked
    if not permissions.can_register_case(by):
        return "Du kan läsa ärendet men inte ändra det."
    registrar = case.registered_by_id is not None and case.registered_by_id == by.pk
    if permissions.can_review_memo(by) or registrar:
        return ""
    if case.unit_id and permissions.can_write_memo(by, case.unit):
        return ""
    owner = case.unit.name if case.unit_id else "ingen enhet"
    return f"Ärendet tillhör {owner}. Du kan läsa det men inte ändra."


@transaction.atomic
def case_correct(*, case: Case, title: str, unit, by) -> Case:
    """Correct an ärende's title and responsible enhet (audited as "case.corrected").

    Refused with StateError once a memo of the ärende is sent, PermissionDenied (with the
    Swedish reason) when `by` may not (see `case_edit_refusal`); a missing title or an enhet
    outside the nämnd is a ValidationError. Nothing changes on refusal."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("committee", "unit")
        .get(pk=case.pk)
    )
    if locked := case_locked_reason(case):
        raise StateError(locked)
    if refusal := case_edit_refusal(case=case, by=by):
        raise PermissionDenied(refusal)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Ange ärendets rubrik."
    if unit is not None and unit.administration.committee_id != case.committee_id:
        errors["unit"] = f"Enheten hör inte till {case.committee.name}."
    if errors:
        raise ValidationError(errors)
    before = {"rubrik": case.title, "enhet": case.unit.name if case.unit_id else ""}
    case.title, case.unit = title, unit
    after = {"rubrik": case.title, "enhet": unit.name if unit is not None else ""}
    changes = audit.diff(before, after)
    if changes:
        case.save(update_fields=["title", "unit"])
        audit.record("case.corrected", by=by, target=case, changes=changes)
    return case
