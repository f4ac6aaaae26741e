"""Taxor och avgifter and kvalitetsdeklarationer per plan year; budget versions."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from economy import reporting, services
from economy.forms import BudgetVersionForm, QualityDeclarationForm, TariffForm
from economy.models import BudgetVersion, QualityDeclaration, Tariff
from solna_sn import permissions
from solna_sn.views import current_committee, permission_required


@dataclass(frozen=True)
class Register:
    slug: str
    model: type
    form: type
    title: str
    singular: str


REGISTERS = {
    "taxor": Register("taxor", Tariff, TariffForm, "Taxor och avgifter", "taxa eller avgift"),
    "kvalitetsdeklarationer": Register(
        "kvalitetsdeklarationer",
        QualityDeclaration,
        QualityDeclarationForm,
        "Kvalitetsdeklarationer",
        "kvalitetsdeklaration",
    ),
}


def _register(slug: str) -> Register:
    try:
        return REGISTERS[slug]
    except KeyError:
        raise Http404 from None


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Http404


@require_GET
@permission_required(permissions.can_view_economy)
def register_list(request, slug: str, year: int):
    register = _register(slug)
    _check_year(year)
    committee = current_committee()
    entries = list(
        register.model.objects.filter(committee=committee, plan_year=year).order_by(
            "sort_order", "pk"
        )
    )
    warnings = {}
    if register.model is Tariff:
        warnings = {t.pk: reporting.tariff_warnings(t) for t in entries}
    previous = register.model.objects.filter(committee=committee, plan_year=year - 1).exists()
    return render(
        request,
        "economy/register_list.html",
        {
            "register": register,
            "year": year,
            "entries": [(entry, warnings.get(entry.pk, ())) for entry in entries],
            "may_enter": permissions.can_enter_economy(request.user, committee),
            "may_copy": previous and not entries,
        },
    )


def _next_order(register, committee, year) -> int:
    last = (
        register.model.objects.filter(committee=committee, plan_year=year)
        .order_by("-sort_order")
        .values_list("sort_order", flat=True)
        .first()
    )
    return (last or 0) + 10


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_economy)
def register_edit(request, slug: str, year: int, pk: int | None = None):
    register = _register(slug)
    _check_year(year)
    committee = current_committee()
    if not permissions.can_enter_economy(request.user, committee):
        raise PermissionDenied
    entry = None
    if pk is not None:
        entry = get_object_or_404(register.model, pk=pk, committee=committee, plan_year=year)
    if entry is not None:
        initial = {name: getattr(entry, name) for name in services.REGISTER_FIELDS[register.model]}
        initial["revision"] = entry.revision
    else:
        initial = {"sort_order": _next_order(register, committee, year), "status": "oforandrad"}
    form = register.form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("revision", None)
        try:
            services.register_save(
                model=register.model,
                committee=committee,
                plan_year=year,
                data=data,
                entry=entry,
                expected_revision=expected,
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except services.EconomyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"”{data['name']}” sparades.")
            return redirect("economy:register", slug=slug, year=year)
    return render(
        request,
        "economy/register_form.html",
        {"register": register, "year": year, "form": form, "entry": entry},
    )


@require_POST
@permission_required(permissions.can_view_economy)
def register_delete(request, slug: str, year: int, pk: int):
    register = _register(slug)
    committee = current_committee()
    if not permissions.can_enter_economy(request.user, committee):
        raise PermissionDenied
    entry = get_object_or_404(register.model, pk=pk, committee=committee, plan_year=year)
    try:
        services.register_delete(entry=entry, by=request.user)
    except services.EconomyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"”{entry.name}” togs bort.")
    return redirect("economy:register", slug=slug, year=year)


@require_POST
@permission_required(permissions.can_view_economy)
def register_copy(request, slug: str, year: int):
    register = _register(slug)
    _check_year(year)
    committee = current_committee()
    if not permissions.can_enter_economy(request.user, committee):
        raise PermissionDenied
    try:
        created = services.register_copy_year(
            model=register.model,
            committee=committee,
            from_year=year - 1,
            to_year=year,
            by=request.user,
        )
    except services.EconomyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{created} rader kopierades från {year - 1}.")
    return redirect("economy:register", slug=slug, year=year)


# --- Budget versions ------------------------------------------------------------------------


@require_GET
@permission_required(permissions.can_view_economy)
def version_list(request):
    committee = current_committee()
    versions = list(
        BudgetVersion.objects.filter(committee=committee).prefetch_related(
            "sheets__definition", "sheets_as_previous__definition"
        )
    )
    return render(
        request,
        "economy/version_list.html",
        {
            "versions": versions,
            "may_enter": permissions.can_enter_economy(request.user, committee),
            "may_lock": permissions.can_reopen_economy(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_economy)
def version_create(request):
    committee = current_committee()
    if not permissions.can_enter_economy(request.user, committee):
        raise PermissionDenied
    form = BudgetVersionForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.budget_version_create(
                committee=committee, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except services.EconomyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{version} är skapad.")
            return redirect("economy:versions")
    return render(request, "economy/version_form.html", {"form": form})


@require_POST
@permission_required(permissions.can_view_economy)
def version_lock(request, pk: int):
    version = get_object_or_404(BudgetVersion, pk=pk, committee=current_committee())
    if not permissions.can_reopen_economy(request.user):
        raise PermissionDenied
    locked = request.POST.get("locked") == "1"
    try:
        services.budget_version_set_locked(version=version, locked=locked, by=request.user)
    except services.EconomyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{version} är {'låst' if locked else 'öppen'}.")
    return redirect("economy:versions")
