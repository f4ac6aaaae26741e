"""Avtal: create and update contracts with their suppliers, add and remove extensions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from contracts import rules
from contracts.models import (
    AcquisitionForm,
    Contract,
    ContractExtension,
    FollowUpTemplate,
    Supplier,
)
from contracts.services.common import (
    SUPPLIER_NAME_MAX,
    _choice,
    _date,
    _dnr,
    _max,
    _money,
    _raise,
    _require,
    _text,
)
from solna_sn import audit, permissions
from solna_sn.lib.text import text_problem
from solna_sn.models import Unit

# --- Avtal ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplierInput:
    name: str
    org_number: str = ""


CONTRACT_FIELDS = (
    "name",
    "area",
    "dnr",
    "acquisition",
    "purchasing_party",
    "start_date",
    "end_date",
    "term_pattern",
    "annual_value",
    "price_model",
    "documents",
    "unit",
    "template",
)


def _clean_suppliers(suppliers, errors: dict) -> list[SupplierInput]:
    cleaned = []
    messages = []
    seen = set()
    for index, supplier in enumerate(suppliers or [], start=1):
        name = (supplier.name or "").strip()
        if not name:
            messages.append(f"Leverantör {index}: ange namn.")
            continue
        if problem := text_problem(name, max_length=SUPPLIER_NAME_MAX, multiline=False):
            messages.append(f"Leverantör {index}: {problem}")
            continue
        try:
            org = rules.normalise_org_number(supplier.org_number)
        except rules.RuleError as error:
            messages.append(f"{name}: {error}")
            continue
        key = org or name.lower()
        if key in seen:
            messages.append(f"{name} står med två gånger.")
            continue
        seen.add(key)
        cleaned.append(SupplierInput(name, org))
    if messages:
        errors["suppliers"] = " ".join(messages)
    return cleaned


def _clean_contract(data: dict, errors: dict) -> dict:
    cleaned = {
        "name": _text(
            data.get("name"),
            field="name",
            errors=errors,
            required="Ange avtalets namn.",
            max_length=_max(Contract, "name"),
        ),
        "area": _text(
            data.get("area"),
            field="area",
            errors=errors,
            required="Ange avtalsområde.",
            max_length=_max(Contract, "area"),
        ),
        "dnr": _dnr(data.get("dnr"), field="dnr", errors=errors),
        "acquisition": _choice(
            data.get("acquisition"),
            AcquisitionForm,
            field="acquisition",
            errors=errors,
            message="Välj avtalsform.",
        ),
        "purchasing_party": _text(
            data.get("purchasing_party"),
            field="purchasing_party",
            errors=errors,
            max_length=_max(Contract, "purchasing_party"),
        ),
        "start_date": _date(
            data.get("start_date"), field="start_date", errors=errors, required="Ange startdatum."
        ),
        "end_date": _date(data.get("end_date"), field="end_date", errors=errors),
        "annual_value": _money(data.get("annual_value"), field="annual_value", errors=errors),
        "price_model": _text(data.get("price_model"), field="price_model", errors=errors),
        "documents": _text(data.get("documents"), field="documents", errors=errors),
        "term_pattern": "",
    }
    unit = data.get("unit")
    if not isinstance(unit, Unit):
        errors["unit"] = "Välj ansvarig enhet."
    cleaned["unit"] = unit
    template = data.get("template")
    if template is not None and not isinstance(template, FollowUpTemplate):
        errors["template"] = "Välj en mall i listan."
        template = None
    cleaned["template"] = template

    start, end = cleaned["start_date"], cleaned["end_date"]
    if start and end and end < start:
        errors["end_date"] = "Slutdatum kan inte ligga före startdatum."
    try:
        pattern = rules.parse_term_pattern(
            _text(data.get("term_pattern"), field="term_pattern", errors=errors)
        )
    except rules.RuleError as error:
        errors["term_pattern"] = str(error)
        pattern = None
    if pattern is not None:
        cleaned["term_pattern"] = str(pattern)
        if end is None and "end_date" not in errors:
            errors["end_date"] = "Ett avtal med förlängningsmodell måste ha ett slutdatum."
        elif start and end and "end_date" not in errors:
            try:
                rules.check_base_term(start, end, pattern)
            except rules.RuleError as error:
                errors["term_pattern"] = str(error)
    return cleaned


def _set_suppliers(contract: Contract, suppliers: list[SupplierInput]) -> None:
    objects = []
    for supplier in suppliers:
        if supplier.org_number:
            obj, _ = Supplier.objects.get_or_create(
                org_number=supplier.org_number, defaults={"name": supplier.name}
            )
        else:
            obj = Supplier.objects.filter(name__iexact=supplier.name, org_number="").first()
            if obj is None:
                obj = Supplier.objects.create(name=supplier.name)
        objects.append(obj)
    contract.suppliers.set(objects)


def _contract_snapshot(contract: Contract) -> dict:
    data = {name: getattr(contract, name) for name in CONTRACT_FIELDS}
    data["unit"] = str(contract.unit) if contract.unit_id else None
    data["template"] = str(contract.template) if contract.template_id else None
    data["suppliers"] = sorted(str(s) for s in contract.suppliers.all()) if contract.pk else []
    return data


@transaction.atomic
def contract_create(*, by, suppliers: Iterable[SupplierInput] = (), **data) -> Contract:
    """Register an avtal. `data` holds CONTRACT_FIELDS (dates as dates, unit as a Unit)."""
    _require(permissions.can_view_contracts(by))
    errors: dict = {}
    cleaned = _clean_contract(data, errors)
    supplier_list = _clean_suppliers(suppliers, errors)
    _raise(errors)
    _require(permissions.can_edit_contracts(by, cleaned["unit"]))
    contract = Contract.objects.create(created_by=by, updated_by=by, **cleaned)
    _set_suppliers(contract, supplier_list)
    audit.record(
        "contract.created",
        by=by,
        target=contract,
        changes=audit.diff({}, _contract_snapshot(contract)),
    )
    return contract


def _lock_contract(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


@transaction.atomic
def contract_update(*, contract: Contract, by, suppliers: Iterable[SupplierInput] = (), **data):
    contract = _lock_contract(contract)
    _require(permissions.can_edit_contracts(by, contract.unit))
    errors: dict = {}
    cleaned = _clean_contract(data, errors)
    supplier_list = _clean_suppliers(suppliers, errors)
    used = [rules.Period(e.start_date, e.end_date) for e in contract.extensions.all()]
    if used and "term_pattern" not in errors and "end_date" not in errors:
        pattern = rules.parse_term_pattern(cleaned["term_pattern"])
        if pattern is None or len(pattern.options) < len(used):
            errors["term_pattern"] = (
                f"Avtalet har {len(used)} utnyttjade förlängningar; modellen måste rymma dem."
            )
        elif cleaned["end_date"] != contract.end_date:
            errors["end_date"] = (
                "Slutdatum kan inte ändras när förlängningar är registrerade. Ta bort "
                "förlängningarna först."
            )
    _raise(errors)
    _require(permissions.can_edit_contracts(by, cleaned["unit"]))
    before = _contract_snapshot(contract)
    for name, value in cleaned.items():
        setattr(contract, name, value)
    contract.updated_by = by
    contract.save()
    _set_suppliers(contract, supplier_list)
    changes = audit.diff(before, _contract_snapshot(contract))
    if changes:
        audit.record("contract.updated", by=by, target=contract, changes=changes)
    return contract


@transaction.atomic
def contract_extension_add(*, contract: Contract, start_date, end_date, by) -> ContractExtension:
    """Record that the next extension option is used, for the given period."""
    contract = _lock_contract(contract)
    _require(permissions.can_edit_contracts(by, contract.unit))
    errors: dict = {}
    start = _date(start_date, field="start_date", errors=errors, required="Ange från-datum.")
    end = _date(end_date, field="end_date", errors=errors, required="Ange till-datum.")
    _raise(errors)
    used = list(contract.extensions.all())
    try:
        rules.check_extension(
            contract.end_date or datetime.date.max,
            rules.parse_term_pattern(contract.term_pattern),
            [rules.Period(e.start_date, e.end_date) for e in used],
            rules.Period(start, end),
        )
    except rules.RuleError as error:
        raise ValidationError({"start_date": str(error)}) from error
    extension = ContractExtension.objects.create(
        contract=contract, number=len(used) + 1, start_date=start, end_date=end, created_by=by
    )
    audit.record(
        "contract.extension_added",
        by=by,
        target=contract,
        changes={f"förlängning {extension.number}": (None, f"{start:%Y-%m-%d}–{end:%Y-%m-%d}")},
    )
    return extension


@transaction.atomic
def contract_extension_remove(*, extension: ContractExtension, by) -> None:
    """Undo the last recorded extension (a registration mistake)."""
    contract = _lock_contract(extension.contract)
    _require(permissions.can_edit_contracts(by, contract.unit))
    last = contract.extensions.order_by("-number").first()
    if last is None or last.pk != extension.pk:
        raise ValidationError({NON_FIELD_ERRORS: "Bara den senaste förlängningen kan tas bort."})
    audit.record(
        "contract.extension_removed",
        by=by,
        target=contract,
        changes={
            f"förlängning {extension.number}": (
                f"{extension.start_date:%Y-%m-%d}–{extension.end_date:%Y-%m-%d}",
                None,
            )
        },
    )
    extension.delete()
