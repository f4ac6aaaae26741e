from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from solna_sn import permissions
from solna_sn.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def editable_units(user):
    """The enheter whose contracts the user may register and change."""
    units = Unit.objects.order_by("sort_order", "name")
    return units.filter(pk__in=[u.pk for u in units if permissions.can_edit_contracts(user, u)])


def error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
