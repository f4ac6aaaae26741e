"""The personnel table of a period."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from economy.models import (
    Footnote,
    Period,
    PersonnelSheet,
    PersonnelValue,
    period_label,
)
from economy.queries import exact_text
from economy.services.common import (
    StaleError,
    check_may_enter,
    clean_footnotes,
)
from solna_sn import audit


@transaction.atomic
def personnel_sheet_create(*, committee, year: int, period: str, by) -> PersonnelSheet:
    check_may_enter(committee, by)
    if period == Period.PLAN:
        raise ValidationError(
            {"period": "Personaltabellen följer upp en period, inte ett budgetår."}
        )
    if PersonnelSheet.objects.filter(committee=committee, year=year, period=period).exists():
        raise ValidationError(
            {"period": f"Personaltabellen finns redan för {period_label(year, period)}."}
        )
    sheet = PersonnelSheet.objects.create(
        committee=committee, year=year, period=period, updated_by=by
    )
    audit.record("economy.personnel_sheet_created", target=sheet, by=by)
    return sheet


PERSONNEL_FIELDS = (
    "value",
    "comparison_value",
    "change",
    "measured_from",
    "measured_to",
    "comparison_from",
    "comparison_to",
)


@transaction.atomic
def personnel_save(
    *, sheet: PersonnelSheet, rows: dict, footnotes: list[str], expected_revision: int, by
) -> bool:
    """Save the whole personnel table at once. `rows` maps a PersonnelFigure to a dict of the
    PERSONNEL_FIELDS. The table's revision guards against lost updates."""
    check_may_enter(sheet.committee, by)
    locked = PersonnelSheet.objects.select_for_update().get(pk=sheet.pk)
    if locked.revision != expected_revision:
        raise StaleError(
            "Någon annan har sparat personaltabellen efter att du öppnade sidan. Ladda om sidan "
            "och för in dina ändringar igen.",
            current_revision=locked.revision,
        )
    existing = {value.figure_id: value for value in locked.values.select_for_update()}
    changes = {}
    for figure, data in rows.items():
        value = existing.get(figure.pk) or PersonnelValue(sheet=locked, figure=figure)
        before = {name: getattr(value, name) for name in PERSONNEL_FIELDS}
        after = {name: data.get(name) for name in PERSONNEL_FIELDS}
        if before == after and value.pk:
            continue
        if value.pk is None and not any(v is not None for v in after.values()):
            continue
        for name, new in after.items():
            setattr(value, name, new)
        value.save()
        for name, (old, new) in audit.diff(before, after).items():
            changes[f"{figure.label}: {PersonnelValue._meta.get_field(name).verbose_name}"] = (
                exact_text(old) if isinstance(old, Decimal) else (str(old) if old else ""),
                exact_text(new) if isinstance(new, Decimal) else (str(new) if new else ""),
            )
    cleaned = clean_footnotes(footnotes)
    current_notes = [f.text for f in locked.footnotes.all()]
    if cleaned != current_notes:
        locked.footnotes.all().delete()
        Footnote.objects.bulk_create(
            Footnote(personnel_sheet=locked, text=text, sort_order=index)
            for index, text in enumerate(cleaned, 1)
        )
        changes["fotnoter"] = (current_notes, cleaned)
    if not changes:
        return False
    locked.revision += 1
    locked.updated_by = by
    locked.save(update_fields=["revision", "updated_by", "updated_at"])
    audit.record("economy.personnel_changed", target=locked, by=by, changes=changes)
    return True
