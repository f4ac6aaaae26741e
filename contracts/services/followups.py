"""Every write to avtal, upphandlingar, tidsplaner and avtalsuppföljningar goes through here:
atomic, permission-checked, audited.

Errors: `ValidationError` with Swedish messages keyed by field for bad input (nothing is saved);
`PermissionDenied` for the wrong role or another enhet's contract.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from casework import services as report_services
from casework.models import Meeting
from contracts import reporting, rules
from contracts.models import (
    AcquisitionForm,
    ActivityStatus,
    ChecklistActivity,
    ChecklistPlaceStatus,
    CheckResult,
    CheckTopic,
    Contract,
    ContractExtension,
    Deficiency,
    FollowUp,
    FollowUpItem,
    FollowUpKind,
    FollowUpPlan,
    FollowUpStatus,
    FollowUpTemplate,
    Frequency,
    Outcome,
    Procurement,
    ProcurementStatus,
    Rating,
    SimplifiedCheck,
    Supplier,
    TemplateArea,
)
from solna_sn import audit, permissions
from solna_sn.lib.dnr import DnrError, parse_dnr
from solna_sn.lib.text import TEXT_MAX_LENGTH, text_problem
from solna_sn.models import Committee, Unit


def _max(model, name: str) -> int:
    """The column's max_length: the limit a text is checked against before it is saved."""
    return model._meta.get_field(name).max_length


SUPPLIER_NAME_MAX = _max(Supplier, "name")
PLACE_MAX = _max(ChecklistPlaceStatus, "place")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def default_committee() -> Committee:
    committee = Committee.objects.order_by("pk").first()
    if committee is None:
        raise ValidationError({NON_FIELD_ERRORS: "Ingen nämnd är upplagd."})
    return committee


# --- Shared field checks -------------------------------------------------------------------


def _text(
    value, *, field: str, errors: dict, required: str = "", max_length: int = TEXT_MAX_LENGTH
) -> str:
    """Stripped text, or a message in `errors`: required and empty, longer than the column
    (`max_length`; free text has the product's limit), or with control characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = "Ange text."
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = required
    elif problem := text_problem(value, max_length=max_length):
        errors[field] = problem
    return value


def _date(value, *, field: str, errors: dict, required: str = "") -> datetime.date | None:
    if value is None or value == "":
        if required:
            errors[field] = required
        return None
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        errors[field] = "Ange datum som ÅÅÅÅ-MM-DD."
        return None
    return value


def _dnr(value, *, field: str, errors: dict) -> str:
    raw = _text(value, field=field, errors=errors)
    if not raw:
        return ""
    try:
        return str(parse_dnr(raw))
    except DnrError as error:
        errors[field] = str(error)
        return raw


def _choice(value, choices, *, field: str, errors: dict, message: str, allow_blank=False) -> str:
    if allow_blank and (value is None or value == ""):
        return ""
    if value not in choices.values:
        errors[field] = message
        return ""
    return value


def _money(value, *, field: str, errors: dict) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool | float):
        errors[field] = "Ange beloppet i kronor, till exempel 438 000."
        return None
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = "Ange beloppet i kronor, till exempel 438 000."
        return None
    if not amount.is_finite() or amount < 0:
        errors[field] = "Beloppet kan inte vara negativt."
        return None
    if amount >= Decimal("1e12"):
        errors[field] = "Beloppet är orimligt stort."
        return None
    return amount.quantize(Decimal("0.01"))


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


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


# --- Tidsplan för avtalsuppföljning ---------------------------------------------------------


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "Året ska vara mellan 2000 och 2100."})
    return year


def _previous_kinds(contract_ids: Iterable[int], year: int) -> dict[int, str]:
    """The kind of each contract's latest follow-up before `year`."""
    previous: dict[int, str] = {}
    rows = (
        FollowUp.objects.filter(contract_id__in=list(contract_ids), plan__year__lt=year)
        .order_by("contract_id", "-plan__year")
        .values_list("contract_id", "kind")
    )
    for contract_id, kind in rows:
        previous.setdefault(contract_id, kind)
    return previous


def _lock_plan(plan: FollowUpPlan) -> FollowUpPlan:
    return FollowUpPlan.objects.select_for_update().get(pk=plan.pk)


def _require_unapproved_plan(plan: FollowUpPlan) -> None:
    if plan.is_approved:
        raise ValidationError(
            {NON_FIELD_ERRORS: f"Tidsplanen för {plan.year} är godkänd och kan inte ändras."}
        )


@transaction.atomic
def plan_generate(*, year: int, by, committee: Committee | None = None) -> FollowUpPlan:
    """Create (or complete) the year's plan: one row per contract in force during the year,
    with the proposed kind alternating from the contract's previous follow-up. Rows that exist
    are kept as the user decided them."""
    _require(permissions.can_plan_contract_followups(by))
    year = _check_year(year)
    committee = committee or default_committee()
    plan, created = FollowUpPlan.objects.get_or_create(committee=committee, year=year)
    plan = _lock_plan(plan)
    _require_unapproved_plan(plan)
    existing = set(plan.followups.values_list("contract_id", flat=True))
    contracts = [
        c
        for c in Contract.objects.prefetch_related("extensions").order_by("pk")
        if c.in_force_during(year) and c.pk not in existing
    ]
    previous = _previous_kinds([c.pk for c in contracts], year)
    added = []
    for contract in contracts:
        kind = rules.propose_kind(previous.get(contract.pk))
        added.append(
            FollowUp(plan=plan, contract=contract, kind=kind, proposed_kind=kind, updated_by=by)
        )
    FollowUp.objects.bulk_create(added)
    audit.record(
        "followup_plan.generated",
        by=by,
        target=plan,
        changes={"avtal": (None, [str(f.contract) for f in added])},
        reason="ny tidsplan" if created else "",
    )
    return plan


@transaction.atomic
def plan_followup_add(*, plan: FollowUpPlan, contract: Contract, by, kind: str = "") -> FollowUp:
    """Add one contract to the plan. It must be in force during the plan's year."""
    _require(permissions.can_plan_contract_followups(by))
    plan = _lock_plan(plan)
    _require_unapproved_plan(plan)
    contract = Contract.objects.prefetch_related("extensions").get(pk=contract.pk)
    if not contract.in_force_during(plan.year):
        end = contract.current_end
        period = f"{contract.start_date:%Y-%m-%d}–{end:%Y-%m-%d}" if end else "tillsvidare"
        raise ValidationError(
            {
                "contract": f"Avtalet gäller inte under {plan.year} ({period}) och kan inte "
                "följas upp det året."
            }
        )
    if plan.followups.filter(contract=contract).exists():
        raise ValidationError({"contract": "Avtalet finns redan i tidsplanen."})
    proposed = rules.propose_kind(_previous_kinds([contract.pk], plan.year).get(contract.pk))
    errors: dict = {}
    kind = _choice(
        kind or proposed,
        FollowUpKind,
        field="kind",
        errors=errors,
        message="Välj ordinarie eller förenklad.",
    )
    _raise(errors)
    followup = FollowUp.objects.create(
        plan=plan, contract=contract, kind=kind, proposed_kind=proposed, updated_by=by
    )
    audit.record("followup.planned", by=by, target=followup, changes={"typ": (None, kind)})
    return followup


@transaction.atomic
def plan_followup_update(*, followup: FollowUp, by, kind: str, meeting=None, planned_date=None):
    """Decide the kind and when it is reported. Once the plan is approved only the meeting
    and date may change; once the follow-up has started its kind is fixed."""
    _require(permissions.can_plan_contract_followups(by))
    followup = FollowUp.objects.select_for_update().select_related("plan").get(pk=followup.pk)
    errors: dict = {}
    kind = _choice(
        kind, FollowUpKind, field="kind", errors=errors, message="Välj ordinarie eller förenklad."
    )
    planned_date = _date(planned_date, field="planned_date", errors=errors)

    if meeting is not None and not isinstance(meeting, Meeting):
        errors["meeting"] = "Välj ett sammanträde i listan."
    if followup.is_locked:
        errors[NON_FIELD_ERRORS] = "Uppföljningen är godkänd och kan inte planeras om."
    if kind and kind != followup.kind:
        if followup.plan.is_approved:
            errors["kind"] = "Tidsplanen är godkänd: typen kan inte ändras."
        elif followup.status != FollowUpStatus.PLANNED:
            errors["kind"] = "Uppföljningen har påbörjats: typen kan inte ändras."
    if planned_date and planned_date.year != followup.plan.year:
        errors["planned_date"] = f"Datumet ska ligga under {followup.plan.year}."
    if (
        meeting is not None
        and isinstance(meeting, Meeting)
        and (meeting.date.year != followup.plan.year)
    ):
        errors["meeting"] = f"Välj ett sammanträde under {followup.plan.year}."
    _raise(errors)
    before = {
        "typ": followup.kind,
        "sammanträde": str(followup.meeting.date) if followup.meeting_id else None,
        "datum": followup.planned_date,
    }
    followup.kind = kind
    followup.meeting = meeting
    followup.planned_date = planned_date
    followup.updated_by = by
    followup.save()
    after = {
        "typ": followup.kind,
        "sammanträde": str(meeting.date) if meeting else None,
        "datum": planned_date,
    }
    changes = audit.diff(before, after)
    if changes:
        audit.record("followup.replanned", by=by, target=followup, changes=changes)
    return followup


@transaction.atomic
def plan_followup_remove(*, followup: FollowUp, by) -> None:
    _require(permissions.can_plan_contract_followups(by))
    followup = FollowUp.objects.select_for_update().select_related("plan").get(pk=followup.pk)
    _require_unapproved_plan(followup.plan)
    if followup.status != FollowUpStatus.PLANNED:
        raise ValidationError(
            {NON_FIELD_ERRORS: "Uppföljningen har påbörjats och kan inte tas bort ur planen."}
        )
    audit.record(
        "followup.unplanned",
        by=by,
        target=followup.plan,
        changes={"avtal": (str(followup.contract), None)},
    )
    followup.delete()


def plan_problems(plan: FollowUpPlan) -> list[str]:
    """What stops the plan from being approved."""
    problems = []
    followups = list(plan.followups.select_related("contract"))
    if not followups:
        problems.append("Tidsplanen har inga avtal.")
    for followup in followups:
        if followup.meeting_id is None and followup.planned_date is None:
            problems.append(f"{followup.contract.name}: ange sammanträde eller planerat datum.")
    return problems


@transaction.atomic
def plan_approve(*, plan: FollowUpPlan, by) -> FollowUpPlan:
    _require(permissions.can_approve_contract_followup(by))
    plan = _lock_plan(plan)
    _require_unapproved_plan(plan)
    problems = plan_problems(plan)
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: problems})
    plan.approved_at = timezone.now()
    plan.approved_by = by
    plan.save(update_fields=["approved_at", "approved_by"])
    audit.record("followup_plan.approved", by=by, target=plan)
    return plan


# --- Avtalsuppföljningar -------------------------------------------------------------------


def _lock_followup(followup: FollowUp) -> FollowUp:
    return (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("contract__unit", "plan")
        .get(pk=followup.pk)
    )


def _lock_for_edit(followup: FollowUp, by) -> FollowUp:
    """Lock the follow-up for a change by `by`: their enhet's, and not yet approved."""
    followup = _lock_followup(followup)
    _require(permissions.can_edit_contracts(by, followup.contract.unit))
    _require_editable(followup)
    return followup


def _require_editable(followup: FollowUp) -> None:
    if followup.is_locked:
        raise ValidationError(
            {NON_FIELD_ERRORS: "Uppföljningen är godkänd och låst. Den kan inte ändras."}
        )


@transaction.atomic
def followup_start(*, followup: FollowUp, by, template: FollowUpTemplate | None = None):
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
def followup_save(*, followup: FollowUp, data: dict, by) -> FollowUp:
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


def _followup_snapshot(followup: FollowUp) -> dict:
    data = {name: getattr(followup, name) for name in (*TEXT_FIELDS, "outcome", "completed_on")}
    for item in followup.items.all():
        data[f"punkt {item.code}"] = f"{item.rating}: {item.comment}" if item.rating else ""
    for check in followup.checks.all():
        data[check.get_topic_display()] = f"{check.result}: {check.narrative}"
    return data


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


def _checklist_allowed(followup: FollowUp) -> None:
    if followup.kind != FollowUpKind.ORDINARY:
        raise ValidationError(
            {NON_FIELD_ERRORS: "Leverantörens checklista hör till ordinarie uppföljningar."}
        )
    if followup.status == FollowUpStatus.PLANNED:
        raise ValidationError({NON_FIELD_ERRORS: "Starta uppföljningen först."})


@transaction.atomic
def activity_add(*, followup: FollowUp, frequency, text, status, by) -> ChecklistActivity:
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
def deficiency_add(*, followup: FollowUp, description, action, deadline, by) -> Deficiency:
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


def followup_problems(followup: FollowUp) -> list[str]:
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


@transaction.atomic
def followup_approve(*, followup: FollowUp, by) -> FollowUp:
    """Approve a complete follow-up; it is locked from then on."""
    _require(permissions.can_approve_contract_followup(by))
    followup = _lock_followup(followup)
    _require_editable(followup)
    problems = followup_problems(followup)
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: problems})
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
    return followup


def followups_with_content():
    """Follow-ups with everything their pages, exports and texts read."""
    return FollowUp.objects.select_related(
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
def followup_memo_create(*, followup: FollowUp, by):
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
    return memo
