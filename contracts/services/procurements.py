"""Upphandlingar: create and update procurements and the contracts they replace."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from contracts.models import (
    Contract,
    Procurement,
    ProcurementStatus,
)
from contracts.services.common import (
    _choice,
    _date,
    _dnr,
    _max,
    _raise,
    _require,
    _text,
)
from solna_sn import audit, permissions
from solna_sn.models import Unit

# --- Upphandlingar -------------------------------------------------------------------------

PROCUREMENT_FIELDS = (
    "designation",
    "area",
    "dnr",
    "status",
    "partners",
    "coordinator",
    "planned_start",
    "contract_start",
    "completed_on",
    "plan_year",
    "follow_up",
    "unit",
)


def _clean_procurement(data: dict, errors: dict) -> dict:
    cleaned = {
        "designation": _text(
            data.get("designation"),
            field="designation",
            errors=errors,
            required="Ange avtalsbeteckning.",
            max_length=_max(Procurement, "designation"),
        ),
        "area": _text(
            data.get("area"), field="area", errors=errors, max_length=_max(Procurement, "area")
        ),
        "dnr": _dnr(data.get("dnr"), field="dnr", errors=errors),
        "status": _choice(
            data.get("status") or ProcurementStatus.PLANNED,
            ProcurementStatus,
            field="status",
            errors=errors,
            message="Välj status: planerad, pågår eller genomförd.",
        ),
        "coordinator": _text(
            data.get("coordinator"),
            field="coordinator",
            errors=errors,
            max_length=_max(Procurement, "coordinator"),
        ),
        "planned_start": _date(data.get("planned_start"), field="planned_start", errors=errors),
        "contract_start": _date(data.get("contract_start"), field="contract_start", errors=errors),
        "completed_on": _date(data.get("completed_on"), field="completed_on", errors=errors),
        "follow_up": _text(data.get("follow_up"), field="follow_up", errors=errors),
    }
    partners_raw = _text(data.get("partners"), field="partners", errors=errors)
    partners = []
    for line in partners_raw.splitlines():
        name = line.strip().strip(",").strip()
        if name and name.lower() not in {p.lower() for p in partners}:
            partners.append(name)
    cleaned["partners"] = "\n".join(partners)
    plan_year = data.get("plan_year")
    if plan_year in (None, ""):
        cleaned["plan_year"] = None
    elif isinstance(plan_year, bool) or not isinstance(plan_year, int):
        errors["plan_year"] = "Ange år med fyra siffror, till exempel 2025."
        cleaned["plan_year"] = None
    elif not 2000 <= plan_year <= 2100:
        errors["plan_year"] = "Året ska vara mellan 2000 och 2100."
        cleaned["plan_year"] = None
    else:
        cleaned["plan_year"] = plan_year
    unit = data.get("unit")
    if not isinstance(unit, Unit):
        errors["unit"] = "Välj ansvarig enhet."
    cleaned["unit"] = unit
    if cleaned["completed_on"] and cleaned["status"] != ProcurementStatus.DONE:
        errors["completed_on"] = "Ange datum för genomförd bara när upphandlingen är genomförd."
    if (
        cleaned["planned_start"]
        and cleaned["contract_start"]
        and cleaned["contract_start"] < cleaned["planned_start"]
    ):
        errors["contract_start"] = "Avtalsstarten kan inte ligga före upphandlingens start."
    return cleaned


def _clean_replaces(replaces, errors: dict) -> list[Contract]:
    contracts = list(replaces or [])
    if any(not isinstance(c, Contract) for c in contracts):
        errors["replaces"] = "Välj avtal i listan."
        return []
    return contracts


def _procurement_snapshot(procurement: Procurement) -> dict:
    data = {name: getattr(procurement, name) for name in PROCUREMENT_FIELDS}
    data["unit"] = str(procurement.unit)
    data["replaces"] = sorted(str(c) for c in procurement.replaces.all())
    return data


@transaction.atomic
def procurement_create(*, by, replaces: Iterable[Contract] = (), **data) -> Procurement:
    _require(permissions.can_view_contracts(by))
    errors: dict = {}
    cleaned = _clean_procurement(data, errors)
    contracts = _clean_replaces(replaces, errors)
    _raise(errors)
    _require(permissions.can_edit_contracts(by, cleaned["unit"]))
    procurement = Procurement.objects.create(**cleaned)
    procurement.replaces.set(contracts)
    audit.record(
        "procurement.created",
        by=by,
        target=procurement,
        changes=audit.diff({}, _procurement_snapshot(procurement)),
    )
    return procurement


@transaction.atomic
def procurement_update(
    *, procurement: Procurement, by, replaces: Iterable[Contract] = (), **data
) -> Procurement:
    procurement = Procurement.objects.select_for_update().get(pk=procurement.pk)
    _require(permissions.can_edit_contracts(by, procurement.unit))
    errors: dict = {}
    cleaned = _clean_procurement(data, errors)
    contracts = _clean_replaces(replaces, errors)
    _raise(errors)
    _require(permissions.can_edit_contracts(by, cleaned["unit"]))
    before = _procurement_snapshot(procurement)
    for name, value in cleaned.items():
        setattr(procurement, name, value)
    procurement.save()
    procurement.replaces.set(contracts)
    changes = audit.diff(before, _procurement_snapshot(procurement))
    if changes:
        audit.record("procurement.updated", by=by, target=procurement, changes=changes)
    return procurement
