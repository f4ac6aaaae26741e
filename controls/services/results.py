"""Results of control occasions: figures and åtgärder, submit, approve, return."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from controls import rules
from controls.models import (
    Action,
    DeviationLevel,
    Occasion,
    PlanState,
    Result,
    ResultFigure,
    ResultState,
)
from controls.services.common import StaleEditError, StateError, _require
from solna_sn import audit, notifications, permissions, review
from solna_sn.models import Role

# --- Results ----------------------------------------------------------------------------------


def _lock_result_target(occasion: Occasion) -> Occasion:
    return (
        Occasion.objects.select_for_update(of=("self",))
        .select_related("risk__plan", "risk__responsible_unit")
        .get(pk=occasion.pk)
    )


def _may_record(by, occasion: Occasion) -> bool:
    unit = occasion.risk.responsible_unit
    if unit is None:
        return permissions.can_approve_control_plan(by) or permissions.can_approve_control_result(
            by
        )
    return permissions.can_record_control_result(by, unit)


def may_record(by, occasion: Occasion) -> bool:
    return _may_record(by, occasion)


def _clean_figures(rows: list[dict]) -> list[dict]:
    cleaned = []
    errors = []
    for number, row in enumerate(rows, start=1):
        if not any(row.get(k) not in (None, "") for k in ("group", "population", "deviations")):
            continue
        try:
            rules.check_figures(row.get("population"), row.get("checked"), row.get("deviations"))
        except rules.RuleError as error:
            errors.append(f"Siffror rad {number}: {error}")
            continue
        cleaned.append(
            {
                "group": (row.get("group") or "").strip(),
                "population": row["population"],
                "checked": row.get("checked"),
                "deviations": row["deviations"],
                "note": (row.get("note") or "").strip(),
            }
        )
    if errors:
        raise ValidationError({"figures": errors})
    return cleaned


def _clean_actions(rows: list[dict]) -> list[dict]:
    cleaned = []
    errors = []
    for number, row in enumerate(rows, start=1):
        description = (row.get("description") or "").strip()
        responsible = (row.get("responsible") or "").strip()
        if not description and not responsible and not row.get("due"):
            continue
        if not description:
            errors.append(f"Åtgärd {number}: beskriv åtgärden.")
        if not responsible:
            errors.append(f"Åtgärd {number}: ange vem som ansvarar.")
        cleaned.append({**row, "description": description, "responsible": responsible})
    if errors:
        raise ValidationError({"actions": errors})
    return cleaned


def _result_snapshot(result: Result) -> dict:
    return {
        "nivå": result.level.label,
        "iakttagelse": result.finding,
        "förklaring": result.explanation,
        "siffror": [
            [f.group, f.population, f.checked, f.deviations, f.note] for f in result.figures.all()
        ],
        "åtgärder": [
            [a.description, a.responsible, str(a.due or ""), str(a.done_on or "")]
            for a in result.actions.all()
        ],
    }


@transaction.atomic
def result_save(
    *,
    occasion: Occasion,
    by,
    level: DeviationLevel | None,
    finding: str,
    explanation: str = "",
    figures: list[dict] | None = None,
    actions: list[dict] | None = None,
    version: int | None = None,
) -> Result:
    """Record (or change) the result of a control occasion with its figures and åtgärder.
    A deviation above the lowest level needs an åtgärd or an explanation."""
    occasion = _lock_result_target(occasion)
    _require(_may_record(by, occasion))
    plan = occasion.risk.plan
    if plan.state != PlanState.ADOPTED:
        raise StateError("Resultat registreras bara i en fastställd plan.")
    result = Result.objects.select_for_update().filter(occasion=occasion).first()
    if result is not None:
        if result.state == ResultState.APPROVED:
            raise StateError("Resultatet är godkänt och låst. Det kan inte ändras.")
        if version is not None and result.version != version:
            raise StaleEditError()
    errors = {}
    if level is None:
        errors["level"] = "Välj avvikelsenivå."
    elif level.committee_id != plan.committee_id or not level.active:
        errors["level"] = "Välj en avvikelsenivå i listan."
    try:
        figure_rows = _clean_figures(figures or [])
    except ValidationError as error:
        errors.update(error.message_dict)
        figure_rows = []
    try:
        action_rows = _clean_actions(actions or [])
    except ValidationError as error:
        errors.update(error.message_dict)
        action_rows = []
    explanation = (explanation or "").strip()
    finding = (finding or "").strip()
    if level is not None and level.is_deviation and not action_rows and not explanation:
        errors["actions"] = [
            *errors.get("actions", []),
            f"”{level.label}” kräver minst en åtgärd, eller en förklaring till varför ingen "
            "åtgärd behövs.",
        ]
    if errors:
        raise ValidationError(errors)
    before = _result_snapshot(result) if result else {}
    if result is None:
        result = Result(occasion=occasion, level=level, recorded_by=by)
    else:
        result.version += 1
    result.level = level
    result.finding = finding
    result.explanation = explanation
    result.recorded_by = by
    if result.state == ResultState.REVIEW:
        result.state = ResultState.DRAFT  # changed after submission: submit again
    result.save()
    result.figures.all().delete()
    ResultFigure.objects.bulk_create(
        ResultFigure(result=result, sort_order=n, **row) for n, row in enumerate(figure_rows)
    )
    result.actions.all().delete()
    Action.objects.bulk_create(
        Action(
            result=result,
            description=row["description"],
            responsible=row["responsible"],
            due=row.get("due"),
            done_on=row.get("done_on"),
        )
        for row in action_rows
    )
    audit.record(
        "control_result.saved" if before else "control_result.recorded",
        by=by,
        target=result,
        changes=audit.diff(before, _result_snapshot(result)),
    )
    return result


def _lock_result(result: Result) -> Result:
    return (
        Result.objects.select_for_update(of=("self",))
        .select_related("occasion__risk__plan", "occasion__risk__responsible_unit", "level")
        .get(pk=result.pk)
    )


@transaction.atomic
def result_submit(*, result: Result, by) -> Result:
    result = _lock_result(result)
    _require(_may_record(by, result.occasion))
    if result.state != ResultState.DRAFT:
        raise StateError("Bara ett resultat i utkast kan skickas för granskning.")
    result.state = ResultState.REVIEW
    result.return_comment = ""
    result.save(update_fields=["state", "return_comment"])
    audit.record("control_result.submitted", by=by, target=result)
    _notify(result, notifications.REVIEW, by, notifications.reviewers([Role.GRANSKARE]))
    return result


def _notify(result: Result, event: str, by, recipients, comment: str = "") -> None:
    notifications.notify(
        event,
        recipients=recipients,
        by=by,
        what="kontrollresultatet",
        title=str(result.occasion),
        path=reverse("controls:occasion", args=[result.occasion_id]),
        comment=comment,
    )


def _recorders(result: Result) -> list[int | None]:
    """Who the result goes back to: the one who sent it for review and its last recorder."""
    return [
        notifications.last_actor(result, "control_result.submitted"),
        result.recorded_by_id,
    ]


def result_may_approve(result: Result, user) -> tuple[bool, str]:
    """Fyraögonprincipen: not the one who last recorded the result."""
    return review.may_approve(user, result.recorded_by_id, what="resultatet")


@transaction.atomic
def result_approve(*, result: Result, by) -> Result:
    """Granskare approves; the result is then locked."""
    _require(permissions.can_approve_control_result(by))
    result = _lock_result(result)
    if result.state != ResultState.REVIEW:
        raise StateError("Bara ett resultat som är skickat för granskning kan godkännas.")
    allowed, reason = result_may_approve(result, by)
    if not allowed:
        raise StateError(reason)
    result.state = ResultState.APPROVED
    result.approved_by = by
    result.approved_at = timezone.now()
    result.save(update_fields=["state", "approved_by", "approved_at"])
    audit.record("control_result.approved", by=by, target=result)
    _notify(result, notifications.APPROVED, by, _recorders(result))
    return result


@transaction.atomic
def result_return(*, result: Result, by, comment: str) -> Result:
    _require(permissions.can_approve_control_result(by))
    result = _lock_result(result)
    if result.state != ResultState.REVIEW:
        raise StateError("Bara ett resultat som är skickat för granskning kan lämnas tillbaka.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Skriv vad som behöver ändras."})
    result.state = ResultState.DRAFT
    result.return_comment = comment
    result.save(update_fields=["state", "return_comment"])
    audit.record("control_result.returned", by=by, target=result, reason=comment)
    _notify(result, notifications.RETURNED, by, _recorders(result), comment)
    return result


@transaction.atomic
def action_mark_done(*, action: Action, by, done_on: datetime.date | None) -> Action:
    """Mark an åtgärd done (or not done). Allowed after approval: following through on the
    åtgärd does not change the result."""
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("result__occasion__risk__responsible_unit")
        .get(pk=action.pk)
    )
    _require(_may_record(by, action.result.occasion))
    if done_on is not None and done_on > timezone.localdate():
        raise ValidationError({"done_on": "Datumet kan inte ligga i framtiden."})
    before = str(action.done_on or "")
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    audit.record(
        "control_action.done" if done_on else "control_action.reopened",
        by=by,
        target=action,
        changes={"genomförd": (before, str(done_on or ""))},
    )
    return action
