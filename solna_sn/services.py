"""Every change to organisation and users goes through here: atomic, audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from solna_sn import audit
from solna_sn.celery import app as celery_app
from solna_sn.models import Unit, UnitName, User, WorkerCheck


@transaction.atomic
def unit_rename(
    *, unit: Unit, new_name: str, effective: datetime.date, by, reason: str = ""
) -> Unit:
    """Rename a unit from `effective` on, keeping the old name for the period before.

    Papers dated before `effective` keep printing the old name (`Unit.name_on`).
    """
    new_name = new_name.strip()
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not new_name:
        raise ValidationError({"name": "Ange enhetens nya namn."})
    if new_name == unit.name:
        raise ValidationError({"name": "Det nya namnet är samma som det nuvarande."})
    if effective <= unit.valid_from:
        raise ValidationError(
            {"valid_from": "Namnbytet måste gälla från ett datum efter att enheten började gälla."}
        )
    latest_end = max((n.valid_to for n in unit.earlier_names.all()), default=None)
    if latest_end is not None and effective <= latest_end:
        raise ValidationError(
            {
                "valid_from": "Namnbytet måste gälla från ett datum efter det senaste "
                f"namnbytet ({latest_end:%Y-%m-%d})."
            }
        )
    start = latest_end + datetime.timedelta(days=1) if latest_end else unit.valid_from
    UnitName.objects.create(
        unit=unit,
        name=unit.name,
        valid_from=start,
        valid_to=effective - datetime.timedelta(days=1),
    )
    old_name = unit.name
    unit.name = new_name
    unit.save(update_fields=["name"])
    audit.record(
        "unit.renamed",
        target=unit,
        by=by,
        changes={"name": (old_name, new_name), "effective": (None, effective)},
        reason=reason,
    )
    return unit


WORKER_CHECK_TASK = "solna_sn.worker_check_answer"


def worker_check_request(*, by) -> WorkerCheck:
    """Ask a background worker to answer through the broker (see tasks.worker_check_answer)."""
    check = WorkerCheck.objects.create(requested_by_id=getattr(by, "pk", None))
    # By name: the task module imports this one.
    transaction.on_commit(
        lambda: celery_app.send_task(WORKER_CHECK_TASK, kwargs={"check_id": check.pk})
    )
    return check


def worker_check_answer_record(*, check_id: int, hostname: str) -> None:

    WorkerCheck.objects.filter(pk=check_id, answered_at__isnull=True).update(
        answered_at=timezone.now(), worker_hostname=hostname or "okänd"
    )


@transaction.atomic
def user_preferences_save(*, user, notify_by_email: bool, by):
    """A user's own settings (Mina inställningar): whether she gets e-mail about papers."""
    user = User.objects.select_for_update().get(pk=user.pk)
    old = user.notify_by_email
    if old == notify_by_email:
        return user
    user.notify_by_email = notify_by_email
    user.save(update_fields=["notify_by_email"])
    audit.record(
        "user.preferences_saved",
        target=user,
        by=by,
        changes={"e-post om handlingar": (old, notify_by_email)},
    )
    return user
