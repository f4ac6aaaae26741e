"""Budget versions: a year's budget as decided (ursprunglig), adjusted (justerad) …"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from economy.models import (
    BudgetValue,
    BudgetVersion,
)
from economy.services.common import (
    EconomyError,
    check_may_enter,
)
from solna_sn import audit, permissions


@transaction.atomic
def budget_version_create(
    *,
    committee,
    year: int,
    kind: str,
    name: str,
    decided_on=None,
    decided_by: str = "",
    note: str = "",
    copy_from: BudgetVersion | None = None,
    by,
) -> BudgetVersion:
    """A new version of a year's budget, empty or as a copy of another version's figures
    (a justerad budget usually starts from the ursprungliga)."""
    check_may_enter(committee, by)
    name = (name or "").strip()
    if BudgetVersion.objects.filter(committee=committee, year=year, name=name).exists():
        raise ValidationError({"name": f"Det finns redan en budgetversion ”{name}” för {year}."})
    if copy_from is not None and copy_from.committee_id != committee.pk:
        raise ValidationError({"copy_from": "Versionen hör till en annan nämnd."})
    try:
        with transaction.atomic():
            version = BudgetVersion.objects.create(
                committee=committee,
                year=year,
                kind=kind,
                name=name,
                decided_on=decided_on,
                decided_by=decided_by,
                note=note,
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            {"name": f"Det finns redan en budgetversion ”{name}” för {year}."}
        ) from None
    copied = 0
    if copy_from is not None:
        BudgetValue.objects.bulk_create(
            BudgetValue(
                budget_version=version,
                row_id=value.row_id,
                value=value.value,
                note=value.note,
                updated_by=by,
            )
            for value in copy_from.values.all()
        )
        copied = copy_from.values.count()
    audit.record(
        "economy.budget_version_created",
        target=version,
        by=by,
        changes={"kopierad från": (None, str(copy_from))} if copy_from else {},
        reason=f"{copied} belopp kopierade" if copy_from else "",
    )
    return version


@transaction.atomic
def budget_version_set_locked(*, version: BudgetVersion, locked: bool, by) -> BudgetVersion:
    """Lock a decided (fastställd) version, or open it again: förvaltningsledning."""
    if not permissions.can_reopen_economy(by):
        raise EconomyError("Bara förvaltningsledningen kan låsa eller öppna en budgetversion.")
    version = BudgetVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_locked == locked:
        return version
    version.is_locked = locked
    version.save(update_fields=["is_locked"])
    audit.record(
        "economy.budget_version_locked" if locked else "economy.budget_version_opened",
        target=version,
        by=by,
        changes={"låst": (not locked, locked)},
    )
    return version
