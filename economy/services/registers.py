"""Taxor och avgifter and kvalitetsdeklarationer per plan year."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from economy.models import (
    QualityDeclaration,
    Tariff,
)
from economy.services.common import (
    StaleError,
    check_may_enter,
)
from solna_sn import audit

REGISTER_FIELDS = {
    Tariff: (
        "name",
        "decided_by",
        "decided_on",
        "status",
        "new_decision_on",
        "valid_from",
        "sort_order",
    ),
    QualityDeclaration: ("name", "decided_on", "status", "sort_order"),
}


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def register_save(
    *,
    model,
    committee,
    plan_year: int,
    data: dict,
    by,
    entry=None,
    expected_revision: int | None = None,
):
    """Create or change a taxa or a kvalitetsdeklaration (as the VP of `plan_year` prints it)."""
    check_may_enter(committee, by)
    fields = REGISTER_FIELDS[model]
    name = data["name"]
    duplicate = model.objects.filter(committee=committee, plan_year=plan_year, name=name)
    if entry is not None:
        duplicate = duplicate.exclude(pk=entry.pk)
    if duplicate.exists():
        raise ValidationError({"name": f"”{name}” finns redan för {plan_year}."})
    if entry is None:
        entry = model(committee=committee, plan_year=plan_year, revision=0)
        before = {}
    else:
        entry = model.objects.select_for_update().get(pk=entry.pk)
        if expected_revision is not None and entry.revision != expected_revision:
            raise StaleError(
                "Någon annan har ändrat raden efter att du öppnade sidan. Ladda om sidan och "
                "gör ändringen igen.",
                current_revision=entry.revision,
            )
        before = {name: _plain(getattr(entry, name)) for name in fields}
    for name in fields:
        setattr(entry, name, data[name])
    after = {name: _plain(data[name]) for name in fields}
    changes = audit.diff(before, after)
    if entry.pk and not changes:
        return entry
    entry.revision += 1
    entry.updated_by = by
    entry.save()
    audit.record(
        f"economy.{model._meta.model_name}_{'created' if not before else 'changed'}",
        target=entry,
        by=by,
        changes=changes,
    )
    return entry


@transaction.atomic
def register_delete(*, entry, by) -> None:
    check_may_enter(entry.committee, by)
    audit.record(f"economy.{entry._meta.model_name}_deleted", target=entry, by=by)
    entry.delete()


@transaction.atomic
def register_copy_year(*, model, committee, from_year: int, to_year: int, by) -> int:
    """Start next year's register as a copy of this year's, status Oförändrad. Entries that
    already exist for `to_year` are kept."""
    check_may_enter(committee, by)
    fields = REGISTER_FIELDS[model]
    existing = set(
        model.objects.filter(committee=committee, plan_year=to_year).values_list("name", flat=True)
    )
    created = 0
    for entry in model.objects.filter(committee=committee, plan_year=from_year):
        if entry.name in existing:
            continue
        copy = model(
            committee=committee,
            plan_year=to_year,
            revision=1,
            updated_by=by,
            **{name: getattr(entry, name) for name in fields},
        )
        copy.status = "oforandrad"
        if hasattr(copy, "new_decision_on"):
            copy.new_decision_on = None
        copy.save()
        created += 1
    audit.record(
        f"economy.{model._meta.model_name}_year_copied",
        by=by,
        target=committee,
        changes={"år": (from_year, to_year)},
        reason=f"{created} rader kopierade",
    )
    return created
