"""The contract register, one contract (with its extensions), and the procurements."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts import exporters, queries, reporting, rules, services
from contracts.forms import ContractForm, ExtensionForm, ProcurementForm
from contracts.models import Contract, ContractExtension, FollowUpPlan, Procurement
from contracts.views.common import editable_units, error_messages, xlsx_response
from solna_sn import permissions
from solna_sn.lib.periods import year_to_open
from solna_sn.views import permission_required


@require_GET
@permission_required(permissions.can_view_contracts)
def index(request):
    today = timezone.localdate()
    rows = queries.register_rows(queries.contracts_for_register(), today)
    return render(
        request,
        "contracts/index.html",
        {
            "rows": rows,
            "today": today,
            "warnings": sum(1 for row in rows if row.warning),
            "can_create": permissions.is_staff_member(request.user)
            and editable_units(request.user).exists(),
        },
    )


@require_GET
@permission_required(permissions.can_view_contracts)
def register_export(request):
    today = timezone.localdate()
    rows = queries.register_rows(queries.contracts_for_register(), today)
    return xlsx_response(exporters.register_workbook(rows), f"avtalsregister-{today}.xlsx")


def _contract_kwargs(form: ContractForm) -> dict:
    data = dict(form.cleaned_data)
    return {"suppliers": data.pop("suppliers"), **data}


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_contracts)
def contract_create(request):
    units = editable_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = ContractForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(by=request.user, **_contract_kwargs(form))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Avtalet {contract.name} är registrerat.")
            return redirect("contracts:contract_detail", pk=contract.pk)
    return render(
        request,
        "contracts/contract_form.html",
        {"form": form, "contract": None},
        status=400 if request.method == "POST" else 200,
    )


def _contract(pk) -> Contract:
    return get_object_or_404(queries.contracts_for_register(), pk=pk)


def _detail_page(request, contract, *, extension_form=None, status=200):
    today = timezone.localdate()
    row = queries.register_rows([contract], today)[0]
    pattern = contract.pattern
    next_option = (
        rules.next_option_period(contract.end_date, pattern, contract.used_periods)
        if pattern and contract.end_date
        else None
    )
    if extension_form is None and next_option:
        extension_form = ExtensionForm(
            initial={"start_date": next_option.start, "end_date": next_option.end}
        )
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "row": row,
            "next_option": next_option,
            "extension_form": extension_form,
            "followups": queries.followups_of_contract(contract),
            "can_edit": permissions.can_edit_contracts(request.user, contract.unit),
        },
        status=status,
    )


@require_GET
@permission_required(permissions.can_view_contracts)
def contract_detail(request, pk):
    return _detail_page(request, _contract(pk))


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_contracts)
def contract_edit(request, pk):
    contract = _contract(pk)
    if not permissions.can_edit_contracts(request.user, contract.unit):
        raise PermissionDenied
    units = editable_units(request.user)
    if request.method == "POST":
        form = ContractForm(request.POST, units=units)
        if form.is_valid():
            try:
                services.contract_update(
                    contract=contract, by=request.user, **_contract_kwargs(form)
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, "Ändringarna är sparade.")
                return redirect("contracts:contract_detail", pk=contract.pk)
    else:
        form = ContractForm(initial=ContractForm.initial_for(contract), units=units)
    return render(
        request,
        "contracts/contract_form.html",
        {"form": form, "contract": contract},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@permission_required(permissions.can_view_contracts)
def extension_add(request, pk):
    contract = _contract(pk)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            extension = services.contract_extension_add(
                contract=contract, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{extension} är registrerad.")
            return redirect("contracts:contract_detail", pk=contract.pk)
    return _detail_page(request, contract, extension_form=form, status=400)


@require_POST
@permission_required(permissions.can_view_contracts)
def extension_remove(request, pk, eid):
    extension = get_object_or_404(ContractExtension, pk=eid, contract_id=pk)
    try:
        services.contract_extension_remove(extension=extension, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, "Förlängningen är borttagen.")
    return redirect("contracts:contract_detail", pk=pk)


# --- Upphandlingar -------------------------------------------------------------------------


def _procurement_kwargs(form: ProcurementForm) -> dict:
    data = dict(form.cleaned_data)
    return {"replaces": list(data.pop("replaces")), **data}


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_contracts)
def procurement_list(request):
    units = editable_units(request.user)
    form = ProcurementForm(request.POST or None, units=units)
    if request.method == "POST":
        if not units.exists():
            raise PermissionDenied
        if form.is_valid():
            try:
                procurement = services.procurement_create(
                    by=request.user, **_procurement_kwargs(form)
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Upphandlingen {procurement} är registrerad.")
                return redirect("contracts:procurement_list")
    # This year's follow-ups and next year's konkurrensplan; in a new year without a
    # tidsplan yet, those of the latest one.
    year = year_to_open(
        timezone.localdate().year, FollowUpPlan.objects.values_list("year", flat=True)
    )
    procurements = Procurement.objects.select_related("unit").prefetch_related("replaces")
    return render(
        request,
        "contracts/procurement_list.html",
        {
            "form": form,
            "procurements": procurements,
            "can_create": units.exists(),
            "year": year,
            "plan_year": year + 1,
            "to_tender": reporting.procurements_to_tender(year + 1),
            "followed_up": reporting.procurements_followed_up(year),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_contracts)
def procurement_edit(request, pk):
    procurement = get_object_or_404(
        Procurement.objects.select_related("unit").prefetch_related("replaces"), pk=pk
    )
    if not permissions.can_edit_contracts(request.user, procurement.unit):
        raise PermissionDenied
    units = editable_units(request.user)
    if request.method == "POST":
        form = ProcurementForm(request.POST, units=units)
        if form.is_valid():
            try:
                services.procurement_update(
                    procurement=procurement, by=request.user, **_procurement_kwargs(form)
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, "Upphandlingen är sparad.")
                return redirect("contracts:procurement_list")
    else:
        form = ProcurementForm(initial=ProcurementForm.initial_for(procurement), units=units)
    return render(
        request,
        "contracts/procurement_form.html",
        {"form": form, "procurement": procurement},
        status=400 if request.method == "POST" else 200,
    )
